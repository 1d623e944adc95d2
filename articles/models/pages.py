"""The article pages: an index that also serves condition and treatment pages, and the
treatment article itself, which goes live only through moderation."""

import math
from urllib.parse import urlencode, urljoin

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import prefetch_related_objects
from django.forms import CheckboxSelectMultiple
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import cached_property
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, Site
from wagtail.search import index

from articles.blocks import INLINE_FEATURES, ArticleBodyBlock
from articles.rules import next_review_after
from core.http import cacheable
from core.pages import KEPT_TIMEOUT, OneQueryRestrictions, kept_key, public
from moderation.publishing import ModeratedMixin
from taxonomy.models import Condition, Reviewer, Treatment
from taxonomy.rules import names_in_text, prescription_only_problems, unpublished_problems

WORDS_PER_MINUTE = 200


class ArticleIndexPage(OneQueryRestrictions, ModeratedMixin, RoutablePageMixin, Page):
    """Lists the live articles below it, and serves a page per condition and treatment."""

    intro = RichTextField(features=INLINE_FEATURES, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    # Its row holds nothing of a patient: routing may keep it (core.pages).
    route_kept = True

    parent_page_types = ["home.HomePage"]
    subpage_types = ["articles.TreatmentArticlePage"]

    class Meta:
        verbose_name = "article index page"

    def serve(self, request, *args, **kwargs):
        # Anonymous copies are kept by the consent-aware page cache (core.pagecache).
        return cacheable(super().serve(request, *args, **kwargs))

    def live_articles(self):
        """The live articles here, by title, with what their cards show (their own
        fields): a condition's or treatment's page lists them in one query."""
        return TreatmentArticlePage.cards(
            public(TreatmentArticlePage.objects.child_of(self).live()).order_by("title")
        )

    @staticmethod
    def subpage_path(name, slug):
        return ArticleIndexPage.get_resolver().reverse(name, slug=slug)

    def condition_url(self, condition, request=None):
        return self.get_url(request) + self.subpage_path("condition", condition.slug)

    def treatment_url(self, treatment, request=None):
        return self.get_url(request) + self.subpage_path("treatment", treatment.slug)

    def _browsable(self, request, articles):
        """Conditions and treatments with a live article here, each with its URL."""
        conditions = {c.pk: c for a in articles for c in a.conditions.all() if c.live}
        treatments = {t.pk: t for a in articles for t in a.treatments.all() if t.live}
        for condition in conditions.values():
            condition.page_url = self.condition_url(condition, request)
        for treatment in treatments.values():
            treatment.page_url = self.treatment_url(treatment, request)
        by_name = lambda item: item.name  # noqa: E731
        return sorted(conditions.values(), key=by_name), sorted(treatments.values(), key=by_name)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        articles = list(self.live_articles().prefetch_related("conditions", "treatments"))
        conditions, treatments = self._browsable(request, articles)
        context.update(articles=articles, conditions=conditions, treatments=treatments)
        return context

    def _render_subpage(self, request, template, **context):
        # Page.get_context, not ours: a condition's page needs only its own articles.
        return TemplateResponse(request, template, {**Page.get_context(self, request), **context})

    @staticmethod
    def _subpage_urls(request, url):
        return {"subpage_url": url, "canonical_url": request.build_absolute_uri(url)}

    @staticmethod
    def visible_stories():
        # stories depends on articles (its condition and treatment), hence the late import.
        from stories.models import PatientStoryPage

        return PatientStoryPage.objects.for_listing()

    # The newest stories a condition's page shows; the rest are a link to the story
    # listing filtered by the condition, so the page costs the same at any size.
    CONDITION_STORIES = 6

    def topic(self, request, model, slug):
        """The live condition or treatment with this slug and its live articles here,
        kept in the cache as routed pages are (no patient's; core.pages), and also
        dropped when a condition or treatment changes (articles.apps)."""
        key = kept_key(request, "topic", self.pk, model._meta.label, slug)
        kept = cache.get(key) if key else None
        if kept is None:
            topic = get_object_or_404(model, slug=slug, live=True)
            field = "conditions" if model is Condition else "treatments"
            kept = (topic, list(self.live_articles().filter(**{field: topic})))
            if key:
                cache.set(key, kept, KEPT_TIMEOUT)
        return kept

    @path("conditions/<slug:slug>/", name="condition")
    def condition_view(self, request, slug):
        condition, articles = self.topic(request, Condition, slug)
        stories = list(
            self.visible_stories()
            .filter(condition=condition)
            .order_by("-first_published_at", "-pk")[: self.CONDITION_STORIES + 1]
        )
        return self._render_subpage(
            request,
            "articles/condition_page.html",
            condition=condition,
            condition_articles=articles,
            condition_stories=stories[: self.CONDITION_STORIES],
            # One story more than shown was found: a query for the listing, only then.
            more_stories_url=self._stories_about(condition, request)
            if len(stories) > self.CONDITION_STORIES
            else "",
            **self._subpage_urls(request, self.condition_url(condition, request)),
        )

    @staticmethod
    def _stories_about(condition, request):
        from stories.models import StoryIndexPage

        listings = public(StoryIndexPage.objects.live())
        site = Site.find_for_request(request)  # found already: no query
        if site is not None:
            listings = listings.descendant_of(site.root_page)
        listing = listings.order_by("path").first()
        url = listing.get_url(request) if listing else None
        return f"{url}?{urlencode({'condition': condition.slug})}" if url else ""

    @path("treatments/<slug:slug>/", name="treatment")
    def treatment_view(self, request, slug):
        treatment, articles = self.topic(request, Treatment, slug)
        if prescription_only_problems([treatment], request=request):
            # A page about a prescription-only medicine is an advertisement in the UK/EU.
            raise Http404("No treatment page in this jurisdiction.")
        return self._render_subpage(
            request,
            "articles/treatment_page.html",
            treatment=treatment,
            treatment_articles=articles,
            **self._subpage_urls(request, self.treatment_url(treatment, request)),
        )

    def get_sitemap_urls(self, request=None):
        """The index, then each condition and treatment route with a live article here
        (the routes are not pages, so Wagtail's sitemap would not list them itself)."""
        urls = super().get_sitemap_urls(request)
        base = self.get_full_url(request)
        if not urls or not base:
            return urls
        articles = public(TreatmentArticlePage.objects.child_of(self).live()).values("pk")
        conditions = (
            Condition.objects.filter(live=True, articles__in=articles).distinct().order_by("slug")
        )
        treatments = list(
            Treatment.objects.filter(live=True, articles__in=articles).distinct().order_by("slug")
        )
        # Prescription-only medicines have no page in the UK and EU (treatment_view 404s).
        prescription = [t for t in treatments if t.prescription_only]
        if prescription and prescription_only_problems(prescription[:1], self.get_site()):
            treatments = [t for t in treatments if not t.prescription_only]
        urls += [
            {"location": base + self.subpage_path("condition", condition.slug)}
            for condition in conditions
        ]
        urls += [
            {"location": base + self.subpage_path("treatment", treatment.slug)}
            for treatment in treatments
        ]
        return urls


class TreatmentArticlePage(OneQueryRestrictions, ModeratedMixin, Page):
    summary = models.TextField(
        max_length=300,
        help_text="One or two sentences: shown in listings and as the page's description.",
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hero_image_alt = models.CharField(
        "hero image alt text",
        max_length=250,
        blank=True,
        help_text="What the image shows, for people who cannot see it.",
    )
    hero_image_decorative = models.BooleanField(
        "hero image is decorative",
        default=False,
        help_text="Tick only if the image adds nothing to the text (screen readers skip it).",
    )
    conditions = ParentalManyToManyField(Condition, related_name="articles")
    treatments = ParentalManyToManyField(Treatment, related_name="articles", blank=True)
    body = StreamField(ArticleBodyBlock())

    reviewer = models.ForeignKey(
        Reviewer,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
        verbose_name="clinical reviewer",
    )
    last_reviewed = models.DateField(null=True, blank=True)
    next_review_due = models.DateField(
        null=True, blank=True, help_text="Left empty, 12 months after the last review."
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("hero_image"),
                FieldPanel("hero_image_alt"),
                FieldPanel("hero_image_decorative"),
            ],
            heading="Hero image",
        ),
        FieldPanel("conditions", widget=CheckboxSelectMultiple),
        FieldPanel(
            "treatments",
            widget=CheckboxSelectMultiple,
            help_text="The safety information of prescription-only treatments is shown "
            "on the page automatically.",
        ),
        FieldPanel("body"),
    ]
    review_panels = [
        FieldPanel("reviewer"),
        FieldPanel("last_reviewed"),
        FieldPanel("next_review_due"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading="Content"),
            ObjectList(review_panels, heading="Clinical review"),
            ObjectList(Page.promote_panels, heading="Promote"),
            ObjectList(Page.settings_panels, heading="Settings"),
        ]
    )
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
    ]

    # Its row holds nothing of a patient: routing may keep it (core.pages).
    route_kept = True

    parent_page_types = ["articles.ArticleIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "treatment article"

    # What an article's card shows (articles/_article_card.html): lists load no more
    # (not the body, the largest column).
    CARD_FIELDS = ("title", "url_path", "summary", "last_reviewed")

    @classmethod
    def cards(cls, articles):
        return articles.only(*cls.CARD_FIELDS)

    # Validation and publishing rules

    def serve(self, request, *args, **kwargs):
        # Anonymous copies are kept by the consent-aware page cache (core.pagecache).
        return cacheable(super().serve(request, *args, **kwargs))

    def clean(self):
        super().clean()
        errors = {}
        if self.hero_image_id and not self.hero_image_decorative and not self.hero_image_alt:
            errors["hero_image_alt"] = (
                "Describe the hero image for people who cannot see it, or tick "
                "“hero image is decorative”."
            )
        if self.last_reviewed and not self.next_review_due:
            self.next_review_due = next_review_after(self.last_reviewed)
        if self.last_reviewed and self.last_reviewed > timezone.localdate():
            errors["last_reviewed"] = "The last review cannot be in the future."
        if (
            self.last_reviewed
            and self.next_review_due
            and self.next_review_due <= self.last_reviewed
        ):
            errors["next_review_due"] = "The next review must be due after the last review."
        if errors:
            raise ValidationError(errors)

    @property
    def is_review_overdue(self):
        return self.next_review_due is not None and self.next_review_due < timezone.localdate()

    def publish_problems(self):
        problems = []
        if self.reviewer_id is None:
            problems.append(
                "Choose the clinical reviewer who checked this article (Clinical review tab)."
            )
        if not (self.last_reviewed and self.next_review_due):
            problems.append(
                "Enter when the article was last reviewed and when its next review is due "
                "(Clinical review tab)."
            )
        elif self.is_review_overdue:
            problems.append(
                f"The clinical review was due on {self.next_review_due:%B %-d, %Y}: have a "
                "clinical reviewer check the article again and update the review dates "
                "before publishing."
            )
        problems.extend(
            unpublished_problems([self.reviewer, *self.conditions.all(), *self.treatments.all()])
        )
        problems.extend(self.prescription_medicine_problems())
        return problems

    def prescription_medicine_problems(self):
        listed = list(self.treatments.all())
        # A medicine named in the text but not listed would escape both rules below.
        unlisted = names_in_text(
            Treatment.objects.filter(prescription_only=True).exclude(
                pk__in=[t.pk for t in listed]
            ),
            self.plain_text(),
        )
        refused = prescription_only_problems(listed + unlisted, self.get_site())
        if refused:
            return refused
        return [
            f"The article names “{treatment.name}”, a prescription-only medicine, but does "
            "not list it under Treatments, so its safety information would not be shown: "
            "add it to the article's treatments."
            for treatment in unlisted
        ]

    def plain_text(self):
        parts = [self.title, self.summary]
        parts.extend(self.body.stream_block.get_searchable_content(self.body))
        return "\n".join(str(part) for part in parts if part)

    def clinical_review_stamp(self, user, today):
        """Revision changes when ``user`` approves a clinical review (moderation.models):
        they become the reviewer, reviewed today. Nothing if they have no reviewer profile."""
        reviewer = Reviewer.objects.filter(user=user).first() if user else None
        if reviewer is None:
            return {}
        return {
            "reviewer": reviewer.pk,
            "last_reviewed": today.isoformat(),
            "next_review_due": next_review_after(today).isoformat(),
        }

    # Reading aids

    def table_of_contents(self):
        return [
            {"anchor": block.value.anchor_id, "heading": block.value["heading"]}
            for block in self.body
            if block.block_type == "section_heading"
        ]

    @cached_property
    def reading_minutes(self):
        words = len(self.plain_text().split())
        return max(1, math.ceil(words / WORDS_PER_MINUTE))

    def body_images(self):
        images = [] if self.hero_image is None else [self.hero_image]
        for block in self.body:
            if block.block_type == "image":
                images.append(block.value["image"])
            elif block.block_type == "injection_sites":
                images.extend(site["diagram"] for site in block.value if site["diagram"])
        return images

    def sources(self):
        return [
            source
            for block in self.body
            if block.block_type == "sources"
            for source in block.value
        ]

    # Rendering

    def index_url(self, request=None):
        # An article's URL is its index's URL plus its own slug (Page.set_url_path).
        url = self.get_url(request) or ""
        suffix = f"{self.slug}/"
        return url[: -len(suffix)] if url.endswith(suffix) else url

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        index_url = self.index_url(request)
        conditions = [c for c in self.conditions.all() if c.live]
        treatments = list(self.treatments.all())
        for condition in conditions:
            condition.page_url = index_url + ArticleIndexPage.subpage_path(
                "condition", condition.slug
            )
        for treatment in treatments:
            treatment.page_url = index_url + ArticleIndexPage.subpage_path(
                "treatment", treatment.slug
            )
        # One query for every image's renditions, however many image blocks there are.
        prefetch_related_objects(self.body_images(), "renditions")
        context.update(
            conditions=conditions,
            treatments=treatments,
            safety_treatments=[t for t in treatments if t.prescription_only],
            table_of_contents=self.table_of_contents(),
            index_url=index_url,
            structured_data=self.structured_data(request, conditions, treatments),
        )
        return context

    def structured_data(self, request, conditions, treatments):
        """schema.org MedicalWebPage (rendered by the json_ld tag)."""
        page_url = self.get_full_url(request) or ""

        def absolute(url):
            return urljoin(page_url, url)

        data = {
            "@context": "https://schema.org",
            "@type": "MedicalWebPage",
            "name": self.title,
            "headline": self.title,
            "description": self.search_description or self.summary,
            "url": page_url,
            "about": [
                {"@type": "MedicalCondition", "name": c.name, "url": absolute(c.page_url)}
                for c in conditions
            ],
            "mentions": [
                {
                    "@type": "Drug",
                    "name": t.name,
                    **(
                        {"prescriptionStatus": "https://schema.org/PrescriptionOnly"}
                        if t.prescription_only
                        else {}
                    ),
                    "url": absolute(t.page_url),
                }
                for t in treatments
            ],
            "citation": [
                {
                    "@type": "CreativeWork",
                    "name": source["title"],
                    "publisher": {"@type": "Organization", "name": source["publisher"]},
                    "url": source["url"],
                }
                for source in self.sources()
            ],
        }
        if self.last_reviewed:
            data["lastReviewed"] = self.last_reviewed.isoformat()
        if self.reviewer:
            data["reviewedBy"] = {
                "@type": "Person",
                "name": self.reviewer.name,
                "honorificSuffix": self.reviewer.credentials,
                "jobTitle": self.reviewer.specialty,
            }
        if self.last_published_at:
            data["dateModified"] = self.last_published_at.isoformat()
        if self.first_published_at:
            data["datePublished"] = self.first_published_at.isoformat()
        return data
