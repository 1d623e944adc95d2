"""Workflow task types for patient content and treatment articles.

Wagtail's workflow runs these tasks in order; the publish gate (moderation.publishing)
then refuses anything that didn't pass one with a second person's approval.
"""

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from wagtail.models import AbstractGroupApprovalTask, Task, TaskState

from moderation.notifications import notify_automatic_rejection


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


class FourEyesApprovalTask(AbstractGroupApprovalTask):
    """A group approves, except whoever submitted or last edited the version under review."""

    def authors(self, task_state):
        return {
            pk
            for pk in (task_state.workflow_state.requested_by_id, task_state.revision.user_id)
            if pk
        }

    def is_author(self, obj, user):
        task_state = self.current_task_state_for(obj)
        return task_state is not None and user.pk in self.authors(task_state)

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
        if self.is_author(obj, user):
            return []
        return super().get_actions(obj, user)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = super().get_task_states_user_can_moderate(user, **kwargs)
        return states.exclude(workflow_state__requested_by=user).exclude(revision__user=user)

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve" and user and user.pk in self.authors(task_state):
            raise PermissionDenied(
                "You submitted or edited this version, so someone else must approve it."
            )
        return super().on_action(task_state, user, action_name, **kwargs)

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

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve" and (user is None or user.pk not in self.authors(task_state)):
            self.stamp_review(task_state, user)
        return super().on_action(task_state, user, action_name, **kwargs)

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
