from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from moderation import roles


def user_in(role, username, **extra):
    user = get_user_model().objects.create_user(
        username=username, email=f"{username}@clinic.example", password="pw", **extra
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


class RoleUsers:
    @classmethod
    def make_users(cls):
        cls.editor = user_in(roles.EDITORS, "edna")
        cls.reviewer = user_in(roles.CLINICAL_REVIEWERS, "rhea")
        cls.approver = user_in(roles.COMPLIANCE_APPROVERS, "april")
        cls.second_approver = user_in(roles.COMPLIANCE_APPROVERS, "abe")
        cls.officer = user_in(roles.CONSENT_OFFICERS, "otto")
        cls.superuser = get_user_model().objects.create_superuser(
            username="root", email="root@clinic.example", password="pw"
        )
