from wagtail.models import Site
from wagtail.test.utils import WagtailPageTestCase

from home.models import HomePage


class HomePageTests(WagtailPageTestCase):
    def test_the_migration_creates_the_site_and_its_home_page(self):
        site = Site.objects.get(is_default_site=True)
        self.assertIsInstance(site.root_page.specific, HomePage)

    def test_home_page_renders_with_skip_link_and_landmarks(self):
        response = self.client.get("/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'href="#main-content"')
        self.assertContains(response, '<main id="main-content"')
        self.assertContains(response, 'role="contentinfo"')
        self.assertContains(response, '<nav class="site-nav" aria-label="Main">')

    def test_public_pages_get_the_strict_content_security_policy(self):
        response = self.client.get("/")
        policy = response.headers["Content-Security-Policy"]
        self.assertIn("default-src 'self'", policy)
        self.assertNotIn("unsafe-inline", policy)

    def test_robots_txt_points_to_the_sitemap_and_hides_private_paths(self):
        response = self.client.get("/robots.txt")
        self.assertEqual(response["Content-Type"], "text/plain")
        self.assertContains(response, "Disallow: /admin/")
        self.assertContains(response, "Sitemap: http://testserver/sitemap.xml")
