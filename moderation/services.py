"""Moderation as the rest of the site uses it, outside the admin's views."""

from wagtail.models import WorkflowState


def submit_for_moderation(obj, user=None):
    """Save a revision as ``user`` and submit it, as the admin's Submit button does:
    start the object's workflow, or resume one that was sent back for changes.

    Returns the workflow state, or None when no workflow applies (an administrator
    removed it): the revision then waits as a draft, still unpublishable.
    """
    obj.save_revision(user=user)
    state = obj.current_workflow_state
    if state is None:
        workflow = obj.get_workflow()
        return workflow.start(obj, user) if workflow is not None else None
    if state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        state.resume(user=user)
    state.refresh_from_db()
    return state
