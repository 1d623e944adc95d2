import datetime

import factory
import wagtail_factories
from django.utils import timezone
from factory.django import DjangoModelFactory

from articles.models import ArticleIndexPage, Condition, Reviewer, Treatment, TreatmentArticlePage
from articles.rules import next_review_after


class ConditionFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Condition {n}")
    slug = factory.Sequence(lambda n: f"condition-{n}")
    summary = factory.Faker("sentence", nb_words=16)
    symptoms = "Neck pain\nHead tilting"

    class Meta:
        model = Condition


class TreatmentFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Treatment {n}")
    slug = factory.Sequence(lambda n: f"treatment-{n}")
    how_it_works = "<p>It relaxes overactive muscles.</p>"
    prescription_only = False

    class Meta:
        model = Treatment

    class Params:
        prescription = factory.Trait(
            prescription_only=True,
            brand_names="Relaxafen",
            safety_information="<h3>Boxed warning</h3><p>Effects may spread from the "
            "injection site and cause swallowing and breathing problems.</p>",
        )


class ReviewerFactory(DjangoModelFactory):
    name = factory.Faker("name")
    credentials = "MD"
    specialty = "Neurology"

    class Meta:
        model = Reviewer


class ArticleIndexPageFactory(wagtail_factories.PageFactory):
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
    live = False  # live only through moderation (moderation.approvals)
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
