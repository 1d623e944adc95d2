from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.test import TestCase


class LoadDemoTests(TestCase):
    def test_prints_a_short_summary_not_email_bodies(self):
        out = StringIO()
        call_command("load_demo", stdout=out)
        output = out.getvalue()
        lines = output.splitlines()
        self.assertLess(len(lines), 60, output)
        self.assertIn("  officer: Consent officers", lines)
        self.assertIn("Open the site: http://testserver/", lines)
        self.assertIn(
            "Open the admin: http://testserver/admin/ (sign in as one of the accounts above)",
            lines,
        )
        self.assertNotIn("Subject:", output)
        self.assertNotIn("Content-Type", output)
        self.assertRegex(
            output, r"\d+ workflow notification emails to the demo accounts were not sent"
        )
        # Kept in memory for whoever asks (tests), not sent.
        self.assertTrue(mail.outbox)
