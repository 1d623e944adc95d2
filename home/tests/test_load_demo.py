from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.test import TestCase
from wagtail.models import WorkflowState

from home.models import StandardPage


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

    def test_creates_the_footer_pages_live_through_the_workflow(self):
        call_command("load_demo", stdout=StringIO())
        pages = StandardPage.objects.live()
        self.assertEqual(
            sorted(pages.values_list("slug", flat=True)),
            ["accessibility", "how-consent-works", "privacy-notice"],
        )
        for page in pages:
            state = WorkflowState.objects.get(object_id=str(page.pk))
            self.assertEqual(state.status, WorkflowState.STATUS_APPROVED)
        self.assertContains(self.client.get("/"), '<a href="/privacy-notice/">Privacy notice</a>')
