import factory
import wagtail_factories
from django.utils import timezone
from factory.django import DjangoModelFactory

from consent.factories import ConsentFactory
from consent.models import Channel, Identifier
from moderation.testing import publish_through_workflow
from stories.models import (
    AttributionStyle,
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


class TestimonialFactory(DjangoModelFactory):
    """A draft: testimonials go live only through their workflow (moderation.testing)."""

    title = factory.Sequence(lambda n: f"Testimonial {n}")
    quote = factory.Faker("paragraph", nb_sentences=2)
    approved_text = factory.SelfAttribute("quote")
    approved_on = factory.LazyFunction(timezone.localdate)
    consent = factory.SubFactory(ActiveConsentFactory)
    attribution_style = AttributionStyle.FIRST_NAME_INITIAL
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    age = factory.Faker("random_int", min=18, max=90)
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


class PatientStoryPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Patient story {n}")
    slug = factory.Sequence(lambda n: f"patient-story-{n}")
    live = False
    summary = factory.Faker("sentence", nb_words=16)
    body = factory.LazyFunction(story_body)
    approved_text = "How it went. It changed how I live each day."
    approved_on = factory.LazyFunction(timezone.localdate)
    consent = factory.SubFactory(ActiveConsentFactory)
    attribution_style = AttributionStyle.FIRST_NAME_INITIAL
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    age = 54
    hero_image_alt = "The patient in the clinic garden, turning to look at the camera"

    class Meta:
        model = PatientStoryPage
