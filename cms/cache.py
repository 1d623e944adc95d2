"""Redis as a cache that may go away: an outage costs speed, never an answer.

Django's ``RedisCache`` raises on every call while Redis is down, and the pages that
read the cache (the main menu, Wagtail's site lookup) then answer 500. Here a Redis
error becomes what a cache is allowed to be: a miss. Writes are dropped, reads return
the default.

After an error the circuit opens: for ``RETRY_AFTER`` seconds this process does not try
Redis at all (so a request does not pay a connection timeout per cache call), then it
tries again; when Redis answers, the cache is back without a restart. Nothing here may
hold state that must survive an outage: the share form's rate limit lives in the
database (submissions.ratelimit).
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_AFTER = 5.0  # seconds without Redis after an error

MISS = object()  # "use the caller's default"


class ReusedClient(RedisCacheClient):
    """Django builds a new ``redis.Redis`` for every cache call, and each one fills a
    table of some 170 reply parsers: about a third of a page-cache hit. One per pool is
    enough (a client is thread-safe; its pool reconnects after a fork)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        if pool not in self._clients:
            self._clients[pool] = self._client(connection_pool=pool)
        return self._clients[pool]


class FailSafeRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClient
        self._down_until = 0.0

    @property
    def available(self):
        return time.monotonic() >= self._down_until

    def _call(self, method, fallback, *args, **kwargs):
        if not self.available:
            return fallback
        try:
            result = getattr(super(), method)(*args, **kwargs)
        except RedisError as error:
            if self._down_until == 0.0:
                logger.warning("Cache unavailable, serving without it: %s", error)
            self._down_until = time.monotonic() + RETRY_AFTER
            return fallback
        if self._down_until:
            logger.warning("Cache available again")
            self._down_until = 0.0
        return result

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def add(self, key, value, timeout=MISS, version=None):
        extra = {} if timeout is MISS else {"timeout": timeout}
        return self._call("add", False, key, value, version=version, **extra)

    def set(self, key, value, timeout=MISS, version=None):
        extra = {} if timeout is MISS else {"timeout": timeout}
        return self._call("set", None, key, value, version=version, **extra)

    def set_many(self, data, timeout=MISS, version=None):
        extra = {} if timeout is MISS else {"timeout": timeout}
        # Every key "failed": the documented answer when nothing was stored.
        return self._call("set_many", list(data), data, version=version, **extra)

    def touch(self, key, timeout=MISS, version=None):
        extra = {} if timeout is MISS else {"timeout": timeout}
        return self._call("touch", False, key, version=version, **extra)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def incr(self, key, delta=1, version=None):
        result = self._call("incr", MISS, key, delta, version)
        if result is MISS:
            # What a cache says about a key it does not hold.
            raise ValueError(f"Key '{key}' not found (cache unavailable)")
        return result

    def clear(self):
        return self._call("clear", False)
