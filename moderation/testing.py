"""For tests and the demo loader only: take content live the only way it goes live,
through its workflow, each task approved by a member of its group (created if none).
Each step is approved, with a sign-off, by someone who is neither the submitter nor an
earlier approver; a patient's sign-off is given as the patient gives it
(signoff.services). Nothing here skips a rule; production code submits with
``moderation.services``."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import AbstractGroupApprovalTask, WorkflowState

from core.roles import EDITORS
from moderation.services import submit_for_moderation


class WorkflowNotApproved(Exception):
    pass


def member_of(groups, exclude=()):
    """An active member of one of ``groups`` who is not in ``exclude``; created if none."""
    users = get_user_model().objects.filter(groups__in=groups, is_active=True)
    user = users.exclude(pk__in=[u.pk for u in exclude]).order_by("pk").first()
    if user is None:
        group = groups[0]
        username = f"{group.name.lower().replace(' ', '-')}-{group.user_set.count() + 1}"
        user = get_user_model().objects.create_user(
            username=username, email=f"{username}@example.org"
        )
        user.groups.add(group)
    return user


def sign_off(user):
    """What an approver types into the sign-off form."""
    name = user.get_full_name() or user.get_username()
    return {"name": name, "credentials": "Demo approver", "confirm": True, "comment": ""}


def approve_current_task(state, exclude=()):
    """Approve the current task as a member of its group other than ``exclude``, with a
    sign-off; returns the approver (None for the patient's own sign-off)."""
    task_state = state.current_task_state
    task = task_state.task.specific
    if hasattr(task, "approve_as_patient_for_demo"):
        # The patient's sign-off (signoff.PatientSignOffTask): no staff member can give it.
        task.approve_as_patient_for_demo(task_state)
        state.refresh_from_db()
        return None
    if isinstance(task, AbstractGroupApprovalTask):
        approver = member_of(list(task.groups.all()), exclude=exclude)
    else:
        approver = member_of([Group.objects.get(name=EDITORS)], exclude=exclude)
    task.on_action(task_state, approver, "approve", **sign_off(approver))
    state.refresh_from_db()
    return approver


def pass_patient_sign_off(state):
    """When the run waits for the patient's sign-off, give it as the patient does; the
    state refreshed either way."""
    state.refresh_from_db()
    task_state = state.current_task_state
    if state.status == WorkflowState.STATUS_IN_PROGRESS and hasattr(
        task_state.task.specific, "approve_as_patient_for_demo"
    ):
        approve_current_task(state)
    return state


def publish_through_workflow(obj, submitter=None):
    """Submit ``obj`` and approve each task in turn; return it refreshed from the database.

    Raises WorkflowNotApproved with the reasons when a task (such as the automatic
    consent check) sends it back, or when publishing is refused at the end.
    """
    submitter = submitter or member_of([Group.objects.get(name=EDITORS)])
    state = submit_for_moderation(obj, submitter)
    # Each step by someone new: the default workflows need distinct approvers.
    approvers = [submitter]
    while state.status == WorkflowState.STATUS_IN_PROGRESS:
        approver = approve_current_task(state, exclude=approvers)
        if approver is not None:
            approvers.append(approver)
    if state.status != WorkflowState.STATUS_APPROVED or not _is_live_or_scheduled(obj):
        comment = state.current_task_state.comment if state.current_task_state else ""
        raise WorkflowNotApproved(comment or f"Workflow ended as {state.status}.")
    obj.refresh_from_db()
    return obj


def _is_live_or_scheduled(obj):
    fresh = type(obj)._default_manager.get(pk=obj.pk)
    return fresh.live or fresh.go_live_at is not None
