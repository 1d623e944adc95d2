import re

from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction
from wagtail_factories import ImageFactory

from articles.factories import TreatmentArticlePageFactory, body
from articles.models import ArticleIndexPage, TreatmentArticlePage
from articles.tests.helpers import json_ld, make_index, set_jurisdiction
from consent.models import Identifier
from core.models import Jurisdiction
from core.testing import page_queries
from moderation.testing import publish_through_workflow
from stories.factories import (
    SHOWN,
    ActiveConsentFactory,
    PatientPhotoFactory,
    PatientStoryPageFactory,
    StoryIndexPageFactory,
)
from stories.models import StoryRelatedArticle
from taxonomy.factories import ConditionFactory, TreatmentFactory


def live_article(index, **kwargs):
    return publish_through_workflow(TreatmentArticlePageFactory(parent=index, **kwargs))


class ArticlePageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.index = make_index()
        cls.condition = ConditionFactory(name="Cervical dystonia", slug="cervical-dystonia")
        cls.medicine = TreatmentFactory(
            prescription=True, name="Botulinum toxin type A", slug="botulinum-toxin"
        )
        cls.article = live_article(
            cls.index,
            title="Botox for cervical dystonia",
            conditions=[cls.condition],
            treatments=[cls.medicine],
            body=body(sections=3, sources=2),
        )

    def get(self):
        response = self.client.get(self.article.url)
        self.assertEqual(response.status_code, 200)
        return response

    def test_shows_reviewer_and_review_dates(self):
        article = self.article
        response = self.get()
        self.assertContains(
            response,
            f"Reviewed by {article.reviewer.name}, {article.reviewer.credentials}, "
            f"{article.reviewer.specialty}",
        )
        self.assertContains(
            response, f'Last reviewed <time datetime="{article.last_reviewed:%Y-%m-%d}">'
        )
        self.assertContains(
            response, f'Next review due <time datetime="{article.next_review_due:%Y-%m-%d}">'
        )

    def test_safety_information_of_the_medicine_is_shown_near_the_top(self):
        html = self.get().content.decode()
        isi = html.index("Important Safety Information: Botulinum toxin type A")
        self.assertIn("swallowing and breathing problems", html)
        self.assertLess(isi, html.index('<nav class="toc"'))
        self.assertLess(isi, html.index('class="article__body'))

    def test_safety_information_is_not_an_editable_field_of_the_article(self):
        form_class = TreatmentArticlePage.get_edit_handler().get_form_class()
        self.assertFalse([name for name in form_class.base_fields if "safety" in name])

    def test_every_article_about_the_medicine_shows_its_current_safety_information(self):
        other = live_article(self.index, conditions=[self.condition], treatments=[self.medicine])
        self.medicine.safety_information = "<p>Updated boxed warning text.</p>"
        publish_through_workflow(self.medicine)  # approved once, shown everywhere
        for article in [self.article, other]:
            with self.subTest(article=article.title):
                self.assertContains(self.client.get(article.url), "Updated boxed warning text.")

    def test_no_safety_box_for_a_treatment_that_is_not_prescription_only(self):
        physio = TreatmentFactory(name="Physiotherapy")
        article = live_article(self.index, conditions=[self.condition], treatments=[physio])
        self.assertNotContains(self.client.get(article.url), "Important Safety Information")

    def test_table_of_contents_links_to_each_section(self):
        response = self.get()
        self.assertContains(response, '<nav class="toc" aria-label="Table of contents">')
        for anchor in ["section-1", "section-2", "section-3", "sources"]:
            self.assertContains(response, f'<a href="#{anchor}">')
            self.assertContains(response, f'<h2 id="{anchor}"')

    def test_reading_time(self):
        words = " ".join(["word"] * 1000)
        article = TreatmentArticlePageFactory.build(
            body=[{"type": "paragraph", "value": f"<p>{words}</p>"}]
        )
        self.assertEqual(article.reading_minutes, 6)  # 1000 words + title and summary
        self.assertContains(self.get(), "1 minute read")

    def test_json_ld_is_a_medical_web_page_with_review_and_citations(self):
        data = json_ld(self.get())
        self.assertEqual(data["@context"], "https://schema.org")
        self.assertEqual(data["@type"], "MedicalWebPage")
        self.assertEqual(
            data["about"],
            [
                {
                    "@type": "MedicalCondition",
                    "name": "Cervical dystonia",
                    "url": "http://testserver/articles/conditions/cervical-dystonia/",
                }
            ],
        )
        self.assertEqual(data["lastReviewed"], self.article.last_reviewed.isoformat())
        self.assertEqual(data["reviewedBy"]["@type"], "Person")
        self.assertEqual(data["reviewedBy"]["name"], self.article.reviewer.name)
        self.assertEqual(
            [c["url"] for c in data["citation"]],
            ["https://example.org/source-1", "https://example.org/source-2"],
        )
        self.assertEqual(data["citation"][0]["publisher"]["name"], "Medical library")

    def test_json_ld_cannot_be_broken_out_of_by_the_text(self):
        self.medicine.name = "</script><script>alert(1)</script>"
        publish_through_workflow(self.medicine)
        html = self.get().content.decode()
        self.assertNotIn("<script>alert(1)", html)
        self.assertEqual(json_ld(self.get())["mentions"][0]["name"], self.medicine.name)

    def test_meta_description_canonical_and_open_graph(self):
        response = self.get()
        url = self.article.full_url
        self.assertContains(response, f'<link rel="canonical" href="{url}">')
        self.assertContains(
            response, f'<meta name="description" content="{self.article.summary}">'
        )
        self.assertContains(response, '<meta property="og:type" content="article">')
        self.assertContains(response, f'<meta property="og:url" content="{url}">')
        self.assertContains(response, f'<meta property="og:title" content="{self.article.title}">')

    def test_hero_image_in_open_graph_and_page_with_its_alt_text(self):
        article = live_article(
            self.index,
            conditions=[self.condition],
            hero_image=ImageFactory(width=1600, height=900),
            hero_image_alt="A clinician examines a patient's neck",
        )
        response = self.client.get(article.url)
        self.assertContains(response, '<meta property="og:image" content="http://')
        self.assertContains(response, 'alt="A clinician examines a patient&#x27;s neck"')

    def test_no_inline_styles_or_scripts_other_than_json_ld(self):
        html = self.get().content.decode()
        self.assertNotIn(" style=", html)
        self.assertEqual(html.count("<script"), html.count('<script type="application/ld+json">'))

    def test_draft_articles_are_not_public(self):
        draft = TreatmentArticlePageFactory(parent=self.index, conditions=[self.condition])
        self.assertEqual(self.client.get(draft.url).status_code, 404)


