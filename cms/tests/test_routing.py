"""Pages found in fewer queries (core.pages) give Wagtail's own answers: the same page
for every URL (unpublished sections, drafts, routable pages, aliases, unknown paths),
the same view restrictions and the same public pages."""

from django.core.cache import cache
from django.db.models import Q
from django.http import Http404
from django.test import RequestFactory, TestCase, override_settings
from wagtail.models import Page, PageViewRestriction

from articles.factories import ArticleIndexPageFactory, TreatmentArticlePageFactory
from articles.models import TreatmentArticlePage
from core.pages import Unrestricted, kept_key, public, route, view_restrictions
from home.tests.test_site_chrome import make_standard_page
from moderation.testing import publish_through_workflow
from stories.factories import StoryIndexPageFactory
from stories.tests.utils import SiteTree, live_story
from taxonomy.factories import ConditionFactory


def answer(page_route, root, path, generation=None):
    """What a route gives for ``path``: the page's class and id, and the routable
    view with its arguments; or 404. With a ``generation`` (core.sites leaves one on
    each request), routing keeps and reads pages in the cache."""
    request = RequestFactory().get(path)
    if generation:
        request._kept_generation = generation
    try:
        result = page_route(root, request, [part for part in path.split("/") if part])
    except Http404:
        return 404
    page, args, kwargs = result
    if args:
        view, view_args, view_kwargs = args
        args = (view.__func__, view_args, view_kwargs)
    return type(page), page.pk, args, kwargs


class RoutingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        SiteTree.make_tree()
        cls.home = SiteTree.home
        cls.story = live_story(SiteTree.index, title="Lakeside")
        cls.draft = live_story(SiteTree.index, title="Draft one")
        cls.draft.unpublish()
        # A section taken offline: Wagtail still serves the live pages under it.
        cls.offline = StoryIndexPageFactory(parent=cls.home, title="Offline", slug="offline")
        cls.under_offline = live_story(cls.offline, title="Under offline")
        cls.offline.unpublish()
        cls.articles = ArticleIndexPageFactory(parent=cls.home, slug="articles")
        cls.condition = ConditionFactory(slug="cervical-dystonia")
        cls.article = publish_through_workflow(
            TreatmentArticlePageFactory(parent=cls.articles, conditions=[cls.condition])
        )
        # A child page named like the start of its routable parent's routes.
        cls.shadowed = publish_through_workflow(
            TreatmentArticlePageFactory(parent=cls.articles, slug="conditions")
        )
        cls.alias = SiteTree.index.create_alias(update_slug="stories-alias")
        cls.restricted = live_story(SiteTree.index, title="Members only")
        PageViewRestriction.objects.create(
            page=cls.restricted, restriction_type=PageViewRestriction.LOGIN
        )
        # An alias of a restricted story takes its source's restriction, even with its
        # own copy of it gone.
        cls.restricted_alias = cls.restricted.create_alias(update_slug="members-alias")
        PageViewRestriction.objects.filter(page=cls.restricted_alias).delete()
        # A page of another type under the story index (put there around the admin's
        # checks): a story's one-query read misses it, and the walk must still find it.
        cls.stranger = make_standard_page(SiteTree.index, "Stranger", "stranger")
        cls.paths = [
            "/",
            SiteTree.index.url,
            cls.story.url,
            cls.draft.url_path.removeprefix(cls.home.url_path[:-1]),
            cls.under_offline.url_path.removeprefix(cls.home.url_path[:-1]),
            "/offline/",
            "/articles/",
            cls.article.url,
            "/articles/conditions/",
            "/articles/conditions/cervical-dystonia/",
            "/articles/conditions/nope/",
            "/articles/treatments/nope/",
            "/stories-alias/",
            cls.restricted.url,
            f"{cls.story.url}extra/",
            cls.restricted_alias.url,
            cls.stranger.url,
            f"{SiteTree.index.url}nope/",
            "/nope/",
            "/nope/deeper/",
        ]

    def test_every_path_finds_what_wagtails_walk_finds(self):
        home = self.home.specific
        for path in self.paths:
            with self.subTest(path=path):
                self.assertEqual(answer(route, home, path), answer(Page.route, home, path))
        # The cases that matter answered what they should, not merely the same.
        self.assertEqual(answer(route, home, self.story.url)[1], self.story.pk)
        self.assertEqual(answer(route, home, self.paths[4])[1], self.under_offline.pk)
        self.assertEqual(answer(route, home, self.paths[3]), 404)
        self.assertEqual(answer(route, home, "/articles/conditions/")[1], self.shadowed.pk)
        condition_page = answer(route, home, "/articles/conditions/cervical-dystonia/")
        self.assertEqual(condition_page[1], self.articles.pk)
        self.assertEqual(condition_page[2][2], {"slug": "cervical-dystonia"})

    def test_pages_kept_in_the_cache_answer_what_wagtails_walk_finds(self):
        # Cold, then warm, then warm in the other order: a page kept for a short path
        # must not answer for a longer one that Wagtail routes elsewhere.
        home = self.home.specific
        expected = {path: answer(Page.route, home, path) for path in self.paths}
        for order in (self.paths, self.paths, self.paths[::-1]):
            for path in order:
                with self.subTest(path=path):
                    self.assertEqual(answer(route, home, path, "g1"), expected[path])
        # Warm: a kept page is found with no query; a patient story is always read.
        for path, queries in [("/", 0), ("/articles/", 0), (self.article.url, 0)]:
            with self.subTest(path=path), self.assertNumQueries(queries):
                self.assertEqual(answer(route, home, path, "g1"), expected[path])
        with self.assertNumQueries(0):
            condition_page = answer(route, home, "/articles/conditions/cervical-dystonia/", "g1")
        self.assertEqual(condition_page, expected["/articles/conditions/cervical-dystonia/"])
        # The page kept for a whole path answers it even when a page on the way is no
        # longer kept (each is kept for its own time).
        request = RequestFactory().get("/")
        request._kept_generation = "g1"
        cache.delete(kept_key(request, "route", home.pk, "articles"))
        for path in (self.article.url, "/articles/conditions/"):
            with self.subTest(path=path), self.assertNumQueries(0):
                self.assertEqual(answer(route, home, path, "g1"), expected[path])
        # Under the kept story index, a story is read as a story, in one query.
        with self.assertNumQueries(1):
            self.assertEqual(answer(route, home, self.story.url, "g1")[1], self.story.pk)
        with self.assertNumQueries(2):  # another generation: nothing kept for it yet
            self.assertEqual(answer(route, home, self.article.url, "g2")[1], self.article.pk)

    def test_a_kept_page_is_dropped_when_pages_or_restrictions_change(self):
        article_url = self.article.url
        self.assertEqual(self.client.get(article_url).status_code, 200)
        self.assertEqual(self.client.get(article_url).status_code, 200)  # kept
        restriction = PageViewRestriction.objects.create(
            page=self.articles, restriction_type=PageViewRestriction.LOGIN
        )
        self.assertEqual(self.client.get(article_url).status_code, 302)  # to sign in
        restriction.delete()
        self.assertEqual(self.client.get(article_url).status_code, 200)
        Page.objects.get(pk=self.article.pk).unpublish()
        self.assertEqual(self.client.get(article_url).status_code, 404)

    @override_settings(PAGE_CACHE_ENABLED=False)  # routed each time: cold, then kept
    def test_every_path_answers_through_the_site_as_wagtail_routes_it(self):
        home = self.home.specific
        for path in [*self.paths, *self.paths]:
            with self.subTest(path=path):
                expected = answer(Page.route, home, path)
                response = self.client.get(path)
                if expected == 404 or "/nope/" in path:  # no page, or a route's view 404s
                    self.assertEqual(response.status_code, 404)
                elif expected[1] in (self.restricted.pk, self.restricted_alias.pk):
                    self.assertEqual(response.status_code, 302)  # to the sign-in page
                else:
                    self.assertEqual(response.status_code, 200)
                    self.assertEqual(response.context["page"].pk, expected[1])

    def test_a_story_is_found_in_two_queries_at_any_depth(self):
        home = self.home.specific
        request = RequestFactory().get(self.story.url)
        with self.assertNumQueries(2):
            page = route(home, request, [SiteTree.index.slug, self.story.slug]).page
        self.assertEqual(page, self.story)
        # Read on the way: no view restriction, so the serve hook asks for none.
        with self.assertNumQueries(0):
            self.assertEqual(list(page.get_view_restrictions()), [])

    def test_view_restrictions_are_wagtails(self):
        for page in Page.objects.all():
            with self.subTest(page=page.url_path):
                self.assertEqual(
                    set(view_restrictions(page)), set(Page.get_view_restrictions(page))
                )
        self.assertTrue(view_restrictions(self.restricted))

    def test_public_pages_are_wagtails(self):
        self.assertEqual(set(public(Page.objects.all())), set(Page.objects.public()))
        self.assertNotIn(self.restricted, public(Page.objects.all()))

    def test_a_restricted_page_still_asks_visitors_to_sign_in(self):
        response = self.client.get(self.restricted.url)
        self.assertEqual(response.status_code, 302)
        self.assertIn("login", response["Location"])
        self.assertEqual(self.client.get(self.story.url).status_code, 200)


