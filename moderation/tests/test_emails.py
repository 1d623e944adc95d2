"""Workflow emails are clean plain text and link to the item itself."""

from django.core import mail
from django.test import TestCase
from django.urls import reverse

from core import roles
from core.factories import UserFactory
from moderation.services import submit_for_moderation
from moderation.testing import pass_patient_sign_off
from stories.factories import TestimonialFactory


class WorkflowEmailTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = UserFactory(
            username="edna", roles=[roles.EDITORS], first_name="Siobhán", last_name="O'Neil"
        )
        cls.reviewer = UserFactory(
            username="rhea", roles=[roles.CLINICAL_REVIEWERS], first_name="Dr D'Arcy"
        )

    def test_the_automatic_check_email_links_to_the_item_without_html_entities(self):
        testimonial = TestimonialFactory(title="Maria's first month", consent__verified_at=None)
        with self.captureOnCommitCallbacks(execute=True):
            submit_for_moderation(testimonial, self.editor)
        (message,) = [m for m in mail.outbox if "automatic consent check" in m.subject]
        edit_url = reverse("wagtailsnippets_stories_testimonial:edit", args=[testimonial.pk])
        self.assertIn(f"http://testserver{edit_url}", message.body)
        self.assertIn('"Maria\'s first month"', message.body)
        self.assertNotIn("&#", message.body + message.subject)
        self.assertNotIn("/admin/\n", message.body)  # not the dashboard

    def test_wagtail_notifications_are_plain_text(self):
        testimonial = TestimonialFactory(title="Maria's first month")
        with self.captureOnCommitCallbacks(execute=True):
            pass_patient_sign_off(submit_for_moderation(testimonial, self.editor))
        to_reviewer = [m for m in mail.outbox if self.reviewer.email in m.to]
        self.assertTrue(to_reviewer, [m.subject for m in mail.outbox])
        for message in to_reviewer:
            self.assertNotIn("&#", message.body + message.subject)
            self.assertIn("Maria's first month", message.body)
            self.assertIn("Hello Dr D'Arcy,", message.body)
            # Reviewers review from the workflow preview of this very item.
            task = testimonial.current_workflow_task
            preview_url = reverse(
                "wagtailsnippets_stories_testimonial:workflow_preview",
                args=[testimonial.pk, task.pk],
            )
            self.assertIn(f"http://testserver{preview_url}\n", message.body + "\n")
