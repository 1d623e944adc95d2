"""Patient photos are patient data: private files, every URL decided by the consent rule
at request time, gone the moment the consent ends."""

import re
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import TestCase, override_settings

from consent.factories import PatientFactory
from consent.models import Consent, Identifier
from core.factories import SuperuserFactory, UserFactory
from core.roles import CLINICAL_REVIEWERS, EDITORS
from stories.factories import (
    SHOWN,
    ActiveConsentFactory,
    PatientPhotoFactory,
    PatientStoryPageFactory,
    TestimonialFactory,
)
from stories.models import PatientPhotoRendition
from stories.tests.utils import SiteTree, expire_today, live_story, live_testimonial

WITH_PHOTO = [*SHOWN, Identifier.PHOTO]
PHOTO_URL = re.compile(r"/patient-media/[^\"'\s,)]+")


def photo_urls(response):
    return sorted(set(PHOTO_URL.findall(response.content.decode())))


class PatientPhotoServingTests(SiteTree, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.make_tree()
        cls.consent = ActiveConsentFactory(identifiers=WITH_PHOTO)
        cls.photo = PatientPhotoFactory(patient=cls.consent.patient, title="Maria at the park")
        cls.story = live_story(
            cls.index, consent=cls.consent, hero_image=cls.photo, title="Walking again"
        )
        other = ActiveConsentFactory(identifiers=WITH_PHOTO)
        cls.other = live_testimonial(
            consent=other, photo=PatientPhotoFactory(patient=other.patient, title="Someone else")
        )

    def setUp(self):
        # Wagtail caches renditions by image; each test's rows are rolled back after it.
        cache.clear()

    def story_photo_urls(self):
        urls = photo_urls(self.client.get(self.story.url)) + photo_urls(
            self.client.get(self.index.url)
        )
        self.assertTrue(urls, "the story and its listing show the photo")
        return sorted(set(urls))

    def test_a_story_page_reads_its_photo_renditions_from_the_cache_without_rewriting_them(self):
        with override_settings(PAGE_CACHE_ENABLED=False):
            first = self.client.get(self.story.url)  # makes and caches the renditions
            with mock.patch.object(cache, "set_many", wraps=cache.set_many) as writes:
                again = self.client.get(self.story.url)
        self.assertEqual(photo_urls(again), photo_urls(first))
        self.assertTrue(photo_urls(again))
        writes.assert_not_called()

    def test_files_live_outside_the_public_media_folder(self):
        path = Path(self.photo.file.path)
        self.assertTrue(str(path).startswith(str(settings.PRIVATE_MEDIA_ROOT)))
        self.assertFalse(str(path).startswith(str(settings.MEDIA_ROOT) + "/"))
        self.assertEqual(self.client.get(f"/media/{self.photo.file.name}").status_code, 404)
        self.assertTrue(self.photo.file.url.startswith("/patient-media/"))

    def test_renditions_answer_while_the_consent_covers_the_photo(self):
        for url in self.story_photo_urls():
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
            self.assertIn(response["Content-Type"], ("image/avif", "image/webp", "image/jpeg"))
            # No shared cache may keep it past the consent; browsers revalidate each time.
            cache_control = response["Cache-Control"]
            self.assertIn("private", cache_control)
            self.assertIn("no-cache", cache_control)

    def test_the_original_is_never_public_but_staff_see_it(self):
        original = self.photo.file.url
        self.assertEqual(self.client.get(original).status_code, 404)
        self.client.force_login(UserFactory(username="edna", roles=[EDITORS]))
        response = self.client.get(original)
        self.assertEqual(response.status_code, 200)
        self.assertIn("no-cache", response["Cache-Control"])

    def test_withdrawal_ends_every_url_at_once_and_deletes_renditions(self):
        urls = self.story_photo_urls()
        renditions = list(PatientPhotoRendition.objects.filter(image=self.photo))
        self.assertTrue(renditions)
        files = [Path(r.file.path) for r in renditions]
        self.assertTrue(all(f.exists() for f in files))

        with self.captureOnCommitCallbacks(execute=True):
            Consent.objects.get(pk=self.consent.pk).withdraw(
                Consent.WithdrawalChannel.LETTER, user=SuperuserFactory(username="root")
            )
        for url in [*urls, self.photo.file.url]:
            self.assertEqual(self.client.get(url).status_code, 404, url)
        self.assertFalse(PatientPhotoRendition.objects.filter(image=self.photo).exists())
        self.assertFalse(any(f.exists() for f in files))
        # Another patient's photo is untouched.
        [other_url] = photo_urls(self.client.get(self.testimonial_index.url))
        self.assertEqual(self.client.get(other_url).status_code, 200)

    def test_expiry_ends_every_url_before_any_job_runs(self):
        urls = self.story_photo_urls()
        expire_today(self.consent)
        for url in urls:
            self.assertEqual(self.client.get(url).status_code, 404, url)

    def test_a_consent_that_stops_covering_photos_ends_the_urls(self):
        urls = self.story_photo_urls()
        Consent.objects.filter(pk=self.consent.pk).update(identifiers=SHOWN)
        for url in urls:
            self.assertEqual(self.client.get(url).status_code, 404, url)

    def test_an_unknown_name_is_404(self):
        self.assertEqual(self.client.get("/patient-media/images/nothing.jpg").status_code, 404)
        self.assertEqual(self.client.get("/patient-media/../../etc/passwd").status_code, 404)

    @override_settings(PATIENT_MEDIA_ACCEL_REDIRECT="/_patient_media/")
    def test_behind_nginx_the_proxy_sends_the_bytes(self):
        url = self.story_photo_urls()[0]
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response["X-Accel-Redirect"], "/_patient_media/" + url.removeprefix("/patient-media/")
        )
        self.assertEqual(response.content, b"")
        self.assertIn("private", response["Cache-Control"])


class PhotoOwnershipTests(SiteTree, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.make_tree()
        cls.reviewer = UserFactory(username="rhea", roles=[CLINICAL_REVIEWERS])

    def test_a_photo_of_another_patient_is_refused(self):
        consent = ActiveConsentFactory(identifiers=WITH_PHOTO)
        stranger = PatientPhotoFactory(patient=PatientFactory())
        testimonial = TestimonialFactory(consent=consent, photo=stranger)
        with self.assertRaises(ValidationError) as raised:
            testimonial.full_clean()
        self.assertIn("someone other than this patient", str(raised.exception))
        self.assertIn(
            "A photo here shows someone other than the patient whose consent this is.",
            testimonial.publish_problems(),
        )
        # Refused as soon as it is submitted: the revision itself does not validate.
        with self.assertRaises(ValidationError):
            live_testimonial(consent=consent, photo=stranger)

    def test_a_photo_needs_consent_for_photos(self):
        consent = ActiveConsentFactory(identifiers=SHOWN)
        story = PatientStoryPageFactory(
            parent=self.index,
            consent=consent,
            hero_image=PatientPhotoFactory(patient=consent.patient),
        )
        self.assertIn("The consent does not cover: Photo or face.", story.publish_problems())
