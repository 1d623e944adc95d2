"""Turn a valid form into the records: the patient, a pending consent carrying the
signature evidence, and a draft testimonial submitted to its workflow.

All in one transaction, the emails queued with it (core.email), so a mail failure never
loses a submission and a failed submission sends no mail.
"""

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from wagtail.log_actions import log

from consent.copies import copy_key
from consent.models import CREATED, Consent, Patient
from consent.notifications import admin_url, organisation_name
from consent.tokens import withdrawal_url
from core.clientip import client_ip
from core.email import queue_email
from core.models import OrganisationSettings
from core.roles import CONSENT_OFFICERS, member_emails
from moderation.services import submit_for_moderation
from stories.models import Testimonial
from submissions.forms import CONSENT_YEARS
from submissions.images import store_photo

USER_AGENT_LENGTH = Consent._meta.get_field("signature_user_agent").max_length


def expiry_from(today):
    try:
        return today.replace(year=today.year + CONSENT_YEARS)
    except ValueError:  # 29 February
        return today.replace(year=today.year + CONSENT_YEARS, day=28)


def create_submission(form, request):
    data = form.cleaned_data
    text = form.consent_text
    now = timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        first_name, last_name = form.public_name()
        patient = Patient(
            legal_name=data["legal_name"],
            first_name=first_name,
            last_name=last_name,
            date_of_birth=data.get("date_of_birth"),
            town=data.get("town", ""),
            email=data["email"],
        )
        patient.full_clean()
        patient.save()

        consent = Consent(
            patient=patient,
            signed_by=Consent.SignedBy.PATIENT,
            identifiers=list(data["identifiers"]),
            channels=list(data["channels"]),
            text=text,
            text_sha256=text.sha256,
            signed_at=now,
            expires_on=expiry_from(today),
            method=Consent.Method.ELECTRONIC,
            signature_name=data["signature_name"],
            signature_ip=client_ip(request),
            signature_user_agent=request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_LENGTH],
            obtained_by=None,
            # Set when the copy queued below has gone out (consent.copies), not before.
            copy_given_at=None,
            jurisdiction=OrganisationSettings.for_request(request).jurisdiction,
        )
        consent.full_clean()
        consent.save()
        log(instance=consent, action=CREATED, user=None, data={"source": "website form"})

        testimonial = Testimonial(
            # Editors only; no patient name in it.
            title=f"Story shared on the website, {today:%B %-d, %Y} (consent #{consent.pk})",
            quote=data["story"],
            approved_text=data["story"],
            approved_on=today,
            consent=consent,
            # Who the patient is comes from their record; these say what is shown.
            attribution_style=data["attribution_style"],
            show_age=data.get("date_of_birth") is not None,
            show_town=bool(data.get("town")),
            condition=data.get("condition"),
            treatment=data.get("treatment"),
            live=False,
        )
        if data.get("photo"):
            testimonial.photo = store_photo(
                data["photo"], f"Photo shared with a story (consent #{consent.pk})", patient
            )
        testimonial.full_clean()
        testimonial.save()
        # No submitter: the patient has no account. Without a workflow (an admin
        # removed it) the draft waits for the editors, still unpublishable.
        state = submit_for_moderation(testimonial, user=None)

        _queue_emails(consent, testimonial)
    return consent, testimonial, state


def _queue_emails(consent, testimonial):
    organisation = organisation_name()
    context = {
        "consent": consent,
        "testimonial": testimonial,
        "organisation": organisation,
        "withdrawal_url": withdrawal_url(consent),
        "admin_url": admin_url(consent),
    }
    queue_email(
        f"Your story and consent for {organisation}: your copy",
        render_to_string("submissions/email/patient_copy.txt", context),
        [consent.patient.email],
        key=copy_key(consent),
    )
    # Officers are told which consent to check, never the patient's identity by email.
    queue_email(
        f"A story was shared on the website: consent #{consent.pk} needs verifying",
        render_to_string("submissions/email/officers.txt", context),
        member_emails(CONSENT_OFFICERS),
    )
