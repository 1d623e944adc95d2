"""The patient's sign-off, from the email to the evidence, against PostgreSQL: the link,
what it shows, the answers, and that nobody else can give it."""

import hashlib
import re
import time
from datetime import timedelta

from django.core import mail, signing
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client, TestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from wagtail.models import TaskState, WorkflowState

from consent.models import Consent, Identifier
from consent.tokens import consent_id_from_token, make_withdrawal_token
from moderation.publishing import PublishRefused
from moderation.services import submit_for_moderation
from moderation.testing import approve_current_task, pass_patient_sign_off, sign_off
from moderation.tests.utils import RoleUsers
from signoff.models import PatientApproval, PatientSignOffTask, SignOffRequest
from signoff.services import remind_and_expire
from signoff.tests.utils import QUOTE, draft_testimonial_with_photo, links_sent_to
from signoff.views import ANSWERS_PER_WINDOW
from stories.factories import (
    SHOWN,
    ActiveConsentFactory,
    PatientPhotoFactory,
    PatientStoryPageFactory,
    story_body,
)
from stories.models import PatientStoryPage, Testimonial
from stories.tests.utils import SiteTree

PATIENT = "rosa@example.org"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36"


class SignOffTestCase(RoleUsers, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.make_users()

    def setUp(self):
        self.testimonial = draft_testimonial_with_photo()
        with self.captureOnCommitCallbacks(execute=True):
            self.state = submit_for_moderation(self.testimonial, self.editor)
        self.state.refresh_from_db()
        [self.link] = links_sent_to(PATIENT)
        self.patient = Client(enforce_csrf_checks=True, headers={"user-agent": BROWSER})

    def request(self):
        return SignOffRequest.objects.get(task_state=self.state.current_task_state)

    def open_link(self, link=None):
        return self.patient.get(link or self.link)

    def answer(self, data, link=None):
        page = self.open_link(link)
        data = {"csrfmiddlewaretoken": page.context["csrf_token"], **data}
        if data.get("decision") == "approve":
            data.setdefault("content_sha256", page.context["content_sha256"])
        with self.captureOnCommitCallbacks(execute=True):
            response = self.patient.post(link or self.link, data, REMOTE_ADDR="203.0.113.7")
        self.state.refresh_from_db()
        return response

    def approve(self, link=None):
        return self.answer({"decision": "approve", "confirm": "on"}, link)


class RequestTests(SignOffTestCase):
    def test_the_run_waits_for_the_patient_after_the_consent_check(self):
        self.assertEqual(self.state.status, WorkflowState.STATUS_IN_PROGRESS)
        self.assertEqual(self.state.current_task_state.task.name, "Patient sign-off")
        # No text had been approved: the consent check left that to the patient.
        check = self.state.task_states.get(task__name="Automatic consent check")
        self.assertEqual(check.status, TaskState.STATUS_APPROVED)

    def test_the_patient_is_emailed_a_link_and_nothing_else_of_theirs(self):
        [email] = [m for m in mail.outbox if PATIENT in m.to]
        self.assertIn("Please check your testimonial", email.subject)
        self.assertIn("you will not need to log in", email.body)
        self.assertNotIn(QUOTE, email.body, "the words are shown behind the link only")
        self.assertNotIn("&#", email.body)

    def test_the_page_shows_exactly_what_will_be_published_with_the_photo(self):
        page = self.open_link()
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, QUOTE)
        self.assertContains(page, "Rosa M.")
        self.assertContains(page, "Individual experiences vary.")
        self.assertContains(page, "Approve for publication")
        [withdraw] = re.findall(r'href="[^"]*/consent/withdraw/([^/"]+)/"', page.text)
        self.assertEqual(consent_id_from_token(withdraw), self.testimonial.consent_id)
        [photo_url] = [u for u in page.context["content"].split('"') if "/photos/" in u]
        self.assertTrue(photo_url.startswith(self.link + "photos/"))
        photo = self.patient.get(photo_url)
        self.assertEqual(photo.status_code, 200)
        self.assertEqual(photo["Content-Type"], "image/jpeg")
        self.assertIn("no-store", photo["Cache-Control"])
        # The photo stays private: its own URL answers nobody, it is not live.
        public_url = photo_url.replace(self.link + "photos/", "/patient-media/")
        self.assertEqual(Client().get(public_url).status_code, 404)

    def test_never_cached_and_the_token_never_leaves_the_site(self):
        page = self.open_link()
        for part in ("private", "no-cache", "no-store", "max-age=0"):
            self.assertIn(part, page["Cache-Control"])
        self.assertEqual(page["Referrer-Policy"], "same-origin")
        self.assertIn("noindex", page["X-Robots-Tag"])

    def test_a_tampered_or_foreign_token_opens_nothing(self):
        token = self.link.rstrip("/").rsplit("/", 1)[1]
        forged = signing.dumps({"request": self.request().pk}, salt="another.salt")
        withdrawal = make_withdrawal_token(self.testimonial.consent)
        for bad in (token[:-2] + "xx", forged, withdrawal, "nonsense"):
            page = self.patient.get(reverse("signoff:page", args=[bad]))
            self.assertEqual(page.status_code, 404, bad)
            self.assertContains(page, "We don't recognise this link", status_code=404)
            self.assertNotContains(page, QUOTE, status_code=404)
            photo = self.patient.get(reverse("signoff:photo", args=[bad, "x.jpg"]))
            self.assertEqual(photo.status_code, 404)

    def test_a_photo_not_in_the_content_is_not_served_through_the_link(self):
        from stories.factories import PatientPhotoFactory

        other = PatientPhotoFactory(patient=self.testimonial.consent.patient)
        url = self.link + "photos/" + other.file.name
        self.assertEqual(self.patient.get(url).status_code, 404)

    def test_a_patient_without_email_sends_it_back_saying_why(self):
        testimonial = draft_testimonial_with_photo(title="No email")
        patient = testimonial.consent.patient
        patient.email, patient.phone = "", "555-0100"
        patient.save()
        state = submit_for_moderation(testimonial, self.editor)
        state.refresh_from_db()
        self.assertEqual(state.status, WorkflowState.STATUS_NEEDS_CHANGES)
        self.assertIn("no email address", state.current_task_state.comment)


