import datetime

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase, TestCase
from django.utils import timezone
from wagtail.models import PageLogEntry

from articles.factories import TreatmentArticlePageFactory, body
from articles.models import TreatmentArticlePage
from articles.rules import add_months
from articles.tests.helpers import default_site, make_index, set_jurisdiction
from core.factories import SuperuserFactory, UserFactory
from core.models import Jurisdiction
from core.roles import CLINICAL_REVIEWERS
from moderation.publishing import PUBLISH_REFUSED, PublishRefused
from moderation.testing import WorkflowNotApproved, publish_through_workflow
from taxonomy.factories import ConditionFactory, ReviewerFactory, TreatmentFactory
from taxonomy.models import Treatment
from taxonomy.rules import names_in_text, prescription_only_problems


def today():
    # Asked at each use: a module-level date goes stale when a run crosses midnight.
    return timezone.localdate()


class ReviewDateTests(SimpleTestCase):
    def test_add_months_clamps_to_the_end_of_the_month(self):
        self.assertEqual(add_months(datetime.date(2024, 2, 29), 12), datetime.date(2025, 2, 28))
        self.assertEqual(add_months(datetime.date(2025, 1, 31), 1), datetime.date(2025, 2, 28))
        self.assertEqual(add_months(datetime.date(2025, 11, 15), 2), datetime.date(2026, 1, 15))

    def test_next_review_defaults_to_twelve_months_after_the_last(self):
        page = TreatmentArticlePage(
            title="T", slug="t", summary="s", last_reviewed=datetime.date(2025, 3, 1)
        )
        page.clean()
        self.assertEqual(page.next_review_due, datetime.date(2026, 3, 1))

    def test_review_dates_must_be_in_order_and_not_in_the_future(self):
        page = TreatmentArticlePage(
            title="T",
            slug="t",
            last_reviewed=today() + datetime.timedelta(days=1),
            next_review_due=today(),
        )
        with self.assertRaises(ValidationError) as raised:
            page.clean()
        self.assertIn("last_reviewed", raised.exception.message_dict)
        self.assertIn("next_review_due", raised.exception.message_dict)

    def test_names_in_text_finds_names_and_brand_names_as_words(self):
        botox = Treatment(name="Botulinum toxin type A", brand_names="Botox, Vistabel")
        self.assertEqual(names_in_text([botox], "Ask about VISTABEL today."), [botox])
        self.assertEqual(names_in_text([botox], "Botoxology is not a word we use."), [])


class TaxonomyTests(TestCase):
    def test_a_prescription_only_treatment_needs_its_safety_information(self):
        treatment = Treatment(name="Toxin", how_it_works="<p>x</p>", prescription_only=True)
        with self.assertRaises(ValidationError) as raised:
            treatment.full_clean()
        self.assertIn("safety_information", raised.exception.message_dict)

    def test_slug_is_made_from_the_name(self):
        condition = ConditionFactory(name="Cervical dystonia", slug="")
        self.assertEqual(condition.slug, "cervical-dystonia")
        condition.symptoms = "Neck pain\n\n Head tilt "
        self.assertEqual(condition.symptom_list, ["Neck pain", "Head tilt"])


class PublishProblemTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.index = make_index()
        cls.condition = ConditionFactory()
        cls.medicine = TreatmentFactory(prescription=True, name="Botulinum toxin type A")
        cls.exercise = TreatmentFactory(name="Physiotherapy")

    def article(self, **kwargs):
        return TreatmentArticlePageFactory(
            parent=self.index, conditions=[self.condition], **kwargs
        )

    def test_a_reviewed_article_about_a_medicine_has_no_problems_in_the_us(self):
        self.assertEqual(self.article(treatments=[self.medicine]).publish_problems(), [])

    def test_an_overdue_review_is_a_problem(self):
        article = self.article(
            last_reviewed=today() - datetime.timedelta(days=400),
            next_review_due=today() - datetime.timedelta(days=1),
        )
        [problem] = article.publish_problems()
        self.assertIn("The clinical review was due on", problem)
        self.assertTrue(article.is_review_overdue)

    def test_missing_reviewer_and_dates_are_problems(self):
        article = self.article(reviewer=None, last_reviewed=None, next_review_due=None)
        problems = article.publish_problems()
        self.assertEqual(len(problems), 2)
        self.assertIn("Choose the clinical reviewer", problems[0])
        self.assertIn("last reviewed", problems[1])

    def test_uk_and_eu_sites_refuse_a_prescription_only_medicine_naming_the_rule(self):
        article = self.article(treatments=[self.medicine, self.exercise])
        for jurisdiction, rule in [
            (Jurisdiction.UK, "Human Medicines Regulations 2012, regulation 284"),
            (Jurisdiction.EU, "Directive 2001/83/EC, Article 88"),
        ]:
            with self.subTest(jurisdiction=jurisdiction):
                set_jurisdiction(jurisdiction)
                [problem] = article.publish_problems()
                self.assertIn("“Botulinum toxin type A” is a prescription-only medicine", problem)
                self.assertIn(rule, problem)

    def test_uk_sites_accept_articles_about_other_treatments(self):
        set_jurisdiction(Jurisdiction.UK)
        self.assertEqual(self.article(treatments=[self.exercise]).publish_problems(), [])

    def test_a_medicine_named_in_the_text_but_not_listed_is_a_problem(self):
        self.medicine.brand_names = "Botox"
        publish_through_workflow(self.medicine)
        text = body()
        text.append({"type": "paragraph", "value": "<p>Many patients choose Botox.</p>"})
        article = self.article(body=text)
        [problem] = article.publish_problems()
        self.assertIn("does not list it under Treatments", problem)
        set_jurisdiction(Jurisdiction.EU)
        [problem] = article.publish_problems()
        self.assertIn("Directive 2001/83/EC", problem)

    def test_the_rule_is_reusable_for_other_content(self):
        set_jurisdiction(Jurisdiction.UK)
        self.assertEqual(len(prescription_only_problems([self.medicine], default_site())), 1)
        self.assertEqual(prescription_only_problems([self.exercise], default_site()), [])

    def test_hero_image_needs_alt_text_or_the_decorative_tick(self):
        from wagtail_factories import ImageFactory

        article = self.article()
        article.hero_image = ImageFactory()
        with self.assertRaises(ValidationError) as raised:
            article.full_clean()
        self.assertIn("hero_image_alt", raised.exception.message_dict)
        article.hero_image_decorative = True
        article.full_clean()


class PublishingTests(TestCase):
    """Articles go live only through their workflow, and only when the rules hold."""

    @classmethod
    def setUpTestData(cls):
        cls.index = make_index()
        cls.condition = ConditionFactory()
        cls.medicine = TreatmentFactory(prescription=True)

    def article(self, **kwargs):
        return TreatmentArticlePageFactory(
            parent=self.index, conditions=[self.condition], treatments=[self.medicine], **kwargs
        )

    def test_a_reviewed_article_goes_live_through_its_workflow(self):
        article = publish_through_workflow(self.article())
        self.assertTrue(article.live)

    def test_an_overdue_article_cannot_be_published(self):
        article = self.article(
            last_reviewed=today() - datetime.timedelta(days=500),
            next_review_due=today() - datetime.timedelta(days=135),
        )
        with self.assertRaises(WorkflowNotApproved):
            publish_through_workflow(article)
        article.refresh_from_db()
        self.assertFalse(article.live)
        refusal = PageLogEntry.objects.get(page=article, action=PUBLISH_REFUSED)
        self.assertIn("The clinical review was due on", " ".join(refusal.data["reasons"]))

    def test_a_uk_site_refuses_to_publish_an_article_naming_a_prescription_medicine(self):
        set_jurisdiction(Jurisdiction.UK)
        article = self.article()
        with self.assertRaises(WorkflowNotApproved):
            publish_through_workflow(article)
        article.refresh_from_db()
        self.assertFalse(article.live)

    def test_even_a_superuser_cannot_publish_an_overdue_article_directly(self):
        article = self.article(
            last_reviewed=today() - datetime.timedelta(days=500),
            next_review_due=today() - datetime.timedelta(days=1),
        )
        admin = SuperuserFactory(username="root")
        with self.assertRaises(PublishRefused) as raised:
            article.save_revision(user=admin).publish(user=admin)
        self.assertIn("The clinical review was due on", " ".join(raised.exception.reasons))

    def test_a_clinical_reviewers_approval_re_reviews_an_overdue_article(self):
        clinician = UserFactory(username="clinician", roles=[CLINICAL_REVIEWERS])
        reviewer = ReviewerFactory(user=clinician)
        article = self.article(
            last_reviewed=today() - datetime.timedelta(days=500),
            next_review_due=today() - datetime.timedelta(days=135),
        )
        article = publish_through_workflow(article)
        self.assertTrue(article.live)
        self.assertEqual(article.reviewer, reviewer)
        self.assertEqual(article.last_reviewed, today())
        self.assertEqual(article.next_review_due, add_months(today(), 12))
        self.assertFalse(
            PageLogEntry.objects.filter(page=article, action=PUBLISH_REFUSED).exists()
        )
