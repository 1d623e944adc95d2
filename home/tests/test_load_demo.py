"""Demo accounts never exist on production by accident, and never with the README's
password: load_demo refuses without DEBUG, and with --allow-production gives each new
account a random password, printed once."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings

from cms.tests.processes import manage, production_env
from moderation.demo import DEMO_ACCOUNTS, DEMO_PASSWORD

PRODUCTION_LIKE = override_settings(DEBUG=False, DEMO_WELL_KNOWN_PASSWORD=False)


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
