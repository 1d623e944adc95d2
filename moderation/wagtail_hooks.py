import json

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from wagtail import hooks
from wagtail.admin.action_menu import SubmitForModerationMenuItem
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.views.pages.copy import CopyView
from wagtail.admin.views.pages.move import MoveConfirmView
from wagtail.models import Page

from moderation.access import GROUP_PERMISSIONS_CHANGED, ROLES_CHANGED
from moderation.models import FourEyesApprovalTask, may_edit
from moderation.publishing import (
    PUBLISH_REFUSED,
    PublishRefused,
    ensure_logged,
    is_gated,
    log_refusal,
)
from moderation.review_comments import save_review_comments
from moderation.sent_back import explain_sent_back, replace_submitted_message
from moderation.services import workflow_misconfiguration
from moderation.viewsets import ApprovalRuleViewSet

DIRECT_PUBLISH_REFUSED = (
    "This content goes live only through its moderation workflow. "
    "Use \u201cSubmit for moderation\u201d instead of publishing it directly."
)


@hooks.register("register_admin_viewset")
def register_approval_rules():
    return ApprovalRuleViewSet("approval_rules")


@hooks.register("register_log_actions")
def register_moderation_log_actions(actions):
    def refused_message(data):
        return "Publishing refused: " + " ".join(data.get("reasons", []))

    actions.register_action(PUBLISH_REFUSED, "Publishing refused", refused_message)

    def roles_message(data):
        return (
            f"Roles of {data.get('user')} changed by {data.get('by')}: "
            f"{', '.join(data.get('before', [])) or 'none'} \u2192 "
            f"{', '.join(data.get('after', [])) or 'none'}"
        )

    actions.register_action(ROLES_CHANGED, "Roles changed", roles_message)

    def group_message(data):
        return (
            f"Permissions of {data.get('group')} changed by {data.get('by')}: "
            f"added {', '.join(data.get('added', [])) or 'none'}; "
            f"removed {', '.join(data.get('removed', [])) or 'none'}"
        )

    actions.register_action(GROUP_PERMISSIONS_CHANGED, "Group permissions changed", group_message)


# The publish gate refuses a direct publish on every path; these hooks keep editors
# from reaching it in the admin, and explain instead of showing a bare 403.


def remove_publish_items(menu_items, obj):
    if is_gated(obj):
        menu_items[:] = [item for item in menu_items if item.name != "action-publish"]


def page_being_created(request):
    """The (unsaved) page of the admin's create view, which gives its menu no page."""
    match = request.resolver_match
    if match is None or match.url_name != "add":
        return None
    model = apps.get_model(
        match.kwargs["content_type_app_name"], match.kwargs["content_type_model_name"]
    )
    return model()


class SubmitToTypeWorkflowMenuItem(SubmitForModerationMenuItem):
    """On a new page, Wagtail names the parent's workflow; ours follow the page type."""

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        page = context.get("page") or page_being_created(parent_context["request"])
        if page is not None and not page.pk and (workflow := page.get_workflow()):
            context["label"] = f"Submit to {workflow.name}"
        return context


@hooks.register("construct_page_action_menu")
def hide_page_publish_button(menu_items, request, context):
    page = context.get("page") or page_being_created(request)
    if is_gated(page) and not page.pk:
        menu_items[:] = [
            SubmitToTypeWorkflowMenuItem(order=item.order)
            if item.name == "action-submit"
            else item
            for item in menu_items
        ]
    remove_publish_items(menu_items, page)


@hooks.register("construct_snippet_action_menu")
def hide_snippet_publish_button(menu_items, request, context):
    obj = context.get("instance") or (context.get("model") or object)()
    remove_publish_items(menu_items, obj)


def refuse_direct_publish(request, obj, redirect_to, workflow=None):
    publishing = request.method == "POST" and request.POST.get("action-publish")
    if publishing and is_gated(obj):
        if obj.pk:
            log_refusal(obj, [DIRECT_PUBLISH_REFUSED], request.user)
        messages.error(request, DIRECT_PUBLISH_REFUSED)
        return redirect(redirect_to)
    submitting = request.method == "POST" and request.POST.get("action-submit")
    if submitting and (problem := workflow_misconfiguration(workflow)):
        messages.error(request, f"Not submitted: {problem}")
        return redirect(redirect_to)
    explain_four_eyes(request, obj)
    explain_sent_back(request, obj)
    return None


def workflow_of(obj, parent_page=None):
    """The workflow a submit would start (a new page has no tree position yet)."""
    if obj.pk or not isinstance(obj, Page):
        return obj.get_workflow()
    return type(obj).get_default_workflow() or (parent_page and parent_page.get_workflow())


