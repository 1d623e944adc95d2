import json

from django.core.cache import cache
from django.db import OperationalError
from django.test import RequestFactory, SimpleTestCase, TestCase, override_settings

from cms.tests.test_cache_outage import redis_at_a_closed_port
from core.guards import RequestGuardMiddleware


class HealthEndpointTests(TestCase):
    def test_healthy(self):
        response = self.client.get("/health/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Cache-Control"], "no-store")
        body = response.json()
        self.assertEqual(body["status"], "ok")
        self.assertEqual(set(body["checks"]), {"database", "storage", "cache", "queue"})
        self.assertTrue(all(check["ok"] for check in body["checks"].values()))

    def test_answers_a_load_balancer_by_address_over_http(self):
        # Not an allowed host, not HTTPS: still answered, not a 400 or a redirect.
        with self.settings(SECURE_SSL_REDIRECT=True):
            response = self.client.get("/health/", HTTP_HOST="10.0.0.7:8000")
        self.assertEqual(response.status_code, 200)

    def test_a_cache_outage_is_reported_and_does_not_fail_the_check(self):
        with override_settings(CACHES=redis_at_a_closed_port()):
            response = self.client.get("/health/")
            cache.close()
        self.assertEqual(response.status_code, 200)
        self.assertFalse(response.json()["checks"]["cache"]["ok"])

    def test_storage_that_cannot_be_written_fails_the_check(self):
        broken = {
            "default": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                # A folder inside a file: nothing can ever be written there.
                "OPTIONS": {"location": "/dev/null/media"},
            },
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        with override_settings(STORAGES=broken):
            response = self.client.get("/health/")
        self.assertEqual(response.status_code, 503)
        body = json.loads(response.content)
        self.assertEqual(body["status"], "unavailable")
        self.assertFalse(body["checks"]["storage"]["ok"])

    def test_reports_the_queue_backlog_with_the_database_queue(self):
        from core.email import send_email

        queue = {"default": {"BACKEND": "django_tasks.backends.database.DatabaseBackend"}}
        with override_settings(TASKS=queue):
            send_email.enqueue("Subject", "Body", ["a@example.org"])
            response = self.client.get("/health/")
        self.assertEqual(response.json()["checks"]["queue"]["ready"], 1)
        self.assertIn("oldest_ready_seconds", response.json()["checks"]["queue"])


class DatabaseUnavailableTests(SimpleTestCase):
    def test_a_database_outage_is_a_503_that_says_nothing_was_saved(self):
        # What a view raises while PostgreSQL restarts (measured live by
        # bench/reliability.py: 503s, no 500s, during the restart).
        guard = RequestGuardMiddleware(lambda request: None)
        error = OperationalError("server closed the connection unexpectedly")
        response = guard.process_exception(RequestFactory().post("/share-your-story/"), error)
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response["Retry-After"], "30")
        self.assertIn(b"nothing you sent was saved", response.content)

    def test_other_errors_are_left_alone(self):
        guard = RequestGuardMiddleware(lambda request: None)
        self.assertIsNone(guard.process_exception(RequestFactory().get("/"), ValueError()))
