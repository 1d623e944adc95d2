"""Per-IP limits through the cache (Redis in production, shared by every worker).

A fixed window: the first hit creates the counter with the window as its timeout, later
hits increment it. ``add`` and ``incr`` are atomic in Redis, so concurrent requests
cannot slip past the limit together.
"""

from django.core.cache import cache

WINDOW = 60 * 60
# Stored submissions (and the fake successes shown to bots) per address and hour.
SUBMISSIONS_PER_WINDOW = 5
# Every POST, valid or not: each may carry an image to inspect.
ATTEMPTS_PER_WINDOW = 30


def _key(kind, ip):
    return f"submissions:ratelimit:{kind}:{ip or 'unknown'}"


def count(kind, ip):
    return cache.get(_key(kind, ip), 0)


def hit(kind, ip):
    key = _key(kind, ip)
    cache.add(key, 0, timeout=WINDOW)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW)
        return 1


def is_limited(ip):
    return (
        count("submitted", ip) >= SUBMISSIONS_PER_WINDOW
        or count("attempt", ip) >= ATTEMPTS_PER_WINDOW
    )
