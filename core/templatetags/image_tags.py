"""Wagtail's ``image``, ``srcset_image`` and ``picture`` tags, their filter specs parsed
once per template instead of at every render, and a rendition found in the cache not
written back to it.

Wagtail's tags build new ``Filter`` objects each time they render, and each parses its
spec again (through ``inspect``): a tenth of a story listing's CPU for its twelve cards.
A compiled template lasts as long as the process (the cached loader), and so do these
filters. Templates load this library instead of ``wagtailimages_tags``.
"""

from django import template
from django.utils.functional import cached_property
from wagtail.images.shortcuts import get_renditions_or_not_found
from wagtail.images.templatetags import wagtailimages_tags as wagtail

register = template.Library()


class ParsedOnce:
    @cached_property
    def parsed_filter(self):
        return super().get_filter()

    @cached_property
    def parsed_filters(self):
        return super().get_filters()

    def get_filter(self):
        return self.parsed_filter

    def get_filters(self):
        return self.parsed_filters


class ImageNode(ParsedOnce, wagtail.ImageNode):
    def render(self, context):
        # Wagtail's ``get_rendition`` writes the rendition to the cache again even when
        # it was read from there (a Redis write per image per page); ``get_renditions``
        # writes only what it had to find elsewhere.
        image = self.validate_image(context)
        if not image:
            return ""
        (rendition,) = get_renditions_or_not_found(image, [self.get_filter()]).values()
        if self.output_var_name:
            context[self.output_var_name] = rendition
            return ""
        attrs = {name: value.resolve(context) for name, value in self.attrs.items()}
        return rendition.img_tag(attrs)


class SrcsetImageNode(ParsedOnce, wagtail.SrcsetImageNode):
    pass


class PictureNode(ParsedOnce, wagtail.PictureNode):
    pass


NODES = {
    wagtail.ImageNode: ImageNode,
    wagtail.SrcsetImageNode: SrcsetImageNode,
    wagtail.PictureNode: PictureNode,
}


@register.tag("image")
@register.tag("srcset_image")
@register.tag("picture")
def image(parser, token):
    node = wagtail.image(parser, token)  # Wagtail's own parsing and error messages
    return NODES[type(node)](
        node.image_expr, node.filter_specs, output_var_name=node.output_var_name, attrs=node.attrs
    )
