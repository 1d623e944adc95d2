import datetime
from io import StringIO

from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from consent.factories import ConsentFactory
from consent.models import Status
from consent.signals import consent_ended
from consent.tests.utils import Roles

DAY = datetime.timedelta(days=1)


class EnforceConsentCommandTest(Roles, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.make_roles(get_user_model())
        now = timezone.now()
        # Verified long ago; its expiry date was yesterday.
        cls.expired = ConsentFactory(
            signed_at=now - 400 * DAY,
            expires_on=timezone.localdate() - DAY,
            verified_by=cls.officer,
            verified_at=now - 399 * DAY,
        )
        cls.expiring = ConsentFactory(
            expires_on=timezone.localdate() + 20 * DAY,
            verified_by=cls.officer,
            verified_at=now,
        )

    def setUp(self):
        self.ended = []
        consent_ended.connect(self.record, dispatch_uid="command-test")
        self.addCleanup(consent_ended.disconnect, dispatch_uid="command-test")

    def record(self, sender, consent, reason, **kwargs):
        self.ended.append((consent.pk, reason))

    def run_command(self):
        out = StringIO()
        with self.captureOnCommitCallbacks(execute=True):
            call_command("enforce_consent", stdout=out)
        return out.getvalue()

    def test_each_run_is_idempotent_and_quiet(self):
        self.assertEqual(self.run_command(), "")
        self.assertEqual(self.run_command(), "")

        self.assertEqual(self.ended, [(self.expired.pk, "expired")])
        self.expired.refresh_from_db()
        self.assertEqual(self.expired.status, Status.EXPIRED)
        self.assertEqual(self.expired.ended_reason, "expired")
        subjects = sorted(m.subject for m in mail.outbox)
        self.assertEqual(
            subjects,
            sorted(
                [
                    f"Consent #{self.expired.pk} has expired",
                    "Your consent has expired",
                    f"Consent #{self.expiring.pk} expires in 20 days "
                    f"({self.expiring.expires_on:%B %-d, %Y})",
                ]
            ),
        )

    def test_verbose_runs_report_counts(self):
        out = StringIO()
        call_command("enforce_consent", stdout=out, verbosity=2)
        self.assertIn("Consents ended: 1", out.getvalue())
