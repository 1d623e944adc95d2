"""Erasure of a patient on request (GDPR Art. 17; DOMAIN.md, "Retention and erasure").

One consent officer records the request, a second, different officer confirms it; only
then does ``erase_patient`` run, in one transaction. It deletes:

- every story and testimonial resting on the patient's consents, with every revision,
  draft, workflow run, task state (approval comments, sign-offs), page comment, alias
  and translation, search index entry and reference, and the item's own log entries;
- the patient's media: each model with a foreign key to the patient and a file (patient
  photos today, videos once they exist) loses its rows, renditions and files, found
  through ``Patient``'s reverse relations so that a new kind of media needs no change
  here (``patient_media``);
- every other stored copy of the patient's words, names and file names: log entries'
  labels and data, takedown titles, queued or finished task results (the emails they
  carry);
- the private details on the patient and consent records (names, contact data, date of
  birth, the typed signature, IP address, user agent, the scan of the signed form).

What stays, as minimal evidence until the retention job deletes it six years after the
consent was last in effect (records.retention): each consent record without free text
(who verified it and when, scope, dates, the consent text version and the hash of the
words agreed to), its withdrawal and takedown events, and this request with the counts
of what was erased and the SHA-256 of each erased signed form. The patient gets a
receipt that names nothing of what was erased.
"""

import hashlib
import logging
import re
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks.backends.database.models import DBTaskResult
from django_tasks.base import TaskResultStatus
from wagtail.log_actions import log
from wagtail.models import (
    Comment,
    ModelLogEntry,
    Page,
    PageLogEntry,
    ReferenceIndex,
    Revision,
    WorkflowState,
)
from wagtail.search import index

from consent.models import Consent, Patient
from consent.notifications import organisation_name
from consent.permissions import is_consent_officer
from core.email import queue_email
from core.roles import CONSENT_OFFICERS, member_emails
from records.models import ErasureRequest
from signoff.models import PatientApproval, SignOffRequest
from stories.models import Takedown

logger = logging.getLogger(__name__)

# Audit log actions (registered in wagtail_hooks).
ERASURE_REQUESTED = "records.erasure_requested"
ERASURE_CANCELLED = "records.erasure_cancelled"
ERASED = "records.erased"

# What a consent's or patient's log entry may keep of its data after an erasure: the
# facts of the event, never a title or a name.
SAFE_LOG_DATA = frozenset({"channel", "by", "days", "consent", "reason", "request"})

# Markers shorter than this are not searched for in shared stores (task results, other
# objects' logs): "Al" would match half the database. Names and titles are longer.
MIN_MARKER_LENGTH = 4

ERASED_LABEL = "(erased)"


def _require_officer(user):
    if not is_consent_officer(user):
        raise PermissionDenied("Only a consent officer may do this.")


# -- The two steps ---------------------------------------------------------------------


def request_erasure(patient, user, received_via):
    """Record an erasure request; a second consent officer must confirm it."""
    _require_officer(user)
    with transaction.atomic():
        if patient.erasure_requests.filter(status=ErasureRequest.Status.PENDING).exists():
            raise ValidationError("An erasure request for this patient is already waiting.")
        request = ErasureRequest.objects.create(
            patient=patient, received_via=received_via, requested_by=user
        )
        log(instance=request, action=ERASURE_REQUESTED, user=user)
        others = [
            email
            for email in member_emails(CONSENT_OFFICERS)
            if email.lower() != (user.email or "").lower()
        ]
        queue_email(
            f"Erasure request #{request.pk} awaits a second consent officer",
            render_to_string(
                "records/email/erasure_requested_officers.txt",
                {"request": request, "confirm_url": admin_url("confirm", request)},
            ),
            others,
        )
    return request


def cancel_erasure(request, user):
    _require_officer(user)
    with transaction.atomic():
        updated = ErasureRequest.objects.filter(
            pk=request.pk, status=ErasureRequest.Status.PENDING
        ).update(status=ErasureRequest.Status.CANCELLED)
        if updated:
            log(instance=request, action=ERASURE_CANCELLED, user=user)
    request.refresh_from_db()
    return bool(updated)


