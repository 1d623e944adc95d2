from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.test import Client, TestCase
from django.urls import reverse
from wagtail.models import ModelLogEntry

from consent.factories import ConsentFactory
from consent.models import Channel, Consent, Status
from consent.signals import consent_ended
from consent.tests.utils import Roles
from consent.tokens import make_withdrawal_token
from core.factories import SuperuserFactory

PDF = b"%PDF-1.4\nsigned form\n%%EOF\n"


class WithdrawalLinkTest(Roles, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.make_roles(get_user_model())
        cls.consent = ConsentFactory(
            obtained_by=cls.officer,
            patient__legal_name="Rosalind Example",
            patient__email="rosalind@example.org",
            patient__phone="+1 555 0199",
            channels=[Channel.WEBSITE, Channel.SOCIAL_MEDIA],
        )
        cls.consent.verify(cls.second_officer)
        cls.other = ConsentFactory(obtained_by=cls.officer)
        cls.other.verify(cls.second_officer)

    def setUp(self):
        self.ended = []
        consent_ended.connect(self.record, dispatch_uid="views-test")
        self.addCleanup(consent_ended.disconnect, dispatch_uid="views-test")

    def record(self, sender, consent, reason, **kwargs):
        self.ended.append((consent.pk, reason))

    def url(self, consent):
        return reverse("consent:withdraw", args=[make_withdrawal_token(consent)])

    def test_the_link_shows_what_will_be_withdrawn_without_login_or_contact_data(self):
        response = self.client.get(self.url(self.consent))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Withdraw my consent")
        self.assertContains(response, "Website, Social media")
        self.assertContains(response, "First name and initial, Age, Condition")
        for private in ("Rosalind", "rosalind@example.org", "555 0199"):
            self.assertNotContains(response, private)
        self.assertEqual(response["Referrer-Policy"], "no-referrer")
        self.assertIn("no-store", response["Cache-Control"])

    def test_one_confirm_withdraws_that_consent_only_once(self):
        url = self.url(self.consent)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(url)
        self.assertRedirects(response, url)
        self.client.post(url)  # a second click changes nothing

        self.consent.refresh_from_db()
        self.other.refresh_from_db()
        self.assertEqual(self.consent.status, Status.WITHDRAWN)
        self.assertEqual(self.consent.withdrawal_channel, Consent.WithdrawalChannel.PATIENT_LINK)
        self.assertIsNone(self.consent.withdrawal_recorded_by)
        self.assertEqual(self.other.status, Status.ACTIVE)
        self.assertEqual(self.ended, [(self.consent.pk, "withdrawn")])
        self.assertContains(self.client.get(url), "Your consent has been withdrawn")
        self.assertTrue(
            ModelLogEntry.objects.for_instance(self.consent)
            .filter(action="consent.withdrawn", data__channel="patient_link")
            .exists()
        )

    def test_a_get_never_withdraws(self):
        self.client.get(self.url(self.consent))
        self.consent.refresh_from_db()
        self.assertEqual(self.consent.status, Status.ACTIVE)

    def test_a_browser_sending_origin_null_and_no_cookies_can_withdraw(self):
        # What Chromium sends from this page (Referrer-Policy: no-referrer), or a mail
        # client's preview that keeps no cookies: the signed token alone decides.
        client = Client(enforce_csrf_checks=True)
        url = self.url(self.consent)
        response = client.post(url, headers={"Origin": "null"})
        self.assertRedirects(response, url)
        self.consent.refresh_from_db()
        self.assertEqual(self.consent.status, Status.WITHDRAWN)

    def test_a_link_from_a_superseded_consent_withdraws_the_one_in_effect(self):
        newer = ConsentFactory(
            patient=self.consent.patient, supersedes=self.consent, obtained_by=self.officer
        )
        newer.verify(self.second_officer)
        old_link = self.url(self.consent)
        page = self.client.get(old_link)
        self.assertContains(page, f"the newest, consent #{newer.pk}, replaced the earlier ones")
        self.client.post(old_link)
        newer.refresh_from_db()
        self.assertEqual(newer.status, Status.WITHDRAWN)
        done = self.client.get(old_link)
        self.assertContains(done, "Your consent has been withdrawn")
        self.assertContains(done, f"consent #{newer.pk}, given on")
        self.assertContains(done, f"consent #{self.consent.pk}, given on")

    def test_forged_or_damaged_tokens_withdraw_nothing_and_say_so_kindly(self):
        from django.core import signing

        good = make_withdrawal_token(self.consent)
        forged = [
            good[:-3] + "abc",
            signing.dumps({"consent": self.other.pk}),  # unsalted
            signing.dumps({"consent": self.other.pk}, salt="elsewhere"),
            "garbage",
        ]
        for token in forged:
            response = self.client.post(reverse("consent:withdraw", args=[token]))
            self.assertEqual(response.status_code, 404, token)
            self.assertContains(response, "could not recognise this link", status_code=404)
        self.assertFalse(Consent.objects.filter(withdrawn_at__isnull=False).exists())
        self.assertEqual(self.ended, [])

    def test_a_token_for_a_deleted_consent_is_not_found(self):
        pending = ConsentFactory()
        url = self.url(pending)
        pending.delete()
        self.assertEqual(self.client.get(url).status_code, 404)


class SignedFormPrivacyTest(Roles, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.make_roles(get_user_model())
        cls.superuser = SuperuserFactory(username="admin")
        cls.consent = ConsentFactory(
            method=Consent.Method.PAPER,
            patient__email="private@example.org",
            patient__phone="+1 555 0142",
        )
        cls.consent.signed_form.save("form.pdf", ContentFile(PDF), save=True)
        cls.url = reverse("consent:signed_form", args=[cls.consent.pk])

    @classmethod
    def tearDownClass(cls):
        cls.consent.signed_form.storage.delete(cls.consent.signed_form.name)
        super().tearDownClass()

    def test_forms_are_stored_outside_the_public_media_folder(self):
        path = self.consent.signed_form.path
        self.assertTrue(path.startswith(str(settings.PRIVATE_MEDIA_ROOT)))
        self.assertFalse(path.startswith(str(settings.MEDIA_ROOT) + "/"))
        with self.assertRaises(ValueError):
            self.consent.signed_form.url  # noqa: B018  (no public URL exists)
        name = self.consent.signed_form.name
        self.assertEqual(self.client.get(f"/media/{name}").status_code, 404)

    def test_anonymous_visitors_are_sent_to_log_in(self):
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("wagtailadmin_login")))

    def test_editors_are_refused(self):
        self.client.force_login(self.editor)
        self.assertEqual(self.client.get(self.url).status_code, 403)

    def test_consent_officers_download_it_as_an_attachment_and_it_is_logged(self):
        self.client.force_login(self.officer)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(b"".join(response.streaming_content), PDF)
        self.assertEqual(
            response["Content-Disposition"],
            f'attachment; filename="consent-{self.consent.pk}-signed-form.pdf"',
        )
        entry = ModelLogEntry.objects.for_instance(self.consent).get(
            action="consent.form_downloaded"
        )
        self.assertEqual(entry.user, self.officer)

    def test_no_admin_url_shows_patient_data_to_anonymous_users_or_editors(self):
        c, p = self.consent.pk, self.consent.patient.pk
        urls = [
            reverse("consent_patients:index"),
            reverse("consent_patients:index") + "?export=csv",
            reverse("consent_patients:inspect", args=[p]),
            reverse("consent_patients:edit", args=[p]),
            reverse("consent_patients:history", args=[p]),
            reverse("consent_consents:index"),
            reverse("consent_consents:index") + "?export=xlsx",
            reverse("consent_consents:inspect", args=[c]),
            reverse("consent_consents:edit", args=[c]),
            reverse("consent_consents:history", args=[c]),
            reverse("consent_consents:verify", args=[c]),
            reverse("consent_consents:withdraw", args=[c]),
            self.url,
        ]
        login = reverse("wagtailadmin_login")
        for url in urls:
            # Anonymous: every one of them asks to sign in first.
            self.client.logout()
            response = self.client.get(url)
            self.assertEqual(response.status_code, 302, url)
            self.assertTrue(response["Location"].startswith(login), url)
            # An editor: refused, and shown none of the patient's data.
            self.client.force_login(self.editor)
            response = self.client.get(url)
            if url == self.url:
                self.assertEqual(response.status_code, 403, url)
            else:
                # Wagtail's admin answers a missing permission by sending the user home.
                self.assertEqual(response.status_code, 302, url)
                self.assertEqual(response["Location"], reverse("wagtailadmin_home"), url)
            body = response.content.decode()
            self.assertNotIn("private@example.org", body, url)
            self.assertNotIn("555 0142", body, url)

    def test_an_editor_given_a_consent_model_permission_by_mistake_still_sees_nothing(self):
        from django.contrib.auth.models import Permission

        self.editor.user_permissions.add(
            Permission.objects.get(codename="view_patient"),
            Permission.objects.get(codename="view_consent"),
        )
        self.client.force_login(self.editor)
        self.assertEqual(self.client.get(reverse("consent_patients:index")).status_code, 302)
        response = self.client.get(
            reverse("consent_patients:inspect", args=[self.consent.patient.pk])
        )
        self.assertNotEqual(response.status_code, 200)

    def test_superusers_can_see_it(self):
        self.client.force_login(self.superuser)
        self.assertEqual(self.client.get(self.url).status_code, 200)
