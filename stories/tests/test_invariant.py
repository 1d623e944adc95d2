"""The consent invariant, tried against random sequences of what editors, reviewers,
consent officers and patients do (hypothesis stateful testing).

After every step, every public surface is read over HTTP, and anything that quotes a
patient there must rest on a consent that is, by its own recorded facts, active now and
covering every identifier shown. The check reads the consent rows directly rather than
calling the code under test.
"""

import contextlib
import itertools

from django.core.management import call_command
from django.db import transaction
from django.test import TestCase
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from consent.factories import ConsentFactory
from consent.models import Consent, Identifier
from consent.tokens import withdrawal_url
from core import roles
from core.factories import SuperuserFactory, UserFactory
from moderation.publishing import PublishRefused
from moderation.testing import WorkflowNotApproved, publish_through_workflow
from stories.factories import PatientStoryPageFactory, TestimonialFactory
from stories.models import PatientStoryPage, Testimonial
from stories.tests.utils import SiteTree

SHOWABLE = [Identifier.FIRST_NAME_INITIAL, Identifier.AGE, Identifier.CONDITION, Identifier.TOWN]
# Half the consents cover everything, so that content often does go live.
IDENTIFIER_SETS = st.one_of(st.just(set(SHOWABLE)), st.sets(st.sampled_from(SHOWABLE)))
serial = itertools.count()


def consent_allows(consent_pk, shown):
    """Independent reading of DOMAIN.md's rule from the stored consent facts."""
    consent = Consent.objects.get(pk=consent_pk)
    superseded = Consent.objects.filter(supersedes=consent, verified_at__isnull=False).exists()
    return (
        consent.verified_at is not None
        and consent.withdrawn_at is None
        and consent.expires_on > timezone.localdate()
        and not superseded
        and "website" in consent.channels
        and set(shown) <= set(consent.identifiers)
    )


