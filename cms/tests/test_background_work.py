"""Background work that survives: emails are sent once per key however often their task
runs, "copy given to the patient" is recorded only once that mail went out, a submission
whose emails cannot be queued after the commit still thanks the person, abandoned tasks
are requeued and old results pruned."""

from datetime import timedelta
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.test import TestCase, TransactionTestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks.backends.database.models import DBTaskResult
from django_tasks.base import TaskResultStatus

from consent.factories import ConsentTextFactory
from consent.models import Consent
from core.email import send_email
from outbox.models import SentEmail
from submissions.tests.utils import FailingBackend, form_data

DATABASE_QUEUE = override_settings(
    TASKS={"default": {"BACKEND": "django_tasks.backends.database.DatabaseBackend"}}
)
SHARE = reverse("submissions:share")


class IdempotentEmailTests(TestCase):
    def test_a_task_run_twice_sends_its_mail_once(self):
        send_email.enqueue("Your copy", "Body", ["p@example.org"], key="copy-1")
        send_email.enqueue("Your copy", "Body", ["p@example.org"], key="copy-1")
        [message] = mail.outbox
        self.assertEqual(message.extra_headers["Message-ID"], "<copy-1@example.org>")
        self.assertTrue(SentEmail.objects.filter(key="copy-1").exists())

    def test_a_failed_send_records_nothing(self):
        with self.settings(
            MAILERS={"default": {"BACKEND": FailingBackend.__module__ + ".FailingBackend"}}
        ):
            send_email.enqueue("Your copy", "Body", ["p@example.org"], key="copy-2")
        self.assertFalse(SentEmail.objects.exists())


class CopyGivenTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.text = ConsentTextFactory()

    def submit(self):
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(SHARE, form_data(self.text), REMOTE_ADDR="198.51.100.3")

    def test_recorded_once_the_copy_went_out(self):
        self.assertRedirects(self.submit(), reverse("submissions:thanks"))
        consent = Consent.objects.get()
        self.assertIsNotNone(consent.copy_given_at)
        self.assertEqual(mail.outbox[0].to, ["maria@example.org"])

    def test_not_recorded_while_the_mail_server_is_down(self):
        failing = {"default": {"BACKEND": FailingBackend.__module__ + ".FailingBackend"}}
        with self.settings(MAILERS=failing):
            self.assertRedirects(self.submit(), reverse("submissions:thanks"))
        self.assertIsNone(Consent.objects.get().copy_given_at)

    @DATABASE_QUEUE
    def test_with_the_database_queue_the_emails_commit_with_the_records(self):
        with self.captureOnCommitCallbacks() as callbacks:
            self.client.post(SHARE, form_data(self.text), REMOTE_ADDR="198.51.100.3")
        consent = Consent.objects.get()
        # Written in the submission's own transaction: nothing left to run after it.
        self.assertEqual([c for c in callbacks if "enqueue" in getattr(c, "__qualname__", "")], [])
        [task] = DBTaskResult.objects.filter(task_path="core.email.send_email")
        self.assertEqual(task.args_kwargs["args"][2], ["maria@example.org"])
        self.assertEqual(task.args_kwargs["kwargs"]["key"], f"consent-copy-{consent.pk}-copy")
        self.assertIsNone(consent.copy_given_at)  # not until a worker has sent it


class AfterCommitFailureTests(TransactionTestCase):
    # Real commits, so the after-commit work runs inside the request, as in production.
    serialized_rollback = True

    @override_settings(TASKS={"default": {"BACKEND": "submissions.tests.utils.QueueDownBackend"}})
    def test_a_queue_failure_after_the_commit_still_shows_the_thank_you_page(self):
        text = ConsentTextFactory()
        response = self.client.post(SHARE, form_data(text), REMOTE_ADDR="198.51.100.3")
        self.assertRedirects(response, reverse("submissions:thanks"))
        self.assertTrue(Consent.objects.exists())
        self.assertEqual(mail.outbox, [])


class TaskMaintenanceTests(TestCase):
    def task(self, status, **fields):
        result = send_email.enqueue("S", "B", ["a@example.org"])
        DBTaskResult.objects.filter(id=result.id).update(status=status, **fields)
        return result.id

    @DATABASE_QUEUE
    def test_abandoned_tasks_are_requeued_and_old_results_pruned(self):
        now = timezone.now()
        abandoned = self.task(TaskResultStatus.RUNNING, started_at=now - timedelta(hours=1))
        running = self.task(TaskResultStatus.RUNNING, started_at=now - timedelta(seconds=5))
        old = self.task(TaskResultStatus.SUCCEEDED, finished_at=now - timedelta(days=30))
        recent = self.task(TaskResultStatus.FAILED, finished_at=now - timedelta(days=1))
        SentEmail.objects.create(key="old")
        SentEmail.objects.filter(key="old").update(sent_at=now - timedelta(days=30))
        SentEmail.objects.create(key="new")

        out = StringIO()
        call_command("maintain_tasks", stdout=out)

        status = {str(i): s for i, s in DBTaskResult.objects.values_list("id", "status")}
        self.assertEqual(status[abandoned], TaskResultStatus.READY)
        self.assertEqual(status[running], TaskResultStatus.RUNNING)
        self.assertNotIn(old, status)
        self.assertEqual(status[recent], TaskResultStatus.FAILED)
        self.assertEqual(list(SentEmail.objects.values_list("key", flat=True)), ["new"])
        self.assertIn("Requeued 1 abandoned task(s); pruned 1 task result(s)", out.getvalue())

    def test_without_the_database_queue_there_is_nothing_to_do(self):
        out = StringIO()
        call_command("maintain_tasks", stdout=out)
        self.assertIn("nothing to maintain", out.getvalue())
