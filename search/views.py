from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import F, prefetch_related_objects
from django.template.response import TemplateResponse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from articles.models import TreatmentArticlePage
from core.http import cacheable
from core.pages import public
from stories.models import PatientStoryPage, Testimonial
from stories.models.patient_content import SAFETY_FIELDS, headline

RESULTS_PER_PAGE = 10
MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class Result:
    kind: str  # "article", "story" or "testimonial": the template's switch
    item: Any


# The fields each kind shows, marked by PostgreSQL (``<field>_marked``).
MARKED = {
    "article": ("title", "summary"),
    "story": ("title", "summary"),
    "testimonial": ("quote",),
}


class Found:
    """Every result of one kind, ranked, in SQL: its count and any slice are queries
    (LIMIT/OFFSET), so a page loads only its own rows whatever the number of matches."""

    def __init__(self, kind, ranked):
        self.kind, self.ranked = kind, ranked

    @cached_property
    def count(self):
        return self.ranked.count()

    def __getitem__(self, window):
        return [Result(self.kind, item) for item in self.ranked[window]]


class Results:
    """Articles, then stories, then testimonials, as one sequence for Django's
    Paginator: it asks the count (one query per kind) and one slice, which reads only
    the kinds that slice reaches."""

    def __init__(self, parts):
        self.parts = parts

    def count(self):
        return sum(part.count for part in self.parts)

    def __len__(self):
        return self.count()

    def __getitem__(self, window):
        start, stop = window.start or 0, window.stop
        found, offset = [], 0
        for part in self.parts:
            low, high = max(start - offset, 0), min(stop - offset, part.count)
            if low < high:
                found += part[low:high]
            offset += part.count
        return found


def with_marks(queryset, kind, query):
    if connection.vendor != "postgresql":
        # SQLite, the quick local default, has no ts_headline: the text, unmarked.
        return queryset.annotate(**{f"{field}_marked": F(field) for field in MARKED[kind]})
    return queryset.annotate(
        **{f"{field}_marked": headline(field, query) for field in MARKED[kind]}
    )


def find(query):
    """Articles, then stories, then testimonials, each in relevance order.

    Patient content comes from ``search_visible``: the index is only a first pass, the
    consent is checked in the database at this moment (it may have ended a second ago).
    Everything the results template shows is joined here, so no result costs a query;
    the snippets are PostgreSQL's own (``ts_headline``), computed for the page's rows.
    """
    articles = with_marks(public(TreatmentArticlePage.objects.live()), "article", query)
    # search_visible applies visible() itself: once, or the planner sees the rule twice.
    stories = PatientStoryPage.objects.search_visible(query).with_cards(*SAFETY_FIELDS)
    testimonials = Testimonial.objects.prefetch_related("photo__renditions").search_visible(query)
    return Results(
        [
            Found("article", articles.search(query)),
            Found("story", with_marks(stories, "story", query)),
            Found("testimonial", with_marks(testimonials, "testimonial", query)),
        ]
    )


def safety_treatments(results):
    """Prescription-only treatments named in the results shown: in the US each needs its
    safety information beside it (fair balance, 21 CFR 202.1(e)(5))."""
    articles = [r.item for r in results if r.kind == "article"]
    prefetch_related_objects(articles, "treatments")
    named = [t for a in articles for t in a.treatments.all()]
    named += [r.item.treatment for r in results if r.kind != "article" and r.item.treatment_id]
    unique = {t.pk: t for t in named if t.prescription_only}
    return sorted(unique.values(), key=lambda t: t.name)


@require_GET
def search(request):
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
    context = {"query": query, "results": None}
    if query:
        paginator = Paginator(find(query), RESULTS_PER_PAGE)
        results = paginator.get_page(request.GET.get("page"))
        context.update(
            results=results,
            paginator=paginator,
            safety_treatments=safety_treatments(results.object_list),
            # Stable, shareable URLs: the query and the page number, nothing else.
            previous_url=results.has_previous()
            and "?" + urlencode({"q": query, "page": results.previous_page_number()}),
            next_url=results.has_next()
            and "?" + urlencode({"q": query, "page": results.next_page_number()}),
        )
    return cacheable(TemplateResponse(request, "search/search.html", context))