# Budgets are for a page rendered afresh; the page cache answers a copy with none
# (cms/tests/test_page_cache.py).
@override_settings(PAGE_CACHE_ENABLED=False)
class QueryBudgetTests(TestCase):
    """The article page's queries don't grow with its blocks, images or sources."""

    @classmethod
    def setUpTestData(cls):
        index = make_index()
        condition = ConditionFactory()
        medicine = TreatmentFactory(prescription=True)
        image = ImageFactory(width=800, height=600)

        def body_with(count):
            blocks = body(sections=count, sources=count)
            for number in range(count):
                blocks.append(
                    {
                        "type": "image",
                        "value": {
                            "image": {"image": image.pk, "decorative": False, "alt_text": "A"},
                            "caption": f"Figure {number}",
                        },
                    }
                )
                blocks.append(
                    {
                        "type": "injection_sites",
                        "value": [
                            {
                                "muscle": f"Muscle {number}",
                                "function": "Turns the head.",
                                "reason": "Spasm.",
                                "diagram": {"image": image.pk, "decorative": True, "alt_text": ""},
                            }
                        ],
                    }
                )
            return blocks

        cls.small, cls.large = (
            live_article(index, conditions=[condition], treatments=[medicine], body=body_with(n))
            for n in (1, 25)
        )
        cls.condition = condition
        stories = StoryIndexPageFactory(parent=index.get_parent())
        for _ in range(3):
            consent = ActiveConsentFactory(identifiers=[*SHOWN, Identifier.PHOTO])
            publish_through_workflow(
                PatientStoryPageFactory(
                    parent=stories,
                    consent=consent,
                    condition=condition,
                    hero_image=PatientPhotoFactory(patient=consent.patient),
                )
            )

    def count_queries(self, page):
        self.client.get(page.url)  # renditions are created on the first view
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(page.url)
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def test_query_count_is_the_same_for_one_or_many_blocks_and_sources(self):
        small = self.count_queries(self.small)
        self.assertEqual(self.count_queries(self.large), small)
        # Wagtail's routing and the base template take 11; the article's own are its
        # conditions, treatments, reviewer, the images of each image block type, renditions.
        self.assertLessEqual(small, 17)

    def own_queries(self, url):
        self.client.get(url)  # renditions are created on the first view
        with page_queries() as queries:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return queries, response

    def test_the_article_reads_what_it_shows_once(self):
        # Its conditions, treatments and reviewer, the images of each of its two image
        # block types, and their renditions (core.testing.page_queries).
        queries, response = self.own_queries(self.large.url)
        self.assertContains(response, "Important Safety Information")
        self.assertLessEqual(len(queries), 6, [q["sql"] for q in queries])

    def test_a_condition_page_reads_its_condition_articles_and_stories_once(self):
        # The condition, its articles, its stories (with their patients, photos and
        # topics) and the photos' renditions.
        queries, response = self.own_queries(f"/articles/conditions/{self.condition.slug}/")
        self.assertContains(response, "story-card__title", count=3)
        self.assertContains(response, "card--article", count=2)
        self.assertLessEqual(len(queries), 4, [q["sql"] for q in queries])


class BrowseTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.index = make_index()
        cls.dystonia = ConditionFactory(
            name="Cervical dystonia", slug="cervical-dystonia", symptoms="Neck spasms\nHead tilt"
        )
        cls.migraine = ConditionFactory(name="Migraine", slug="migraine")
        cls.medicine = TreatmentFactory(prescription=True, name="Botulinum toxin", slug="toxin")
        cls.dystonia_article = live_article(
            cls.index,
            title="Toxin for dystonia",
            conditions=[cls.dystonia],
            treatments=[cls.medicine],
        )
        cls.migraine_article = live_article(
            cls.index, title="Migraine basics", conditions=[cls.migraine]
        )
        cls.draft = TreatmentArticlePageFactory(
            parent=cls.index, title="Unfinished draft", conditions=[cls.dystonia]
        )

    def test_index_lists_live_articles_and_links_to_conditions_and_treatments(self):
        response = self.client.get(self.index.url)
        self.assertContains(response, "Toxin for dystonia")
        self.assertContains(response, "Migraine basics")
        self.assertNotContains(response, "Unfinished draft")
        self.assertContains(response, 'href="/articles/conditions/cervical-dystonia/"')
        self.assertContains(response, 'href="/articles/treatments/toxin/"')

    def test_condition_page_shows_summary_symptoms_and_only_its_articles(self):
        response = self.client.get("/articles/conditions/cervical-dystonia/")
        self.assertContains(response, "<h1>Cervical dystonia</h1>", html=True)
        self.assertContains(response, self.dystonia.summary)
        self.assertContains(response, "<li>Head tilt</li>", html=True)
        self.assertContains(response, "Toxin for dystonia")
        self.assertNotContains(response, "Migraine basics")
        self.assertNotContains(response, "Unfinished draft")
        self.assertContains(
            response,
            '<link rel="canonical" href="http://testserver/articles/conditions/cervical-dystonia/">',
        )

    def test_treatment_page_shows_how_it_works_safety_information_and_articles(self):
        response = self.client.get("/articles/treatments/toxin/")
        self.assertContains(response, "Important Safety Information: Botulinum toxin")
        self.assertContains(response, "It relaxes overactive muscles.")
        self.assertContains(response, "Toxin for dystonia")
        self.assertNotContains(response, "Migraine basics")

    def test_article_lists_read_what_their_cards_show_and_not_the_bodies(self):
        for path in (self.index.url, "/articles/conditions/cervical-dystonia/", "/"):
            with self.subTest(path=path):
                with CaptureQueriesContext(connection) as queries:
                    response = self.client.get(path)
                self.assertContains(response, "Toxin for dystonia")
                self.assertContains(response, "card--article")
                sql = " ".join(query["sql"] for query in queries)
                self.assertIn('"articles_treatmentarticlepage"."summary"', sql)
                self.assertNotIn('"articles_treatmentarticlepage"."body"', sql)

    def test_a_topic_page_keeps_its_topic_and_articles_until_either_changes(self):
        url = "/articles/conditions/cervical-dystonia/"

        def read():
            with (
                override_settings(PAGE_CACHE_ENABLED=False),
                CaptureQueriesContext(connection) as queries,
            ):
                response = self.client.get(url)
            sql = " ".join(q["sql"] for q in queries)
            # The condition by its slug; the articles (the stories join the condition too).
            return response, 'FROM "taxonomy_condition" WHERE' in sql, "articles_treatment" in sql

        self.assertEqual(read()[1:], (True, True))
        response, condition_read, articles_read = read()
        self.assertEqual((condition_read, articles_read), (False, False))  # kept
        self.assertContains(response, "Toxin for dystonia")

        live_article(self.index, title="Newer on dystonia", conditions=[self.dystonia])
        self.assertContains(read()[0], "Newer on dystonia")
        self.dystonia.name = "Cervical dystonia (torticollis)"
        publish_through_workflow(self.dystonia)
        self.assertContains(read()[0], "<h1>Cervical dystonia (torticollis)</h1>", html=True)
        self.dystonia.unpublish()
        self.assertEqual(read()[0].status_code, 404)

    def test_unknown_condition_or_treatment_is_not_found(self):
        self.assertEqual(self.client.get("/articles/conditions/nope/").status_code, 404)
        self.assertEqual(self.client.get("/articles/treatments/nope/").status_code, 404)

    def test_uk_sites_have_no_page_for_a_prescription_only_medicine(self):
        set_jurisdiction(Jurisdiction.UK)
        self.assertEqual(self.client.get("/articles/treatments/toxin/").status_code, 404)


