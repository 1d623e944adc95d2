from django.conf import settings
from django.urls import include, path, re_path
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from core import pages
from home import views as home_views
from publicapi.api import api_router
from stories.media_views import patient_media
from stories.views import patient_photo

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", home_views.sitemap, name="sitemap"),
    path("robots.txt", home_views.robots_txt, name="robots_txt"),
    path("consent/", include("consent.urls")),
    path("sign-off/", include("signoff.urls")),
    path("share-your-story/", include("submissions.urls")),
    path("search/", include("search.urls")),
    path("feeds/", include("feeds.urls")),
    path("api/v2/", api_router.urls),
    # Patient video and audio, their captions and posters: the same, with range requests.
    path("patient-media/av/<path:name>", patient_media, name="patient_media"),
    # Patient photos: checked against the consent at every request (stories/views.py).
    path("patient-media/<path:name>", patient_photo, name="patient_photo"),
]

# Wagtail images (illustrations, diagrams) are public by design; patient photos and
# signed consent forms live in PRIVATE_MEDIA_ROOT and have no URL here.
urlpatterns += [
    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
]

# Wagtail's URLs, its page view finding the page in fewer queries (core.pages.serve).
urlpatterns += [
    *(url for url in wagtail_urls.urlpatterns if url.name != "wagtail_serve"),
    re_path(wagtail_urls.serve_pattern, pages.serve, name="wagtail_serve"),
]
