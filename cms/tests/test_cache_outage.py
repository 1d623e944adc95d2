"""A cache outage costs speed, never an answer: with the cache pointed at a port nothing
listens on, every public surface, the share form and the withdrawal link still work."""

import re
from io import StringIO

from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client, TestCase, override_settings
from django.urls import reverse
from wagtail.models import Page

from cms.cache import FailSafeRedisCache
from cms.tests.processes import free_port
from consent.models import Consent, ConsentText, Status
from submissions import ratelimit
from submissions.tests.utils import form_data


def redis_at_a_closed_port(backend="cms.cache.FailSafeRedisCache"):
    location = f"redis://127.0.0.1:{free_port()}/0"
    options = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    return {"default": {"BACKEND": backend, "LOCATION": location, "OPTIONS": options}}


class CacheOutageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", stdout=StringIO())
        cls.text = ConsentText.current()
        cls.urls = [
            page.url for page in Page.objects.live().filter(depth__gt=1).specific() if page.url
        ]

    def setUp(self):
        settings = override_settings(CACHES=redis_at_a_closed_port())
        settings.enable()
        self.addCleanup(settings.disable)
        self.assertIsInstance(cache._connections["default"], FailSafeRedisCache)

    def test_public_pages_search_api_and_feeds_answer(self):
        paths = [
            *self.urls,
            "/search/?q=botox",
            "/api/v2/pages/",
            "/api/v2/testimonials/",
            "/feeds/stories.rss",
            "/sitemap.xml",
            reverse("submissions:share"),
        ]
        self.assertGreater(len(self.urls), 5)
        for path in paths:
            with self.subTest(path=path):
                self.assertEqual(self.client.get(path).status_code, 200)

    def test_a_story_is_shared_and_the_limit_still_holds(self):
        def post():
            with self.captureOnCommitCallbacks(execute=True):
                return self.client.post(
                    reverse("submissions:share"),
                    form_data(self.text),
                    REMOTE_ADDR="198.51.100.23",
                )

        for _ in range(ratelimit.SUBMISSIONS_PER_WINDOW):
            self.assertRedirects(post(), reverse("submissions:thanks"))
        self.assertEqual(post().status_code, 429)
        self.assertEqual(Consent.objects.filter(signature_name="maria garcia").count(), 5)

    def test_the_patient_withdraws_with_the_link(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(
                reverse("submissions:share"), form_data(self.text), REMOTE_ADDR="192.0.2.1"
            )
        link = re.search(r"http://testserver(/consent/withdraw/\S+/)", mail.outbox[0].body)
        self.assertEqual(self.client.get(link.group(1)).status_code, 200)
        response = self.client.post(link.group(1))
        self.assertEqual(response.status_code, 302)
        consent = Consent.objects.get(signature_name="maria garcia")
        self.assertEqual(consent.status, Status.WITHDRAWN)

    def test_without_the_fail_safe_backend_a_page_would_fail(self):
        # Why cms.cache exists: Django's own backend raises, and the page answers 500.
        with override_settings(
            CACHES=redis_at_a_closed_port("django.core.cache.backends.redis.RedisCache")
        ):
            response = Client(raise_request_exception=False).get("/")
        self.assertEqual(response.status_code, 500)


class FailSafeRedisCacheTests(TestCase):
    def test_reads_miss_writes_are_dropped_and_the_circuit_opens(self):
        backend = redis_at_a_closed_port()["default"]
        cache = FailSafeRedisCache(backend["LOCATION"], {"OPTIONS": backend["OPTIONS"]})
        self.assertEqual(cache.get("k", "default"), "default")
        self.assertFalse(cache.available)  # no further attempt for RETRY_AFTER seconds
        self.assertIsNone(cache.set("k", 1))
        self.assertFalse(cache.add("k", 1))
        self.assertEqual(cache.get_many(["a", "b"]), {})
        with self.assertRaises(ValueError):
            cache.incr("k")
        cache._down_until = 0.0  # the wait is over: the next call tries Redis again
        self.assertIsNone(cache.get("k"))
        self.assertFalse(cache.available)