class ApprovalTests(SignOffTestCase):
    def test_approval_records_the_evidence_and_moves_on_to_clinical_review(self):
        shown = self.open_link().context["content"]
        response = self.approve()
        self.assertRedirects(response, self.link, fetch_redirect_response=False)
        self.assertEqual(self.state.current_task_state.task.name, "Clinical review")

        evidence = PatientApproval.objects.get()
        self.assertEqual(evidence.content_html, str(shown))
        self.assertEqual(evidence.content_sha256, hashlib.sha256(str(shown).encode()).hexdigest())
        self.assertIn(QUOTE, evidence.content_html)
        self.assertEqual(evidence.ip_address, "203.0.113.7")
        self.assertEqual(evidence.user_agent, BROWSER)
        self.assertEqual(evidence.approved_text, QUOTE)
        sign_off_state = self.state.task_states.get(task__name="Patient sign-off")
        self.assertEqual(evidence.revision_id, sign_off_state.revision_id)
        self.assertEqual(evidence.object_id, str(self.testimonial.pk))
        self.assertAlmostEqual(evidence.approved_at, timezone.now(), delta=timedelta(minutes=1))
        # The approved words become the content's approved text, in that very version.
        version = sign_off_state.revision.as_object()
        self.assertEqual(version.approved_text, QUOTE)
        self.assertEqual(version.approved_on, timezone.localdate())

        thanks = self.open_link()
        self.assertContains(thanks, "you approved it")
        self.assertNotContains(thanks, "Approve for publication")

    def test_the_editor_sees_the_patients_approval(self):
        self.approve()
        self.client.force_login(self.editor)
        history = self.client.get(
            reverse("wagtailsnippets_stories_testimonial:history", args=[self.testimonial.pk])
        )
        self.assertContains(history, "Patient sign-off")
        self.assertContains(history, "Approved by the patient")

    def test_then_reviewers_approve_and_it_goes_live(self):
        self.approve()
        approve_current_task(self.state, exclude=[self.editor])
        approve_current_task(self.state, exclude=[self.editor, self.reviewer])
        self.assertEqual(self.state.status, WorkflowState.STATUS_APPROVED)
        live = Testimonial.objects.get(pk=self.testimonial.pk)
        self.assertTrue(live.live)
        self.assertEqual(live.approved_text, QUOTE)

    def test_the_page_read_a_while_ago_is_still_what_is_approved(self):
        # Signed tokens carry a timestamp: the page must render (and hash) the same for
        # the link the patient holds, whenever they press the button.
        page = self.open_link()
        time.sleep(1.1)
        response = self.answer(
            {
                "decision": "approve",
                "confirm": "on",
                "content_sha256": page.context["content_sha256"],
            }
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(
            PatientApproval.objects.get().content_sha256, page.context["content_sha256"]
        )

    def test_without_the_tick_nothing_is_recorded(self):
        response = self.answer({"decision": "approve"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "This field is required", status_code=400)
        self.assertFalse(PatientApproval.objects.exists())
        self.assertEqual(self.request().decision, SignOffRequest.Decision.PENDING)

    def test_an_approval_of_other_content_than_shown_is_refused(self):
        response = self.answer(
            {"decision": "approve", "confirm": "on", "content_sha256": "0" * 64}
        )
        self.assertContains(response, "changed while you were reading", status_code=409)
        self.assertFalse(PatientApproval.objects.exists())

    def test_forms_are_csrf_protected(self):
        response = self.patient.post(self.link, {"decision": "approve", "confirm": "on"})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(PatientApproval.objects.exists())

    def test_answers_are_rate_limited_per_address(self):
        page = self.open_link()
        data = {"csrfmiddlewaretoken": page.context["csrf_token"], "decision": "approve"}
        statuses = [
            self.patient.post(self.link, data, REMOTE_ADDR="198.51.100.9").status_code
            for _ in range(ANSWERS_PER_WINDOW + 1)
        ]
        self.assertEqual(statuses[:-1], [400] * ANSWERS_PER_WINDOW)
        self.assertEqual(statuses[-1], 429)

    def test_a_second_approval_records_nothing_more(self):
        self.approve()
        page = self.open_link()
        self.assertNotContains(page, "Approve for publication")
        data = {"csrfmiddlewaretoken": page.context["csrf_token"], "decision": "approve"}
        self.patient.post(self.link, data | {"confirm": "on", "content_sha256": "0" * 64})
        self.assertEqual(PatientApproval.objects.count(), 1)


class ChangesTests(SignOffTestCase):
    def test_asking_for_changes_sends_it_back_with_the_message_for_editors(self):
        message = "Please say two weeks, not ten days, and leave out my town."
        response = self.answer({"decision": "changes", "message": message})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.state.status, WorkflowState.STATUS_NEEDS_CHANGES)
        self.assertIn(message, self.state.current_task_state.comment)
        self.assertEqual(self.request().message, message)
        self.assertFalse(PatientApproval.objects.exists())

        self.client.force_login(self.editor)
        edit = self.client.get(
            reverse("wagtailsnippets_stories_testimonial:edit", args=[self.testimonial.pk])
        )
        self.assertContains(edit, "leave out my town")
        self.assertContains(self.open_link(), "we have your message")

    def test_an_empty_message_is_refused(self):
        response = self.answer({"decision": "changes", "message": "   "})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.state.status, WorkflowState.STATUS_IN_PROGRESS)

    def test_resubmitting_asks_the_patient_again_with_a_new_link(self):
        self.answer({"decision": "changes", "message": "Shorter, please."})
        self.testimonial.quote = "My neck eased within two weeks."
        with self.captureOnCommitCallbacks(execute=True):
            submit_for_moderation(self.testimonial, self.editor)
        first, second = links_sent_to(PATIENT)
        self.assertNotEqual(first, second)
        self.assertContains(self.patient.get(second), "My neck eased within two weeks.")
        self.assertContains(self.patient.get(first), "we have your message")


