"""The admin's user forms, with the rules of ``moderation.access`` explained up front:
no "Administrator" (superuser) box, and no privileged role for oneself."""

from django import forms
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet

from moderation.access import self_grant_problem


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
