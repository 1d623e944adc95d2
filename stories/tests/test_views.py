import json

from django.test import TestCase

from consent.models import Identifier, MaterialConnection
from stories import factories
from stories.factories import ActiveConsentFactory
from stories.models import PatientStoryPage
from stories.tests.utils import SiteTree, expire_today, live_story, live_testimonial


class StoryPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        SiteTree.make_tree()
        cls.index = SiteTree.index
        consent = ActiveConsentFactory(
            material_connection=MaterialConnection.DISCOUNTED_CARE,
            identifiers=[Identifier.FIRST_NAME_INITIAL, Identifier.AGE, Identifier.TOWN],
        )
        cls.story = live_story(
            cls.index,
            title="Turning my head again",
            first_name="Maria",
            last_name="Garcia",
            age=54,
            town="Leeds",
            consent=consent,
        )

    def test_shows_attribution_disclosure_and_notice_without_ratings(self):
        response = self.client.get(self.story.url)
        self.assertContains(response, "Maria G., 54, from Leeds")
        self.assertContains(response, "Received discounted treatment.")
        self.assertContains(response, "Individual experiences vary.")
        self.assertContains(response, "<p>It changed how I live each day.</p>", html=True)
        content = response.content.decode().lower()
        self.assertNotIn("aggregaterating", content)
        self.assertNotIn("ratingvalue", content)

    def test_json_ld_describes_the_page_without_review_markup(self):
        html = self.client.get(self.story.url).content.decode()
        start = html.index('<script type="application/ld+json">') + len(
            '<script type="application/ld+json">'
        )
        data = json.loads(html[start : html.index("</script>", start)])
        self.assertEqual(data["@type"], "WebPage")
        self.assertEqual(data["name"], "Turning my head again")
        self.assertEqual(data["url"], self.story.full_url)
        self.assertNotIn("review", json.dumps(data).lower())
        self.assertNotIn("about", data, "the condition isn't shown, so it isn't named")

    def test_shared_caches_may_not_keep_it(self):
        response = self.client.get(self.story.url)
        self.assertIn("private", response["Cache-Control"])
        self.assertIn("no-cache", response["Cache-Control"])

    def test_hidden_the_moment_the_consent_expires(self):
        expire_today(self.story.consent)
        self.assertTrue(PatientStoryPage.objects.get(pk=self.story.pk).live)  # no job ran
        self.assertEqual(self.client.get(self.story.url).status_code, 404)
        listing = self.client.get(self.index.url)
        self.assertNotContains(listing, "Turning my head again")
        self.assertNotContains(self.client.get("/sitemap.xml"), self.story.url)

    def test_listed_and_in_the_sitemap_while_visible(self):
        listing = self.client.get(self.index.url)
        self.assertContains(listing, "Turning my head again")
        self.assertContains(listing, "Maria G., 54, from Leeds")
        self.assertContains(listing, "Individual experiences vary.")
        self.assertContains(self.client.get("/sitemap.xml"), self.story.url)

    def test_drafts_are_not_listed(self):
        factories.PatientStoryPageFactory(parent=self.index, title="Unpublished draft")
        self.assertNotContains(self.client.get(self.index.url), "Unpublished draft")

    def test_search_filters_through_visible(self):
        self.assertEqual(list(PatientStoryPage.objects.search_visible("Turning")), [self.story])
        expire_today(self.story.consent)
        self.assertEqual(list(PatientStoryPage.objects.search_visible("Turning")), [])


class TestimonialListingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        SiteTree.make_tree()
        cls.page = SiteTree.testimonial_index
        cls.shown = live_testimonial(
            quote="The spasms eased within two weeks.",
            attribution_style="anonymous",
            age=None,
            town="York",
            consent=ActiveConsentFactory(identifiers=[Identifier.TOWN]),
        )
        cls.expiring = live_testimonial(quote="Gone by tonight.")
        cls.draft = factories.TestimonialFactory(quote="Never published.")

    def test_lists_only_visible_testimonials(self):
        expire_today(self.expiring.consent)
        response = self.client.get(self.page.url)
        self.assertContains(response, "The spasms eased within two weeks.")
        self.assertContains(response, "A patient from York")
        self.assertContains(response, "Individual experiences vary.", count=1)
        self.assertNotContains(response, "Gone by tonight.")
        self.assertNotContains(response, "Never published.")
        self.assertIn("private", response["Cache-Control"])

    def test_search_filters_through_visible(self):
        from stories.models import Testimonial

        self.assertEqual(list(Testimonial.objects.search_visible("spasms")), [self.shown])
        self.assertEqual(list(Testimonial.objects.search_visible("published")), [])
