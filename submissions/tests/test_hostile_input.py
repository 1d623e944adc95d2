"""A damaged photo, or text a database would refuse, is a form error that keeps what the
person typed; nothing is stored."""

from django.core import mail
from django.test import TestCase
from django.urls import reverse
from wagtail.images import get_image_model

from consent.factories import ConsentTextFactory
from consent.models import Consent
from submissions.tests.utils import corrupt_png, form_data, truncated_jpeg

URL = reverse("submissions:share")
STORY = "The spasms stopped after the second session; I drive again."


class HostileUploadTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.text = ConsentTextFactory()

    def post(self, **overrides):
        data = form_data(
            self.text, story=STORY, identifiers=["first_name_initial", "age", "photo"]
        )
        data.update(overrides)
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(URL, data, REMOTE_ADDR="198.51.100.77")

    def assertRefusedKeepingText(self, response, message):
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, message)
        self.assertContains(response, STORY)
        self.assertContains(response, 'value="Maria Garcia"')
        self.assertFalse(Consent.objects.exists())
        self.assertFalse(get_image_model().objects.exists())
        self.assertEqual(mail.outbox, [])

    def test_truncated_jpeg(self):
        response = self.post(photo=truncated_jpeg())
        self.assertRefusedKeepingText(response, "the file is damaged, incomplete")

    def test_corrupt_png(self):
        response = self.post(photo=corrupt_png())
        self.assertRefusedKeepingText(response, "the file is damaged, incomplete")

    def test_null_character_in_the_story(self):
        response = self.post(story="Before\x00after")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Null characters are not allowed")
        self.assertFalse(Consent.objects.exists())
