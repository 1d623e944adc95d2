"""Every bad input is a clear answer: control characters, out-of-range numbers and wrong
types in the query parameters of every public page and API endpoint give a 400 or the
normal page, never a 500; oversized bodies are refused before they are read."""

from io import StringIO

from django.core.management import call_command
from django.db import transaction
from django.test import Client, TestCase
from django.urls import reverse
from wagtail.models import Page

from stories.models import PatientStoryPage, Testimonial

CONTROL = ["a\x00b", "\x00", "\x1b[31m", "x\x7f"]
ODD = [
    "99999999999999999999999",  # beyond any integer column
    "-1",
    "1e309",  # a float that is infinity
    "abc",
    "",
    "x" * 3000,
]
PARAMS = [
    "page",
    "q",
    "condition",
    "treatment",
    "limit",
    "offset",
    "order",
    "fields",
    "type",
    "search",
    "search_operator",
    "id",
    "slug",
    "html_path",
    "first_published_at",
    "last_published_at",
    "show_in_menus",
    "age",
]


class HostileQueryParameterTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", stdout=StringIO())
        story = PatientStoryPage.objects.visible().first()
        testimonial = Testimonial.objects.visible().first()
        cls.paths = [
            *(p.url for p in Page.objects.live().filter(depth__gt=1).specific() if p.url),
            "/search/",
            "/api/v2/pages/",
            f"/api/v2/pages/{story.pk}/",
            "/api/v2/pages/find/",
            "/api/v2/testimonials/",
            f"/api/v2/testimonials/{testimonial.pk}/",
            "/feeds/stories.rss",
            "/sitemap.xml",
            reverse("submissions:share"),
        ]

    def get(self, path, params):
        # Each request in its own savepoint: a database error in one must not hide
        # the others behind "current transaction is aborted".
        with transaction.atomic():
            response = Client(raise_request_exception=False).get(path, params)
            transaction.set_rollback(True)
        return response

    def test_control_characters_are_refused_everywhere(self):
        for path in self.paths:
            for value in CONTROL:
                with self.subTest(path=path, value=value):
                    self.assertEqual(self.get(path, {"q": value}).status_code, 400)
        self.assertEqual(self.get("/patient-stories/a%00b/", {}).status_code, 400)

    def test_odd_values_never_fail(self):
        failures = []
        for path in self.paths:
            api = path.startswith("/api/")
            # Pages read a few parameters; the API many, some only with a page type.
            names = PARAMS if api else PARAMS[:4]
            extras = ({}, {"type": "stories.PatientStoryPage"}) if api else ({},)
            for name in names:
                for value in ODD:
                    for extra in extras:
                        status = self.get(path, {name: value, **extra}).status_code
                        if status >= 500:
                            failures.append(f"{path}?{name}={value[:20]!r} {extra}: {status}")
        self.assertEqual(failures, [])

    def test_api_says_what_is_wrong(self):
        cases = {
            "/api/v2/pages/?offset=99999999999999999999": "offset must be at most",
            "/api/v2/pages/?first_published_at=yesterday": "not a valid value",
            "/api/v2/pages/find/?id=abc": "id must be a positive integer",
            "/api/v2/testimonials/?condition=abc": "not a valid value",
        }
        for url, message in cases.items():
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 400)
                self.assertIn(message, response.json()["message"])

    def test_a_bad_page_number_shows_a_normal_page(self):
        for value in ["abc", "-1", "99999999999999999999999", "1e309"]:
            with self.subTest(value=value):
                response = self.client.get("/patient-stories/", {"page": value})
                self.assertContains(response, "Maria")


class RequestSizeTests(TestCase):
    def test_a_huge_declared_body_is_refused_unread(self):
        # The body here is tiny; the declared length is what is refused, before reading.
        response = self.client.post(
            reverse("submissions:share"), {"story": "x"}, CONTENT_LENGTH=str(500 * 1024 * 1024)
        )
        self.assertEqual(response.status_code, 413)
        self.assertContains(response, "too large to send", status_code=413)
        self.assertContains(response, "choose a smaller one", status_code=413)

    def test_the_share_form_allows_less_than_the_site(self):
        seven_mb = str(7 * 1024 * 1024)
        response = self.client.post(
            reverse("submissions:share"), {"story": "x"}, CONTENT_LENGTH=seven_mb
        )
        self.assertContains(response, "6.0\xa0MB", status_code=413)
        # The admin (signed forms, images) takes larger uploads.
        response = self.client.post(reverse("wagtailadmin_login"), {"x": "y" * 7 * 1024 * 1024})
        self.assertEqual(response.status_code, 200)

    def test_the_site_wide_cap(self):
        with self.settings(MAX_REQUEST_BODY_SIZE=1024):
            response = self.client.post("/", {"x": "y" * 2000})
        self.assertEqual(response.status_code, 413)
