"""Consent evidence is deleted six years after the consent was last in effect (HIPAA
45 CFR 164.530(j)), by the scheduled job, which says what it removed."""

import datetime
import io
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from cms.management.commands.run_scheduler import current_jobs
from consent.models import Consent, Patient
from core.factories import UserFactory
from core.roles import CONSENT_OFFICERS
from records.models import ErasureRequest
from records.retention import last_in_effect, purge_expired_evidence, years_before
from stories.factories import ActiveConsentFactory, PatientStoryPageFactory
from stories.models import Takedown
from stories.tests.utils import SiteTree

DAY = datetime.timedelta(days=1)


def ago(years, days=0):
    return years_before(timezone.now(), years) - days * DAY


def old_consent(signed_years_ago=8, **kwargs):
    signed = ago(signed_years_ago)
    kwargs.setdefault("expires_on", timezone.localdate(signed) + 365 * DAY)
    return ActiveConsentFactory(signed_at=signed, verified_at=signed, **kwargs)


class RetentionTests(SiteTree, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.make_tree()
        cls.officer = UserFactory(username="olive", roles=[CONSENT_OFFICERS])
        # Expired six years and ten days ago: due.
        cls.due = old_consent(
            expires_on=timezone.localdate(ago(6, days=10)),
            method=Consent.Method.PAPER,
            signed_form=SimpleUploadedFile("old-scan.pdf", b"%PDF-1.4 old"),
        )
        log(instance=cls.due, action="consent.verified", user=cls.officer)
        Takedown.objects.create(
            consent=cls.due,
            content_type=ContentType.objects.get_for_model(Consent),
            object_id="1",
            title="An old story",
            reason="expired",
        )
        ErasureRequest.objects.create(patient=cls.due.patient, received_via="email", status="done")
        # Expired six years less a day ago: not yet.
        cls.almost = old_consent(expires_on=timezone.localdate(ago(6)) + DAY)
        # Withdrawn five years ago; it would have run until three years ago.
        cls.withdrawn = old_consent(
            signed_years_ago=9,
            expires_on=timezone.localdate(ago(3)),
            withdrawn_at=ago(5),
        )
        # Signed long ago and still in effect.
        cls.active = old_consent(expires_on=timezone.localdate() + 30 * DAY)
        # Due, but a story still rests on it.
        cls.with_content = old_consent(expires_on=timezone.localdate(ago(7)))
        PatientStoryPageFactory(parent=cls.index, consent=cls.with_content)
        # Superseded seven years ago by a consent still in effect, itself kept.
        cls.superseded = old_consent(expires_on=timezone.localdate() + 30 * DAY)
        cls.successor = old_consent(
            signed_years_ago=7,
            supersedes=cls.superseded,
            expires_on=timezone.localdate() + 60 * DAY,
        )
        cls.signed_form_path = cls.due.signed_form.path

    def test_last_in_effect(self):
        self.assertEqual(
            timezone.localdate(last_in_effect(self.due)),
            timezone.localdate(ago(6, days=10)) + DAY,
        )
        self.assertEqual(last_in_effect(self.withdrawn), self.withdrawn.withdrawn_at)
        self.assertIsNone(last_in_effect(self.active))
        self.assertEqual(last_in_effect(self.superseded), self.successor.verified_at)

    def test_deletes_only_evidence_older_than_six_years_and_reports_it(self):
        mail.outbox.clear()
        out = io.StringIO()
        with self.captureOnCommitCallbacks(execute=True):
            call_command("purge_expired_evidence", stdout=out)

        self.assertFalse(Consent.objects.filter(pk=self.due.pk).exists())
        self.assertFalse(Patient.objects.filter(pk=self.due.patient_id).exists())
        self.assertFalse(Takedown.objects.filter(consent_id=self.due.pk).exists())
        self.assertFalse(ErasureRequest.objects.exists())
        self.assertFalse(
            ModelLogEntry.objects.filter(
                content_type__model="consent", object_id=str(self.due.pk)
            ).exists()
        )
        self.assertFalse(Path(self.signed_form_path).exists())
        kept = [self.almost, self.withdrawn, self.active, self.with_content, self.superseded]
        for consent in [*kept, self.successor]:
            self.assertTrue(Consent.objects.filter(pk=consent.pk).exists(), consent.pk)

        report = out.getvalue()
        self.assertIn(
            f"Deleted 1 consent record(s) past the six-year retention (#{self.due.pk})", report
        )
        self.assertIn("1 patient record(s), 1 takedown record(s), 1 erasure request(s)", report)
        self.assertIn("1 file(s)", report)
        self.assertIn(
            f"Kept consent #{self.with_content.pk}: content still rests on it; erase it first.",
            report,
        )
        email = mail.outbox[-1]
        self.assertEqual(email.to, ["olive@clinic.example"])
        self.assertIn(f"(#{self.due.pk})", email.body)

    def test_a_second_run_removes_nothing_more(self):
        purge_expired_evidence()
        report = purge_expired_evidence()
        self.assertEqual(report.consents, [])
        self.assertEqual(report.patients, [])

    def test_the_scheduler_runs_it(self):
        self.assertIn("purge_expired_evidence", [name for name, _args in current_jobs()])
