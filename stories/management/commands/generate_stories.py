"""``manage.py generate_stories 10000``: synthetic live patient stories for load tests.

Each story has its own patient and a verified consent covering what it shows (first
name and initial, age, condition, treatment, and the photo with ``--photos``), on the
website, expiring on a day spread over the next two years, so the consent rule has real
work to do. Rows are written in bulk (a few seconds for 10,000) straight into the tree
under the story listing, and indexed for search in batches.

This skips the moderation workflow on purpose: it is test data for a benchmark, never
content. Like ``load_demo`` it refuses to run without DEBUG unless told
``--allow-production`` (bench/run.py, on its own throwaway database).
"""

import datetime
import io
import random
import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from consent.models import AttributionStyle, Channel, Consent, ConsentText, Identifier, Patient
from stories.models import PatientPhoto, PatientStoryPage, StoryIndexPage
from taxonomy.models import Condition, Treatment

BATCH = 1000
FIRST_NAMES = ["Maria", "James", "Priya", "Daniel", "Helen", "Robert", "Aisha", "Tom", "Lena"]
LAST_NAMES = ["Garcia", "Okafor", "Shah", "Novak", "Brown", "Ito", "Kowalski", "Reyes", "Lund"]
TOWNS = ["Springfield", "Riverton", "Lakeside", "Hillview"]
WORDS = [
    "neck",
    "spasm",
    "injection",
    "clinic",
    "months",
    "dose",
    "relief",
    "posture",
    "tremor",
    "sleep",
    "work",
    "walk",
    "shoulder",
    "pain",
    "headache",
    "stiffness",
    "physiotherapy",
    "appointment",
    "follow-up",
    "muscles",
]


