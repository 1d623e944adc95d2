"""The client's address, as far as the proxies we run can vouch for it.

Each proxy appends the address it received the request from to X-Forwarded-For, so
with ``TRUSTED_PROXY_COUNT`` = n proxies of ours in front of Django, the n-th entry
from the right was written by our outermost proxy: the client as that proxy saw it.
Entries further left are whatever the client sent, and anyone can forge them.
https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/X-Forwarded-For#selecting_an_ip_address
"""

import ipaddress

from django.conf import settings


def client_ip(request):
    """A normalised IP address string, or None when there is no valid one."""
    address = request.META.get("REMOTE_ADDR", "")
    trusted = settings.TRUSTED_PROXY_COUNT
    if trusted:
        entries = [
            e.strip() for e in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if e.strip()
        ]
        if entries:
            # Fewer entries than proxies: a proxy further in was reached directly, and
            # the first entry is the address that proxy saw.
            address = entries[-trusted] if len(entries) >= trusted else entries[0]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None
