"""What a page rendered afresh costs in queries, on the demo site `make bench` measures
(bench/run.py): the home page, the story listing, a story, an article and a condition
page. Each app's own tests check that its counts do not grow with the content; these
are what each costs today, within the issue's ceiling of 8, so that nothing creeps
back. Of each, the path's pages and the specific page are what every page pays
(core.pages); the site and the organisation's settings come from Django's cache once
read (core.sites)."""

from io import StringIO

from django.core.management import call_command
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext

from articles.models import ArticleIndexPage, TreatmentArticlePage
from stories.models import PatientStoryPage, StoryIndexPage

BUDGETS = {
    "home": 3,
    "listing": 4,
    "story": 3,  # its route, read as a story in one query under the kept index (core.pages)
    "article": 5,
    "condition": 2,
}


@override_settings(PAGE_CACHE_ENABLED=False)
class DemoPageBudgetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", stdout=StringIO())
        articles = ArticleIndexPage.objects.live().get()
        article = TreatmentArticlePage.objects.live().filter(conditions__isnull=False).first()
        cls.paths = {
            "home": "/",
            "listing": StoryIndexPage.objects.live().get().url,
            "story": PatientStoryPage.objects.visible().order_by("path").first().url,
            "article": article.url,
            "condition": articles.condition_url(article.conditions.first()),
        }

    def test_each_page_stays_within_its_budget(self):
        for name, path in self.paths.items():
            with self.subTest(page=name, path=path):
                self.client.get(path)  # warm: Wagtail's site root paths, the menu
                with CaptureQueriesContext(connection) as queries:
                    response = self.client.get(path)
                self.assertEqual(response.status_code, 200)
                self.assertLessEqual(len(queries), BUDGETS[name], path)
