"""Query budgets for what a page reads for itself, for the apps' tests.

A request's queries are the generic ones every page pays (finding the site, Wagtail's
routing and view-restriction checks, the organisation's settings) and the page's own.
``page_queries`` counts the page's own: those of its ``serve`` and of rendering its
template, less the site, settings and view-restriction lookups made there.
"""

from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail import hooks

# Read by every page whatever it shows: not part of a page's own budget.
GENERIC_TABLES = (
    "wagtailcore_site",
    "core_organisationsettings",
    "wagtailcore_pageviewrestriction",
)


def is_generic(sql):
    return any(sql.startswith(f'SELECT "{table}".') for table in GENERIC_TABLES)


@contextmanager
def page_queries():
    """The SQL of each page served inside the block, from its ``serve`` to its rendered
    template: Wagtail's routing and its serve hooks run before and are not counted.
    Yields a list that fills with the queries (dicts with ``sql``, as Django's)."""
    captured = []

    def count(serve):
        def counted(page, request, args, kwargs):
            with CaptureQueriesContext(connection) as queries:
                response = serve(page, request, args, kwargs)
                if hasattr(response, "render"):
                    response.render()
            captured.extend(q for q in queries.captured_queries if not is_generic(q["sql"]))
            return response

        return counted

    # Registered last, so it wraps the page's serve the closest.
    with hooks.register_temporarily("on_serve_page", count):
        yield captured
