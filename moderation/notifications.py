from django.conf import settings
from django.template.loader import render_to_string
from wagtail.admin.admin_url_finder import AdminURLFinder

from core.email import queue_email


def email_submitter(workflow_state, subject, template, reasons):
    """Wagtail emails nobody the reasons for an automatic decision: tell the submitter."""
    submitter = workflow_state.requested_by
    if not submitter or not submitter.email:
        return
    obj = workflow_state.content_object
    obj = obj.specific if hasattr(obj, "specific") else obj
    # A link to the item itself, not to the dashboard.
    edit_url = AdminURLFinder(submitter).get_edit_url(obj) or "/admin/"
    body = render_to_string(
        template,
        {
            "object": obj,
            "reasons": reasons,
            "edit_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + edit_url,
        },
    )
    queue_email(subject.format(object=obj), body, [submitter.email])


def notify_publish_refused(workflow_state, reasons):
    email_submitter(
        workflow_state,
        '"{object}" was approved but could not be published',
        "moderation/email/publish_refused.txt",
        reasons,
    )


def notify_automatic_rejection(workflow_state, reasons):
    email_submitter(
        workflow_state,
        '"{object}" did not pass the automatic consent check',
        "moderation/email/automatic_rejection.txt",
        reasons,
    )
