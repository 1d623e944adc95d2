from django.test import TestCase
from django.utils.http import urlencode

from articles.factories import TreatmentArticlePageFactory
from articles.tests.helpers import make_index
from consent.models import Consent, Identifier, MaterialConnection
from moderation.testing import publish_through_workflow
from stories.factories import SHOWN, ActiveConsentFactory
from stories.tests.utils import SiteTree, expire_today, live_story, live_testimonial
from taxonomy.factories import ConditionFactory, TreatmentFactory

STORY = "stories.PatientStoryPage"
ARTICLE = "articles.TreatmentArticlePage"


class APITestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        SiteTree.make_tree()
        cls.condition = ConditionFactory(name="Cervical dystonia", slug="cervical-dystonia")
        cls.treatment = TreatmentFactory(name="Physiotherapy")
        consent = ActiveConsentFactory(
            material_connection=MaterialConnection.FREE_CARE,
            identifiers=[*SHOWN, Identifier.TREATMENT],
        )
        cls.story = live_story(
            SiteTree.index,
            title="Turning my head again",
            summary="Injections eased the spasms in my neck.",
            first_name="Maria",
            last_name="Garcia",
            age=54,
            condition=cls.condition,
            treatment=cls.treatment,
            consent=consent,
        )
        cls.testimonial = live_testimonial(
            quote="The spasms eased within two weeks.",
            approved_text="The spasms eased within two weeks.",
            first_name="Ravi",
            last_name="Patel",
            age=61,
            condition=cls.condition,
        )
        cls.article = publish_through_workflow(
            TreatmentArticlePageFactory(
                parent=make_index(),
                title="Botulinum toxin for cervical dystonia",
                summary="How injections relax tight neck muscles.",
                conditions=[cls.condition],
            )
        )

    def get(self, path, **params):
        response = self.client.get(path + ("?" + urlencode(params) if params else ""))
        return response

    def titles(self, **params):
        response = self.get("/api/v2/pages/", **params)
        self.assertEqual(response.status_code, 200, response.content)
        return [item["title"] for item in response.json()["items"]]


class PagesEndpointTests(APITestCase):
    def test_lists_articles_and_visible_stories_only(self):
        self.assertCountEqual(
            self.titles(), ["Turning my head again", "Botulinum toxin for cervical dystonia"]
        )

    def test_no_other_page_types(self):
        self.assertEqual(self.titles(type="home.HomePage"), [])
        self.assertEqual(self.client.get(f"/api/v2/pages/{SiteTree.home.pk}/").status_code, 404)
        self.assertEqual(self.client.get(f"/api/v2/pages/{SiteTree.index.pk}/").status_code, 404)

    def test_story_fields_are_the_public_ones(self):
        response = self.get(f"/api/v2/pages/{self.story.pk}/")
        data = response.json()
        self.assertEqual(data["attribution"], "Maria G., 54")
        self.assertEqual(data["disclosure"], "Received treatment at no cost")
        self.assertEqual(data["notice"], "Individual experiences vary.")
        self.assertEqual(data["condition"], "Cervical dystonia")
        self.assertEqual(data["treatment"], "Physiotherapy")
        self.assertEqual(data["summary"], "Injections eased the spasms in my neck.")
        content = response.content.decode()
        for private in ("Garcia", "consent", "approved_text", self.story.consent.patient.email):
            self.assertNotIn(private, content)
        self.assertNotIn("parent", data["meta"])

    def test_article_fields(self):
        data = self.get(f"/api/v2/pages/{self.article.pk}/").json()
        self.assertEqual(data["conditions"], ["Cervical dystonia"])
        self.assertEqual(data["reviewer"], self.article.reviewer.name)
        self.assertEqual(data["last_reviewed"], self.article.last_reviewed.isoformat())

    def test_typed_listing_with_fields_and_filters(self):
        items = self.get(
            "/api/v2/pages/", type=STORY, fields="summary,attribution", condition=self.condition.pk
        ).json()["items"]
        self.assertEqual(len(items), 1)
        self.assertEqual(items[0]["attribution"], "Maria G., 54")

    def test_search(self):
        self.assertEqual(self.titles(search="spasms"), ["Turning my head again"])

    def test_unknown_and_private_fields_refused(self):
        for fields in ("consent", "approved_text", "last_name", "body"):
            response = self.get("/api/v2/pages/", type=STORY, fields=fields)
            self.assertEqual(response.status_code, 400, fields)
        self.assertEqual(self.get("/api/v2/pages/", consent=1).status_code, 400)

    def test_read_only(self):
        self.assertEqual(self.client.post("/api/v2/pages/", {}).status_code, 405)
        self.assertEqual(self.client.delete(f"/api/v2/pages/{self.story.pk}/").status_code, 405)

    def test_no_images_or_documents(self):
        self.assertEqual(self.client.get("/api/v2/images/").status_code, 404)
        self.assertEqual(self.client.get("/api/v2/documents/").status_code, 404)

    def test_not_kept_by_shared_caches(self):
        cache_control = self.client.get("/api/v2/pages/")["Cache-Control"]
        self.assertIn("private", cache_control)
        self.assertIn("no-cache", cache_control)

    def test_a_story_disappears_the_moment_its_consent_expires(self):
        expire_today(self.story.consent)
        self.assertEqual(self.titles(), ["Botulinum toxin for cervical dystonia"])
        self.assertEqual(self.titles(type=STORY), [])
        self.assertEqual(self.titles(search="spasms"), [])
        self.assertEqual(self.client.get(f"/api/v2/pages/{self.story.pk}/").status_code, 404)
        find = self.get("/api/v2/pages/find/", html_path=self.story.url)
        self.assertEqual(find.status_code, 404)

    def test_a_story_disappears_when_its_consent_is_withdrawn(self):
        with self.captureOnCommitCallbacks(execute=True):
            Consent.objects.get(pk=self.story.consent_id).withdraw("patient_link")
        self.assertEqual(self.titles(type=STORY), [])
        self.assertEqual(self.client.get(f"/api/v2/pages/{self.story.pk}/").status_code, 404)


class TestimonialsEndpointTests(APITestCase):
    def test_lists_visible_testimonials_with_public_fields(self):
        response = self.get("/api/v2/testimonials/")
        self.assertEqual(response.status_code, 200)
        [item] = response.json()["items"]
        self.assertEqual(item["quote"], "The spasms eased within two weeks.")
        self.assertEqual(item["attribution"], "Ravi P., 61")
        self.assertEqual(item["disclosure"], "")
        self.assertEqual(item["notice"], "Individual experiences vary.")
        self.assertEqual(item["condition"], "Cervical dystonia")
        self.assertIsNone(item["treatment"])
        self.assertNotIn("Patel", response.content.decode())

    def test_filter_by_condition(self):
        other = ConditionFactory()
        items = self.get("/api/v2/testimonials/", condition=other.pk).json()["items"]
        self.assertEqual(items, [])

    def test_detail_and_its_end(self):
        url = f"/api/v2/testimonials/{self.testimonial.pk}/"
        self.assertEqual(self.client.get(url).status_code, 200)
        expire_today(self.testimonial.consent)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.get("/api/v2/testimonials/").json()["items"], [])

    def test_withdrawn(self):
        with self.captureOnCommitCallbacks(execute=True):
            Consent.objects.get(pk=self.testimonial.consent_id).withdraw("patient_link")
        self.assertEqual(self.get("/api/v2/testimonials/").json()["meta"]["total_count"], 0)
        url = f"/api/v2/testimonials/{self.testimonial.pk}/"
        self.assertEqual(self.client.get(url).status_code, 404)
