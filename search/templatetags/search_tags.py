from django import template

from search.highlight import marked as marked_text

register = template.Library()


@register.filter
def marked(text):
    """``{{ story.summary_marked|marked }}``: the escaped text with PostgreSQL's marks on
    the matched words."""
    return marked_text(text)
