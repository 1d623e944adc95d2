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
KEY = "home:main-menu"  # one entry holding every site's menu, so one delete clears all
FOOTER_KEY = "home:footer-links"


def main_menu(request):
    site = Site.find_for_request(request)
    if site is None:
        return []
    menus = cache.get(KEY) or {}
    if site.pk not in menus:
        pages = public(site.root_page.get_children().live()).in_menu()
        menus[site.pk] = [
            {"pk": page.pk, "title": page.title, "url": page.get_url(request)} for page in pages
        ]
        cache.set(KEY, menus, TIMEOUT)
    return menus[site.pk]


def footer_pages(request):
    from home.models import StandardPage

    site = Site.find_for_request(request)
    if site is None:
        return []
    links = cache.get(FOOTER_KEY) or {}
    if site.pk not in links:
        pages = public(StandardPage.objects.child_of(site.root_page).live()).order_by("path")
        links[site.pk] = [
            {"pk": page.pk, "slug": page.slug, "title": page.title, "url": page.get_url(request)}
            for page in pages
        ]
        cache.set(FOOTER_KEY, links, TIMEOUT)
    return links[site.pk]


def connect():
    drop_on_change([KEY, FOOTER_KEY], "home.navigation")
