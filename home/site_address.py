"""The default Site record follows WAGTAILADMIN_BASE_URL.

Wagtail builds every absolute URL of a page (canonical links, ``og:url``, the sitemap,
feeds, the links in workflow emails) from the Site's hostname and port, while the
admin's own links use WAGTAILADMIN_BASE_URL. One setting should decide both, so after
every ``migrate`` the default site is given that address.

Wagtail's Site stores no scheme: port 443 means https and 80 means http
(``Site.root_url``), so an https address on another port can't be represented.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEFAULT_PORTS = {"http": 80, "https": 443}


def host_and_port(base_url):
    """("stories.example.org", 443) for "https://stories.example.org"."""
    parts = urlsplit(base_url)
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        raise ImproperlyConfigured(f"WAGTAILADMIN_BASE_URL {base_url!r} is not an http(s) URL.")
    port = parts.port or DEFAULT_PORTS[parts.scheme]
    if parts.scheme == "https" and port != 443:
        raise ImproperlyConfigured(
            f"WAGTAILADMIN_BASE_URL {base_url!r}: Wagtail sites serve https on port 443 only."
        )
    if parts.path.strip("/"):
        raise ImproperlyConfigured(
            f"WAGTAILADMIN_BASE_URL {base_url!r}: the site must be served at the root, not a path."
        )
    return parts.hostname, port


def update_default_site(**kwargs):
    """post_migrate: give the default site the configured address (if it has another)."""
    from wagtail.models import Site

    base_url = getattr(settings, "WAGTAILADMIN_BASE_URL", "")
    if not base_url:
        return
    hostname, port = host_and_port(base_url)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None or (site.hostname, site.port) == (hostname, port):
        return
    # Another site may hold that address already (a second demo site, say): leave it.
    if Site.objects.filter(hostname=hostname, port=port).exclude(pk=site.pk).exists():
        return
    site.hostname, site.port = hostname, port
    site.save(update_fields=["hostname", "port"])
