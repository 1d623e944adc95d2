from django.test import TestCase

from articles import demo as articles_demo
from consent import demo as consent_demo
from moderation import demo as moderation_demo
from stories import demo
from stories.models import PatientStoryPage, StoryIndexPage
from stories.models import Testimonial as StoredTestimonial


class DemoTests(TestCase):
    def test_loads_once_and_again_without_duplicates(self):
        moderation_demo.load()
        consent_demo.load()
        articles_demo.load()
        first = demo.load()
        again = demo.load()
        self.assertEqual(first, again)
        self.assertEqual(StoredTestimonial.objects.count(), 4)
        self.assertEqual(StoredTestimonial.objects.visible().count(), 3)
        self.assertEqual(PatientStoryPage.objects.visible().count(), 2)
        self.assertTrue(StoryIndexPage.objects.get().show_in_menus)
        aisha = StoredTestimonial.objects.get(title__startswith="Aisha")
        self.assertFalse(aisha.live)
        self.assertIn("expired", aisha.publish_problems()[0])
        story = PatientStoryPage.objects.get(slug="maria-turning-her-head-again")
        response = self.client.get(story.url)
        self.assertContains(response, "Maria G., 54")
        self.assertContains(response, "Individual experiences vary.")
