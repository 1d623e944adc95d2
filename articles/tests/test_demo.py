from django.test import TestCase

from articles import demo
from articles.models import TreatmentArticlePage
from home import demo as home_demo
from moderation import demo as moderation_demo
from taxonomy.models import Condition, Reviewer, Treatment


class DemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        moderation_demo.load()
        home_demo.load()
        cls.lines = demo.load()

    def test_two_reviewed_articles_go_live_with_the_safety_information(self):
        articles = TreatmentArticlePage.objects.live()
        self.assertEqual(articles.count(), 2)
        for article in articles:
            with self.subTest(article=article.title):
                self.assertFalse(article.publish_problems())
                response = self.client.get(article.url)
                self.assertContains(response, "Important Safety Information: Botulinum toxin")
                self.assertContains(response, "can be life threatening")
                self.assertContains(response, "Reviewed by Rosa Reyes, MD")

    def test_articles_are_reachable_from_home_condition_and_treatment_pages(self):
        home = self.client.get("/")
        self.assertContains(home, 'href="/articles/"')
        for url in [
            "/articles/",
            "/articles/conditions/cervical-dystonia/",
            "/articles/treatments/botulinum-toxin-type-a/",
        ]:
            with self.subTest(url=url):
                response = self.client.get(url)
                for article in TreatmentArticlePage.objects.live():
                    self.assertContains(response, article.url)

    def test_the_guide_names_the_injection_sites(self):
        article = TreatmentArticlePage.objects.get(slug="botox-for-cervical-dystonia")
        response = self.client.get(article.url)
        muscles = ["Sternocleidomastoid", "Scalenes", "Levator scapulae", "Splenius capitis"]
        for number, muscle in enumerate(muscles, start=1):
            # Numbered as in the diagram above the list, and described in its words.
            self.assertContains(
                response,
                f'<h3><span class="injection-site__number" aria-hidden="true">{number}</span>'
                f"{muscle}</h3>",
                html=True,
            )
            self.assertContains(response, f"{number}: {muscle}, seen from the")

    def test_a_second_run_changes_nothing(self):
        before = [
            list(model.objects.order_by("pk").values_list("pk", flat=True))
            for model in (Condition, Treatment, Reviewer, TreatmentArticlePage)
        ]
        revisions = [a.latest_revision_id for a in TreatmentArticlePage.objects.order_by("pk")]
        demo.load()
        after = [
            list(model.objects.order_by("pk").values_list("pk", flat=True))
            for model in (Condition, Treatment, Reviewer, TreatmentArticlePage)
        ]
        self.assertEqual(before, after)
        self.assertEqual(
            revisions, [a.latest_revision_id for a in TreatmentArticlePage.objects.order_by("pk")]
        )
