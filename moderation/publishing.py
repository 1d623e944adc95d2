"""The one gate every publish of patient content and treatment articles passes.

Wagtail has several publish paths (the admin's Publish action, workflow approval,
bulk actions, scheduled go-live, ``revision.publish()`` from code). They all end in
``PublishRevisionAction``, which calls the content's ``publish()`` and then saves the
object with ``live=True``. ``ModeratedMixin`` checks in both places, so no path
skips the rules: the revision was approved by a workflow with a second person's
approval (four eyes), and the content's own rules (``publish_problems``) hold.
Unpublishing is never checked: it only makes things safer.
"""

from django.core.exceptions import PermissionDenied
from wagtail.log_actions import log
from wagtail.models import TaskState, WorkflowState

PUBLISH_REFUSED = "moderation.publish_refused"


class PublishRefused(PermissionDenied):
    def __init__(self, reasons):
        self.reasons = list(reasons)
        super().__init__("Publishing was refused: " + " ".join(self.reasons))


def workflow_problems(obj, revision):
    """Why ``revision`` of ``obj`` lacks a finished, four-eyes workflow approval."""
    if revision is None or revision.pk is None:
        return ["It has no saved revision to publish."]
    state = (
        WorkflowState.objects.filter(
            base_content_type_id=revision.base_content_type_id,
            object_id=revision.object_id,
            status=WorkflowState.STATUS_APPROVED,
            current_task_state__revision_id=revision.pk,
        )
        .order_by("-created_at")
        .first()
    )
    if state is None:
        return [
            "This version has not been approved through its moderation workflow: "
            "submit it for moderation instead of publishing it directly."
        ]
    # Four eyes, whatever tasks the workflow holds: someone other than the submitter
    # and the author of this version must have approved it.
    authors = {pk for pk in (state.requested_by_id, revision.user_id) if pk}
    second_person = (
        TaskState.objects.filter(
            workflow_state=state,
            revision_id=revision.pk,
            status=TaskState.STATUS_APPROVED,
            finished_by__isnull=False,
        )
        .exclude(finished_by_id__in=authors)
        .exists()
    )
    if not second_person:
        return [
            "This version was only approved by the person who wrote or submitted it; "
            "a second person must approve it."
        ]
    return []


def refusal_reasons(obj, revision):
    return workflow_problems(obj, revision) + list(obj.publish_problems())


def refuse_unless_publishable(obj, revision, user=None):
    reasons = refusal_reasons(obj, revision)
    if reasons:
        log_refusal(obj, reasons, user)
        raise PublishRefused(reasons)


def log_refusal(obj, reasons, user=None):
    # Written after any failed savepoint so the entry survives the refused publish.
    log(instance=obj, action=PUBLISH_REFUSED, user=user, data={"reasons": reasons})


class ModeratedMixin:
    """For page and snippet models that go live only through moderation.

    Subclasses override ``publish_problems`` with their own rules (consent, review
    dates, jurisdiction), each reason a sentence an editor can act on.
    """

    def publish_problems(self):
        return []

    def get_workflow(self):
        # The workflow assigned to the content type comes first (pages included), so
        # that every story page and article gets its default workflow wherever it sits
        # in the tree; a page-tree assignment applies only to types without one.
        return type(self).get_default_workflow() or super().get_workflow()

    def publish(self, revision, user=None, **kwargs):
        try:
            refuse_unless_publishable(revision.as_object(), revision, user)
        except PublishRefused:
            if revision.approved_go_live_at:
                # A refused scheduled go-live is dropped, not retried every minute.
                revision.approved_go_live_at = None
                revision.save(update_fields=["approved_go_live_at"])
            raise
        return super().publish(revision, user=user, **kwargs)

    publish.alters_data = True

    def save(self, *args, **kwargs):
        if self._is_going_live(kwargs.get("update_fields")):
            refuse_unless_publishable(self, self.live_revision)
        return super().save(*args, **kwargs)

    def _is_going_live(self, update_fields):
        if not self.live:
            return False
        if update_fields is not None and not {"live", "live_revision"} & set(update_fields):
            return False
        if self.pk is None:
            return True
        stored = type(self)._default_manager.filter(pk=self.pk).values("live", "live_revision")
        stored = stored.first()
        return (
            stored is None
            or not stored["live"]
            or stored["live_revision"] != (self.live_revision_id)
        )
