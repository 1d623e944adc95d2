"""Per-address limits on the share form, counted in the database.

A fixed window per kind and address. Each request takes its slot with one atomic
``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` (PostgreSQL, and SQLite 3.35+), and
is refused when the count it gets back is over the limit: concurrent requests cannot
all pass a check made before any of them counted. In the database rather than the
cache so that a cache outage changes nothing here (cms/cache.py).
"""

import time

from django.db import connection, transaction

from submissions.models import RateLimitCounter

WINDOW = 60 * 60
# Stored submissions (and the fake successes shown to bots) per address and hour.
SUBMISSIONS_PER_WINDOW = 5
# Every POST, valid or not: each may carry an image to inspect.
ATTEMPTS_PER_WINDOW = 30

LIMITS = {"submitted": SUBMISSIONS_PER_WINDOW, "attempt": ATTEMPTS_PER_WINDOW}


def _period():
    return int(time.time()) // WINDOW


def count(kind, ip):
    counter = RateLimitCounter.objects.filter(
        kind=kind, address=ip or "unknown", period=_period()
    ).first()
    return counter.count if counter else 0


def hit(kind, ip):
    """Count one request; return the count including it."""
    table = connection.ops.quote_name(RateLimitCounter._meta.db_table)
    period = _period()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (kind, address, period, count) VALUES (%s, %s, %s, 1) "  # noqa: S608 (table name from the model)
            f"ON CONFLICT (kind, address, period) DO UPDATE SET count = {table}.count + 1 "
            "RETURNING count",
            [kind, ip or "unknown", period],
        )
        (number,) = cursor.fetchone()
        # Windows before the last are of no use to anyone.
        RateLimitCounter.objects.filter(period__lt=period - 1).delete()
    return number


def take(kind, ip):
    """Count one request; True if it is within the limit."""
    return hit(kind, ip) <= LIMITS[kind]


def is_limited(ip):
    """True once either limit is reached (before the next request counts)."""
    return count("submitted", ip) >= SUBMISSIONS_PER_WINDOW
