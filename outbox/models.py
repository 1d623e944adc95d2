"""What makes a retried email task idempotent: the record that its mail went out.

A task can run twice: the worker may be killed after the mail server took the message
and before the task was marked done, and the recovery (cms maintain_tasks) runs it
again. The email task looks here first and skips a key already sent. The window between
the mail server's answer and this row is the one place a duplicate remains possible;
the message keeps the same Message-ID every time, so mail clients show it once.
"""

from django.db import models
from django.dispatch import Signal

# Sent once an email has gone out, with its key. Receivers record what depends on it
# (consent.copies: "a copy was given to the patient").
email_sent = Signal()


class SentEmail(models.Model):
    key = models.CharField(max_length=100, unique=True)
    sent_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return self.key
