from django.utils.cache import patch_cache_control


def no_shared_cache(response):
    """Patient content must disappear the moment its consent ends, even before a purge
    reaches a CDN: keep shared caches from storing it, browsers revalidate each time."""
    patch_cache_control(response, private=True, no_cache=True, max_age=0)
    return response
