"""Error reports to Sentry carry the shape of a failure, never a patient's data."""

import json

import sentry_sdk
from django.test import Client, TestCase, override_settings
from django.urls import reverse
from sentry_sdk.transport import Transport

from cms import sentry
from consent.factories import ConsentTextFactory
from submissions.tests.utils import form_data, image_upload


class Captured(Transport):
    envelopes = []

    def capture_envelope(self, envelope):
        self.envelopes.append(envelope)


class SentryTests(TestCase):
    def setUp(self):
        Captured.envelopes = []
        sentry.init("https://key@sentry.example/1", transport=Captured)
        self.addCleanup(sentry_sdk.init)  # no DSN: reporting off again

    def test_a_failed_submission_is_reported_without_the_patient(self):
        text = ConsentTextFactory()
        data = form_data(
            text,
            legal_name="Maria Garcia",
            email="maria.garcia@example.org",
            story="My neck was stiffened for years",
            identifiers=["first_name_initial", "age", "photo"],
            photo=image_upload(),
        )
        # Nothing can be written there, so storing the photo fails mid-submission.
        with override_settings(PRIVATE_MEDIA_ROOT="/dev/null/private"):
            response = Client(raise_request_exception=False).post(
                reverse("submissions:share") + "?ref=maria.garcia@example.org",
                data,
                HTTP_USER_AGENT="Maria's phone",
                REMOTE_ADDR="198.51.100.9",
            )
        self.assertEqual(response.status_code, 500)
        sentry_sdk.flush()

        events = [
            item.payload.json
            for envelope in Captured.envelopes
            for item in envelope.items
            if item.type == "event"
        ]
        self.assertTrue(events, "the error was reported")
        sent = json.dumps(events)
        for private in ["Maria", "Garcia", "maria.garcia", "stiffened", "198.51.100.9", "phone"]:
            self.assertNotIn(private, sent)
        [event] = [e for e in events if e.get("exception")]
        self.assertEqual(event["transaction"], "/share-your-story/")
        self.assertTrue(event["exception"]["values"][-1]["type"])

    def test_withdrawal_tokens_are_masked(self):
        event = sentry.scrub(
            {"request": {"method": "GET", "url": "https://x.org/consent/withdraw/eyJjb25z:abc/"}}
        )
        self.assertEqual(event["request"]["url"], "https://x.org/consent/withdraw/…/")
