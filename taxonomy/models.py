"""What articles are about: conditions and treatments, and the clinicians who review them.

Each shows public text (a condition's summary, a treatment's safety information, a
reviewer's credentials), so each goes live only through the "Site content" workflow,
like any page: public reads take ``live`` ones only.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.html import strip_tags
from django.utils.text import slugify
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PublishingPanel
from wagtail.fields import RichTextField
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin, WorkflowMixin
from wagtail.search import index

from moderation.publishing import ModeratedMixin


class Moderated(
    ModeratedMixin, WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, models.Model
):
    """Goes live only through its workflow, with Wagtail's drafts, revisions and locks."""

    class Meta:
        abstract = True


def lifecycle_permissions(model_name):
    # Wagtail adds these after migrating; declared so that migrations can grant them.
    return [
        (f"publish_{model_name}", f"Can publish {model_name}"),
        (f"lock_{model_name}", f"Can lock {model_name}"),
        (f"unlock_{model_name}", f"Can unlock {model_name}"),
    ]


class SluggedSnippet(index.Indexed, Moderated):
    """A named snippet with a unique slug for its public URL, made from the name if empty."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(
        max_length=120,
        unique=True,
        blank=True,
        help_text="The web address part, e.g. cervical-dystonia. Made from the name if empty.",
    )

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("live"),
    ]

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if not self.slug:
            self.slug = slugify(self.name)

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)
        super().save(*args, **kwargs)


class Condition(SluggedSnippet):
    summary = models.TextField(
        max_length=1000, help_text="What the condition is, in plain language (two or three lines)."
    )
    symptoms = models.TextField(
        blank=True, help_text="Common symptoms, one per line.", verbose_name="common symptoms"
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("summary"),
        FieldPanel("symptoms"),
        PublishingPanel(),
    ]

    class Meta(SluggedSnippet.Meta):
        permissions = lifecycle_permissions("condition")

    @property
    def symptom_list(self):
        return [line.strip() for line in self.symptoms.splitlines() if line.strip()]


class Treatment(SluggedSnippet):
    brand_names = models.CharField(
        max_length=250, blank=True, help_text="Separated by commas, e.g. Botox, Dysport."
    )
    how_it_works = RichTextField(features=["bold", "italic", "link"])
    prescription_only = models.BooleanField(
        default=False,
        help_text="A prescription-only medicine: pages naming it show its safety "
        "information (US), and may not be published on UK or EU sites.",
    )
    safety_information = RichTextField(
        "Important Safety Information",
        blank=True,
        features=["h3", "bold", "italic", "ul", "link"],
        help_text="Shown automatically near the top of every page about this treatment. "
        "Required for prescription-only medicines (include any boxed warning).",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("brand_names"),
        FieldPanel("how_it_works"),
        MultiFieldPanel(
            [FieldPanel("prescription_only"), FieldPanel("safety_information")],
            heading="Prescription status and safety",
        ),
        PublishingPanel(),
    ]

    class Meta(SluggedSnippet.Meta):
        permissions = lifecycle_permissions("treatment")

    def clean(self):
        super().clean()
        # The editor saves an empty box as an empty paragraph: judge the words, not the tags.
        if self.prescription_only and not strip_tags(self.safety_information or "").strip():
            raise ValidationError(
                {
                    "safety_information": "A prescription-only medicine needs its Important "
                    "Safety Information: pages about it must show it (21 CFR 202.1(e)(5))."
                }
            )

    @property
    def brand_name_list(self):
        return [name.strip() for name in self.brand_names.split(",") if name.strip()]

    @property
    def all_names(self):
        return [self.name, *self.brand_name_list]


class Reviewer(index.Indexed, Moderated):
    """A clinician who checks articles for medical accuracy."""

    name = models.CharField(max_length=120)
    credentials = models.CharField(max_length=120, help_text="e.g. MD, FRCP")
    specialty = models.CharField(max_length=120, help_text="e.g. Neurology")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviewer",
        help_text="Their admin account, so approving a clinical review records them.",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("credentials"),
        FieldPanel("specialty"),
        FieldPanel("user"),
        PublishingPanel(),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("live"),
    ]

    class Meta:
        ordering = ["name"]
        permissions = lifecycle_permissions("reviewer")

    def __str__(self):
        return f"{self.name}, {self.credentials}"
