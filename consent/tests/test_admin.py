import datetime
import io

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from consent.factories import ConsentFactory, ConsentTextFactory, PatientFactory
from consent.models import Consent, Status
from consent.tests.utils import Roles

DAY = datetime.timedelta(days=1)


class ConsentAdminTest(Roles, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.make_roles(get_user_model())
        cls.text = ConsentTextFactory()
        cls.patient = PatientFactory(legal_name="Harriet Listing")
        cls.active = ConsentFactory(
            patient=cls.patient,
            text=cls.text,
            obtained_by=cls.officer,
            expires_on=timezone.localdate() + 10 * DAY,
        )
        cls.active.verify(cls.second_officer)
        cls.pending = ConsentFactory(text=cls.text, patient__legal_name="Pat Pending")

    def setUp(self):
        self.client.force_login(self.officer)

    def form_data(self, **overrides):
        data = {
            "patient": self.patient.pk,
            "signed_by": "patient",
            "identifiers": ["first_name_initial", "age"],
            "channels": ["website"],
            "purpose": "Publication of the patient's story for marketing.",
            "text": self.text.pk,
            "signed_at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
            "expires_on": (timezone.localdate() + 365 * DAY).isoformat(),
            "method": "electronic",
            "signature_name": "Harriet Listing",
            "material_connection": "none",
            "jurisdiction": "us",
        }
        data.update(overrides)
        return data

    # -- menu and dashboard ------------------------------------------------------------

    def test_the_menu_and_dashboard_panel_are_for_consent_officers_only(self):
        response = self.client.get(reverse("wagtailadmin_home"))
        self.assertContains(response, "Patients \\u0026 consent")
        self.assertContains(response, '"url": "/admin/consent/consents/"')
        self.assertContains(response, "Consents expiring within 30 days")
        self.assertContains(response, str(self.active.pk))

        self.client.force_login(self.editor)
        response = self.client.get(reverse("wagtailadmin_home"))
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "Patients \\u0026 consent")
        self.assertNotContains(response, "/admin/consent/")
        self.assertNotContains(response, "Consents expiring")

    # -- listing ------------------------------------------------------------------------

    def test_listing_filters_by_derived_status_and_searches(self):
        index = reverse("consent_consents:index")
        response = self.client.get(index, {"status": Status.ACTIVE})
        self.assertEqual(list(response.context["object_list"]), [self.active])
        response = self.client.get(index, {"status": Status.PENDING})
        self.assertEqual(list(response.context["object_list"]), [self.pending])
        response = self.client.get(index, {"q": "Harriet"})
        self.assertEqual(list(response.context["object_list"]), [self.active])

    def test_listing_exports_csv_and_xlsx(self):
        index = reverse("consent_consents:index")
        response = self.client.get(index, {"export": "csv"})
        self.assertEqual(response.status_code, 200)
        content = b"".join(response.streaming_content).decode()
        self.assertIn("Identifiers covered", content)
        self.assertIn("Harriet Listing", content)
        response = self.client.get(index, {"export": "xlsx"})
        self.assertEqual(response.status_code, 200)
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        self.assertGreaterEqual(workbook.active.max_row, 3)

    def test_copying_is_disabled(self):
        with self.assertRaises(NoReverseMatch):
            reverse("consent_consents:copy", args=[self.active.pk])

    def test_inspect_shows_the_record_and_its_actions(self):
        response = self.client.get(reverse("consent_consents:inspect", args=[self.active.pk]))
        self.assertContains(response, "Record withdrawal")
        self.assertContains(response, "Record a new consent that supersedes this")
        self.assertContains(response, self.active.text_sha256)

    # -- recording a consent -----------------------------------------------------------

    def test_recording_a_consent_logs_it(self):
        response = self.client.post(reverse("consent_consents:add"), self.form_data())
        self.assertEqual(response.status_code, 302)
        consent = Consent.objects.latest("pk")
        self.assertEqual(consent.identifiers, ["first_name_initial", "age"])
        self.assertEqual(consent.status, Status.PENDING)
        self.assertEqual(consent.text_sha256, self.text.sha256)
        entry = ModelLogEntry.objects.for_instance(consent).get()
        self.assertEqual((entry.action, entry.user), ("consent.created", self.officer))

    def test_bad_input_gets_clear_errors(self):
        cases = [
            (
                {"expires_on": (timezone.localdate() - DAY).isoformat()},
                "expires_on",
                "The expiry date must be after the date of signing.",
            ),
            ({"channels": []}, "channels", "Tick at least one channel"),
            ({"identifiers": ["shoe_size"]}, "identifiers", "shoe_size is not one of"),
            (
                {"method": "paper", "signed_form": SimpleUploadedFile("f.pdf", b"MZ not a pdf")},
                "signed_form",
                "This file is not really a PDF",
            ),
            (
                {"method": "paper", "signed_form": SimpleUploadedFile("f.docx", b"PK")},
                "signed_form",
                "PDF, JPEG or PNG",
            ),
        ]
        for overrides, field, message in cases:
            response = self.client.post(
                reverse("consent_consents:add"), self.form_data(**overrides)
            )
            self.assertEqual(response.status_code, 200, field)
            errors = " ".join(response.context["form"].errors.get(field, []))
            self.assertIn(message, errors, field)
        self.assertEqual(Consent.objects.count(), 2)

    def test_a_verified_consent_cannot_be_edited_in_place(self):
        url = reverse("consent_consents:edit", args=[self.active.pk])
        response = self.client.post(url, self.form_data(channels=["website", "print"]))
        self.assertRedirects(response, reverse("consent_consents:inspect", args=[self.active.pk]))
        self.active.refresh_from_db()
        self.assertEqual(self.active.channels, ["website"])
        response = self.client.get(url, follow=True)
        self.assertContains(response, "never edited in place")

    def test_superseding_starts_from_the_old_consent(self):
        response = self.client.get(reverse("consent_consents:add"), {"supersedes": self.active.pk})
        form = response.context["form"]
        self.assertEqual(form.initial["supersedes"], self.active.pk)
        self.assertEqual(form.initial["patient"], self.patient.pk)

        data = self.form_data(supersedes=self.active.pk, channels=["website", "print"])
        self.client.post(reverse("consent_consents:add"), data)
        new = Consent.objects.latest("pk")
        self.client.force_login(self.second_officer)
        self.client.post(reverse("consent_consents:verify", args=[new.pk]), {"confirm": "on"})
        self.active.refresh_from_db()
        self.assertEqual(self.active.status_at(), Status.SUPERSEDED)

    # -- one-step actions ----------------------------------------------------------------

    def test_verify_refuses_the_officer_who_obtained_it_with_a_clear_error(self):
        consent = ConsentFactory(text=self.text, obtained_by=self.officer)
        url = reverse("consent_consents:verify", args=[consent.pk])
        response = self.client.post(url, {"confirm": "on"})
        self.assertContains(response, "someone else must verify it")
        self.client.force_login(self.second_officer)
        response = self.client.post(url, {"confirm": "on"})
        self.assertRedirects(response, reverse("consent_consents:inspect", args=[consent.pk]))
        consent.refresh_from_db()
        self.assertEqual(consent.verified_by, self.second_officer)

    def test_recording_a_withdrawal_is_one_step(self):
        url = reverse("consent_consents:withdraw", args=[self.active.pk])
        self.assertContains(self.client.get(url), "Record withdrawal")
        response = self.client.post(url, {"channel": "phone"})
        self.assertRedirects(response, reverse("consent_consents:inspect", args=[self.active.pk]))
        self.active.refresh_from_db()
        self.assertEqual(self.active.status, Status.WITHDRAWN)
        history = self.client.get(reverse("consent_consents:history", args=[self.active.pk]))
        self.assertContains(history, "Consent withdrawn (Phone)")
        self.assertContains(history, "Consent verified")

    def test_editors_cannot_use_the_actions(self):
        self.client.force_login(self.editor)
        for name in ("verify", "withdraw"):
            url = reverse(f"consent_consents:{name}", args=[self.pending.pk])
            self.assertIn(self.client.post(url, {"channel": "phone"}).status_code, (302, 403))
        self.pending.refresh_from_db()
        self.assertEqual(self.pending.status, Status.PENDING)

    # -- consent texts -----------------------------------------------------------------

    def test_a_text_in_use_cannot_be_edited_or_deleted(self):
        for name in ("edit", "delete"):
            response = self.client.post(
                reverse(f"consent_texts:{name}", args=[self.text.pk]), {"title": "x"}, follow=True
            )
            self.assertContains(response, "in use")
        self.text.refresh_from_db()
        self.assertEqual(self.text.title, "Consent to share your story")

    def test_a_new_text_version_suggests_the_next_number(self):
        response = self.client.get(reverse("consent_texts:add"))
        self.assertEqual(response.context["form"].fields["version"].initial, self.text.version + 1)

    def test_every_admin_page_renders_for_a_consent_officer(self):
        urls = [
            reverse("consent_patients:index"),
            reverse("consent_patients:add"),
            reverse("consent_patients:inspect", args=[self.patient.pk]),
            reverse("consent_patients:edit", args=[self.patient.pk]),
            reverse("consent_patients:history", args=[self.patient.pk]),
            reverse("consent_consents:add"),
            reverse("consent_consents:edit", args=[self.pending.pk]),
            reverse("consent_consents:inspect", args=[self.pending.pk]),
            reverse("consent_consents:verify", args=[self.pending.pk]),
            reverse("consent_texts:index"),
            reverse("consent_texts:inspect", args=[self.text.pk]),
            reverse("wagtailadmin_reports:site_history"),
        ]
        for url in urls:
            self.assertEqual(self.client.get(url).status_code, 200, url)
        self.assertContains(
            self.client.get(reverse("consent_patients:inspect", args=[self.patient.pk])),
            self.patient.email,
        )
