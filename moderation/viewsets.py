from wagtail.admin.viewsets.model import ModelViewSet

from moderation.models import ApprovalRule


class ApprovalRuleViewSet(ModelViewSet):
    """Settings -> Approval rules: how many different people approve a workflow's run."""

    model = ApprovalRule
    icon = "tasks"
    menu_label = "Approval rules"
    add_to_settings_menu = True
    form_fields = ["workflow", "distinct_approvers"]
    list_display = ["workflow", "distinct_approvers"]
