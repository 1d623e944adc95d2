"""The automatic consent check reads the text: the patient's private identifiers that
their consent does not cover, and identifiers of anyone (phone numbers, email
addresses, street addresses), are reasons to send an item back.

Content says what visitors read through ``public_text()``: ``[(where, text), ...]``
(title, summary, body, quotes, captions, alt text). The private identifiers come from
the consent's patient record through ``patient_identifiers``, the one place that knows
which attributes identify a patient.
"""

import re
from datetime import date

from django.utils.html import strip_tags

from consent.rules import Identifier

SURNAME = "surname"
FIRST_NAME = "first name"
TOWN = "town"
DATE_OF_BIRTH = "date of birth"
EMAIL = "email address"
PHONE = "phone number"

# Which ticked identifier lets each private value appear (email and phone: never).
COVERED_BY = {
    SURNAME: {Identifier.FULL_NAME},
    FIRST_NAME: {Identifier.FULL_NAME, Identifier.FIRST_NAME_INITIAL},
    TOWN: {Identifier.TOWN},
}

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Nine or more digits, with the spaces, dots, dashes and brackets people write.
PHONE_RE = re.compile(r"(?<![\w/])\+?\(?\d(?:[\s().-]{0,2}\d){8,14}(?!\w)")
STREET_RE = re.compile(
    r"\b\d{1,5}[a-z]?,?\s+(?:[A-Z][\w'-]*\s+){1,4}"
    r"(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Boulevard|Blvd|Way|Close|Court|Ct|"
    r"Place|Pl|Crescent|Terrace|Gardens|Grove|Square|Sq|Hill|Row|Mews)\b\.?"
)
UK_POSTCODE_RE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")


def patient_identifiers(patient):
    """{label: value} of what identifies ``patient``: the names they go by (falling back
    on the legal name's first and last words), contact data, town and date of birth."""
    names = (patient.legal_name or "").split()
    found = {
        FIRST_NAME: patient.first_name or (names[0] if names else ""),
        SURNAME: patient.last_name or (names[-1] if len(names) > 1 else ""),
        EMAIL: patient.email,
        PHONE: patient.phone,
        TOWN: patient.town,
        DATE_OF_BIRTH: patient.date_of_birth,
    }
    return {label: value for label, value in found.items() if value}


# -- Reading the text --------------------------------------------------------------------


def value_text(value):
    """The words in a stream block's value, captions and alt text included."""
    if value is None:
        return []
    if isinstance(value, str):
        return [strip_tags(value)]
    if hasattr(value, "source"):  # RichText
        return [strip_tags(value.source)]
    if hasattr(value, "contextual_alt_text"):  # ImageBlock's image
        return [value.contextual_alt_text or ""]
    if hasattr(value, "raw_data") or isinstance(value, list | tuple):  # stream or list
        return [text for item in value for text in value_text(getattr(item, "value", item))]
    if hasattr(value, "items"):  # StructValue
        return [text for child in value.values() for text in value_text(child)]
    return []


def public_text(obj):
    pieces = obj.public_text() if hasattr(obj, "public_text") else generic_text(obj)
    return [(where, text) for where, text in pieces if text and text.strip()]


def generic_text(obj):
    from wagtail.fields import StreamField

    from moderation.publishing import NOT_CONTENT

    pieces = []
    for field in obj._meta.concrete_fields:
        if not field.editable or field.name in NOT_CONTENT or field.name == "slug":
            continue
        value = field.value_from_object(obj)
        if isinstance(field, StreamField):
            pieces += [(field.verbose_name, text) for text in value_text(value)]
        elif isinstance(value, str):
            pieces.append((field.verbose_name, strip_tags(value)))
    return pieces


# -- Finding identifiers -----------------------------------------------------------------


def _words(value):
    return re.compile(r"(?<!\w)" + re.escape(value.strip()) + r"(?!\w)", re.IGNORECASE)


def _digits(text):
    return re.sub(r"\D", "", text)


def _date_forms(day):
    if not isinstance(day, date):
        return []
    return [
        day.isoformat(),
        f"{day.day}/{day.month}/{day.year}",
        f"{day.day:02d}/{day.month:02d}/{day.year}",
        f"{day.month}/{day.day}/{day.year}",
        f"{day:%d %B %Y}",
        f"{day.day} {day:%B %Y}",
        f"{day:%B} {day.day}, {day.year}",
    ]


def private_hits(text, identifiers):
    """Labels of ``identifiers`` ({label: value}) that appear in ``text``."""
    hits = []
    for label, value in identifiers.items():
        if label == PHONE:
            wanted = _digits(value)[-9:]
            found = len(wanted) >= 6 and any(
                _digits(m.group())[-9:] == wanted for m in PHONE_RE.finditer(text)
            )
        elif label == DATE_OF_BIRTH:
            found = any(_words(form).search(text) for form in _date_forms(value))
        else:
            found = bool(_words(str(value)).search(text))
        if found:
            hits.append(label)
    return hits


def general_hits(text):
    """(kind, what was found) for identifiers of anyone."""
    hits = [(EMAIL, m.group()) for m in EMAIL_RE.finditer(text)]
    hits += [(PHONE, m.group().strip()) for m in PHONE_RE.finditer(text)]
    hits += [("street address", m.group()) for m in STREET_RE.finditer(text)]
    hits += [("postcode", m.group()) for m in UK_POSTCODE_RE.finditer(text)]
    return hits


def uncovered_identifiers(consent):
    """The patient's private identifiers that ``consent`` does not let content show."""
    patient = getattr(consent, "patient", None) if consent is not None else None
    if patient is None:
        return {}
    covered = set(consent.identifiers or [])
    return {
        label: value
        for label, value in patient_identifiers(patient).items()
        if not COVERED_BY.get(label, set()) & covered
    }


def identifier_problems(obj):
    """Reasons, one per place, to send ``obj`` back. Private values are named, never
    quoted: an editor may not see a patient's contact data."""
    consent = obj.consent if getattr(obj, "consent_id", None) else None
    private = uncovered_identifiers(consent)
    problems = []
    for where, text in public_text(obj):
        labels = private_hits(text, private)
        if labels:
            problems.append(
                f"The {where} shows the patient's {', '.join(labels)}, which their consent "
                "does not cover: take it out."
            )
        found = [f"{kind} \u201c{what}\u201d" for kind, what in general_hits(text)]
        if found:
            problems.append(
                f"The {where} contains {', '.join(found)}: identifying details don't "
                "belong in published text; take them out."
            )
    return problems
