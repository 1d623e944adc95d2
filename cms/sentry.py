"""Optional error reporting to Sentry (``SENTRY_DSN``), without patient data.

What leaves the server is the shape of a failure, never its contents: the exception's
type and stack (no local variables, no exception message: a ValidationError or a
database error can quote a name or an email), the request's method and path (with any
withdrawal token masked), the log message's template without its arguments. No request
body, query string, headers, cookies, user, breadcrumbs or performance traces.
"""

import logging
import re

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.integrations.logging import LoggingIntegration

TOKEN_PATH = re.compile(r"(/consent/withdraw/)[^/]+")


def scrub(event, hint=None):
    request = event.pop("request", None)
    if request:
        url = TOKEN_PATH.sub(r"\1…", (request.get("url") or "").split("?")[0])
        event["request"] = {"method": request.get("method"), "url": url}
    for exception in (event.get("exception") or {}).get("values", []):
        exception.pop("value", None)
        for frame in (exception.get("stacktrace") or {}).get("frames", []):
            frame.pop("vars", None)
    logentry = event.get("logentry") or event.get("message")
    if isinstance(logentry, dict):
        logentry.pop("params", None)
        logentry.pop("formatted", None)
    for key in ("user", "extra", "breadcrumbs", "server_name"):
        event.pop(key, None)
    return event


def init(dsn, environment="production", transport=None):
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[
            DjangoIntegration(),
            LoggingIntegration(level=None, event_level=logging.ERROR),
        ],
        include_local_variables=False,
        max_request_body_size="never",
        max_breadcrumbs=0,
        traces_sample_rate=0,
        before_send=scrub,
        transport=transport,
    )