def review_without_editing(request, obj, redirect_to):
    """Reviewers reach the editor through their task (Wagtail lets a task's group in) to
    read, preview, compare and act on it; without edit rights of their own, a POST
    performs their workflow action and saves nothing else."""
    if request.method != "POST" or not obj.pk or may_edit(obj, request.user):
        return None
    task_state = getattr(obj, "current_workflow_task_state", None)
    commented = save_review_comments(request, obj) if task_state is not None else 0
    action = request.POST.get("workflow-action-name")
    if request.POST.get("action-workflow-action") and task_state is not None:
        task = task_state.task.specific
        if action in {name for name, _, _ in task.get_actions(obj, request.user)}:
            extra = json.loads(request.POST.get("workflow-action-extra-data") or "{}")
            try:
                task.on_action(task_state, request.user, action, **extra)
            except PermissionDenied as refused:
                messages.error(request, str(refused))
                return redirect(redirect_to)
            messages.success(request, f"\u201c{obj}\u201d: your decision is recorded.")
            return redirect("wagtailadmin_home")
    if commented:
        messages.success(request, "Your comments are saved; the content is unchanged.")
        return redirect(redirect_to)
    messages.error(
        request,
        "You can review this but not change it: approve it, or request changes with a comment.",
    )
    return redirect(redirect_to)


@hooks.register("before_edit_page")
def refuse_direct_page_publish(request, page):
    page = page.specific
    return review_without_editing(request, page, request.get_full_path()) or (
        refuse_direct_publish(request, page, request.get_full_path(), workflow_of(page))
    )


@hooks.register("before_create_page")
def refuse_direct_page_publish_on_create(request, parent_page, page_class):
    page = page_class()
    return refuse_direct_publish(
        request, page, request.get_full_path(), workflow_of(page, parent_page)
    )


@hooks.register("before_edit_snippet")
def refuse_direct_snippet_publish(request, instance):
    workflow = instance.get_workflow() if hasattr(instance, "get_workflow") else None
    return review_without_editing(request, instance, request.get_full_path()) or (
        refuse_direct_publish(request, instance, request.get_full_path(), workflow)
    )


@hooks.register("before_create_snippet")
def refuse_direct_snippet_publish_on_create(request, model):
    workflow = model.get_default_workflow() if hasattr(model, "get_default_workflow") else None
    return refuse_direct_publish(request, model(), request.get_full_path(), workflow)


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def back_to_a_submission_sent_back(request, obj):
    """A submission the automatic check sent straight back gets no "submitted" toast:
    the editor is taken back to the item, which says why."""
    obj = obj.specific if hasattr(obj, "specific") else obj
    if replace_submitted_message(request, obj):
        return redirect(AdminURLFinder(request.user).get_edit_url(obj))
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_publish(request, action_type, objects, action_class_instance):
    if action_type != "publish":
        return None
    moderated = [obj for obj in objects if is_gated(obj.specific)]
    if not moderated:
        return None
    for obj in moderated:
        log_refusal(obj.specific, [DIRECT_PUBLISH_REFUSED], request.user)
    messages.error(request, DIRECT_PUBLISH_REFUSED)
    return redirect(request.GET.get("next") or "wagtailadmin_explore_root")


# Copy and move run several saves; Wagtail's views commit each as it goes, so a refusal
# half-way left a live copy behind. These hooks run the view again inside one
# transaction: a refused copy or move changes nothing and says why.


def run_atomically(request, view, fallback, **kwargs):
    if request.method != "POST" or getattr(request, "_moderation_atomic", False):
        return None
    request._moderation_atomic = True
    try:
        with transaction.atomic():
            return view(request, **kwargs)
    except PublishRefused as refusal:
        ensure_logged(refusal, request.user, fallback=fallback)
        messages.error(request, "Refused: " + " ".join(refusal.reasons))
        return redirect(request.get_full_path())


@hooks.register("before_copy_page")
def copy_atomically(request, page):
    return run_atomically(request, CopyView.as_view(), page.specific, page_id=page.pk)


@hooks.register("before_move_page")
def move_atomically(request, page, destination):
    return run_atomically(
        request,
        MoveConfirmView.as_view(),
        page,
        page_to_move_id=page.pk,
        destination_id=destination.pk,
    )


@hooks.register("before_convert_alias_page")
def refuse_converting_a_live_alias(request, page):
    """A converted alias becomes a page of its own: live, it would need its own
    approved workflow run, which it can't have yet."""
    if request.method != "POST" or not page.live:
        return None
    reasons = [
        "A live alias can't become an ordinary page without review: unpublish it, "
        "convert it, then submit it for moderation."
    ]
    log_refusal(page, reasons, request.user)
    messages.error(request, "Refused: " + " ".join(reasons))
    return redirect("wagtailadmin_pages:edit", page.pk)


def explain_four_eyes(request, obj):
    """Tell an approver who wrote or submitted the version why they can't approve it."""
    if request.method != "GET" or not getattr(obj, "pk", None):
        return
    task = getattr(obj, "current_workflow_task", None)
    if not isinstance(task, FourEyesApprovalTask):
        return
    if task._user_in_groups(request.user) and task.is_author(obj, request.user):
        messages.warning(
            request,
            f"You submitted or edited this version, so you can\u2019t give the "
            f"\u201c{task.name}\u201d approval: another member of the group must (four eyes).",
        )
