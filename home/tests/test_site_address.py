"""The default Site follows WAGTAILADMIN_BASE_URL, so every absolute URL a visitor, a
crawler or an email reader sees uses the configured address, not Wagtail's
``http://localhost`` from the initial migration."""

from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import SimpleTestCase, TestCase, override_settings
from wagtail.models import Site

from articles.factories import TreatmentArticlePageFactory
from articles.tests.helpers import make_index
from home.site_address import host_and_port, update_default_site
from moderation.testing import publish_through_workflow
from stories.tests.utils import SiteTree, live_story

ADDRESS = "https://stories.example.org"


class HostAndPortTests(SimpleTestCase):
    def test_scheme_gives_the_port(self):
        self.assertEqual(host_and_port(ADDRESS), ("stories.example.org", 443))
        self.assertEqual(host_and_port("http://127.0.0.1:8000/"), ("127.0.0.1", 8000))
        self.assertEqual(host_and_port("http://clinic.example"), ("clinic.example", 80))

    def test_addresses_a_wagtail_site_cannot_hold_are_refused(self):
        for url in ["https://clinic.example:8443", "ftp://clinic.example", "/relative", ""]:
            with self.subTest(url=url), self.assertRaises(ImproperlyConfigured):
                host_and_port(url)


class AddressTestCase(TestCase):
    """Wagtail caches each site's root URL: drop the cache with the rolled-back site."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.addClassCleanup(cache.clear)


class MigrateSetsTheSiteTests(AddressTestCase):
    def test_migrate_gives_the_default_site_the_configured_address(self):
        # The test settings' address was applied when the test database was migrated.
        site = Site.objects.get(is_default_site=True)
        self.assertEqual((site.hostname, site.port), ("testserver", 80))
        with override_settings(WAGTAILADMIN_BASE_URL=ADDRESS):
            call_command("migrate", verbosity=0)
        site.refresh_from_db()
        self.assertEqual((site.hostname, site.port), ("stories.example.org", 443))
        self.assertEqual(site.root_url, ADDRESS)


@override_settings(WAGTAILADMIN_BASE_URL=ADDRESS)
class PublicUrlsUseTheAddressTests(AddressTestCase):
    @classmethod
    def setUpTestData(cls):
        with override_settings(WAGTAILADMIN_BASE_URL=ADDRESS):
            update_default_site()
        SiteTree.make_tree()
        cls.story = live_story(SiteTree.index, slug="turning-my-head-again")
        cls.index = make_index()

    def test_canonical_and_open_graph_url_of_a_story(self):
        response = self.client.get(self.story.url)
        url = f"{ADDRESS}/{SiteTree.index.slug}/turning-my-head-again/"
        self.assertContains(response, f'<link rel="canonical" href="{url}">')
        self.assertContains(response, f'<meta property="og:url" content="{url}">')
        self.assertNotContains(response, "localhost")

    def test_home_page_canonical_and_og_url(self):
        response = self.client.get("/")
        self.assertContains(response, f'<link rel="canonical" href="{ADDRESS}/">')
        self.assertContains(response, f'<meta property="og:url" content="{ADDRESS}/">')

    def test_sitemap_and_feeds(self):
        story_url = f"{ADDRESS}/{SiteTree.index.slug}/turning-my-head-again/"
        sitemap = self.client.get("/sitemap.xml").content.decode()
        self.assertIn(f"<loc>{story_url}</loc>", sitemap)
        self.assertNotIn("localhost", sitemap)
        self.assertNotIn("testserver", sitemap)
        for feed in ["/feeds/stories.rss", "/feeds/stories.atom"]:
            with self.subTest(feed=feed):
                body = self.client.get(feed).content.decode()
                self.assertIn(story_url, body)
                self.assertNotIn("localhost", body)

    def test_workflow_emails_link_to_the_site_address(self):
        mail.outbox.clear()
        article = publish_through_workflow(
            TreatmentArticlePageFactory(parent=self.index, slug="botox-for-dystonia")
        )
        bodies = "\n".join(message.body for message in mail.outbox)
        self.assertIn(f"{ADDRESS}/articles/botox-for-dystonia/", bodies)
        self.assertIn(f"{ADDRESS}/admin/pages/{article.pk}/edit/", bodies)
        self.assertNotIn("localhost", bodies)