def confirm_erasure(request, user):
    """The second officer's confirmation: erase, then send the patient their receipt."""
    _require_officer(user)
    with transaction.atomic():
        request = ErasureRequest.objects.select_for_update().get(pk=request.pk)
        if request.status != ErasureRequest.Status.PENDING:
            raise ValidationError("This erasure request is no longer waiting.")
        if request.requested_by_id == user.pk:
            raise PermissionDenied(
                "You recorded this erasure request, so a second consent officer must "
                "confirm it (four eyes)."
            )
        recipient = request.patient.email
        result = erase_patient(request.patient, user, request)
        request.status = ErasureRequest.Status.DONE
        request.confirmed_by = user
        request.erased_at = timezone.now()
        request.report = result.counts
        request.fingerprints = result.fingerprints
        request.save()
        log(instance=request, action=ERASED, user=user, data={"counts": result.counts})
        # Queued last: the scrub of stored emails above must not catch the receipt.
        send_receipt(request, recipient, result)
    return request


# -- The erasure itself ----------------------------------------------------------------


@dataclass
class Erasure:
    counts: dict = field(default_factory=dict)
    fingerprints: dict = field(default_factory=dict)
    markers: set = field(default_factory=set)
    files: list = field(default_factory=list)  # (storage, name) deleted after commit
    # How many of each kind of content was erased, by model: the receipt says
    # "2 patient stories", "1 testimonial".
    kinds: dict = field(default_factory=dict)

    def described_kinds(self):
        names = {m: (m._meta.verbose_name, m._meta.verbose_name_plural) for m in self.kinds}
        return [f"{count} {names[m][count != 1]}" for m, count in self.kinds.items()]

    def count(self, name, number=1):
        if number:
            self.counts[name] = self.counts.get(name, 0) + number

    def mark(self, *texts):
        for text in texts:
            text = str(text or "").strip()
            if len(text) >= MIN_MARKER_LENGTH:
                self.markers.add(text)


def erase_patient(patient, user, request=None):
    """Delete what the module docstring lists, inside the caller's transaction."""
    erasure = Erasure()
    consents = list(Consent.objects.filter(patient=patient).order_by("pk"))
    mark_patient(erasure, patient, consents)

    media = patient_media(patient)
    for instance in media:
        # Before the takedown below deletes renditions: their file names are the
        # patient's too, and may wait in a queued clean-up task.
        renditions = instance.renditions.all() if hasattr(instance, "renditions") else []
        for rendition in renditions:
            keep_file(erasure, rendition)
        keep_file(erasure, instance)

    # The consent ends first, as for any withdrawal: content comes down (and is logged
    # as taken down), the withdrawal is on the record; then the content goes.
    channel = request.received_via if request else Consent.WithdrawalChannel.EMAIL
    for consent in consents:
        consent.withdraw(channel, user=user)

    items = [item for consent in consents for item in consent.linked_content()]
    for item in items:
        erase_content(erasure, item)
    for instance in media:
        erase_media(erasure, instance)

    strip_records(erasure, patient, consents)
    scrub_stores(erasure)
    files = list(erasure.files)
    transaction.on_commit(lambda: delete_files(files))
    logger.info("Erased patient %s: %s", patient.pk, erasure.counts)
    return erasure


def mark_patient(erasure, patient, consents):
    """Remember the patient's identifying strings, to find stored copies of them."""
    first, last = patient.first_name.strip(), patient.last_name.strip()
    erasure.mark(
        patient.legal_name,
        f"{first} {last}",
        f"{first} {last[:1]}." if last else "",
        patient.email,
        patient.phone,
        patient.representative_name,
        *(consent.signature_name for consent in consents),
    )
    # Each name on its own too, when it is long enough to be the patient's and not a word.
    erasure.mark(*(name for name in (first, last) if len(name) >= 5))


def content_markers(item):
    """The texts of an item across all its revisions: any of them may be quoted elsewhere."""
    versions = [item, *(revision.as_object() for revision in item.revisions.all())]
    texts = []
    for version in versions:
        texts.append(str(getattr(version, "title", "") or ""))
        texts.append(getattr(version, "draft_title", "") or "")
        texts.append(getattr(version, "slug", "") or "")
        texts.append(getattr(version, "approved_text", "") or "")
        public_text = getattr(version, "public_text", None)
        if public_text:
            texts.extend(text for _label, text in public_text())
    return texts


