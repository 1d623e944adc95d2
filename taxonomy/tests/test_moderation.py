"""Conditions, treatments and reviewers show public text, so they go live like pages:
only through the "Site content" workflow with a second person's approval. A draft is
not offered to visitors, and no page goes live naming one."""

from django.test import TestCase
from django.urls import reverse

from articles.factories import TreatmentArticlePageFactory
from consent.factories import ConsentTextFactory
from moderation.publishing import PublishRefused
from moderation.testing import WorkflowNotApproved, publish_through_workflow
from moderation.tests.utils import RoleUsers
from stories.factories import PatientStoryPageFactory
from stories.tests.utils import SiteTree
from taxonomy.factories import ConditionFactory, ReviewerFactory, TreatmentFactory
from taxonomy.models import Condition, Treatment


class TaxonomyModerationTests(SiteTree, RoleUsers, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.make_tree()
        cls.make_users()

    def test_each_kind_follows_the_site_content_workflow(self):
        for factory in (ConditionFactory, TreatmentFactory, ReviewerFactory):
            with self.subTest(model=factory._meta.model.__name__):
                draft = factory(live=False)
                self.assertEqual(draft.get_workflow().name, "Site content")
                draft.live = True
                with self.assertRaises(PublishRefused):
                    draft.save()  # straight live from a shell
                self.assertFalse(type(draft).objects.get(pk=draft.pk).live)
                self.assertTrue(publish_through_workflow(draft).live)

    def test_a_live_conditions_words_change_only_by_an_approved_version(self):
        condition = ConditionFactory(summary="Approved summary.")
        condition.summary = "Claims nobody checked."
        with self.assertRaises(PublishRefused):
            condition.save()
        self.assertEqual(Condition.objects.get(pk=condition.pk).summary, "Approved summary.")
        condition.save_revision(user=self.editor)  # a draft beside the live version
        self.assertEqual(Condition.objects.get(pk=condition.pk).summary, "Approved summary.")
        publish_through_workflow(condition, submitter=self.editor)
        self.assertEqual(Condition.objects.get(pk=condition.pk).summary, "Claims nobody checked.")

    def test_the_admin_offers_no_direct_publish_and_refuses_one(self):
        condition = ConditionFactory(live=False, name="Writer's cramp")
        self.client.force_login(self.superuser)
        url = reverse("wagtailsnippets_taxonomy_condition:edit", args=[condition.pk])
        self.assertNotContains(self.client.get(url), 'name="action-publish"')
        response = self.client.post(
            url,
            {
                "name": "Writer's cramp",
                "slug": "writers-cramp",
                "summary": "x",
                "action-publish": "1",
            },
            follow=True,
        )
        self.assertContains(response, "goes live only through its moderation workflow")
        self.assertFalse(Condition.objects.get(pk=condition.pk).live)

    def test_no_page_goes_live_naming_a_draft(self):
        draft_condition = ConditionFactory(live=False, name="Draft condition")
        draft_treatment = TreatmentFactory(live=False, name="Draft treatment")
        story = PatientStoryPageFactory(
            parent=self.index, condition=draft_condition, treatment=draft_treatment
        )
        with self.assertRaisesMessage(WorkflowNotApproved, "has not been approved for the site"):
            publish_through_workflow(story)
        self.assertFalse(story.__class__.objects.get(pk=story.pk).live)
        article = TreatmentArticlePageFactory(
            parent=self.home, conditions=[draft_condition], reviewer=ReviewerFactory(live=False)
        )
        problems = article.publish_problems()
        self.assertEqual(len([p for p in problems if "not been approved" in p]), 2)

    def test_visitors_are_not_offered_a_draft(self):
        ConditionFactory(live=False, name="Secret condition", slug="secret")
        TreatmentFactory(live=False, name="Secret treatment", slug="secret-treatment")
        ConsentTextFactory()  # the share form needs the consent text patients sign
        share = self.client.get(reverse("submissions:share"))
        self.assertEqual(share.status_code, 200)
        self.assertNotContains(share, "Secret condition")
        self.assertNotContains(share, "Secret treatment")
        self.assertTrue(Treatment.objects.filter(slug="secret-treatment").exists())
