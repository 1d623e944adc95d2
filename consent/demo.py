"""Demo patients and consents: one per status the site must handle, and active ones with
different identifiers covered (photo or not, full name to anonymous). Safe to run again.

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
    MaterialConnection,
    Patient,
)

MARIA = "Maria Gonzalez"  # active for years: website + social, every identifier
JAMES = "James Whitfield"  # active, expires in 10 days
AISHA = "Aisha Rahman"  # expired 5 days ago
THOMAS = "Thomas Berg"  # withdrawn through the patient's link
LENA = "Lena Novak"  # recorded, not yet verified (pending)
DANIEL = "Daniel Okafor"  # active: name, age, town and photo
PRIYA = "Priya Shah"  # active, photo; treated at no cost (a material connection)
ROBERT = "Robert Kowalski"  # active: full name, photo
DENISE = "Denise Carter"  # active: initials only, no photo
MARCUS = "Marcus Bell"  # active: anonymous, town only
HELEN = "Helen Brooks"  # active, photo; signed by her daughter as representative

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
# US towns and (fictional, 555-01xx) US phone numbers.
PATIENT_RECORDS = {
    MARIA: {"date_of_birth": datetime.date(1972, 6, 2), "town": "Springfield, IL"},
    JAMES: {"date_of_birth": datetime.date(1964, 9, 18), "town": "Riverside, IL"},
    AISHA: {"date_of_birth": datetime.date(1980, 1, 27), "town": "Fairview Heights, IL"},
    THOMAS: {"date_of_birth": datetime.date(1958, 11, 5)},
    LENA: {"town": "Greenville, IL", "phone": "(618) 555-0117"},
    DANIEL: {"date_of_birth": datetime.date(1986, 3, 14), "town": "Decatur, IL"},
    PRIYA: {"date_of_birth": datetime.date(1961, 8, 9), "town": "Champaign, IL"},
    ROBERT: {
        "date_of_birth": datetime.date(1955, 2, 21),
        "town": "Peoria, IL",
        "phone": "(309) 555-0163",
    },
    DENISE: {"date_of_birth": datetime.date(1968, 12, 1), "town": "Bloomington, IL"},
    MARCUS: {"date_of_birth": datetime.date(1990, 5, 30), "town": "Normal, IL"},
    HELEN: {
        "date_of_birth": datetime.date(1949, 10, 12),
        "town": "Jacksonville, IL",
        "phone": "(217) 555-0188",
        "representative_name": "Karen Brooks",
        "representative_authority": "Daughter; health care power of attorney (Illinois)",
    },
}

# Consent facts beyond the defaults: a material connection visitors are told about, and
# a consent signed by a personal representative.
CONSENT_EXTRAS = {
    PRIYA: {"material_connection": MaterialConnection.FREE_CARE},
    HELEN: {"signed_by": Consent.SignedBy.REPRESENTATIVE},
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
        (DANIEL, "daniel.okafor@example.org",
         [Identifier.FIRST_NAME_INITIAL, Identifier.AGE, Identifier.TOWN, Identifier.PHOTO,
          Identifier.CONDITION, Identifier.TREATMENT],
         [Channel.WEBSITE, Channel.SOCIAL_MEDIA], 40, today + 730 * DAY, None),
        (PRIYA, "priya.shah@example.org",
         [Identifier.FIRST_NAME_INITIAL, Identifier.AGE, Identifier.PHOTO,
          Identifier.CONDITION, Identifier.TREATMENT],
         [Channel.WEBSITE], 75, today + 600 * DAY, None),
        (ROBERT, "robert.kowalski@example.org",
         [Identifier.FULL_NAME, Identifier.FIRST_NAME_INITIAL, Identifier.AGE, Identifier.TOWN,
          Identifier.PHOTO, Identifier.CONDITION, Identifier.TREATMENT],
         [Channel.WEBSITE, Channel.PRINT], 90, today + 640 * DAY, None),
        (DENISE, "denise.carter@example.org",
         [Identifier.INITIALS, Identifier.CONDITION, Identifier.TREATMENT],
         [Channel.WEBSITE], 150, today + 540 * DAY, None),
        (MARCUS, "marcus.bell@example.org",
         [Identifier.TOWN, Identifier.CONDITION, Identifier.TREATMENT],
         [Channel.WEBSITE], 30, today + 700 * DAY, None),
        # Her daughter, who signed as her representative, reads her email for her.
        (HELEN, "karen.brooks@example.org",
         [Identifier.FIRST_NAME_INITIAL, Identifier.AGE, Identifier.PHOTO,
          Identifier.CONDITION, Identifier.TREATMENT],
         [Channel.WEBSITE], 50, today + 680 * DAY, None),
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
                **CONSENT_EXTRAS.get(name, {}),
            )  # fmt: skip
        lines.append(f"  {name}: consent #{consent.pk}, {consent.get_status_display().lower()}")
    if officer is None:
        lines.append("  (no demo consent officer: consents left pending verification)")
    return lines


def _record(
    patient, text, identifiers, channels, signed_at, expires_on, officer, withdrawn_at, **extra
):
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
        signature_name=patient.representative_name or patient.legal_name,
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
        **extra,
    )
    log(instance=consent, action=CREATED)
    if officer:
        log(instance=consent, action=VERIFIED, user=officer)
        if withdrawn_at:
            log(instance=consent, action=WITHDRAWN, data={"channel": "patient_link"})
    return consent
