"""The erasure of a patient (GDPR Art. 17), asked for by one consent officer and
carried out only once a second, different officer confirms it (records.erasure).

A request never names the patient in its own text: its label, its log entries and its
emails say "patient #12", so that nothing written about the erasure holds what it erased.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from consent.models import Consent


class ErasureRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting a second officer"
        DONE = "done", "Erased"
        CANCELLED = "cancelled", "Cancelled"

    patient = models.ForeignKey(
        "consent.Patient", on_delete=models.PROTECT, related_name="erasure_requests"
    )
    received_via = models.CharField(
        "request received by",
        max_length=20,
        choices=[c for c in Consent.WithdrawalChannel.choices if c[0] != "patient_link"],
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    erased_at = models.DateTimeField(null=True, blank=True)
    # How much was deleted, by kind ({"stories": 1, "revisions": 7, ...}): counts only.
    report = models.JSONField(default=dict, blank=True, editable=False)
    # Fingerprints of erased evidence (the SHA-256 of each signed form scan), so a copy
    # produced later can still be matched to the consent without keeping the scan.
    fingerprints = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient"],
                condition=models.Q(status="pending"),
                name="one_pending_erasure_per_patient",
            )
        ]

    def __str__(self):
        return f"Erasure request #{self.pk} (patient #{self.patient_id})"
