from django.test import RequestFactory, TestCase

from consent.models import Identifier, MaterialConnection
from stories import blocks, factories
from stories.factories import ActiveConsentFactory
from stories.tests.utils import expire_today, live_testimonial


class TestimonialBlockTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.visible = live_testimonial(
            quote="I can hold my head straight at work again.",
            first_name="Maria",
            last_name="Garcia",
            age=54,
            consent=ActiveConsentFactory(material_connection=MaterialConnection.FREE_CARE),
        )
        cls.draft = factories.TestimonialFactory(quote="Still a draft.")
        cls.block = blocks.TestimonialBlock()

    def test_renders_quote_with_attribution_disclosure_and_notice(self):
        html = self.block.render(self.block.to_python(self.visible.pk))
        self.assertInHTML("<p>I can hold my head straight at work again.</p>", html)
        self.assertIn("Maria G., 54", html)
        self.assertIn("Received treatment at no cost.", html)
        self.assertIn("Individual experiences vary.", html)
        self.assertNotIn("rating", html.lower())

    def test_renders_nothing_for_a_draft(self):
        self.assertEqual(self.block.render(self.block.to_python(self.draft.pk)), "")

    def test_renders_nothing_once_the_consent_expires_before_any_job(self):
        expire_today(self.visible.consent)
        self.assertEqual(self.block.render(self.block.to_python(self.visible.pk)), "")

    def test_preview_explains_the_hidden_testimonial_to_editors(self):
        request = RequestFactory().get("/")
        request.is_preview = True
        html = self.block.render(self.block.to_python(self.draft.pk), {"request": request})
        self.assertIn("hidden from visitors", html)
        self.assertNotIn("Still a draft.", html)

    def test_bulk_to_python_is_one_query_and_keeps_order_and_gaps(self):
        with self.assertNumQueries(1):
            values = self.block.bulk_to_python([self.draft.pk, None, self.visible.pk, 999999])
            attributions = [v.attribution() if v else None for v in values]
        self.assertEqual(
            [v and v.pk for v in values], [self.draft.pk, None, self.visible.pk, None]
        )
        self.assertEqual(attributions[2], "Maria G., 54")
        self.assertEqual([v.visible_now for v in values if v], [False, True])

    def test_api_representation_only_while_visible(self):
        value = self.block.to_python(self.visible.pk)
        self.assertEqual(self.block.get_api_representation(value)["attribution"], "Maria G., 54")
        expire_today(self.visible.consent)
        self.assertIsNone(self.block.get_api_representation(self.block.to_python(self.visible.pk)))

    def test_host_pages_never_index_the_patients_words(self):
        stream = blocks.FeaturedTestimonialsBlock()
        value = stream.to_python([{"type": "testimonial", "value": self.visible.pk}])
        self.assertNotIn("head straight", " ".join(stream.get_searchable_content(value)))

    def test_photo_needs_photo_consent(self):
        consent = ActiveConsentFactory()
        testimonial = factories.TestimonialFactory(
            consent=consent, photo=factories.PatientPhotoFactory(patient=consent.patient)
        )
        self.assertEqual(
            testimonial.publish_problems(), ["The consent does not cover: Photo or face."]
        )
        consent = ActiveConsentFactory(identifiers=[*factories.SHOWN, Identifier.PHOTO])
        covered = factories.TestimonialFactory(
            photo=factories.PatientPhotoFactory(patient=consent.patient), consent=consent
        )
        self.assertEqual(covered.publish_problems(), [])
