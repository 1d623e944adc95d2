import factory
from factory.django import DjangoModelFactory

from moderation.testing import publish_through_workflow
from taxonomy.models import Condition, Reviewer, Treatment


class PublishedFactory(DjangoModelFactory):
    """Made as a draft and taken live through its workflow, the only way it goes live;
    ``live=False`` leaves the draft."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, live=True, **kwargs):
        obj = super()._create(model_class, *args, live=False, **kwargs)
        return publish_through_workflow(obj) if live else obj


class ConditionFactory(PublishedFactory):
    name = factory.Sequence(lambda n: f"Condition {n}")
    slug = factory.Sequence(lambda n: f"condition-{n}")
    summary = factory.Faker("sentence", nb_words=16)
    symptoms = "Neck pain\nHead tilting"

    class Meta:
        model = Condition


class TreatmentFactory(PublishedFactory):
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


class ReviewerFactory(PublishedFactory):
    name = factory.Faker("name")
    credentials = "MD"
    specialty = "Neurology"

    class Meta:
        model = Reviewer
