from django import template

from core.dates import date_and_distance as _date_and_distance

register = template.Library()


@register.filter
def date_and_distance(value):
    """{{ consent.expires_on|date_and_distance }} -> "Oct 22, 2028, in 23 months"."""
    return _date_and_distance(value)
