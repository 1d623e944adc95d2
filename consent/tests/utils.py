from django.contrib.auth.models import Group, Permission

OFFICER_PERMISSIONS = {
    "wagtailadmin": ["access_admin"],
    "consent": [
        "add_patient",
        "change_patient",
        "view_patient",
        "view_patient_contact",
        "add_consent",
        "change_consent",
        "view_consent",
        "verify_consent",
        "add_consenttext",
        "change_consenttext",
        "view_consenttext",
    ],
}


def group_with(name, permissions):
    group, _ = Group.objects.get_or_create(name=name)
    group.permissions.set(
        [
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codenames in permissions.items()
            for codename in codenames
        ]
    )
    return group


def make_user(django_user_model, username, *groups, **extra):
    user = django_user_model.objects.create_user(
        username=username, email=f"{username}@example.org", password="pw", **extra
    )
    user.groups.set(groups)
    return user


class Roles:
    """Consent officers and editors, as the moderation migration sets them up."""

    @classmethod
    def make_roles(cls, user_model):
        cls.officers = group_with("Consent officers", OFFICER_PERMISSIONS)
        cls.editors = group_with("Editors", {"wagtailadmin": ["access_admin"]})
        cls.officer = make_user(user_model, "officer", cls.officers)
        cls.second_officer = make_user(user_model, "officer2", cls.officers)
        cls.editor = make_user(user_model, "editor", cls.editors)
