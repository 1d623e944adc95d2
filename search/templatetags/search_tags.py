from django import template

from search.highlight import highlight as highlight_text

register = template.Library()


@register.filter
def highlight(text, query):
    """``{{ story.summary|highlight:query }}``: escaped text with the query's words marked."""
    return highlight_text(text, query)
