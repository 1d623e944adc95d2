import datetime
import xml.etree.ElementTree as ET

from django.test import TestCase, override_settings
from django.utils import timezone

from articles.factories import TreatmentArticlePageFactory
from articles.tests.helpers import make_index
from consent.models import Consent
from moderation.testing import publish_through_workflow
from stories.models import PatientStoryPage
from stories.tests.utils import SiteTree, expire_today, live_story
from taxonomy.factories import ConditionFactory

ATOM = "{http://www.w3.org/2005/Atom}"


def rss_items(response):
    return ET.fromstring(response.content).findall("./channel/item")  # noqa: S314 - our own


class FeedTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        SiteTree.make_tree()
        cls.story = live_story(
            SiteTree.index,
            title="Turning my head again",
            summary="Injections eased the spasms in my neck.",
            first_name="Maria",
            last_name="Garcia",
        )
        cls.article = publish_through_workflow(
            TreatmentArticlePageFactory(
                parent=make_index(),
                title="Botulinum toxin for cervical dystonia",
                summary="How injections relax tight neck muscles.",
                conditions=[ConditionFactory()],
            )
        )
        # The article is the newer of the two.
        PatientStoryPage.objects.filter(pk=cls.story.pk).update(
            first_published_at=timezone.now() - datetime.timedelta(days=1)
        )

    def test_rss_lists_stories_and_articles_newest_first(self):
        response = self.client.get("/feeds/stories.rss")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Type"].startswith("application/rss+xml"))
        items = rss_items(response)
        self.assertEqual(
            [item.findtext("title") for item in items],
            ["Botulinum toxin for cervical dystonia", "Turning my head again"],
        )
        story = items[1]
        self.assertEqual(story.findtext("link"), self.story.full_url)
        self.assertEqual(story.findtext("description"), "Injections eased the spasms in my neck.")
        self.assertTrue(story.findtext("pubDate"))

    def test_no_patient_data_in_items(self):
        content = self.client.get("/feeds/stories.rss").content.decode()
        self.assertNotIn("Garcia", content)
        self.assertNotIn(self.story.consent.patient.email, content)

    def test_atom(self):
        response = self.client.get("/feeds/stories.atom")
        self.assertTrue(response["Content-Type"].startswith("application/atom+xml"))
        entries = ET.fromstring(response.content).findall(f"{ATOM}entry")  # noqa: S314
        self.assertEqual(
            [entry.findtext(f"{ATOM}title") for entry in entries],
            ["Botulinum toxin for cervical dystonia", "Turning my head again"],
        )

    def test_shared_caches_may_not_keep_a_copy(self):
        for url in ("/feeds/stories.rss", "/feeds/stories.atom"):
            cache_control = self.client.get(url)["Cache-Control"]
            self.assertIn("private", cache_control)
            self.assertIn("max-age=0", cache_control)

    def test_a_story_leaves_the_feeds_the_moment_its_consent_expires(self):
        expire_today(self.story.consent)
        for url in ("/feeds/stories.rss", "/feeds/stories.atom"):
            response = self.client.get(url)
            self.assertNotContains(response, "Turning my head again")
            self.assertContains(response, "Botulinum toxin for cervical dystonia")

    def test_a_story_leaves_the_feeds_when_its_consent_is_withdrawn(self):
        with self.captureOnCommitCallbacks(execute=True):
            Consent.objects.get(pk=self.story.consent_id).withdraw("patient_link")
        self.assertNotContains(self.client.get("/feeds/stories.rss"), "Turning my head again")


# Budgets are for a page rendered afresh; the page cache answers a copy with none
# (cms/tests/test_page_cache.py).
@override_settings(PAGE_CACHE_ENABLED=False)
class FeedSizeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        SiteTree.make_tree()
        for _ in range(22):
            live_story(SiteTree.index)

    def test_newest_twenty_in_a_fixed_number_of_queries(self):
        self.client.get("/feeds/stories.rss")  # warm: Wagtail reads its sites once per cache
        with self.assertNumQueries(2):
            response = self.client.get("/feeds/stories.rss")
        self.assertEqual(len(rss_items(response)), 20)
