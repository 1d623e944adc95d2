"""Per-address request counts in fixed windows, in the database.

Each request takes its slot with one atomic ``INSERT ... ON CONFLICT DO UPDATE ...
RETURNING`` (PostgreSQL, and SQLite 3.35+), and is refused when the count it gets back is
over the limit: concurrent requests cannot all pass a check made before any of them
counted. In the database rather than the cache so that a cache outage changes nothing
(cms/cache.py). Each app that limits a public form keeps its own counter table, a model
with ``kind``, ``address``, ``period`` and ``count`` unique on the first three.
"""

import time

from django.db import connection, transaction

WINDOW = 60 * 60


def period():
    return int(time.time()) // WINDOW


def count(model, kind, ip):
    counter = model.objects.filter(kind=kind, address=ip or "unknown", period=period()).first()
    return counter.count if counter else 0


def hit(model, kind, ip):
    """Count one request of ``kind`` from ``ip``; return the count including it."""
    table = connection.ops.quote_name(model._meta.db_table)
    now = period()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (kind, address, period, count) VALUES (%s, %s, %s, 1) "  # noqa: S608 (table name from the model)
            f"ON CONFLICT (kind, address, period) DO UPDATE SET count = {table}.count + 1 "
            "RETURNING count",
            [kind, ip or "unknown", now],
        )
        (number,) = cursor.fetchone()
        # Windows before the last are of no use to anyone.
        model.objects.filter(period__lt=now - 1).delete()
    return number
