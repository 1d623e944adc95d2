"""The request's site, the organisation's settings and the sites' root paths, without
a query and with one read of the cache; and the generation of routing's kept pages.

Every page needs all three: Wagtail finds the site (``Site.find_for_request``), the
templates read ``settings.core.OrganisationSettings`` (``for_request``), a query each,
and every page URL asks the cache for the sites' root paths
(``Site.get_site_root_paths``). ``find_site`` answers Wagtail's lookup from every
site, read with its root page and settings in one query and kept in Django's cache
with the root paths, and leaves all three where Wagtail looks for them on the request.
Any save or deletion of a site, its settings or a page drops the cached sites, so the
next request reads them again, with a new generation for the pages routing keeps in the
cache (core.pages): those kept before are no longer read.
"""

import secrets

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_migrate
from django.http.request import split_domain_port
from wagtail.models import Site
from wagtail.models.sites import (
    MATCH_DEFAULT,
    MATCH_HOSTNAME,
    MATCH_HOSTNAME_DEFAULT,
    MATCH_HOSTNAME_PORT,
    SiteRootPath,
)

from core.cached import drop_on_change
from core.models import OrganisationSettings


def find_site(request):
    """``Site.find_for_request(request)``, the same site by the same rules (Wagtail's
    ``get_site_for_hostname``), read together with its organisation settings."""
    if not hasattr(request, "_wagtail_site"):
        # The raw host, as Wagtail reads it: ALLOWED_HOSTS is Django's check, not this.
        hostname = split_domain_port(request._get_raw_host())[0]
        sites, root_paths, generation = _sites_and_root_paths()
        site = _site_for(sites, hostname, request.get_port())
        request._wagtail_site = site
        request._kept_generation = generation
        if root_paths is not None:  # where Page.get_url(request) looks first
            request._wagtail_cached_site_root_paths = root_paths
        found = getattr(site, "organisationsettings", None) if site else None
        if found is not None:
            found._request = request  # as for_request leaves it
            setattr(request, OrganisationSettings.get_cache_attr_name(), found)
    return request._wagtail_site


def _site_for(sites, hostname, port):
    def match(site):  # Wagtail's ranking, best first
        if site.hostname == hostname:
            if str(site.port) == str(port):  # the request's port is text
                return MATCH_HOSTNAME_PORT
            if site.is_default_site:
                return MATCH_HOSTNAME_DEFAULT
            return MATCH_HOSTNAME
        return MATCH_DEFAULT

    # Ranked here rather than in SQL: a CASE costs more to build than the sort of a few rows.
    candidates = [site for site in sites if site.hostname == hostname or site.is_default_site]
    sites = sorted(candidates, key=match)
    if not sites:
        return None
    if len(sites) == 1 or match(sites[0]) in (MATCH_HOSTNAME_PORT, MATCH_HOSTNAME_DEFAULT):
        return sites[0]
    if match(sites[0]) == MATCH_DEFAULT:
        # The default site, unless exactly one other site has this hostname.
        return sites[len(sites) == 2]
    return None


# The number follows the entry's shape: old and new processes of a deploy never read
# each other's entries.
KEY = "core:sites:3"
TIMEOUT = 300  # a change made without signals (a queryset update) shows within this


def _sites_and_root_paths():
    """Every site with its root page and organisation settings (new objects each time:
    the cache hands out copies), what ``Site.get_site_root_paths()`` answers (None
    with translations on: a root page then has one path per language), and a new
    generation for the routes kept in the cache."""
    found = cache.get(KEY)
    if found is None:
        sites = list(
            Site.objects.order_by().select_related("root_page__locale", "organisationsettings")
        )
        paths = None if settings.WAGTAIL_I18N_ENABLED else root_paths(sites)
        found = (sites, paths, secrets.token_hex(8))
        cache.set(KEY, found, TIMEOUT)
    return found


def root_paths(sites):
    """Wagtail's root paths from the sites: most specific path first, then the default
    site, then by hostname (``Site.get_site_root_paths``)."""
    ranked = sorted(sites, key=lambda site: site.hostname)
    ranked.sort(key=lambda site: (site.root_page.url_path, site.is_default_site), reverse=True)
    return [
        SiteRootPath(
            site.id, site.root_page.url_path, site.root_url, site.root_page.locale.language_code
        )
        for site in ranked
    ]


def connect():
    # A site's hostname, port, default or root; its settings; a root page's URL path,
    # liveness or place in the tree: any of these changes which site answers, or how.
    forget = drop_on_change([KEY], "core.sites", models=(Site, OrganisationSettings))
    # A data migration saves through historical models, whose signals name no class here.
    post_migrate.connect(forget, weak=False, dispatch_uid="core.sites.migrated")
