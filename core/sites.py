"""The request's site and the organisation's settings in one query.

Every page needs both: Wagtail finds the site (``Site.find_for_request``) and the
templates read ``settings.core.OrganisationSettings`` (``for_request``), a query each.
``find_site`` answers Wagtail's lookup with the settings joined in and leaves both where
Wagtail looks for them on the request, so neither asks again.
"""

from django.db.models import Q
from django.http.request import split_domain_port
from wagtail.models import Site
from wagtail.models.sites import (
    MATCH_DEFAULT,
    MATCH_HOSTNAME,
    MATCH_HOSTNAME_DEFAULT,
    MATCH_HOSTNAME_PORT,
)

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
    sites = sorted(
        Site.objects.filter(Q(hostname=hostname) | Q(is_default_site=True))
        .order_by()
        .select_related("root_page", "organisationsettings"),
        key=match,
    )
    if not sites:
        return None
    if len(sites) == 1 or match(sites[0]) in (MATCH_HOSTNAME_PORT, MATCH_HOSTNAME_DEFAULT):
        return sites[0]
    if match(sites[0]) == MATCH_DEFAULT:
        # The default site, unless exactly one other site has this hostname.
        return sites[len(sites) == 2]
    return None
