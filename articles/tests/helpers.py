import json
import re

from wagtail.models import Site

from articles.factories import ArticleIndexPageFactory
from core.models import OrganisationSettings


def default_site():
    return Site.objects.get(is_default_site=True)


def make_index():
    return ArticleIndexPageFactory(parent=default_site().root_page)


def set_jurisdiction(jurisdiction, site=None):
    settings = OrganisationSettings.for_site(site or default_site())
    settings.jurisdiction = jurisdiction
    settings.save()


def json_ld(response):
    scripts = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    assert len(scripts) == 1, f"expected one JSON-LD block, found {len(scripts)}"
    return json.loads(scripts[0])
