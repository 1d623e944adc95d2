"""The patient's sign-off of the final words: a workflow task nobody in the admin can
approve. Starting it emails the patient a signed link (signoff.views) to exactly what
will be published; their answer approves the task, with evidence, or sends the content
back with their message (FTC 16 CFR 255.1: quotes stay as the patient approved them).
"""

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from wagtail.models import Task, TaskState

from stories.models.patient_content import normalise

ONLY_THE_PATIENT = (
    "Only the patient approves this step, from the link in the email they were sent; "
    "nobody can approve it for them."
)


class PatientSignOffTask(Task):
    """Waits for the patient's answer. The publish gate (moderation.publishing) asks
    ``publish_problems`` of every approved task state of the run it publishes."""

    # The automatic consent check leaves the approved text to this step.
    supplies_patient_approval = True

    def start(self, workflow_state, user=None):
        from signoff.services import open_request

        task_state = super().start(workflow_state, user=user)
        open_request(task_state)
        return task_state

    def get_actions(self, obj, user):
        return []

    def on_action(self, task_state, user, action_name, **kwargs):
        raise PermissionDenied(ONLY_THE_PATIENT)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        return TaskState.objects.none()

    def publish_problems(self, task_state, obj):
        """Why ``obj`` may not go live on this approval of the task: no evidence of the
        patient's approval, or quoted words that differ from those they approved."""
        approval = PatientApproval.objects.filter(task_state=task_state).first()
        if approval is None:
            return [f"The patient's sign-off (\u201c{self.name}\u201d) has no recorded approval."]
        quoted = getattr(obj, "quoted_text", None)
        if quoted is not None and normalise(quoted()) != normalise(approval.approved_text):
            return [
                "The patient's words differ from those the patient approved: their sign-off "
                "must be given again for the new words (FTC 16 CFR 255.1)."
            ]
        return []

    def approve_as_patient_for_demo(self, task_state):
        """For moderation.testing and load_demo only: the patient's approval through the
        same code as the page's Approve button, as a simulated browser."""
        from signoff.services import approve, render_for_patient

        request = task_state.patient_sign_off
        approve(request, render_for_patient(request), ip="127.0.0.1", user_agent=DEMO_AGENT)

    @classmethod
    def get_description(cls):
        return (
            "Emails the patient a link to exactly what will be published; they approve it "
            "or ask for changes. Nobody else can approve this step."
        )

    class Meta:
        verbose_name = "Patient sign-off"
        verbose_name_plural = "Patient sign-offs"


DEMO_AGENT = "Simulated patient (demo data and tests)"


class SignOffRequest(models.Model):
    """One request to the patient, for one task state (one version of the content)."""

    class Decision(models.TextChoices):
        PENDING = "pending", "Waiting for the patient"
        APPROVED = "approved", "Approved by the patient"
        CHANGES = "changes", "Patient asked for changes"
        EXPIRED = "expired", "Expired without an answer"

    task_state = models.OneToOneField(
        "wagtailcore.TaskState", on_delete=models.CASCADE, related_name="patient_sign_off"
    )
    consent = models.ForeignKey(
        "consent.Consent", on_delete=models.PROTECT, related_name="sign_off_requests"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    reminded_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField(max_length=10, choices=Decision, default=Decision.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)
    message = models.TextField(
        blank=True, help_text="What the patient asked to change, in their words."
    )

    class Meta:
        indexes = [models.Index(fields=["decision", "expires_at"])]

    def __str__(self):
        return f"Sign-off request #{self.pk} ({self.get_decision_display()})"

    def content(self):
        """The content as it stands in the version the patient is asked about."""
        return self.task_state.revision.as_object()

    def is_open(self, at=None):
        return (
            self.decision == self.Decision.PENDING
            and self.task_state.status == TaskState.STATUS_IN_PROGRESS
            and self.expires_at > (at or timezone.now())
        )


class PatientApproval(models.Model):
    """Evidence of the patient's approval: when, from where, with what browser, and
    exactly what they saw (the HTML of the page's content) with its SHA-256 hash. Kept
    when the content or its workflow is deleted (the links become empty)."""

    request = models.OneToOneField(
        SignOffRequest, null=True, on_delete=models.SET_NULL, related_name="approval"
    )
    task_state = models.ForeignKey(
        "wagtailcore.TaskState", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    consent = models.ForeignKey(
        "consent.Consent", on_delete=models.PROTECT, related_name="patient_approvals"
    )
    # What was approved, also after the content is gone: e.g. "stories.testimonial" 12.
    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(max_length=255)
    approved_at = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.TextField(blank=True)
    content_html = models.TextField(help_text="Exactly what the patient was shown.")
    content_sha256 = models.CharField("SHA-256 of what the patient saw", max_length=64)
    approved_text = models.TextField(
        blank=True, help_text="The patient's quoted words, as they approved them."
    )

    class Meta:
        ordering = ["-approved_at"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        what = f"{self.content_type.name} {self.object_id}"
        return f"Patient approval of {what} ({self.approved_at:%Y-%m-%d})"


class RateLimitCounter(models.Model):
    """Answers sent from one address in one window (core.ratelimit)."""

    kind = models.CharField(max_length=20)
    address = models.CharField(max_length=45)
    period = models.BigIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "address", "period"], name="unique_signoff_rate_limit_counter"
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.address} @{self.period}: {self.count}"
