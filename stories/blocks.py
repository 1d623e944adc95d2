"""Blocks for patient content: an embeddable testimonial usable in any StreamField, the
story's pull quote, and the story body.

An embedded testimonial renders only while it is visible (live, consent active now), so
an article that embeds one stops showing it the moment the consent ends, before any job
runs. Visibility is decided in the same single query that loads every testimonial on
the page (``bulk_to_python``).
"""

import copy

from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from consent.rules import compiled_for_the_day
from core.compiled import Ids, compiled

PARAGRAPH_FEATURES = ["bold", "italic", "link", "ol", "ul"]


def in_order(values, found):
    """What a chooser block's ``bulk_to_python`` returns: the objects of ``found``
    (core.compiled, run with the ids) in the order of ``values``, None where none is
    found, a copy for an id met again (each rendering is its own)."""
    ids = [v for v in values if v is not None]
    objects = {obj.pk: obj for obj in found.run(ids=ids)} if ids else {}
    seen, result = set(), []
    for pk in values:
        obj = objects.get(pk)
        if obj is not None and pk in seen:
            obj = copy.copy(obj)
        result.append(obj)
        seen.add(pk)
    return result


class TestimonialBlock(SnippetChooserBlock):
    def __init__(self, **kwargs):
        super().__init__("stories.Testimonial", **kwargs)

    def _queryset(self, at=None):
        # Unordered: read by id. (Ordering by title made Django hash the consent rule's
        # whole expression tree to match it against the columns, a tenth of the query.)
        return self.target_model.objects.for_display(at).order_by()

    def to_python(self, value):
        if value is None:
            return None
        return self._queryset().filter(pk=value).first()

    def bulk_to_python(self, values):
        # One query for every testimonial in the stream, with what its template needs,
        # compiled once a day (core.compiled): the day is the consent rule's.
        key = ("testimonials", self.target_model._meta.label)
        found = compiled_for_the_day(key, lambda at: self._queryset(at).filter(Ids()))
        return in_order(values, found)

    @staticmethod
    def is_visible(value):
        if value is None:
            return False
        visible = getattr(value, "visible_now", None)
        return value.may_show() if visible is None else visible

    def render(self, value, context=None):
        if not self.is_visible(value):
            request = (context or {}).get("request")
            if getattr(request, "is_preview", False):
                return super().render(value, {**(context or {}), "hidden": True})
            return ""
        return super().render(value, context)

    def get_api_representation(self, value, context=None):
        if not self.is_visible(value):
            return None
        return value.public_representation()

    def get_searchable_content(self, value):
        # A host page's index must not keep a patient's words after their consent ends.
        return []

    class Meta:
        icon = "openquote"
        template = "stories/blocks/testimonial.html"
        label = "Patient testimonial"


class PullQuoteBlock(blocks.StructBlock):
    """Words of the patient from the story, set apart; each must appear exactly in the
    text the patient approved (checked on publish)."""

    quote = blocks.TextBlock(help_text="The patient's words, exactly as they approved them.")

    class Meta:
        icon = "openquote"
        template = "stories/blocks/pull_quote.html"
        label = "Pull quote"


class StoryImageBlock(blocks.StructBlock):
    """A photo of the patient, from their private photos (never a public image)."""

    image = SnippetChooserBlock("stories.PatientPhoto")
    alt_text = blocks.CharBlock(max_length=250, help_text="What the photo shows.")

    class Meta:
        icon = "image"
        template = "stories/blocks/image.html"


class PatientMediaBlock(SnippetChooserBlock):
    """The patient's own video or recording, played by the browser with its captions and
    transcript (stories/includes/patient_media.html). Its transcript is part of the
    story's search text: the story leaves the index when its consent ends."""

    def __init__(self, **kwargs):
        super().__init__("stories.PatientMedia", **kwargs)

    def bulk_to_python(self, values):
        media = compiled(("patient media",), lambda: self.model_class.objects.filter(Ids()))
        return in_order(values, media)

    def get_searchable_content(self, value):
        return [value.transcript] if value is not None else []

    class Meta:
        icon = "media"
        template = "stories/blocks/patient_media.html"
        label = "Patient video or audio"


class StoryBodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        max_length=120, form_classname="title", template="stories/blocks/heading.html"
    )
    paragraph = blocks.RichTextBlock(features=PARAGRAPH_FEATURES)
    pull_quote = PullQuoteBlock()
    image = StoryImageBlock(help_text="A photo of the patient needs consent for photos.")
    video = EmbedBlock(
        help_text="A video of the patient needs consent for voice or video.",
        template="stories/blocks/video.html",
    )
    patient_video = PatientMediaBlock(
        help_text="Needs consent for voice or video (and photo or face when the face is "
        "seen), captions and a transcript."
    )


class FeaturedTestimonialsBlock(blocks.StreamBlock):
    testimonial = TestimonialBlock()
