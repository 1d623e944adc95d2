from django.core import mail
from django.test import TestCase, override_settings
from django_tasks import TaskResultStatus

from cms.tests.processes import free_port
from core.email import queue_email, send_email


class EmailTests(TestCase):
    def test_queued_email_goes_out_after_the_transaction_commits(self):
        with self.captureOnCommitCallbacks(execute=True):
            queue_email("Consent recorded", "Thank you.", ["patient@example.org", ""])
            self.assertEqual(mail.outbox, [])

        [message] = mail.outbox
        self.assertEqual(message.subject, "Consent recorded")
        self.assertEqual(message.to, ["patient@example.org"])

    def test_without_a_queue_that_can_defer_a_failed_send_fails_with_the_mail_error(self):
        refused = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
            }
        }
        with override_settings(MAILERS=refused):
            result = send_email.enqueue("Hello", "Body", ["a@example.org"])

        self.assertEqual(result.status, TaskResultStatus.FAILED)
        self.assertIs(result.errors[0].exception_class, ConnectionRefusedError)
