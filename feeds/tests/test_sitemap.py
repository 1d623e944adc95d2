from django.test import TestCase

from articles.factories import TreatmentArticlePageFactory
from articles.tests.helpers import make_index, set_jurisdiction
from consent.models import Consent
from core.models import Jurisdiction
from moderation.testing import publish_through_workflow
from stories.factories import PatientStoryPageFactory
from stories.tests.utils import SiteTree, expire_today, live_story
from taxonomy.factories import ConditionFactory, TreatmentFactory


class SitemapTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        SiteTree.make_tree()
        cls.story = live_story(SiteTree.index)
        cls.draft_story_slug = "draft-story"
        PatientStoryPageFactory(parent=SiteTree.index, slug=cls.draft_story_slug)
        cls.index = make_index()
        cls.condition = ConditionFactory(slug="cervical-dystonia")
        cls.treatment = TreatmentFactory(slug="physiotherapy")
        cls.medicine = TreatmentFactory(slug="relaxafen", prescription=True)
        cls.unused = ConditionFactory(slug="no-articles-yet")
        cls.article = publish_through_workflow(
            TreatmentArticlePageFactory(
                parent=cls.index,
                conditions=[cls.condition],
                treatments=[cls.treatment, cls.medicine],
            )
        )
        TreatmentArticlePageFactory(parent=cls.index, slug="draft-article")

    def sitemap(self):
        response = self.client.get("/sitemap.xml")
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_lists_live_articles_visible_stories_and_the_routes(self):
        sitemap = self.sitemap()
        self.assertIn(f"<loc>{self.article.full_url}</loc>", sitemap)
        self.assertIn(f"<loc>{self.story.full_url}</loc>", sitemap)
        base = self.index.full_url
        self.assertIn(f"<loc>{base}conditions/cervical-dystonia/</loc>", sitemap)
        self.assertIn(f"<loc>{base}treatments/physiotherapy/</loc>", sitemap)
        self.assertIn(f"<loc>{base}treatments/relaxafen/</loc>", sitemap)
        self.assertNotIn("no-articles-yet", sitemap)
        self.assertNotIn("draft-article", sitemap)
        self.assertNotIn(self.draft_story_slug, sitemap)

    def test_every_listed_route_is_served(self):
        base = self.index.url
        for path in ("conditions/cervical-dystonia/", "treatments/physiotherapy/"):
            self.assertEqual(self.client.get(base + path).status_code, 200)

    def test_no_prescription_medicine_page_under_uk_rules(self):
        set_jurisdiction(Jurisdiction.UK)
        sitemap = self.sitemap()
        self.assertNotIn("treatments/relaxafen/", sitemap)
        self.assertIn("treatments/physiotherapy/", sitemap)

    def test_a_story_leaves_the_moment_its_consent_expires(self):
        expire_today(self.story.consent)
        self.assertNotIn(self.story.full_url, self.sitemap())

    def test_a_story_leaves_when_its_consent_is_withdrawn(self):
        with self.captureOnCommitCallbacks(execute=True):
            Consent.objects.get(pk=self.story.consent_id).withdraw("patient_link")
        self.assertNotIn(self.story.full_url, self.sitemap())
