"""Coverage is checked on every public surface, not only the page: an item that shows an
identifier its consent does not cover (here: the patient's town) is on none of them,
while an item of the same kind that is covered stays everywhere."""

from django.test import TestCase

from consent.models import Consent, Identifier
from home.models import HomePage
from moderation.testing import publish_through_workflow
from stories.factories import SHOWN, ActiveConsentFactory
from stories.tests.utils import SiteTree, live_story, live_testimonial
from taxonomy.factories import ConditionFactory

WITH_TOWN = [*SHOWN, Identifier.TOWN]


class CoverageOnEverySurfaceTests(SiteTree, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.make_tree()
        cls.condition = ConditionFactory(name="Cervical dystonia", slug="cervical-dystonia")
        # Two patients, both consenting to their town at first; each shows it.
        cls.covered = ActiveConsentFactory(identifiers=WITH_TOWN)
        cls.narrowed = ActiveConsentFactory(identifiers=WITH_TOWN)
        testimonials = []
        for consent, name in ((cls.covered, "Covered"), (cls.narrowed, "Narrowed")):
            live_story(
                cls.index,
                consent=consent,
                show_town=True,
                condition=cls.condition,
                title=f"{name} story",
                summary=f"{name} summary about neck pain",
                slug=name.lower(),
            )
            testimonial = live_testimonial(
                consent=consent,
                show_town=True,
                title=f"{name} testimonial",
                quote=f"{name} quote about neck pain",
                approved_text=f"{name} quote about neck pain",
            )
            testimonials.append(testimonial)
            cls.index.featured.append(("testimonial", testimonial))
        publish_through_workflow(cls.index)
        home = HomePage.objects.get()
        home.featured_stories = [("story", s) for s in cls.index.get_children().specific()]
        home.featured_testimonials = [("testimonial", t) for t in testimonials]
        publish_through_workflow(home)
        # The consent now covers less than the content shows (a row changed under us;
        # nothing re-checks the content at this moment but the reading rule).
        Consent.objects.filter(pk=cls.narrowed.pk).update(identifiers=SHOWN)

    def surfaces(self):
        return {
            "home": "/",
            "story listing": self.index.url,
            "filtered listing": f"{self.index.url}?condition={self.condition.slug}",
            "testimonial listing": self.testimonial_index.url,
            "search": "/search/?q=neck",
            "story feed": "/feeds/stories.rss",
            "API stories": "/api/v2/pages/?type=stories.PatientStoryPage&fields=summary",
            "API testimonials": "/api/v2/testimonials/",
            "sitemap": "/sitemap.xml",
        }

    def test_an_uncovered_identifier_keeps_the_item_off_every_surface(self):
        seen_covered = set()
        for surface, url in self.surfaces().items():
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, surface)
            html = response.content.decode()
            self.assertNotIn("Narrowed", html, surface)
            self.assertNotIn("/narrowed/", html, surface)
            if "Covered" in html or "/covered/" in html:
                seen_covered.add(surface)
        # Not vacuous: the covered twin is on every surface.
        self.assertEqual(seen_covered, set(self.surfaces()))

    def test_the_page_itself_is_gone(self):
        self.assertEqual(self.client.get(self.index.url + "narrowed/").status_code, 404)
        self.assertEqual(self.client.get(self.index.url + "covered/").status_code, 200)