def picture():
    """A small JPEG: --photos gives every story a hero photo record, all on one file."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (640, 480), (140, 170, 190)).save(out, "JPEG")
    return out.getvalue()


class Command(BaseCommand):
    help = "Add N synthetic live patient stories, with patients and verified consents (bulk)."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)
        parser.add_argument("--photos", action="store_true", help="a hero photo on each story")
        parser.add_argument("--seed", type=int, default=13)
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run without DEBUG (a benchmark's own database).",
        )

    def handle(self, *args, count, photos, seed, allow_production, **options):
        if not (settings.DEBUG or allow_production):
            raise CommandError(
                "Refusing to add synthetic stories without DEBUG: they would go live. On a "
                "benchmark's own database, run `generate_stories N --allow-production`."
            )
        index = StoryIndexPage.objects.first()
        text = ConsentText.current()
        if index is None or text is None:
            raise CommandError("Load the demo content first (`manage.py load_demo`).")
        rng = random.Random(seed)  # noqa: S311 - test data, not secrets
        conditions = list(Condition.objects.all()) or [
            Condition.objects.create(name="Cervical dystonia", slug="cervical-dystonia")
        ]
        treatments = list(Treatment.objects.all()) or [
            Treatment.objects.create(name="Botulinum toxin", slug="botulinum-toxin")
        ]
        made = 0
        while made < count:
            size = min(BATCH, count - made)
            with transaction.atomic():
                stories = self.batch(index, text, size, rng, conditions, treatments, photos)
            get_search_backend().add_bulk(PatientStoryPage, stories)
            made += size
            self.stdout.write(f"{made} stories")
        if connection.vendor == "postgresql":
            # Fresh statistics for the planner after a bulk load, and the visibility map
            # that lets the listing's scans read only indexes (autovacuum comes later;
            # VACUUM runs outside a transaction, as management commands do).
            with connection.cursor() as cursor:
                cursor.execute("VACUUM (ANALYZE)")

    def batch(self, index, text, size, rng, conditions, treatments, photos):
        now = timezone.now()
        today = timezone.localdate(now)
        run = uuid.uuid4().hex[:8]
        patients = Patient.objects.bulk_create(
            Patient(
                first_name=rng.choice(FIRST_NAMES),
                last_name=rng.choice(LAST_NAMES),
                legal_name="Synthetic Patient",
                date_of_birth=datetime.date(1950 + rng.randrange(50), 1 + rng.randrange(12), 1),
                town=rng.choice(TOWNS),
                email=f"synthetic-{run}-{n}@example.org",
            )
            for n in range(size)
        )
        shown = [
            Identifier.FIRST_NAME_INITIAL,
            Identifier.AGE,
            Identifier.CONDITION,
            Identifier.TREATMENT,
            *([Identifier.PHOTO] if photos else []),
        ]
        consents = Consent.objects.bulk_create(
            Consent(
                patient=patient,
                identifiers=sorted(shown),
                channels=[Channel.WEBSITE],
                text=text,
                text_sha256=text.sha256,
                signed_at=now,
                expires_on=today + datetime.timedelta(days=1 + rng.randrange(730)),
                method=Consent.Method.ELECTRONIC,
                signature_name=patient.legal_name,
                verified_at=now,
            )
            for patient in patients
        )
        hero = [None] * size
        if photos:
            name = PatientPhoto._meta.get_field("file").storage.save(
                "patient/synthetic.jpg", ContentFile(picture())
            )
            hero = PatientPhoto.objects.bulk_create(
                PatientPhoto(title="Synthetic", file=name, width=640, height=480, patient=p)
                for p in patients
            )

        # Straight into the tree (treebeard's materialised path) after the last child.
        last = index.get_children().order_by("-path").values_list("path", flat=True).first()
        start = Page._str2int(last[-Page.steplen :]) if last else 0
        content_type = ContentType.objects.get_for_model(PatientStoryPage)
        stories = []
        for n, consent in enumerate(consents):
            condition, treatment = rng.choice(conditions), rng.choice(treatments)
            words = " ".join(rng.choice(WORDS) for _ in range(12))
            title = f"{consent.patient.first_name}: {condition.name.lower()}, {words[:40]}"
            published = now - datetime.timedelta(minutes=rng.randrange(1_000_000))
            slug = f"synthetic-{run}-{n}"
            story = PatientStoryPage(
                title=title,
                draft_title=title,
                slug=slug,
                content_type=content_type,
                path=Page._get_path(index.path, index.depth + 1, start + n + 1),
                depth=index.depth + 1,
                numchild=0,
                url_path=f"{index.url_path}{slug}/",
                live=True,
                first_published_at=published,
                last_published_at=published,
                locale_id=index.locale_id,
                translation_key=uuid.uuid4(),
                summary=f"How {treatment.name.lower()} helped with {words}.",
                body=[{"type": "paragraph", "value": f"<p>{words}. {words}.</p>"}],
                consent=consent,
                attribution_style=AttributionStyle.FIRST_NAME_INITIAL,
                show_age=True,
                condition=condition,
                treatment=treatment,
                hero_image=hero[n],
                hero_image_alt="The patient at the clinic" if photos else "",
            )
            story.identifiers_shown = sorted(story.shown_identifiers())
            stories.append(story)
        # Django cannot bulk-create a multi-table child: the Page rows first, then the
        # story rows beside them (the same two INSERTs save() makes, per batch).
        pages = Page.objects.bulk_create(
            Page(**{f.attname: getattr(s, f.attname) for f in Page._meta.concrete_fields})
            for s in stories
        )
        for story, page in zip(stories, pages, strict=True):
            story.page_ptr_id = story.id = page.id
        local = [f for f in PatientStoryPage._meta.local_concrete_fields if not f.primary_key] + [
            PatientStoryPage._meta.pk
        ]
        queryset = PatientStoryPage.objects.all()
        queryset._for_write = True
        queryset._batched_insert(stories, local, batch_size=BATCH)
        Page.objects.filter(pk=index.pk).update(numchild=index.get_children().count())
        return stories
