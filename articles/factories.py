import datetime

import factory
import wagtail_factories
from django.utils import timezone

from articles.models import ArticleIndexPage, TreatmentArticlePage
from articles.rules import next_review_after
from stories.factories import SitePageFactory
from taxonomy.factories import ReviewerFactory


class ArticleIndexPageFactory(SitePageFactory):
    title = "Articles"
    slug = "articles"

    class Meta:
        model = ArticleIndexPage


def body(sections=1, sources=1):
    """Raw StreamField data: ``sections`` headed paragraphs, then a list of ``sources``."""
    blocks = []
    for number in range(1, sections + 1):
        blocks.append({"type": "section_heading", "value": {"heading": f"Section {number}"}})
        blocks.append({"type": "paragraph", "value": f"<p>Words of section {number}.</p>"})
    blocks.append({"type": "section_heading", "value": {"heading": "Sources"}})
    blocks.append(
        {
            "type": "sources",
            "value": [
                {
                    "title": f"Source {number}",
                    "publisher": "Medical library",
                    "url": f"https://example.org/source-{number}",
                    "accessed": "2025-01-10",
                }
                for number in range(1, sources + 1)
            ],
        }
    )
    return blocks


class TreatmentArticlePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Treatment article {n}")
    live = False  # live only through moderation (moderation.testing)
    slug = factory.Sequence(lambda n: f"treatment-article-{n}")
    summary = factory.Faker("sentence", nb_words=20)
    body = factory.LazyFunction(body)
    reviewer = factory.SubFactory(ReviewerFactory)
    last_reviewed = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(30))
    next_review_due = factory.LazyAttribute(lambda o: next_review_after(o.last_reviewed))

    class Meta:
        model = TreatmentArticlePage
        skip_postgeneration_save = True

    @factory.post_generation
    def conditions(self, create, extracted, **kwargs):
        if extracted:
            self.conditions.set(extracted)
            if create:
                self.save()

    @factory.post_generation
    def treatments(self, create, extracted, **kwargs):
        if extracted:
            self.treatments.set(extracted)
            if create:
                self.save()
