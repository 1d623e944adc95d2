"""The bare WSGI app `make bench` compares the page cache with: it answers each path
with the status, headers and bytes the site gave for it (a JSON file named by
BENCH_BARE_PAGES), doing nothing else. Served by gunicorn with the site's settings."""

import base64
import json
import os

with open(os.environ["BENCH_BARE_PAGES"]) as pages_file:
    PAGES = {
        path: (status, [tuple(h) for h in headers], base64.b64decode(body))
        for path, (status, headers, body) in json.load(pages_file).items()
    }


def app(environ, start_response):
    path = environ.get("PATH_INFO", "/")
    if environ.get("QUERY_STRING"):
        path += "?" + environ["QUERY_STRING"]
    status, headers, body = PAGES.get(path, ("404 Not Found", [], b""))
    start_response(status, headers)
    return [body]
