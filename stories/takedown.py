"""Invariant part 3: when a consent ends (withdrawn, expired, superseded) every item
resting on it is taken down at once, inside the transaction that ended the consent.

For each item: the workflow in progress is cancelled and any scheduled go-live dropped;
live content is unpublished with Wagtail's own action (logged, with our reason beside
it), removed from the search index, purged from the front-end cache together with the
pages that list or embed it, and recorded as a ``Takedown`` (the consent record's "what
was taken down as a result, when"). Editors and consent officers are emailed once the
transaction commits.
"""

import logging

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from wagtail.actions.unpublish import UnpublishAction
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.contrib.frontend_cache.utils import purge_pages_from_cache
from wagtail.log_actions import log
from wagtail.models import Page, ReferenceIndex, WorkflowState
from wagtail.search import index

from core.email import queue_email
from core.roles import CONSENT_OFFICERS, EDITORS, member_emails
from stories.models import (
    PatientPhotoRendition,
    PatientStoryPage,
    StoryIndexPage,
    Takedown,
    TestimonialIndexPage,
)
from stories.models.testimonials import Testimonial

logger = logging.getLogger(__name__)

TAKEN_DOWN = "stories.taken_down"

REASONS = {
    "withdrawn": "the patient withdrew their consent",
    "expired": "the patient's consent expired",
    "superseded": "the patient's consent was replaced by a new one",
}


def items_for(consent):
    return [
        *Testimonial.objects.filter(consent=consent).select_related("consent"),
        *PatientStoryPage.objects.filter(consent=consent).select_related("consent"),
    ]


def take_down_for_consent(sender, consent, reason, user=None, **kwargs):
    now = timezone.now()
    taken_down = []
    for obj in items_for(consent):
        stop_moderation(obj, user)
        if obj.live:
            unpublish(obj, user)
            log(
                instance=obj,
                action=TAKEN_DOWN,
                user=user,
                data={"reason": reason, "consent": consent.pk},
            )
            taken_down.append(obj)
        # Whether or not it was live: nothing of it may stay searchable, and no resized
        # copy of its photos stays on disk (the view refuses them already).
        index.remove_object(obj)
        PatientPhotoRendition.objects.filter(image_id__in=obj.photo_ids()).delete()
    if not taken_down:
        return
    Takedown.objects.bulk_create(
        Takedown(
            consent=consent,
            content_type=ContentType.objects.get_for_model(obj),
            object_id=str(obj.pk),
            title=str(obj.title)[:255],
            reason=reason,
            taken_down_at=now,
            taken_down_by=user,
        )
        for obj in taken_down
    )
    purge(taken_down)
    notify(consent, reason, taken_down)


def stop_moderation(obj, user):
    """Cancel a workflow in progress and any scheduled go-live: the consent is gone."""
    states = WorkflowState.objects.for_instance(obj).filter(
        status__in=[WorkflowState.STATUS_IN_PROGRESS, WorkflowState.STATUS_NEEDS_CHANGES]
    )
    for state in states:
        state.cancel(user=user)
    obj.revisions.filter(approved_go_live_at__isnull=False).update(approved_go_live_at=None)


def unpublish(obj, user):
    # Whoever records the withdrawal (a consent officer, or the patient's own link with
    # no user) must be able to take content down: unpublishing only makes things safer.
    if isinstance(obj, Page):
        UnpublishPageAction(obj, user=user).execute(skip_permission_checks=True)
    else:
        UnpublishAction(obj, user=user).execute(skip_permission_checks=True)


def purge(items):
    """Purge each page, the listings that showed it, and pages embedding a testimonial."""
    pages = {}

    def add(page):
        if page is not None:
            pages[page.pk] = page

    for obj in items:
        if isinstance(obj, Page):
            add(obj)
            add(obj.get_parent())
    testimonials = [obj for obj in items if isinstance(obj, Testimonial)]
    if testimonials:
        for page in TestimonialIndexPage.objects.live():
            add(page)
        page_ct = ContentType.objects.get_for_model(Page)
        referencing = ReferenceIndex.get_references_to_in_bulk(testimonials).filter(
            base_content_type=page_ct
        )
        ids = referencing.values_list("object_id", flat=True)
        for page in Page.objects.live().filter(pk__in=[int(pk) for pk in ids]):
            add(page)
    for page in StoryIndexPage.objects.live():
        add(page)
    # After commit, so a cache refetching at once gets the page as it is now: gone.
    to_purge = list(pages.values())
    transaction.on_commit(lambda: purge_pages_from_cache(to_purge))


def notify(consent, reason, items):
    """Tell the staff. The patient hears of the event once, from the consent app (the
    withdrawal or expiry email lists what rested on the consent)."""
    context = {
        "consent": consent,
        "reason": REASONS.get(reason, reason),
        "titles": sorted(str(obj.title) for obj in items),
    }
    queue_email(
        f"Patient content taken down: consent #{consent.pk}",
        render_to_string("stories/email/taken_down_staff.txt", context),
        member_emails(EDITORS, CONSENT_OFFICERS),
    )
