from django.conf import settings
from django.template.loader import render_to_string

from core.email import queue_email


def email_submitter(workflow_state, subject, template, reasons):
    """Wagtail emails nobody the reasons for an automatic decision: tell the submitter."""
    submitter = workflow_state.requested_by
    if not submitter or not submitter.email:
        return
    obj = workflow_state.content_object
    body = render_to_string(
        template,
        {"object": obj, "reasons": reasons, "base_url": settings.WAGTAILADMIN_BASE_URL},
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
