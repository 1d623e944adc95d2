from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import Http404
from django.test import RequestFactory, TestCase, override_settings
from django.test.utils import CaptureQueriesContext

from articles.factories import ArticleIndexPageFactory, TreatmentArticlePageFactory
from consent.models import Identifier
from core.testing import page_queries
from moderation.testing import publish_through_workflow
from stories.factories import (
    SHOWN,
    ActiveConsentFactory,
    PatientMediaFactory,
    PatientPhotoFactory,
    story_body,
)
from stories.models import PatientStoryPage, StoryRelatedArticle
from stories.tests.utils import SiteTree, live_story, live_testimonial
from taxonomy.factories import ConditionFactory, TreatmentFactory


def queries_for(client, url):
    client.get(url)  # warm up: renditions, site root paths
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(captured), response


# Budgets are for a page rendered afresh; the page cache answers a copy with none
# (cms/tests/test_page_cache.py).
@override_settings(PAGE_CACHE_ENABLED=False)
class QueryBudgetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        SiteTree.make_tree()
        cls.index = SiteTree.index
        consent = ActiveConsentFactory(identifiers=[*SHOWN, Identifier.PHOTO])
        photo = PatientPhotoFactory(patient=consent.patient)
        cls.testimonials = [
            live_testimonial(consent=consent, photo=photo, title=f"T{n}") for n in range(50)
        ]

    def feature(self, testimonials):
        self.index.featured = [("testimonial", t) for t in testimonials]
        publish_through_workflow(self.index)

    def test_embedded_testimonials_cost_the_same_for_1_and_50(self):
        self.feature(self.testimonials[:1])
        one, response = queries_for(self.client, self.index.url)
        self.assertContains(response, "Individual experiences vary.", count=1)

        self.feature(self.testimonials)
        fifty, response = queries_for(self.client, self.index.url)
        self.assertContains(response, "Individual experiences vary.", count=50)
        self.assertEqual(one, fifty)

    def test_the_testimonial_listing_shows_each_medicines_safety_information_at_a_flat_cost(self):
        # US fair balance: a prescription medicine a testimonial names brings its ISI.
        index = SiteTree.testimonial_index
        medicine = TreatmentFactory(
            name="Botulinum toxin", prescription_only=True, safety_information="<p>Risks</p>"
        )
        consent = ActiveConsentFactory(identifiers=[*SHOWN, Identifier.TREATMENT])
        live_testimonial(
            consent=consent, treatment=medicine, condition=ConditionFactory(name="Dystonia")
        )
        one, response = queries_for(self.client, index.url)
        self.assertContains(response, "Important Safety Information: Botulinum toxin", count=1)
        self.assertContains(response, "Risks")
        self.assertContains(response, "Botulinum toxin for dystonia")
        for n in range(5):
            drug = TreatmentFactory(prescription=True, name=f"Drug {n}")
            live_testimonial(consent=consent, treatment=drug)
        many, response = queries_for(self.client, index.url)
        self.assertContains(response, "Important Safety Information: Drug 4")
        self.assertEqual(many, one)

    def story_with_photo(self):
        consent = ActiveConsentFactory(identifiers=[*SHOWN, Identifier.PHOTO])
        photo = PatientPhotoFactory(patient=consent.patient)
        return live_story(self.index, hero_image=photo, consent=consent)

    def test_story_listing_costs_the_same_for_1_and_4_stories(self):
        self.story_with_photo()
        one, _ = queries_for(self.client, self.index.url)
        for _ in range(3):
            self.story_with_photo()
        four, response = queries_for(self.client, self.index.url)
        self.assertContains(response, "story-card__title", count=4)
        self.assertEqual(one, four)

    def test_testimonial_listing_costs_the_same_for_1_and_50(self):
        page = SiteTree.testimonial_index
        fifty, response = queries_for(self.client, page.url)
        self.assertContains(response, "Individual experiences vary.", count=50)
        for testimonial in self.testimonials[1:]:
            testimonial.unpublish()
        one, response = queries_for(self.client, page.url)
        self.assertContains(response, "Individual experiences vary.", count=1)
        self.assertEqual(one, fifty)


@override_settings(PAGE_CACHE_ENABLED=False)
class StoryPageBudgetTests(TestCase):
    """A story reads what it shows once per request, however much it shows: its consent
    with the patient and whether it is superseded, hero photo, condition and treatment
    with the page itself as routing finds it (PatientStoryPage.for_serving), its videos
    in one query, its related articles in one."""

    BUDGET = 2  # the page's own queries (core.testing.page_queries)

    @classmethod
    def setUpTestData(cls):
        SiteTree.make_tree()
        cls.articles = ArticleIndexPageFactory(parent=SiteTree.home)

    def story(self, videos=1, articles=1):
        identifiers = [*SHOWN, Identifier.PHOTO, Identifier.TREATMENT, Identifier.VOICE_VIDEO]
        consent = ActiveConsentFactory(identifiers=identifiers)
        media = [PatientMediaFactory(patient=consent.patient) for _ in range(videos)]
        story = live_story(
            SiteTree.index,
            consent=consent,
            hero_image=PatientPhotoFactory(patient=consent.patient),
            condition=ConditionFactory(),
            treatment=TreatmentFactory(prescription_only=True, safety_information="<p>Risks</p>"),
            body=[*story_body(), *({"type": "patient_video", "value": m.pk} for m in media)],
        )
        for n in range(articles):
            article = publish_through_workflow(
                TreatmentArticlePageFactory(parent=self.articles, title=f"Related {n}")
            )
            StoryRelatedArticle.objects.create(page=story, article=article)
        return story

    def own_queries(self, story):
        self.client.get(story.url)  # warm up: renditions, site root paths, the menu
        with page_queries() as queries:
            response = self.client.get(story.url)
        self.assertEqual(response.status_code, 200)
        return queries, response

    def test_a_story_with_everything_it_can_show_costs_the_budget(self):
        story = self.story(videos=2, articles=2)
        queries, response = self.own_queries(story)
        self.assertContains(response, "patient-media__player", count=2)
        self.assertContains(response, "Related 1")
        self.assertContains(response, "Important Safety Information")
        self.assertContains(response, story.attribution())
        self.assertLessEqual(len(queries), self.BUDGET, [q["sql"] for q in queries])

    def test_the_consent_is_read_at_each_request(self):
        story = self.story()
        self.own_queries(story)
        type(story.consent).objects.filter(pk=story.consent_id).update(
            withdrawn_at=story.consent.signed_at
        )
        self.assertEqual(self.client.get(story.url).status_code, 404)

    def test_a_story_loaded_elsewhere_reads_its_consent_when_served(self):
        # Not found by core.pages' routing (another root, a preview's revision): the
        # page reads its consent itself, in this request.
        story = self.story()
        request = RequestFactory().get(story.url)
        request.user = AnonymousUser()
        self.assertEqual(PatientStoryPage.objects.get(pk=story.pk).serve(request).status_code, 200)
        type(story.consent).objects.filter(pk=story.consent_id).update(
            withdrawn_at=story.consent.signed_at
        )
        page = PatientStoryPage.objects.get(pk=story.pk)
        with self.assertRaises(Http404):
            page.serve(request)
