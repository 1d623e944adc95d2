"""Erasure on request (GDPR Art. 17): after it, no row anywhere in the database holds the
patient's words, names or file names, and their files are gone from storage."""

import hashlib
from pathlib import Path

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from psycopg2 import sql
from wagtail.log_actions import log
from wagtail.models import Comment, ModelLogEntry, Revision, WorkflowState

from consent.factories import PatientFactory
from consent.models import Consent, Identifier, Patient
from core.email import queue_email
from core.factories import UserFactory
from core.roles import CLINICAL_REVIEWERS, CONSENT_OFFICERS, EDITORS
from moderation.services import submit_for_moderation
from moderation.testing import pass_patient_sign_off
from records.erasure import ERASED, ERASURE_REQUESTED
from records.models import ErasureRequest
from stories.factories import (
    SHOWN,
    ActiveConsentFactory,
    PatientMediaFactory,
    PatientPhotoFactory,
    story_body,
)
from stories.models import PatientMedia, PatientPhoto, PatientStoryPage, Takedown, Testimonial
from stories.tests.utils import SiteTree, live_story, live_testimonial

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks.backends.database.DatabaseBackend"}}

# What only this patient's records hold. Each is searched for as the start of a word
# (eight letters), so that a search index's stemmed form ("quillfeath") is caught too.
NAME = "Zephyrine Quillfeather"
WORDS = {
    "first name": "zephyrin",
    "last name": "quillfea",
    "town": "xanthovi",
    "phone": "555 0100 7788",
    "testimonial words": "glimmerw",
    "draft words": "snorkelb",
    "story words": "zygomorp",
    "comment words": "brambleq",
    "reviewer's comment": "thornwhi",
    "photo title": "fjordwil",
    "photo file name": "moonpeta",
    "signed form file name": "inkwellsc",
    "video title": "lanternbu",
    "video transcript": "quokkavin",
}


