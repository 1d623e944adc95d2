from django.test import TestCase
from django.urls import reverse

from consent.models import Consent
from core.factories import UserFactory
from core.roles import CONSENT_OFFICERS, EDITORS
from stories import factories
from stories.tests.utils import SiteTree, expire_today, live_story, live_testimonial


class AdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        SiteTree.make_tree()
        cls.testimonial = live_testimonial(title="Live and well", quote="Much better now.")
        cls.expiring = live_testimonial(title="About to expire")
        cls.story = live_story(SiteTree.index, title="A year of treatment")
        cls.editor = UserFactory(username="writer", roles=[EDITORS])
        cls.officer = UserFactory(username="checker", roles=[CONSENT_OFFICERS])

    def test_testimonial_listing_shows_consent_status(self):
        expire_today(self.expiring.consent)
        self.client.force_login(self.editor)
        response = self.client.get(reverse("wagtailsnippets_stories_testimonial:list"))
        self.assertContains(response, "Consent")
        html = response.content.decode()
        row = html[html.index("About to expire") :]
        self.assertIn("Expired", row[: row.index("</tr>")])
        row = html[html.index("Live and well") :]
        self.assertIn("Active", row[: row.index("</tr>")])

    def test_story_listing_shows_consent_status(self):
        self.client.force_login(self.editor)
        response = self.client.get("/admin/patient_stories/")
        self.assertContains(response, "A year of treatment")
        self.assertRegex(response.content.decode(), r'w-status--primary">\s*Active')

    def test_edit_view_shows_the_approval_diff(self):
        self.client.force_login(self.editor)
        draft = factories.TestimonialFactory(
            quote="It helped me a great deal.", approved_text="It helped me."
        )
        url = reverse("wagtailsnippets_stories_testimonial:edit", args=[draft.pk])
        response = self.client.get(url)
        # Word by word: "me." became "me a great deal."
        self.assertContains(response, "<span>It helped</span>", html=True)
        self.assertInHTML(
            '<del class="stories-diff__deleted"><span class="w-sr-only">[removed: </span>me.'
            '<span class="w-sr-only">]</span></del>',
            response.content.decode(),
        )
        self.assertInHTML(
            '<ins class="stories-diff__inserted"><span class="w-sr-only">[added: </span>'
            'me a great deal.<span class="w-sr-only">]</span></ins>',
            response.content.decode(),
        )
        self.assertContains(response, "FTC 16 CFR 255.1")

    def test_a_quote_only_rewrapped_shows_no_difference(self):
        self.client.force_login(self.editor)
        draft = factories.TestimonialFactory(
            quote="It helped me\na great deal.", approved_text="It helped me a  great deal."
        )
        url = reverse("wagtailsnippets_stories_testimonial:edit", args=[draft.pk])
        response = self.client.get(url)
        self.assertContains(response, "The quoted words match the text the patient approved.")
        self.assertNotContains(response, "stories-diff__")

    def test_testimonial_listing_has_human_column_names_and_dates(self):
        self.client.force_login(self.editor)
        response = self.client.get(reverse("wagtailsnippets_stories_testimonial:list"))
        self.assertNotContains(response, "Status string")
        self.assertNotContains(response, "Just now")
        expires = self.testimonial.consent.expires_on
        self.assertContains(response, f"{expires:%b %-d, %Y}, in ")

    def test_report_lists_live_content_for_consent_officers_only(self):
        url = reverse("stories_live_content_report")
        self.client.force_login(self.editor)
        refused = self.client.get(url)
        self.assertIn(refused.status_code, (302, 403))  # Wagtail redirects admin refusals
        self.assertNotContains(refused, "Live and well", status_code=refused.status_code)
        self.client.force_login(self.officer)
        response = self.client.get(url)
        self.assertContains(response, "Live and well")
        self.assertContains(response, "A year of treatment")
        consent = Consent.objects.get(pk=self.story.consent_id)
        self.assertContains(response, consent.get_identifiers_display())
        self.assertContains(response, "Website")

    def test_dashboard_shows_recent_takedowns(self):
        with self.captureOnCommitCallbacks(execute=True):
            Consent.objects.get(pk=self.testimonial.consent_id).withdraw("patient_link")
        self.client.force_login(self.editor)
        response = self.client.get(reverse("wagtailadmin_home"))
        self.assertContains(response, "Patient content taken down in the last 7 days")
        self.assertContains(response, "Live and well")
