"""The evidence pack: one PDF per story or testimonial, for consent officers only, each
download logged; opened here with pypdf and read."""

import io

from django.test import TestCase
from django.urls import reverse
from PIL import ImageFile
from pypdf import PdfReader
from wagtail import hooks
from wagtail.models import ModelLogEntry, PageLogEntry

from consent.models import Consent
from core.factories import SuperuserFactory, UserFactory
from core.roles import CLINICAL_REVIEWERS, COMPLIANCE_APPROVERS, CONSENT_OFFICERS, EDITORS
from moderation.models import SignOff
from records.views import EVIDENCE_PACK_DOWNLOADED, evidence_pack_url
from signoff.models import PatientApproval
from stories.factories import ActiveConsentFactory
from stories.models import Takedown
from stories.tests.utils import SiteTree, live_story, live_testimonial


def pdf_text(response):
    reader = PdfReader(io.BytesIO(response.content))
    # Table cells wrap; the checks below read the text with its line breaks as spaces.
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


class EvidencePackTests(SiteTree, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.make_tree()
        cls.officer = UserFactory(
            username="olive", first_name="Olive", last_name="Officer", roles=[CONSENT_OFFICERS]
        )
        cls.verifier = UserFactory(
            username="vera", first_name="Vera", last_name="Verifier", roles=[CONSENT_OFFICERS]
        )
        cls.editor = UserFactory(username="edna", roles=[EDITORS])
        cls.reviewer = UserFactory(
            username="rosa", first_name="Rosa", last_name="Reyes", roles=[CLINICAL_REVIEWERS]
        )
        cls.approver = UserFactory(username="amos", roles=[COMPLIANCE_APPROVERS])
        consent = ActiveConsentFactory(verified_at=None, obtained_by=cls.officer)
        consent.verify(cls.verifier)
        cls.consent = Consent.objects.get(pk=consent.pk)
        cls.testimonial = live_testimonial(consent=cls.consent, title="Walking the dog again")
        cls.story = live_story(cls.index, consent=cls.consent, title="A year of steady hands")

    def download(self, item, user):
        self.client.force_login(user)
        return self.client.get(evidence_pack_url(item))

    def test_an_officer_downloads_a_pdf_holding_the_evidence_for_a_testimonial(self):
        response = self.download(self.testimonial, self.officer)

        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertIn("attachment;", response["Content-Disposition"])
        self.assertIn("no-store", response["Cache-Control"])
        text = pdf_text(response)
        consent = self.consent
        self.assertIn("Evidence pack: Walking the dog again", text)
        # The consent text version and its hash, as signed.
        self.assertIn(f"Version {consent.text.version}", text)
        self.assertIn(consent.text_sha256, text)
        self.assertIn("The text is unchanged.", text)
        self.assertIn(consent.text.how_to_revoke, text)
        # The signature evidence.
        self.assertIn("Electronic signature", text)
        self.assertIn(consent.signature_name, text)
        self.assertIn("203.0.113.7", text)
        # Who verified it and when.
        self.assertIn("Vera Verifier (vera)", text)
        self.assertIn("Olive Officer (olive)", text)  # obtained it
        # Every workflow approval, with the sign-off (name, credentials) and its date.
        sign_offs = SignOff.objects.filter(
            task_state__workflow_state__object_id=str(self.testimonial.pk),
            task_state__workflow_state__base_content_type__model="testimonial",
        )
        self.assertEqual(sign_offs.count(), 2)
        flat = "".join(text.split())  # a narrow column wraps "compliance-approvers-1"
        for sign_off in sign_offs:
            self.assertIn("".join(f"{sign_off.name}, {sign_off.credentials}".split()), flat)
        # The patient's own approval of the final words, with what they saw hashed.
        approval = PatientApproval.objects.get(object_id=str(self.testimonial.pk))
        self.assertIn("Patient sign-off of the final words", text)
        self.assertIn(approval.content_sha256, flat)
        self.assertIn("Automatic consent check", text)
        self.assertIn("Consent check passed.", text)
        # The consent events (log entries).
        self.assertIn("consent.verified", text)
        self.assertIn("This item was never taken down.", text)

    def test_a_story_pack_lists_its_takedown_and_the_withdrawal(self):
        self.consent.withdraw(Consent.WithdrawalChannel.PHONE, user=self.officer)
        self.assertTrue(Takedown.objects.filter(object_id=str(self.story.pk)).exists())

        text = pdf_text(self.download(self.story, self.officer))

        self.assertIn("Evidence pack: A year of steady hands", text)
        self.assertIn("consent.withdrawn", text)
        self.assertIn("Consent withdrawn (Phone)", text)
        self.assertIn("withdrawn", text)
        self.assertIn("Takedowns", text)
        self.assertNotIn("This item was never taken down.", text)
        self.assertIn("Olive Officer (olive)", text)  # recorded the withdrawal

    def test_rendering_leaves_pillows_check_of_damaged_images_alone(self):
        # WeasyPrint's import turns it off for the whole process: upload checks need it.
        self.assertEqual(self.download(self.story, self.officer).status_code, 200)
        self.assertFalse(ImageFile.LOAD_TRUNCATED_IMAGES)

    def test_each_download_is_logged_on_the_item(self):
        self.download(self.testimonial, self.officer)
        self.download(self.story, self.officer)

        testimonial_log = ModelLogEntry.objects.filter(
            action=EVIDENCE_PACK_DOWNLOADED, object_id=str(self.testimonial.pk)
        )
        self.assertEqual(testimonial_log.get().user, self.officer)
        story_log = PageLogEntry.objects.filter(
            action=EVIDENCE_PACK_DOWNLOADED, page_id=self.story.pk
        )
        self.assertEqual(story_log.get().user, self.officer)

    def test_only_consent_officers_may_download(self):
        for user in (self.editor, self.reviewer, self.approver):
            for item in (self.testimonial, self.story):
                with self.subTest(user=user.username, item=item):
                    # The admin's answer to a permission refusal: back to the dashboard,
                    # with "Sorry, you do not have permission to access this area."
                    response = self.download(item, user)
                    self.assertRedirects(response, reverse("wagtailadmin_home"))
        self.client.logout()
        response = self.client.get(evidence_pack_url(self.story))
        self.assertRedirects(
            response, reverse("wagtailadmin_login") + "?next=" + evidence_pack_url(self.story)
        )
        self.assertFalse(
            ModelLogEntry.objects.filter(action=EVIDENCE_PACK_DOWNLOADED).exists()
            or PageLogEntry.objects.filter(action=EVIDENCE_PACK_DOWNLOADED).exists()
        )

    def test_only_stories_and_testimonials_have_a_pack(self):
        self.client.force_login(self.officer)
        url = reverse("records_evidence_pack", args=["consent", "consent", self.consent.pk])
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_the_admin_offers_the_pack_to_officers(self):
        self.client.force_login(self.officer)
        # Officers don't edit pages: the Reports menu lists every item with its pack.
        home = self.client.get(reverse("wagtailadmin_home"))
        self.assertContains(home, reverse("records_evidence_packs"))
        report = self.client.get(reverse("records_evidence_packs"))
        self.assertContains(report, evidence_pack_url(self.story))
        self.assertContains(report, evidence_pack_url(self.testimonial))
        listing = self.client.get(reverse("wagtailsnippets_stories_testimonial:list"))
        self.assertContains(listing, evidence_pack_url(self.testimonial))
        # Someone who is both (here a superuser) finds it on the story's edit page too.
        self.client.force_login(SuperuserFactory(username="admin"))
        edit = self.client.get(reverse("wagtailadmin_pages:edit", args=[self.story.pk]))
        self.assertContains(edit, evidence_pack_url(self.story))
        self.assertContains(edit, "Download evidence pack (PDF)")

        self.client.force_login(self.editor)
        self.assertNotContains(
            self.client.get(reverse("wagtailadmin_home")), reverse("records_evidence_packs")
        )
        self.assertRedirects(
            self.client.get(reverse("records_evidence_packs")), reverse("wagtailadmin_home")
        )
        edit = self.client.get(reverse("wagtailadmin_pages:edit", args=[self.story.pk]))
        self.assertEqual(edit.status_code, 200)
        self.assertNotContains(edit, "evidence pack")
        listing = self.client.get(reverse("wagtailsnippets_stories_testimonial:list"))
        self.assertNotContains(listing, evidence_pack_url(self.testimonial))

    def test_another_app_adds_a_section_through_the_hook(self):
        def sign_off_section(item):
            return {"order": 45, "heading": "Patient sign-off", "rows": [("Approved", "yes")]}

        with hooks.register_temporarily(
            "register_evidence_pack_section", lambda: sign_off_section
        ):
            text = pdf_text(self.download(self.testimonial, self.officer))

        self.assertIn("Patient sign-off", text)
        # Between the verification and the workflow approvals.
        self.assertLess(text.index("Verified by"), text.index("Patient sign-off"))
        self.assertLess(text.index("Patient sign-off"), text.index("Workflow approvals"))
