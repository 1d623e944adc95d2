from django.utils.cache import patch_cache_control


def no_shared_cache(response):
    """Patient content must disappear the moment its consent ends, even before a purge
    reaches a CDN: keep shared caches from storing it, browsers revalidate each time."""
    patch_cache_control(response, private=True, no_cache=True, max_age=0)
    return response


def cacheable(response):
    """A public page, listing, feed or API answer that the consent-aware page cache
    (``core.pagecache``) may keep for anonymous visitors, within its consent bound and
    until the next purge. Until it is stored (and when it is not, e.g. for a signed-in
    editor) it is ``private, no-cache`` like any response that may quote a patient."""
    response.page_cache = True
    return no_shared_cache(response)