def erase_content(erasure, item):
    item = item.specific if isinstance(item, Page) else item
    erasure.mark(*content_markers(item))
    kind = str(item._meta.verbose_name)
    erasure.kinds[type(item)] = erasure.kinds.get(type(item), 0) + 1
    erasure.count("stories" if isinstance(item, Page) else "testimonials")

    base_ct = ContentType.objects.get_for_model(item.get_base_content_type().model_class())
    object_id = str(item.pk)
    index.remove_object(item)
    revisions = Revision.objects.filter(base_content_type=base_ct, object_id=object_id)
    states = WorkflowState.objects.filter(base_content_type=base_ct, object_id=object_id)
    erasure.count("revisions", revisions.count())
    erasure.count("workflow runs", states.count())
    if isinstance(item, Page):
        erasure.count("comments", Comment.objects.filter(page=item).count())
        page_id = item.pk
        # Aliases of a story are stories resting on the same consent: erased in turn.
        page = Page.objects.filter(pk=page_id).first()
        if page is not None:
            page.delete()
        erasure.count("log entries", PageLogEntry.objects.filter(page_id=page_id).delete()[0])
    else:
        item.delete()
    # What the item's generic relations did not take with it (a run's task states and
    # sign-offs go with the run).
    states.delete()
    revisions.delete()
    ReferenceIndex.objects.filter(base_content_type=base_ct, object_id=object_id).delete()
    erasure.count(
        "log entries",
        ModelLogEntry.objects.filter(
            content_type__in=content_types_of(item), object_id=object_id
        ).delete()[0],
    )
    Takedown.objects.filter(content_type__in=content_types_of(item), object_id=object_id).update(
        title=f"Erased {kind} #{object_id}"
    )


def content_types_of(obj):
    model = type(obj)
    models_ = {model, model._meta.concrete_model}
    if isinstance(obj, Page):
        models_.add(Page)
    return [ContentType.objects.get_for_model(m, for_concrete_model=False) for m in models_]


def patient_media(patient):
    """Everything holding a file that belongs to the patient: the rows of each model
    with a foreign key to ``Patient`` and a file field (photos; videos in turn). Consents
    hold a file too (the signed form): they are evidence, stripped by ``strip_records``."""
    found = []
    for rel in Patient._meta.related_objects:
        model = rel.related_model
        if not rel.one_to_many or model is Consent or not file_fields(model):
            continue
        found.extend(model._default_manager.filter(**{rel.field.name: patient}))
    return found


def file_fields(model):
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def erase_media(erasure, instance):
    kind = str(instance._meta.verbose_name_plural)
    erasure.count(kind)
    erasure.mark(
        str(instance),
        getattr(instance, "title", ""),
        getattr(instance, "description", ""),
    )
    if isinstance(instance, index.Indexed):
        index.remove_object(instance)
    object_id = str(instance.pk)
    instance.delete()  # renditions cascade
    erasure.count(
        "log entries",
        ModelLogEntry.objects.filter(
            content_type__in=content_types_of(instance), object_id=object_id
        ).delete()[0],
    )


def keep_file(erasure, instance):
    """Remember each file of ``instance`` to delete after commit, and its names."""
    for f in file_fields(type(instance)):
        file = getattr(instance, f.attname)
        if file and file.name:
            erasure.files.append((file.storage, file.name))
            erasure.mark(file.name, file.name.rsplit("/", 1)[-1])
            erasure.count("files")


def delete_files(files):
    for storage, name in files:
        try:
            storage.delete(name)
        except OSError:
            logger.exception("Could not delete an erased file; delete it by hand")
    # Wagtail queued its own clean-up of the same files (a task carrying each name);
    # they are gone already, so the task rows, names and all, go too.
    names = [name for _storage, name in files]
    if names:
        delete_task_results(names)


