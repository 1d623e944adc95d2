"""An item the automatic consent check sends back says why: no "submitted for
moderation" success message, the editor lands on the item with the reasons, and the
listings show them in the item's row."""

from html.parser import HTMLParser

from django.contrib.messages import get_messages
from django.test import TestCase
from django.urls import reverse

from core import roles
from core.factories import UserFactory
from moderation.services import submit_for_moderation
from stories.factories import PatientStoryPageFactory, TestimonialFactory
from stories.tests.utils import SiteTree


class FormValues(HTMLParser):
    """The values a browser would submit from the admin's edit form, as they stand."""

    def __init__(self):
        super().__init__()
        self.data, self._textarea, self._select, self.in_form = {}, None, None, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and "data-edit-form" in attrs:
            self.in_form = True
        if not self.in_form or "name" not in attrs and tag != "option":
            return
        name = attrs.get("name")
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("submit", "button", "file"):
                self.data.setdefault(name, []).append(attrs.get("value") or "")
        elif tag == "textarea":
            self._textarea = name
            self.data[name] = [""]
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.data.setdefault(self._select, []).append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self.in_form = False

    def handle_data(self, data):
        if self._textarea:
            value = self.data[self._textarea]
            value[0] += data if value[0] else data.removeprefix("\n")


def form_values(response):
    parser = FormValues()
    parser.feed(response.content.decode())
    assert parser.data, "no edit form found"
    return parser.data


class SentBackTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        SiteTree.make_tree()
        cls.editor = UserFactory(username="edna", roles=[roles.EDITORS])
        # Pending verification: the automatic check refuses it.
        cls.refused = TestimonialFactory(title="Refused quote", consent__verified_at=None)
        cls.passing = TestimonialFactory(title="Fine quote")

    def setUp(self):
        self.client.force_login(self.editor)

    def submit_in_admin(self, testimonial):
        url = reverse("wagtailsnippets_stories_testimonial:edit", args=[testimonial.pk])
        data = form_values(self.client.get(url))
        data["action-submit"] = ["Submit"]
        return url, self.client.post(url, data)

    def test_a_submission_sent_straight_back_gets_no_success_message_but_the_reasons(self):
        url, response = self.submit_in_admin(self.refused)
        self.assertRedirects(response, url)
        page = self.client.get(url)
        texts = [str(m.message) for m in get_messages(page.wsgi_request)]
        self.assertFalse(
            [t for t in texts if "submitted for moderation" in t],
            "no success message: " + str(texts),
        )
        self.assertContains(page, "Automatic consent check")
        self.assertContains(page, "sent this back for changes")
        self.assertContains(page, "pending verification")

    def test_a_submission_that_passes_the_check_says_it_was_submitted(self):
        _url, response = self.submit_in_admin(self.passing)
        listing = self.client.get(response.url)
        self.assertContains(listing, "submitted for moderation")
        self.assertNotContains(listing, "sent this back")

    def test_the_testimonial_listing_row_says_why(self):
        submit_for_moderation(self.refused, self.editor)
        html = self.client.get(reverse("wagtailsnippets_stories_testimonial:list")).content
        html = html.decode()
        self.assertIn("Sent back because", html)
        row = html[html.index("Refused quote") :]
        self.assertIn("pending verification", row[: row.index("</tr>")])
        row = html[html.index("Fine quote") :]
        self.assertNotIn("pending verification", row[: row.index("</tr>")])

    def test_the_story_listing_row_says_why(self):
        story = PatientStoryPageFactory(
            parent=SiteTree.index, title="Refused story", consent__verified_at=None
        )
        submit_for_moderation(story, self.editor)
        html = self.client.get("/admin/patient_stories/").content.decode()
        row = html[html.index("Refused story") :]
        self.assertIn("pending verification", row[: row.index("</tr>")])
