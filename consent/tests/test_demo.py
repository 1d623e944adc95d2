from django.test import TestCase

from consent import demo
from consent.models import Consent, Status
from core.factories import UserFactory
from core.roles import CONSENT_OFFICERS


class DemoTest(TestCase):
    def test_demo_consents_cover_each_status_and_loading_twice_changes_nothing(self):
        UserFactory(username="officer", roles=[CONSENT_OFFICERS])
        lines = demo.load()
        self.assertEqual(demo.load(), lines)
        self.assertEqual(Consent.objects.count(), 11)
        self.assertEqual(Consent.objects.active().count(), 8)

        def status(name):
            return Consent.objects.get(patient__legal_name=name).status

        self.assertEqual(status(demo.MARIA), Status.ACTIVE)
        self.assertEqual(status(demo.JAMES), Status.ACTIVE)
        self.assertEqual(status(demo.AISHA), Status.EXPIRED)
        self.assertEqual(status(demo.THOMAS), Status.WITHDRAWN)
        self.assertEqual(status(demo.LENA), Status.PENDING)
        helen = Consent.objects.get(patient__legal_name=demo.HELEN)
        self.assertEqual(helen.signed_by, Consent.SignedBy.REPRESENTATIVE)
        self.assertEqual(helen.signature_name, helen.patient.representative_name)
        for patient in {consent.patient for consent in Consent.objects.all()}:
            patient.full_clean()  # a name, and an email or a phone number, for each
        maria = Consent.objects.get(patient__legal_name=demo.MARIA)
        self.assertEqual(set(maria.identifiers), set(demo.ALL_IDENTIFIERS))
        self.assertEqual(maria.problems_for(demo.ALL_IDENTIFIERS, "social_media"), [])

    def test_without_a_consent_officer_consents_stay_pending(self):
        lines = demo.load()
        self.assertIn("pending verification", lines[-1])
        self.assertFalse(Consent.objects.filter(verified_at__isnull=False).exists())
