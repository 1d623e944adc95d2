"""Patient video and audio: under the consent like photos (voice or video, and photo or
face when the face is seen), captioned and transcribed, checked by content at upload, and
served only through the consent check with range requests so browsers play and seek."""

import re
import subprocess  # noqa: S404 - ffmpeg with fixed arguments, to make test files
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from django.urls import reverse

from consent.factories import PatientFactory
from consent.models import Consent, Identifier
from core.factories import SuperuserFactory, UserFactory
from core.roles import CLINICAL_REVIEWERS, EDITORS
from moderation.scanning import identifier_problems
from moderation.testing import WorkflowNotApproved
from stories import demo
from stories.factories import (
    DEMO_CLIP,
    SHOWN,
    ActiveConsentFactory,
    PatientMediaFactory,
    PatientStoryPageFactory,
    TestimonialFactory,
    story_body,
)
from stories.models import PatientMedia, PatientStoryPage, Takedown, Testimonial
from stories.tests.utils import SiteTree, expire_today, live_story, live_testimonial

WITH_VIDEO = [*SHOWN, Identifier.VOICE_VIDEO]
WITH_FACE = [*WITH_VIDEO, Identifier.PHOTO]
MEDIA_URL = re.compile(r"/patient-media/av/[^\"'\s,)]+")
CAPTIONS = DEMO_CLIP.with_suffix(".vtt").read_bytes()


def body_with(media):
    return [*story_body(), {"type": "patient_video", "value": media.pk}]


def media_urls(response):
    return sorted(set(MEDIA_URL.findall(response.content.decode())))


