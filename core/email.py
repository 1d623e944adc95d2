"""Email goes out in the background so that nothing a user does fails because a mail
server is down: callers enqueue after their transaction commits, and a failed send is
retried with a growing delay."""

import logging
from datetime import timedelta

from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6


@task()
def send_email(subject, body, recipients, attempt=1):
    try:
        EmailMessage(subject=subject, body=body, to=list(recipients)).send()
    except Exception:
        # The immediate backend of dev and tests cannot defer a retry: fail with the
        # mail error itself rather than the backend's refusal of run_after.
        if attempt >= MAX_ATTEMPTS or not send_email.get_backend().supports_defer:
            logger.exception("Giving up sending %r to %s", subject, recipients)
            raise
        delay = timedelta(minutes=2**attempt)
        logger.warning("Sending %r failed; retrying in %s", subject, delay)
        retry = send_email.using(run_after=timezone.now() + delay)
        retry.enqueue(subject, body, list(recipients), attempt=attempt + 1)


def queue_email(subject, body, recipients):
    """Send once the current transaction commits; never raises for a mail failure."""
    recipients = [r for r in recipients if r]
    if recipients:
        transaction.on_commit(lambda: send_email.enqueue(subject, body, recipients))
