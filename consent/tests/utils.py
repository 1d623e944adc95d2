from django.contrib.auth.models import Group

from core import roles
from core.factories import UserFactory


class Roles:
    """Consent officers and editors, in the groups the roles migration made."""

    @classmethod
    def make_roles(cls, user_model=None):
        cls.officers = Group.objects.get(name=roles.CONSENT_OFFICERS)
        cls.editors = Group.objects.get(name=roles.EDITORS)
        cls.officer = UserFactory(username="officer", roles=[roles.CONSENT_OFFICERS])
        cls.second_officer = UserFactory(username="officer2", roles=[roles.CONSENT_OFFICERS])
        cls.editor = UserFactory(username="editor", roles=[roles.EDITORS])
