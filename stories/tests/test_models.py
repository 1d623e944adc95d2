import datetime

from django.core.exceptions import ValidationError
from django.test import TestCase
from django.utils import timezone
from wagtail.models import ModelLogEntry, Site

from consent.models import AttributionStyle, Consent, Identifier, MaterialConnection, Patient
from core.models import Jurisdiction, OrganisationSettings
from moderation.publishing import PUBLISH_REFUSED, PublishRefused
from moderation.testing import WorkflowNotApproved, publish_through_workflow
from stories import factories, models
from stories.factories import ActiveConsentFactory, PatientStoryPageFactory, story_body
from stories.models import PatientStoryPage
from stories.tests.utils import SiteTree, expire_today


# A TestCase: building a page reads its content type, which only a warm cache (left by
# whichever migration ran last) would spare.
class AttributionTests(TestCase):
    def make(self, **kwargs):
        today = timezone.localdate()
        patient = Patient(
            first_name="Maria",
            last_name="Garcia",
            date_of_birth=today.replace(year=today.year - 54) - datetime.timedelta(days=1),
            town="Leeds",
        )
        return models.Testimonial(consent=Consent(patient=patient), **kwargs)

    def test_each_style(self):
        cases = {
            AttributionStyle.FULL_NAME: "Maria Garcia, 54",
            AttributionStyle.FIRST_NAME_INITIAL: "Maria G., 54",
            AttributionStyle.INITIALS: "M. G., 54",
            AttributionStyle.ANONYMOUS: "a patient, 54",
        }
        for style, expected in cases.items():
            with self.subTest(style=style):
                self.assertEqual(
                    self.make(attribution_style=style, show_age=True).attribution(), expected
                )

    def test_town_without_age_reads_as_a_phrase(self):
        anonymous = self.make(attribution_style=AttributionStyle.ANONYMOUS, show_town=True)
        self.assertEqual(anonymous.attribution(), "a patient from Leeds")

    def test_shown_identifiers_follow_the_fields(self):
        testimonial = self.make(
            attribution_style=AttributionStyle.INITIALS,
            show_town=True,
            photo_id=3,
            condition_id=1,
        )
        self.assertEqual(
            set(testimonial.shown_identifiers()),
            {Identifier.INITIALS, Identifier.TOWN, Identifier.PHOTO, Identifier.CONDITION},
        )
        self.assertEqual(self.make().shown_identifiers(), [])

    def test_story_body_photo_and_video_count_as_shown(self):
        story = PatientStoryPage(
            body=[
                *story_body(),
                {"type": "video", "value": "https://www.youtube.com/watch?v=abc"},
            ]
        )
        self.assertIn(Identifier.VOICE_VIDEO, story.shown_identifiers())
        self.assertNotIn(Identifier.PHOTO, story.shown_identifiers())
        story.hero_image_id = 1
        self.assertIn(Identifier.PHOTO, story.shown_identifiers())


class PublishProblemTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        SiteTree.make_tree()
        cls.home, cls.index = SiteTree.home, SiteTree.index

    def test_covered_testimonial_has_no_problems(self):
        self.assertEqual(factories.TestimonialFactory().publish_problems(), [])

    def test_names_each_identifier_the_consent_does_not_cover(self):
        testimonial = factories.TestimonialFactory(
            town="Leeds", attribution_style=AttributionStyle.FULL_NAME
        )
        problems = testimonial.publish_problems()
        self.assertEqual(problems, ["The consent does not cover: Full name, Town."])

    def test_pending_consent_is_refused(self):
        testimonial = factories.TestimonialFactory(consent=ActiveConsentFactory(verified_at=None))
        self.assertEqual(
            testimonial.publish_problems(),
            ["The patient's consent is pending verification, not active."],
        )

    def test_edited_quote_needs_re_approval(self):
        testimonial = factories.TestimonialFactory(
            quote="It helped.", approved_text="It helped a lot."
        )
        [problem] = testimonial.publish_problems()
        self.assertIn("FTC 16 CFR 255.1", problem)
        # Layout is not wording: line breaks and spacing may change freely.
        testimonial.quote = "It helped\n   a lot."
        self.assertEqual(testimonial.publish_problems(), [])

    def test_story_pull_quote_must_be_in_the_approved_text(self):
        story = PatientStoryPageFactory(
            parent=self.index, body=story_body("I could turn my head again.")
        )
        [problem] = story.publish_problems()
        self.assertIn("“I could turn my head again.”", problem)
        story.approved_text = "After two sessions I could turn my head again. Truly."
        self.assertEqual(story.publish_problems(), [])

    def test_prescription_medicine_refused_on_a_uk_site(self):
        from taxonomy.factories import TreatmentFactory

        settings = OrganisationSettings.for_site(Site.objects.get(is_default_site=True))
        settings.jurisdiction = Jurisdiction.UK
        settings.save()
        consent = ActiveConsentFactory(
            identifiers=[Identifier.FIRST_NAME_INITIAL, Identifier.AGE, Identifier.TREATMENT]
        )
        testimonial = factories.TestimonialFactory(
            consent=consent, treatment=TreatmentFactory(prescription=True, name="Relaxafen")
        )
        [problem] = testimonial.publish_problems()
        self.assertIn("“Relaxafen” is a prescription-only medicine", problem)

    def test_workflow_sends_back_content_whose_consent_does_not_cover_it(self):
        testimonial = factories.TestimonialFactory(town="Leeds")
        with self.assertRaisesMessage(WorkflowNotApproved, "The consent does not cover: Town."):
            publish_through_workflow(testimonial)
        testimonial.refresh_from_db()
        self.assertFalse(testimonial.live)

    def test_direct_publish_is_refused_and_logged(self):
        testimonial = factories.TestimonialFactory(consent=ActiveConsentFactory(verified_at=None))
        revision = testimonial.save_revision()
        with self.assertRaises(PublishRefused) as raised:
            revision.publish()
        self.assertIn(
            "The patient's consent is pending verification, not active.", raised.exception.reasons
        )
        testimonial.refresh_from_db()
        self.assertFalse(testimonial.live)
        entry = ModelLogEntry.objects.get(action=PUBLISH_REFUSED, object_id=str(testimonial.pk))
        self.assertIn(
            "The patient's consent is pending verification, not active.", entry.data["reasons"]
        )

    def test_consent_expiring_during_review_stops_the_publish(self):
        story = PatientStoryPageFactory(parent=self.index)
        expire_today(story.consent)
        with self.assertRaisesMessage(WorkflowNotApproved, "expired, not active"):
            publish_through_workflow(story)
        self.assertFalse(PatientStoryPage.objects.get(pk=story.pk).live)

    def test_live_story_through_the_workflow(self):
        story = publish_through_workflow(PatientStoryPageFactory(parent=self.index))
        self.assertTrue(story.live)
        self.assertEqual(list(PatientStoryPage.objects.visible()), [story])


class DisclosureTests(TestCase):
    def test_material_connection_disclosed(self):
        consent = ActiveConsentFactory(material_connection=MaterialConnection.FREE_CARE)
        self.assertEqual(
            factories.TestimonialFactory(consent=consent).material_connection_disclosure(),
            "Received treatment at no cost",
        )
        self.assertEqual(factories.TestimonialFactory().material_connection_disclosure(), "")

    def test_verified_consent_listing_annotation_matches_the_model(self):
        testimonial = factories.TestimonialFactory()
        expire_today(testimonial.consent)
        annotated = models.Testimonial.objects.with_consent_status().get(pk=testimonial.pk)
        self.assertEqual(annotated.consent_status, Consent.objects.get().status)
        self.assertEqual(annotated.consent_status, "expired")


class HeroImageAltTests(TestCase):
    def test_a_story_hero_needs_alt_text(self):
        story = PatientStoryPage(title="t", slug="t", hero_image_id=1)
        with self.assertRaises(ValidationError) as raised:
            story.clean()
        self.assertIn("hero_image_alt", raised.exception.message_dict)
