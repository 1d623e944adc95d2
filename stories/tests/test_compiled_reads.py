"""The public reads compiled once a day (core.compiled: featured stories and
testimonials, a listing's rows and cards) follow the clock: at the midnight a consent
ends, its story and testimonial leave the home page and the listing, with no row changed,
no job run and no page cached (the page cache's own bound is tested in
cms/tests/test_page_cache.py)."""

import datetime
from unittest import mock

from django.test import TestCase, override_settings
from django.utils import timezone

from home.models import HomePage
from moderation.testing import publish_through_workflow
from stories.factories import ActiveConsentFactory
from stories.tests.utils import SiteTree, live_story, live_testimonial


@override_settings(PAGE_CACHE_ENABLED=False)
class CompiledReadsFollowTheClockTests(SiteTree, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.make_tree()
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        stories, testimonials = [], []
        for name, consent in [
            ("Ending", ActiveConsentFactory(expires_on=tomorrow)),
            ("Staying", ActiveConsentFactory()),
        ]:
            stories.append(live_story(cls.index, consent=consent, title=f"{name} story"))
            testimonial = live_testimonial(
                consent=consent, title=name, quote=f"{name} quote", approved_text=f"{name} quote"
            )
            testimonials.append(testimonial)
            cls.index.featured.append(("testimonial", testimonial))
        publish_through_workflow(cls.index)
        home = HomePage.objects.get()
        home.featured_stories = [("story", story) for story in stories]
        home.featured_testimonials = [("testimonial", t) for t in testimonials]
        publish_through_workflow(home)

    def shown(self):
        pages = {"home": "/", "listing": self.index.url}
        return {
            name: {
                word
                for word in ("Ending story", "Ending quote", "Staying story", "Staying quote")
                if word in self.client.get(url).content.decode()
            }
            for name, url in pages.items()
        }

    def test_a_consent_ending_at_midnight_ends_its_words_at_midnight(self):
        everything = {"Ending story", "Ending quote", "Staying story", "Staying quote"}
        self.assertEqual(self.shown(), {"home": everything, "listing": everything})
        tomorrow = timezone.now() + datetime.timedelta(days=1)
        with mock.patch("django.utils.timezone.now", return_value=tomorrow):
            staying = {"Staying story", "Staying quote"}
            self.assertEqual(self.shown(), {"home": staying, "listing": staying})
