"""The public story listing: filters by condition and treatment, stable paginated URLs,
what each card must say beside a patient's words, and a query count that does not grow
with the number of stories."""

import re

from django.db import connection
from django.db.models import Count
from django.template.loader import get_template
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext

from consent.models import Channel, Identifier, MaterialConnection
from stories.factories import SHOWN, ActiveConsentFactory, PatientPhotoFactory
from stories.models import StoryIndexPage
from stories.models.photos import CARD_PICTURE
from stories.tests.utils import (
    SiteTree,
    consent_edited_in_place,
    expired_yesterday,
    live_story,
    private_columns_read,
)
from taxonomy.factories import ConditionFactory, TreatmentFactory

# Every listing page costs this many queries, whether it shows 1 story or 12 of many:
# one pass over the visible stories for the filter counts and the page's ids
# (StoryIndexPage.scan), one for the page's cards, and the featured testimonials. (The
# site and its settings, and the listing's own page once routed, come from Django's
# cache: core.sites, core.pages.)
LISTING_QUERIES = 3
# The figure: 1 vs 200 stories. Each goes live through its workflow only
# (moderation.testing), so setting them up takes about 80 s, once per class.
MANY = 200

COVERS = [*SHOWN, Identifier.TREATMENT, Identifier.PHOTO]


def queries_for(client, url):
    # Rendered afresh: the page cache would answer a copy with no query at all
    # (cms/tests/test_page_cache.py).
    with override_settings(PAGE_CACHE_ENABLED=False):
        client.get(url)  # warm up: renditions, site root paths
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, response.status_code
        return len(captured), response


def make_stories(index, count, photo=False, **kwargs):
    consent = ActiveConsentFactory(identifiers=COVERS)
    if photo:
        kwargs["hero_image"] = PatientPhotoFactory(patient=consent.patient)
    return [live_story(index, consent=consent, **kwargs) for _ in range(count)]


