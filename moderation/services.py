"""Moderation as the rest of the site uses it, outside the admin's views."""

from wagtail.models import WorkflowState


class WorkflowMisconfigured(Exception):
    pass


def workflow_misconfiguration(workflow):
    """What keeps ``workflow`` from approving anything, as a sentence; "" when it can."""
    if workflow is None:
        return ""
    if not workflow.tasks.filter(active=True).exists():
        return (
            f"The workflow \u201c{workflow.name}\u201d has no active tasks, so nothing "
            "submitted to it can be approved. Ask a site administrator to add an "
            "approval step (Settings \u2192 Workflows)."
        )
    return ""


def submit_for_moderation(obj, user=None):
    """Save a revision as ``user`` and submit it, as the admin's Submit button does:
    start the object's workflow, or resume one that was sent back for changes.

    Returns the workflow state, or None when no workflow applies (an administrator
    removed it): the revision then waits as a draft, still unpublishable. Raises
    WorkflowMisconfigured when the workflow has no task to approve it.
    """
    obj.save_revision(user=user)
    state = obj.current_workflow_state
    if state is None:
        workflow = obj.get_workflow()
        if problem := workflow_misconfiguration(workflow):
            raise WorkflowMisconfigured(problem)
        return workflow.start(obj, user) if workflow is not None else None
    if state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        state.resume(user=user)
    state.refresh_from_db()
    return state
