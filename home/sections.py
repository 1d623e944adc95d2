"""What the home page shows besides its own fields: the featured patient content that
may be shown now, the latest articles, and the ways in by condition and treatment.

Every section costs a fixed number of queries, however many items editors feature or
the site holds (tested in home/tests/test_home_page.py). The sections that are the
same for every visitor and hold nothing of a patient (the index pages, the ways in, the
latest articles) are kept in Django's cache as routed pages are (core.pages.kept_key),
until a page, a condition, a treatment or a view restriction changes; the featured
patient content is read afresh at each rendering, through the consent rule."""

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import BooleanField, CharField, Value
from django.urls import reverse
from wagtail.models import Page

from core.pages import KEPT_TIMEOUT, kept_key, public


@dataclass
class WayIn:
    """A condition or treatment with a live article, linking to its page."""

    kind: str
    pk: int
    name: str
    slug: str
    prescription_only: bool
    page_url: str = ""


def index_pages(home):
    """The first live, public article index and story index below ``home``, in one query
    (their own fields are not read here, so they stay deferred)."""
    from articles.models import ArticleIndexPage
    from stories.models import StoryIndexPage

    children = (
        public(Page.objects.child_of(home).live())
        .type(ArticleIndexPage, StoryIndexPage)
        .specific(defer=True)
    )
    first = {}
    for page in children:  # in tree order, as .first() of each would give
        first.setdefault(type(page), page)
    return first.get(ArticleIndexPage), first.get(StoryIndexPage)


def ways_in(articles):
    """The live conditions and treatments of ``articles``, each once, by name: one query
    for both lists."""
    from taxonomy.models import Condition, Treatment

    columns = ("kind", "pk", "name", "slug", "prescription_only")
    conditions = (
        Condition.objects.filter(live=True, articles__in=articles)
        .annotate(
            kind=Value("condition", output_field=CharField()),
            prescription_only=Value(False, output_field=BooleanField()),
        )
        .order_by()
        .values(*columns)
    )
    treatments = (
        Treatment.objects.filter(live=True, articles__in=articles)
        .annotate(kind=Value("treatment", output_field=CharField()))
        .order_by()
        .values(*columns)
    )
    found = [WayIn(**row) for row in conditions.union(treatments).order_by("kind", "name")]
    return (
        [item for item in found if item.kind == "condition"],
        [item for item in found if item.kind == "treatment"],
    )


def site_sections(home, request):
    """The home page's sections that are no patient's and the same for every visitor:
    its index pages, the ways in (before the request's site decides on prescription-only
    medicines) and the latest articles, from the cache or read afresh."""
    key = kept_key(request, "home-sections", home.pk)
    sections = cache.get(key) if key else None
    if sections is None:
        sections = _read_site_sections(home)
        if key:
            cache.set(key, sections, KEPT_TIMEOUT)
    return sections


def _read_site_sections(home):
    from articles.models import TreatmentArticlePage

    articles = public(TreatmentArticlePage.objects.live())
    article_index, story_index = index_pages(home)
    conditions, treatments = [], []
    if article_index is not None:
        # Only topics with a live article: their pages would otherwise be empty.
        conditions, treatments = ways_in(articles.child_of(article_index).values("pk"))
    latest = TreatmentArticlePage.cards(articles.order_by("-first_published_at"))
    return {
        "article_index": article_index,
        "story_index": story_index,
        "conditions": conditions,
        "treatments": treatments,
        "latest_articles": list(latest[: home.LATEST_ARTICLES]),
    }


def home_sections(home, request):
    from taxonomy.rules import prescription_only_problems

    shared = site_sections(home, request)
    article_index = shared["article_index"]
    conditions, treatments = shared["conditions"], shared["treatments"]
    prescription = [t for t in treatments if t.prescription_only]
    if prescription and prescription_only_problems(prescription[:1], request=request):
        # No page about a prescription-only medicine in the UK or EU (treatment_view).
        treatments = [t for t in treatments if not t.prescription_only]
    for condition in conditions:  # URLs as the request's site gives them
        condition.page_url = article_index.condition_url(condition, request)
    for treatment in treatments:
        treatment.page_url = article_index.treatment_url(treatment, request)

    return {
        # The blocks hide what is not visible now; the lists below leave it out entirely
        # so that a section whose items are all hidden is not rendered at all.
        "featured_stories": [
            block.value for block in home.featured_stories if block.block.is_visible(block.value)
        ],
        "featured_testimonials": [
            block.value
            for block in home.featured_testimonials
            if block.block.is_visible(block.value)
        ],
        "latest_articles": shared["latest_articles"],
        "article_index": article_index,
        "story_index": shared["story_index"],
        "browse_conditions": conditions,
        "browse_treatments": treatments,
        "share_url": reverse("submissions:share"),
    }
