"""The production web process: gunicorn, production settings, whitenoise, a real socket."""

import http.client
import json

import pytest

from cms.tests.processes import BIN, free_port, production_env, running, wait_for

pytestmark = [
    pytest.mark.slow,
    # Committed data, visible to gunicorn; serialized_rollback restores the migrated
    # site and home page that the flush of an earlier transactional test removed.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def get(port, path, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        # Gunicorn sits behind a TLS-terminating proxy that says the request was HTTPS.
        connection.request("GET", path, headers={"X-Forwarded-Proto": "https", **(headers or {})})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def answers(port):
    try:
        return get(port, "/robots.txt")[0] == 200
    except OSError:
        return False


@pytest.fixture(scope="module")
def gunicorn(static_root, django_db_setup):
    """One gunicorn for the module; each test's data is committed before it asks."""
    port = free_port()
    env = production_env(STATIC_ROOT=static_root, SECURE_PROXY_SSL_HEADER="true")
    args = [BIN / "gunicorn", "cms.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"]
    with running(args, env) as process:
        try:
            wait_for(lambda: process.poll() is not None or answers(port), 30, message="gunicorn")
        except AssertionError:
            pytest.fail(f"gunicorn did not answer:\n{process.output()}")
        assert process.poll() is None, process.output()
        yield port


def test_home_page_and_admin_login_render(gunicorn):
    status, headers, body = get(gunicorn, "/")
    assert status == 200
    assert b'<main id="main-content"' in body
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"

    status, headers, body = get(gunicorn, "/admin/login/")
    assert status == 200
    assert b'name="username"' in body
    assert "Secure" in headers["Set-Cookie"]  # the CSRF cookie


def test_plain_http_is_redirected_to_https(gunicorn):
    status, headers, _ = get(gunicorn, "/", headers={"X-Forwarded-Proto": "http"})
    assert status == 301
    assert headers["Location"] == f"https://127.0.0.1:{gunicorn}/"


def test_unknown_host_is_refused(gunicorn):
    status, _, _ = get(gunicorn, "/", headers={"Host": "evil.example"})
    assert status == 400


def test_hashed_static_files_are_cached_for_ever(gunicorn, static_root):
    manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]
    hashed = manifest["wagtailadmin/css/core.css"]
    assert hashed != "wagtailadmin/css/core.css"

    status, headers, body = get(gunicorn, f"/static/{hashed}", {"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Cache-Control"] == "max-age=315360000, public, immutable"
    assert headers["Content-Encoding"] == "gzip"
    assert body
