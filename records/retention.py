"""Consent evidence is kept for six years after the consent was last in effect (HIPAA
45 CFR 164.530(j); DOMAIN.md, "Retention and erasure"), even after withdrawal or
erasure, and then deleted by ``purge_expired_evidence`` (run by the scheduler).

"Last in effect" is when the consent stopped counting: its withdrawal, the end of its
expiry day, or the verification of the consent that superseded it, whichever came first;
a consent never verified was never in effect, and counts from its signing. A consent
still in effect is never touched.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from wagtail.models import ModelLogEntry

from consent.models import Consent, Patient
from core.email import queue_email
from core.roles import CONSENT_OFFICERS, member_emails
from records.models import ErasureRequest

logger = logging.getLogger(__name__)

RETENTION_YEARS = 6


def years_before(moment, years):
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year - years, day=28)


def years_after(moment, years):
    return years_before(moment, -years)


def last_in_effect(consent):
    """When ``consent`` last counted, or None while it still does."""
    if not consent.verified_at:
        return consent.signed_at
    day_after_expiry = datetime.datetime.combine(
        consent.expires_on + datetime.timedelta(days=1),
        datetime.time.min,
        tzinfo=timezone.get_current_timezone(),
    )
    ends = [day_after_expiry]
    if consent.withdrawn_at:
        ends.append(consent.withdrawn_at)
    successor = Consent.objects.filter(supersedes=consent, verified_at__isnull=False).first()
    if successor is not None:
        ends.append(successor.verified_at)
    end = min(ends)
    return end if end <= timezone.now() else None


def evidence_kept_until(patient):
    """The day the last of ``patient``'s consent evidence is due for deletion."""
    ends = [last_in_effect(c) or timezone.now() for c in patient.consents.all()]
    if not ends:
        return None
    return timezone.localdate(years_after(max(ends), RETENTION_YEARS))


@dataclass
class Report:
    consents: list = field(default_factory=list)  # ids deleted
    patients: list = field(default_factory=list)
    files: int = 0
    log_entries: int = 0
    takedowns: int = 0
    erasure_requests: int = 0
    kept: list = field(default_factory=list)  # what was kept although due, and why

    def __str__(self):
        lines = [
            f"Deleted {len(self.consents)} consent record(s) past the six-year retention"
            + (f" (#{', #'.join(map(str, self.consents))})" if self.consents else "")
            + f", {len(self.patients)} patient record(s), {self.takedowns} takedown "
            f"record(s), {self.erasure_requests} erasure request(s), {self.log_entries} "
            f"log entr{'y' if self.log_entries == 1 else 'ies'} and {self.files} file(s)."
        ]
        lines += [f"Kept {why}." for why in self.kept]
        return "\n".join(lines)


def purge_expired_evidence(at=None):
    """Delete the evidence of every consent last in effect more than six years ago."""
    at = at or timezone.now()
    cutoff = years_before(at, RETENTION_YEARS)
    report = Report()
    touched = set()  # patients who lost a consent: their record may go too
    # Newest first: a consent superseded by another is deleted after its successor.
    candidates = Consent.objects.filter(signed_at__lt=cutoff).order_by("-signed_at", "-pk")
    for consent in candidates.select_related("patient"):
        ended = last_in_effect(consent)
        if ended is None or ended >= cutoff:
            continue
        if consent.linked_content():
            report.kept.append(f"consent #{consent.pk}: content still rests on it; erase it first")
            continue
        if Consent.objects.filter(supersedes=consent).exists():
            report.kept.append(
                f"consent #{consent.pk}: a newer consent that supersedes it is still kept"
            )
            continue
        delete_consent(consent, report)
        touched.add(consent.patient_id)
    for patient in Patient.objects.filter(pk__in=touched).order_by("pk"):
        delete_patient_if_done(patient, report)
    if report.consents:
        logger.info("%s", report)
        queue_email(
            "Consent evidence past its retention period was deleted",
            render_to_string("records/email/retention_report.txt", {"report": report}),
            member_emails(CONSENT_OFFICERS),
        )
    return report


def delete_consent(consent, report):
    with transaction.atomic():
        report.takedowns += consent.takedowns.all().delete()[0]
        report.log_entries += log_entries_of(consent).delete()[0]
        if consent.signed_form:
            storage, name = consent.signed_form.storage, consent.signed_form.name
            transaction.on_commit(lambda: storage.delete(name))
            report.files += 1
        # Consent.delete refuses a verified consent: the retention period is the one
        # time it goes, so the row is deleted by a query.
        Consent.objects.filter(pk=consent.pk).delete()
    report.consents.append(consent.pk)


def delete_patient_if_done(patient, report):
    """The patient record goes with their last consent, unless something still needs it."""
    if patient.consents.exists():
        return
    if any(getattr(patient, rel.get_accessor_name()).exists() for rel in media_relations()):
        report.kept.append(f"patient #{patient.pk}: photos or other media of theirs remain")
        return
    with transaction.atomic():
        requests = patient.erasure_requests.all()
        for request in requests:
            report.log_entries += log_entries_of(request).delete()[0]
        report.erasure_requests += requests.delete()[0]
        report.log_entries += log_entries_of(patient).delete()[0]
        report.patients.append(patient.pk)
        patient.delete()


def media_relations():
    return [
        rel
        for rel in Patient._meta.related_objects
        if rel.one_to_many and rel.related_model not in (Consent, ErasureRequest)
    ]


def log_entries_of(obj):
    return ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    )
