"""Refuse hostile requests before any view, or any file, sees them.

- A body larger than the view allows is refused (413) from its Content-Length, before
  Django reads it: an upload never reaches the disk (FILE_UPLOAD_MAX_MEMORY_SIZE spills
  larger files to temporary files) only to be refused afterwards. Django reads no body
  without a Content-Length, so a chunked request cannot go around it. The proxy in front
  caps bodies too (README: ``client_max_body_size``), so they never reach gunicorn.
- Control characters in the query string or path (NUL above all, which PostgreSQL
  refuses in any text) are a 400: no query parameter of any page reaches the database
  with them.
- While the database cannot be reached (a restart), a request that needs it gets a 503
  saying plainly that nothing was saved and to try again, not a 500.
"""

import re
from urllib.parse import unquote

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseBadRequest
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string

# C0 controls and DEL, except tab, line feed and carriage return (forms send newlines).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def limit_body(max_size):
    """Let a view accept at most ``max_size`` bytes of request body."""

    def decorate(view):
        view.max_body_size = max_size
        return view

    return decorate


def _content_length(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _too_large(request, limit):
    html = render_to_string(
        "request_too_large.html", {"limit": filesizeformat(limit)}, request=request
    )
    return HttpResponse(html, status=413)


class RequestGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _content_length(request) > settings.MAX_REQUEST_BODY_SIZE:
            return _too_large(request, settings.MAX_REQUEST_BODY_SIZE)
        raw = unquote(request.META.get("QUERY_STRING", "")) + request.path
        if CONTROL_CHARACTERS.search(raw):
            return HttpResponseBadRequest(
                "The address contains control characters.", content_type="text/plain"
            )
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Before CsrfViewMiddleware.process_view, which reads the body to find its token.
        limit = getattr(view_func, "max_body_size", None)
        if limit is not None and _content_length(request) > limit:
            return _too_large(request, limit)
        return None

    def process_exception(self, request, exception):
        if isinstance(exception, (OperationalError, InterfaceError)):
            # A standalone page: the site's base template itself reads the database.
            html = render_to_string("database_unavailable.html")
            response = HttpResponse(html, status=503)
            response["Retry-After"] = "30"
            return response
        return None
