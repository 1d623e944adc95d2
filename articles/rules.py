"""Review dates of treatment articles."""

import calendar
import datetime

# NHS practice: health information is reviewed at least every 12 months.
REVIEW_INTERVAL_MONTHS = 12


def add_months(date, months):
    """``date`` moved on by ``months``, clamped to the month's last day (29 Feb -> 28 Feb)."""
    month_index = date.month - 1 + months
    year, month = date.year + month_index // 12, month_index % 12 + 1
    day = min(date.day, calendar.monthrange(year, month)[1])
    return datetime.date(year, month, day)


def next_review_after(last_reviewed):
    return add_months(last_reviewed, REVIEW_INTERVAL_MONTHS)
