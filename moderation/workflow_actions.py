from django.db import transaction


# Imported by wagtail.models while it loads (WAGTAIL_FINISH_WORKFLOW_ACTION), hence the
# imports inside the function.
def publish_approved_workflow_state(workflow_state, user=None):
    """WAGTAIL_FINISH_WORKFLOW_ACTION: publish the revision the reviewers approved.

    Wagtail's default publishes the latest revision; we publish the one the last task
    approved. If the content's rules no longer hold (say consent was withdrawn during
    review), the workflow goes back to the editor instead, with the reasons logged. A
    workflow that ran no task at all (an administrator emptied it) approved nothing.
    """
    from wagtail.models import WorkflowState

    from moderation.notifications import notify_publish_refused
    from moderation.publishing import PublishRefused, ensure_logged, log_refusal

    task_state = workflow_state.current_task_state
    if task_state is None:
        reasons = [
            f"The workflow \u201c{workflow_state.workflow}\u201d has no tasks, so nobody "
            "approved this: ask a site administrator to add an approval step."
        ]
        workflow_state.status = WorkflowState.STATUS_NEEDS_CHANGES
        workflow_state.save(update_fields=["status"])
        log_refusal(workflow_state.content_object, reasons, user)
        notify_publish_refused(workflow_state, reasons)
        return
    revision = task_state.revision
    try:
        with transaction.atomic():
            revision.publish(user=user, skip_permission_checks=True)
    except PublishRefused as refusal:
        workflow_state.status = WorkflowState.STATUS_NEEDS_CHANGES
        workflow_state.save(update_fields=["status"])
        ensure_logged(refusal, user, fallback=revision.as_object())
        notify_publish_refused(workflow_state, refusal.reasons)