class EditAfterApprovalTests(SignOffTestCase):
    def test_an_edit_to_the_words_reopens_the_sign_off(self):
        self.approve()
        self.testimonial.refresh_from_db()
        self.testimonial.quote = QUOTE.replace("two weeks", "two days")
        self.testimonial.save_revision(user=self.editor)
        # The reviewer approves what they were given; the edited version starts over.
        with self.captureOnCommitCallbacks(execute=True):
            approve_current_task(self.state, exclude=[self.editor])
        self.state.refresh_from_db()
        self.assertEqual(self.state.status, WorkflowState.STATUS_IN_PROGRESS)
        self.assertEqual(self.state.current_task_state.task.name, "Patient sign-off")
        first, second = links_sent_to(PATIENT)
        self.assertContains(self.patient.get(second), "two days")
        self.assertEqual(PatientApproval.objects.count(), 1, "the old approval is not reused")

    def test_the_gate_refuses_words_other_than_those_approved(self):
        pass_patient_sign_off(self.state)
        approve_current_task(self.state, exclude=[self.editor])
        approve_current_task(self.state, exclude=[self.editor, self.reviewer])
        live = Testimonial.objects.get(pk=self.testimonial.pk)
        revision = live.live_revision
        live.unpublish()
        # As if the patient had approved other words than the version says.
        PatientApproval.objects.update(approved_text="Words the patient never saw.")
        with self.assertRaises(PublishRefused) as refused:
            revision.publish()
        self.assertIn("differ from those the patient approved", str(refused.exception))

    def test_the_gate_refuses_a_sign_off_without_evidence(self):
        pass_patient_sign_off(self.state)
        approve_current_task(self.state, exclude=[self.editor])
        approve_current_task(self.state, exclude=[self.editor, self.reviewer])
        live = Testimonial.objects.get(pk=self.testimonial.pk)
        revision = live.live_revision
        live.unpublish()
        PatientApproval.objects.all().delete()
        with self.assertRaises(PublishRefused) as refused:
            revision.publish()
        self.assertIn("no recorded approval", str(refused.exception))


