from django.urls import path

from feeds.feeds import StoriesAtomFeed, StoriesFeed

urlpatterns = [
    path("stories.rss", StoriesFeed(), name="feed_rss"),
    path("stories.atom", StoriesAtomFeed(), name="feed_atom"),
]
