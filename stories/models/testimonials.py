from django.db import models
from django.db.models import BooleanField, ExpressionWrapper
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, PublishingPanel
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Page,
    PreviewableMixin,
    RevisionMixin,
    WorkflowMixin,
)
from wagtail.search import index

from consent.models import Identifier
from core.pages import OneQueryRestrictions
from moderation.publishing import ModeratedMixin
from stories.models.patient_content import (
    SAFETY_FIELDS,
    SHOWN_FIELDS,
    PatientContent,
    consent_status_expression,
    normalise,
    search_visible,
    visible_q,
)
from stories.panels import patient_content_panels


class TestimonialQuerySet(models.QuerySet):
    def visible(self, at=None):
        """Live testimonials whose consent is active now: every public read goes through
        this (or through ``for_display``'s ``visible_now``)."""
        return self.filter(visible_q(at)).select_related(*DISPLAY_RELATED)

    def search_visible(self, query, at=None):
        return search_visible(self, query, at)

    def for_display(self, at=None):
        """Every testimonial, each marked ``visible_now``, with what templates need: the
        embedded block loads all of a page's testimonials with this in one query."""
        return self.with_display().annotate(
            visible_now=ExpressionWrapper(visible_q(at), output_field=BooleanField())
        )

    def with_display(self, *more):
        """What stories/includes/testimonial.html shows, joined, and only those columns
        (of the consent and the patient, what the attribution and disclosure need), and
        the fields named in ``more``."""
        return self.select_related(*DISPLAY_RELATED).only(*DISPLAY_FIELDS, *SHOWN_FIELDS, *more)

    def with_consent_status(self, at=None):
        return self.select_related("consent__patient").annotate(
            consent_status=consent_status_expression(at=at)
        )


DISPLAY_RELATED = ("consent__patient", "photo", "video", "condition", "treatment")
# The testimonial's own columns that a display (and its API form) reads.
DISPLAY_FIELDS = ("title", "quote", "live", "photo", "video")


class Testimonial(
    ModeratedMixin,
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    PreviewableMixin,
    index.Indexed,
    PatientContent,
    ClusterableModel,
):
    title = models.CharField(
        max_length=200,
        help_text="For editors only, e.g. “Maria on turning her head again”.",
    )
    quote = models.TextField(help_text="The patient's words as visitors will read them.")
    photo = models.ForeignKey(
        "stories.PatientPhoto",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Only if the consent covers photos.",
    )
    video = models.ForeignKey(
        "stories.PatientMedia",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="video or audio",
        help_text="The patient telling it themselves. Only if the consent covers voice or "
        "video (and photo or face when their face is seen).",
    )

    objects = TestimonialQuerySet.as_manager()

    panels = [
        FieldPanel("title"),
        FieldPanel("quote"),
        *patient_content_panels(),
        FieldPanel("photo"),
        FieldPanel("video"),
        PublishingPanel(),
    ]

    search_fields = [
        index.SearchField("title"),
        index.SearchField("quote"),
        index.SearchField("video_transcript"),
        index.AutocompleteField("title"),
        index.FilterField("live"),
    ]

    class Meta:
        ordering = ["title"]
        # Wagtail adds these after migrating; declared here so that the data migration
        # creating the roles (moderation 0002) can grant them.
        permissions = [
            ("publish_testimonial", "Can publish testimonial"),
            ("lock_testimonial", "Can lock testimonial"),
            ("unlock_testimonial", "Can unlock testimonial"),
        ]

    def __str__(self):
        return self.title

    @classmethod
    def get_indexed_objects(cls):
        # Content whose consent has ended stays out of the index even when a later save
        # (the unpublish itself) asks to re-index it.
        return cls.objects.filter(consent__ended_at__isnull=True)

    def photos(self):
        return [self.photo] if self.photo_id else []

    def photo_ids(self):
        return {self.photo_id} - {None}

    def media(self):
        return [self.video] if self.video_id else []

    def media_ids(self):
        return {self.video_id} - {None}

    def video_transcript(self):
        # Searchable like the quote; the index drops it with the testimonial.
        return self.video.transcript if self.video_id else ""

    def shown_identifiers(self):
        shown = super().shown_identifiers()
        if self.photo_id:
            shown.append(Identifier.PHOTO)
        return self.media_identifiers(shown)

    def publish_problems(self):
        return self.content_problems()

    def public_text(self):
        """What visitors read, for the automatic consent check (moderation.scanning)."""
        media_text = [piece for item in self.media() for piece in item.public_text()]
        return [("title", self.title), ("quote", self.quote), *media_text]

    def quoted_text(self):
        """The patient's words shown, for the approval diff and the patient's sign-off."""
        return self.quote

    def quoted_text_problems(self):
        if not normalise(self.approved_text):
            return ["Enter the text the patient approved, word for word."]
        if normalise(self.quote) != normalise(self.approved_text):
            return [
                "The quote differs from the text the patient approved. An edit that changes "
                "a patient's words needs their approval again (FTC 16 CFR 255.1): restore "
                "the approved words, or record the newly approved text."
            ]
        return []

    def public_representation(self):
        return {
            "quote": self.quote,
            "attribution": self.attribution(),
            "disclosure": self.material_connection_disclosure(),
            "notice": self.experiences_vary,
            "condition": self.condition.name if self.condition_id else None,
            "treatment": self.treatment.name if self.treatment_id else None,
        }

    def get_preview_template(self, request, mode_name):
        return "stories/testimonial_preview.html"

    def get_preview_context(self, request, mode_name):
        return {**super().get_preview_context(request, mode_name), "testimonial": self}


class TestimonialIndexPage(OneQueryRestrictions, ModeratedMixin, Page):
    """Lists every visible testimonial."""

    intro = models.TextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    # Its row holds nothing of a patient: routing may keep it (core.pages).
    route_kept = True

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        testimonials = list(
            Testimonial.objects.visible()
            .with_display(*SAFETY_FIELDS)
            .order_by("-first_published_at")
        )
        context["testimonials"] = testimonials
        # US fair balance: name a prescription medicine, show its safety information.
        context["safety_treatments"] = list(
            {t.treatment_id: t.treatment for t in testimonials if t.treatment_id}.values()
        )
        return context

    def serve(self, request, *args, **kwargs):
        from core.http import cacheable

        return cacheable(super().serve(request, *args, **kwargs))
