from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Site


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

    @classmethod
    def for_site_or_default(cls, site=None):
        """The settings of ``site``, or of the default site when content is not (yet)
        under any site, so an orphan is judged by the default site's rules."""
        site = site or Site.objects.filter(is_default_site=True).first()
        return cls.for_site(site) if site is not None else cls()


def jurisdiction_for(site=None, request=None):
    """The jurisdiction a site publishes under (the default site's when there is none).
    Given the request being answered, its site's, read once per request."""
    if request is not None:
        return OrganisationSettings.for_request(request).jurisdiction
    return OrganisationSettings.for_site_or_default(site).jurisdiction
