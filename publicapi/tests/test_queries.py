from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils.http import urlencode

from articles.factories import TreatmentArticlePageFactory
from articles.tests.helpers import make_index
from consent.models import Identifier
from moderation.testing import publish_through_workflow
from stories.factories import SHOWN, ActiveConsentFactory
from stories.tests.utils import SiteTree, live_story, live_testimonial
from taxonomy.factories import ConditionFactory, TreatmentFactory

MANY = 30


# Budgets are for a page rendered afresh; the page cache answers a copy with none
# (cms/tests/test_page_cache.py).
@override_settings(PAGE_CACHE_ENABLED=False)
class APIQueryBudgetTests(TestCase):
    """Listing one item or thirty takes the same number of queries."""

    @classmethod
    def setUpTestData(cls):
        SiteTree.make_tree()
        index = make_index()
        condition = ConditionFactory()
        treatment = TreatmentFactory()
        identifiers = [*SHOWN, Identifier.TREATMENT]
        for _ in range(MANY):
            consent = ActiveConsentFactory(identifiers=identifiers)
            live_story(SiteTree.index, condition=condition, treatment=treatment, consent=consent)
            live_testimonial(condition=condition, treatment=treatment, consent=consent)
            publish_through_workflow(
                TreatmentArticlePageFactory(
                    parent=index, conditions=[condition], treatments=[treatment]
                )
            )

    def count_queries(self, path, **params):
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(f"{path}?{urlencode(params)}")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(len(response.json()["items"]), params["limit"])
        return len(queries)

    def assert_flat(self, path, **params):
        # Warm: each test starts with an empty cache, so Wagtail reads its sites once.
        self.client.get(path)
        one = self.count_queries(path, limit=1, **params)
        self.assertEqual(self.count_queries(path, limit=MANY, **params), one)
        return one

    def test_pages(self):
        self.assertLessEqual(self.assert_flat("/api/v2/pages/"), 8)

    def test_testimonials(self):
        self.assertLessEqual(self.assert_flat("/api/v2/testimonials/"), 4)
