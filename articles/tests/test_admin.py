import datetime

from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import rich_text

from articles.factories import TreatmentArticlePageFactory
from articles.models import ArticleIndexPage, TreatmentArticlePage
from articles.tests.helpers import make_index
from core.factories import SuperuserFactory
from home.models import HomePage
from taxonomy.factories import ConditionFactory
from taxonomy.models import Condition, Reviewer, Treatment


def today():
    # Asked at each use: a module-level date goes stale when a run crosses midnight.
    return timezone.localdate()


class AdminTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.index = make_index()
        condition = ConditionFactory()
        cls.overdue = TreatmentArticlePageFactory(
            parent=cls.index,
            title="Overdue article",
            conditions=[condition],
            last_reviewed=today() - datetime.timedelta(days=400),
            next_review_due=today() - datetime.timedelta(days=35),
        )
        cls.undated = TreatmentArticlePageFactory(
            parent=cls.index,
            title="Undated article",
            conditions=[condition],
            last_reviewed=None,
            next_review_due=None,
        )
        cls.current = TreatmentArticlePageFactory(
            parent=cls.index, title="Current article", conditions=[condition]
        )
        cls.admin = SuperuserFactory(username="admin")

    def setUp(self):
        self.client.force_login(self.admin)

    def test_page_tree_rules(self):
        self.assertAllowedParentPageTypes(ArticleIndexPage, {HomePage})
        self.assertAllowedParentPageTypes(TreatmentArticlePage, {ArticleIndexPage})
        self.assertAllowedSubpageTypes(TreatmentArticlePage, set())

    def test_overdue_report_lists_overdue_and_undated_articles_only(self):
        response = self.client.get(reverse("articles_overdue_reviews"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Overdue article")
        self.assertContains(response, "Undated article")
        self.assertNotContains(response, "Current article")

    def test_dashboard_flags_overdue_articles(self):
        response = self.client.get(reverse("wagtailadmin_home"))
        self.assertContains(response, "Articles due for clinical review")
        self.assertContains(response, "Overdue article")
        self.assertContains(response, "2 articles cannot be published")
        self.assertNotContains(response, "Current article")

    def test_reports_menu_links_to_the_overdue_report(self):
        response = self.client.get(reverse("wagtailadmin_reports:aging_pages"))
        self.assertContains(response, reverse("articles_overdue_reviews"))

    def test_taxonomy_and_reviewers_are_snippets_with_admin_listings(self):
        for model in (Condition, Treatment, Reviewer):
            with self.subTest(model=model.__name__):
                url = reverse(f"wagtailsnippets_taxonomy_{model._meta.model_name}:list")
                self.assertEqual(self.client.get(url).status_code, 200)

    def test_admin_refuses_a_prescription_treatment_without_safety_information(self):
        url = reverse("wagtailsnippets_taxonomy_treatment:add")
        response = self.client.post(
            url,
            {
                "name": "Toxin",
                "slug": "",
                "brand_names": "",
                "how_it_works": rich_text("<p>Relaxes muscles.</p>"),
                "prescription_only": "on",
                "safety_information": rich_text(""),
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "needs its Important Safety Information")
        self.assertFalse(Treatment.objects.filter(name="Toxin").exists())

    def test_editor_can_open_the_article_edit_form(self):
        response = self.client.get(reverse("wagtailadmin_pages:edit", args=[self.current.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Clinical review")
