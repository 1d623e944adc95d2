"""Emails about consents. All go through ``core.email.queue_email``: sent after commit, in
the background, with retries, so no consent event ever fails because mail is down.

Editors are never sent a patient's identity or contact data: their emails name the
consent by number and the content it covers.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from core.email import queue_email
from core.models import OrganisationSettings
from core.roles import CONSENT_OFFICERS, EDITORS, member_emails


def organisation_name():
    return OrganisationSettings.for_site_or_default().name


def admin_url(consent):
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return base + reverse("consent_consents:inspect", args=[consent.pk])


def _context(consent, **extra):
    return {
        "consent": consent,
        "organisation": organisation_name(),
        "admin_url": admin_url(consent),
        "linked_titles": consent.linked_titles(),
        **extra,
    }


def _send(template, subject, recipients, context, key=None):
    body = render_to_string(f"consent/email/{template}.txt", context)
    queue_email(subject, body, recipients, key=key)


def send_receipt(consent):
    """The patient's copy: the exact words agreed to, scope, expiry, one-click withdrawal."""
    from consent.copies import copy_key
    from consent.tokens import withdrawal_url

    context = _context(consent, withdrawal_url=withdrawal_url(consent))
    _send(
        "receipt",
        f"Your consent to {context['organisation']}: your copy",
        [consent.patient.email],
        context,
        key=copy_key(consent, "receipt"),
    )


def withdrawal_recorded(consent):
    context = _context(consent)
    _send(
        "withdrawal_patient",
        "We have received your withdrawal of consent",
        [consent.patient.email],
        context,
    )
    _send(
        "withdrawal_officers",
        f"Consent #{consent.pk} was withdrawn",
        member_emails(CONSENT_OFFICERS),
        context,
    )


def consent_expired(consent):
    context = _context(consent)
    _send("expired_patient", "Your consent has expired", [consent.patient.email], context)
    _send(
        "expired_officers",
        f"Consent #{consent.pk} has expired",
        member_emails(CONSENT_OFFICERS),
        context,
    )


def expiry_reminder(consent, days):
    _send(
        "reminder",
        f"Consent #{consent.pk} expires in {days} days ({consent.expires_on:%B %-d, %Y})",
        member_emails(EDITORS, CONSENT_OFFICERS),
        _context(consent, days=days),
    )
