from django.test import TestCase
from django.utils.http import urlencode

from articles.factories import TreatmentArticlePageFactory
from articles.tests.helpers import make_index
from consent.models import Consent, MaterialConnection
from moderation.testing import publish_through_workflow
from stories.factories import ActiveConsentFactory
from stories.tests.utils import SiteTree, expire_today, live_story, live_testimonial
from taxonomy.factories import ConditionFactory


def search(client, query, page=None):
    params = {"q": query} if page is None else {"q": query, "page": page}
    return client.get("/search/?" + urlencode(params))


class SearchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        SiteTree.make_tree()
        cls.story = live_story(
            SiteTree.index,
            title="Turning my head again",
            summary="Injections eased the dystonia spasms in my neck.",
            first_name="Maria",
            last_name="Garcia",
            age=54,
            consent=ActiveConsentFactory(material_connection=MaterialConnection.FREE_CARE),
        )
        cls.testimonial = live_testimonial(
            quote="The dystonia spasms eased within two weeks.",
            approved_text="The dystonia spasms eased within two weeks.",
            first_name="Ravi",
            last_name="Patel",
            age=61,
        )
        cls.article = publish_through_workflow(
            TreatmentArticlePageFactory(
                parent=make_index(),
                title="Botulinum toxin for cervical dystonia",
                summary="How injections relax the neck muscles that dystonia tightens.",
                conditions=[ConditionFactory(name="Cervical dystonia")],
            )
        )

    def test_finds_articles_stories_and_testimonials_with_marked_words(self):
        response = search(self.client, "dystonia")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "3 results for “dystonia”")
        self.assertContains(response, self.story.url)
        self.assertContains(response, self.article.url)
        self.assertContains(
            response, "The <mark>dystonia</mark> spasms eased within two weeks.", html=True
        )
        self.assertContains(response, "Injections eased the <mark>dystonia</mark> spasms")

    def test_patient_content_carries_attribution_disclosure_and_notice(self):
        response = search(self.client, "spasms")
        self.assertContains(response, "Maria G., 54")
        self.assertContains(response, "Ravi P., 61")
        self.assertContains(response, "Received treatment at no cost.")
        self.assertContains(response, "Individual experiences vary.", count=2)

    def test_the_query_is_escaped(self):
        response = search(self.client, "<script>dystonia</script>")
        self.assertNotContains(response, "<script>dystonia")
        self.assertContains(response, "&lt;script&gt;dystonia&lt;/script&gt;")

    def test_a_labelled_search_form(self):
        response = self.client.get("/search/")
        self.assertContains(response, '<form role="search"')
        self.assertContains(response, '<label for="search-q">')
        self.assertContains(response, "Enter a word or two to search")
        self.assertContains(response, '<meta name="robots" content="noindex">')

    def test_no_results_said_plainly(self):
        response = search(self.client, "elephant")
        self.assertContains(response, "No results for “elephant”.")

    def test_not_cached_by_shared_caches(self):
        cache_control = search(self.client, "dystonia")["Cache-Control"]
        self.assertIn("private", cache_control)
        self.assertIn("no-cache", cache_control)

    def test_gone_the_moment_the_consent_expires(self):
        expire_today(self.story.consent)
        expire_today(self.testimonial.consent)
        response = search(self.client, "spasms")
        self.assertNotContains(response, "Turning my head again")
        self.assertNotContains(response, "within two weeks")
        self.assertContains(response, "No results for “spasms”.")

    def test_gone_the_moment_the_consent_is_withdrawn(self):
        with self.captureOnCommitCallbacks(execute=True):
            Consent.objects.get(pk=self.story.consent_id).withdraw("patient_link")
        response = search(self.client, "dystonia")
        self.assertNotContains(response, "Turning my head again")
        self.assertContains(response, "2 results")


class PaginationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        index = make_index()
        condition = ConditionFactory(name="Cervical dystonia")
        for number in range(12):
            publish_through_workflow(
                TreatmentArticlePageFactory(
                    parent=index,
                    title=f"Dystonia article {number}",
                    summary="About cervical dystonia.",
                    conditions=[condition],
                )
            )

    def test_pages_have_stable_urls(self):
        first = search(self.client, "dystonia")
        self.assertContains(first, "12 results for “dystonia”, page 1 of 2.")
        self.assertContains(first, 'href="?q=dystonia&amp;page=2" rel="next"')
        second = search(self.client, "dystonia", page=2)
        self.assertContains(second, "page 2 of 2")
        self.assertContains(second, 'href="?q=dystonia&amp;page=1" rel="prev"')
        self.assertContains(second, '<li class="search-result', count=2)

    def test_a_page_out_of_range_shows_the_last(self):
        self.assertContains(search(self.client, "dystonia", page=99), "page 2 of 2")
        self.assertContains(search(self.client, "dystonia", page="x"), "page 1 of 2")
