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
class SearchQueryBudgetTests(TestCase):
    """One matching item of each kind, then thirty: the same number of queries."""

    @classmethod
    def setUpTestData(cls):
        SiteTree.make_tree()
        index = make_index()
        condition = ConditionFactory()
        treatment = TreatmentFactory(prescription=True)
        for word, count in (("whiplash", 1), ("dystonia", MANY)):
            for number in range(count):
                consent = ActiveConsentFactory(identifiers=[*SHOWN, Identifier.TREATMENT])
                live_story(
                    SiteTree.index,
                    summary=f"My {word} story, part {number}.",
                    treatment=treatment,
                    consent=consent,
                )
                live_testimonial(
                    quote=f"The {word} eased.", approved_text=f"The {word} eased.", consent=consent
                )
                publish_through_workflow(
                    TreatmentArticlePageFactory(
                        parent=index,
                        summary=f"About {word}.",
                        conditions=[condition],
                        treatments=[treatment],
                    )
                )

    def count_queries(self, query, page=1):
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get("/search/?" + urlencode({"q": query, "page": page}))
        self.assertEqual(response.status_code, 200)
        return len(queries), response

    def test_the_number_of_queries_does_not_grow_with_the_results(self):
        one, response = self.count_queries("whiplash")
        self.assertContains(response, "3 results")
        self.assertContains(response, "Important Safety Information", count=1)
        # Ten results a page: page 1 of the thirty of each kind holds articles, page 4
        # stories, page 7 testimonials. A page of one kind needs no more than a page
        # of all three (each kind costs a fixed number of queries, never one per item).
        for page in (1, 4, 7, 9):
            many, response = self.count_queries("dystonia", page)
            self.assertContains(response, f"{3 * MANY} results")
            self.assertLessEqual(many, one, f"page {page}")
        # 14 (a count and a slice per kind of result), and 3 for what every page reads
        # into the cold cache each test starts with: the sites (with their root paths),
        # the main menu and the footer's standard pages.
        self.assertLessEqual(one, 17)