class PublicTests(TestCase):
    """``public()`` writes its SQL out by hand: it must keep Wagtail's answer for pages
    in, under and beside restricted sections, on specific models, and when the query it
    filters is itself nested in another one (its column then names another alias)."""

    @classmethod
    def setUpTestData(cls):
        SiteTree.make_tree()
        home = SiteTree.home
        cls.open_index = ArticleIndexPageFactory(parent=home, slug="open")
        cls.closed_index = ArticleIndexPageFactory(parent=home, slug="closed")
        cls.open_article = cls.article(cls.open_index, "open-article")
        cls.restricted_article = cls.article(cls.open_index, "restricted-article")
        cls.under_closed = cls.article(cls.closed_index, "under-closed")
        cls.under_closed_too = cls.article(cls.closed_index, "under-closed-too")
        for page, kind in [
            (cls.restricted_article, PageViewRestriction.LOGIN),
            (cls.closed_index, PageViewRestriction.PASSWORD),
            (cls.under_closed_too, PageViewRestriction.LOGIN),  # nested in a restricted one
        ]:
            PageViewRestriction.objects.create(page=page, restriction_type=kind, password="x")
        cls.story = live_story(SiteTree.index, title="Open story")

    @staticmethod
    def article(parent, slug):
        return publish_through_workflow(
            TreatmentArticlePageFactory(parent=parent, slug=slug, title=f"Dystonia {slug}")
        )

    def assertSamePages(self, ours, wagtails):
        self.assertEqual(sorted(p.pk for p in ours), sorted(p.pk for p in wagtails))

    def test_the_same_pages_as_wagtail(self):
        for pages in [
            Page.objects.all(),
            Page.objects.live(),
            TreatmentArticlePage.objects.all(),
            TreatmentArticlePage.objects.child_of(self.open_index),
            TreatmentArticlePage.objects.child_of(self.closed_index),
            Page.objects.descendant_of(SiteTree.home, inclusive=True),
        ]:
            with self.subTest(query=str(pages.query)[-120:]):
                self.assertSamePages(public(pages), pages.public())
        self.assertSamePages(public(TreatmentArticlePage.objects.all()), [self.open_article])
        self.assertIn(self.open_index.page_ptr, public(Page.objects.all()))
        self.assertNotIn(self.closed_index.page_ptr, public(Page.objects.all()))

    def test_the_same_pages_when_nested_in_another_query(self):
        for index in [self.open_index, self.closed_index, SiteTree.index]:
            with self.subTest(index=index.slug):
                ours = public(TreatmentArticlePage.objects.child_of(index).live()).values("pk")
                wagtails = TreatmentArticlePage.objects.child_of(index).live().public()
                # Nested one and two levels deep, and beside other conditions.
                self.assertSamePages(Page.objects.filter(pk__in=ours), wagtails)
                self.assertSamePages(
                    Page.objects.filter(pk__in=Page.objects.filter(pk__in=ours).values("pk")),
                    wagtails,
                )
                self.assertSamePages(
                    Page.objects.filter(Q(pk__in=ours) | Q(pk=self.story.pk)),
                    [*wagtails, self.story],
                )

    def test_negated_it_finds_the_restricted_pages(self):
        restricted = Page.objects.exclude(Unrestricted())
        self.assertSamePages(
            restricted, Page.objects.exclude(pk__in=Page.objects.public().values("pk"))
        )
        self.assertEqual(
            {p.pk for p in restricted},
            {
                self.restricted_article.pk,
                self.closed_index.pk,
                self.under_closed.pk,
                self.under_closed_too.pk,
            },
        )

    def test_search_filters_on_it(self):
        found = public(TreatmentArticlePage.objects.live()).search("dystonia")
        self.assertEqual([p.pk for p in found], [self.open_article.pk])
