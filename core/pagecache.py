"""A shared page cache for anonymous visitors that keeps the consent promise.

What a visitor sees of a patient may be shown only while the consent is active now
(DOMAIN.md, "The invariant"), and a cached copy is a public surface too. So:

- **Opt-in.** Only responses a view marks with ``cacheable()`` (the pages, listings,
  search, feeds, API and sitemap) are stored, and only for a GET without a session
  cookie or credentials (logged-in editors, previews), whose rendering set no cookie and
  used no CSRF token (forms), with status 200.
- **Lifetime bounded by the earliest consent end.** A consent ends by time only when its
  expiry day begins (``consent.rules``: expired once ``expires_on <= today``), so every
  consent active now lasts at least until the next local midnight. Each copy dies at the
  earlier of that midnight and ``PAGE_CACHE_MAX_AGE``: whatever it shows, its lifetime
  never passes the end of any consent behind it, and an expiry at 00:00 hides the content
  with no job run. The expiry is checked when a copy is read, not left to Redis alone.
- **Purged by events, everywhere at once.** Every key holds the cache's *generation*, a
  number kept in the shared cache (Redis, read by every web process). Any publish,
  unpublish, deletion (erasure) or change to a consent, patient, page or taxonomy entry
  moves the generation on, so every copy of every page becomes unreachable in one write,
  before the request that caused it returns: no list of which pages show which patient
  can be missed. The generation is moved again when the transaction commits, so a page
  rendered from the data as it was before cannot be stored as current. Publishing is
  rare; a few misses after each publish cost less than a missed purge.
- **Browsers revalidate.** Copies carry an ETag and Last-Modified; a browser's repeat
  request is answered 304. Browsers are told ``private, no-cache`` (their copy cannot be
  purged); a CDN gets ``s-maxage`` only when its purge is configured (``PAGE_CACHE_CDN``),
  bounded like the copy here, and is purged with Wagtail's frontend cache on the same
  events (``purge_cdn``).

A hit costs one Redis round trip: each process keeps the copies it served last
(``LocalCopies``) and reads only the generation, the page too when it has none. While
Redis is down every request is a miss (``cms.cache.FailSafeRedisCache``); a purge that could
not be written is written by this process before it serves its next request.
"""

import hashlib
import logging
import math
import threading
import time
from collections import OrderedDict
from datetime import datetime, timedelta
from http import HTTPStatus

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
KEY_PREFIX = "pagecache:page:"
URLS_KEY = "pagecache:urls:"  # + generation: the URLs stored, for a CDN purge

# Recomputed for each answer; everything else the response carried is kept.
OWN_HEADERS = {"cache-control", "etag", "last-modified", "expires", "set-cookie", "age"}

_state = threading.local()
_owed = threading.Event()  # a purge this process could not write yet


def now():
    """Seconds since the epoch (a function, so a test can move the clock)."""
    return time.time()


def next_midnight(at):
    """The next start of a day in the site's time zone after ``at`` (epoch seconds):
    the earliest moment a consent active at ``at`` can expire."""
    zone = timezone.get_current_timezone()
    day = datetime.fromtimestamp(at, zone).date() + timedelta(days=1)
    return datetime.combine(day, datetime.min.time(), zone).timestamp()


def expires_at(at):
    return min(at + settings.PAGE_CACHE_MAX_AGE, next_midnight(at))


# -- Generation and purge -------------------------------------------------------------


def generation():
    value = cache.get(GENERATION_KEY)
    return value if value is not None else _start_generation()


def _start_generation():
    # A new number that no copy can hold, even after Redis lost the key (eviction,
    # restart): time in nanoseconds is larger than any earlier generation plus its bumps.
    cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
    return cache.get(GENERATION_KEY)


def _bump():
    try:
        old = cache.get(GENERATION_KEY)
        cache.incr(GENERATION_KEY)
    except ValueError:  # no key (never set, evicted) or no cache at all
        old = None
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)
    if cache.get(GENERATION_KEY) in (None, old):
        # Redis is away. The copies are out of reach with it; when it is back they must
        # not be served: this process writes the purge before its next request.
        _owed.set()
        logger.warning("Page cache purge not written (cache unavailable); will retry")
        return False
    _owed.clear()
    if old is not None and settings.PAGE_CACHE_CDN:
        purge_cdn(old)
    return True


