import datetime

from django.utils import timezone

from consent.models import Consent
from home.models import HomePage
from moderation.testing import publish_through_workflow
from stories.factories import (
    PatientStoryPageFactory,
    StoryIndexPageFactory,
    TestimonialFactory,
    TestimonialIndexPageFactory,
)


def live_testimonial(**kwargs):
    return publish_through_workflow(TestimonialFactory(**kwargs))


def live_story(parent, **kwargs):
    return publish_through_workflow(PatientStoryPageFactory(parent=parent, **kwargs))


def expire_today(consent):
    """Time has passed: the consent's expiry date is today (no job has run)."""
    Consent.objects.filter(pk=consent.pk).update(expires_on=timezone.localdate())


def expired_yesterday(consent):
    Consent.objects.filter(pk=consent.pk).update(
        expires_on=timezone.localdate() - datetime.timedelta(days=1)
    )


class SiteTree:
    """The home page from the initial migration, with the story and testimonial listings."""

    @classmethod
    def make_tree(cls):
        cls.home = HomePage.objects.get()
        cls.index = StoryIndexPageFactory(parent=cls.home)
        cls.testimonial_index = TestimonialIndexPageFactory(parent=cls.home)
