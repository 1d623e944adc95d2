"""What the home page shows besides its own fields: the featured patient content that
may be shown now, the latest articles, and the ways in by condition and treatment.

Every section costs a fixed number of queries, however many items editors feature or
the site holds (tested in home/tests/test_home_page.py)."""

from django.urls import reverse

from core.pages import public


def home_sections(home, request):
    from articles.models import ArticleIndexPage, TreatmentArticlePage
    from stories.models import StoryIndexPage
    from taxonomy.models import Condition, Treatment
    from taxonomy.rules import prescription_only_problems

    articles = public(TreatmentArticlePage.objects.live())
    article_index = public(ArticleIndexPage.objects.child_of(home).live()).first()
    conditions, treatments = [], []
    if article_index is not None:
        # Only topics with a live article: their pages would otherwise be empty.
        here = articles.child_of(article_index).values("pk")
        conditions = list(Condition.objects.filter(live=True, articles__in=here).distinct())
        treatments = list(Treatment.objects.filter(live=True, articles__in=here).distinct())
        prescription = [t for t in treatments if t.prescription_only]
        if prescription and prescription_only_problems(prescription[:1], None, request):
            # No page about a prescription-only medicine in the UK or EU (treatment_view).
            treatments = [t for t in treatments if not t.prescription_only]
        for condition in conditions:
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
        "latest_articles": list(articles.order_by("-first_published_at")[: home.LATEST_ARTICLES]),
        "article_index": article_index,
        "story_index": public(StoryIndexPage.objects.child_of(home).live()).first(),
        "browse_conditions": conditions,
        "browse_treatments": treatments,
        "share_url": reverse("submissions:share"),
    }
