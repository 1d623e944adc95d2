import datetime

from django.test import SimpleTestCase, TestCase

from consent.factories import ConsentTextFactory
from submissions.forms import MAX_STORY_LENGTH, ShareStoryForm
from submissions.services import expiry_from
from submissions.tests.utils import decompression_bomb, form_data, image_upload
from taxonomy.factories import ConditionFactory


class ShareStoryFormTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.text = ConsentTextFactory()

    def form(self, files=None, **overrides):
        return ShareStoryForm(
            form_data(self.text, **overrides), files or {}, consent_text=self.text
        )

    def assertError(self, form, field, code):
        self.assertFalse(form.is_valid())
        self.assertTrue(form.has_error(field, code), form.errors.as_json())

    def test_valid(self):
        form = self.form()
        self.assertTrue(form.is_valid(), form.errors.as_json())
        self.assertEqual(form.public_name(), ("Maria", "Garcia"))

    def test_story_longer_than_the_limit(self):
        self.assertError(self.form(story="x" * (MAX_STORY_LENGTH + 1)), "story", "max_length")

    def test_blank_story(self):
        self.assertError(self.form(story="   \n "), "story", "required")

    def test_names_longer_than_the_limit(self):
        long_name = "M" * 201
        form = self.form(legal_name=long_name, signature_name=long_name)
        self.assertError(form, "legal_name", "max_length")
        self.assertTrue(form.has_error("signature_name", "max_length"))

    def test_consent_boxes_are_required(self):
        form = self.form(agree=None, channels=None)
        self.assertError(form, "agree", "required")
        self.assertTrue(form.has_error("channels", "required"))

    def test_signature_must_match_the_name(self):
        self.assertError(
            self.form(signature_name="Someone Else"), "signature_name", "signature_mismatch"
        )

    def test_signature_match_ignores_case_and_spacing(self):
        self.assertTrue(self.form(signature_name="  MARIA   garcia ").is_valid())

    def test_stale_consent_text(self):
        self.assertError(
            self.form(consent_text_version=self.text.version + 1),
            "consent_text_version",
            "stale_text",
        )

    def test_shown_things_need_their_box_ticked(self):
        condition = ConditionFactory()
        form = self.form(
            identifiers=[], date_of_birth="1972-03-14", town="Leeds", condition=str(condition.pk)
        )
        self.assertError(form, "attribution_style", "not_covered")
        for field in ("date_of_birth", "town", "condition"):
            self.assertTrue(form.has_error(field, "not_covered"), field)

    def test_anonymous_needs_no_identifier(self):
        form = self.form(attribution_style="anonymous", date_of_birth="", identifiers=[])
        self.assertTrue(form.is_valid(), form.errors.as_json())

    def test_photo_needs_photo_consent(self):
        self.assertError(self.form(files={"photo": image_upload()}), "photo", "not_covered")

    def test_photo_accepted_by_content(self):
        for image_format, name in [("PNG", "a.png"), ("JPEG", "b.jpg"), ("WEBP", "c.webp")]:
            upload = image_upload(name, image_format=image_format)
            form = self.form(
                files={"photo": upload}, identifiers=["first_name_initial", "age", "photo"]
            )
            self.assertTrue(form.is_valid(), form.errors.as_json())

    def test_wrong_file_type(self):
        for upload in [
            image_upload("photo.gif", image_format="GIF", mode="P"),
            # A PNG name on a file that is not an image at all.
            image_upload("notes.png", image_format="PNG").__class__(
                "notes.png", b"<script>alert(1)</script>", "image/png"
            ),
        ]:
            form = self.form(
                files={"photo": upload}, identifiers=["first_name_initial", "age", "photo"]
            )
            self.assertError(form, "photo", "file_type")

    def test_oversized_photo(self):
        upload = image_upload()
        upload.size = 6 * 1024 * 1024
        form = self.form(
            files={"photo": upload}, identifiers=["first_name_initial", "age", "photo"]
        )
        self.assertError(form, "photo", "file_size")

    def test_decompression_bomb(self):
        form = self.form(
            files={"photo": decompression_bomb()},
            identifiers=["first_name_initial", "age", "photo"],
        )
        self.assertError(form, "photo", "decompression_bomb")

    def test_decompression_bomb_warning_is_an_error(self):
        # 100 megapixels: Pillow only warns (its error starts at twice its limit).
        bomb = image_upload("warn.png", size=(10_000, 10_000), mode="1")
        form = self.form(files={"photo": bomb}, identifiers=["first_name_initial", "age", "photo"])
        self.assertError(form, "photo", "decompression_bomb")

    def test_more_pixels_than_our_limit(self):
        # 25 megapixels: below Pillow's own guard, above ours.
        form = self.form(
            files={"photo": image_upload(size=(5000, 5000), mode="1")},
            identifiers=["first_name_initial", "age", "photo"],
        )
        self.assertError(form, "photo", "decompression_bomb")


class ExpiryTests(SimpleTestCase):
    def test_two_year_term_on_29_february(self):
        self.assertEqual(expiry_from(datetime.date(2028, 2, 29)), datetime.date(2030, 2, 28))
