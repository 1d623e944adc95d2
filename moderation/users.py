"""The admin's user and group forms, with the rules of ``moderation.access`` explained up
front: no "Administrator" (superuser) box, no privileged role for oneself, and no
permission over patient data, accounts or publishing given in the admin."""

from django import forms
from wagtail.users.forms import GroupForm, UserCreationForm, UserEditForm
from wagtail.users.views import groups
from wagtail.users.views.users import UserViewSet

from moderation.access import group_permission_problem, self_grant_problem


class ClinicUserCreationForm(UserCreationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("is_superuser", None)


class ClinicUserEditForm(UserEditForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("is_superuser", None)

    def clean_groups(self):
        groups = self.cleaned_data["groups"]
        before = set(self.instance.groups.values_list("name", flat=True))
        added = {group.name for group in groups} - before
        if problem := self_grant_problem(self.instance, added):
            raise forms.ValidationError(problem)
        return groups


class ClinicUserViewSet(UserViewSet):
    def get_form_class(self, for_update=False):
        return ClinicUserEditForm if for_update else ClinicUserCreationForm


class ClinicGroupForm(GroupForm):
    def clean_permissions(self):
        permissions = self.cleaned_data["permissions"]
        held = (
            set(self.instance.permissions.values_list("pk", flat=True))
            if self.instance.pk
            else set()
        )
        added = [p for p in permissions.select_related("content_type") if p.pk not in held]
        if problem := group_permission_problem(self.instance, added):
            raise forms.ValidationError(problem)
        return permissions


class PermissionReasonMixin:
    """Wagtail's group screen draws permissions as a table without field errors: say
    why a permission was refused in the message at the top instead."""

    def is_valid(self, form):
        valid = super().is_valid(form)
        reasons = form.errors.get("permissions")
        if not valid and reasons:
            self.produced_error_message = " ".join(reasons)
        return valid


class ClinicGroupCreateView(PermissionReasonMixin, groups.CreateView):
    pass


class ClinicGroupEditView(PermissionReasonMixin, groups.EditView):
    pass


class ClinicGroupViewSet(groups.GroupViewSet):
    add_view_class = ClinicGroupCreateView
    edit_view_class = ClinicGroupEditView

    def get_form_class(self, for_update=False):
        return ClinicGroupForm
