"""Housekeeping of the database task queue (run by the scheduler every minute).

- A task still RUNNING long after it started belongs to a worker that died (killed,
  out of memory, its machine gone): nothing else will ever finish it. It is put back in
  the queue to run again; our email task is idempotent (outbox), Wagtail's tasks
  (reference index, file clean-up) are safe to repeat.
- Finished task results, and the record of sent emails, are deleted after a retention
  period: each submission leaves rows that nothing else deletes.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task_backends
from django_tasks.backends.database import DatabaseBackend
from django_tasks.backends.database.models import DBTaskResult
from django_tasks.base import TaskResultStatus

from outbox.models import SentEmail

logger = logging.getLogger("cms.tasks")


def database_backends():
    return [alias for alias in settings.TASKS if isinstance(task_backends[alias], DatabaseBackend)]


def recover_abandoned(now=None):
    """Put tasks RUNNING for longer than TASK_RUNNING_TIMEOUT back in the queue."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.TASK_RUNNING_TIMEOUT)
    abandoned = DBTaskResult.objects.filter(
        backend_name__in=database_backends(),
        status=TaskResultStatus.RUNNING,
        started_at__lt=cutoff,
    )
    ids = list(abandoned.values_list("id", flat=True))
    if ids:
        # Only those still running: a worker that finishes one meanwhile keeps its result.
        DBTaskResult.objects.filter(id__in=ids, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.READY, started_at=None
        )
        logger.warning("Requeued %d task(s) abandoned by a worker: %s", len(ids), ids)
    return ids


def prune(now=None):
    """Delete finished task results and sent-email records past the retention period."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.TASK_RESULT_RETENTION_DAYS)
    results, _ = (
        DBTaskResult.objects.finished()
        .filter(backend_name__in=database_backends(), finished_at__lt=cutoff)
        .delete()
    )
    emails, _ = SentEmail.objects.filter(sent_at__lt=cutoff).delete()
    if results or emails:
        logger.info("Pruned %d task result(s) and %d sent-email record(s)", results, emails)
    return results, emails


def backlog(now=None):
    """(ready tasks waiting, seconds the oldest has waited) for the health endpoint."""
    now = now or timezone.now()
    ready = DBTaskResult.objects.ready().filter(backend_name__in=database_backends())
    oldest = ready.order_by("enqueued_at").values_list("enqueued_at", "run_after").first()
    waited = 0
    if oldest:
        enqueued_at, run_after = oldest
        since = max(enqueued_at, run_after) if run_after.year < 9999 else enqueued_at
        waited = max(0, int((now - since).total_seconds()))
    return ready.count(), waited
