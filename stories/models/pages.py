from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connection, models
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.html import strip_tags
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from consent.models import Identifier
from consent.rules import compiled_for_the_day, superseded_exists
from core.compiled import Bound, Ids, compiled
from core.http import cacheable
from core.pages import OneQueryRestrictions, public
from moderation.publishing import ModeratedMixin
from stories.blocks import FeaturedTestimonialsBlock, StoryBodyBlock
from stories.models.patient_content import (
    SHOWN_FIELDS,
    PatientContent,
    consent_status_expression,
    normalise,
    search_visible,
    visible_q,
)
from stories.models.photos import card_renditions, read_card_renditions
from stories.panels import patient_content_panels

# What a story shows beside its own row, joined in the same query: its consent with the
# patient, hero photo, condition and treatment (cards, and the story page as routed).
SHOWN_RELATED = ("consent__patient", "hero_image", "condition", "treatment")


class StoryQuerySet(PageQuerySet):
    def visible(self, at=None):
        """Live, public stories whose consent is active now: every public read (listings,
        search, sitemap, feeds, API) goes through this."""
        return public(self.live()).filter(visible_q(at))

    def search_visible(self, query, at=None):
        return search_visible(self, query, at)

    def for_listing(self, at=None):
        return self.visible(at).with_cards()

    # The story's own columns a card reads (stories/includes/story_card.html).
    CARD_FIELDS = ("title", "url_path", "summary", "first_published_at", "live", "hero_image")

    def with_cards(self, *more):
        """What a story card shows, joined or prefetched: no query per card, and only the
        columns a card reads (a story's body and a patient's record are not loaded), and
        the fields named in ``more``."""
        return (
            self.select_related(*SHOWN_RELATED)
            .only(*self.CARD_FIELDS, *SHOWN_FIELDS, *more)
            .prefetch_related(card_renditions())
        )

    def with_consent_status(self, at=None):
        return self.select_related("consent__patient").annotate(
            consent_status=consent_status_expression(at=at)
        )


StoryManager = PageManager.from_queryset(StoryQuerySet)


def card_query(stories):
    """``stories`` with what their cards show, by ``Ids`` (a read compiled once,
    core.compiled; ``read_cards`` runs it)."""
    return stories.with_cards().prefetch_related(None).order_by().filter(Ids())


def read_cards(kept, ids):
    """The stories of ``kept`` (a compiled ``card_query``) among ``ids``, by id, with
    their photos' card renditions (in a second query compiled once, rather than a
    prefetch compiled afresh)."""
    stories = {story.pk: story for story in kept.run(ids=ids)} if ids else {}
    read_card_renditions([story.hero_image for story in stories.values() if story.hero_image])
    return stories


@dataclass
class Topic:
    """A condition or treatment offered as a filter, with its number of visible stories."""

    name: str
    slug: str
    story_count: int