def rows_holding(words):
    """{(table, column): number of rows} for every text, varchar, json or tsvector
    column of every table that holds one of ``words`` (case-insensitive)."""
    patterns = [f"%{word}%" for word in words]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.table_name, c.column_name FROM information_schema.columns c
            JOIN information_schema.tables t
              ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
              AND (c.data_type IN ('text', 'character varying', 'character', 'json',
                                   'jsonb', 'ARRAY') OR c.udt_name = 'tsvector')
            """
        )
        columns = cursor.fetchall()
        found = {}
        for table, column in columns:
            cursor.execute(
                sql.SQL("SELECT count(*) FROM {} WHERE {}::text ILIKE ANY(%s)").format(
                    sql.Identifier(table), sql.Identifier(column)
                ),
                [patterns],
            )
            count = cursor.fetchone()[0]
            if count:
                found[(table, column)] = count
    return found


class ErasureTests(SiteTree, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.make_tree()
        cls.officer = UserFactory(username="olive", roles=[CONSENT_OFFICERS])
        cls.second_officer = UserFactory(username="oscar", roles=[CONSENT_OFFICERS])
        cls.editor = UserFactory(username="edna", roles=[EDITORS])
        cls.reviewer = UserFactory(username="rosa", roles=[CLINICAL_REVIEWERS])

        cls.patient = PatientFactory(
            legal_name=NAME,
            first_name="Zephyrine",
            last_name="Quillfeather",
            email="zephyrine.quillfeather@example.org",
            phone="+1 555 0100 7788",
            town="Xanthoville",
        )
        # An earlier paper consent (a scan on file), superseded by an electronic one.
        cls.paper = ActiveConsentFactory(
            patient=cls.patient,
            method=Consent.Method.PAPER,
            signed_form=SimpleUploadedFile("inkwellscan-zephyrine.pdf", b"%PDF-1.4 signed"),
            identifiers=[*SHOWN, Identifier.FULL_NAME, Identifier.PHOTO, Identifier.TOWN],
            verified_at=None,
        )
        cls.paper.verify(cls.officer)
        cls.consent = ActiveConsentFactory(
            patient=cls.patient,
            identifiers=[
                *SHOWN,
                Identifier.FULL_NAME,
                Identifier.PHOTO,
                Identifier.TOWN,
                Identifier.VOICE_VIDEO,
            ],
            supersedes=cls.paper,
            verified_at=None,
        )
        cls.consent.verify(cls.second_officer)
        log(instance=cls.patient, action="wagtail.edit", user=cls.officer)

        cls.photo = PatientPhotoFactory(
            patient=cls.patient,
            title="Zephyrine by the fjordwillow lake",
            file__filename="moonpetal-lakeside.jpg",
        )
        cls.photo.get_rendition("fill-40x40")
        log(instance=cls.photo, action="wagtail.create", user=cls.editor)

        cls.video = PatientMediaFactory(
            patient=cls.patient,
            title="Zephyrine's lanternbush walk",
            transcript="The quokkavine path, and I look over my shoulder again.",
        )
        words = "Glimmerwort mornings: I can turn my head to the sea again."
        cls.testimonial = live_testimonial(
            consent=cls.consent,
            title="Zephyrine on glimmerwort mornings",
            quote=words,
            approved_text=words,
            photo=cls.photo,
            video=cls.video,
            show_town=True,
        )
        # A draft revision with words never published.
        cls.testimonial.quote = "Snorkelberry afternoons too."
        cls.testimonial.save_revision(user=cls.editor)

        quote = "Zygomorphic tremors gone after the third session."
        cls.story = live_story(
            cls.index,
            consent=cls.consent,
            title="Quillfeather's year of zygomorphic calm",
            body=story_body(quote),
            approved_text=quote,
            hero_image=cls.photo,
        )
        Comment.objects.create(
            page=cls.story,
            user=cls.editor,
            text="Check the bramblequist paragraph with Zephyrine",
            contentpath="title",
        )
        # A second version sent back by the reviewer, with a comment quoting it.
        cls.story.summary = "Snorkelberry and zygomorphic, the draft."
        state = pass_patient_sign_off(submit_for_moderation(cls.story, cls.editor))
        task_state = state.current_task_state
        task_state.task.specific.on_action(
            task_state, cls.reviewer, "reject", comment="Thornwhistle: is Zephyrine's claim sound?"
        )
        # Emails about her waiting in the task queue, and one about someone else.
        with override_settings(TASKS=DATABASE_QUEUE):
            queue_email(
                "Zephyrine Quillfeather's story", "Glimmerwort mornings", ["a@clinic.example"]
            )
            queue_email("Another patient's story", "Nothing of hers", ["a@clinic.example"])

        storage = cls.photo.file.storage
        cls.files = {
            Path(storage.path(name)): None
            for name in (
                cls.photo.file.name,
                *(r.file.name for r in cls.photo.renditions.all()),
                *(f.name for f in (cls.video.file, cls.video.captions, cls.video.poster) if f),
            )
        }
        cls.files[Path(cls.paper.signed_form.path)] = None
        cls.files = {path: path.read_bytes() for path in cls.files}

    def setUp(self):
        # Files are not rolled back with the database: put back what a test erased.
        for path, content in self.files.items():
            if not path.exists():
                path.write_bytes(content)

    def request_and_confirm(self):
        self.client.force_login(self.officer)
        # From the patient's page, in the Patients & consent admin.
        patient_page = self.client.get(reverse("consent_patients:inspect", args=[self.patient.pk]))
        add_url = reverse("records_erasure_requests:add") + f"?patient={self.patient.pk}"
        self.assertContains(patient_page, add_url)
        form = self.client.get(add_url)
        self.assertContains(form, f'<option value="{self.patient.pk}" selected>')
        response = self.client.post(
            reverse("records_erasure_requests:add"),
            {"patient": self.patient.pk, "received_via": "email"},
        )
        request = ErasureRequest.objects.get()
        self.assertRedirects(
            response, reverse("records_erasure_requests:inspect", args=[request.pk])
        )
        self.client.force_login(self.second_officer)
        confirm_url = reverse("records_erasure_requests:confirm", args=[request.pk])
        page = self.client.get(confirm_url)
        self.assertContains(page, "Quillfeather&#x27;s year of zygomorphic calm")
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(confirm_url, {"confirm": "on"})
        self.assertRedirects(
            response, reverse("records_erasure_requests:inspect", args=[request.pk])
        )
        request.refresh_from_db()
        return request

    def test_no_row_in_the_database_holds_the_patients_words_names_or_file_names(self):
        files = list(self.files)
        # The photo and its renditions (the sign-off page made some too), the video, its
        # captions and poster, the signed form.
        renditions = self.photo.renditions.count()
        self.assertGreaterEqual(renditions, 1)
        self.assertEqual(len(files), 1 + renditions + 3 + 1)
        self.assertTrue(all(path.exists() for path in files))
        scan_digest = hashlib.sha256(b"%PDF-1.4 signed").hexdigest()
        before = rows_holding(WORDS.values())
        # The search can fail: before the erasure her words are all over the database.
        for table in (
            "consent_patient",
            "consent_consent",
            "stories_testimonial",
            "stories_patientphoto",
            "stories_patientphotorendition",
            "wagtailcore_page",
            "wagtailcore_revision",
            "wagtailcore_comment",
            "wagtailcore_taskstate",
            "wagtailcore_modellogentry",
            "wagtailcore_pagelogentry",
            "wagtailsearch_indexentry",
            "django_tasks_database_dbtaskresult",
        ):
            self.assertIn(table, {t for t, _column in before}, table)
        for label, word in WORDS.items():
            self.assertTrue(rows_holding([word]), f"{label} ({word}) is stored before")

        request = self.request_and_confirm()

        self.assertEqual(request.status, ErasureRequest.Status.DONE)
        self.assertEqual(rows_holding(WORDS.values()), {})
        for path in files:
            self.assertFalse(path.exists(), path)

        # What remains: the consents without free text, the text version and its hash,
        # the withdrawal and the erasure.
        for consent in (self.paper, self.consent):
            kept = Consent.objects.get(pk=consent.pk)
            self.assertEqual(kept.text_id, consent.text_id)
            self.assertEqual(kept.text_sha256, consent.text_sha256)
            self.assertEqual(kept.verified_by_id, consent.verified_by_id)
            self.assertEqual(kept.signature_name, "")
            self.assertIsNone(kept.signature_ip)
            self.assertFalse(kept.signed_form)
        self.assertIsNotNone(Consent.objects.get(pk=self.consent.pk).withdrawn_at)
        self.assertEqual(
            request.fingerprints, {str(self.paper.pk): {"signed_form_sha256": scan_digest}}
        )
        patient = Patient.objects.get(pk=self.patient.pk)
        self.assertEqual(patient.legal_name, f"Erased patient #{patient.pk}")
        consent_log = ModelLogEntry.objects.filter(
            content_type__model="consent", object_id=str(self.consent.pk)
        )
        self.assertEqual(
            set(consent_log.values_list("action", flat=True)),
            {"consent.verified", "consent.withdrawn"},
        )
        self.assertEqual(consent_log.get(action="consent.withdrawn").data, {"channel": "email"})
        erasure_log = ModelLogEntry.objects.filter(
            content_type__model="erasurerequest", object_id=str(request.pk)
        )
        self.assertEqual(
            list(erasure_log.order_by("pk").values_list("action", "user__username")),
            [(ERASURE_REQUESTED, "olive"), (ERASED, "oscar")],
        )
        takedowns = Takedown.objects.filter(consent=self.consent)
        self.assertEqual(takedowns.count(), 2)  # the testimonial and the story
        self.assertEqual(
            {
                kind: request.report.get(kind)
                for kind in ("stories", "testimonials", "files", "signed forms")
            },
            # The photo and its renditions, the video with its captions and poster; the scan.
            {"stories": 1, "testimonials": 1, "files": len(files) - 1, "signed forms": 1},
        )
        # The content and everything of it is gone.
        self.assertFalse(Testimonial.objects.exists())
        self.assertFalse(PatientStoryPage.objects.exists())
        self.assertFalse(PatientPhoto.objects.exists())
        self.assertFalse(PatientMedia.objects.exists())
        self.assertFalse(Comment.objects.exists())
        for model in (Revision, WorkflowState):
            self.assertFalse(model.objects.filter(object_id=str(self.story.pk)).exists())
            self.assertFalse(model.objects.filter(base_content_type__model="testimonial").exists())
        # Another patient's queued email was left alone.
        self.assertTrue(rows_holding(["Another patient"]))

    def test_the_patient_is_sent_a_receipt_that_names_nothing_erased(self):
        mail.outbox.clear()
        self.request_and_confirm()

        receipt = next(
            m
            for m in mail.outbox
            if m.to == ["zephyrine.quillfeather@example.org"] and "erased" in m.subject
        )
        self.assertEqual(receipt.subject, "We have erased your story and photos")
        self.assertIn("1 patient story", receipt.body)
        self.assertIn("1 testimonial", receipt.body)
        self.assertIn("six years after your consent was last in effect", receipt.body)
        kept_until = timezone.localdate().replace(year=timezone.localdate().year + 6)
        self.assertIn(f"{kept_until:%B} {kept_until.day}, {kept_until.year}", receipt.body)
        for word in WORDS.values():
            self.assertNotIn(word, receipt.body.lower())
        officers = next(m for m in mail.outbox if "was carried out" in m.subject)
        self.assertEqual(sorted(officers.to), ["olive@clinic.example", "oscar@clinic.example"])

    def test_one_officer_alone_cannot_erase(self):
        self.client.force_login(self.officer)
        self.client.post(
            reverse("records_erasure_requests:add"),
            {"patient": self.patient.pk, "received_via": "phone"},
        )
        request = ErasureRequest.objects.get()
        confirm_url = reverse("records_erasure_requests:confirm", args=[request.pk])
        # The officer who asked sees no Confirm button, and a confirmation is refused.
        inspect = self.client.get(reverse("records_erasure_requests:inspect", args=[request.pk]))
        self.assertNotContains(inspect, confirm_url)
        response = self.client.post(confirm_url, {"confirm": "on"})
        self.assertContains(response, "a second consent officer must confirm it")

        request.refresh_from_db()
        self.assertEqual(request.status, ErasureRequest.Status.PENDING)
        self.assertTrue(Testimonial.objects.filter(pk=self.testimonial.pk).exists())
        self.assertEqual(Patient.objects.get(pk=self.patient.pk).legal_name, NAME)
        # The second officer sees the button.
        self.client.force_login(self.second_officer)
        inspect = self.client.get(reverse("records_erasure_requests:inspect", args=[request.pk]))
        self.assertContains(inspect, confirm_url)

    def test_non_officers_can_neither_ask_for_nor_confirm_an_erasure(self):
        request = ErasureRequest.objects.create(
            patient=self.patient, received_via="email", requested_by=self.officer
        )
        for user in (self.editor, self.reviewer):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                for url in (
                    reverse("records_erasure_requests:index"),
                    reverse("records_erasure_requests:add"),
                    reverse("records_erasure_requests:confirm", args=[request.pk]),
                ):
                    self.assertRedirects(self.client.get(url), reverse("wagtailadmin_home"))
                response = self.client.post(
                    reverse("records_erasure_requests:confirm", args=[request.pk]),
                    {"confirm": "on"},
                )
                self.assertRedirects(response, reverse("wagtailadmin_home"))
        request.refresh_from_db()
        self.assertEqual(request.status, ErasureRequest.Status.PENDING)
        self.assertTrue(Testimonial.objects.exists())

    def test_a_patient_has_one_pending_request_at_a_time(self):
        self.client.force_login(self.officer)
        data = {"patient": self.patient.pk, "received_via": "email"}
        self.client.post(reverse("records_erasure_requests:add"), data)
        self.client.force_login(self.second_officer)
        response = self.client.post(reverse("records_erasure_requests:add"), data)
        self.assertContains(response, "An erasure request for this patient is already waiting.")
        self.assertEqual(ErasureRequest.objects.count(), 1)


class MarkerMatchingTests(TestCase):
    """The search for stored copies matches whole words, and long texts by their start."""

    def test_whole_words_only_and_long_texts_by_their_beginning(self):
        from records.erasure import matching

        long_text = "Glimmerwort mornings (and evenings) " * 20
        ModelLogEntry.objects.bulk_create(
            ModelLogEntry(
                content_type_id=1, object_id="1", label=label, action="x", timestamp=timezone.now()
            )
            for label in ("Testimonial 42", "Testimonial 4", f"Quoted: {long_text}.", "Other")
        )
        found = ModelLogEntry.objects.filter(matching(["label"], ["Testimonial 4", long_text]))
        self.assertEqual(
            sorted(found.values_list("label", flat=True)),
            sorted(["Testimonial 4", f"Quoted: {long_text}."]),
        )
