"""The blocks a treatment article's body is built from.

Each block validates what a reader or a screen reader depends on (alt text, table
headings, working source links) so a broken block is refused with a message that
says what to fix, instead of rendering badly.
"""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.text import slugify
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.contrib.typed_table_block.blocks import (
    TypedTableBlock,
    TypedTableBlockValidationError,
)
from wagtail.images.blocks import ImageBlock

from stories.blocks import TestimonialBlock

# Rich text features, per use: body text needs emphasis and links, never headings
# (those come from section heading blocks, so the table of contents stays complete).
PARAGRAPH_FEATURES = ["bold", "italic", "link", "superscript", "subscript"]
INLINE_FEATURES = ["bold", "italic", "link"]


class SectionHeadingValue(blocks.StructValue):
    @property
    def anchor_id(self):
        return self.get("anchor") or slugify(self.get("heading") or "")


class SectionHeadingBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120)
    anchor = blocks.RegexBlock(
        regex=r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
        required=False,
        max_length=60,
        help_text="Optional link name for the table of contents, e.g. side-effects. "
        "Left empty, it is made from the heading.",
        error_messages={"invalid": "Use lower-case letters, digits and hyphens only."},
    )

    class Meta:
        icon = "title"
        template = "articles/blocks/section_heading.html"
        value_class = SectionHeadingValue
        form_classname = "section-heading-block"


class ArticleTableBlock(TypedTableBlock):
    """A table with a caption and a heading on every column (the header row).

    The first column holds each row's label (rendered as a row header), e.g. a benefit
    and then its description.
    """

    text = blocks.CharBlock(max_length=200)
    rich_text = blocks.RichTextBlock(features=INLINE_FEATURES)

    def clean(self, table):
        errors = []
        if not (table.caption or "").strip():
            errors.append(ValidationError("Add a caption that says what the table shows."))
        if not table.columns:
            errors.append(ValidationError("Add at least one column to the table."))
        elif any(not (column["heading"] or "").strip() for column in table.columns):
            errors.append(ValidationError("Give every column a heading (the header row)."))
        if not table.row_data:
            errors.append(ValidationError("Add at least one row to the table."))
        if errors:
            raise TypedTableBlockValidationError(non_block_errors=errors)
        return super().clean(table)

    class Meta:
        icon = "table"
        template = "articles/blocks/table.html"


class InjectionSiteBlock(blocks.StructBlock):
    muscle = blocks.CharBlock(max_length=120, help_text="e.g. Sternocleidomastoid")
    function = blocks.TextBlock(label="What it does")
    reason = blocks.TextBlock(label="Why it is injected")
    diagram = ImageBlock(required=False)

    class Meta:
        icon = "crosshairs"
        label = "Injection site"


class CaptionedImageBlock(blocks.StructBlock):
    # ImageBlock refuses an image without alt text unless it is ticked as decorative.
    image = ImageBlock()
    caption = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "articles/blocks/image.html"


class CalloutBlock(blocks.StructBlock):
    title = blocks.CharBlock(required=False, max_length=120)
    text = blocks.RichTextBlock(features=INLINE_FEATURES)

    class Meta:
        icon = "info-circle"
        template = "articles/blocks/callout.html"


class FAQBlock(blocks.StructBlock):
    question = blocks.CharBlock(max_length=250)
    answer = blocks.RichTextBlock(features=PARAGRAPH_FEATURES)

    class Meta:
        icon = "help"
        label = "FAQ"
        template = "articles/blocks/faq.html"


class WebAddressBlock(blocks.URLBlock):
    """A link readers can follow: http(s) only, with an error that says what to type."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Replaces URLField's validator, which also accepts ftp:// and words its error vaguely.
        self.field.validators = [URLValidator(schemes=["https", "http"])]
        self.field.error_messages["invalid"] = (
            "Enter the full web address of the source, starting with https://"
        )


class SourceBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=250)
    publisher = blocks.CharBlock(max_length=200)
    url = WebAddressBlock(label="URL")
    accessed = blocks.DateBlock(label="Date accessed")

    def clean(self, value):
        value = super().clean(value)
        accessed = value.get("accessed")
        if accessed and accessed > timezone.localdate():
            raise StructBlockValidationError(
                block_errors={
                    "accessed": ValidationError("The date accessed cannot be in the future.")
                }
            )
        return value

    class Meta:
        icon = "link"
        label = "Source"


class ArticleBodyBlock(blocks.StreamBlock):
    section_heading = SectionHeadingBlock()
    paragraph = blocks.RichTextBlock(
        features=PARAGRAPH_FEATURES, icon="pilcrow", template="articles/blocks/paragraph.html"
    )
    bulleted_list = blocks.ListBlock(
        blocks.RichTextBlock(features=INLINE_FEATURES),
        min_num=1,
        icon="list-ul",
        template="articles/blocks/bulleted_list.html",
    )
    numbered_list = blocks.ListBlock(
        blocks.RichTextBlock(features=INLINE_FEATURES),
        min_num=1,
        icon="list-ol",
        template="articles/blocks/numbered_list.html",
    )
    table = ArticleTableBlock()
    injection_sites = blocks.ListBlock(
        InjectionSiteBlock(),
        min_num=1,
        icon="crosshairs",
        template="articles/blocks/injection_sites.html",
    )
    image = CaptionedImageBlock()
    callout = CalloutBlock()
    faq = FAQBlock()
    sources = blocks.ListBlock(
        SourceBlock(), min_num=1, icon="list-ol", template="articles/blocks/sources.html"
    )
    # Renders nothing unless the testimonial is live and its consent active now.
    testimonial = TestimonialBlock()

    def clean(self, value):
        value = super().clean(value)
        seen = {}
        errors = {}
        for index, child in enumerate(value):
            if child.block_type != "section_heading":
                continue
            anchor = child.value.anchor_id
            if anchor in seen:
                errors[index] = StructBlockValidationError(
                    block_errors={
                        "anchor": ValidationError(
                            f"Another section already links as “{anchor}”: give this one "
                            "a different anchor so the table of contents can reach both."
                        )
                    }
                )
            seen[anchor] = index
        if errors:
            raise blocks.StreamBlockValidationError(block_errors=errors)
        return value