class ConsentMachine(RuleBasedStateMachine):
    sightings = set()  # surfaces where consented content was seen: the runs reach them
    consents = Bundle("consents")
    items = Bundle("items")

    def __init__(self):
        super().__init__()
        # Each run starts from the class's fixtures and is rolled back afterwards.
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.case = ConsentMachine.case
        self.client = self.case.client_class()
        self.markers = {}  # item key -> (model, pk, unique marker text)

    def teardown(self):
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    @initialize(target=consents)
    def start_with_live_content(self):
        # Every run starts with a story and a testimonial live on a full consent, so the
        # random actions below always have published words to act on.
        consent = self.record_consent(set(SHOWABLE), verified=True)
        for write in (self.write_story, self.write_testimonial):
            key = write(consent) if write == self.write_story else write(consent, town=False)
            self.submit_and_approve(key)
        return consent

    # -- Consent officers and patients ----------------------------------------------

    @rule(target=consents, identifiers=IDENTIFIER_SETS, verified=st.booleans())
    def record_consent(self, identifiers, verified):
        consent = ConsentFactory(identifiers=sorted(identifiers), obtained_by=None)
        if verified:
            consent.verify(self.case.officer)
        return consent.pk

    @rule(consent=consents)
    def verify(self, consent):
        consent = Consent.objects.get(pk=consent)
        pending = consent.verified_at is None and consent.withdrawn_at is None
        if pending and consent.expires_on > timezone.localdate():
            consent.verify(self.case.officer)

    @rule(consent=consents)
    def officer_withdraws(self, consent):
        Consent.objects.get(pk=consent).withdraw(
            channel=Consent.WithdrawalChannel.PHONE, user=self.case.officer
        )

    @rule(consent=consents)
    def patient_clicks_withdraw(self, consent):
        url = withdrawal_url(Consent.objects.get(pk=consent))
        response = self.client.post(url.replace("http://testserver", ""))
        assert response.status_code == 302, (
            response.status_code
        )  # back to the page, which says it is done

    @rule(target=consents, old=consumes(consents), identifiers=IDENTIFIER_SETS)
    def supersede(self, old, identifiers):
        old = Consent.objects.get(pk=old)
        new = ConsentFactory(
            patient=old.patient, supersedes=old, identifiers=sorted(identifiers), obtained_by=None
        )
        if old.withdrawn_at is None and old.verified_at is not None:
            new.verify(self.case.officer)
        return new.pk

    @rule(consent=consents)
    def clock_passes_expiry(self, consent):
        # Time passes: the expiry date arrives and no job has run yet.
        Consent.objects.filter(pk=consent).update(expires_on=timezone.localdate())

    @rule()
    def scheduler_runs(self):
        call_command("enforce_consent", verbosity=0)

    # -- Editors and reviewers ------------------------------------------------------

    @rule(target=items, consent=consents, town=st.booleans())
    def write_testimonial(self, consent, town):
        marker = f"Quotemarker{next(serial)}"
        testimonial = TestimonialFactory(
            consent_id=consent,
            title=marker,
            quote=f"{marker} my neck finally let go.",
            approved_text=f"{marker} my neck finally let go.",
            town="Leeds" if town else "",
        )
        self.feature(testimonial)
        self.markers[("t", testimonial.pk)] = (Testimonial, testimonial.pk, marker)
        return ("t", testimonial.pk)

    @rule(target=items, consent=consents)
    def write_story(self, consent):
        marker = f"Storymarker{next(serial)}"
        story = PatientStoryPageFactory(
            parent=self.case.index, consent_id=consent, title=marker, summary=f"{marker} summary"
        )
        self.markers[("s", story.pk)] = (PatientStoryPage, story.pk, marker)
        return ("s", story.pk)

    def feature(self, testimonial):
        # The story listing embeds every testimonial written (a live, unmoderated page).
        index = type(self.case.index).objects.get(pk=self.case.index.pk)
        index.featured.append(("testimonial", testimonial))
        publish_through_workflow(index)

    @rule(item=items)
    def submit_and_approve(self, item):
        model, pk, _ = self.markers[item]
        with contextlib.suppress(WorkflowNotApproved, PublishRefused):
            publish_through_workflow(model.objects.get(pk=pk))

    @rule(item=items)
    def superuser_publishes_directly(self, item):
        model, pk, _ = self.markers[item]
        obj = model.objects.get(pk=pk)
        revision = obj.save_revision(user=self.case.superuser)
        try:
            revision.publish(user=self.case.superuser)
        except PublishRefused:
            return
        raise AssertionError("a direct publish went through")

    @rule(item=items)
    def editor_edits_the_quote(self, item):
        model, pk, marker = self.markers[item]
        obj = model.objects.get(pk=pk)
        if model is Testimonial:
            obj.quote = f"{marker} it was a miracle cure."  # no longer what was approved
        obj.save_revision(user=self.case.editor)

    # -- The invariant ----------------------------------------------------------------

    @invariant()
    def public_surfaces_show_only_consented_words(self):
        surfaces = {
            "story listing": self.client.get(self.case.index.url).content.decode(),
            "testimonial listing": self.client.get(
                self.case.testimonial_index.url
            ).content.decode(),
            "sitemap": self.client.get("/sitemap.xml").content.decode(),
            "feed": self.client.get("/feeds/stories.rss").content.decode(),
            "API stories": self.client.get(
                "/api/v2/pages/?type=stories.PatientStoryPage&fields=summary&limit=50"
            ).content.decode(),
            "API testimonials": self.client.get("/api/v2/testimonials/?limit=50").content.decode(),
            # Words every story summary and quote holds (the page echoes the query itself).
            "story search": self.client.get("/search/", {"q": "summary"}).content.decode(),
            "testimonial search": self.client.get("/search/", {"q": "neck"}).content.decode(),
        }
        for (kind, pk), (model, _, marker) in self.markers.items():
            obj = model.objects.get(pk=pk)
            allowed = consent_allows(obj.consent_id, obj.shown_identifiers())
            pages = dict(surfaces)
            if kind == "s":
                response = self.client.get(obj.url or f"/stories/{obj.slug}/")
                pages["story page"] = (
                    response.content.decode() if response.status_code == 200 else ""
                )
            for surface, html in pages.items():
                if marker in html:
                    assert allowed, f"{marker} shown on the {surface} without a valid consent"
                    ConsentMachine.sightings.add((kind, surface))


class ConsentInvariantTests(SiteTree, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.make_tree()
        cls.editor = UserFactory(username="inv-editor", roles=[roles.EDITORS])
        cls.officer = UserFactory(username="inv-officer", roles=[roles.CONSENT_OFFICERS])
        cls.superuser = SuperuserFactory(username="inv-root")

    def test_random_sequences_of_actions_never_break_the_invariant(self):
        ConsentMachine.case = self
        run_state_machine_as_test(
            ConsentMachine,
            settings=settings(
                max_examples=10,
                stateful_step_count=12,
                deadline=None,
                suppress_health_check=list(HealthCheck),
                derandomize=True,
            ),
        )
        # Not vacuous: the random runs did publish content that visitors could see.
        self.assertTrue(
            {
                ("s", "story page"),
                ("s", "story listing"),
                ("s", "story search"),
                ("t", "story listing"),
                ("t", "API testimonials"),
            }
            <= ConsentMachine.sightings,
            ConsentMachine.sightings,
        )
