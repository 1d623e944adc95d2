"""The consent-aware page cache (core/pagecache.py), through the test client: what an
anonymous visitor is served from it, and that no copy outlives a consent."""

from unittest import mock

from django.core.cache import cache
from django.test import TestCase, override_settings
from django.utils import timezone
from wagtail.contrib.frontend_cache.backends.base import BaseBackend

from consent.models import Consent
from consent.tokens import withdrawal_url
from core import pagecache
from core.factories import UserFactory
from core.roles import CONSENT_OFFICERS, EDITORS
from moderation.testing import publish_through_workflow
from stories.factories import ActiveConsentFactory
from stories.tests.utils import SiteTree, expire_today, live_story, live_testimonial

PURGED = []


class RecordingBackend(BaseBackend):
    def purge(self, url):
        PURGED.append(url)


def surfaces(index, story):
    return [
        index.url,
        story.url,
        "/search/?q=Marker",
        "/feeds/stories.rss",
        "/sitemap.xml",
        "/api/v2/pages/?type=stories.PatientStoryPage&fields=summary",
        "/api/v2/testimonials/",
    ]


class PageCacheTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        SiteTree.make_tree()
        cls.index = SiteTree.index
        cls.consent = ActiveConsentFactory(patient__email="maria@example.org")
        cls.story = live_story(
            cls.index,
            consent=cls.consent,
            title="Marker story",
            slug="marker-story",
            summary="Marker summary",
        )
        cls.testimonial = live_testimonial(consent=cls.consent, quote="Marker quote.")
        cls.index.featured = [("testimonial", cls.testimonial)]
        publish_through_workflow(cls.index)
        cls.editor = UserFactory(username="cache-editor", roles=[EDITORS])
        cls.officer = UserFactory(username="cache-officer", roles=[CONSENT_OFFICERS])

    def get_twice(self, url):
        first = self.client.get(url)
        with self.assertNumQueries(0):
            second = self.client.get(url)
        self.assertEqual(second["X-Page-Cache"], "hit", url)
        self.assertEqual(first.content, second.content)
        return second

    def assertGoneEverywhere(self):
        for url in surfaces(self.index, self.story):
            with self.subTest(url=url):
                content = self.client.get(url).content.lower()
                for words in [
                    b"marker story",
                    b"marker-story",
                    b"marker summary",
                    b"marker quote",
                ]:
                    self.assertNotIn(words, content)

    def warm(self):
        for url in surfaces(self.index, self.story):
            with self.subTest(url=url):
                response = self.get_twice(url)
                self.assertRegex(response.content.lower(), rb"marker[ -](story|summary|quote)")

    # -- What is served -------------------------------------------------------------

    def test_public_surfaces_are_served_from_the_cache_without_a_query(self):
        self.warm()
        response = self.get_twice("/")
        self.assertEqual(response.status_code, 200)

    def test_browsers_revalidate_and_get_304(self):
        first = self.client.get(self.story.url)
        self.assertIn("no-cache", first["Cache-Control"])
        self.assertIn("private", first["Cache-Control"])
        etag, modified = first["ETag"], first["Last-Modified"]
        again = self.client.get(self.story.url, headers={"if-none-match": etag})
        self.assertEqual(again.status_code, 304)
        self.assertEqual(again.content, b"")
        since = self.client.get(self.story.url, headers={"if-modified-since": modified})
        self.assertEqual(since.status_code, 304)
        # Once the content changed, the old ETag gets the new page.
        Consent.objects.get(pk=self.consent.pk).withdraw("patient_link")
        after = self.client.get(self.story.url, headers={"if-none-match": etag})
        self.assertEqual(after.status_code, 404)
        listing = self.client.get(self.index.url)
        again = self.client.get(self.index.url, headers={"if-none-match": listing["ETag"]})
        self.assertEqual(again.status_code, 304)

    def test_signed_in_editors_are_never_served_or_stored(self):
        self.warm()
        self.client.force_login(self.editor)
        response = self.client.get(self.index.url)
        self.assertNotIn("X-Page-Cache", response)
        self.assertIn("private", response["Cache-Control"])
        self.client.logout()
        self.assertEqual(self.client.get(self.index.url)["X-Page-Cache"], "hit")

    def test_forms_and_withdrawal_pages_are_never_cached(self):
        for url in ["/share-your-story/", withdrawal_url(self.consent)]:
            with self.subTest(url=url):
                for _ in range(2):
                    response = self.client.get(url)
                    self.assertEqual(response.status_code, 200)
                    self.assertNotIn("X-Page-Cache", response)

    def test_a_page_rendering_a_csrf_token_is_not_stored(self):
        request_factory = self.client_class().get("/").wsgi_request
        request_factory.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
        from django.http import HttpResponse

        from core.http import cacheable

        self.assertFalse(pagecache.may_store(request_factory, cacheable(HttpResponse("x"))))

    def wsgi_get(self, path, **environ):
        from django.test.client import RequestFactory

        answered = {}

        def start_response(status, headers):
            answered.update(status=status, headers=dict(headers))

        def django(environ, start_response):
            # The test client's handler: Django's, without closing the test's connection.
            response = self.client.handler(environ)
            start_response(f"{response.status_code} {response.reason_phrase}", response.items())
            return [response.content]

        fast = pagecache.FastPath(django)
        base = RequestFactory()._base_environ(PATH_INFO=path, REQUEST_METHOD="GET", **environ)
        content = b"".join(fast(base, start_response))
        return answered["status"], answered["headers"], content

    def test_copies_are_answered_before_django_with_every_header(self):
        first = self.client.get(self.index.url)
        with self.assertNumQueries(0):
            status, headers, content = self.wsgi_get(self.index.url)
        self.assertEqual(status, "200 OK")
        self.assertEqual(headers["X-Page-Cache"], "hit")
        self.assertEqual(content, first.content)
        for name in ("Content-Type", "Content-Security-Policy", "X-Frame-Options", "ETag"):
            self.assertEqual(headers[name], first[name], name)
        # Signed in: Django answers (no copy).
        status, headers, _ = self.wsgi_get(self.index.url, HTTP_COOKIE="sessionid=abc")
        self.assertNotIn("X-Page-Cache", headers)
        # After a withdrawal the copy is gone for the fast path too.
        Consent.objects.get(pk=self.consent.pk).withdraw("phone", user=self.officer)
        status, headers, content = self.wsgi_get(self.index.url)
        self.assertEqual(headers["X-Page-Cache"], "miss")
        self.assertNotIn(b"Marker quote", content)

    # -- Purged by events, before the request returns -------------------------------

    def test_patient_withdrawal_link_purges_every_copy(self):
        self.warm()
        response = self.client.post(withdrawal_url(self.consent).replace("http://testserver", ""))
        self.assertEqual(response.status_code, 302)
        self.assertGoneEverywhere()
        self.assertEqual(self.client.get(self.story.url).status_code, 404)

    def test_officer_withdrawal_purges_every_copy(self):
        self.warm()
        Consent.objects.get(pk=self.consent.pk).withdraw("phone", user=self.officer)
        self.assertGoneEverywhere()

    def test_unpublishing_purges_every_copy(self):
        self.warm()
        self.story.unpublish()
        self.testimonial.unpublish()
        self.assertGoneEverywhere()

    def test_erasure_deleting_the_content_purges_every_copy(self):
        self.warm()
        self.story.delete()
        self.testimonial.delete()
        self.assertGoneEverywhere()

    def test_expiry_processing_purges_every_copy(self):
        from django.core.management import call_command

        self.warm()
        Consent.objects.filter(pk=self.consent.pk).update(expires_on=timezone.localdate())
        # Day granularity: the copies were stored "yesterday" in this story; processing the
        # expiry takes the content down and purges, whatever the clock says.
        call_command("enforce_consent", verbosity=0)
        self.assertGoneEverywhere()

    def test_a_purge_reaches_the_shared_cache_every_process_reads(self):
        self.warm()
        before = cache.get(pagecache.GENERATION_KEY)
        Consent.objects.get(pk=self.consent.pk).withdraw("phone", user=self.officer)
        self.assertGreater(cache.get(pagecache.GENERATION_KEY), before)

    def test_a_purge_redis_could_not_take_is_written_before_the_next_request(self):
        from cms.tests.test_cache_outage import redis_at_a_closed_port

        self.warm()
        with override_settings(CACHES=redis_at_a_closed_port()):
            # Redis is away as the patient withdraws: the copies are out of reach, the
            # purge is not written.
            self.client.post(withdrawal_url(self.consent).replace("http://testserver", ""))
        # Redis is back with the old copies in it: the next request purges first.
        self.assertGoneEverywhere()

    def test_a_copy_this_process_holds_dies_with_a_purge_written_elsewhere(self):
        # The copy is now held in this process too (core.pagecache.LocalCopies).
        self.get_twice(self.story.url)
        status, headers, _ = self.wsgi_get(self.story.url)
        self.assertEqual(headers["X-Page-Cache"], "hit")
        # Another process (the scheduler ending the consent) writes only the generation
        # in Redis and takes the content down; nothing reaches this process's memory.
        Consent.objects.filter(pk=self.consent.pk).update(withdrawn_at=timezone.now())
        cache.incr(pagecache.GENERATION_KEY)
        status, headers, content = self.wsgi_get(self.story.url)
        self.assertNotEqual(headers.get("X-Page-Cache"), "hit")
        self.assertNotIn(b"Marker summary", content)
        self.assertEqual(self.client.get(self.story.url).status_code, 404)

    @override_settings(PAGE_CACHE_LOCAL_BYTES=1)
    def test_copies_kept_in_a_process_stay_within_their_bound(self):
        local = pagecache.LocalCopies()
        local.put("a", {"content": b"x" * 10})
        local.put("b", {"content": b"y"})
        self.assertIsNone(local.get("a"))  # over the bound: the oldest went first
        self.assertEqual(local.get("b"), {"content": b"y"})
        # Served all the same, from Redis, when the process keeps nothing.
        self.get_twice(self.index.url)

    # -- The lifetime bound ---------------------------------------------------------

    def test_no_copy_outlives_the_midnight_a_consent_can_expire_at(self):
        midnight = pagecache.next_midnight(pagecache.now())
        # The consent expires at 00:00 tonight; no job runs, nothing is purged.
        Consent.objects.filter(pk=self.consent.pk).update(
            expires_on=timezone.localdate() + timezone.timedelta(days=1)
        )
        with mock.patch.object(pagecache, "now", return_value=midnight - 100):
            self.warm()
        with mock.patch.object(pagecache, "now", return_value=midnight - 1):
            self.assertEqual(self.client.get(self.index.url)["X-Page-Cache"], "hit")
        # Midnight: the date the database compares with is now the expiry day.
        expire_today(self.consent)
        with mock.patch.object(pagecache, "now", return_value=midnight + 1):
            self.assertGoneEverywhere()

    def test_the_bound_is_the_next_midnight_or_the_maximum_age(self):
        at = pagecache.now()
        self.assertLessEqual(pagecache.expires_at(at), pagecache.next_midnight(at))
        self.assertLessEqual(pagecache.expires_at(at), at + 600)
        late = pagecache.next_midnight(at) - 30
        self.assertEqual(pagecache.expires_at(late), pagecache.next_midnight(at))

    # -- A CDN, when configured ------------------------------------------------------

    @override_settings(
        PAGE_CACHE_CDN=True,
        WAGTAILFRONTENDCACHE={"cdn": {"BACKEND": "cms.tests.test_page_cache.RecordingBackend"}},
    )
    def test_a_cdn_gets_the_same_bound_and_is_purged_on_the_same_events(self):
        PURGED.clear()
        response = self.client.get(self.index.url)
        cache_control = response["Cache-Control"]
        self.assertIn("public", cache_control)
        self.assertIn("max-age=0", cache_control)
        s_maxage = int(cache_control.split("s-maxage=")[1].split(",")[0])
        at = pagecache.now()
        self.assertLessEqual(s_maxage, min(600, pagecache.next_midnight(at) - at + 1))
        self.client.get("/feeds/stories.rss")
        Consent.objects.get(pk=self.consent.pk).withdraw("phone", user=self.officer)
        self.assertIn("http://testserver" + self.index.url, PURGED)
        self.assertIn("http://testserver/feeds/stories.rss", PURGED)


@override_settings(PAGE_CACHE_ENABLED=False)
class DisabledTests(TestCase):
    def test_without_a_shared_cache_nothing_is_stored(self):
        SiteTree.make_tree()
        self.client.get("/")
        self.assertNotIn("X-Page-Cache", self.client.get("/"))
