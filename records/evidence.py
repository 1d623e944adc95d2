"""The evidence pack: one PDF a consent officer hands a regulator for one story or
testimonial, holding everything the record says about why it could be published.

The pack is a list of sections, each built from the item by one function. Built-in
sections are listed in ``SECTIONS``; any app adds one with the Wagtail hook
``register_evidence_pack_section``, whose function takes the item and returns a
``Section`` (or a dict of its fields), or None when it has nothing to say. The sections
are sorted by ``order``; the gap at 45 is kept for the patient's sign-off of the final
words (issue 15, the ``signoff`` app), between the verification of the consent and the
workflow approvals::

    @hooks.register("register_evidence_pack_section")
    def sign_off_section():
        return sign_off_evidence  # (item) -> {"order": 45, "heading": "Patient sign-off", ...}

Rendered with WeasyPrint from an HTML template (records/evidence_pack.html).
"""

import datetime
import hashlib
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateformat import format as date_format
from wagtail import hooks
from wagtail.models import ModelLogEntry, Page, PageLogEntry, TaskState, WorkflowState

from consent.models import Consent
from consent.rules import Identifier
from stories.models import PatientStoryPage, Takedown, Testimonial

HOOK = "register_evidence_pack_section"

# The content an evidence pack can be made for.
CONTENT_MODELS = (PatientStoryPage, Testimonial)

SIGN_OFF_ORDER = 45  # reserved for the patient's sign-off (see the module docstring)


@dataclass
class Section:
    heading: str
    order: int = 100
    rows: list = field(default_factory=list)  # (label, value)
    table: list = field(default_factory=list)  # lists of cells; the first is the header
    text: str = ""  # preformatted text (the consent's exact words)
    empty: str = ""  # said when the section has nothing

    @classmethod
    def of(cls, value):
        return value if isinstance(value, cls) else cls(**value)


def when(value):
    """ "Nov 22, 2026, 2:05 PM UTC": exact, in the site's time zone, with its name."""
    if not value:
        return "—"
    if isinstance(value, datetime.datetime):
        local = timezone.localtime(value)
        return f"{date_format(local, 'M j, Y, g:i A')} {local.tzname()}"
    return date_format(value, "M j, Y")


def person(user):
    if user is None:
        return "—"
    name = user.get_full_name()
    return f"{name} ({user.get_username()})" if name else user.get_username()


# -- Built-in sections -------------------------------------------------------------------


def item_section(item):
    consent = item.consent
    return Section(
        "The content",
        order=10,
        rows=[
            ("Type", str(item._meta.verbose_name).capitalize()),
            ("Title", str(item.title)),
            ("Identifier", f"{item._meta.label} #{item.pk}"),
            ("Live now", "Yes" if item.live else "No"),
            ("First published", when(item.first_published_at)),
            ("Last published", when(item.last_published_at)),
            ("Shown as", item.attribution()),
            (
                "Identifiers shown",
                ", ".join(Identifier(i).label for i in item.shown_identifiers()) or "None",
            ),
            ("Text approved by the patient", item.approved_text or "—"),
            ("Patient approved the text on", when(item.approved_on)),
            ("Rests on", f"Consent #{consent.pk}"),
        ],
    )


def consent_section(item):
    consent = item.consent
    patient = consent.patient
    return Section(
        "The consent (authorization)",
        order=20,
        rows=[
            ("Consent", f"#{consent.pk}, {consent.get_status_display().lower()} now"),
            ("Patient", f"{patient.legal_name} (patient #{patient.pk})"),
            ("Signed by", consent.get_signed_by_display()),
            *(
                [
                    (
                        "Representative",
                        f"{patient.representative_name}, {patient.representative_authority}",
                    )
                ]
                if consent.signed_by == Consent.SignedBy.REPRESENTATIVE
                else []
            ),
            ("Identifiers covered", consent.get_identifiers_display()),
            ("Channels covered", consent.get_channels_display()),
            ("Purpose", consent.purpose),
            ("Expires", when(consent.expires_on)),
            ("Treatment date", when(consent.treatment_date)),
            ("Material connection", consent.get_material_connection_display()),
            ("Jurisdiction", consent.get_jurisdiction_display()),
            ("Supersedes", f"Consent #{consent.supersedes_id}" if consent.supersedes_id else "—"),
            ("Withdrawn", when(consent.withdrawn_at)),
            ("Withdrawal received by", consent.get_withdrawal_channel_display() or "—"),
            ("Withdrawal recorded by", person(consent.withdrawal_recorded_by)),
        ],
    )


def text_section(item):
    consent = item.consent
    text = consent.text
    matches = text.sha256 == consent.text_sha256
    return Section(
        "The words the patient agreed to",
        order=25,
        rows=[
            ("Consent text", f"Version {text.version}: {text.title}"),
            ("SHA-256 at signing", consent.text_sha256),
            ("SHA-256 of the text now", text.sha256),
            ("Check", "The text is unchanged." if matches else "THE TEXT DOES NOT MATCH."),
        ],
        text=text.full_text,
    )


