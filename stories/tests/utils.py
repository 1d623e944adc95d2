import datetime

from django.core.cache import cache
from django.utils import timezone

from consent.models import Consent
from core import pagecache
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
    midnight_passed()


def expired_yesterday(consent):
    Consent.objects.filter(pk=consent.pk).update(
        expires_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    midnight_passed()


def midnight_passed():
    """The clock has passed the midnight the expiry day began at: every page cached
    before it has died by its consent bound (core.pagecache; the bound itself is tested
    with the clock in cms/tests/test_page_cache.py). No purge is involved."""
    cache.delete(pagecache.GENERATION_KEY)


def consent_edited_in_place(consent, **fields):
    """A consent row changed behind ``save()`` (tests only: verified consents are never
    edited); the purge ``save()`` would have sent is sent."""
    Consent.objects.filter(pk=consent.pk).update(**fields)
    pagecache.purge()


class SiteTree:
    """The home page from the initial migration, with the story and testimonial listings."""

    @classmethod
    def make_tree(cls):
        cls.home = HomePage.objects.get()
        cls.index = StoryIndexPageFactory(parent=cls.home)
        cls.testimonial_index = TestimonialIndexPageFactory(parent=cls.home)


def private_columns_read(queries):
    """The patient's columns beyond an attribution (legal name, contact data, their
    representative) that ``queries`` (CaptureQueriesContext's) select."""
    sql = " ".join(query["sql"] for query in queries)
    private = ("legal_name", "email", "phone", "representative_name", "representative_authority")
    return [column for column in private if f'"consent_patient"."{column}"' in sql]
