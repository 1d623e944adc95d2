"""Demo patients and consents, one per status the site must handle. Safe to run again.

Other apps find a demo consent by its patient's legal name, e.g.
``Consent.objects.filter(patient__legal_name=MARIA).latest("signed_at")``.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.log_actions import log

from consent.models import (
    CREATED,
    VERIFIED,
    WITHDRAWN,
    Channel,
    Consent,
    ConsentText,
    Identifier,
    Patient,
)

MARIA = "Maria Gonzalez"  # active for years: website + social, every identifier
JAMES = "James Whitfield"  # active, expires in 10 days
AISHA = "Aisha Rahman"  # expired 5 days ago
THOMAS = "Thomas Berg"  # withdrawn through the patient's link
LENA = "Lena Novak"  # recorded, not yet verified (pending)

DAY = datetime.timedelta(days=1)

TEXT_V1 = {
    "title": "Consent to share your story",
    "body": (
        "I allow Riverside Neurology Clinic to publish my testimonial or story about my "
        "treatment for marketing, showing only the details ticked on this form, only in "
        "the places ticked, until the date shown."
    ),
    "how_to_revoke": (
        "I can withdraw this consent at any time, for any reason, with the one-click link "
        "in the email I receive, or by telling the clinic by phone, email, letter or in "
        "person. Published content is then taken down straight away."
    ),
    "treatment_not_conditional": (
        "My treatment, its cost and my eligibility for care do not depend in any way on "
        "whether I sign this form."
    ),
    "redisclosure_notice": (
        "Once published, others may copy and share what I said, and it may then no longer "
        "be protected by health privacy law. The clinic cannot recall such copies."
    ),
    "payment_statement": (
        "The clinic receives no payment from anyone, including drug makers, for this marketing."
    ),
}

ALL_IDENTIFIERS = list(Identifier.values)

# What the records hold beyond the name: attributions derive age and town from here.
PATIENT_RECORDS = {
    MARIA: {"date_of_birth": datetime.date(1972, 6, 2), "town": "Springfield"},
    JAMES: {"date_of_birth": datetime.date(1964, 9, 18), "town": "Riverside"},
    AISHA: {"date_of_birth": datetime.date(1980, 1, 27), "town": "Fairview"},
    THOMAS: {"date_of_birth": datetime.date(1958, 11, 5)},
    LENA: {"town": "Greenville"},
}


def load():
    text, _ = ConsentText.objects.get_or_create(version=1, defaults=TEXT_V1)
    officer = get_user_model().objects.filter(username="officer", is_active=True).first()
    if officer is not None and not officer.has_perms(
        ["consent.change_consent", "consent.verify_consent"]
    ):
        officer = None
    now = timezone.now()
    today = timezone.localdate(now)

    specs = [
        (MARIA, "maria.gonzalez@example.org", ALL_IDENTIFIERS,
         [Channel.WEBSITE, Channel.SOCIAL_MEDIA], 60, today + 700 * DAY, None),
        (JAMES, "james.whitfield@example.org",
         [Identifier.FIRST_NAME_INITIAL, Identifier.AGE, Identifier.TOWN,
          Identifier.CONDITION, Identifier.TREATMENT],
         [Channel.WEBSITE], 355, today + 10 * DAY, None),
        (AISHA, "aisha.rahman@example.org",
         [Identifier.FIRST_NAME_INITIAL, Identifier.CONDITION, Identifier.TREATMENT],
         [Channel.WEBSITE], 370, today - 5 * DAY, None),
        (THOMAS, "thomas.berg@example.org",
         [Identifier.INITIALS, Identifier.AGE, Identifier.CONDITION],
         [Channel.WEBSITE, Channel.EMAIL], 120, today + 245 * DAY, now - 3 * DAY),
        (LENA, "lena.novak@example.org",
         [Identifier.FIRST_NAME_INITIAL, Identifier.PHOTO, Identifier.CONDITION],
         [Channel.WEBSITE], 2, today + 365 * DAY, None),
    ]  # fmt: skip
    lines = ["Demo consents (find them by patient legal name):"]
    for name, email, identifiers, channels, days_ago, expires_on, withdrawn_at in specs:
        first_name, last_name = name.split()
        patient, _ = Patient.objects.get_or_create(
            legal_name=name,
            defaults={
                "email": email,
                "first_name": first_name,
                "last_name": last_name,
                **PATIENT_RECORDS.get(name, {}),
            },
        )
        consent = patient.consents.order_by("-signed_at").first()
        if consent is None:
            consent = _record(
                patient, text, identifiers, channels, now - days_ago * DAY, expires_on,
                officer=None if name == LENA else officer, withdrawn_at=withdrawn_at,
            )  # fmt: skip
        lines.append(f"  {name}: consent #{consent.pk}, {consent.get_status_display().lower()}")
    if officer is None:
        lines.append("  (no demo consent officer: consents left pending verification)")
    return lines


def _record(patient, text, identifiers, channels, signed_at, expires_on, officer, withdrawn_at):
    # Past events are recorded as they happened (no emails to fictional patients now).
    verified_at = signed_at + DAY if officer else None
    consent = Consent.objects.create(
        patient=patient,
        text=text,
        identifiers=[str(i) for i in identifiers],
        channels=[str(c) for c in channels],
        signed_at=signed_at,
        expires_on=expires_on,
        method=Consent.Method.ELECTRONIC,
        signature_name=patient.legal_name,
        signature_ip="203.0.113.10",
        signature_user_agent="Mozilla/5.0 (demo)",
        copy_given_at=verified_at,
        verified_by=officer,
        verified_at=verified_at,
        treatment_date=timezone.localdate(signed_at) - 30 * DAY,
        withdrawn_at=withdrawn_at if officer else None,
        withdrawal_channel=Consent.WithdrawalChannel.PATIENT_LINK if withdrawn_at else "",
        # A withdrawal recorded here had nothing published to take down.
        ended_at=withdrawn_at if officer else None,
        ended_reason="withdrawn" if withdrawn_at and officer else "",
    )
    log(instance=consent, action=CREATED)
    if officer:
        log(instance=consent, action=VERIFIED, user=officer)
        if withdrawn_at:
            log(instance=consent, action=WITHDRAWN, data={"channel": "patient_link"})
    return consent
