"""The consent rule's two forms agree: what listings select in SQL (``visible()``) is
exactly what the Python check passes for each item in hand (``may_show``), for random
consents (status and coverage) and random content, on each channel and at any moment."""

import datetime

from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from consent import rules
from consent.factories import ConsentFactory, PatientFactory
from consent.models import AttributionStyle, Consent
from consent.rules import Channel, Identifier, Status
from stories.models import PatientStoryPage, Testimonial
from stories.models.patient_content import visible_q
from stories.tests.utils import SiteTree, live_story, live_testimonial
from taxonomy.factories import ConditionFactory

DAY = datetime.timedelta(days=1)

# Mostly in effect, so that coverage (not only status) decides many of the cases.
mostly = st.sampled_from([True, True, True, False])
rarely = st.sampled_from([False, False, False, True])

consents = st.fixed_dictionaries(
    {
        "verified": mostly,
        "withdrawn": rarely,
        "superseded": rarely,
        "expires_in_days": st.integers(min_value=-1, max_value=3),
        "identifiers": st.sets(st.sampled_from(Identifier.values)),
        "channels": st.sets(st.sampled_from(Channel.values), min_size=1),
    }
)
content = st.fixed_dictionaries(
    {
        "live": mostly,
        "style": st.sampled_from(AttributionStyle.values),
        "age": st.booleans(),
        "town": st.booleans(),
        "condition": st.booleans(),
    }
)


class ConsentRuleAgreementTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.condition = ConditionFactory()

    def make_consent(self, spec, at):
        signed = at - 30 * DAY
        consent = ConsentFactory(
            signed_at=signed,
            expires_on=timezone.localdate(at) + spec["expires_in_days"] * DAY,
            identifiers=sorted(spec["identifiers"]),
            channels=sorted(spec["channels"]),
            verified_at=signed if spec["verified"] else None,
            withdrawn_at=at - DAY if spec["withdrawn"] else None,
        )
        if spec["superseded"]:
            ConsentFactory(patient=consent.patient, supersedes=consent, verified_at=signed)
        return consent

    def make_item(self, spec, consent):
        item = Testimonial(
            title="T",
            quote="Words",
            approved_text="Words",
            consent=consent,
            attribution_style=spec["style"],
            show_age=spec["age"],
            show_town=spec["town"],
            condition=self.condition if spec["condition"] else None,
            live=False,
        )
        item.save()
        # Straight to the row: this test is about reading, not the publish gate.
        Testimonial.objects.filter(pk=item.pk).update(live=spec["live"])
        return item

    @settings(max_examples=60, deadline=None)
    @given(
        pairs=st.lists(st.tuples(consents, content), min_size=1, max_size=4),
        offset_days=st.integers(min_value=-1, max_value=1),
        channel=st.sampled_from([Channel.WEBSITE, Channel.SOCIAL_MEDIA]),
    )
    def test_sql_and_python_forms_agree(self, pairs, offset_days, channel):
        at = timezone.now() + offset_days * DAY
        for consent_spec, item_spec in pairs:
            self.make_item(item_spec, self.make_consent(consent_spec, at))

        selected = set(
            Testimonial.objects.filter(visible_q(at, channel)).values_list("pk", flat=True)
        )
        passed = {
            item.pk
            for item in Testimonial.objects.select_related("consent")
            if item.may_show(at=at, channel=channel)
        }
        self.assertEqual(selected, passed)

    @settings(max_examples=25, deadline=None)
    @given(specs=st.lists(consents, min_size=1, max_size=4))
    def test_status_in_sql_agrees_with_status_in_python(self, specs):
        at = timezone.now()
        made = [self.make_consent(spec, at) for spec in specs]
        for consent in made:
            consent.refresh_from_db()
            status = rules.status_of(consent, at)
            for each in Status:
                matched = type(consent).objects.with_status(each, at=at).filter(pk=consent.pk)
                self.assertEqual(matched.exists(), each == status, (each, status))


