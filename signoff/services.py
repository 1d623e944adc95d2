"""What happens to a sign-off request: opened when the task starts, answered by the
patient (signoff.views), reminded and lapsed by the every-minute job (remind_sign_offs)."""

import hashlib
import re
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import Page, TaskState

from consent.tokens import withdrawal_url
from core.email import queue_email
from core.models import OrganisationSettings
from signoff.models import PatientApproval, SignOffRequest
from signoff.tokens import make_token, sign_off_url
from stories.models.photos import PATIENT_MEDIA_URL

REQUESTED = "signoff.requested"
REMINDED = "signoff.reminded"
LOG_ACTIONS = {
    REQUESTED: "Patient sign-off requested",
    REMINDED: "Patient sign-off reminder sent",
}

PHOTO_URL = re.compile(re.escape(PATIENT_MEDIA_URL) + r"(?P<name>[^\"'\s,)]+)")


def kind_of(obj):
    return "story" if isinstance(obj, Page) else "testimonial"


# -- Opening a request ------------------------------------------------------------------


def open_request(task_state):
    """Create the request and email the patient; send the content straight back to the
    editor when the patient can't be asked (no email address on record)."""
    obj = task_state.revision.as_object()
    consent = getattr(obj, "consent", None)
    patient = consent.patient if consent is not None else None
    if patient is None or not patient.email:
        task_state.reject(
            user=None,
            update=False,
            comment="The patient has no email address on record, so they can't be asked to "
            "sign off the final words. A consent officer can add one to the patient's "
            "record; then submit again.",
        )
        return None
    now = timezone.now()
    sign_off_request = SignOffRequest.objects.create(
        task_state=task_state,
        consent=consent,
        created_at=now,
        expires_at=now + timedelta(days=settings.PATIENT_SIGN_OFF_EXPIRY_DAYS),
    )
    send_to_patient(sign_off_request, "request")
    log(instance=obj, action=REQUESTED, revision=task_state.revision)
    return sign_off_request


def send_to_patient(sign_off_request, template):
    obj = sign_off_request.content()
    organisation = OrganisationSettings.for_site_or_default().name
    context = {
        "organisation": organisation,
        "kind": kind_of(obj),
        "url": sign_off_url(sign_off_request),
        "expires_at": sign_off_request.expires_at,
    }
    subjects = {
        "request": f"Please check your {context['kind']} before {organisation} publishes it",
        "reminder": f"Reminder: please check your {context['kind']}",
    }
    queue_email(
        subjects[template],
        render_to_string(f"signoff/email/{template}.txt", context),
        [sign_off_request.consent.patient.email],
        key=f"signoff-{sign_off_request.pk}-{template}",
    )


# -- What the patient sees --------------------------------------------------------------


def render_for_patient(sign_off_request, token=None):
    """The content exactly as it will be published, as HTML; its photos' URLs lead to
    the sign-off's own photo view, which the link's token opens (signoff.views.photo).
    The token is the one in the patient's link (a new one carries a new timestamp), so
    the page renders the same, and hashes the same, each time that link opens it."""
    obj = sign_off_request.content()
    html = render_to_string(
        "signoff/includes/content.html", {"item": obj, "kind": kind_of(obj)}
    ).strip()
    token = token or make_token(sign_off_request)

    def signed(match):
        return reverse("signoff:photo", args=[token, match["name"]])

    return PHOTO_URL.sub(signed, html)