class ConditionStoriesTests(TestCase):
    """A condition's page shows its newest stories, a fixed number however many there
    are, and links to the story listing filtered by the condition for the rest."""

    @classmethod
    def setUpTestData(cls):
        index = make_index()
        cls.condition = ConditionFactory(name="Cervical dystonia", slug="cervical-dystonia")
        live_article(index, conditions=[cls.condition])
        cls.listing = StoryIndexPageFactory(parent=index.get_parent())
        cls.stories = [
            publish_through_workflow(
                PatientStoryPageFactory(
                    parent=cls.listing, title=f"Story {n}", condition=cls.condition
                )
            )
            for n in range(ArticleIndexPage.CONDITION_STORIES + 2)
        ]
        cls.url = f"/articles/conditions/{cls.condition.slug}/"

    def test_the_newest_are_shown_and_the_rest_are_a_link_away(self):
        shown = ArticleIndexPage.CONDITION_STORIES
        with page_queries() as queries:
            response = self.client.get(self.url)
        self.assertContains(response, "story-card__title", count=shown)
        for story in self.stories[-shown:]:
            self.assertContains(response, f">{story.title}</a>")
        for story in self.stories[:-shown]:
            self.assertNotContains(response, f">{story.title}</a>")
        more = f"{self.listing.url}?condition=cervical-dystonia"
        self.assertContains(response, f'href="{more}">All patient stories about cervical dystonia')
        listed = self.client.get(more)
        for story in self.stories:
            self.assertContains(listed, f">{story.title}</a>")
        # Twice as many stories: the same queries.
        for _ in range(len(self.stories)):
            publish_through_workflow(
                PatientStoryPageFactory(parent=self.listing, condition=self.condition)
            )
        with page_queries() as more_queries:
            self.client.get(self.url)
        self.assertEqual(len(more_queries), len(queries))

    def test_no_link_when_every_story_is_shown(self):
        for story in self.stories[ArticleIndexPage.CONDITION_STORIES :]:
            story.unpublish()
        response = self.client.get(self.url)
        self.assertContains(
            response, "story-card__title", count=ArticleIndexPage.CONDITION_STORIES
        )
        self.assertNotContains(response, "All patient stories about")


@override_settings(PAGE_CACHE_ENABLED=False)  # each page rendered afresh
class StoryRelatedArticlesTests(TestCase):
    """A story links to articles; visitors are shown those that are live and public, by
    title, and each story its own (the query is compiled once: core.compiled)."""

    @classmethod
    def setUpTestData(cls):
        index = make_index()
        alpha, beta, restricted, draft = (
            live_article(index, title=title) for title in ("Alpha", "Beta", "Gamma", "Delta")
        )
        PageViewRestriction.objects.create(
            page=restricted, restriction_type=PageViewRestriction.LOGIN
        )
        draft.unpublish()
        listing = StoryIndexPageFactory(parent=index.get_parent())

        def story(title, articles):
            links = [StoryRelatedArticle(article=article) for article in articles]
            return publish_through_workflow(
                PatientStoryPageFactory(parent=listing, title=title, related_articles=links)
            )

        cls.linking_all = story("Linking all", [beta, alpha, restricted, draft])
        cls.linking_one = story("Linking one", [beta])
        cls.linking_none = story("Linking none", [])

    def related(self, story):
        html = self.client.get(story.url).content.decode()
        if "story__related" not in html:
            return []
        section = html[html.index("story__related") :]
        return re.findall(r"<li><a [^>]*>([^<]*)</a></li>", section[: section.index("</ul>")])

    def test_each_story_shows_its_own_live_public_articles_by_title(self):
        for _ in range(2):  # the query compiled for the first, run for the others
            self.assertEqual(self.related(self.linking_all), ["Alpha", "Beta"])
            self.assertEqual(self.related(self.linking_one), ["Beta"])
            self.assertEqual(self.related(self.linking_none), [])
