from django.test import TestCase

from articles import demo as articles_demo
from consent import demo as consent_demo
from moderation import demo as moderation_demo
from stories import demo
from stories.models import PatientPhoto, PatientStoryPage, StoryIndexPage
from stories.models import Testimonial as StoredTestimonial


class DemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        moderation_demo.load()
        consent_demo.load()
        articles_demo.load()
        cls.first = demo.load()

    def test_loading_again_changes_nothing(self):
        counts = [m.objects.count() for m in (StoredTestimonial, PatientStoryPage, PatientPhoto)]
        self.assertEqual(demo.load(), self.first)
        self.assertEqual(
            [m.objects.count() for m in (StoredTestimonial, PatientStoryPage, PatientPhoto)],
            counts,
        )

    def test_eight_stories_and_testimonials_over_conditions_and_treatments(self):
        self.assertEqual(StoredTestimonial.objects.count(), 11)
        self.assertEqual(StoredTestimonial.objects.visible().count(), 9)
        self.assertEqual(PatientStoryPage.objects.count(), 9)
        stories = PatientStoryPage.objects.visible()
        self.assertEqual(stories.count(), 8)
        self.assertIn("  live: 8 stories, 9 testimonials", self.first)
        for visible in (stories, StoredTestimonial.objects.visible()):
            self.assertGreaterEqual(len({item.condition_id for item in visible}), 3)
            self.assertGreaterEqual(len({item.treatment_id for item in visible}), 3)
        self.assertTrue(StoryIndexPage.objects.get().show_in_menus)

    def test_content_on_an_ended_or_unverified_consent_is_refused(self):
        aisha = StoredTestimonial.objects.get(title__startswith="Aisha")
        self.assertFalse(aisha.live)
        self.assertIn("expired", aisha.publish_problems()[0])
        thomas = StoredTestimonial.objects.get(title__startswith="T. B.")
        self.assertFalse(thomas.live)
        self.assertIn("withdrawn", thomas.publish_problems()[0])
        lena = PatientStoryPage.objects.get(slug="lena-riding-again")
        self.assertFalse(lena.live)
        self.assertTrue(lena.publish_problems())
        self.assertEqual(self.client.get("/patient-stories/lena-riding-again/").status_code, 404)

    def test_photos_are_the_patients_own_illustrations_behind_the_consent(self):
        with_photos = PatientStoryPage.objects.visible().exclude(hero_image=None)
        self.assertEqual(with_photos.count(), 5)
        self.assertTrue(PatientStoryPage.objects.visible().filter(hero_image=None).exists())
        for story in with_photos:
            with self.subTest(story=story.slug):
                self.assertEqual(story.hero_image.patient, story.consent.patient)
                self.assertIn("photo", story.consent.identifiers)
                self.assertTrue(story.hero_image_alt.startswith("Illustration:"))
        photo = PatientPhoto.objects.first()
        self.assertEqual((photo.width, photo.height), (1200, 800))

    def test_a_story_shows_its_attribution_and_the_notice(self):
        story = PatientStoryPage.objects.get(slug="maria-turning-her-head-again")
        response = self.client.get(story.url)
        self.assertContains(response, "Maria G., 54")
        self.assertContains(response, "Individual experiences vary.")
        priya = PatientStoryPage.objects.get(slug="priya-keeping-my-eyes-open")
        response = self.client.get(priya.url)
        self.assertContains(response, "Received treatment at no cost")
        self.assertContains(response, "Boxed warning: distant spread of toxin effect")
