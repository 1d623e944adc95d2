from django.apps import apps
from django.contrib import messages
from django.shortcuts import redirect
from wagtail import hooks
from wagtail.admin.action_menu import SubmitForModerationMenuItem
from wagtail.admin.admin_url_finder import AdminURLFinder

from moderation.models import FourEyesApprovalTask
from moderation.publishing import PUBLISH_REFUSED, ModeratedMixin, log_refusal
from moderation.sent_back import explain_sent_back, replace_submitted_message

DIRECT_PUBLISH_REFUSED = (
    "This content goes live only through its moderation workflow. "
    "Use \u201cSubmit for moderation\u201d instead of publishing it directly."
)


@hooks.register("register_log_actions")
def register_moderation_log_actions(actions):
    def refused_message(data):
        return "Publishing refused: " + " ".join(data.get("reasons", []))

    actions.register_action(PUBLISH_REFUSED, "Publishing refused", refused_message)


# The publish gate refuses a direct publish on every path; these hooks keep editors
# from reaching it in the admin, and explain instead of showing a bare 403.


def remove_publish_items(menu_items, obj):
    if isinstance(obj, ModeratedMixin):
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
    if isinstance(page, ModeratedMixin) and not page.pk:
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


def refuse_direct_publish(request, obj, redirect_to):
    publishing = request.method == "POST" and request.POST.get("action-publish")
    if publishing and isinstance(obj, ModeratedMixin):
        if obj.pk:
            log_refusal(obj, [DIRECT_PUBLISH_REFUSED], request.user)
        messages.error(request, DIRECT_PUBLISH_REFUSED)
        return redirect(redirect_to)
    explain_four_eyes(request, obj)
    explain_sent_back(request, obj)
    return None


@hooks.register("before_edit_page")
def refuse_direct_page_publish(request, page):
    return refuse_direct_publish(request, page.specific, request.get_full_path())


@hooks.register("before_create_page")
def refuse_direct_page_publish_on_create(request, parent_page, page_class):
    return refuse_direct_publish(request, page_class(), request.get_full_path())


@hooks.register("before_edit_snippet")
def refuse_direct_snippet_publish(request, instance):
    return refuse_direct_publish(request, instance, request.get_full_path())


@hooks.register("before_create_snippet")
def refuse_direct_snippet_publish_on_create(request, model):
    return refuse_direct_publish(request, model(), request.get_full_path())


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
    moderated = [obj for obj in objects if isinstance(obj.specific, ModeratedMixin)]
    if not moderated:
        return None
    for obj in moderated:
        log_refusal(obj.specific, [DIRECT_PUBLISH_REFUSED], request.user)
    messages.error(request, DIRECT_PUBLISH_REFUSED)
    return redirect(request.GET.get("next") or "wagtailadmin_explore_root")


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
