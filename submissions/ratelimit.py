"""Per-address limits on the share form, counted in the database (core.ratelimit: one
atomic statement per request, so concurrent requests cannot overshoot)."""

from core import ratelimit
from submissions.models import RateLimitCounter

WINDOW = ratelimit.WINDOW
# Stored submissions (and the fake successes shown to bots) per address and hour.
SUBMISSIONS_PER_WINDOW = 5
# Every POST, valid or not: each may carry an image to inspect.
ATTEMPTS_PER_WINDOW = 30

LIMITS = {"submitted": SUBMISSIONS_PER_WINDOW, "attempt": ATTEMPTS_PER_WINDOW}


def count(kind, ip):
    return ratelimit.count(RateLimitCounter, kind, ip)


def hit(kind, ip):
    """Count one request; return the count including it."""
    return ratelimit.hit(RateLimitCounter, kind, ip)


def take(kind, ip):
    """Count one request; True if it is within the limit."""
    return hit(kind, ip) <= LIMITS[kind]


def is_limited(ip):
    """True once either limit is reached (before the next request counts)."""
    return count("submitted", ip) >= SUBMISSIONS_PER_WINDOW