def sha256(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def withdrawal_link(sign_off_request):
    return withdrawal_url(sign_off_request.consent)


# -- The patient's answer ---------------------------------------------------------------


class NotOpen(Exception):
    """The request was answered, lapsed or withdrawn meanwhile."""


def _claim(sign_off_request):
    """Lock the request's row; raise NotOpen unless it still waits for an answer."""
    locked = SignOffRequest.objects.select_for_update().get(pk=sign_off_request.pk)
    if not locked.is_open() or locked.consent.status != "active":
        raise NotOpen
    return locked


@transaction.atomic
def approve(sign_off_request, content_html, ip=None, user_agent=""):
    """Record the evidence, make the approved words the content's approved text, and
    approve the task (the workflow moves on to its next step)."""
    locked = _claim(sign_off_request)
    task_state = locked.task_state
    revision = task_state.revision
    obj = revision.as_object()
    now = timezone.now()
    approved_text = obj.quoted_text() if hasattr(obj, "quoted_text") else ""
    approval = PatientApproval.objects.create(
        request=locked,
        task_state=task_state,
        revision=revision,
        consent=locked.consent,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=str(obj.pk),
        approved_at=now,
        ip_address=ip,
        user_agent=user_agent[:1000],
        content_html=content_html,
        content_sha256=sha256(content_html),
        approved_text=approved_text,
    )
    # The approval stamps the very revision it approves (as the clinical review does):
    # publishing that revision carries the patient's approved words with it.
    revision.content.update(
        {"approved_text": approved_text, "approved_on": timezone.localdate(now).isoformat()}
    )
    revision.save(update_fields=["content"])
    locked.decision, locked.decided_at = SignOffRequest.Decision.APPROVED, now
    locked.save(update_fields=["decision", "decided_at"])
    task_state.approve(
        user=None,
        comment=f"Approved by the patient on {timezone.localtime(now):%-d %B %Y at %H:%M} "
        f"(evidence #{approval.pk}, SHA-256 {approval.content_sha256[:12]}\u2026).",
    )
    return approval


@transaction.atomic
def request_changes(sign_off_request, message):
    """Send the content back to the editor with the patient's message."""
    locked = _claim(sign_off_request)
    locked.decision, locked.decided_at = SignOffRequest.Decision.CHANGES, timezone.now()
    locked.message = message
    locked.save(update_fields=["decision", "decided_at", "message"])
    locked.task_state.reject(user=None, comment=f"The patient asked for changes: {message}")
    return locked


# -- Reminders and expiry (every minute) ------------------------------------------------


@dataclass
class Result:
    reminded: int = 0
    expired: int = 0


def remind_and_expire(at=None):
    """Remind the patient once after PATIENT_SIGN_OFF_REMINDER_DAYS; after
    PATIENT_SIGN_OFF_EXPIRY_DAYS send the content back to the editor. Idempotent."""
    at = at or timezone.now()
    result = Result()
    waiting = SignOffRequest.objects.filter(
        decision=SignOffRequest.Decision.PENDING,
        task_state__status=TaskState.STATUS_IN_PROGRESS,
    )
    for each in waiting.filter(expires_at__lte=at).order_by("pk"):
        if expire(each, at):
            result.expired += 1
    due = waiting.filter(
        expires_at__gt=at,
        reminded_at__isnull=True,
        created_at__lte=at - timedelta(days=settings.PATIENT_SIGN_OFF_REMINDER_DAYS),
    )
    for each in due.order_by("pk"):
        claimed = SignOffRequest.objects.filter(pk=each.pk, reminded_at__isnull=True).update(
            reminded_at=at
        )
        if claimed:
            send_to_patient(each, "reminder")
            log(instance=each.content(), action=REMINDED, revision=each.task_state.revision)
            result.reminded += 1
    return result


@transaction.atomic
def expire(sign_off_request, at):
    locked = SignOffRequest.objects.select_for_update().get(pk=sign_off_request.pk)
    if locked.decision != SignOffRequest.Decision.PENDING:
        return False
    locked.decision, locked.decided_at = SignOffRequest.Decision.EXPIRED, at
    locked.save(update_fields=["decision", "decided_at"])
    if locked.task_state.status == TaskState.STATUS_IN_PROGRESS:
        days = settings.PATIENT_SIGN_OFF_EXPIRY_DAYS
        locked.task_state.reject(
            user=None,
            comment=f"The patient did not answer the sign-off request within {days} days. "
            "Submit again to send them a new link.",
        )
    return True