def made_with_ffmpeg(suffix, *args):
    """A small file made here by ffmpeg (``args`` are its input and codec options)."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / f"made{suffix}"
        subprocess.run(["ffmpeg", "-v", "error", "-y", *args, str(out)], check=True)  # noqa: S603, S607
        return out.read_bytes()


class ConsentRuleTests(SiteTree, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.make_tree()

    def test_a_video_needs_a_consent_covering_voice_or_video(self):
        consent = ActiveConsentFactory(identifiers=SHOWN)
        media = PatientMediaFactory(patient=consent.patient)
        story = PatientStoryPageFactory(parent=self.index, consent=consent, body=body_with(media))
        self.assertIn(Identifier.VOICE_VIDEO, story.identifiers_shown)
        self.assertIn("The consent does not cover: Voice or video.", story.publish_problems())
        with self.assertRaisesMessage(WorkflowNotApproved, "Voice or video"):
            live_story(self.index, consent=consent, body=body_with(media))
        testimonial = TestimonialFactory(consent=consent, video=media)
        self.assertIn(
            "The consent does not cover: Voice or video.", testimonial.publish_problems()
        )

    def test_a_seen_face_also_needs_photo_or_face(self):
        consent = ActiveConsentFactory(identifiers=WITH_VIDEO)
        hidden_face = PatientMediaFactory(patient=consent.patient)
        face = PatientMediaFactory(patient=consent.patient, face_shown=True)
        self.assertEqual(
            TestimonialFactory(consent=consent, video=hidden_face).publish_problems(), []
        )
        problems = TestimonialFactory(consent=consent, video=face).publish_problems()
        self.assertEqual(problems, ["The consent does not cover: Photo or face."])

        covering = ActiveConsentFactory(identifiers=WITH_FACE)
        face = PatientMediaFactory(patient=covering.patient, face_shown=True)
        testimonial = live_testimonial(consent=covering, video=face)
        self.assertTrue(Testimonial.objects.visible().filter(pk=testimonial.pk).exists())

    def test_ticking_face_seen_later_takes_the_video_off_the_site(self):
        consent = ActiveConsentFactory(identifiers=WITH_VIDEO)
        media = PatientMediaFactory(patient=consent.patient)
        story = live_story(self.index, consent=consent, body=body_with(media), title="By the lake")
        testimonial = live_testimonial(consent=consent, video=media)
        self.assertEqual(self.client.get(story.url).status_code, 200)

        media.face_shown = True
        media.save()
        # Listings (SQL, from the stored identifiers) and the page itself (Python) agree.
        self.assertFalse(PatientStoryPage.objects.visible().filter(pk=story.pk).exists())
        self.assertFalse(Testimonial.objects.visible().filter(pk=testimonial.pk).exists())
        self.assertEqual(self.client.get(story.url).status_code, 404)
        self.assertNotContains(self.client.get(self.index.url), "By the lake")

    def test_a_video_of_another_patient_is_refused(self):
        consent = ActiveConsentFactory(identifiers=WITH_VIDEO)
        stranger = PatientMediaFactory(patient=PatientFactory())
        testimonial = TestimonialFactory(consent=consent, video=stranger)
        with self.assertRaisesMessage(ValidationError, "someone other than this patient"):
            testimonial.full_clean()
        self.assertIn(
            "A video or recording here is of someone other than the patient whose consent "
            "this is.",
            testimonial.publish_problems(),
        )

    def test_a_video_that_lost_its_captions_is_not_published(self):
        consent = ActiveConsentFactory(identifiers=WITH_VIDEO)
        media = PatientMediaFactory(patient=consent.patient, title="Clip")
        PatientMedia.objects.filter(pk=media.pk).update(captions="", transcript="")
        testimonial = TestimonialFactory(consent=consent, video=PatientMedia.objects.get())
        self.assertEqual(
            testimonial.publish_problems(),
            ["The video “Clip” has no captions.", "The video “Clip” has no transcript."],
        )


class ConsentCheckReadsTheWordsTests(SiteTree, TestCase):
    """The automatic consent check reads the transcript and the captions as it reads the
    quote: a private identifier in them sends the item back."""

    @classmethod
    def setUpTestData(cls):
        cls.make_tree()

    def test_transcript_and_captions_are_scanned(self):
        consent = ActiveConsentFactory(identifiers=WITH_VIDEO, patient__last_name="Gonzalez")
        clean = PatientMediaFactory(patient=consent.patient)
        self.assertEqual(identifier_problems(TestimonialFactory(consent=consent, video=clean)), [])

        named = PatientMediaFactory(
            patient=consent.patient,
            transcript="I'm Maria Gonzalez and this is my story.",
            captions=ContentFile(
                CAPTIONS + b"\n00:00:09.000 --> 00:00:10.000\nCall 0161 496 0000\n", name="c.vtt"
            ),
        )
        problems = identifier_problems(
            PatientStoryPageFactory(parent=self.index, consent=consent, body=body_with(named))
        )
        self.assertEqual(len(problems), 2, problems)
        self.assertIn("The video transcript shows the patient's surname", problems[0])
        self.assertIn("The captions contain", problems[1])


class CaptionsAndTranscriptTests(TestCase):
    """WCAG 1.2.2 (captions) for video, 1.2.1 (transcript) for video and audio."""

    def errors(self, **kwargs):
        with self.assertRaises(ValidationError) as raised:
            PatientMediaFactory(**kwargs)
        return raised.exception.message_dict

    def test_a_video_needs_captions(self):
        errors = self.errors(captions=None)
        self.assertEqual(
            errors["captions"],
            ["A video needs captions (WCAG 1.2.2): upload a WebVTT (.vtt) file."],
        )

    def test_video_and_audio_need_a_transcript(self):
        self.assertIn("A transcript is required", self.errors(transcript="  ")["transcript"][0])
        audio = made_with_ffmpeg(".mp3", "-f", "lavfi", "-i", "sine=d=1")
        errors = self.errors(file=ContentFile(audio, name="a.mp3"), captions=None, transcript="")
        self.assertEqual(list(errors), ["transcript"])  # audio needs no captions

    def test_captions_must_be_webvtt(self):
        srt = b"1\n00:00:01,000 --> 00:00:02,000\nHello\n"
        self.assertIn(
            "its first line must be “WEBVTT”",
            self.errors(captions=ContentFile(srt, name="c.vtt"))["captions"][0],
        )
        self.assertIn(
            "not UTF-8",
            self.errors(captions=ContentFile(b"WEBVTT\n\xff\xfe", name="c.vtt"))["captions"][0],
        )
        self.assertIn(
            "no cues",
            self.errors(captions=ContentFile(b"WEBVTT\n\n", name="c.vtt"))["captions"][0],
        )
        # A byte-order mark and a header after WEBVTT are allowed.
        PatientMediaFactory(
            captions=ContentFile(b"\xef\xbb\xbfWEBVTT - demo\n\n" + CAPTIONS[8:], name="c.vtt")
        )

    @override_settings(PATIENT_CAPTIONS_MAX_SIZE=100)
    def test_captions_have_a_size_limit(self):
        self.assertIn("the limit is 100", self.errors()["captions"][0])


class UploadTests(TestCase):
    """Uploads through the admin: checked by content, size and length, with the reason
    shown on the field."""

    @classmethod
    def setUpTestData(cls):
        cls.editor = UserFactory(username="edna", roles=[EDITORS])
        cls.patient = PatientFactory()

    def setUp(self):
        self.client.force_login(self.editor)

    def upload(self, content, name="clip.mp4", captions=CAPTIONS, **extra):
        data = {
            "title": "Maria by the lake",
            "patient": self.patient.pk,
            "file": SimpleUploadedFile(name, content),
            "transcript": "A bench by the lake.",
            **extra,
        }
        if captions is not None:
            data["captions"] = SimpleUploadedFile("captions.vtt", captions)
        return self.client.post(reverse("wagtailsnippets_stories_patientmedia:add"), data)

    def assertRefused(self, response, message):
        self.assertEqual(response.status_code, 200)  # the form again, with the reason
        self.assertContains(response, message)
        self.assertFalse(PatientMedia.objects.exists())

    def test_a_video_is_measured_named_at_random_and_given_a_poster(self):
        response = self.upload(DEMO_CLIP.read_bytes(), name="maria-gonzalez.mp4")
        self.assertEqual(response.status_code, 302)
        media = PatientMedia.objects.get()
        self.assertEqual((media.kind, media.mime_type), ("video", "video/mp4"))
        self.assertAlmostEqual(media.duration, 9, delta=0.2)
        self.assertEqual((media.width, media.height), (320, 180))
        self.assertNotIn("maria", media.file.name)
        self.assertTrue(media.poster.name.endswith(".jpg"))
        self.assertTrue(media.poster.read().startswith(b"\xff\xd8"))  # a JPEG
        self.assertTrue(Path(media.file.path).is_relative_to(settings.PRIVATE_MEDIA_ROOT))

    def test_audio_is_accepted_without_captions(self):
        for suffix, codec in [(".mp3", "libmp3lame"), (".m4a", "aac"), (".ogg", "libopus")]:
            audio = made_with_ffmpeg(suffix, "-f", "lavfi", "-i", "sine=d=2", "-c:a", codec)
            response = self.upload(audio, name=f"voice{suffix}", captions=None)
            self.assertEqual(response.status_code, 302, suffix)
        kinds = set(PatientMedia.objects.values_list("kind", "mime_type"))
        self.assertEqual(
            kinds, {("audio", "audio/mpeg"), ("audio", "audio/mp4"), ("audio", "audio/ogg")}
        )

    def test_webm_video_is_accepted(self):
        webm = made_with_ffmpeg(
            ".webm", "-f", "lavfi", "-i", "testsrc=s=64x48:d=1", "-c:v", "libvpx"
        )
        self.assertEqual(self.upload(webm, name="clip.webm").status_code, 302)
        self.assertEqual(PatientMedia.objects.get().mime_type, "video/webm")

    def test_the_type_is_judged_by_content_not_name(self):
        png = made_with_ffmpeg(".png", "-f", "lavfi", "-i", "color=s=8x8", "-frames:v", "1")
        self.assertRefused(
            self.upload(png, name="clip.mp4"),
            "This file is a image/png file (judged by its content, not its name).",
        )
        self.assertRefused(
            self.upload(b"just text, named .mp4"), "not a recognised audio or video"
        )

    def test_a_file_that_only_starts_like_a_video_is_refused(self):
        self.assertRefused(
            self.upload(DEMO_CLIP.read_bytes()[:2000]), "damaged or not really audio or video"
        )

    @override_settings(PATIENT_MEDIA_MAX_SIZE=50_000)
    def test_too_large(self):
        self.assertRefused(self.upload(DEMO_CLIP.read_bytes()), "the limit is 48.8")

    @override_settings(PATIENT_MEDIA_MAX_SECONDS=5)
    def test_too_long(self):
        self.assertRefused(
            self.upload(DEMO_CLIP.read_bytes()),
            "This video is 0:09 min long; the limit is 0:05 min.",
        )

    def test_a_video_without_captions_is_refused(self):
        self.assertRefused(
            self.upload(DEMO_CLIP.read_bytes(), captions=None), "A video needs captions"
        )


class ServingTests(SiteTree, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.make_tree()
        cls.consent = ActiveConsentFactory(identifiers=WITH_VIDEO)
        cls.media = PatientMediaFactory(
            patient=cls.consent.patient,
            transcript="Turning to watch the sunset without holding my chin.",
        )
        cls.story = live_story(
            cls.index, consent=cls.consent, body=body_with(cls.media), title="By the lake"
        )
        cls.size = cls.media.file.size
        cls.bytes = DEMO_CLIP.read_bytes()

    def get(self, url=None, **headers):
        return self.client.get(url or self.media.file.url, headers=headers)

    def body(self, response):
        return b"".join(response.streaming_content)

    def test_the_page_plays_it_with_the_browsers_own_player(self):
        response = self.client.get(self.story.url)
        html = response.content.decode()
        [video] = re.findall(r"<video[^>]*>", html)
        self.assertIn("controls", video)
        self.assertIn('preload="metadata"', video)
        self.assertNotIn("autoplay", html)
        self.assertIn(f'poster="{self.media.poster.url}"', video)
        self.assertInHTML(
            f'<track kind="captions" src="{self.media.captions.url}" srclang="en" '
            'label="English captions" default>',
            html,
        )
        self.assertContains(response, "<summary>Transcript of the video (0:09)</summary>")
        self.assertContains(response, "Turning to watch the sunset without holding my chin.")
        self.assertEqual(
            media_urls(response),
            sorted([self.media.file.url, self.media.captions.url, self.media.poster.url]),
        )

    def test_whole_file_with_accept_ranges(self):
        response = self.get()
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Accept-Ranges"], "bytes")
        self.assertEqual(response["Content-Type"], "video/mp4")
        self.assertEqual(int(response["Content-Length"]), self.size)
        self.assertEqual(self.body(response), self.bytes)
        self.assertIn("private", response["Cache-Control"])
        self.assertIn("no-cache", response["Cache-Control"])

    def test_range_requests_answer_206_with_those_bytes(self):
        cases = {
            "bytes=0-99": (0, 99),
            "bytes=1000-": (1000, self.size - 1),
            "bytes=-500": (self.size - 500, self.size - 1),
            f"bytes=5000-{self.size + 1000}": (5000, self.size - 1),  # clipped to the end
        }
        for header, (start, end) in cases.items():
            response = self.get(Range=header)
            self.assertEqual(response.status_code, 206, header)
            self.assertEqual(response["Content-Range"], f"bytes {start}-{end}/{self.size}")
            self.assertEqual(int(response["Content-Length"]), end - start + 1)
            self.assertEqual(self.body(response), self.bytes[start : end + 1], header)

    def test_an_unsatisfiable_range_is_416(self):
        for header in (f"bytes={self.size}-", "bytes=500-100"):
            response = self.get(Range=header)
            self.assertEqual(response.status_code, 416, header)
            self.assertEqual(response["Content-Range"], f"bytes */{self.size}")

    def test_a_range_it_cannot_read_gets_the_whole_file(self):
        response = self.get(Range="bytes=0-1,5-9")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.body(response), self.bytes)

    def test_head(self):
        response = self.client.head(self.media.file.url, headers={"Range": "bytes=0-9"})
        self.assertEqual(response.status_code, 206)
        self.assertEqual(response["Content-Length"], "10")
        self.assertEqual(response["Content-Range"], f"bytes 0-9/{self.size}")
        self.assertEqual(response.content, b"")

    def test_captions_and_poster(self):
        captions = self.get(self.media.captions.url)
        self.assertEqual(captions["Content-Type"], "text/vtt; charset=utf-8")
        self.assertTrue(self.body(captions).startswith(b"WEBVTT"))
        poster = self.get(self.media.poster.url)
        self.assertEqual(poster["Content-Type"], "image/jpeg")

    def test_files_are_private(self):
        path = Path(self.media.file.path)
        self.assertTrue(path.is_relative_to(settings.PRIVATE_MEDIA_ROOT))
        self.assertFalse(path.is_relative_to(settings.MEDIA_ROOT))
        self.assertEqual(self.client.get(f"/media/{self.media.file.name}").status_code, 404)
        self.assertEqual(self.client.get("/patient-media/av/files/nothing.mp4").status_code, 404)
        # Not through the photo view either.
        self.assertEqual(
            self.client.get(f"/patient-media/{self.media.file.name}x").status_code, 404
        )

    def test_media_no_live_item_shows_is_staff_only(self):
        unused = PatientMediaFactory(patient=self.consent.patient)
        for url in (unused.file.url, unused.captions.url, unused.poster.url):
            self.assertEqual(self.get(url).status_code, 404, url)
        self.client.force_login(UserFactory(username="edna", roles=[EDITORS]))
        self.assertEqual(self.get(unused.file.url, Range="bytes=0-9").status_code, 206)

    def test_withdrawal_ends_every_url_and_takes_the_story_down(self):
        urls = [self.media.file.url, self.media.captions.url, self.media.poster.url]
        for url in urls:
            self.assertEqual(self.get(url).status_code, 200, url)
        self.assertEqual(
            [s.pk for s in PatientStoryPage.objects.search_visible("sunset")], [self.story.pk]
        )
        with self.captureOnCommitCallbacks(execute=True):
            Consent.objects.get(pk=self.consent.pk).withdraw(
                Consent.WithdrawalChannel.LETTER, user=SuperuserFactory(username="root")
            )
        for url in urls:
            self.assertEqual(self.get(url).status_code, 404, url)
            self.assertEqual(self.get(url, Range="bytes=0-9").status_code, 404, url)
        self.assertEqual(self.client.get(self.story.url).status_code, 404)
        self.assertTrue(
            Takedown.objects.filter(consent=self.consent, title="By the lake").exists()
        )
        self.assertEqual(list(PatientStoryPage.objects.search_visible("sunset")), [])

    def test_expiry_ends_every_url_before_any_job_runs(self):
        expire_today(self.consent)
        self.assertEqual(self.get().status_code, 404)
        self.assertEqual(self.get(Range="bytes=0-9").status_code, 404)

    def test_a_consent_that_stops_covering_voice_or_video_ends_the_urls(self):
        Consent.objects.filter(pk=self.consent.pk).update(identifiers=SHOWN)
        self.assertEqual(self.get().status_code, 404)

    @override_settings(PATIENT_MEDIA_ACCEL_REDIRECT="/_patient_media/")
    def test_behind_nginx_the_proxy_sends_the_bytes(self):
        response = self.get(Range="bytes=0-9")
        self.assertEqual(response.status_code, 200)  # nginx turns it into the 206
        self.assertEqual(response["X-Accel-Redirect"], "/_patient_media/" + self.media.file.name)
        self.assertEqual(response["Content-Type"], "video/mp4")
        self.assertIn("private", response["Cache-Control"])


class TestimonialVideoTests(SiteTree, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.make_tree()
        consent = ActiveConsentFactory(identifiers=WITH_VIDEO)
        cls.media = PatientMediaFactory(
            patient=consent.patient, transcript="The tremor settled within four days."
        )
        cls.testimonial = live_testimonial(consent=consent, video=cls.media)

    def test_shown_with_its_player_and_transcript_and_searchable(self):
        response = self.client.get(self.testimonial_index.url)
        self.assertContains(response, f'<source src="{self.media.file.url}" type="video/mp4">')
        self.assertContains(response, "The tremor settled within four days.")
        self.assertEqual(self.client.get(self.media.file.url).status_code, 200)
        self.assertEqual(
            [t.pk for t in Testimonial.objects.search_visible("tremor")], [self.testimonial.pk]
        )
        # The site's search finds it by words only its video says.
        self.assertContains(self.client.get("/search/?q=tremor"), self.testimonial.quote)

    def test_withdrawal_takes_it_down_with_its_video(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.testimonial.consent.withdraw(
                Consent.WithdrawalChannel.LETTER, user=SuperuserFactory(username="root")
            )
        for url in (self.media.file.url, self.media.captions.url, self.media.poster.url):
            self.assertEqual(self.client.get(url).status_code, 404, url)
        self.assertNotContains(self.client.get(self.testimonial_index.url), self.media.file.url)
        self.assertEqual(list(Testimonial.objects.search_visible("tremor")), [])
        self.assertTrue(Takedown.objects.filter(object_id=str(self.testimonial.pk)).exists())


class DemoClipTests(TestCase):
    def test_the_committed_clip_passes_the_upload_checks(self):
        patient = PatientFactory()
        media = demo._video(patient, "maria-lakeside")
        self.assertLess(DEMO_CLIP.stat().st_size, 500 * 1024)
        self.assertEqual((media.kind, media.width, media.height), ("video", 320, 180))
        self.assertTrue(8 <= media.duration <= 10)
        self.assertTrue(media.captions and media.poster and media.transcript)
        self.assertEqual(demo._video(patient, "maria-lakeside"), media)  # made once


class AdminTests(TestCase):
    """Permissions as for patient photos (migration 0007): editors and consent officers
    upload, every patient-content role views, nobody deletes by hand."""

    @classmethod
    def setUpTestData(cls):
        cls.media = PatientMediaFactory(title="Maria by the lake")

    def url(self, name, *args):
        return reverse(f"wagtailsnippets_stories_patientmedia:{name}", args=args)

    def test_editors_upload_and_list_reviewers_only_view(self):
        self.client.force_login(UserFactory(username="edna", roles=[EDITORS]))
        listing = self.client.get(self.url("list"))
        self.assertContains(listing, "Maria by the lake")
        self.assertContains(listing, "0:09")
        # Editors find a clip by its title or by what is said in it.
        for query in ("lake", "sunset"):
            found = self.client.get(self.url("list"), {"q": query})
            self.assertContains(found, "Maria by the lake", msg_prefix=query)
        self.assertNotContains(self.client.get(self.url("list"), {"q": "zebra"}), "Maria by")
        found = self.client.get(self.url("list"), {"q": "lake", "kind": "video"})
        self.assertContains(found, "Maria by the lake")
        self.assertNotContains(self.client.get(self.url("list"), {"kind": "audio"}), "Maria by")
        self.assertEqual(self.client.get(self.url("add")).status_code, 200)
        self.assertEqual(self.client.get(self.url("edit", self.media.pk)).status_code, 200)
        self.assertNotEqual(self.client.get(self.url("delete", self.media.pk)).status_code, 200)
        # Staff watch it with its captions, as visitors would, on its inspect page.
        inspect = self.client.get(self.url("inspect", self.media.pk))
        self.assertContains(inspect, f'<source src="{self.media.file.url}" type="video/mp4">')
        self.assertContains(inspect, f'src="{self.media.captions.url}"')
        self.assertContains(inspect, self.media.patient.public_label())
        self.assertNotContains(inspect, self.media.patient.legal_name)
        self.assertEqual(self.client.get(self.media.file.url).status_code, 200)

        self.client.force_login(UserFactory(username="rhea", roles=[CLINICAL_REVIEWERS]))
        self.assertContains(self.client.get(self.url("list")), "Maria by the lake")
        self.assertNotEqual(self.client.get(self.url("add")).status_code, 200)

    def test_editing_keeps_the_file_and_checks_the_rest(self):
        self.client.force_login(UserFactory(username="edna", roles=[EDITORS]))
        response = self.client.post(
            self.url("edit", self.media.pk),
            {"title": "Renamed", "patient": self.media.patient_id, "transcript": " "},
        )
        self.assertContains(response, "A transcript is required")
        name = self.media.file.name
        response = self.client.post(
            self.url("edit", self.media.pk),
            {"title": "Renamed", "patient": self.media.patient_id, "transcript": "Words."},
        )
        self.assertEqual(response.status_code, 302)
        self.media.refresh_from_db()
        self.assertEqual((self.media.title, self.media.file.name), ("Renamed", name))

    def test_deleting_the_record_deletes_its_files(self):
        media = PatientMediaFactory()
        paths = [Path(f.path) for f in (media.file, media.captions, media.poster)]
        self.assertTrue(all(p.exists() for p in paths))
        with self.captureOnCommitCallbacks(execute=True):
            media.delete()
        self.assertFalse(any(p.exists() for p in paths))

    def test_a_replaced_recording_leaves_no_old_file_behind(self):
        media = PatientMediaFactory()
        old = [Path(f.path) for f in (media.file, media.captions, media.poster)]
        media.file = ContentFile(DEMO_CLIP.read_bytes(), name="again.mp4")
        media.captions = ContentFile(DEMO_CLIP.with_suffix(".vtt").read_bytes(), name="again.vtt")
        media.full_clean()
        with self.captureOnCommitCallbacks(execute=True):
            media.save()
        new = [Path(f.path) for f in (media.file, media.captions, media.poster)]
        self.assertTrue(all(p.exists() for p in new))
        self.assertFalse(any(p.exists() for p in old))


class AudioTests(SiteTree, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.make_tree()
        consent = ActiveConsentFactory(identifiers=WITH_VIDEO)
        audio = made_with_ffmpeg(".mp3", "-f", "lavfi", "-i", "sine=d=2")
        cls.media = PatientMediaFactory(
            patient=consent.patient,
            file=ContentFile(audio, name="voice.mp3"),
            captions=None,
            transcript="It took four days.",
        )
        cls.testimonial = live_testimonial(consent=consent, video=cls.media)

    def test_a_recording_plays_in_the_audio_player_with_its_transcript(self):
        response = self.client.get(self.testimonial_index.url)
        html = response.content.decode()
        [audio] = re.findall(r"<audio[^>]*>", html)
        self.assertIn("controls", audio)
        self.assertIn('preload="metadata"', audio)
        self.assertNotIn("<video", html)
        self.assertContains(response, f'<source src="{self.media.file.url}" type="audio/mpeg">')
        self.assertContains(response, "<summary>Transcript of the audio (0:02)</summary>")
        self.assertContains(response, "It took four days.")
        ranged = self.client.get(self.media.file.url, headers={"Range": "bytes=0-3"})
        self.assertEqual(ranged.status_code, 206)
        self.assertEqual(ranged["Content-Type"], "audio/mpeg")
        self.assertEqual(self.media.poster.name, "")  # a recording has no frame