class StoryIndexPage(OneQueryRestrictions, ModeratedMixin, Page):
    intro = models.TextField(blank=True, max_length=500)
    featured = StreamField(
        FeaturedTestimonialsBlock(),
        blank=True,
        help_text="Testimonials shown above the stories. Each appears only while its "
        "patient's consent is active.",
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("featured")]

    # Its row holds nothing of a patient: routing may keep it (core.pages).
    route_kept = True

    parent_page_types = ["home.HomePage"]
    subpage_types = ["stories.PatientStoryPage"]
    max_count = 1

    STORIES_PER_PAGE = 12
    FILTERS = ("condition", "treatment")

    def visible_stories(self, at=None):
        """The stories visible here at ``at`` (now)."""
        return PatientStoryPage.objects.child_of(self).visible(at)

    def compiled(self, name, build, at=None):
        """``build(visible_stories)`` compiled once (core.compiled) for this index, its
        place in the tree and the day the consent rule asks about."""
        key = ("stories", name, self.pk, self.path)
        return compiled_for_the_day(key, lambda at: build(self.visible_stories(at)), at)

    def cards(self, ids, at=None):
        """The visible stories among ``ids`` with what their cards show, in that order."""
        loaded = read_cards(self.compiled("cards", card_query, at), ids)
        return [loaded[pk] for pk in ids if pk in loaded]

    TOPIC_COLUMNS = (
        "condition_id",
        "condition__name",
        "condition__slug",
        "condition__live",
        "treatment_id",
        "treatment__name",
        "treatment__slug",
        "treatment__live",
        "story_count",
    )

    def topics(self, at=None):
        """How many visible stories there are for each (condition, treatment) pair: one
        grouped scan gives the filter options with their counts and the count of any
        filtered listing (a sum over the pairs it keeps)."""
        return self.scan(at=at)[0]

    ROW_COLUMNS = ("pk", "first_published_at", "condition_id", "treatment_id")

    def scan(self, chosen=None, number=None, at=None):
        """One pass over the visible stories for the two things a listing page needs
        of all of them: the topic counts (``topics``) and the ids of page ``number`` of
        those matching ``chosen`` ({"condition": slug, "treatment": slug}), newest first.

        Each is a scan of every visible story through the consent rule (about 15 ms at
        10,000 stories); as one query the rule runs once, into a common table expression
        both parts read. ``number=None`` gives no page. The SQL runs on PostgreSQL and
        SQLite (the local default) and wraps the SQL Django writes for ``visible``, so
        the consent rule is exactly ``visible()``'s."""
        chosen = chosen or {}
        rows = self.compiled("rows", lambda v: v.order_by().values_list(*self.ROW_COLUMNS), at)
        rows_sql, params = rows.run().query.sql_with_params()
        # Table names from the models, the visitor's values only as parameters.
        table = {
            name: connection.ops.quote_name(
                PatientStoryPage._meta.get_field(name).related_model._meta.db_table
            )
            for name in self.FILTERS
        }
        params = [*params, *chosen.values()]
        matching = "".join(
            f" AND {name}_id IN (SELECT id FROM {table[name]} WHERE slug = %s)"  # noqa: S608
            for name in chosen
        )
        limit = "LIMIT 0" if number is None else "LIMIT %s OFFSET %s"
        if number is not None:
            params += [self.STORIES_PER_PAGE, (number - 1) * self.STORIES_PER_PAGE]
        # Table names from the models and Django's own SQL; every value is a parameter.
        sql = (
            f"WITH v (pk, published, condition_id, treatment_id) AS ({rows_sql}),"  # noqa: S608
            f" page_rows AS (SELECT pk, published FROM v WHERE 1 = 1{matching}"
            f" ORDER BY published DESC, pk DESC {limit}),"
            " counted AS (SELECT condition_id, treatment_id, COUNT(*) AS story_count"
            " FROM v GROUP BY condition_id, treatment_id)"
            " SELECT NULL, counted.condition_id, c.name, c.slug, c.live,"
            " counted.treatment_id, t.name, t.slug, t.live, counted.story_count, NULL"
            f" FROM counted LEFT JOIN {table['condition']} c ON c.id = counted.condition_id"
            f" LEFT JOIN {table['treatment']} t ON t.id = counted.treatment_id"
            " UNION ALL SELECT pk, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
            " published FROM page_rows"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        topics = [
            dict(zip(self.TOPIC_COLUMNS, row[1:-1], strict=True)) for row in rows if row[0] is None
        ]
        # UNION ALL promises no order: the page's rows sorted again as ORDER BY did
        # (a live page always has its first publication time).
        page = sorted((row for row in rows if row[0] is not None), key=lambda r: (r[-1], r[0]))
        return topics, [row[0] for row in reversed(page)]

    def filter_options(self, topics=None):
        """The conditions and treatments of the stories visible here now, for the filters
        (a topic with no visible story would only lead to an empty page)."""
        topics = self.topics() if topics is None else topics
        options = {}
        for name in self.FILTERS:
            counted = {}
            for row in topics:
                if row[f"{name}_id"] is None or not row[f"{name}__live"]:
                    continue  # none, or a draft topic visitors are not offered
                option = counted.setdefault(
                    row[f"{name}_id"],
                    Topic(row[f"{name}__name"], row[f"{name}__slug"], 0),
                )
                option.story_count += row["story_count"]
            options[name] = sorted(counted.values(), key=lambda o: o.name)
        return options

    def get_context(self, request, *args, **kwargs):
        """The visible stories, filtered by ``?condition=<slug>&treatment=<slug>`` and
        paginated (``&page=<n>``) in SQL: a fixed number of queries whatever the number of
        stories (stories/tests/test_listing.py), and only the page's rows are loaded."""
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()  # one moment for every read of the stories
        chosen = {}
        for name in self.FILTERS:
            slug = request.GET.get(name, "").strip()[:120]
            if slug:
                chosen[name] = slug
        asked = request.GET.get("page")
        # A guess at the page shown; past any real page (or past what SQL's OFFSET
        # takes) it is corrected below, as for any page out of range.
        guess = int(asked) if asked and asked.isdigit() and 1 <= int(asked) <= 10**6 else 1
        # The counts and the ids of the page asked for, in one pass over the stories.
        topics, page_ids = self.scan(chosen, guess, now)
        options = self.filter_options(topics)
        unknown = []
        for name, slug in chosen.items():
            if not any(o.slug == slug for o in options[name]):
                # Unknown, or no visible story about it: the result is empty, said plainly.
                unknown.append(slug)
            topics = [row for row in topics if row[f"{name}__slug"] == slug]

        # Counted from the topics (no second scan); the page's ids come from the scan.
        paginator = Paginator([], self.STORIES_PER_PAGE)
        paginator.count = sum(row["story_count"] for row in topics)
        # get_page: a page number that is not a number gives the first page, one past
        # the end the last, so an old link never fails.
        page = paginator.get_page(asked)
        if page.number != guess:
            # Out of range (or "0"): the page shown is another, scanned for again.
            page_ids = self.scan(chosen, page.number, now)[1]
        page.object_list = self.cards(page_ids, now)
        base_url = self.get_url(request) or ""

        def url_for(number):
            query = dict(chosen, **({"page": number} if number > 1 else {}))
            return base_url + ("?" + urlencode(query) if query else "")

        page_links = [
            {"number": n, "url": url_for(n), "current": n == page.number}
            if isinstance(n, int)
            else {"ellipsis": True}
            for n in paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
        ]
        full_url = self.get_full_url(request) or ""
        context.update(
            stories=page.object_list,
            stories_page=page,
            paginator=paginator,
            page_links=page_links if paginator.num_pages > 1 else [],
            previous_url=url_for(page.previous_page_number()) if page.has_previous() else "",
            next_url=url_for(page.next_page_number()) if page.has_next() else "",
            filter_options=options,
            chosen=chosen,
            chosen_names=[
                next((o.name for o in options[name] if o.slug == slug), slug)
                for name, slug in chosen.items()
            ],
            unknown_filters=unknown,
            canonical_url=full_url + url_for(page.number).removeprefix(base_url),
        )
        return context

    def serve(self, request, *args, **kwargs):
        return cacheable(super().serve(request, *args, **kwargs))


class PatientStoryPage(OneQueryRestrictions, ModeratedMixin, PatientContent, Page):
    summary = models.TextField(
        max_length=300, help_text="One or two sentences for listings and search results."
    )
    hero_image = models.ForeignKey(
        "stories.PatientPhoto",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Counts as a photo of the patient: the consent must cover photos.",
    )
    hero_image_alt = models.CharField(
        "hero image alt text", max_length=250, blank=True, help_text="What the image shows."
    )
    body = StreamField(StoryBodyBlock())

    objects = StoryManager()

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("hero_image"), FieldPanel("hero_image_alt")], heading="Hero image"
        ),
        FieldPanel("body"),
        *patient_content_panels(),
        InlinePanel("related_articles", label="Related articles"),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
    ]

    parent_page_types = ["stories.StoryIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "patient story"
        verbose_name_plural = "patient stories"
        indexes = [
            # Everything the listing's grouped scan and the consent rule read of a
            # story (StoryIndexPage.topics, visible_q), so at 10,000 stories it is an
            # index-only scan rather than a read of every row's body.
            models.Index(
                # All key columns (no INCLUDE, which SQLite, the local default, lacks).
                fields=["consent", "page_ptr", "condition", "treatment", "identifiers_shown"],
                name="story_shown_under_consent",
                condition=Q(identifiers_shown__isnull=False),
            ),
        ]

    @classmethod
    def get_indexed_objects(cls):
        # See Testimonial.get_indexed_objects: an ended consent keeps content out for good.
        return super().get_indexed_objects().filter(consent__ended_at__isnull=True)

    # -- What is shown ----------------------------------------------------------------

    def clean(self):
        super().clean()
        # A story's hero shows the patient: it is content, never decoration.
        if self.hero_image_id and not self.hero_image_alt.strip():
            raise ValidationError({"hero_image_alt": "Describe what the hero image shows."})

    def structured_data(self):
        """schema.org JSON-LD for the story: a web page about the condition. Never
        Review or AggregateRating markup (self-serving reviews, FTC 16 CFR 465)."""
        data = {
            "@context": "https://schema.org",
            "@type": "WebPage",
            "name": self.title,
            "description": self.summary,
            "url": self.full_url,
        }
        if self.first_published_at:
            data["datePublished"] = self.first_published_at.date().isoformat()
        if self.condition_id and Identifier.CONDITION in self.shown_identifiers():
            data["about"] = {"@type": "MedicalCondition", "name": self.condition.name}
        return data

    def photos(self):
        body = [block.value["image"] for block in self.body if block.block_type == "image"]
        return [photo for photo in (self.hero_image, *body) if photo is not None]

    def photo_ids(self):
        """The ids of the photos shown, read from the stored body (no photo loaded)."""
        raw = self.body.raw_data
        body = [block["value"].get("image") for block in raw if block["type"] == "image"]
        return {pk for pk in (self.hero_image_id, *body) if pk is not None}

    def media(self):
        """The patient's own videos and recordings in the body (``PatientMedia``)."""
        from stories.models.media import PatientMedia

        ids = self.media_ids()
        if not ids:
            return []
        served = getattr(self, "_served_media", None)
        if served is not None and served[0] == ids:
            return list(served[1])  # read at the start of this request (read_for_serving)
        return list(PatientMedia.objects.filter(pk__in=ids))

    def media_ids(self):
        raw = self.body.raw_data
        return {block["value"] for block in raw if block["type"] == "patient_video"} - {None}

    def shown_identifiers(self):
        shown = super().shown_identifiers()
        block_types = {block["type"] for block in self.body.raw_data}
        if self.hero_image_id or "image" in block_types:
            shown.append(Identifier.PHOTO)
        if "video" in block_types:
            shown.append(Identifier.VOICE_VIDEO)
        return self.media_identifiers(shown)

    def publish_problems(self):
        return self.content_problems()

    def public_text(self):
        """What visitors read, for the automatic consent check (moderation.scanning)."""
        from moderation.scanning import value_text

        return [
            ("title", self.title),
            ("summary", self.summary),
            ("hero image alt text", self.hero_image_alt),
            ("search description", self.search_description),
            *(("body", text) for text in value_text(self.body)),
            *(piece for item in self.media() for piece in item.public_text()),
        ]

    def pull_quotes(self):
        return [block.value["quote"] for block in self.body if block.block_type == "pull_quote"]

    def quoted_text(self):
        """The patient's words on the page, for the approval diff."""
        return "\n\n".join(self.pull_quotes())

    def quoted_text_problems(self):
        quotes = self.pull_quotes()
        if not quotes:
            return []
        approved = normalise(self.approved_text)
        if not approved:
            return [
                "The story quotes the patient: enter the text the patient approved, word for word."
            ]
        changed = [q for q in quotes if normalise(q) not in approved]
        if changed:
            listed = "; ".join(f"“{normalise(q)[:60]}”" for q in changed)
            return [
                "These pull quotes are not word for word in the text the patient approved, "
                f"so they need the patient's approval again (FTC 16 CFR 255.1): {listed}."
            ]
        return []

    def get_publishing_site(self):
        return self.get_site()

    # -- Public reads -----------------------------------------------------------------

    SHOWN_RELATIONS = ("consent", "hero_image", "condition", "treatment")

    @classmethod
    def for_serving(cls, pages):
        """``pages`` with what the page shows beside its own row: its consent (with the
        patient, and whether a verified consent supersedes it), hero photo, condition
        and treatment. Routing (core.pages) reads the page to serve with these."""
        return pages.select_related(*SHOWN_RELATED).annotate(
            consent_superseded=superseded_exists("consent__")
        )

    def read_for_serving(self):
        """Read afresh, once per request, what ``for_serving`` adds to the page's row
        (none when routing read the page with them, in this request), and the videos
        of its body in one query, which the body's blocks then render. The consent
        check, the template, the social tags and the JSON-LD all use these, so none
        reads them again; nothing is kept beyond the request (the page is loaded anew
        for each)."""
        if "consent_superseded" in self.__dict__:  # read with the page, by routing
            self.consent.__dict__["is_superseded"] = self.consent_superseded
        else:
            self.read_shown_relations()
        ids = self.media_ids()
        if ids:
            videos = [child.value for child in self.body.blocks_by_name("patient_video")]
            unique = {item.pk: item for item in videos if item is not None}
            ordered = sorted(unique.values(), key=lambda item: item.created_at, reverse=True)
            self._served_media = (ids, ordered)

    def read_shown_relations(self):
        row = (
            self.for_serving(type(self).objects.filter(pk=self.pk).order_by())
            .only("pk", *self.SHOWN_RELATIONS)
            .first()
        )
        if row is not None:
            for name in self.SHOWN_RELATIONS:
                # Only what this copy of the page points to: a publish between routing
                # and now leaves the rest to be read lazily, as before.
                if getattr(row, f"{name}_id") == getattr(self, f"{name}_id"):
                    field = self._meta.get_field(name)
                    field.set_cached_value(self, field.get_cached_value(row))
            if row.consent_id == self.consent_id:
                # Consent.is_superseded, asked in the same query as the consent itself.
                self.consent.__dict__["is_superseded"] = row.consent_superseded

    def serve(self, request, *args, **kwargs):
        # The full check, coverage included, on every request: the consent may have
        # expired a second ago, before any job ran.
        if not getattr(request, "is_preview", False):
            self.read_for_serving()
            if not self.may_show():
                raise Http404
        return cacheable(super().serve(request, *args, **kwargs))

    def get_sitemap_urls(self, request=None):
        if not self.may_show():
            return []
        return super().get_sitemap_urls(request)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        links = self.related_articles.all()
        # Saved links: a subquery, so the articles cost one query; a preview's unsaved
        # links are in memory.
        if isinstance(links, models.QuerySet):
            related = compiled(("story related articles",), related_articles_of_a_story)
            context["related_articles"] = related.run(story=self.pk)
        else:
            article_ids = [link.article_id for link in links]
            context["related_articles"] = (
                public(Page.objects.live()).filter(pk__in=article_ids).order_by("title")
            )
        context["index_url"] = self.index_url(request)
        return context

    def index_url(self, request=None):
        """The story index's URL for the breadcrumb: the story's own URL less its slug
        (Page.set_url_path), so no query for the parent page."""
        url = self.get_url(request) or ""
        suffix = f"{self.slug}/"
        if url.endswith(suffix):
            return url.removesuffix(suffix)
        parent = self.get_parent()  # e.g. a preview of a page not saved yet
        return (parent.get_url(request) or "") if parent else ""

    def get_meta_description(self):
        return self.search_description or strip_tags(self.summary)


def related_articles_of_a_story():
    """The public live pages a saved story links to, by title (core.compiled)."""
    links = StoryRelatedArticle.objects.filter(page_id=Bound("story", models.IntegerField()))
    articles = Page.objects.live().filter(pk__in=links.values("article_id"))
    return public(articles).order_by("title")


class StoryRelatedArticle(Orderable):
    page = ParentalKey(PatientStoryPage, on_delete=models.CASCADE, related_name="related_articles")
    # A page, not the article model: stories sit below articles and must not import them.
    article = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")

    panels = [PageChooserPanel("article", "articles.TreatmentArticlePage")]
