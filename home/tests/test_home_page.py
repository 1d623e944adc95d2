"""The home page: featured patient content shown only while its consent is active, the
latest articles, ways in by condition and treatment, social tags, the cached main menu
and sections, and a query count that does not grow with what is featured."""

import re

from django.core.cache import cache
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

from articles.factories import ArticleIndexPageFactory, TreatmentArticlePageFactory
from consent.models import Identifier
from core.testing import page_queries
from home.models import HomePage
from moderation.testing import publish_through_workflow
from stories.factories import (
    SHOWN,
    ActiveConsentFactory,
    PatientPhotoFactory,
    StoryIndexPageFactory,
)
from stories.tests.utils import (
    expired_yesterday,
    live_story,
    live_testimonial,
    private_columns_read,
)
from taxonomy.factories import ConditionFactory, TreatmentFactory


def queries_for(client, url="/"):
    # Rendered afresh: the page cache would answer a copy with no query at all
    # (cms/tests/test_page_cache.py).
    with override_settings(PAGE_CACHE_ENABLED=False):
        client.get(url)  # warm up: renditions, site root paths, the menu cache
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, response.status_code
        return len(captured), response


class HomePageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = HomePage.objects.get()
        cls.stories = StoryIndexPageFactory(parent=cls.home, show_in_menus=True)
        cls.articles = ArticleIndexPageFactory(parent=cls.home, show_in_menus=True)
        cls.conditions = [ConditionFactory() for _ in range(4)]
        cls.treatments = [TreatmentFactory() for _ in range(4)]
        cls.article_pages = [
            publish_through_workflow(
                TreatmentArticlePageFactory(
                    parent=cls.articles,
                    title=f"Article {n}",
                    conditions=[cls.conditions[n]],
                    treatments=[cls.treatments[n]],
                )
            )
            for n in range(4)
        ]
        cls.story_pages = [live_story(cls.stories, title=f"Story {n}") for n in range(4)]
        cls.testimonials = [live_testimonial(title=f"T{n}") for n in range(4)]
        cls.hidden_story = live_story(cls.stories, title="Story whose consent ended")
        expired_yesterday(cls.hidden_story.consent)
        cls.hidden_testimonial = live_testimonial(quote="Words no longer covered.")
        expired_yesterday(cls.hidden_testimonial.consent)

    def setUp(self):
        cache.clear()

    def feature(self, stories=(), testimonials=()):
        home = self.home.get_latest_revision_as_object()
        home.featured_stories = [("story", s) for s in stories]
        home.featured_testimonials = [("testimonial", t) for t in testimonials]
        publish_through_workflow(home)

    def test_featured_content_is_shown_only_while_its_consent_is_active(self):
        self.feature(
            [self.story_pages[0], self.hidden_story],
            [self.testimonials[0], self.hidden_testimonial],
        )
        response = self.client.get("/")
        self.assertContains(response, "Story 0")
        self.assertContains(response, self.testimonials[0].quote)
        self.assertNotContains(response, "Story whose consent ended")
        self.assertNotContains(response, "Words no longer covered.")
        # Beside every patient's words: the allowed attribution and that experiences vary.
        self.assertContains(response, "Individual experiences vary.", count=2)
        self.assertContains(response, self.story_pages[0].attribution())

    def test_featured_content_reads_of_the_patient_only_what_it_shows(self):
        self.feature([self.story_pages[0]], [self.testimonials[0]])
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get("/")
        self.assertContains(response, "Individual experiences vary.", count=2)
        self.assertEqual(private_columns_read(captured), [])

    def test_a_section_whose_items_are_all_hidden_is_left_out(self):
        self.feature([self.hidden_story], [self.hidden_testimonial])
        response = self.client.get("/")
        self.assertNotContains(response, 'id="featured-stories-heading"')
        self.assertNotContains(response, 'id="featured-testimonials-heading"')

    def test_latest_articles_and_ways_in_by_condition_and_treatment(self):
        response = self.client.get("/")
        for article in self.article_pages[1:]:
            self.assertContains(response, f'href="{article.url}"')
        self.assertNotContains(response, f'href="{self.article_pages[0].url}"')  # only 3
        for condition in self.conditions:
            self.assertContains(response, f'href="/articles/conditions/{condition.slug}/"')
        for treatment in self.treatments:
            self.assertContains(response, f'href="/articles/treatments/{treatment.slug}/"')
        self.assertContains(response, f'href="{self.stories.url}"')
        self.assertContains(response, 'href="/share-your-story/"')

    def test_the_query_count_does_not_grow_with_what_is_featured_or_published(self):
        self.feature(self.story_pages[:1], self.testimonials[:1])
        one, response = queries_for(self.client)
        self.assertContains(response, "Individual experiences vary.", count=2)
        self.feature(self.story_pages, self.testimonials)
        many, response = queries_for(self.client)
        self.assertContains(response, "Individual experiences vary.", count=8)
        self.assertEqual(one, many)

    # The home page's own queries (core.testing.page_queries): both index pages, the ways
    # in, the featured stories (with their topics) and their photos' renditions, the
    # featured testimonials, the latest articles.
    BUDGET = 6

    def story_about(self, condition):
        consent = ActiveConsentFactory(identifiers=[*SHOWN, Identifier.PHOTO])
        photo = PatientPhotoFactory(patient=consent.patient)
        return live_story(self.stories, consent=consent, hero_image=photo, condition=condition)

    def test_each_section_is_read_once(self):
        stories = [self.story_about(condition) for condition in self.conditions]
        # A US site names a prescription-only medicine (with its safety information).
        type(self.treatments[0]).objects.filter(pk=self.treatments[0].pk).update(
            prescription_only=True
        )
        self.feature(stories, self.testimonials)
        with override_settings(PAGE_CACHE_ENABLED=False):
            self.client.get("/")  # warm up: renditions, site root paths, the menu cache
            with page_queries() as queries:
                response = self.client.get("/")
        for condition in self.conditions:
            self.assertContains(response, f'<span class="story-card__topic">{condition.name}<')
        self.assertContains(response, "Individual experiences vary.", count=8)
        self.assertContains(response, f'href="/articles/treatments/{self.treatments[0].slug}/"')
        self.assertLessEqual(len(queries), self.BUDGET, [q["sql"] for q in queries])

    def test_what_no_patient_owns_is_cached_until_a_page_or_topic_changes(self):
        # The index pages, ways in and latest articles: read once, then from the cache
        # until an article, a condition, a treatment or a view restriction changes.
        def rendered():
            with override_settings(PAGE_CACHE_ENABLED=False), page_queries() as queries:
                response = self.client.get("/")
            return response, [q["sql"] for q in queries]

        self.feature(self.story_pages[:1], self.testimonials[:1])
        first, read = rendered()
        again, cached = rendered()
        self.assertEqual(again.content, first.content)
        self.assertGreater(len(read), 2)
        # What is read again: only the featured patient content, through the consent rule.
        tables = [re.search(r'FROM "(\w+)"', sql)[1] for sql in cached]
        self.assertEqual(tables, ["stories_patientstorypage", "stories_testimonial"])

        newest = publish_through_workflow(
            TreatmentArticlePageFactory(
                parent=self.articles, title="Newest article", conditions=[self.conditions[0]]
            )
        )
        self.assertContains(rendered()[0], f'href="{newest.url}"')
        Page.objects.get(pk=newest.pk).unpublish()
        self.assertNotContains(rendered()[0], f'href="{newest.url}"')

        condition = self.conditions[1]
        condition.name = "Renamed condition"
        publish_through_workflow(condition)
        self.assertContains(rendered()[0], ">Renamed condition</a>")

        restriction = PageViewRestriction.objects.create(
            page=self.articles, restriction_type=PageViewRestriction.LOGIN
        )
        response = rendered()[0]
        self.assertNotContains(response, "Latest articles")
        self.assertNotContains(response, "/articles/conditions/")
        restriction.delete()
        self.assertContains(rendered()[0], "Latest articles")

    def test_a_featured_story_leaves_at_its_consents_end_while_the_rest_is_cached(self):
        self.feature(self.story_pages[:2], self.testimonials[:1])
        with override_settings(PAGE_CACHE_ENABLED=False):
            self.assertContains(self.client.get("/"), "Story 1")
            expired_yesterday(self.story_pages[1].consent)
            response = self.client.get("/")
        self.assertContains(response, "Story 0")
        self.assertNotContains(response, "Story 1")
        self.assertContains(response, "Latest articles")

    def test_headings_do_not_skip_a_level(self):
        self.feature(self.story_pages[:2], self.testimonials[:2])
        html = self.client.get("/").content.decode()
        levels = [int(level) for level in re.findall(r"<h([1-6])[\s>]", html)]
        self.assertEqual(levels[0], 1)
        for before, after in zip(levels, levels[1:], strict=False):
            self.assertLessEqual(after, before + 1, levels)

    def test_open_graph_and_twitter_tags_without_an_image(self):
        response = self.client.get("/")
        self.assertContains(response, '<meta property="og:type" content="website">')
        self.assertContains(response, f'<meta property="og:title" content="{self.home.title}">')
        self.assertContains(response, '<meta property="og:url" content="http://testserver/">')
        self.assertContains(response, '<meta property="og:site_name"')
        self.assertContains(response, '<meta name="twitter:card" content="summary">')
        self.assertContains(response, '<link rel="canonical" href="http://testserver/">')
        self.assertNotContains(response, "og:image")


class MainMenuTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = HomePage.objects.get()
        cls.stories = StoryIndexPageFactory(parent=cls.home, show_in_menus=True)

    def setUp(self):
        cache.clear()

    def test_the_menu_is_cached_and_refreshed_when_a_page_is_published(self):
        self.client.get("/")
        with CaptureQueriesContext(connection) as cached:
            response = self.client.get("/")
        self.assertContains(response, f'<li><a href="{self.stories.url}">')
        menu_queries = [
            q for q in cached.captured_queries if "show_in_menus" in q["sql"].partition("WHERE")[2]
        ]
        self.assertEqual(menu_queries, [])

        articles = ArticleIndexPageFactory(parent=self.home, show_in_menus=True, publish=False)
        publish_through_workflow(articles)
        self.assertContains(self.client.get("/"), f'<li><a href="{articles.url}">Articles</a>')

        Page.objects.get(pk=articles.pk).unpublish()
        self.assertNotContains(self.client.get("/"), f'href="{articles.url}"')

    def test_the_current_page_is_marked_in_the_menu(self):
        response = self.client.get(self.stories.url)
        self.assertContains(response, f'<li><a href="{self.stories.url}" aria-current="page">')
