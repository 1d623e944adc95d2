"""The default workflow, driven as reviewers drive it: through the admin's workflow
action URLs, with Wagtail's email notifications going to the right people."""

from django.core import mail
from django.test import TestCase
from django.urls import reverse
from wagtail.models import ModelLogEntry, TaskState, WorkflowState

from consent.models import Consent
from core import roles
from core.factories import UserFactory
from moderation.models import ConsentCheckTask
from moderation.publishing import PUBLISH_REFUSED
from moderation.services import submit_for_moderation
from moderation.testing import pass_patient_sign_off, sign_off
from moderation.tests.utils import RoleUsers
from stories.factories import TestimonialFactory
from stories.models import Testimonial
from stories.tests.utils import expire_today


class WorkflowTests(RoleUsers, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.make_users()
        # Writes content and also sits in the compliance group: four eyes must stop them.
        cls.writer_approver = UserFactory(username="wanda", roles=[roles.EDITORS])
        cls.writer_approver.groups.add(*cls.approver.groups.all())

    def action_url(self, testimonial, state, action="approve"):
        return reverse(
            "wagtailsnippets_stories_testimonial:workflow_action",
            args=[testimonial.pk, action, state.current_task_state.pk],
        )

    def approve_as(self, user, testimonial, state):
        self.client.force_login(user)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(self.action_url(testimonial, state), sign_off(user))
        state.refresh_from_db()
        return response

    def test_consent_check_then_clinical_then_four_eyes_compliance(self):
        testimonial = TestimonialFactory()
        with self.captureOnCommitCallbacks(execute=True):
            state = submit_for_moderation(testimonial, self.writer_approver)
        consent_check = TaskState.objects.get(
            workflow_state=state, task__in=ConsentCheckTask.objects.all()
        )
        self.assertEqual(consent_check.status, TaskState.STATUS_APPROVED)
        self.assertEqual(state.current_task_state.task.name, "Patient sign-off")
        with self.captureOnCommitCallbacks(execute=True):
            pass_patient_sign_off(state)
        self.assertEqual(state.current_task_state.task.name, "Clinical review")
        self.assertIn(self.reviewer.email, [m.to[0] for m in mail.outbox])

        self.assertEqual(self.approve_as(self.reviewer, testimonial, state).status_code, 302)
        self.assertEqual(state.current_task_state.task.name, "Compliance approval")

        # The writer is a compliance approver too, but can't approve their own submission.
        self.client.force_login(self.writer_approver)
        self.client.post(self.action_url(testimonial, state), sign_off(self.writer_approver))
        state.refresh_from_db()
        self.assertEqual(state.current_task_state.status, TaskState.STATUS_IN_PROGRESS)
        edit = self.client.get(
            reverse("wagtailsnippets_stories_testimonial:edit", args=[testimonial.pk])
        )
        self.assertContains(edit, "another member of the group must (four eyes)")
        self.assertFalse(Testimonial.objects.get(pk=testimonial.pk).live)

        mail.outbox.clear()
        self.approve_as(self.approver, testimonial, state)
        self.assertEqual(state.status, WorkflowState.STATUS_APPROVED)
        self.assertTrue(Testimonial.objects.get(pk=testimonial.pk).live)
        approved_mail = [m for m in mail.outbox if self.writer_approver.email in m.to]
        self.assertTrue(approved_mail, "the submitter hears that it was approved")
        self.assertIn("/admin/", approved_mail[0].body)

    def test_reviewers_see_what_awaits_them_on_the_dashboard(self):
        testimonial = TestimonialFactory(title="Awaiting clinical eyes")
        pass_patient_sign_off(submit_for_moderation(testimonial, self.editor))
        self.client.force_login(self.reviewer)
        self.assertContains(
            self.client.get(reverse("wagtailadmin_home")), "Awaiting clinical eyes"
        )
        self.client.force_login(self.approver)
        self.assertNotContains(
            self.client.get(reverse("wagtailadmin_home")), "Awaiting clinical eyes"
        )

    def test_the_automatic_check_sends_back_unverified_consent_with_reasons(self):
        testimonial = TestimonialFactory(consent__verified_at=None)
        with self.captureOnCommitCallbacks(execute=True):
            state = submit_for_moderation(testimonial, self.editor)
        state.refresh_from_db()
        self.assertEqual(state.status, WorkflowState.STATUS_NEEDS_CHANGES)
        self.assertIn("pending verification", state.current_task_state.comment)
        reasons_mail = [m for m in mail.outbox if "automatic consent check" in m.subject]
        self.assertEqual(len(reasons_mail), 1)
        self.assertEqual(reasons_mail[0].to, [self.editor.email])
        self.assertIn("pending verification", reasons_mail[0].body)

    def test_the_automatic_check_names_identifiers_the_consent_does_not_cover(self):
        testimonial = TestimonialFactory(town="Leeds")
        state = submit_for_moderation(testimonial, self.editor)
        state.refresh_from_db()
        self.assertEqual(state.status, WorkflowState.STATUS_NEEDS_CHANGES)
        self.assertIn("does not cover: Town", state.current_task_state.comment)

    def test_consent_withdrawn_during_review_cancels_the_review(self):
        testimonial = TestimonialFactory()
        state = submit_for_moderation(testimonial, self.editor)
        consent = Consent.objects.get(pk=testimonial.consent_id)
        consent.withdraw(channel=Consent.WithdrawalChannel.PHONE, user=self.superuser)
        state.refresh_from_db()
        self.assertEqual(state.status, WorkflowState.STATUS_CANCELLED)

    def test_consent_expiring_during_review_is_refused_at_the_last_approval(self):
        testimonial = TestimonialFactory()
        state = pass_patient_sign_off(submit_for_moderation(testimonial, self.editor))
        self.approve_as(self.reviewer, testimonial, state)
        expire_today(testimonial.consent)  # no job has run: the gate sees the date itself

        mail.outbox.clear()
        self.approve_as(self.approver, testimonial, state)
        self.assertEqual(state.status, WorkflowState.STATUS_NEEDS_CHANGES)
        self.assertFalse(Testimonial.objects.get(pk=testimonial.pk).live)
        entry = ModelLogEntry.objects.get(object_id=str(testimonial.pk), action=PUBLISH_REFUSED)
        self.assertIn("expired", " ".join(entry.data["reasons"]))
        self.assertTrue(
            any("could not be published" in m.subject for m in mail.outbox),
            "the submitter is told why it did not go live",
        )
