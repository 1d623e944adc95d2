import pickle
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.test import TestCase, override_settings
from wagtail.contrib.frontend_cache.backends.base import BaseBackend
from wagtail.models import ModelLogEntry, PageLogEntry, WorkflowState
from wagtail.search.backends import get_search_backend

from consent.models import Consent
from core import sites
from core.factories import UserFactory
from core.pages import kept_key
from core.roles import CONSENT_OFFICERS, EDITORS
from moderation.services import submit_for_moderation
from moderation.testing import publish_through_workflow
from stories import factories
from stories import models as story_models
from stories.models import PatientStoryPage, Takedown
from stories.takedown import TAKEN_DOWN
from stories.tests.utils import SiteTree, expired_yesterday, live_story, live_testimonial

PURGED = []


class RecordingBackend(BaseBackend):
    def purge(self, url):
        PURGED.append(url)


@override_settings(
    WAGTAILFRONTENDCACHE={"test": {"BACKEND": "stories.tests.test_takedown.RecordingBackend"}}
)
class TakedownTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        SiteTree.make_tree()
        cls.index = SiteTree.index
        cls.consent = factories.ActiveConsentFactory(patient__email="maria@example.org")
        cls.testimonial = live_testimonial(consent=cls.consent, quote="My neck is free.")
        cls.story = live_story(cls.index, consent=cls.consent, title="Maria's year")
        cls.other = live_testimonial(quote="Someone else's words.")
        # An article-like page that embeds the testimonial.
        cls.index.featured = [("testimonial", cls.testimonial), ("testimonial", cls.other)]
        publish_through_workflow(cls.index)
        cls.draft = factories.TestimonialFactory(consent=cls.consent, title="In review")
        submit_for_moderation(
            cls.draft, get_user_model().objects.filter(groups__name="Editors").first()
        )
        cls.officer = UserFactory(username="officer", roles=[CONSENT_OFFICERS])
        cls.editor = UserFactory(username="writer", roles=[EDITORS])

    def setUp(self):
        PURGED.clear()

    def withdraw(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.assertTrue(Consent.objects.get(pk=self.consent.pk).withdraw("patient_link"))

    def test_withdrawal_takes_everything_down_at_once(self):
        self.withdraw()
        self.testimonial.refresh_from_db()
        self.assertFalse(self.testimonial.live)
        self.assertFalse(PatientStoryPage.objects.get(pk=self.story.pk).live)
        self.assertEqual(self.client.get(self.story.url).status_code, 404)
        index_html = self.client.get(self.index.url)
        self.assertNotContains(index_html, "My neck is free.")
        self.assertContains(index_html, "Someone else&#x27;s words.")

    def test_the_listing_kept_by_routing_holds_ids_and_still_drops_withdrawn_words(self):
        # Routing keeps the listing page in the cache (core.pages); its featured
        # testimonials are read through the consent rule at each rendering, so a
        # withdrawal that changes no page still takes the words away at once.
        with override_settings(PAGE_CACHE_ENABLED=False):
            for _ in range(2):
                self.assertContains(self.client.get(self.index.url), "Someone else&#x27;s words.")
            generation = SimpleNamespace(_kept_generation=cache.get(sites.KEY)[2])
            key = kept_key(generation, "route", SiteTree.home.pk, self.index.slug)
            kept = cache.get(key)
            self.assertEqual(kept.pk, self.index.pk)
            self.assertNotIn(b"Someone else", pickle.dumps(kept))
            with self.captureOnCommitCallbacks(execute=True):
                self.assertTrue(self.other.consent.withdraw("patient_link"))
            self.assertIsNotNone(cache.get(key))  # no page changed: still kept
            response = self.client.get(self.index.url)
        self.assertNotContains(response, "Someone else&#x27;s words.")
        self.assertContains(response, "My neck is free.")

    def test_logged_with_the_reason_and_recorded(self):
        self.withdraw()
        entry = ModelLogEntry.objects.get(action=TAKEN_DOWN, object_id=str(self.testimonial.pk))
        self.assertEqual(entry.data, {"reason": "withdrawn", "consent": self.consent.pk})
        self.assertTrue(
            PageLogEntry.objects.filter(action=TAKEN_DOWN, page_id=self.story.pk).exists()
        )
        self.assertTrue(
            ModelLogEntry.objects.filter(
                action="wagtail.unpublish", object_id=str(self.testimonial.pk)
            ).exists()
        )
        self.assertEqual(
            sorted(Takedown.objects.values_list("title", "reason")),
            [("Maria's year", "withdrawn"), (self.testimonial.title, "withdrawn")],
        )
        # Recorded once: the consent reaches the same rows, and logs no copy of them.
        consent = Consent.objects.get(pk=self.consent.pk)
        self.assertEqual(consent.takedowns.count(), 2)
        self.assertFalse(hasattr(consent, "taken_down"))

    def test_removed_from_search(self):
        backend = get_search_backend()
        self.assertIn(self.testimonial, list(backend.search("neck", story_models.Testimonial)))
        self.withdraw()
        self.assertEqual(list(backend.search("neck", story_models.Testimonial)), [])
        self.assertEqual(list(backend.search("Maria's year", PatientStoryPage)), [])

    def test_purges_the_page_its_listing_and_pages_embedding_it(self):
        self.withdraw()
        self.assertIn(self.story.full_url, PURGED)
        self.assertIn(self.index.full_url, PURGED)
        self.assertIn(SiteTree.testimonial_index.full_url, PURGED)

    def test_cancels_the_workflow_in_progress(self):
        self.withdraw()
        state = WorkflowState.objects.for_instance(self.draft).get()
        self.assertEqual(state.status, WorkflowState.STATUS_CANCELLED)

    def test_tells_editors_and_officers_and_the_patient_once(self):
        mail.outbox.clear()
        self.withdraw()
        # One email to the patient for one withdrawal, listing what rested on the consent.
        [to_patient] = [m for m in mail.outbox if "maria@example.org" in m.to]
        self.assertIn("Maria's year", to_patient.body)
        staff = [m for m in mail.outbox if "taken down" in m.subject.lower()]
        recipients = {address for message in staff for address in message.to}
        self.assertTrue({"officer@clinic.example", "writer@clinic.example"} <= recipients)
        self.assertNotIn("maria@example.org", recipients)
        for message in staff:
            self.assertIn("Maria's year", message.body)
            self.assertNotIn("maria@example.org", message.body)  # never the patient's contact

    def test_expiry_takes_down_with_its_reason(self):
        expired_yesterday(self.consent)
        with self.captureOnCommitCallbacks(execute=True):
            self.assertTrue(Consent.objects.get(pk=self.consent.pk).process_end())
        self.assertFalse(PatientStoryPage.objects.get(pk=self.story.pk).live)
        self.assertEqual(set(Takedown.objects.values_list("reason", flat=True)), {"expired"})

    def test_other_consents_content_stays(self):
        self.withdraw()
        self.other.refresh_from_db()
        self.assertTrue(self.other.live)
