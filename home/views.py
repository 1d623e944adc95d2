from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from core.http import cacheable


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /consent/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def sitemap(request):
    """Wagtail's sitemap (each story lists itself only while it may be shown), kept by
    the consent-aware page cache like the pages it lists."""
    from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap

    return cacheable(wagtail_sitemap(request))
