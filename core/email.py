"""Email goes out in the background so that nothing a user does fails because a mail
server is down: callers queue it with their transaction (queue_email), a failed send is
retried with a growing delay, and a task run twice sends its mail once (outbox)."""

import logging
import uuid
from datetime import timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks.backends.database import DatabaseBackend

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6


@task()
def send_email(subject, body, recipients, attempt=1, key=None):
    """Send once per ``key``: a task run again (retried, recovered) skips a sent key."""
    from outbox.models import SentEmail, email_sent

    if key and SentEmail.objects.filter(key=key).exists():
        logger.info("Email %s was already sent; not sending it again", key)
        return
    try:
        # The same Message-ID on every attempt: a duplicate, if any, shows once.
        headers = {"Message-ID": f"<{key}@{_domain()}>"} if key else {}
        EmailMessage(subject=subject, body=body, to=list(recipients), headers=headers).send()
    except Exception:
        # The immediate backend of dev and tests cannot defer a retry: fail with the
        # mail error itself rather than the backend's refusal of run_after.
        if attempt >= MAX_ATTEMPTS or not send_email.get_backend().supports_defer:
            logger.exception("Giving up sending %r to %s", subject, recipients)
            raise
        delay = timedelta(minutes=2**attempt)
        logger.warning("Sending %r failed; retrying in %s", subject, delay)
        retry = send_email.using(run_after=timezone.now() + delay)
        retry.enqueue(subject, body, list(recipients), attempt=attempt + 1, **_key(key))
        return
    if key:
        SentEmail.objects.get_or_create(key=key)
        email_sent.send(sender=SentEmail, key=key)


def _key(key):
    return {"key": key} if key else {}


def _domain():
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"


def queue_email(subject, body, recipients, key=None):
    """Send after the current transaction commits, once per ``key`` (default: new).

    With the database queue the task row is written in the caller's transaction: it
    commits with the records it is about, or not at all, and nothing is left to fail
    after the commit. Other backends (the immediate one of dev and tests) enqueue after
    the commit; a failure there is logged, never raised into a request that has saved.
    """
    recipients = [r for r in recipients if r]
    if not recipients:
        return
    key = key or uuid.uuid4().hex
    if isinstance(send_email.get_backend(), DatabaseBackend):
        send_email.enqueue(subject, body, recipients, key=key)
    else:
        transaction.on_commit(
            lambda: send_email.enqueue(subject, body, recipients, key=key), robust=True
        )
