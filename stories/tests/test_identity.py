"""Who the patient is comes from their private record, through the consent: editors pick
how they are named among what the consent allows, never type a name, never see the
legal name or contact data, and cannot hang one patient's content on another's consent."""

import datetime

from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from consent.factories import PatientFactory
from consent.models import AttributionStyle, Identifier
from core.factories import UserFactory
from core.roles import EDITORS
from stories.factories import ActiveConsentFactory, TestimonialFactory


def today():
    # Asked at each use: a module-level date goes stale when a run crosses midnight.
    return timezone.localdate()


class IdentityFromThePatientRecordTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.patient = PatientFactory(
            legal_name="Maria Elena Gonzalez-Ruiz",
            first_name="Maria",
            last_name="Gonzalez",
            date_of_birth=today().replace(year=today().year - 54) - datetime.timedelta(days=1),
            town="Springfield",
            email="maria.private@example.org",
            phone="+1 555 0142",
        )
        cls.consent = ActiveConsentFactory(
            patient=cls.patient,
            identifiers=[
                Identifier.FIRST_NAME_INITIAL,
                Identifier.AGE,
                Identifier.TOWN,
                Identifier.CONDITION,
            ],
        )
        cls.testimonial = TestimonialFactory(
            consent=cls.consent, show_age=True, show_town=True, title="Maria on driving"
        )
        cls.editor = UserFactory(username="edna", roles=[EDITORS])

    def test_the_attribution_is_derived_from_the_record(self):
        self.assertEqual(self.testimonial.attribution(), "Maria G., 54, from Springfield")
        self.testimonial.attribution_style = AttributionStyle.ANONYMOUS
        self.testimonial.show_age = False
        self.assertEqual(self.testimonial.attribution(), "a patient from Springfield")

    def test_a_style_the_consent_does_not_allow_is_refused(self):
        self.testimonial.attribution_style = AttributionStyle.FULL_NAME
        with self.assertRaises(ValidationError) as raised:
            self.testimonial.full_clean()
        self.assertIn("attribution_style", raised.exception.message_dict)

    def test_content_cannot_move_to_another_patients_consent(self):
        self.testimonial.consent = ActiveConsentFactory()
        with self.assertRaises(ValidationError) as raised:
            self.testimonial.full_clean()
        self.assertIn("another patient", str(raised.exception))
        # A newer consent of the same patient is fine.
        self.testimonial.consent = ActiveConsentFactory(
            patient=self.patient, identifiers=self.consent.identifiers
        )
        self.testimonial.full_clean()

    def test_editors_see_the_allowed_attribution_never_the_legal_name(self):
        self.client.force_login(self.editor)
        url = reverse("wagtailsnippets_stories_testimonial:edit", args=[self.testimonial.pk])
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(
            response, f"Consent #{self.consent.pk}: Maria G., 54, from Springfield"
        )
        for private in ("Gonzalez-Ruiz", "Elena", "maria.private@example.org", "555 0142"):
            self.assertNotContains(response, private)
        listing = self.client.get(reverse("wagtailsnippets_stories_testimonial:list"))
        self.assertContains(listing, "Maria G., 54, from Springfield")
        self.assertNotContains(listing, "Gonzalez-Ruiz")

    def test_the_share_form_never_puts_the_legal_name_on_the_content(self):
        # Content has no name fields at all: nothing to copy a legal name into.
        fields = {f.name for f in type(self.testimonial)._meta.get_fields()}
        self.assertFalse({"first_name", "last_name", "age", "town"} & fields)
