"""Joining the parts of a caption without stray punctuation when one is empty."""

from django import template

register = template.Library()


@register.simple_tag
def join_present(separator, *parts):
    """{% join_present " · " story.attribution story.treatment.name %}: the non-empty
    parts, joined; never a leading, trailing or doubled separator."""
    cleaned = [" ".join(str(part).split()).strip(" ,;·") for part in parts if part is not None]
    return separator.join(part for part in cleaned if part.strip("."))


@register.filter
def sentence(text):
    """Capitalised, ending in a full stop unless it ends in punctuation already."""
    text = " ".join(str(text or "").split()).strip(" ,;·")
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else f"{text}."