class ReminderTests(SignOffTestCase):
    def test_one_reminder_after_three_days(self):
        request = self.request()
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(remind_and_expire(request.created_at + timedelta(days=2)).reminded, 0)
            self.assertEqual(remind_and_expire(request.created_at + timedelta(days=3)).reminded, 1)
            self.assertEqual(remind_and_expire(request.created_at + timedelta(days=4)).reminded, 0)
        [reminder] = [m for m in mail.outbox if PATIENT in m.to]
        self.assertIn("Reminder", reminder.subject)
        [link] = links_sent_to(PATIENT)
        # The same request's link, signed afresh: its timestamp may be a second later.
        self.assertEqual(link.split(":")[0], self.link.split(":")[0])
        self.assertEqual(self.open_link(link).status_code, 200)

    @override_settings(PATIENT_SIGN_OFF_REMINDER_DAYS=1)
    def test_the_scheduler_job_sends_them(self):
        SignOffRequest.objects.update(created_at=timezone.now() - timedelta(days=1, minutes=1))
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            call_command("remind_sign_offs")
        self.assertEqual(len([m for m in mail.outbox if PATIENT in m.to]), 1)

    def test_an_unanswered_request_expires_back_to_the_editor(self):
        request = self.request()
        result = remind_and_expire(request.expires_at + timedelta(seconds=1))
        self.assertEqual(result.expired, 1)
        self.state.refresh_from_db()
        self.assertEqual(self.state.status, WorkflowState.STATUS_NEEDS_CHANGES)
        self.assertIn("did not answer", self.state.current_task_state.comment)
        page = self.open_link()
        self.assertContains(page, "This link has expired")
        self.assertNotContains(page, QUOTE)

    def test_a_link_past_its_date_opens_nothing_even_before_the_job(self):
        SignOffRequest.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
        self.assertContains(self.open_link(), "This link has expired")
        photo_url = self.link + "photos/" + self.testimonial.photo.file.name
        self.assertEqual(self.patient.get(photo_url).status_code, 404)


class WithdrawalTests(SignOffTestCase):
    def test_the_patient_withdraws_from_the_page(self):
        page = self.open_link()
        [withdraw] = re.findall(r'href="[^"]*(/consent/withdraw/[^/"]+/)"', page.text)
        self.patient.post(withdraw)
        consent = Consent.objects.get(pk=self.testimonial.consent_id)
        self.assertEqual(consent.status, "withdrawn")
        self.state.refresh_from_db()
        self.assertEqual(self.state.status, WorkflowState.STATUS_CANCELLED)

        after = self.open_link()
        self.assertContains(after, "Nothing will be published")
        self.assertNotContains(after, "Approve for publication")
        self.assertFalse(PatientApproval.objects.exists())


