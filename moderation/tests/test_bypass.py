"""No one, superusers included, makes moderated content live except through an approved
workflow. One test per path; each refusal leaves the content unpublished and is logged."""

import datetime
from io import StringIO

from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from wagtail.models import (
    GroupApprovalTask,
    ModelLogEntry,
    PageLogEntry,
    Workflow,
    WorkflowContentType,
    WorkflowState,
    WorkflowTask,
)

from moderation.publishing import PUBLISH_REFUSED, PublishRefused
from moderation.services import submit_for_moderation
from moderation.testing import publish_through_workflow
from moderation.tests.utils import RoleUsers
from moderation.wagtail_hooks import DIRECT_PUBLISH_REFUSED
from stories.factories import PatientStoryPageFactory, TestimonialFactory
from stories.models import PatientStoryPage, Testimonial
from stories.tests.utils import SiteTree


class BypassTests(SiteTree, RoleUsers, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.make_tree()
        cls.make_users()

    def setUp(self):
        self.testimonial = TestimonialFactory()
        self.story = PatientStoryPageFactory(parent=self.index)
        self.client.force_login(self.superuser)

    def assert_refusal_logged(self, obj):
        if isinstance(obj, PatientStoryPage):
            entries = PageLogEntry.objects.filter(page_id=obj.pk)
        else:
            entries = ModelLogEntry.objects.filter(object_id=str(obj.pk))
        self.assertTrue(
            entries.filter(action=PUBLISH_REFUSED).exists(),
            "the refused publish is in the audit log",
        )

    def assert_not_live(self, obj):
        self.assertFalse(type(obj).objects.get(pk=obj.pk).live)

    def test_the_publish_button_is_hidden_even_for_superusers(self):
        for url in (
            reverse("wagtailadmin_pages:edit", args=[self.story.pk]),
            reverse("wagtailsnippets_stories_testimonial:edit", args=[self.testimonial.pk]),
        ):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assertNotContains(response, 'name="action-publish"')
                self.assertContains(response, 'name="action-submit"')

    def test_admin_publish_of_a_page_is_refused_with_a_message(self):
        url = reverse("wagtailadmin_pages:edit", args=[self.story.pk])
        response = self.client.post(url, {"action-publish": "1"}, follow=True)
        self.assertContains(response, "goes live only through its moderation workflow")
        self.assert_not_live(self.story)
        self.assert_refusal_logged(self.story)

    def test_admin_publish_of_a_snippet_is_refused_with_a_message(self):
        url = reverse("wagtailsnippets_stories_testimonial:edit", args=[self.testimonial.pk])
        response = self.client.post(url, {"action-publish": "1"}, follow=True)
        self.assertContains(response, "goes live only through its moderation workflow")
        self.assert_not_live(self.testimonial)
        self.assert_refusal_logged(self.testimonial)

    def test_create_and_publish_in_one_step_is_refused(self):
        url = reverse(
            "wagtailadmin_pages:add", args=["stories", "patientstorypage", self.index.pk]
        )
        before = PatientStoryPage.objects.count()
        response = self.client.post(url, {"action-publish": "1", "title": "Direct"}, follow=True)
        self.assertContains(response, "goes live only through its moderation workflow")
        self.assertEqual(PatientStoryPage.objects.count(), before)

    def test_bulk_publish_is_refused(self):
        self.story.save_revision(user=self.superuser)
        url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
        response = self.client.post(f"{url}?id={self.story.pk}", follow=True)
        self.assertContains(response, DIRECT_PUBLISH_REFUSED.split(".")[0])
        self.assert_not_live(self.story)
        self.assert_refusal_logged(self.story)

    def test_revision_publish_from_code_is_refused_with_the_reason(self):
        for obj in (self.story, self.testimonial):
            with self.subTest(model=type(obj).__name__):
                revision = obj.save_revision(user=self.superuser)
                with self.assertRaises(PublishRefused) as refused:
                    revision.publish(user=self.superuser)
                self.assertIn(
                    "not been approved through its moderation workflow", str(refused.exception)
                )
                self.assert_not_live(obj)
                self.assert_refusal_logged(obj)

    def test_saving_a_live_object_from_the_shell_is_refused(self):
        for obj in (self.story, self.testimonial):
            with self.subTest(model=type(obj).__name__):
                obj.live = True
                with self.assertRaises(PublishRefused):
                    obj.save()
                self.assert_not_live(obj)

    def test_a_scheduled_go_live_that_was_never_approved_is_refused_and_dropped(self):
        revision = self.story.save_revision(user=self.superuser)
        revision.approved_go_live_at = timezone.now() - datetime.timedelta(minutes=1)
        revision.save()
        out = StringIO()
        call_command("publish_scheduled", stdout=out)  # reports it and carries on
        self.assertIn("Not published: " + self.story.title, out.getvalue())
        self.assert_not_live(self.story)
        self.assert_refusal_logged(self.story)
        revision.refresh_from_db()
        self.assertIsNone(revision.approved_go_live_at, "not retried every minute")
        call_command("publish_scheduled", verbosity=0)  # the next round runs cleanly

    def test_an_approved_scheduled_go_live_publishes_when_due(self):
        self.testimonial.go_live_at = timezone.now() + datetime.timedelta(hours=1)
        self.testimonial.save()
        publish_through_workflow(self.testimonial)
        self.assert_not_live(self.testimonial)
        # The hour passes: move every recorded time back instead of waiting.
        due = timezone.now() - datetime.timedelta(seconds=1)
        Testimonial.objects.filter(pk=self.testimonial.pk).update(go_live_at=due)
        revision = self.testimonial.revisions.get(approved_go_live_at__isnull=False)
        revision.content["go_live_at"] = due.isoformat()
        revision.approved_go_live_at = due
        revision.save()
        call_command("publish_scheduled", verbosity=0)
        self.assertTrue(Testimonial.objects.get(pk=self.testimonial.pk).live)

    def test_a_workflow_approved_only_by_its_submitter_does_not_publish(self):
        # An administrator may reshape workflows; four eyes holds whatever the tasks are.
        lax = Workflow.objects.create(name="One step")
        task = GroupApprovalTask.objects.create(name="Anyone")
        WorkflowTask.objects.create(workflow=lax, task=task, sort_order=0)
        WorkflowContentType.objects.filter(content_type__model="testimonial").update(workflow=lax)
        state = submit_for_moderation(self.testimonial, self.superuser)
        task.on_action(state.current_task_state, self.superuser, "approve")
        state.refresh_from_db()
        self.assertEqual(state.status, WorkflowState.STATUS_NEEDS_CHANGES)
        self.assert_not_live(self.testimonial)
        entry = ModelLogEntry.objects.get(
            object_id=str(self.testimonial.pk), action=PUBLISH_REFUSED
        )
        self.assertIn("a second person must approve it", " ".join(entry.data["reasons"]))

    def test_unpublishing_is_always_allowed(self):
        live = publish_through_workflow(TestimonialFactory())
        live.unpublish(user=self.approver)
        self.assert_not_live(live)
        story = publish_through_workflow(PatientStoryPageFactory(parent=self.index))
        self.client.force_login(self.approver)
        response = self.client.post(reverse("wagtailadmin_pages:unpublish", args=[story.pk]))
        self.assertEqual(response.status_code, 302)
        self.assert_not_live(story)


class CreateMenuTests(SiteTree, RoleUsers, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.make_tree()
        cls.make_users()

    def test_a_new_story_offers_its_own_workflow_not_the_parents(self):
        self.client.force_login(self.editor)
        url = reverse(
            "wagtailadmin_pages:add", args=["stories", "patientstorypage", self.index.pk]
        )
        response = self.client.get(url)
        self.assertContains(response, "Submit to Patient content")
        self.assertNotContains(response, "Submit to Site pages approval")
        self.assertNotContains(response, 'name="action-publish"')
