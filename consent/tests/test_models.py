import datetime

from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase, override_settings
from django.utils import timezone
from wagtail.models import ModelLogEntry

from cms.tests.processes import free_port
from consent.expiry import enforce, send_reminders
from consent.factories import ConsentFactory, ConsentTextFactory
from consent.models import Consent, Status
from consent.signals import consent_ended
from consent.tests.utils import Roles

DAY = datetime.timedelta(days=1)


class SignalRecorder:
    """Collects consent_ended calls; optionally fails like a broken receiver."""

    def __init__(self, test, fail=False):
        self.calls, self.fail = [], fail
        consent_ended.connect(self.receive, dispatch_uid=f"recorder-{id(self)}")
        test.addCleanup(consent_ended.disconnect, dispatch_uid=f"recorder-{id(self)}")

    def receive(self, sender, consent, reason, user, **kwargs):
        if self.fail:
            raise RuntimeError("takedown failed")
        self.calls.append((consent.pk, reason, user))


def actions(consent):
    return list(
        ModelLogEntry.objects.for_instance(consent)
        .order_by("timestamp")
        .values_list("action", flat=True)
    )


class ConsentEventsTest(Roles, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.make_roles(get_user_model())

    def make(self, **kwargs):
        return ConsentFactory(obtained_by=self.officer, **kwargs)

    def verified(self, **kwargs):
        consent = self.make(**kwargs)
        with self.captureOnCommitCallbacks(execute=True):
            consent.verify(self.second_officer)
        mail.outbox.clear()
        return consent

    # -- verification ------------------------------------------------------------------

    def test_verify_sets_verifier_logs_and_emails_the_patient_their_copy(self):
        consent = self.make()
        with self.captureOnCommitCallbacks(execute=True):
            consent.verify(self.second_officer)

        self.assertEqual(consent.status, Status.ACTIVE)
        self.assertEqual(consent.verified_by, self.second_officer)
        consent.refresh_from_db()  # recorded when the receipt went out
        self.assertIsNotNone(consent.copy_given_at)
        self.assertEqual(actions(consent), ["consent.verified"])
        [receipt] = mail.outbox
        self.assertEqual(receipt.to, [consent.patient.email])
        self.assertIn(consent.text.how_to_revoke, receipt.body)
        self.assertIn(consent.text.payment_statement, receipt.body)
        self.assertIn(consent.text_sha256, receipt.body)
        self.assertIn("First name and initial, Age, Condition", receipt.body)
        self.assertIn(f"{consent.expires_on:%B %-d, %Y}", receipt.body)
        self.assertIn("http://testserver/consent/withdraw/", receipt.body)

    def test_the_person_who_obtained_it_cannot_verify_it(self):
        consent = self.make()
        with self.assertRaises(ValidationError) as caught:
            consent.verify(self.officer)
        self.assertIn("verified_by", caught.exception.message_dict)
        consent.refresh_from_db()
        self.assertEqual(consent.status, Status.PENDING)

    def test_verifying_needs_the_verify_permission(self):
        with self.assertRaises(PermissionDenied):
            self.make().verify(self.editor)

    def test_expired_or_withdrawn_consents_cannot_be_verified(self):
        old = self.make(
            signed_at=timezone.now() - 400 * DAY, expires_on=timezone.localdate() - DAY
        )
        with self.assertRaisesMessage(ValidationError, "already expired"):
            old.verify(self.second_officer)
        withdrawn = self.make()
        withdrawn.withdraw(Consent.WithdrawalChannel.PHONE, user=self.officer)
        with self.assertRaisesMessage(ValidationError, "withdrawn"):
            withdrawn.verify(self.second_officer)

    def test_a_verified_consent_is_never_edited_in_place(self):
        consent = self.verified()
        consent.channels = ["website", "print"]
        with self.assertRaisesMessage(ValidationError, "Record a new consent"):
            consent.save()

    def test_verifying_a_successor_supersedes_the_old_consent_once(self):
        recorder = SignalRecorder(self)
        old = self.verified()
        new = self.make(patient=old.patient, supersedes=old, channels=["website", "print"])
        new.verify(self.second_officer)

        old.refresh_from_db()
        self.assertEqual(old.status_at(), Status.SUPERSEDED)
        self.assertEqual(new.status, Status.ACTIVE)
        self.assertEqual(recorder.calls, [(old.pk, "superseded", self.second_officer)])
        self.assertEqual(old.ended_reason, "superseded")
        self.assertIn("consent.superseded", actions(old))
        self.assertEqual(enforce().ended, 0)
        self.assertEqual(len(recorder.calls), 1)

    # -- withdrawal --------------------------------------------------------------------

    def test_withdrawal_ends_the_consent_once_and_tells_patient_and_officers(self):
        recorder = SignalRecorder(self)
        consent = self.verified()
        with self.captureOnCommitCallbacks(execute=True):
            self.assertTrue(consent.withdraw(Consent.WithdrawalChannel.PHONE, user=self.officer))
        with self.captureOnCommitCallbacks(execute=True):
            self.assertFalse(consent.withdraw(Consent.WithdrawalChannel.EMAIL, user=self.officer))

        consent.refresh_from_db()
        self.assertEqual(consent.status, Status.WITHDRAWN)
        self.assertEqual(consent.withdrawal_channel, "phone")
        self.assertEqual(consent.withdrawal_recorded_by, self.officer)
        self.assertEqual(recorder.calls, [(consent.pk, "withdrawn", self.officer)])
        self.assertIn("consent.withdrawn", actions(consent))
        recipients = sorted(r for m in mail.outbox for r in m.to)
        self.assertEqual(
            recipients,
            sorted([consent.patient.email, "officer@clinic.example", "officer2@clinic.example"]),
        )

    def test_officer_withdrawal_needs_a_consent_permission(self):
        with self.assertRaises(PermissionDenied):
            self.verified().withdraw(Consent.WithdrawalChannel.PHONE, user=self.editor)

    def test_a_failed_takedown_never_loses_the_withdrawal_and_is_retried(self):
        consent = self.verified()
        broken = SignalRecorder(self, fail=True)
        consent.withdraw(Consent.WithdrawalChannel.PATIENT_LINK)
        consent.refresh_from_db()
        self.assertEqual(consent.status, Status.WITHDRAWN)
        self.assertIsNone(consent.ended_at)

        broken.fail = False
        result = enforce()
        self.assertEqual((result.ended, result.failed), (1, 0))
        self.assertEqual(broken.calls, [(consent.pk, "withdrawn", None)])
        self.assertEqual(enforce().ended, 0)

    def test_an_email_failure_never_fails_a_withdrawal(self):
        consent = self.verified()
        mail.outbox.clear()
        # A mail server that refuses every connection.
        refused = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
            }
        }
        with override_settings(MAILERS=refused), self.captureOnCommitCallbacks(execute=True):
            self.assertTrue(consent.withdraw(Consent.WithdrawalChannel.PATIENT_LINK))
        self.assertEqual(mail.outbox, [])  # nothing went out...
        consent.refresh_from_db()
        self.assertIsNotNone(consent.withdrawn_at)  # ...and the withdrawal stands
        self.assertEqual(consent.status, Status.WITHDRAWN)

    # -- expiry and reminders ----------------------------------------------------------

    def test_expiry_ends_the_consent_once_at_the_start_of_the_expiry_day(self):
        recorder = SignalRecorder(self)
        consent = self.verified()
        expiry_day = timezone.make_aware(
            datetime.datetime.combine(consent.expires_on, datetime.time(0, 0, 1))
        )
        self.assertEqual(enforce(at=expiry_day - 2 * datetime.timedelta(seconds=1)).ended, 0)
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(enforce(at=expiry_day).ended, 1)
        self.assertEqual(enforce(at=expiry_day).ended, 0)

        self.assertEqual(recorder.calls, [(consent.pk, "expired", None)])
        self.assertIn("consent.expired", actions(consent))
        self.assertEqual(
            sorted(r for m in mail.outbox for r in m.to),
            sorted([consent.patient.email, "officer@clinic.example", "officer2@clinic.example"]),
        )

    def test_pending_consents_do_not_expire_into_takedowns(self):
        recorder = SignalRecorder(self)
        consent = self.make()
        enforce(at=timezone.now() + 400 * DAY)
        self.assertEqual(recorder.calls, [])
        self.assertEqual(consent.status_at(timezone.now() + 400 * DAY), Status.PENDING)

    def test_reminders_go_out_30_and_7_days_ahead_once_each_without_patient_identity(self):
        consent = self.verified()
        thirty_before = timezone.now() + (consent.expires_on - timezone.localdate() - 30 * DAY)
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(send_reminders(thirty_before - DAY), 0)
            self.assertEqual(send_reminders(thirty_before), 1)
            self.assertEqual(send_reminders(thirty_before + DAY), 0)
            self.assertEqual(send_reminders(thirty_before + 23 * DAY), 1)
            self.assertEqual(send_reminders(thirty_before + 24 * DAY), 0)

        self.assertEqual(len(mail.outbox), 2)
        self.assertIn("expires in 30 days", mail.outbox[0].subject)
        self.assertIn("expires in 7 days", mail.outbox[1].subject)
        self.assertEqual(
            sorted(mail.outbox[0].to),
            ["editor@clinic.example", "officer2@clinic.example", "officer@clinic.example"],
        )
        for message in mail.outbox:
            self.assertNotIn(consent.patient.legal_name, message.body + message.subject)
            self.assertNotIn(consent.patient.email, message.body)

    def test_a_consent_found_inside_7_days_gets_only_the_7_day_reminder(self):
        consent = self.verified()
        late = timezone.now() + (consent.expires_on - timezone.localdate() - 5 * DAY)
        self.assertEqual(send_reminders(late), 1)
        consent.refresh_from_db()
        self.assertIsNotNone(consent.reminded_30_days_at)
        self.assertEqual(send_reminders(late), 0)

    # -- status as a query --------------------------------------------------------------

    def test_status_filters_agree_with_derived_status(self):
        pending = self.make()
        active = self.verified()
        withdrawn = self.verified()
        withdrawn.withdraw(Consent.WithdrawalChannel.LETTER, user=self.officer)
        old = self.verified()
        self.make(patient=old.patient, supersedes=old).verify(self.second_officer)
        expired = self.verified(signed_at=timezone.now() - 20 * DAY)
        expired_later = expired.expires_on + DAY
        moment = timezone.make_aware(datetime.datetime.combine(expired_later, datetime.time(12)))
        for consent in (pending, active, withdrawn, old, expired):
            consent.refresh_from_db()
            consent.__dict__.pop("is_superseded", None)
            status = consent.status_at(moment)
            self.assertIn(consent, Consent.objects.with_status(status, at=moment), status)
            for other in set(Status) - {status}:
                self.assertNotIn(consent, Consent.objects.with_status(other, at=moment))
        self.assertEqual(expired.status_at(moment), Status.EXPIRED)

    def test_a_verified_consent_is_kept_as_evidence(self):
        with self.assertRaises(ValidationError):
            self.verified().delete()


class ConsentTextTest(TestCase):
    def test_a_text_in_use_cannot_be_edited_or_deleted(self):
        text = ConsentTextFactory()
        ConsentFactory(text=text)
        text.body = "Something else"
        with self.assertRaises(ValidationError):
            text.save()
        with self.assertRaises(ValidationError):
            text.delete()

    def test_the_consent_keeps_the_hash_of_the_text_it_was_given_with(self):
        consent = ConsentFactory()
        self.assertEqual(consent.text_sha256, consent.text.sha256)
        self.assertEqual(len(consent.text_sha256), 64)

    def test_expiry_must_be_after_signing(self):
        consent = ConsentFactory.build(
            text=ConsentTextFactory(), expires_on=timezone.localdate() - DAY
        )
        consent.patient.save()
        consent.patient_id = consent.patient.pk
        with self.assertRaises(ValidationError) as caught:
            consent.full_clean()
        self.assertIn("expires_on", caught.exception.message_dict)
