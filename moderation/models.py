"""Workflow task types for patient content and treatment articles.

Wagtail's workflow runs these tasks in order; the publish gate (moderation.publishing)
then refuses anything that didn't pass one with a second person's approval.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from wagtail.forms import TaskStateCommentForm
from wagtail.models import AbstractGroupApprovalTask, Task, TaskState

from moderation.notifications import notify_automatic_rejection
from moderation.publishing import DEFAULT_DISTINCT_APPROVERS, required_approvers
from moderation.scanning import identifier_problems


class ApprovalRule(models.Model):
    """How many different people must approve one run of a workflow (none of them its
    submitter or the version's last editor). A workflow without a rule needs two."""

    workflow = models.OneToOneField(
        "wagtailcore.Workflow", on_delete=models.CASCADE, related_name="approval_rule"
    )
    distinct_approvers = models.PositiveSmallIntegerField(
        default=DEFAULT_DISTINCT_APPROVERS,
        validators=[MinValueValidator(1)],
        help_text="At least this many different people approve each run; one person "
        "can't give two approvals of the same run when this is 2 or more.",
    )

    class Meta:
        verbose_name = "approval rule"

    def __str__(self):
        return f"{self.workflow}: {self.distinct_approvers} different approvers"


class SignOff(models.Model):
    """The signature an approver gives with an approval (DOMAIN.md: reviewers sign off
    with name, credentials and date)."""

    task_state = models.OneToOneField(
        "wagtailcore.TaskState", on_delete=models.CASCADE, related_name="sign_off"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(max_length=200)
    credentials = models.CharField(max_length=200)
    signed_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.name}, {self.credentials} ({self.signed_at:%-d %B %Y})"


class SignOffForm(TaskStateCommentForm):
    name = forms.CharField(label="Your name", max_length=200)
    credentials = forms.CharField(
        label="Your credentials or role", max_length=200, help_text="E.g. MD, neurologist."
    )
    confirm = forms.BooleanField(
        label="I have checked this version and approve it for publication.", required=True
    )


SIGN_OFF_FIELDS = ("name", "credentials", "confirm")


def content_of(task_state):
    """The object as it stands in the revision under review (pages: the specific page)."""
    return task_state.revision.as_object()


class ConsentCheckTask(Task):
    """Automatic: passes when the content's own rules hold (consent active and covering
    everything shown, jurisdiction); otherwise sends it back with the reasons."""

    def start(self, workflow_state, user=None):
        task_state = super().start(workflow_state, user=user)
        obj = content_of(task_state)
        problems = list(getattr(obj, "publish_problems", list)())
        if patient_approves_later(task_state) and hasattr(obj, "quoted_text_problems"):
            # The patient's own sign-off, later in this workflow, supplies the approved
            # words: their absence is no reason to stop here.
            problems = [p for p in problems if p not in obj.quoted_text_problems()]
        problems += identifier_problems(obj)
        if problems:
            task_state.reject(user=None, update=False, comment="\n".join(problems))
            # Wagtail's rejection email goes out when the workflow updates; it carries
            # only the comment, so we send the submitter the reasons in full.
            notify_automatic_rejection(workflow_state, problems)
        else:
            task_state.approve(user=None, update=False, comment="Consent check passed.")
        return task_state

    def get_actions(self, obj, user):
        return []

    @classmethod
    def get_description(cls):
        return (
            "Checks automatically that the patient's consent is active and covers "
            "everything the content shows."
        )

    class Meta:
        verbose_name = "Automatic consent check"
        verbose_name_plural = "Automatic consent checks"


def patient_approves_later(task_state):
    """A later active task of this workflow takes the patient's approval of the words
    (``supplies_patient_approval``, e.g. signoff.PatientSignOffTask)."""
    workflow = task_state.workflow_state.workflow
    order = {
        link.task_id: link.sort_order
        for link in workflow.workflow_tasks.filter(task__active=True).select_related("task")
    }
    here = order.get(task_state.task_id, -1)
    later = [pk for pk, position in order.items() if position > here]
    return any(
        getattr(task.specific, "supplies_patient_approval", False)
        for task in Task.objects.filter(pk__in=later)
    )


def may_edit(obj, user):
    """Edit rights of ``user`` on ``obj`` from their own permissions, not a task's."""
    from wagtail.models import Page
    from wagtail.permission_policies import ModelPermissionPolicy
    from wagtail.permission_policies.pages import PagePermissionPolicy

    if user.is_superuser:
        return True
    if isinstance(obj, Page):
        return PagePermissionPolicy().user_has_permission_for_instance(user, "change", obj)
    return ModelPermissionPolicy(type(obj)).user_has_permission(user, "change")


class FourEyesApprovalTask(AbstractGroupApprovalTask):
    """A group approves, except whoever submitted or last edited the version under review
    and, when the workflow needs distinct approvers, whoever approved an earlier step."""

    def authors(self, task_state):
        return {
            pk
            for pk in (task_state.workflow_state.requested_by_id, task_state.revision.user_id)
            if pk
        }

    def earlier_approvers(self, task_state):
        if required_approvers(task_state.workflow_state.workflow_id) < 2:
            return set()
        return set(
            TaskState.objects.filter(
                workflow_state_id=task_state.workflow_state_id,
                revision_id=task_state.revision_id,
                status=TaskState.STATUS_APPROVED,
                finished_by__isnull=False,
            )
            .exclude(pk=task_state.pk)
            .values_list("finished_by_id", flat=True)
        )

    def excluded(self, task_state):
        return self.authors(task_state) | self.earlier_approvers(task_state)

    def is_author(self, obj, user):
        task_state = self.current_task_state_for(obj)
        return task_state is not None and user.pk in self.authors(task_state)

    def is_excluded(self, obj, user):
        task_state = self.current_task_state_for(obj)
        return task_state is not None and user.pk in self.excluded(task_state)

    def current_task_state_for(self, obj):
        return (
            TaskState.objects.filter(
                task=self,
                status=TaskState.STATUS_IN_PROGRESS,
                workflow_state__base_content_type_id=obj.get_base_content_type().pk,
                workflow_state__object_id=str(obj.pk),
            )
            .select_related("workflow_state", "revision")
            .first()
        )

    def get_actions(self, obj, user):
        if self.is_excluded(obj, user) or not super().get_actions(obj, user):
            return []
        # Approving always opens the sign-off form.
        return [("reject", "Request changes", True), ("approve", "Approve and sign off", True)]

    def get_form_for_action(self, action):
        return SignOffForm if action == "approve" else super().get_form_for_action(action)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = super().get_task_states_user_can_moderate(user, **kwargs)
        states = states.exclude(workflow_state__requested_by=user).exclude(revision__user=user)
        blocked = [
            state.pk
            for state in states.select_related("workflow_state")
            if user.pk in self.earlier_approvers(state)
        ]
        return states.exclude(pk__in=blocked)

    def on_action(self, task_state, user, action_name, **kwargs):
        sign_off = {name: kwargs.pop(name, None) for name in SIGN_OFF_FIELDS}
        if action_name == "approve":
            if user and user.pk in self.authors(task_state):
                raise PermissionDenied(
                    "You submitted or edited this version, so someone else must approve it."
                )
            if user and user.pk in self.earlier_approvers(task_state):
                raise PermissionDenied(
                    "You approved an earlier step of this run; a different person must "
                    "give this approval."
                )
            if not (sign_off["name"] and sign_off["credentials"] and sign_off["confirm"]):
                raise PermissionDenied(
                    "An approval needs your sign-off: your name, credentials and the "
                    "confirming tick."
                )
            SignOff.objects.update_or_create(
                task_state=task_state,
                defaults={
                    "user": user,
                    "name": sign_off["name"],
                    "credentials": sign_off["credentials"],
                    "signed_at": timezone.now(),
                },
            )
            self.before_approval(task_state, user)
        return super().on_action(task_state, user, action_name, **kwargs)

    def before_approval(self, task_state, user):
        pass

    @classmethod
    def get_description(cls):
        return (
            "Members of the chosen groups approve, except the person who submitted or "
            "last edited the content (four eyes)."
        )

    class Meta:
        verbose_name = "Four-eyes approval"
        verbose_name_plural = "Four-eyes approvals"


class ClinicalReviewTask(FourEyesApprovalTask):
    """Four-eyes approval by clinicians; approving records the reviewer and date on the
    content when it keeps them (treatment articles' "Last reviewed")."""

    def before_approval(self, task_state, user):
        self.stamp_review(task_state, user)

    def stamp_review(self, task_state, user):
        # The approval stamps the very revision it approves, so publishing that revision
        # carries the stamp; changing the draft instead would restart the review.
        obj = content_of(task_state)
        stamp = getattr(obj, "clinical_review_stamp", None)
        if stamp is None:
            return
        changes = stamp(user, timezone.localdate())
        if changes:
            revision = task_state.revision
            revision.content.update(changes)
            revision.save(update_fields=["content"])

    class Meta:
        verbose_name = "Clinical review"
        verbose_name_plural = "Clinical reviews"
