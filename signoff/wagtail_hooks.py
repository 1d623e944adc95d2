from wagtail import hooks

from signoff.services import LOG_ACTIONS


@hooks.register("register_log_actions")
def register_sign_off_log_actions(actions):
    for action, label in LOG_ACTIONS.items():
        actions.register_action(action, label, label)


@hooks.register("register_evidence_pack_section")
def sign_off_evidence_section():
    return sign_off_evidence


def sign_off_evidence(item):
    """The evidence pack's section on the patient's approvals of the final words
    (records/evidence.py): when, from where, and the hash of exactly what they saw."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from signoff.models import PatientApproval, SignOffRequest

    approvals = PatientApproval.objects.filter(
        content_type=ContentType.objects.get_for_model(type(item)), object_id=str(item.pk)
    ).order_by("approved_at")
    asked = SignOffRequest.objects.filter(
        task_state__workflow_state__base_content_type=item.get_base_content_type(),
        task_state__workflow_state__object_id=str(item.pk),
    ).order_by("created_at")

    def when(value):
        return f"{timezone.localtime(value):%b %-d, %Y, %-I:%M %p %Z}" if value else "—"

    table = [["Approved", "Revision", "IP address", "Browser", "SHA-256 of what they saw"]]
    table += [
        [
            when(a.approved_at),
            str(a.revision_id or "—"),
            a.ip_address or "—",
            a.user_agent[:120] or "—",
            a.content_sha256,
        ]
        for a in approvals
    ]
    table += [[f"Asked {when(r.created_at)}", "", "", "", r.get_decision_display()] for r in asked]
    return {
        "order": 45,
        "heading": "Patient sign-off of the final words",
        "table": table if len(table) > 1 else [],
        "empty": "The patient was not asked to sign off this item.",
    }
