"""What every public page carries: the logo and name, search and "Share your story" in
the header, the feed and favicon links in the head, and a footer with the contact
details from the organisation settings and links to the live standard pages."""

import re

from django.core.cache import cache
from django.test import SimpleTestCase, TestCase
from wagtail.models import Site, WorkflowState
from wagtail.test.utils import WagtailPageTestCase

from core.models import OrganisationSettings
from core.templatetags.text_tags import join_present, sentence
from home.models import HomePage, StandardPage
from moderation.testing import publish_through_workflow
from stories.tests.utils import SiteTree, live_story, live_testimonial


def make_standard_page(home, title, slug, live=True):
    page = StandardPage(title=title, slug=slug, body="<p>Words.</p>", live=False)
    home.add_child(instance=page)
    return publish_through_workflow(page) if live else page


class SiteChromeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        SiteTree.make_tree()
        cls.story = live_story(SiteTree.index, title="Turning my head again")
        settings = OrganisationSettings.for_site(Site.objects.get(is_default_site=True))
        settings.phone = "(217) 555-0142"
        settings.email = "hello@clinic.example"
        settings.address = "1200 River Road\nSpringfield, IL 62701"
        settings.save()
        cls.privacy = make_standard_page(SiteTree.home, "Privacy notice", "privacy-notice")
        cls.consent = make_standard_page(
            SiteTree.home, "How consent and withdrawal work", "how-consent-works"
        )
        cls.draft = make_standard_page(SiteTree.home, "Draft statement", "draft", live=False)

    def setUp(self):
        cache.clear()

    def public_pages(self):
        return ["/", SiteTree.index.url, self.story.url, "/search/?q=head", self.privacy.url]

    def test_header_has_logo_search_and_share_your_story_everywhere(self):
        for url in self.public_pages():
            with self.subTest(url=url):
                html = self.client.get(url).content.decode()
                header = html[html.index("<header") : html.index("</header>")]
                self.assertIn('class="brand__mark"', header)
                self.assertIn("Riverside Neurology Clinic", header)
                self.assertRegex(
                    header, r'<form class="header-search" role="search" action="/search/"'
                )
                self.assertIn('name="q"', header)
                self.assertIn('href="/share-your-story/">Share your story</a>', header)

    def test_head_links_the_feeds_and_the_favicon(self):
        html = self.client.get(self.story.url).content.decode()
        self.assertIn(
            '<link rel="alternate" type="application/rss+xml" '
            'title="Patient stories and articles (RSS)" href="/feeds/stories.rss">',
            html,
        )
        self.assertIn('type="application/atom+xml"', html)
        self.assertIn('<link rel="icon" href="/static/images/favicon.svg"', html)
        self.assertEqual(self.client.get("/static/images/favicon.svg").status_code, 200)

    def test_footer_has_contact_and_live_standard_pages_only(self):
        html = self.client.get("/").content.decode()
        footer = html[html.index("<footer") : html.index("</footer>")]
        self.assertIn('<a href="tel:2175550142">(217) 555-0142</a>', footer)
        self.assertIn('href="mailto:hello@clinic.example"', footer)
        self.assertIn("1200 River Road<br>Springfield, IL 62701", footer)
        self.assertIn('<a href="/privacy-notice/">Privacy notice</a>', footer)
        self.assertIn('<a href="/how-consent-works/">How consent and withdrawal work</a>', footer)
        self.assertNotIn("Draft statement", footer)

    def test_a_standard_page_published_later_joins_the_footer_at_once(self):
        self.client.get("/")  # fills the cached footer
        make_standard_page(SiteTree.home, "Accessibility statement", "accessibility")
        self.assertContains(self.client.get("/"), '<a href="/accessibility/">')

    def test_the_story_links_to_how_consent_works(self):
        self.assertContains(
            self.client.get(self.story.url),
            '<a href="/how-consent-works/">How consent and withdrawal work</a>',
        )


class StandardPageTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = HomePage.objects.get()

    def test_goes_under_the_home_page_only(self):
        self.assertCanCreateAt(HomePage, StandardPage)
        self.assertAllowedSubpageTypes(StandardPage, {})

    def test_goes_live_through_the_site_workflow(self):
        page = make_standard_page(self.home, "Privacy notice", "privacy-notice")
        self.assertTrue(page.live)
        state = WorkflowState.objects.get(object_id=str(page.pk))
        self.assertEqual(state.status, WorkflowState.STATUS_APPROVED)
        self.assertPageIsRenderable(page)
        response = self.client.get(page.url)
        self.assertContains(response, "<h1>Privacy notice</h1>", html=True)


class StoryListingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        from taxonomy.factories import ConditionFactory

        SiteTree.make_tree()
        dystonia = ConditionFactory(name="Cervical dystonia", slug="cervical-dystonia")
        cls.stories = [
            live_story(SiteTree.index, title=f"Story {n}", condition=dystonia) for n in range(3)
        ]
        testimonial = live_testimonial(quote="My neck is calm at last.")
        index = SiteTree.index
        index.featured = [("testimonial", testimonial)]
        publish_through_workflow(index)

    def test_stories_come_before_the_featured_testimonials(self):
        html = self.client.get(SiteTree.index.url).content.decode()
        self.assertIn("My neck is calm at last.", html)
        self.assertLess(html.index("Story 0"), html.index("My neck is calm at last."))

    def test_filters_show_how_many_stories_each_option_has(self):
        response = self.client.get(SiteTree.index.url)
        self.assertContains(response, "Cervical dystonia (3)</option>")


class CaptionTests(SimpleTestCase):
    def test_empty_parts_leave_no_stray_punctuation(self):
        self.assertEqual(join_present(" · ", "Maria G., 54", None, ""), "Maria G., 54")
        self.assertEqual(join_present(" · ", "", "Botox"), "Botox")
        self.assertEqual(join_present(", ", ", 54", "Botox"), "54, Botox")
        self.assertEqual(join_present(", ", None, ""), "")

    def test_a_disclosure_ends_in_one_full_stop(self):
        self.assertEqual(
            sentence("received treatment at no cost"), "Received treatment at no cost."
        )
        self.assertEqual(sentence("Works for the clinic."), "Works for the clinic.")
        self.assertEqual(sentence("  "), "")


class NoStrayPunctuationInPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        SiteTree.make_tree()
        cls.story = live_story(SiteTree.index, title="No treatment named", treatment=None)

    def test_a_story_without_a_treatment_has_no_dangling_separator(self):
        for url in [SiteTree.index.url, self.story.url]:
            html = self.client.get(url).content.decode()
            bylines = re.findall(r'class="story(?:-card)?__byline">([^<]*)<', html)
            self.assertTrue(bylines, url)
            for byline in bylines:
                self.assertNotRegex(byline, r"(^\s*[·,])|([·,]\s*$)", url)
