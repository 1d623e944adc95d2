"""The automatic consent check reads the text for identifiers the consent doesn't cover."""

import datetime
from types import SimpleNamespace

from django.core import mail
from django.test import SimpleTestCase, TestCase
from django.urls import reverse
from wagtail.models import WorkflowState

from consent.rules import Identifier
from moderation.scanning import (
    DATE_OF_BIRTH,
    FIRST_NAME,
    PHONE,
    SURNAME,
    TOWN,
    general_hits,
    identifier_problems,
    patient_identifiers,
    private_hits,
)
from moderation.services import submit_for_moderation
from moderation.tests.utils import RoleUsers
from stories.factories import PatientStoryPageFactory, TestimonialFactory, story_body
from stories.tests.utils import SiteTree


def patient(**extra):
    fields = {
        "legal_name": "Maria Luisa Gonzalez",
        "first_name": "Maria",
        "last_name": "Gonzalez",
        "email": "maria.g@example.net",
        "phone": "+44 7700 900123",
        "town": "",
        "date_of_birth": None,
    }
    return SimpleNamespace(**{**fields, **extra})


class PureScanTests(SimpleTestCase):
    def test_identifiers_come_from_whatever_the_patient_record_holds(self):
        found = patient_identifiers(patient(town="Leeds", date_of_birth=datetime.date(1971, 3, 4)))
        self.assertEqual(found[FIRST_NAME], "Maria")
        self.assertEqual(found[SURNAME], "Gonzalez")
        self.assertEqual(found[TOWN], "Leeds")
        self.assertNotIn(TOWN, patient_identifiers(patient()))

    def test_private_values_are_found_however_they_are_written(self):
        ids = patient_identifiers(patient(town="Leeds", date_of_birth=datetime.date(1971, 3, 4)))
        text = "Call me on 07700 900 123. Born 4 March 1971 in leeds, said GONZALEZ."
        self.assertEqual(
            sorted(private_hits(text, ids)), sorted([PHONE, DATE_OF_BIRTH, TOWN, SURNAME])
        )
        self.assertEqual(private_hits("Mariana liked Leedsbury", ids), [])

    def test_identifiers_of_anyone_are_found(self):
        kinds = {
            kind
            for kind, _ in general_hits(
                "Write to jo@example.org, ring (0113) 496 0000 or visit 12 Park Lane, LS1 4AP."
            )
        }
        self.assertEqual(kinds, {"email address", "phone number", "street address", "postcode"})
        self.assertEqual(general_hits("Treated with 200 units in 2024 over 12 weeks."), [])


class ConsentCheckReadsTheTextTests(SiteTree, RoleUsers, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.make_tree()
        cls.make_users()

    def test_an_uncovered_surname_in_the_body_sends_the_story_back_with_reasons(self):
        story = PatientStoryPageFactory(
            parent=self.index,
            body=story_body() + [{"type": "heading", "value": "Life after Gonzalez clinic"}],
        )
        patient = story.consent.patient
        patient.legal_name, patient.first_name, patient.last_name = (
            "Maria Gonzalez",
            "Maria",
            "Gonzalez",
        )
        patient.save()
        self.assertNotIn(Identifier.FULL_NAME, story.consent.identifiers)
        with self.captureOnCommitCallbacks(execute=True):
            state = submit_for_moderation(story, self.editor)
        state.refresh_from_db()
        self.assertEqual(state.status, WorkflowState.STATUS_NEEDS_CHANGES)
        comment = state.current_task_state.comment
        self.assertIn("The body shows the patient's surname", comment)
        self.assertNotIn(story.consent.patient.email, comment)
        self.assertTrue(any("surname" in m.body for m in mail.outbox if self.editor.email in m.to))
        # The editor sees the reasons on the page.
        self.client.force_login(self.editor)
        history = self.client.get(reverse("wagtailadmin_pages:history", args=[story.pk]))
        self.assertContains(history, "surname")

    def test_a_phone_number_in_a_quote_sends_the_testimonial_back(self):
        testimonial = TestimonialFactory(quote="Ring me on 0113 496 0000 any time.")
        testimonial.approved_text = testimonial.quote
        testimonial.save()
        state = submit_for_moderation(testimonial, self.editor)
        state.refresh_from_db()
        self.assertEqual(state.status, WorkflowState.STATUS_NEEDS_CHANGES)
        self.assertIn("phone number", state.current_task_state.comment)

    def test_clean_text_passes(self):
        state = submit_for_moderation(TestimonialFactory(), self.editor)
        state.refresh_from_db()
        self.assertEqual(state.status, WorkflowState.STATUS_IN_PROGRESS)
        self.assertEqual(identifier_problems(TestimonialFactory()), [])