# Budgets are for a page rendered afresh; the page cache answers a copy with none
# (cms/tests/test_page_cache.py).
@override_settings(PAGE_CACHE_ENABLED=False)
class ManyStoriesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        SiteTree.make_tree()
        cls.index = SiteTree.index
        cls.dystonia = ConditionFactory(name="Cervical dystonia", slug="cervical-dystonia")
        cls.toxin = TreatmentFactory(name="Botulinum toxin", slug="botulinum-toxin")
        make_stories(cls.index, MANY, condition=cls.dystonia, treatment=cls.toxin, photo=True)

    def test_the_query_count_does_not_grow_with_the_number_of_stories(self):
        for url in [
            self.index.url,
            self.index.url + "?page=5",
            self.index.url + f"?page={-(-MANY // StoryIndexPage.STORIES_PER_PAGE) - 1}",  # deep
            self.index.url + "?condition=cervical-dystonia&page=2",
            self.index.url + "?condition=cervical-dystonia&treatment=botulinum-toxin",
        ]:
            with self.subTest(url=url):
                count, response = queries_for(self.client, url)
                self.assertEqual(count, LISTING_QUERIES)
                self.assertContains(response, "story-card__title", count=12)

    def test_pages_have_stable_urls_that_keep_the_filters(self):
        url = self.index.url + "?condition=cervical-dystonia&page=2"
        response = self.client.get(url)
        self.assertContains(
            response, f"Showing 13 to 24 of {MANY} stories about Cervical dystonia."
        )
        self.assertContains(
            response, 'href="/stories/?condition=cervical-dystonia&amp;page=2" aria-current="page"'
        )
        self.assertContains(response, 'href="/stories/?condition=cervical-dystonia" rel="prev"')
        self.assertContains(
            response, 'href="/stories/?condition=cervical-dystonia&amp;page=3" rel="next"'
        )
        self.assertContains(
            response,
            '<link rel="canonical" href="http://testserver/stories/?condition=cervical-dystonia&amp;page=2">',
        )
        self.assertContains(response, '<option value="cervical-dystonia" selected>')

    def test_the_one_pass_scan_agrees_with_the_querysets_it_replaces(self):
        # StoryIndexPage.scan is hand-written SQL around visible(): its counts and page
        # ids must be what the ORM gives for the same stories, newest first.
        hidden = make_stories(self.index, 1, condition=self.dystonia)[0]
        expired_yesterday(hidden.consent)
        visible = self.index.visible_stories()
        grouped = (
            visible.order_by()
            .values("condition_id", "treatment_id")
            .annotate(story_count=Count("pk"))
        )
        topics, _ = self.index.scan()
        self.assertCountEqual(
            [(t["condition_id"], t["treatment_id"], t["story_count"]) for t in topics],
            [(g["condition_id"], g["treatment_id"], g["story_count"]) for g in grouped],
        )
        per_page = StoryIndexPage.STORIES_PER_PAGE
        for chosen, number in [
            ({}, 1),
            ({}, 9),
            ({"condition": "cervical-dystonia"}, 3),
            ({"condition": "cervical-dystonia", "treatment": "botulinum-toxin"}, 17),
            ({"treatment": "unknown"}, 1),
            ({}, 99),
        ]:
            with self.subTest(chosen=chosen, number=number):
                stories = visible.filter(**{f"{k}__slug": v for k, v in chosen.items()})
                newest_first = stories.order_by("-first_published_at", "-pk")
                expected = list(
                    newest_first.values_list("pk", flat=True)[
                        (number - 1) * per_page : number * per_page
                    ]
                )
                self.assertEqual(self.index.scan(chosen, number)[1], expected)

    def test_a_page_number_out_of_range_or_not_a_number_gives_the_last_or_first_page(self):
        last = self.client.get(self.index.url + "?page=999")
        self.assertEqual(last.status_code, 200)
        self.assertContains(last, f"of {MANY} stories")
        last_page = -(-MANY // StoryIndexPage.STORIES_PER_PAGE)  # ceiling division
        self.assertContains(last, f'href="/stories/?page={last_page}" aria-current="page"')
        first = self.client.get(self.index.url + "?page=abc")
        self.assertContains(first, 'href="/stories/" aria-current="page"')

    def test_cards_prefetch_the_renditions_their_picture_shows(self):
        # The prefetch is limited to these sizes (stories.models.photos.card_renditions):
        # a size only in the template would cost a query per card.
        card = get_template("stories/includes/story_card.html").template.source
        self.assertIn(f"{{% picture story.hero_image {CARD_PICTURE} ", card)

    def test_cards_use_responsive_images_with_formats_and_dimensions(self):
        response = self.client.get(self.index.url)
        html = response.content.decode()
        self.assertIn('type="image/avif"', html)
        self.assertIn('type="image/webp"', html)
        img = re.search(r'<img [^>]*class="story-card__image"[^>]*>', html).group(0)
        for attribute in ('alt=""', "width=", "height=", "srcset=", "sizes="):
            self.assertIn(attribute, img)


class OneStoryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        SiteTree.make_tree()
        cls.index = SiteTree.index
        cls.dystonia = ConditionFactory(name="Cervical dystonia", slug="cervical-dystonia")
        cls.toxin = TreatmentFactory(name="Botulinum toxin", slug="botulinum-toxin")
        consent = ActiveConsentFactory(
            identifiers=COVERS, material_connection=MaterialConnection.FREE_CARE
        )
        cls.story = live_story(
            cls.index,
            consent=consent,
            condition=cls.dystonia,
            treatment=cls.toxin,
            hero_image=PatientPhotoFactory(patient=consent.patient),
            first_name="Maria",
            last_name="Garcia",
            age=54,
            title="Turning my head again",
        )
        # Another condition whose only story's consent has since expired.
        cls.spasm = ConditionFactory(name="Hemifacial spasm", slug="hemifacial-spasm")
        cls.hidden = live_story(
            cls.index,
            consent=ActiveConsentFactory(identifiers=COVERS),
            condition=cls.spasm,
            title="A story no longer covered",
        )
        expired_yesterday(cls.hidden.consent)

    def test_one_story_costs_the_same_as_a_page_of_many(self):
        count, response = queries_for(self.client, self.index.url)
        self.assertContains(response, "story-card__title", count=1)
        self.assertEqual(count, LISTING_QUERIES)

    def test_a_listing_reads_of_the_patient_only_what_its_cards_show(self):
        # The attribution needs a first name, an initial, an age and a town: the legal
        # name, contact data and representative stay out of the web page's queries.
        with override_settings(PAGE_CACHE_ENABLED=False), CaptureQueriesContext(connection) as q:
            response = self.client.get(self.index.url)
        self.assertContains(response, "Maria G., 54")
        sql = " ".join(query["sql"] for query in q)
        self.assertIn('"consent_patient"."first_name"', sql)
        self.assertEqual(private_columns_read(q), [])
        self.assertNotIn('"stories_patientstorypage"."body"', sql)

    def test_a_card_shows_the_attribution_the_disclosure_and_that_experiences_vary(self):
        response = self.client.get(self.index.url)
        self.assertContains(response, "Maria G., 54")
        self.assertContains(response, f"{MaterialConnection.FREE_CARE.label}.")
        self.assertContains(response, "Individual experiences vary.")
        self.assertContains(response, "1 story.")
        self.assertNotContains(response, "★")

    def test_a_story_whose_consent_ended_is_neither_listed_nor_offered_as_a_filter(self):
        response = self.client.get(self.index.url)
        self.assertNotContains(response, "A story no longer covered")
        self.assertNotContains(response, "Hemifacial spasm")
        response = self.client.get(self.index.url + "?condition=hemifacial-spasm")
        self.assertContains(response, "No stories match hemifacial-spasm.")
        self.assertNotContains(response, "story-card__title")

    def test_filters_narrow_the_list_and_an_empty_result_says_so_plainly(self):
        response = self.client.get(self.index.url + "?treatment=botulinum-toxin")
        self.assertContains(response, "1 story about Botulinum toxin.")
        other = TreatmentFactory(name="Physiotherapy", slug="physiotherapy")
        response = self.client.get(self.index.url + f"?treatment={other.slug}")
        self.assertContains(response, "No stories match physiotherapy.")
        self.assertContains(response, f'<a href="{self.index.url}">Show all stories</a>')

    def test_an_unknown_or_hostile_filter_value_does_not_fail(self):
        response = self.client.get(self.index.url + "?condition=<script>x</script>&page=-1")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "No stories match &lt;script&gt;x&lt;/script&gt;.")
        self.assertNotContains(response, "<script>x</script>")

    def test_the_filter_form_is_labelled_and_works_without_javascript(self):
        response = self.client.get(self.index.url)
        self.assertContains(response, 'method="get"')
        self.assertContains(response, '<label for="filter-condition">Condition</label>')
        self.assertContains(response, '<label for="filter-treatment">Treatment</label>')
        self.assertContains(response, '<button type="submit">Show stories</button>')
        self.assertContains(response, 'role="status"')
        # No pagination for a single page.
        self.assertNotContains(response, 'class="pagination"')

    def test_headings_do_not_skip_a_level(self):
        html = self.client.get(self.index.url).content.decode()
        levels = [int(level) for level in re.findall(r"<h([1-6])[\s>]", html)]
        self.assertEqual(levels[0], 1)
        for before, after in zip(levels, levels[1:], strict=False):
            self.assertLessEqual(after, before + 1, levels)

    def test_a_story_page_has_social_tags_and_a_photo_only_if_covered_for_social_media(self):
        # Website only: a shared link previews the site, never the patient's story.
        response = self.client.get(self.story.url)
        self.assertContains(response, '<meta property="og:title" content="A patient story">')
        self.assertNotContains(response, 'Turning my head again">')
        self.assertNotContains(response, "og:description")
        self.assertContains(response, '<meta name="twitter:card" content="summary">')
        self.assertNotContains(response, "og:image")

        consent = self.story.consent
        consent.channels = [Channel.WEBSITE, Channel.SOCIAL_MEDIA]
        consent_edited_in_place(consent, channels=consent.channels)
        response = self.client.get(self.story.url)
        self.assertContains(response, '<meta property="og:type" content="article">')
        self.assertContains(response, '<meta property="og:title" content="Turning my head again">')
        self.assertContains(response, f'<meta property="og:url" content="{self.story.full_url}">')
        self.assertContains(response, '<meta property="og:image" content="http')
        self.assertContains(response, '<meta name="twitter:card" content="summary_large_image">')

        consent_edited_in_place(consent, identifiers=SHOWN)
        response = self.client.get(self.story.url)
        # Served only while visible: without photo consent the page itself is gone.
        self.assertEqual(response.status_code, 404)