def signature_section(item):
    consent = item.consent
    rows = [
        ("Method", consent.get_method_display()),
        ("Signed at", when(consent.signed_at)),
    ]
    if consent.method == Consent.Method.ELECTRONIC:
        rows += [
            ("Typed name", consent.signature_name or "—"),
            ("IP address", consent.signature_ip or "—"),
            ("User agent", consent.signature_user_agent or "—"),
        ]
    if consent.signed_form:
        with consent.signed_form.open("rb") as scan:
            digest = hashlib.sha256(scan.read()).hexdigest()
        rows += [
            ("Signed form", consent.signed_form.name.rsplit("/", 1)[-1]),
            ("SHA-256 of the signed form", digest),
        ]
    rows += [
        ("Obtained by", person(consent.obtained_by)),
        ("Copy given to the patient", when(consent.copy_given_at)),
    ]
    return Section("How the consent was given (signature evidence)", order=30, rows=rows)


def verification_section(item):
    consent = item.consent
    return Section(
        "Verification",
        order=40,
        rows=[
            ("Verified by", person(consent.verified_by)),
            ("Verified at", when(consent.verified_at)),
        ],
        empty="" if consent.verified_at else "This consent has not been verified.",
    )


def approvals_section(item):
    base_ct = ContentType.objects.get_for_model(item.get_base_content_type().model_class())
    states = (
        WorkflowState.objects.filter(base_content_type=base_ct, object_id=str(item.pk))
        .select_related("workflow", "requested_by")
        .order_by("created_at")
    )
    table = [["Run", "Step", "Outcome", "By", "Sign-off", "When", "Comment"]]
    task_states = (
        TaskState.objects.filter(workflow_state__in=states)
        .select_related("task", "finished_by", "workflow_state__workflow", "sign_off")
        .order_by("workflow_state__created_at", "started_at", "pk")
    )
    for state in states:
        table.append(
            [
                f"#{state.pk} {state.workflow.name}",
                "Submitted",
                state.get_status_display(),
                person(state.requested_by),
                "",
                when(state.created_at),
                "",
            ]
        )
        for task_state in (ts for ts in task_states if ts.workflow_state_id == state.pk):
            sign_off = getattr(task_state, "sign_off", None)
            table.append(
                [
                    f"#{state.pk}",
                    task_state.task.name,
                    task_state.get_status_display(),
                    person(task_state.finished_by) if task_state.finished_by_id else "automatic",
                    f"{sign_off.name}, {sign_off.credentials}, {when(sign_off.signed_at)}"
                    if sign_off
                    else "",
                    when(task_state.finished_at or task_state.started_at),
                    task_state.comment or "",
                ]
            )
    return Section(
        "Workflow approvals",
        order=50,
        table=table if len(table) > 1 else [],
        empty="No workflow has run for this item.",
    )


def log_table(entries):
    table = [["When", "Event", "By", "Details"]]
    for entry in entries:
        table.append(
            [
                when(entry.timestamp),
                entry.action,
                person(entry.user) if entry.user_id else "—",
                entry.message if hasattr(entry, "message") else "",
            ]
        )
    return table if len(table) > 1 else []


def consent_events_section(item):
    consents = item.consent.with_successors()
    chain = [item.consent]
    while chain[-1].supersedes_id:
        chain.append(chain[-1].supersedes)
    ids = {str(c.pk) for c in (*consents, *chain)}
    entries = (
        ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Consent), object_id__in=ids
        )
        .select_related("user")
        .order_by("timestamp", "pk")
    )
    return Section(
        "Consent events",
        order=60,
        table=log_table(entries),
        empty="No consent event is recorded.",
    )


def history_section(item):
    if isinstance(item, Page):
        entries = PageLogEntry.objects.filter(page_id=item.pk)
    else:
        entries = ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(item), object_id=str(item.pk)
        )
    return Section(
        "History of this item",
        order=70,
        table=log_table(entries.select_related("user").order_by("timestamp", "pk")),
        empty="No event is recorded.",
    )


def takedowns_section(item):
    takedowns = Takedown.objects.filter(
        content_type=ContentType.objects.get_for_model(item), object_id=str(item.pk)
    ).select_related("taken_down_by", "consent")
    table = [["When", "Why", "Consent", "By"]]
    table += [
        [when(t.taken_down_at), t.reason, f"#{t.consent_id}", person(t.taken_down_by)]
        for t in takedowns
    ]
    return Section(
        "Takedowns",
        order=80,
        table=table if len(table) > 1 else [],
        empty="This item was never taken down.",
    )


SECTIONS = [
    item_section,
    consent_section,
    text_section,
    signature_section,
    verification_section,
    # order 45: the patient's sign-off, added through the hook (module docstring)
    approvals_section,
    consent_events_section,
    history_section,
    takedowns_section,
]


def section_builders():
    return [*SECTIONS, *(hook() for hook in hooks.get_hooks(HOOK))]


def sections_for(item):
    built = (builder(item) for builder in section_builders())
    return sorted((Section.of(s) for s in built if s), key=lambda s: s.order)


def weasyprint_html():
    """WeasyPrint's HTML class, imported without its side effect: on import it sets
    Pillow's LOAD_TRUNCATED_IMAGES for the whole process, which would let a damaged
    photo through the upload checks (submissions/tests/test_hostile_input.py). A pack
    holds no images, so Pillow's setting is put back as it was."""
    from PIL import ImageFile

    before = ImageFile.LOAD_TRUNCATED_IMAGES
    try:
        from weasyprint import HTML
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = before
    return HTML


def render_pdf(item, user):
    HTML = weasyprint_html()  # noqa: N806 (a class)
    html = render_to_string(
        "records/evidence_pack.html",
        {
            "item": item,
            "sections": sections_for(item),
            "generated_at": when(timezone.now()),
            "generated_by": person(user),
        },
    )
    return HTML(string=html).write_pdf()
