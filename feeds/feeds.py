"""RSS and Atom feeds of new patient stories and treatment articles.

Built on Django's syndication framework:
https://docs.djangoproject.com/en/stable/ref/contrib/syndication/
"""

from heapq import merge

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from articles.models import TreatmentArticlePage
from core.http import cacheable
from core.pages import public
from stories.models import PatientStoryPage

ITEMS = 20


def newest_items():
    """The newest visible stories and live articles, newest first.

    Stories come through ``visible()``, so a story whose consent ended a second ago is
    left out of the very next request. Only the page's own public fields are read.
    """
    stories = PatientStoryPage.objects.visible().order_by("-first_published_at", "-pk")
    articles = public(TreatmentArticlePage.objects.live()).order_by("-first_published_at", "-pk")
    newest = merge(
        stories.defer_streamfields()[:ITEMS],
        articles.defer_streamfields()[:ITEMS],
        key=lambda page: page.first_published_at,
        reverse=True,
    )
    return list(newest)[:ITEMS]


class StoriesFeed(Feed):
    description = "New patient stories and treatment articles."

    def __call__(self, request, *args, **kwargs):
        # Kept only by the consent-aware page cache (core.pagecache).
        return cacheable(super().__call__(request, *args, **kwargs))

    def title(self):
        return f"{settings.WAGTAIL_SITE_NAME}: stories and articles"

    link = "/"

    def get_object(self, request, *args, **kwargs):
        return request

    def items(self, request):
        # One Feed instance serves every request: URLs are worked out here, per request.
        items = newest_items()
        for item in items:
            item.feed_url = item.get_full_url(request)
        return items

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.feed_url

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at or item.first_published_at


class StoriesAtomFeed(StoriesFeed):
    feed_type = Atom1Feed

    def subtitle(self):
        return self.description
