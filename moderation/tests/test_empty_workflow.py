"""A workflow an administrator emptied approves nothing: submitting says so in the admin
(never a 5xx), the code path refuses, and a run that somehow starts on it publishes
nothing and tells the editor why."""

from django.contrib.messages import get_messages
from django.test import TestCase
from django.urls import reverse
from wagtail.models import ModelLogEntry, PageLogEntry, WorkflowState

from moderation.publishing import PUBLISH_REFUSED
from moderation.services import WorkflowMisconfigured, submit_for_moderation
from moderation.tests.test_sent_back import form_values
from moderation.tests.utils import RoleUsers
from stories.factories import PatientStoryPageFactory, TestimonialFactory
from stories.models import PatientStoryPage, Testimonial
from stories.tests.utils import SiteTree


def empty(workflow):
    workflow.tasks.update(active=False)
    return workflow


class EmptyWorkflowTests(SiteTree, RoleUsers, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.make_tree()
        cls.make_users()

    def submit_in_admin(self, url):
        self.client.force_login(self.editor)
        data = form_values(self.client.get(url))
        data["action-submit"] = ["Submit"]
        response = self.client.post(url, data)
        follow = self.client.get(response.url)
        return response, [str(m.message) for m in get_messages(follow.wsgi_request)]

    def test_submitting_a_testimonial_says_the_workflow_has_no_steps(self):
        testimonial = TestimonialFactory(title="Emptied workflow quote")
        workflow = empty(Testimonial.get_default_workflow())
        url = reverse("wagtailsnippets_stories_testimonial:edit", args=[testimonial.pk])
        response, texts = self.submit_in_admin(url)
        self.assertEqual(response.status_code, 302)
        self.assertIn(f"Not submitted: The workflow \u201c{workflow.name}\u201d has", texts[0])
        self.assertFalse(WorkflowState.objects.filter(object_id=str(testimonial.pk)).exists())
        testimonial.refresh_from_db()
        self.assertFalse(testimonial.live)

    def test_submitting_a_story_says_the_workflow_has_no_steps(self):
        story = PatientStoryPageFactory(parent=self.index, title="Emptied workflow story")
        empty(PatientStoryPage.get_default_workflow())
        url = reverse("wagtailadmin_pages:edit", args=[story.pk])
        response, texts = self.submit_in_admin(url)
        self.assertEqual(response.status_code, 302)
        self.assertTrue([t for t in texts if "has no active tasks" in t], texts)
        self.assertFalse(story.workflow_states.exists())
        self.assertFalse(PatientStoryPage.objects.get(pk=story.pk).live)

    def test_code_submitting_to_an_empty_workflow_is_refused_with_the_reason(self):
        testimonial = TestimonialFactory()
        empty(Testimonial.get_default_workflow())
        with self.assertRaisesMessage(WorkflowMisconfigured, "has no active tasks"):
            submit_for_moderation(testimonial, self.editor)
        testimonial.refresh_from_db()
        self.assertFalse(testimonial.live)

    def test_a_run_started_on_an_empty_workflow_publishes_nothing(self):
        story = PatientStoryPageFactory(parent=self.index, title="Started anyway")
        story.save_revision(user=self.editor)
        workflow = empty(PatientStoryPage.get_default_workflow())
        state = workflow.start(story, self.editor)
        state.refresh_from_db()
        self.assertEqual(state.status, WorkflowState.STATUS_NEEDS_CHANGES)
        self.assertFalse(PatientStoryPage.objects.get(pk=story.pk).live)
        refusal = PageLogEntry.objects.get(page=story, action=PUBLISH_REFUSED)
        self.assertIn("nobody approved this", refusal.data["reasons"][0])
        self.assertFalse(ModelLogEntry.objects.filter(action="wagtail.publish").exists())
