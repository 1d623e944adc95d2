"""``/health/`` for load balancers and monitoring: is this web process able to serve?

Answered by a middleware placed first, so it needs no allowed host name and no HTTPS
redirect (a load balancer probes the instance by its address, over plain HTTP), and
nothing else runs before it. 200 while the database and media storage work; 503 when
either does not, so the balancer takes this instance out. The cache and the task queue
are reported but never fail the check: without Redis the site is slower, not down, and a
stuck worker is no reason to stop serving pages. Nothing about patients is in it.
"""

import json
import logging
import time

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpResponse

logger = logging.getLogger("cms.health")

PATH = "/health/"
PROBE = "health/probe.txt"


def _timed(check):
    started = time.monotonic()
    try:
        detail = check()
    except Exception as error:
        logger.warning("Health check %s failed: %s", check.__name__, error)
        return {"ok": False, "error": type(error).__name__}
    result = {"ok": True, "ms": round((time.monotonic() - started) * 1000, 1)}
    if detail:
        result.update(detail)
    return result


def database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def storage():
    name = default_storage.save(PROBE, ContentFile(b"ok"))
    default_storage.delete(name)


def cache_check():
    cache.set("health:probe", 1, 10)
    if cache.get("health:probe") != 1:
        raise RuntimeError("the cache did not keep a value")


def queue():
    from cms.tasks_maintenance import backlog, database_backends

    if not database_backends():
        return {"backend": "immediate"}
    ready, oldest = backlog()
    return {"ready": ready, "oldest_ready_seconds": oldest}


def report():
    checks = {
        "database": _timed(database),
        "storage": _timed(storage),
        "cache": _timed(cache_check),
    }
    # The queue lives in the database: nothing to ask when that is down.
    checks["queue"] = _timed(queue) if checks["database"]["ok"] else {"ok": False}
    healthy = checks["database"]["ok"] and checks["storage"]["ok"]
    return healthy, checks


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != PATH or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        healthy, checks = report()
        body = {"status": "ok" if healthy else "unavailable", "checks": checks}
        response = HttpResponse(
            json.dumps(body), content_type="application/json", status=200 if healthy else 503
        )
        response["Cache-Control"] = "no-store"
        return response
