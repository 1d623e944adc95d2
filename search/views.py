from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.template.response import TemplateResponse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from articles.models import TreatmentArticlePage
from core.http import cacheable
from stories.models import PatientStoryPage, Testimonial

RESULTS_PER_PAGE = 10
MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class Result:
    kind: str  # "article", "story" or "testimonial": the template's switch
    item: Any


def find(query):
    """Articles, then stories, then testimonials, each in relevance order.

    Patient content comes from ``search_visible``: the index is only a first pass, the
    consent is checked in the database at this moment (it may have ended a second ago).
    Everything the results template shows is joined here, so no result costs a query.
    """
    articles = TreatmentArticlePage.objects.live().public().search(query)
    stories = PatientStoryPage.objects.for_listing().search_visible(query)
    testimonials = Testimonial.objects.prefetch_related("photo__renditions").search_visible(query)
    return (
        [Result("article", article) for article in articles]
        + [Result("story", story) for story in stories]
        + [Result("testimonial", testimonial) for testimonial in testimonials]
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
