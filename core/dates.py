"""Dates as people read them in the admin: "Oct 22, 2028, in 23 months".

Wagtail's ``DateColumn`` and ``timesince`` describe only the past, so every future
date (a consent's expiry) read "Just now". Here the calendar date comes first and the
distance, either way, after it."""

import datetime

from django.utils import timezone
from django.utils.dateformat import format as date_format


def _plural(number, unit):
    return f"{number} {unit}{'' if number == 1 else 's'}"


def distance(value, today=None):
    """ "today", "in 3 days", "in 23 months", "2 years ago"."""
    today = today or timezone.localdate()
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    days = (value - today).days
    if days == 0:
        return "today"
    if abs(days) == 1:
        return "tomorrow" if days > 0 else "yesterday"
    later = days > 0
    span = abs(days)
    if span < 60:
        amount = _plural(span, "day")
    else:
        months = (abs((value.year - today.year) * 12 + value.month - today.month)) or 1
        amount = _plural(months, "month") if months < 24 else _plural(months // 12, "year")
    return f"in {amount}" if later else f"{amount} ago"


def date_and_distance(value, today=None):
    """ "Oct 22, 2028, in 23 months"; a datetime keeps its time: "Nov 5, 2026 2:02 PM, 17
    days ago"; empty for no date."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        shown = date_format(
            timezone.localtime(value) if timezone.is_aware(value) else value, "M j, Y g:i A"
        )
    else:
        shown = date_format(value, "M j, Y")
    return f"{shown}, {distance(value, today)}"