def strip_records(erasure, patient, consents):
    """Keep the patient and consent records as evidence, without their free text."""
    for consent in consents:
        if consent.signed_form:
            try:
                with consent.signed_form.open("rb") as scan:
                    digest = hashlib.sha256(scan.read()).hexdigest()
            except FileNotFoundError:
                digest = "the file was missing"
            erasure.fingerprints[str(consent.pk)] = {"signed_form_sha256": digest}
            erasure.files.append((consent.signed_form.storage, consent.signed_form.name))
            erasure.mark(consent.signed_form.name.rsplit("/", 1)[-1])
            erasure.count("signed forms")
    # A verified consent is never edited in place (Consent.save); erasure is the one
    # change the law requires of it, made here with an UPDATE and logged below.
    Consent.objects.filter(patient=patient).update(
        signature_name="",
        signature_ip=None,
        signature_user_agent="",
        signed_form="",
        purpose=Consent._meta.get_field("purpose").default,
    )
    # The patient's approvals of the final words stay as evidence (when, from where, the
    # hash of what they saw), without the words; their requests for changes go too.
    erasure.count(
        "sign-off records",
        PatientApproval.objects.filter(consent__in=consents).update(
            content_html="", approved_text=""
        ),
    )
    SignOffRequest.objects.filter(consent__in=consents).update(message="")
    Patient.objects.filter(pk=patient.pk).update(
        legal_name=f"Erased patient #{patient.pk}",
        first_name="Erased patient",
        last_name="",
        date_of_birth=None,
        town="",
        email="",
        phone="",
        representative_name="",
        representative_authority="",
    )
    # The consent's and patient's own history stays, in neutral words.
    for model, objects, label in (
        (Consent, consents, lambda obj: f"Consent #{obj.pk}"),
        (Patient, [patient], lambda obj: f"Erased patient #{obj.pk}"),
    ):
        ct = ContentType.objects.get_for_model(model)
        for obj in objects:
            entries = ModelLogEntry.objects.filter(content_type=ct, object_id=str(obj.pk))
            for entry in entries:
                entry.label = label(obj)
                entry.data = {k: v for k, v in (entry.data or {}).items() if k in SAFE_LOG_DATA}
                entry.save(update_fields=["label", "data"])


def scrub_stores(erasure):
    """Find and remove copies of the patient's words in stores shared by everything."""
    markers = sorted(erasure.markers, key=len, reverse=True)
    if not markers:
        return
    for model in (ModelLogEntry, PageLogEntry):
        rows = model.objects.annotate(data_text=Cast("data", TextField())).filter(
            matching(["label", "data_text"], markers)
        )
        erasure.count("log entries reworded", rows.update(label=ERASED_LABEL, data={}))
    Takedown.objects.filter(matching(["title"], markers)).update(title=ERASED_LABEL)
    erasure.count("task results", delete_task_results(markers))


# A stored copy of a long text holds its beginning; a prefix keeps each regex small.
MARKER_PREFIX = 120
MARKERS_PER_REGEX = 25


def trimmed(marker):
    if len(marker) <= MARKER_PREFIX:
        return marker
    return marker[:MARKER_PREFIX].rsplit(" ", 1)[0]


def matching(fields, markers):
    """Any of ``fields`` holds one of ``markers`` as whole words ("Testimonial 4" must
    not catch "Testimonial 42"), case-insensitively, with PostgreSQL regexes kept small
    enough to compile."""
    markers = sorted({trimmed(m) for m in markers}, key=len, reverse=True)
    condition = Q()
    for start in range(0, len(markers), MARKERS_PER_REGEX):
        words = "|".join(re.escape(m) for m in markers[start : start + MARKERS_PER_REGEX])
        pattern = rf"(^|\W)({words})($|\W)"
        for name in fields:
            condition |= Q(**{f"{name}__iregex": pattern})
    return condition


def delete_task_results(markers):
    """Delete stored task results (queued or sent emails, Wagtail's jobs) that hold any
    of ``markers``, except one a worker is running now. A queued email about the erased
    content is not worth sending: it would only name what no longer exists."""
    rows = DBTaskResult.objects.annotate(
        args_text=Cast("args_kwargs", TextField()),
        value_text=Cast("return_value", TextField()),
    ).filter(matching(["args_text", "value_text", "traceback"], markers))
    return rows.exclude(status=TaskResultStatus.RUNNING).delete()[0]


# -- Telling people --------------------------------------------------------------------


def admin_url(view, request):
    from django.conf import settings

    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return base + reverse(f"records_erasure_requests:{view}", args=[request.pk])


def send_receipt(request, recipient, result):
    from records.retention import evidence_kept_until

    context = {
        "request": request,
        "organisation": organisation_name(),
        "kinds": result.described_kinds(),
        "counts": result.counts,
        "kept_until": evidence_kept_until(request.patient),
    }
    queue_email(
        "We have erased your story and photos",
        render_to_string("records/email/erasure_receipt.txt", context),
        [recipient],
    )
    queue_email(
        f"Erasure request #{request.pk} was carried out",
        render_to_string("records/email/erasure_done_officers.txt", context),
        member_emails(CONSENT_OFFICERS),
    )
