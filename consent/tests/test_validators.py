import io

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import SimpleTestCase
from PIL import Image

from consent.tokens import consent_id_from_token, make_withdrawal_token
from consent.validators import MAX_SIGNED_FORM_SIZE, validate_signed_form

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, "PNG")
    return buffer.getvalue()


class SignedFormValidationTest(SimpleTestCase):
    def assertRejected(self, name, content, code):
        with self.assertRaises(ValidationError) as caught:
            validate_signed_form(SimpleUploadedFile(name, content))
        self.assertEqual(caught.exception.code, code)
        return caught.exception

    def test_real_pdf_png_and_jpeg_are_accepted(self):
        buffer = io.BytesIO()
        Image.new("RGB", (4, 4)).save(buffer, "JPEG")
        validate_signed_form(SimpleUploadedFile("form.pdf", PDF))
        validate_signed_form(SimpleUploadedFile("form.PNG", png_bytes()))
        validate_signed_form(SimpleUploadedFile("form.jpg", buffer.getvalue()))

    def test_other_extensions_are_refused_by_name(self):
        error = self.assertRejected("form.gif", b"GIF89a", "file_type")
        self.assertIn("PDF, JPEG or PNG", error.messages[0])

    def test_a_file_whose_content_does_not_match_its_name_is_refused(self):
        self.assertRejected("form.pdf", b"MZ\x90\x00 an executable", "file_content")
        self.assertRejected("form.png", PDF, "file_content")

    def test_a_damaged_image_is_refused(self):
        self.assertRejected("form.png", png_bytes()[:30], "file_content")

    def test_large_files_are_refused(self):
        error = self.assertRejected("form.pdf", PDF + b"0" * MAX_SIGNED_FORM_SIZE, "file_size")
        self.assertIn("10.0\xa0MB", error.messages[0])


class WithdrawalTokenTest(SimpleTestCase):
    class FakeConsent:
        pk = 42

    def test_a_token_names_its_consent(self):
        token = make_withdrawal_token(self.FakeConsent)
        self.assertEqual(consent_id_from_token(token), 42)

    def test_tampered_or_foreign_tokens_name_nothing(self):
        from django.core import signing

        token = make_withdrawal_token(self.FakeConsent)
        self.assertIsNone(consent_id_from_token(token[:-2] + "xx"))
        self.assertIsNone(consent_id_from_token("not-a-token"))
        self.assertIsNone(consent_id_from_token(signing.dumps({"consent": 43})))
        self.assertIsNone(consent_id_from_token(signing.dumps({"consent": 43}, salt="other")))
