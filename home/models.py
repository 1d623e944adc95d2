from django.db import models
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from consent.rules import compiled_for_the_day
from core.http import cacheable
from core.pages import OneQueryRestrictions, route
from moderation.publishing import ModeratedMixin
from stories.blocks import FeaturedTestimonialsBlock


class FeaturedStoryBlock(blocks.PageChooserBlock):
    """A patient story an editor features. The stories of the stream that may be shown
    now (``visible()``: live, public, consent active now) are loaded in one query with
    what their cards show, each marked ``visible_now``; any other is loaded apart,
    unmarked, so the editor's choice survives in the admin while the public page shows
    only what may be shown at this moment."""

    def __init__(self, **kwargs):
        super().__init__(page_type="stories.PatientStoryPage", **kwargs)

    @staticmethod
    def _load(pks):
        from stories.models import PatientStoryPage
        from stories.models.pages import card_query, read_cards

        visible = compiled_for_the_day(
            ("featured stories",), lambda at: card_query(PatientStoryPage.objects.visible(at))
        )
        stories = read_cards(visible, pks)
        for story in stories.values():
            story.visible_now = True
        hidden = set(pks) - stories.keys()
        if hidden:  # a second query only when a featured story may not be shown now
            for story in PatientStoryPage.objects.in_bulk(hidden).values():
                story.visible_now = False
                stories[story.pk] = story
        return stories

    def to_python(self, value):
        if value is None:
            return None
        return self._load([value]).get(value)

    def bulk_to_python(self, values):
        objects = self._load([v for v in values if v is not None])
        return [objects.get(pk) for pk in values]

    @staticmethod
    def is_visible(value):
        return value is not None and getattr(value, "visible_now", False)

    def render(self, value, context=None):
        if not self.is_visible(value):
            return ""
        return super().render(value, context)

    def get_api_representation(self, value, context=None):
        return value.pk if self.is_visible(value) else None

    class Meta:
        icon = "doc-full"
        label = "Patient story"
        template = "home/blocks/featured_story.html"


class FeaturedStoriesBlock(blocks.StreamBlock):
    story = FeaturedStoryBlock()


class HomePage(OneQueryRestrictions, ModeratedMixin, Page):
    intro = RichTextField(features=["bold", "italic", "link"], blank=True)
    featured_stories = StreamField(
        FeaturedStoriesBlock(),
        blank=True,
        help_text="Patient stories shown on the home page, in this order. Each appears "
        "only while its patient's consent is active.",
    )
    featured_testimonials = StreamField(
        FeaturedTestimonialsBlock(),
        blank=True,
        help_text="Testimonials shown on the home page. Each appears only while its "
        "patient's consent is active.",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("featured_stories"),
        FieldPanel("featured_testimonials"),
    ]

    # Its row holds nothing of a patient: routing may keep it (core.pages).
    route_kept = True

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "articles.ArticleIndexPage",
        "stories.StoryIndexPage",
        "stories.TestimonialIndexPage",
        "home.StandardPage",
    ]
    max_count = 1

    LATEST_ARTICLES = 3

    # The site's root: every URL is found from here in two queries (core.pages).
    routes_by_url_path = True

    def route(self, request, path_components):
        return route(self, request, path_components)

    def serve(self, request, *args, **kwargs):
        # Anonymous copies are kept by the consent-aware page cache (core.pagecache).
        return cacheable(super().serve(request, *args, **kwargs))

    def get_context(self, request, *args, **kwargs):
        from home.sections import home_sections

        context = super().get_context(request, *args, **kwargs)
        context.update(home_sections(self, request))
        return context


class StandardPage(OneQueryRestrictions, Page):
    """A plain page the site needs beside its content: the privacy notice, the
    accessibility statement, how consent and withdrawal work. Linked from the footer
    (home.navigation.footer_pages) and published through the site's workflow like any
    other page."""

    intro = models.TextField(blank=True, max_length=400)
    body = RichTextField(features=["h2", "h3", "bold", "italic", "link", "ol", "ul"])
    last_reviewed = models.DateField(
        null=True, blank=True, help_text="Shown on the page: when its content was last checked."
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("last_reviewed"),
    ]

    search_fields = [*Page.search_fields]
    # Its row holds nothing of a patient: routing may keep it (core.pages).
    route_kept = True

    parent_page_types = ["home.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = "standard page"
