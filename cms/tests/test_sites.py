"""The site is found with the organisation's settings in one query, then from Django's
cache until a site, its settings or a page changes (core.sites), and it is the site
Wagtail's own lookup finds for every host and port."""

from django.apps import apps
from django.db.models.signals import post_migrate
from django.test import RequestFactory, TestCase
from wagtail.models import Page, Site

from core.models import OrganisationSettings
from core.sites import find_site


def request_for(host, port):
    return RequestFactory().get("/", HTTP_HOST=f"{host}:{port}", SERVER_PORT=str(port))


class FindSiteTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.root = Page.get_first_root_node()
        Site.objects.all().delete()

    def add_site(self, hostname, port=80, default=False, root=None):
        return Site.objects.create(
            hostname=hostname, port=port, root_page=root or self.root, is_default_site=default
        )

    def assert_same_as_wagtail(self):
        for host in ("main.test", "other.test", "unknown.test"):
            for port in (80, 443, 8080, 9000):
                with self.subTest(
                    sites=list(Site.objects.values_list("hostname", "port")), host=host, port=port
                ):
                    expected = Site._find_for_request(request_for(host, port))
                    self.assertEqual(find_site(request_for(host, port)), expected)

    def test_no_site_is_none(self):
        self.assertIsNone(find_site(request_for("main.test", 80)))
        self.assert_same_as_wagtail()

    def test_one_default_site_answers_every_host(self):
        site = self.add_site("main.test", default=True)
        self.assertEqual(find_site(request_for("unknown.test", 9000)), site)
        self.assert_same_as_wagtail()

    def test_hostnames_ports_and_the_default(self):
        self.add_site("main.test", default=True)
        other = self.add_site("other.test", 80)
        self.assertEqual(find_site(request_for("other.test", 9000)), other)  # its only site
        self.assert_same_as_wagtail()
        self.add_site("other.test", 8080)
        self.assertEqual(find_site(request_for("other.test", 8080)).port, 8080)
        self.assert_same_as_wagtail()

    def test_no_default_and_an_ambiguous_hostname(self):
        self.add_site("other.test", 80)
        self.add_site("other.test", 8080)
        self.assertIsNone(find_site(request_for("other.test", 9000)))
        self.assert_same_as_wagtail()

    def test_the_settings_come_with_the_site_in_one_query_then_none(self):
        site = self.add_site("main.test", default=True)
        OrganisationSettings.objects.create(site=site, name="Lakeside Clinic")
        for queries in (1, 0):  # read, then from the cache
            request = request_for("main.test", 80)
            with self.assertNumQueries(queries):
                self.assertEqual(find_site(request), site)
                self.assertEqual(Site.find_for_request(request), site)
                self.assertEqual(OrganisationSettings.for_request(request).name, "Lakeside Clinic")
                self.assertEqual(find_site(request).root_page, self.root)

    def test_a_change_to_a_site_its_settings_or_its_root_is_seen_at_the_next_request(self):
        main = self.add_site("main.test", default=True)
        settings = OrganisationSettings.objects.create(site=main, name="Lakeside Clinic")
        find_site(request_for("other.test", 80))  # cached: the default answers
        other = self.add_site("other.test")
        self.assertEqual(find_site(request_for("other.test", 80)), other)
        other.port = 8080
        other.save()
        self.assertEqual(find_site(request_for("other.test", 8080)), other)
        settings.name = "Hillside Clinic"
        settings.save()
        request = request_for("main.test", 80)
        find_site(request)
        self.assertEqual(OrganisationSettings.for_request(request).name, "Hillside Clinic")
        other.delete()
        self.assertEqual(find_site(request_for("other.test", 8080)), main)
        self.root.title = "Renamed root"
        self.root.save()
        self.assertEqual(find_site(request_for("main.test", 80)).root_page.title, "Renamed root")

    def test_a_migration_drops_the_cached_sites(self):
        # Data migrations save through historical models: no signal names Site.
        self.add_site("main.test", default=True)
        find_site(request_for("other.test", 80))
        Site.objects.filter(hostname="main.test").update(hostname="renamed.test")
        self.assertEqual(find_site(request_for("x.test", 80)).hostname, "main.test")  # cached
        # What migrate sends for an app after its migrations (home's own handler, which
        # may save the default site, is for the home app only).
        core = apps.get_app_config("core")
        post_migrate.send(
            sender=core, app_config=core, verbosity=0, interactive=False, using="default"
        )
        self.assertEqual(find_site(request_for("x.test", 80)).hostname, "renamed.test")

    def test_a_site_without_settings_gets_them_made_as_wagtail_would(self):
        site = self.add_site("main.test", default=True)
        request = request_for("main.test", 80)
        find_site(request)
        settings = OrganisationSettings.for_request(request)
        self.assertEqual(settings.site, site)
        self.assertEqual(settings.name, OrganisationSettings._meta.get_field("name").default)
        self.assertTrue(OrganisationSettings.objects.filter(site=site).exists())

    def test_the_root_paths_come_with_the_sites_as_wagtail_gives_them(self):
        # Page URLs read them from the request (Page.get_url(request)): no cache read more.
        first = self.root.add_child(instance=Page(title="First", slug="first", live=False))
        second = self.root.add_child(instance=Page(title="Second", slug="second", live=False))
        self.add_site("b.test", root=first)
        self.add_site("a.test", root=first)
        self.add_site("main.test", root=second, default=True)
        deep = first.add_child(instance=Page(title="Deep", slug="deep", live=False))
        self.add_site("deep.test", root=deep)
        self.add_site("other.test", 8080, root=self.root)
        request = request_for("a.test", 80)
        with self.assertNumQueries(1):
            find_site(request)
        Site.clear_site_root_paths_cache()
        self.assertEqual(request._wagtail_cached_site_root_paths, Site.get_site_root_paths())
        self.assertEqual(first.get_url(request), "/")
        self.assertEqual(second.get_url(request), "http://main.test/")
