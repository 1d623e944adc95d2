"""Content a workflow sent back for changes, and why, for the admin to show: on the
item (a message when it is opened), in listings (a column) and right after a submit
that the automatic consent check refused (no "submitted" success message then)."""

from django.contrib import messages
from django.db.models import CharField, OuterRef, Subquery
from django.db.models.functions import Cast
from django.utils.html import format_html, format_html_join
from wagtail.admin.ui.tables import Column
from wagtail.models import TaskState, WorkflowState


def sent_back_reason(obj):
    """(task name, reasons as a list) if the item's workflow is waiting for changes."""
    state = getattr(obj, "current_workflow_state", None)
    if state is None or state.status != WorkflowState.STATUS_NEEDS_CHANGES:
        return None
    task_state = state.current_task_state
    if task_state is None:
        return None
    reasons = [line for line in (task_state.comment or "").splitlines() if line.strip()]
    return task_state.task.name, reasons


def sent_back_annotation(model):
    """A queryset annotation: the comment of the rejection that is waiting for changes."""
    from django.contrib.contenttypes.models import ContentType

    # Workflow states point at the base model: Page for every page type.
    base_model = (model._meta.get_parent_list() or [model])[-1]
    content_type = ContentType.objects.get_for_model(base_model)
    rejected = TaskState.objects.filter(
        workflow_state__base_content_type=content_type,
        workflow_state__object_id=Cast(OuterRef("pk"), CharField()),
        workflow_state__status=WorkflowState.STATUS_NEEDS_CHANGES,
        status=TaskState.STATUS_REJECTED,
    ).order_by("-finished_at", "-pk")
    return Subquery(rejected.values("comment")[:1])


class SentBackColumn(Column):
    """Why the item was sent back, from the ``sent_back_because`` annotation."""

    def __init__(self, **kwargs):
        super().__init__("sent_back_because", label="Sent back because", **kwargs)

    def get_value(self, instance):
        return " ".join((getattr(instance, "sent_back_because", "") or "").split("\n"))


def sent_back_message(obj):
    found = sent_back_reason(obj)
    if found is None:
        return None
    task, reasons = found
    if not reasons:
        return format_html("\u201c{}\u201d sent this back for changes.", task)
    return format_html(
        "\u201c{}\u201d sent this back for changes:<ul>{}</ul>Fix what is listed, then submit "
        "it again.",
        task,
        format_html_join("", "<li>{}</li>", ((reason,) for reason in reasons)),
    )


def explain_sent_back(request, obj):
    """On opening a sent-back item, say why (the reasons were only in an email before)."""
    if request.method == "GET" and getattr(obj, "pk", None):
        message = sent_back_message(obj)
        if message:
            messages.warning(request, message)


def replace_submitted_message(request, obj):
    """After a submit the workflow sent straight back: drop the "submitted for moderation"
    success message Wagtail queued; the item's page then explains why."""
    if request.POST.get("action-submit") is None or sent_back_reason(obj) is None:
        return False
    storage = messages.get_messages(request)
    # Iterating marks every message as read; the ones we keep are queued again.
    kept = [message for message in storage if message.level != messages.SUCCESS]
    for message in kept:
        messages.add_message(request, message.level, message.message, message.extra_tags)
    return True
