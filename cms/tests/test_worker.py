"""Background tasks in production: enqueued to the database by the web process, run by
a separate `manage.py db_worker` process. Wagtail 8 and we both use the django-tasks
backport (`django_tasks`); these tests prove its 0.11 DatabaseBackend and worker run
Wagtail's tasks and ours under Django 6, whose own `django.tasks` also reads TASKS.
CI runs them on PostgreSQL (DATABASE_URL); locally they also run on the SQLite file."""

import email
import signal

import pytest
from django.test import override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus, task_backends
from django_tasks.backends.database.models import DBTaskResult
from wagtail.models import Page, ReferenceIndex
from wagtail.tasks import update_reference_index_task

from cms.tests.processes import PYTHON, free_port, production_env, running, wait_for
from core.email import send_email
from home.models import HomePage

pytestmark = [
    pytest.mark.slow,
    # The worker is another process: it only sees committed rows.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DATABASE_QUEUE = override_settings(
    TASKS={"default": {"BACKEND": "django_tasks.backends.database.DatabaseBackend"}}
)


def worker(*options, **env):
    args = [PYTHON, "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay"]
    return running([*args, *options], production_env(**env))


def status(result):
    return DBTaskResult.objects.get(id=result.id).status


@DATABASE_QUEUE
def test_a_worker_process_runs_a_wagtail_task_and_one_of_ours(tmp_path):
    assert type(task_backends["default"]).__name__ == "DatabaseBackend"
    # A link from the home page to itself, stored without the signals that would index it.
    home = Page.objects.get(depth=2)
    link = f'<p><a linktype="page" id="{home.pk}">Home</a></p>'
    HomePage.objects.filter(pk=home.pk).update(intro=link)
    ReferenceIndex.objects.all().delete()

    wagtail_result = update_reference_index_task.enqueue("home", "homepage", home.pk)
    our_result = send_email.enqueue("Consent withdrawn", "Story 12 is offline.", ["a@example.org"])
    assert status(wagtail_result) == status(our_result) == TaskResultStatus.READY

    outbox = tmp_path / "outbox"
    env = {
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": outbox,
    }
    with worker(**env) as process:
        try:
            wait_for(
                lambda: (
                    process.poll() is not None
                    or {status(wagtail_result), status(our_result)} <= {TaskResultStatus.SUCCEEDED}
                ),
                timeout=60,
                message="both tasks to succeed",
            )
        except AssertionError:
            pytest.fail(f"Worker did not run the tasks:\n{process.output()}")
        assert process.poll() is None, process.output()

        # docker stop: SIGTERM, and the idle worker exits cleanly.
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0, process.output()

    reference = ReferenceIndex.objects.get()
    assert reference.object_id == reference.to_object_id == str(home.pk)
    [sent] = outbox.iterdir()
    message = email.message_from_bytes(sent.read_bytes())
    assert message["Subject"] == "Consent withdrawn"
    assert message["To"] == "a@example.org"


@DATABASE_QUEUE
def test_a_failed_send_is_retried_later_not_lost():
    first = send_email.enqueue("Your consent copy", "Attached.", ["patient@example.org"])

    # Nothing listens on this port: the SMTP connection is refused.
    env = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": free_port(),
    }
    # --batch: run what is ready, then exit; the retry is deferred, so not ready yet.
    with worker("--batch", **env) as process:
        assert process.wait(timeout=60) == 0, process.output()

    assert status(first) == TaskResultStatus.SUCCEEDED
    retry = DBTaskResult.objects.exclude(id=first.id).get()
    assert retry.task_path == "core.email.send_email"
    assert retry.status == TaskResultStatus.READY
    assert retry.args_kwargs == {
        "args": ["Your consent copy", "Attached.", ["patient@example.org"]],
        "kwargs": {"attempt": 2},
    }
    delay = retry.run_after - timezone.now()
    assert 60 < delay.total_seconds() <= 2 * 60  # 2**1 minutes after the first failure
