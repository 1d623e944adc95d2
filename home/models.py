from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page


class Jurisdiction(models.TextChoices):
    US = "us", "United States"
    UK = "uk", "United Kingdom"
    EU = "eu", "European Union"


@register_setting(icon="site")
class OrganisationSettings(BaseSiteSetting):
    """The organisation that discloses patient stories, and the rules it publishes under."""

    name = models.CharField(max_length=200, default="Riverside Neurology Clinic")
    address = models.TextField(blank=True, max_length=500)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    jurisdiction = models.CharField(
        max_length=2,
        choices=Jurisdiction.choices,
        default=Jurisdiction.US,
        help_text=(
            "Which advertising rules apply. In the UK and EU prescription-only medicines "
            "may not be advertised to the public, so pages naming one are refused."
        ),
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("address"), FieldPanel("phone"), FieldPanel("email")],
            heading="Organisation",
        ),
        FieldPanel("jurisdiction"),
    ]

    class Meta:
        verbose_name = "organisation"


class HomePage(Page):
    intro = RichTextField(features=["bold", "italic", "link"], blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "articles.ArticleIndexPage",
        "stories.StoryIndexPage",
        "stories.TestimonialIndexPage",
    ]
    max_count = 1