class ConsentRuleTests(TestCase):
    def test_coverage_counts_every_identifier_and_the_channel(self):
        consent = ConsentFactory(
            identifiers=[Identifier.AGE], channels=[Channel.WEBSITE], verified_at=timezone.now()
        )
        self.assertTrue(rules.may_show(consent, [Identifier.AGE]))
        self.assertEqual(
            rules.problems(consent, [Identifier.AGE, Identifier.TOWN]),
            ["The consent does not cover: Town."],
        )
        self.assertEqual(
            rules.problems(consent, [Identifier.AGE], Channel.SOCIAL_MEDIA),
            ["The consent does not cover the channel: Social media."],
        )

    def test_a_pending_consent_shows_nothing(self):
        consent = ConsentFactory(patient=PatientFactory())
        self.assertEqual(
            rules.problems(consent, []),
            ["The patient's consent is pending verification, not active."],
        )


class ConsentRuleInEveryStateTests(TestCase):
    """The SQL forms (``visible()``, the status column, the superseded mark) give the
    Python form's answer for a consent in each state, on a page model (its consent
    reached through a join) and a snippet, and when the query is nested in another."""

    @classmethod
    def setUpTestData(cls):
        SiteTree.make_tree()
        now = timezone.now()
        today = timezone.localdate(now)
        states = {
            "active": {},
            "expires tomorrow": {"expires_on": today + DAY},
            "expires today": {"expires_on": today},
            "expired": {"expires_on": today - DAY},
            "withdrawn": {"withdrawn_at": now - DAY},
            "pending": {"verified_at": None},
            "withdrawn and pending": {"withdrawn_at": now - DAY, "verified_at": None},
            "superseded": {},
            "superseded by a pending consent": {},
            "superseded and expired": {"expires_on": today - DAY},
        }
        cls.stories, cls.testimonials = [], []
        for name, facts in states.items():
            story = live_story(SiteTree.index, title=f"Story {name}")
            testimonial = live_testimonial(title=f"Testimonial {name}")
            for item in (story, testimonial):
                Consent.objects.filter(pk=item.consent_id).update(**facts)
                if name.startswith("superseded"):
                    verified = None if "pending" in name else now
                    ConsentFactory(
                        patient=item.consent.patient, supersedes=item.consent, verified_at=verified
                    )
            cls.stories.append(story)
            cls.testimonials.append(testimonial)

    def shown_in_python(self, items):
        return {item.pk for item in items if item.may_show()}

    def test_visible_is_what_the_python_form_allows(self):
        for model, items in [(PatientStoryPage, self.stories), (Testimonial, self.testimonials)]:
            with self.subTest(model=model.__name__):
                items = model.objects.filter(pk__in=[i.pk for i in items]).select_related(
                    "consent"
                )
                allowed = self.shown_in_python(items)
                # Active, expiring tomorrow, and superseded by a consent not yet verified.
                self.assertEqual(len(allowed), 3)
                visible = model.objects.visible()
                self.assertEqual(set(visible.values_list("pk", flat=True)), allowed)
                # Nested: the rule's columns then name the inner query's aliases.
                nested = model.objects.filter(pk__in=visible.values("pk"))
                self.assertEqual(set(nested.values_list("pk", flat=True)), allowed)
                hidden = model.objects.exclude(pk__in=visible.values("pk"))
                self.assertEqual(
                    set(hidden.values_list("pk", flat=True)), {i.pk for i in items} - allowed
                )

    def test_status_column_and_filters_are_the_python_status(self):
        for model, items in [(PatientStoryPage, self.stories), (Testimonial, self.testimonials)]:
            for item in model.objects.filter(pk__in=[i.pk for i in items]).with_consent_status():
                with self.subTest(item=item.title):
                    consent = Consent.objects.get(pk=item.consent_id)
                    self.assertEqual(item.consent_status, rules.status_of(consent))
        seen = set()
        for consent in Consent.objects.all():
            status = rules.status_of(consent)
            seen.add(status)
            for each in Status:
                matched = Consent.objects.with_status(each).filter(pk=consent.pk).exists()
                self.assertEqual(matched, each == status, (consent.pk, each, status))
        self.assertEqual(seen, set(Status))

    def test_superseded_mark_is_the_python_one(self):
        for story in self.stories:
            with self.subTest(story=story.title):
                marked = (
                    PatientStoryPage.objects.filter(pk=story.pk)
                    .annotate(superseded=rules.superseded_exists("consent__"))
                    .get()
                )
                self.assertEqual(marked.superseded, marked.consent.is_superseded)
