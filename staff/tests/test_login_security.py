"""Staff accounts: login throttling with a clear lockout, a second factor required for
the roles that read patient data or publish (and offered to everyone), and no avatar
requests to a third party."""

from io import StringIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client, TestCase, override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from consent.factories import ConsentFactory

LOGIN = reverse("wagtailadmin_login")
HOME = reverse("wagtailadmin_home")
SETUP = reverse("staff_two_factor_setup")
VERIFY = reverse("staff_two_factor_verify")
PASSWORD = "a long staff passphrase"  # noqa: S105


def staff_user(username, group):
    user = get_user_model().objects.create_user(
        username=username, email=f"{username}@clinic.example", password=PASSWORD
    )
    user.groups.add(Group.objects.get(name=group))
    return user


def wait_out_the_throttle(device):
    # After a wrong code django-otp refuses every code for 1 s, then 2 s, 4 s...
    device.refresh_from_db()
    device.throttle_reset()


def code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@override_settings(AXES_ENABLED=True)
class LoginThrottlingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = staff_user("erin", "Editors")

    def sign_in(self, password, username="erin", address="198.51.100.50"):
        return self.client.post(
            LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address
        )

    def test_five_failures_lock_the_account_with_a_clear_message(self):
        for _ in range(4):
            self.assertEqual(self.sign_in("wrong").status_code, 200)
        self.assertEqual(self.sign_in("wrong").status_code, 429)
        # Even the right password, now: the lock holds.
        response = self.sign_in(PASSWORD)
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "Sign-in locked for", status_code=429)
        self.assertContains(response, "tell your site administrator", status_code=429)
        # From another address too: the account is locked, not just the connection.
        self.assertEqual(self.sign_in(PASSWORD, address="203.0.113.8").status_code, 429)

    def test_one_address_cannot_spray_passwords_across_accounts(self):
        for number in range(5):
            self.sign_in("wrong", username=f"guess{number}")
        self.assertEqual(self.sign_in(PASSWORD).status_code, 429)

    def test_a_success_resets_the_count(self):
        for _ in range(4):
            self.sign_in("wrong")
        self.assertRedirects(self.sign_in(PASSWORD), HOME, fetch_redirect_response=False)
        self.client.logout()
        for _ in range(4):
            self.sign_in("wrong")
        self.assertRedirects(self.sign_in(PASSWORD), HOME, fetch_redirect_response=False)


@override_settings(TWO_FACTOR_REQUIRED=True)
class TwoFactorTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.officer = staff_user("olu", "Consent officers")
        cls.editor = staff_user("erin", "Editors")

    def sign_in(self, client, username):
        response = client.post(LOGIN, {"username": username, "password": PASSWORD})
        self.assertEqual(response.status_code, 302)
        return client.get(HOME)

    def test_an_officer_sets_up_an_app_then_is_asked_for_a_code_each_time(self):
        client = Client()
        response = self.sign_in(client, "olu")
        self.assertRedirects(response, f"{SETUP}?next={HOME}", fetch_redirect_response=False)

        page = client.get(SETUP)
        self.assertContains(page, "<svg")  # the QR code, drawn here, no third party
        device = TOTPDevice.objects.get(user=self.officer, confirmed=False)
        wrong = client.post(SETUP, {"token": "000000", "next": HOME})
        self.assertContains(wrong, "That code is not right")
        wait_out_the_throttle(device)
        response = client.post(SETUP, {"token": code(device), "next": HOME})
        self.assertRedirects(response, HOME, fetch_redirect_response=False)
        self.assertEqual(client.get(HOME).status_code, 200)

        # Next time: password, then a code.
        later = Client()
        response = self.sign_in(later, "olu")
        self.assertRedirects(response, f"{VERIFY}?next={HOME}", fetch_redirect_response=False)
        self.assertContains(later.post(VERIFY, {"token": "123456"}), "That code is not right")
        wait_out_the_throttle(device)
        device.last_t = -1  # as 30 s later: django-otp never accepts a code twice
        device.save()
        response = later.post(VERIFY, {"token": code(device), "next": HOME})
        self.assertRedirects(response, HOME, fetch_redirect_response=False)
        self.assertEqual(later.get(HOME).status_code, 200)

    def test_without_the_second_factor_no_signed_consent_form(self):
        client = Client()
        self.sign_in(client, "olu")
        consent = ConsentFactory()
        url = reverse("consent:signed_form", args=[consent.pk])
        self.assertRedirects(client.get(url), f"{SETUP}?next={url}", fetch_redirect_response=False)

    def test_an_editor_is_offered_it_but_not_made_to(self):
        client = Client()
        response = self.sign_in(client, "erin")
        self.assertEqual(response.status_code, 200)
        self.assertContains(client.get(reverse("wagtailadmin_account")), SETUP)

    def test_an_editor_who_turned_it_on_is_asked_too(self):
        TOTPDevice.objects.create(user=self.editor, name="phone", confirmed=True)
        response = self.sign_in(Client(), "erin")
        self.assertRedirects(response, f"{VERIFY}?next={HOME}", fetch_redirect_response=False)

    def test_superusers_need_it(self):
        get_user_model().objects.create_superuser("root", "r@clinic.example", PASSWORD)
        response = self.sign_in(Client(), "root")
        self.assertRedirects(response, f"{SETUP}?next={HOME}", fetch_redirect_response=False)


class DevelopmentSignInTests(TestCase):
    def test_with_the_setting_off_a_password_is_enough(self):
        staff_user("olu", "Consent officers")
        self.client.post(LOGIN, {"username": "olu", "password": PASSWORD})
        response = self.client.get(HOME)
        self.assertEqual(response.status_code, 200)
        # No avatar requests to a third party from the admin.
        self.assertNotIn("gravatar", response.content.decode())


class TwoFactorResetTests(TestCase):
    def test_a_lost_phone_is_removed_and_set_up_again_at_the_next_sign_in(self):
        officer = staff_user("olu", "Consent officers")
        TOTPDevice.objects.create(user=officer, name="lost phone", confirmed=True)
        out = StringIO()
        call_command("two_factor_reset", "olu", stdout=out)
        self.assertIn("Removed 1 authenticator device(s) of olu", out.getvalue())
        with self.settings(TWO_FACTOR_REQUIRED=True):
            self.client.post(LOGIN, {"username": "olu", "password": PASSWORD})
            response = self.client.get(HOME)
        self.assertRedirects(response, f"{SETUP}?next={HOME}", fetch_redirect_response=False)
