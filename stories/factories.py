import datetime
from pathlib import Path

import factory
import wagtail_factories
from django.core.files.base import ContentFile
from django.utils import timezone
from factory.django import DjangoModelFactory

from consent.factories import ConsentFactory, PatientFactory
from consent.models import AttributionStyle, Channel, Consent, Identifier
from moderation.testing import publish_through_workflow
from stories.models import (
    PatientMedia,
    PatientPhoto,
    PatientStoryPage,
    StoryIndexPage,
    Testimonial,
    TestimonialIndexPage,
)

# What the default content below shows: first name and initial, age, condition.
SHOWN = [Identifier.FIRST_NAME_INITIAL, Identifier.AGE, Identifier.CONDITION]


class ActiveConsentFactory(ConsentFactory):
    """A verified consent covering the website and what the default content shows."""

    identifiers = factory.LazyFunction(lambda: list(SHOWN))
    channels = factory.LazyFunction(lambda: [Channel.WEBSITE])
    verified_at = factory.LazyFunction(timezone.now)


class DescribedPatient:
    """Tests may describe the patient as the content shows them (``first_name=``,
    ``last_name=``, ``age=``, ``town=``): that goes on the patient record behind the
    consent, where attributions read it, and the content then shows age and town."""

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        record = {
            k: kwargs.pop(k) for k in ("first_name", "last_name", "age", "town") if k in kwargs
        }
        if record:
            consent = kwargs.get("consent") or Consent.objects.get(pk=kwargs["consent_id"])
            patient = consent.patient
            for field in ("first_name", "last_name", "town"):
                if field in record:
                    setattr(patient, field, record[field])
            if record.get("age") is not None:
                today = timezone.localdate()
                born = today.replace(year=today.year - record["age"]) - datetime.timedelta(days=1)
                patient.date_of_birth = born
            patient.save()
            if "age" in record:
                kwargs["show_age"] = record["age"] is not None
            if "town" in record:
                kwargs["show_town"] = bool(record["town"])
        return super()._adjust_kwargs(**kwargs)


class TestimonialFactory(DescribedPatient, DjangoModelFactory):
    """A draft: testimonials go live only through their workflow (moderation.testing)."""

    title = factory.Sequence(lambda n: f"Testimonial {n}")
    quote = factory.Faker("paragraph", nb_sentences=2)
    approved_text = factory.SelfAttribute("quote")
    approved_on = factory.LazyFunction(timezone.localdate)
    consent = factory.SubFactory(ActiveConsentFactory)
    attribution_style = AttributionStyle.FIRST_NAME_INITIAL
    show_age = True
    live = False

    class Meta:
        model = Testimonial


class SitePageFactory(wagtail_factories.PageFactory):
    """A page live the only way pages go live: through its workflow (``publish=False``
    leaves it a draft)."""

    live = False

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    @factory.post_generation
    def publish(self, create, extracted, **kwargs):
        if create and extracted is not False:
            publish_through_workflow(self)


class StoryIndexPageFactory(SitePageFactory):
    title = "Patient stories"
    slug = "stories"

    class Meta:
        model = StoryIndexPage


class TestimonialIndexPageFactory(SitePageFactory):
    title = "What patients say"
    slug = "testimonials"

    class Meta:
        model = TestimonialIndexPage


def story_body(quote="It changed how I live each day."):
    return [
        {"type": "paragraph", "value": "<p>How the treatment went, month by month.</p>"},
        {"type": "pull_quote", "value": {"quote": quote}},
    ]


class PatientStoryPageFactory(DescribedPatient, wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Patient story {n}")
    slug = factory.Sequence(lambda n: f"patient-story-{n}")
    live = False
    summary = factory.Faker("sentence", nb_words=16)
    body = factory.LazyFunction(story_body)
    approved_text = "How it went. It changed how I live each day."
    approved_on = factory.LazyFunction(timezone.localdate)
    consent = factory.SubFactory(ActiveConsentFactory)
    attribution_style = AttributionStyle.FIRST_NAME_INITIAL
    show_age = True
    hero_image_alt = "The patient in the clinic garden, turning to look at the camera"

    class Meta:
        model = PatientStoryPage


class PatientPhotoFactory(DjangoModelFactory):
    """A photo of the consent's patient, stored privately (never a public image)."""

    title = factory.Sequence(lambda n: f"Patient photo {n}")
    file = factory.django.ImageField(width=120, height=90, color="teal", format="JPEG")
    patient = factory.SubFactory(PatientFactory)

    class Meta:
        model = PatientPhoto


DEMO_CLIP = Path(__file__).parent / "demo_media" / "maria-lakeside.mp4"


class PatientMediaFactory(DjangoModelFactory):
    """A patient's video (the demo clip, 9 s, 320x180 H.264 with AAC), with captions and
    a transcript; created through ``full_clean`` like an upload in the admin (so ffprobe
    reads it)."""

    title = factory.Sequence(lambda n: f"Patient video {n}")
    patient = factory.SubFactory(PatientFactory)
    file = factory.LazyFunction(lambda: ContentFile(DEMO_CLIP.read_bytes(), name="clip.mp4"))
    captions = factory.LazyFunction(
        lambda: ContentFile(DEMO_CLIP.with_suffix(".vtt").read_bytes(), name="clip.vtt")
    )
    transcript = "A bench by the lake. Turning to watch the sunset without holding my chin."

    class Meta:
        model = PatientMedia

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        media = model_class(*args, **kwargs)
        media.full_clean()
        media.save()
        return media
