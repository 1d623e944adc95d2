from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string


def notify_publish_refused(workflow_state, reasons):
    """Wagtail emails nobody when a publish is refused after approval: tell the submitter."""
    submitter = workflow_state.requested_by
    if not submitter or not submitter.email:
        return
    obj = workflow_state.content_object
    body = render_to_string(
        "moderation/email/publish_refused.txt",
        {"object": obj, "reasons": reasons, "base_url": settings.WAGTAILADMIN_BASE_URL},
    )
    send_mail(
        f'"{obj}" was approved but could not be published',
        body,
        None,
        [submitter.email],
        fail_silently=True,
    )
