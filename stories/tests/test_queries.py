from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext

from consent.models import Identifier
from moderation.testing import publish_through_workflow
from stories.factories import SHOWN, ActiveConsentFactory, PatientPhotoFactory
from stories.tests.utils import SiteTree, live_story, live_testimonial


def queries_for(client, url):
    client.get(url)  # warm up: renditions, site root paths
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(captured), response


# Budgets are for a page rendered afresh; the page cache answers a copy with none
# (cms/tests/test_page_cache.py).
@override_settings(PAGE_CACHE_ENABLED=False)
class QueryBudgetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        SiteTree.make_tree()
        cls.index = SiteTree.index
        consent = ActiveConsentFactory(identifiers=[*SHOWN, Identifier.PHOTO])
        photo = PatientPhotoFactory(patient=consent.patient)
        cls.testimonials = [
            live_testimonial(consent=consent, photo=photo, title=f"T{n}") for n in range(50)
        ]

    def feature(self, testimonials):
        self.index.featured = [("testimonial", t) for t in testimonials]
        publish_through_workflow(self.index)

    def test_embedded_testimonials_cost_the_same_for_1_and_50(self):
        self.feature(self.testimonials[:1])
        one, response = queries_for(self.client, self.index.url)
        self.assertContains(response, "Individual experiences vary.", count=1)

        self.feature(self.testimonials)
        fifty, response = queries_for(self.client, self.index.url)
        self.assertContains(response, "Individual experiences vary.", count=50)
        self.assertEqual(one, fifty)

    def story_with_photo(self):
        consent = ActiveConsentFactory(identifiers=[*SHOWN, Identifier.PHOTO])
        photo = PatientPhotoFactory(patient=consent.patient)
        return live_story(self.index, hero_image=photo, consent=consent)

    def test_story_listing_costs_the_same_for_1_and_4_stories(self):
        self.story_with_photo()
        one, _ = queries_for(self.client, self.index.url)
        for _ in range(3):
            self.story_with_photo()
        four, response = queries_for(self.client, self.index.url)
        self.assertContains(response, "story-card__title", count=4)
        self.assertEqual(one, four)

    def test_testimonial_listing_costs_the_same_for_1_and_50(self):
        page = SiteTree.testimonial_index
        fifty, response = queries_for(self.client, page.url)
        self.assertContains(response, "Individual experiences vary.", count=50)
        for testimonial in self.testimonials[1:]:
            testimonial.unpublish()
        one, response = queries_for(self.client, page.url)
        self.assertContains(response, "Individual experiences vary.", count=1)
        self.assertEqual(one, fifty)
