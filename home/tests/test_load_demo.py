"""Demo accounts never exist on production by accident, and never with the README's
password: load_demo refuses without DEBUG, and with --allow-production gives each new
account a random password, printed once."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings
from wagtail.models import WorkflowState

from cms.tests.processes import manage, production_env
from home.models import StandardPage
from moderation.demo import DEMO_ACCOUNTS, DEMO_PASSWORD

PRODUCTION_LIKE = override_settings(DEBUG=False, DEMO_WELL_KNOWN_PASSWORD=False)


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
            # A testimonial may share the page's id: the content type tells them apart.
            state = WorkflowState.objects.get(
                base_content_type=page.get_base_content_type(), object_id=str(page.pk)
            )
            self.assertEqual(state.status, WorkflowState.STATUS_APPROVED)
        self.assertContains(self.client.get("/"), '<a href="/privacy-notice/">Privacy notice</a>')


@PRODUCTION_LIKE
class LoadDemoWithoutDebugTests(TestCase):
    def test_refuses_without_the_flag(self):
        with self.assertRaisesMessage(CommandError, "--allow-production"):
            call_command("load_demo", stdout=StringIO())
        self.assertFalse(get_user_model().objects.exists())

    def test_with_the_flag_random_passwords_printed_once(self):
        out = StringIO()
        call_command("load_demo", "--allow-production", stdout=out)
        printed = dict(re.findall(r"^  (\w+): .*, password (\S+)$", out.getvalue(), re.M))
        self.assertEqual(set(printed), {account[0] for account in DEMO_ACCOUNTS})
        self.assertEqual(len(set(printed.values())), len(printed))  # one each
        self.assertNotIn(DEMO_PASSWORD, out.getvalue())
        User = get_user_model()
        for username, password in printed.items():
            user = User.objects.get(username=username)
            self.assertTrue(user.check_password(password))
            self.assertFalse(user.check_password(DEMO_PASSWORD))

        # Again: nothing new, no password shown or changed.
        again = StringIO()
        call_command("load_demo", "--allow-production", stdout=again)
        self.assertNotIn("password", again.getvalue())
        user = User.objects.get(username="officer")
        self.assertTrue(user.check_password(printed["officer"]))


@pytest.mark.slow
# Another process: it only sees committed rows.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_production_settings_refuse_load_demo():
    result = manage("load_demo", env=production_env())
    assert result.returncode != 0
    assert "Refusing to create demo accounts without DEBUG" in result.stderr
    assert not get_user_model().objects.filter(username="siteadmin").exists()
