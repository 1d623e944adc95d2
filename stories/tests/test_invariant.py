"""The consent invariant, tried against random sequences of what editors, reviewers,
consent officers and patients do (hypothesis stateful testing).

After every step, every public surface is read over HTTP, and anything that quotes a
patient there must rest on a consent that is, by its own recorded facts, active now and
covering every identifier shown. Every patient photo URL ever seen on a page (and each
photo's original) is fetched too: it answers only while a live item showing that photo
rests on such a consent. The check reads the consent rows directly rather than calling
the code under test.
"""

import contextlib
import itertools
import re
import time
from unittest import mock

from django.core.cache import cache
from django.core.exceptions import ValidationError
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
from core import pagecache, roles
from core.factories import SuperuserFactory, UserFactory
from moderation.publishing import PublishRefused
from moderation.testing import WorkflowNotApproved, publish_through_workflow
from stories.factories import PatientPhotoFactory, PatientStoryPageFactory, TestimonialFactory
from stories.models import PatientPhotoRendition, PatientStoryPage, Testimonial
from stories.tests.utils import SiteTree

SHOWABLE = [
    Identifier.FIRST_NAME_INITIAL,
    Identifier.AGE,
    Identifier.CONDITION,
    Identifier.TOWN,
    Identifier.PHOTO,
]
PHOTO_URL = re.compile(r"/patient-media/[^\"'\s,)]+")
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
        self.photo_urls = set()  # every patient photo URL a page has shown so far
        # The page cache is on (core.pagecache): each run starts with it empty, at the
        # real time; ``clock_passes_expiry`` moves its clock.
        cache.delete(pagecache.GENERATION_KEY)
        ConsentMachine.clock_offset = 0.0

    def teardown(self):
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    @initialize(target=consents)
    def start_with_live_content(self):
        # Every run starts with a story and a testimonial live on a full consent, so the
        # random actions below always have published words to act on.
        consent = self.record_consent(set(SHOWABLE), verified=True)
        self.submit_and_approve(self.write_story(consent, photo=True))
        self.submit_and_approve(self.write_testimonial(consent, town=False, photo=True))
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
        # Time passes: the expiry date arrives and no job has run yet. For the page
        # cache the clock moves past the midnight that date begins at: no purge is sent,
        # copies die by their consent bound alone.
        Consent.objects.filter(pk=consent).update(expires_on=timezone.localdate())
        midnight = pagecache.next_midnight(pagecache.now())
        ConsentMachine.clock_offset = midnight + 1 - time.time()

    @rule()
    def scheduler_runs(self):
        call_command("enforce_consent", verbosity=0)

    # -- Editors and reviewers ------------------------------------------------------

    def photo_of(self, consent):
        return PatientPhotoFactory(patient=Consent.objects.get(pk=consent).patient)

    @rule(target=items, consent=consents, town=st.booleans(), photo=st.booleans())
    def write_testimonial(self, consent, town, photo):
        marker = f"Quotemarker{next(serial)}"
        testimonial = TestimonialFactory(
            consent_id=consent,
            title=marker,
            quote=f"{marker} my neck finally let go.",
            approved_text=f"{marker} my neck finally let go.",
            show_town=town,
            photo=self.photo_of(consent) if photo else None,
        )
        self.feature(testimonial)
        self.markers[("t", testimonial.pk)] = (Testimonial, testimonial.pk, marker)
        return ("t", testimonial.pk)

    @rule(target=items, consent=consents, photo=st.booleans())
    def write_story(self, consent, photo):
        marker = f"Storymarker{next(serial)}"
        story = PatientStoryPageFactory(
            parent=self.case.index,
            consent_id=consent,
            title=marker,
            summary=f"{marker} summary",
            hero_image=self.photo_of(consent) if photo else None,
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
        # Refused by the form's checks (ValidationError), the consent check or the gate.
        with contextlib.suppress(ValidationError, WorkflowNotApproved, PublishRefused):
            publish_through_workflow(model.objects.get(pk=pk))

    @rule(item=items)
    def superuser_publishes_directly(self, item):
        model, pk, _ = self.markers[item]
        obj = model.objects.get(pk=pk)
        try:
            revision = obj.save_revision(user=self.case.superuser)
        except ValidationError:
            return
        try:
            revision.publish(user=self.case.superuser)
        except PublishRefused:
            return
        raise AssertionError("a direct publish went through")

    @rule(item=items, show=st.booleans())
    def editor_changes_what_is_shown(self, item, show):
        # Coverage changes: the draft shows the patient's age and town, or stops showing
        # them; it goes live only if submitted and approved again.
        model, pk, _ = self.markers[item]
        obj = model.objects.get(pk=pk).get_latest_revision_as_object()
        obj.show_age = obj.show_town = show
        with contextlib.suppress(ValidationError):  # the editor is told; nothing is saved
            obj.save_revision(user=self.case.editor)

    @rule(item=items)
    def editor_edits_the_quote(self, item):
        model, pk, marker = self.markers[item]
        obj = model.objects.get(pk=pk)
        if model is Testimonial:
            obj.quote = f"{marker} it was a miracle cure."  # no longer what was approved
        with contextlib.suppress(ValidationError):  # the editor is told; nothing is saved
            obj.save_revision(user=self.case.editor)

    # -- The invariant ----------------------------------------------------------------

    def read(self, url, data=None):
        response = self.client.get(url, data)
        if response.get("X-Page-Cache") == "hit":
            ConsentMachine.sightings.add(("cache", "hit"))
        return response

    @invariant()
    def public_surfaces_show_only_consented_words(self):
        surfaces = {
            "story listing": self.read(self.case.index.url).content.decode(),
            "testimonial listing": self.read(self.case.testimonial_index.url).content.decode(),
            "sitemap": self.read("/sitemap.xml").content.decode(),
            "feed": self.read("/feeds/stories.rss").content.decode(),
            "API stories": self.read(
                "/api/v2/pages/?type=stories.PatientStoryPage&fields=summary&limit=50"
            ).content.decode(),
            "API testimonials": self.read("/api/v2/testimonials/?limit=50").content.decode(),
            # Words every story summary and quote holds (the page echoes the query itself).
            "story search": self.read("/search/", {"q": "summary"}).content.decode(),
            "testimonial search": self.read("/search/", {"q": "neck"}).content.decode(),
        }
        for (kind, pk), (model, _, marker) in self.markers.items():
            obj = model.objects.get(pk=pk)
            allowed = consent_allows(obj.consent_id, obj.shown_identifiers())
            pages = dict(surfaces)
            if kind == "s":
                response = self.read(obj.url or f"/stories/{obj.slug}/")
                pages["story page"] = (
                    response.content.decode() if response.status_code == 200 else ""
                )
            for surface, html in pages.items():
                if marker in html:
                    assert allowed, f"{marker} shown on the {surface} without a valid consent"
                    ConsentMachine.sightings.add((kind, surface))
                self.photo_urls.update(PHOTO_URL.findall(html))
        self.photo_urls_answer_only_while_consented()

    def photo_urls_answer_only_while_consented(self):
        items = [model.objects.get(pk=pk) for model, pk, _ in self.markers.values()]
        for url in sorted(self.photo_urls):
            response = self.client.get(url)
            if response.status_code == 404:
                continue
            assert response.status_code == 200, (url, response.status_code)
            name = url.removeprefix("/patient-media/")
            photo_id = PatientPhotoRendition.objects.get(file=name).image_id
            showing = [
                obj
                for obj in items
                if photo_id in obj.photo_ids()
                and obj.live
                and consent_allows(obj.consent_id, obj.shown_identifiers())
            ]
            assert showing, f"{url} answered without a live, consented item showing it"
            ConsentMachine.sightings.add(("photo", "photo URL"))
        for obj in items:
            for photo in obj.photos():
                # An original is never public, whatever the consent says.
                assert self.client.get(photo.file.url).status_code == 404, photo.file.url


class ConsentInvariantTests(SiteTree, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.make_tree()
        cls.editor = UserFactory(username="inv-editor", roles=[roles.EDITORS])
        cls.officer = UserFactory(username="inv-officer", roles=[roles.CONSENT_OFFICERS])
        cls.superuser = SuperuserFactory(username="inv-root")

    def test_random_sequences_of_actions_never_break_the_invariant(self):
        ConsentMachine.case = self
        clock = mock.patch.object(
            pagecache, "now", lambda: time.time() + ConsentMachine.clock_offset
        )
        clock.start()
        self.addCleanup(clock.stop)
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
                ("photo", "photo URL"),
                ("cache", "hit"),  # with the page cache on, copies were served
            }
            <= ConsentMachine.sightings,
            ConsentMachine.sightings,
        )