def purge(**kwargs):
    """Make every cached page unreachable now, and again once the transaction commits
    (a signal receiver: any arguments are ignored)."""
    _bump()
    transaction.on_commit(_bump)


def purge_cdn(old_generation):
    """Purge from the CDN every URL this cache stored in the generation that ended:
    the URLs a CDN may hold a copy of (it got ``s-maxage`` only on those)."""
    from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

    key = URLS_KEY + str(old_generation)
    urls = sorted(cache.get(key) or ())
    if urls:
        purge_urls_from_cache(urls)
    cache.delete(key)


# -- Finding a copy -------------------------------------------------------------------


class LocalCopies:
    """The copies this process found last, up to ``PAGE_CACHE_LOCAL_BYTES`` of content,
    least recently used first out. Only a cache of Redis's copies: one is served only
    when its generation is still Redis's current one, like a copy read from Redis."""

    def __init__(self):
        self._copies = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            entry = self._copies.get(key)
            if entry is not None:
                self._copies.move_to_end(key)
            return entry

    def put(self, key, entry):
        with self._lock:
            if key in self._copies:
                self._size -= len(self._copies.pop(key)["content"])
            self._copies[key] = entry
            self._size += len(entry["content"])
            while self._size > settings.PAGE_CACHE_LOCAL_BYTES and self._copies:
                self._size -= len(self._copies.popitem(last=False)[1]["content"])


_local = LocalCopies()


def find(key):
    """``(copy, generation)``: the copy stored under ``key`` (None when there is none or
    it is not of the current generation) and the current generation (None while Redis
    is away). One round trip when this process holds the copy, one more after a purge."""
    entry = _local.get(key)
    if entry is not None:
        current = cache.get(GENERATION_KEY)
        if current is not None and entry["generation"] == current:
            return entry, current
    found = cache.get_many([GENERATION_KEY, key])
    current, entry = found.get(GENERATION_KEY), found.get(key)
    if entry is None or entry["generation"] != current:
        return None, current
    _local.put(key, entry)
    return entry, current


# -- What triggers a purge ------------------------------------------------------------


def _watched(sender):
    from wagtail.models import Page

    label = sender._meta.label
    if label.lower().endswith("rendition"):  # made while a page renders; shows nothing new
        return False
    return (
        issubclass(sender, Page)
        or label in settings.PAGE_CACHE_PURGED_BY
        or sender._meta.app_label in settings.PAGE_CACHE_PURGED_BY
    )


def _on_change(sender, created=False, **kwargs):
    from wagtail.contrib.settings.models import BaseSiteSetting

    if created and issubclass(sender, BaseSiteSetting):
        return  # made with its defaults by the first page that reads it: nothing changed
    if _watched(sender):
        purge()


def connect():
    from django.db.models.signals import m2m_changed, post_delete, post_save
    from wagtail import signals

    for signal in (post_save, post_delete):
        signal.connect(_on_change, dispatch_uid=f"pagecache-{id(signal)}")
    m2m_changed.connect(_on_change, dispatch_uid="pagecache-m2m")
    for signal in (
        signals.page_published,
        signals.page_unpublished,
        signals.published,
        signals.unpublished,
        signals.post_page_move,
        signals.page_slug_changed,
    ):
        signal.connect(purge, dispatch_uid=f"pagecache-{id(signal)}")


# -- The middleware -------------------------------------------------------------------


def _key(request):
    accept = "html" if "text/html" in request.META.get("HTTP_ACCEPT", "") else "any"
    return _url_key(f"{request.scheme}://{request.get_host()}{request.get_full_path()}|{accept}")


def _url_key(url):
    return KEY_PREFIX + hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()


def may_use(request):
    """May this request be answered from, or stored in, the shared cache?"""
    return (
        settings.PAGE_CACHE_ENABLED
        and request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
        and not request.path.startswith(settings.PAGE_CACHE_SKIP_PREFIXES)
    )


