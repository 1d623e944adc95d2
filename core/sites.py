"""The request's site and the organisation's settings, without a query.

Every page needs both: Wagtail finds the site (``Site.find_for_request``) and the
templates read ``settings.core.OrganisationSettings`` (``for_request``), a query each.
``find_site`` answers Wagtail's lookup from every site, read with its root page and
settings in one query and kept in Django's cache (as Wagtail keeps the sites' root
paths), and leaves both where Wagtail looks for them on the request. Any save or
deletion of a site, its settings or a page drops the cached sites, so the next request
reads them again.
"""

from django.core.cache import cache
from django.db.models.signals import post_migrate
from django.http.request import split_domain_port
from wagtail.models import Site
from wagtail.models.sites import (
    MATCH_DEFAULT,
    MATCH_HOSTNAME,
    MATCH_HOSTNAME_DEFAULT,
    MATCH_HOSTNAME_PORT,
)

from core.cached import drop_on_change
from core.models import OrganisationSettings


def find_site(request):
    """``Site.find_for_request(request)``, the same site by the same rules (Wagtail's
    ``get_site_for_hostname``), read together with its organisation settings."""
    if not hasattr(request, "_wagtail_site"):
        # The raw host, as Wagtail reads it: ALLOWED_HOSTS is Django's check, not this.
        hostname = split_domain_port(request._get_raw_host())[0]
        site = _site_for(hostname, request.get_port())
        request._wagtail_site = site
        settings = getattr(site, "organisationsettings", None) if site else None
        if settings is not None:
            settings._request = request  # as for_request leaves it
            setattr(request, OrganisationSettings.get_cache_attr_name(), settings)
    return request._wagtail_site


def _site_for(hostname, port):
    def match(site):  # Wagtail's ranking, best first
        if site.hostname == hostname:
            if str(site.port) == str(port):  # the request's port is text
                return MATCH_HOSTNAME_PORT
            if site.is_default_site:
                return MATCH_HOSTNAME_DEFAULT
            return MATCH_HOSTNAME
        return MATCH_DEFAULT

    # Ranked here rather than in SQL: a CASE costs more to build than the sort of a few rows.
    candidates = [
        site for site in all_sites() if site.hostname == hostname or site.is_default_site
    ]
    sites = sorted(candidates, key=match)
    if not sites:
        return None
    if len(sites) == 1 or match(sites[0]) in (MATCH_HOSTNAME_PORT, MATCH_HOSTNAME_DEFAULT):
        return sites[0]
    if match(sites[0]) == MATCH_DEFAULT:
        # The default site, unless exactly one other site has this hostname.
        return sites[len(sites) == 2]
    return None


KEY = "core:sites"
TIMEOUT = 300  # a change made without signals (a queryset update) shows within this


def all_sites():
    """Every site with its root page and organisation settings (new objects each time:
    the cache hands out copies)."""
    sites = cache.get(KEY)
    if sites is None:
        sites = list(Site.objects.order_by().select_related("root_page", "organisationsettings"))
        cache.set(KEY, sites, TIMEOUT)
    return sites


def connect():
    # A site's hostname, port, default or root; its settings; a root page's URL path,
    # liveness or place in the tree: any of these changes which site answers, or how.
    forget = drop_on_change([KEY], "core.sites", models=(Site, OrganisationSettings))
    # A data migration saves through historical models, whose signals name no class here.
    post_migrate.connect(forget, weak=False, dispatch_uid="core.sites.migrated")