class NobodyElseTests(SignOffTestCase):
    def test_no_role_can_approve_the_patients_step(self):
        task_state = self.state.current_task_state
        url = reverse(
            "wagtailsnippets_stories_testimonial:workflow_action",
            args=[self.testimonial.pk, "approve", task_state.pk],
        )
        edit_url = reverse("wagtailsnippets_stories_testimonial:edit", args=[self.testimonial.pk])
        task = PatientSignOffTask.objects.get()
        for user in (
            self.editor,
            self.reviewer,
            self.approver,
            self.officer,
            self.superuser,
        ):
            with self.subTest(user=user.username):
                self.assertEqual(task.get_actions(self.testimonial, user), [])
                self.client.force_login(user)
                self.client.post(url, sign_off(user))
                self.client.post(
                    edit_url,
                    {
                        "action-workflow-action": "true",
                        "workflow-action-name": "approve",
                        "workflow-action-extra-data": "{}",
                    },
                )
                if user != self.editor:  # the submitter's own list shows what they sent
                    dashboard = self.client.get(reverse("wagtailadmin_home"))
                    self.assertNotContains(dashboard, self.testimonial.title)
                with self.assertRaises(PermissionDenied):
                    task.on_action(task_state, user, "approve", **sign_off(user))
        task_state.refresh_from_db()
        self.assertEqual(task_state.status, TaskState.STATUS_IN_PROGRESS)
        self.assertFalse(PatientApproval.objects.exists())
        self.assertFalse(Testimonial.objects.get(pk=self.testimonial.pk).live)

    def test_a_hand_approved_task_state_does_not_publish(self):
        # Even approving the task state directly (a shell) leaves no evidence: refused.
        self.state.current_task_state.approve(user=self.superuser)
        self.state.refresh_from_db()
        approve_current_task(self.state, exclude=[self.editor])
        approve_current_task(self.state, exclude=[self.editor, self.reviewer])
        self.state.refresh_from_db()
        self.assertEqual(self.state.status, WorkflowState.STATUS_NEEDS_CHANGES)
        self.assertFalse(Testimonial.objects.get(pk=self.testimonial.pk).live)


class StoryTests(RoleUsers, TestCase):
    """A story shows the patient the whole page's content: heading, summary, hero photo
    and pull quotes; their approval records the quotes as the approved text."""

    @classmethod
    def setUpTestData(cls):
        cls.make_users()
        SiteTree.make_tree()

    def test_the_patient_sees_the_story_with_its_photo_and_quotes(self):
        consent = ActiveConsentFactory(
            identifiers=[*SHOWN, Identifier.PHOTO], patient__email="sam@example.org"
        )
        photo = PatientPhotoFactory(patient=consent.patient)
        story = PatientStoryPageFactory(
            parent=SiteTree.index,
            consent=consent,
            title="Sam at the allotment",
            hero_image=photo,
            body=story_body("I dug the whole bed in one afternoon."),
            approved_text="",
        )
        with self.captureOnCommitCallbacks(execute=True):
            state = submit_for_moderation(story, self.editor)
        [link] = links_sent_to("sam@example.org")
        page = self.client.get(link)
        self.assertContains(page, "Sam at the allotment")
        self.assertContains(page, "I dug the whole bed in one afternoon.")
        photos = re.findall(r'/sign-off/[^"\s,]+/photos/[^"\s,]+', page.text)
        self.assertTrue(photos)
        self.assertEqual(self.client.get(photos[0]).status_code, 200)

        pass_patient_sign_off(state)
        evidence = PatientApproval.objects.get()
        self.assertEqual(evidence.approved_text, "I dug the whole bed in one afternoon.")
        approve_current_task(state, exclude=[self.editor])
        approve_current_task(state, exclude=[self.editor, self.reviewer])
        state.refresh_from_db()
        self.assertEqual(state.status, WorkflowState.STATUS_APPROVED)
        self.assertTrue(PatientStoryPage.objects.get(pk=story.pk).live)
