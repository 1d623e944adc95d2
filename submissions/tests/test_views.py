import re

from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import Client, TestCase
from django.urls import reverse
from wagtail.models import ModelLogEntry, WorkflowState

from consent.factories import ConsentTextFactory
from consent.models import CREATED, Consent, Patient, Status
from consent.tokens import consent_id_from_token
from core.factories import UserFactory
from core.roles import CONSENT_OFFICERS
from moderation.publishing import PublishRefused
from stories.models import PatientPhoto, Testimonial
from submissions import ratelimit
from submissions.tests.utils import decompression_bomb, form_data, image_upload

URL = reverse("submissions:share")
UA = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"


class ShareStoryViewTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.text = ConsentTextFactory()
        cls.officer = UserFactory(username="otto", roles=[CONSENT_OFFICERS])

    def setUp(self):
        cache.clear()

    def post(self, client=None, **overrides):
        files = overrides.pop("files", {})
        with self.captureOnCommitCallbacks(execute=True):
            return (client or self.client).post(
                URL,
                {**form_data(self.text, **overrides), **files},
                REMOTE_ADDR="198.51.100.23",
                HTTP_USER_AGENT=UA,
            )

    def assertNothingStored(self):
        self.assertFalse(Patient.objects.exists())
        self.assertFalse(Consent.objects.exists())
        self.assertFalse(Testimonial.objects.exists())
        self.assertEqual(mail.outbox, [])

    # -- The page ----------------------------------------------------------------------

    def test_form_shows_every_required_statement(self):
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 200)
        for statement in [
            self.text.body,
            self.text.how_to_revoke,
            self.text.treatment_not_conditional,
            self.text.redisclosure_notice,
            self.text.payment_statement,
        ]:
            self.assertContains(response, statement)
        self.assertContains(response, "Your consent lasts 2 years")
        self.assertContains(response, 'enctype="multipart/form-data"')
        self.assertIn("no-cache", response["Cache-Control"])

    def test_honeypot_is_hidden_from_people(self):
        html = self.client.get(URL).content.decode()
        self.assertRegex(html, r'class="share-story__trap" aria-hidden="true"')
        self.assertRegex(html, r'<input[^>]*name="website"[^>]*tabindex="-1"')
        # Strict CSP: no inline script or style anywhere on the page.
        self.assertNotIn("<script", html)
        self.assertNotIn("style=", html)
        self.assertNotIn("<style", html)

    def test_checkbox_groups_are_fieldsets_with_legends(self):
        html = self.client.get(URL).content.decode()
        self.assertIn("<legend>What we may show about you</legend>", html)
        self.assertIn("<legend>Where we may publish your story</legend>", html)

    # -- A submission ------------------------------------------------------------------

    def test_submission_creates_records_and_emails(self):
        response = self.post()
        self.assertRedirects(response, reverse("submissions:thanks"))

        patient = Patient.objects.get()
        self.assertEqual(
            (patient.legal_name, patient.email), ("Maria Garcia", "maria@example.org")
        )
        consent = Consent.objects.get()
        self.assertEqual(consent.patient, patient)
        self.assertEqual(consent.status, Status.PENDING)
        self.assertEqual(consent.method, Consent.Method.ELECTRONIC)
        self.assertEqual(consent.signature_name, "maria garcia")
        self.assertEqual(consent.signature_ip, "198.51.100.23")
        self.assertEqual(consent.signature_user_agent, UA)
        self.assertIsNotNone(consent.signed_at)
        self.assertEqual((consent.text, consent.text_sha256), (self.text, self.text.sha256))
        self.assertEqual(consent.identifiers, ["first_name_initial", "age"])
        self.assertEqual(consent.channels, ["website"])
        self.assertIsNone(consent.obtained_by)
        self.assertIsNone(consent.verified_at)
        self.assertEqual((consent.expires_on - consent.signed_at.date()).days // 365, 2)
        self.assertTrue(
            ModelLogEntry.objects.for_instance(consent).filter(action=CREATED).exists()
        )

        testimonial = Testimonial.objects.get()
        self.assertFalse(testimonial.live)
        self.assertEqual(testimonial.consent, consent)
        self.assertEqual(testimonial.quote, "After three injections I can turn my head again.")
        self.assertEqual(testimonial.approved_text, testimonial.quote)
        self.assertEqual(testimonial.attribution(), "Maria G., 54")
        self.assertNotIn("Garcia", testimonial.title)

        patient_mail, officer_mail = sorted(mail.outbox, key=lambda m: m.to != [patient.email])
        self.assertEqual(patient_mail.to, ["maria@example.org"])
        self.assertIn(self.text.full_text, patient_mail.body)
        # The one-click link, bound to this consent (the token carries a timestamp).
        link = re.search(r"http://testserver/consent/withdraw/(\S+)/", patient_mail.body)
        self.assertEqual(consent_id_from_token(link.group(1)), consent.pk)
        self.assertIn(consent.expires_on.strftime("%B %-d, %Y"), patient_mail.body)
        self.assertIn("First name and initial, Age", patient_mail.body)
        self.assertEqual(officer_mail.to, [self.officer.email])
        self.assertIn(f"consent #{consent.pk}", officer_mail.subject)
        self.assertNotIn("Garcia", officer_mail.body)

    def test_submission_waits_for_consent_verification(self):
        self.post()
        testimonial = Testimonial.objects.get()
        state = WorkflowState.objects.for_instance(testimonial).get()
        self.assertEqual(state.status, WorkflowState.STATUS_NEEDS_CHANGES)
        self.assertIsNone(state.requested_by)
        self.assertIn("pending verification", state.current_task_state.comment)

        with self.assertRaises(PublishRefused) as refused:
            testimonial.get_latest_revision().publish()
        self.assertIn("pending verification", str(refused.exception))
        testimonial.refresh_from_db()
        self.assertFalse(testimonial.live)
        self.assertFalse(Testimonial.objects.visible().exists())

    def test_photo_is_stored_privately_and_unreachable_until_verified(self):
        self.post(
            files={"photo": image_upload("IMG_0001.jpg", image_format="JPEG")},
            identifiers=["first_name_initial", "age", "photo"],
        )
        testimonial = Testimonial.objects.get()
        photo = testimonial.photo
        self.assertEqual(photo.patient, testimonial.consent.patient)
        self.assertNotIn("IMG_0001", photo.file.name)
        self.assertEqual((photo.width, photo.height), (40, 30))
        self.assertTrue(photo.file.path.startswith(str(settings.PRIVATE_MEDIA_ROOT)))
        # Nothing from an unverified submission is reachable by any URL.
        self.assertEqual(self.client.get(photo.file.url).status_code, 404)
        self.assertEqual(self.client.get(f"/media/{photo.file.name}").status_code, 404)
        rendition = photo.get_rendition("fill-100x100")
        self.assertEqual(self.client.get(rendition.url).status_code, 404)

    def test_stored_before_any_email_is_sent(self):
        with self.captureOnCommitCallbacks() as callbacks:
            self.client.post(URL, form_data(self.text), REMOTE_ADDR="198.51.100.23")
        self.assertTrue(Testimonial.objects.exists())
        self.assertEqual(mail.outbox, [])
        for callback in callbacks:
            callback()
        self.assertEqual(len(mail.outbox), 2)  # the patient's copy, the officers' notice

    def test_failing_mail_never_loses_the_submission(self):
        failing = {"default": {"BACKEND": "submissions.tests.utils.FailingBackend"}}
        with self.settings(MAILERS=failing):
            response = self.post()
        self.assertRedirects(response, reverse("submissions:thanks"))
        self.assertEqual(Consent.objects.get().status, Status.PENDING)
        self.assertTrue(Testimonial.objects.exists())
        self.assertEqual(mail.outbox, [])

    # -- Bad input -----------------------------------------------------------------------

    def test_errors_are_listed_and_typed_text_kept(self):
        response = self.post(agree=None, channels=None, story="x" * 5001)
        self.assertEqual(response.status_code, 200)
        self.assertNothingStored()
        html = response.content.decode()
        self.assertIn("There is a problem", html)
        self.assertIn('href="#id_agree"', html)
        self.assertIn('href="#id_channels_0"', html)
        self.assertIn('href="#id_story"', html)
        self.assertRegex(html, r'<textarea[^>]*aria-invalid="true"[^>]*id="id_story"')
        self.assertRegex(
            html, r'<textarea[^>]*aria-describedby="id_story_helptext id_story_error"'
        )
        self.assertIn('id="id_story_error"', html)
        self.assertIn("Tick the box to say you have read and agree", html)
        self.assertIn('value="Maria Garcia"', html)
        self.assertIn("x" * 5001, html)
        self.assertIn("<title>Error: Share your story", html)

    def test_wrong_file_type(self):
        upload = image_upload("photo.gif", image_format="GIF", mode="P")
        response = self.post(
            files={"photo": upload}, identifiers=["age", "photo", "first_name_initial"]
        )
        self.assertContains(response, "Upload the photo as a JPEG, PNG or WebP image")
        self.assertNothingStored()

    def test_decompression_bomb(self):
        response = self.post(
            files={"photo": decompression_bomb()},
            identifiers=["age", "photo", "first_name_initial"],
        )
        self.assertContains(response, "more pixels than we can safely open")
        self.assertNothingStored()
        self.assertFalse(PatientPhoto.objects.exists())

    def test_honeypot_pretends_success_and_stores_nothing(self):
        response = self.post(website="http://spam.example")
        self.assertRedirects(response, reverse("submissions:thanks"))
        self.assertNothingStored()

    def test_csrf_is_required(self):
        response = self.post(client=Client(enforce_csrf_checks=True))
        self.assertEqual(response.status_code, 403)
        self.assertNothingStored()

    def test_rate_limit(self):
        for _ in range(ratelimit.SUBMISSIONS_PER_WINDOW):
            self.assertEqual(self.post().status_code, 302)
        response = self.post()
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "Please try again later", status_code=429)
        self.assertEqual(Consent.objects.count(), ratelimit.SUBMISSIONS_PER_WINDOW)
        # Another address is not affected.
        other = self.client.post(URL, form_data(self.text), REMOTE_ADDR="203.0.113.9")
        self.assertEqual(other.status_code, 302)

    def test_rate_limit_counts_failed_attempts_too(self):
        for _ in range(ratelimit.ATTEMPTS_PER_WINDOW):
            self.assertEqual(self.post(agree=None).status_code, 200)
        self.assertEqual(self.post().status_code, 429)
        self.assertNothingStored()

    def test_no_consent_text_means_no_form(self):
        self.text.delete()
        self.assertEqual(self.client.get(URL).status_code, 503)


class ThanksViewTests(TestCase):
    def test_says_what_happens_next_and_how_to_withdraw(self):
        response = self.client.get(reverse("submissions:thanks"))
        self.assertContains(response, "consent officers checks your consent")
        self.assertContains(response, "compliance team")
        self.assertContains(response, "withdraw your consent at any time")
        self.assertTrue(re.search(r"one click", response.content.decode()))