def may_store(request, response):
    cache_control = response.get("Cache-Control", "")
    return (
        getattr(response, "page_cache", False)
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not getattr(request, "is_preview", False)
        # A rendered CSRF token is this visitor's: a page with a form is never shared.
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and "no-store" not in cache_control
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def _own_headers(entry, at):
    if settings.PAGE_CACHE_CDN:
        # max-age=0: a browser's copy cannot be purged, so it revalidates each time.
        remaining = max(0, math.floor(entry["until"] - at))
        cache_control = f"public, max-age=0, s-maxage={remaining}, must-revalidate"
    else:
        cache_control = "max-age=0, no-cache, private"
    return [
        ("Cache-Control", cache_control),
        ("ETag", entry["etag"]),
        ("Last-Modified", http_date(entry["modified"])),
    ]


def _answer(request, response, entry, at):
    for name, value in _own_headers(entry, at):
        response[name] = value
    return get_conditional_response(
        request, etag=entry["etag"], last_modified=int(entry["modified"]), response=response
    )


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _owed.is_set():
            _bump()
        if not may_use(request):
            return self.get_response(request)
        try:
            key = _key(request)
        except DisallowedHost:
            return self.get_response(request)  # answered 400 further in

        entry, current = find(key)
        if current is None:
            current = _start_generation()
        at = now()
        if entry is not None and entry["until"] > at:
            return self.replay(request, entry, at)

        response = self.get_response(request)
        if current is None or not may_store(request, response):
            return response
        return self.store(request, response, key, current)

    def replay(self, request, entry, at):
        response = HttpResponse(entry["content"], status=entry["status"])
        for name, value in entry["headers"]:
            response[name] = value
        response["X-Page-Cache"] = "hit"
        return _answer(request, response, entry, at)

    def store(self, request, response, key, current):
        at = now()
        entry = {
            "generation": current,
            "until": expires_at(at),
            "status": response.status_code,
            "headers": [
                (name, value)
                for name, value in response.items()
                if name.lower() not in OWN_HEADERS
            ],
            "content": response.content,
            "etag": '"' + hashlib.md5(response.content, usedforsecurity=False).hexdigest() + '"',
            "modified": math.floor(at),
        }
        cache.set(key, entry, timeout=math.ceil(entry["until"] - at))
        if settings.PAGE_CACHE_CDN:
            urls_key = URLS_KEY + str(current)
            urls = cache.get(urls_key) or set()
            urls.add(request.build_absolute_uri())
            cache.set(urls_key, urls, timeout=settings.PAGE_CACHE_MAX_AGE * 2)
        response["X-Page-Cache"] = "miss"
        return _answer(request, response, entry, at)


# -- Before Django: the hit path ------------------------------------------------------


class FastPath:
    """WSGI wrapper (cms/wsgi.py): a GET that the middleware would answer from the cache
    is answered here, before Django builds a request or runs any middleware, with the
    same key, generation and lifetime checks. Anything else, and any doubt (a key this
    reading computes differently, a conditional request), goes to Django, whose
    ``PageCacheMiddleware`` decides as usual. The copies hold the headers every
    middleware added (the page cache sits first), HSTS and the CSP included."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        answer = self.answer(environ) if settings.PAGE_CACHE_ENABLED else None
        if answer is None:
            return self.application(environ, start_response)
        status, headers, content = answer
        start_response(status, headers)
        return [content]

    def answer(self, environ):
        if _owed.is_set():
            return None
        if (
            environ.get("REQUEST_METHOD") != "GET"
            or "HTTP_AUTHORIZATION" in environ
            or "HTTP_IF_NONE_MATCH" in environ
            or "HTTP_IF_MODIFIED_SINCE" in environ
            or settings.SESSION_COOKIE_NAME + "=" in environ.get("HTTP_COOKIE", "")
        ):
            return None
        path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "/")
        if path.startswith(settings.PAGE_CACHE_SKIP_PREFIXES) or not path.isascii():
            return None
        scheme = environ.get("wsgi.url_scheme", "http")
        if settings.SECURE_PROXY_SSL_HEADER:
            header, secure = settings.SECURE_PROXY_SSL_HEADER
            scheme = "https" if environ.get(header) == secure else "http"
        host = environ.get("HTTP_HOST")
        query = environ.get("QUERY_STRING", "")
        if not host or not query.isascii():
            return None
        full = path + ("?" + query if query else "")
        accept = "html" if "text/html" in environ.get("HTTP_ACCEPT", "") else "any"
        key = _url_key(f"{scheme}://{host}{full}|{accept}")
        entry, _current = find(key)
        at = now()
        if entry is None or entry["until"] <= at:
            return None
        headers = [*entry["headers"], *_own_headers(entry, at), ("X-Page-Cache", "hit")]
        status = f"{entry['status']} {HTTPStatus(entry['status']).phrase}"
        return status, headers, entry["content"]
