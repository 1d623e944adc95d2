"""The main menu: the site's live, public top-level pages marked "show in menus"; and
the footer's links: the site's live, public standard pages (privacy notice, ...).

Built once per site and kept in Django's cache for a minute; any publish, unpublish,
move, save or delete of a page drops it, so a change shows on the next request. Only
titles and URLs are cached: top-level pages are indexes, never patient content."""

from django.core.cache import cache
from wagtail.models import Site

from core.cached import drop_on_change
from core.pages import public

TIMEOUT = 60
# Every site's menu and footer links in one entry: one read per request, one delete clears all.
KEY = "home:navigation"


def site_navigation(request):
    """The main menu and the footer links of the request's site, read once per request:
    ``{"menu": [...], "footer": [...]}``, each link a dict of pk, title and URL."""
    if not hasattr(request, "_site_navigation"):
        site = Site.find_for_request(request)
        found = {"menu": [], "footer": []}
        if site is not None:
            every = cache.get(KEY) or {}
            if site.pk not in every:
                menu = public(site.root_page.get_children().live()).in_menu()
                every[site.pk] = {
                    "menu": _links(menu, request),
                    "footer": _links(_standard_pages(site), request),
                }
                cache.set(KEY, every, TIMEOUT)
            found = every[site.pk]
        request._site_navigation = found
    return request._site_navigation


def _standard_pages(site):
    from home.models import StandardPage

    return public(StandardPage.objects.child_of(site.root_page).live()).order_by("path")


def _links(pages, request):
    return [
        {"pk": page.pk, "slug": page.slug, "title": page.title, "url": page.get_url(request)}
        for page in pages
    ]


def main_menu(request):
    return site_navigation(request)["menu"]


def footer_pages(request):
    return site_navigation(request)["footer"]


def connect():
    drop_on_change([KEY], "home.navigation")
