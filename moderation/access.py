"""Nobody holds every key: superuser status is granted only from the command line,
nobody gives themselves a privileged role, and every role change is logged with before
and after and emailed to the compliance approvers.

What a role may do is part of the same promise: in the admin, no group gains a
permission over patient data, accounts or publishing (those come with migrations, which
are reviewed), nobody widens a group they belong to, and every change of a group's
permissions is logged and emailed like a role change.

The rules sit on the model signals, so the admin's forms (which explain them first),
bulk actions and code all pass them; ``ActingUserMiddleware`` tells them who is acting
and that a web request, not the command line, is doing it.
"""

from contextvars import ContextVar

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models.signals import m2m_changed, post_save, pre_save
from wagtail.log_actions import log

from core import roles
from core.email import queue_email

ROLES_CHANGED = "moderation.roles_changed"
PRIVILEGED_ROLES = {
    roles.CONSENT_OFFICERS,
    roles.CLINICAL_REVIEWERS,
    roles.COMPLIANCE_APPROVERS,
    roles.SITE_ADMINISTRATORS,
}
SUPERUSER = "Superuser"
GROUP_PERMISSIONS_CHANGED = "moderation.group_permissions_changed"
# Apps whose every permission reaches patient data or who holds which role.
SENSITIVE_APPS = {"auth", "consent", "records"}

SUPERUSER_FROM_CLI = (
    "Superuser status is granted only from the command line "
    "(manage.py createsuperuser), never in the admin."
)

_request = ContextVar("moderation_request", default=None)


class RoleChangeRefused(PermissionDenied):
    pass


class ActingUserMiddleware:
    """Marks the code below as running for a web request, by ``request.user``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


def in_web_request():
    return _request.get() is not None


def acting_user():
    request = _request.get()
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def self_grant_problem(user, added_names):
    """Why ``acting_user()`` may not give ``user`` the roles ``added_names``."""
    actor = acting_user()
    holding_sensitive = {
        group.name
        for group in Group.objects.filter(name__in=added_names).prefetch_related(
            "permissions__content_type"
        )
        if any(is_sensitive(p) for p in group.permissions.all())
    }
    privileged = sorted((set(added_names) & PRIVILEGED_ROLES) | holding_sensitive)
    if actor is not None and actor.pk == user.pk and privileged:
        return (
            f"You can't give yourself the {', '.join(privileged)} role: another "
            "administrator must, so that no one holds every key alone."
        )
    return ""


def is_sensitive(permission):
    """A permission over patient data (records, photos), accounts, or making content live."""
    codename = permission.codename
    return (
        permission.content_type.app_label in SENSITIVE_APPS
        or codename.startswith("publish_")
        or "patient" in codename
    )


def group_permission_problem(group, added_permissions):
    """Why the person acting may not give ``group`` the permissions ``added_permissions``
    (which it does not hold yet)."""
    if not in_web_request() or not added_permissions:
        return ""
    sensitive = sorted(p.codename for p in added_permissions if is_sensitive(p))
    if sensitive:
        return (
            f"Permissions over patient data, accounts and publishing ({', '.join(sensitive)}) "
            "are set by a reviewed migration, not in the admin."
        )
    actor = acting_user()
    if actor is not None and group.pk and actor.groups.filter(pk=group.pk).exists():
        return (
            f"You belong to {group.name}: another administrator must widen its "
            "permissions, so that no one grants themselves more."
        )
    return ""


def role_names(user):
    names = set(user.groups.values_list("name", flat=True)) if user.pk else set()
    return names | ({SUPERUSER} if user.is_superuser else set())


# -- Signals ------------------------------------------------------------------------------


def before_user_save(sender, instance, raw=False, **kwargs):
    if raw:
        return
    stored = type(instance)._base_manager.filter(pk=instance.pk).first() if instance.pk else None
    was_superuser = bool(stored and stored.is_superuser)
    instance._roles_before = role_names(stored) if stored else set()
    if instance.is_superuser and not was_superuser and in_web_request():
        raise RoleChangeRefused(SUPERUSER_FROM_CLI)


def after_user_save(sender, instance, created=False, raw=False, **kwargs):
    before = getattr(instance, "_roles_before", None)
    if raw or before is None:
        return
    was_superuser = SUPERUSER in before
    if was_superuser != instance.is_superuser:
        after = (before - {SUPERUSER}) | ({SUPERUSER} if instance.is_superuser else set())
        record_role_change(instance, before, after)


def groups_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    users = (
        list(get_user_model()._base_manager.filter(pk__in=pk_set or [])) if reverse else [instance]
    )
    if action in ("pre_add", "pre_remove", "pre_clear"):
        if reverse and action == "pre_clear":
            users = list(instance.user_set.all())
            instance._users_before_clear = users
        for user in users:
            user._roles_before = role_names(user)
        if action == "pre_add":
            added = (
                {instance.name}
                if reverse
                else set(Group.objects.filter(pk__in=pk_set).values_list("name", flat=True))
            )
            for user in users:
                if problem := self_grant_problem(user, added - user._roles_before):
                    raise RoleChangeRefused(problem)
    elif action in ("post_add", "post_remove", "post_clear"):
        if reverse and action == "post_clear":
            users = getattr(instance, "_users_before_clear", [])
        for user in users:
            before = getattr(user, "_roles_before", None)
            after = role_names(user)
            if before is not None and before != after:
                record_role_change(user, before, after)


def group_permissions_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    from django.contrib.auth.models import Permission

    groups = list(Group.objects.filter(pk__in=pk_set or [])) if reverse else [instance]
    if reverse and action in ("pre_clear", "post_clear"):
        return  # a permission being deleted (its model is gone): nothing is granted
    for group in groups:
        if not hasattr(group, "_permissions_before") and action.startswith("pre_"):
            # Taken once per form save: Wagtail's form removes, then adds back.
            group._permissions_before = set(group.permissions.values_list("pk", flat=True))
    if action == "pre_add":
        added_pks = {instance.pk} if reverse else set(pk_set)
        for group in groups:
            new = added_pks - group._permissions_before
            added = Permission.objects.filter(pk__in=new).select_related("content_type")
            if problem := group_permission_problem(group, list(added)):
                raise RoleChangeRefused(problem)
    elif action.startswith("post_"):
        actor = acting_user()
        for group in groups:
            if not getattr(group, "_permissions_log_pending", False):
                # One entry per save, once the form's remove-then-add has settled.
                group._permissions_log_pending = True
                transaction.on_commit(lambda group=group: record_permission_change(group, actor))


def permission_names(pks):
    from django.contrib.auth.models import Permission

    return sorted(
        f"{app}.{codename}"
        for app, codename in Permission.objects.filter(pk__in=pks).values_list(
            "content_type__app_label", "codename"
        )
    )


def record_permission_change(group, actor):
    before = group.__dict__.pop("_permissions_before", set())
    group._permissions_log_pending = False
    after = set(group.permissions.values_list("pk", flat=True))
    if before == after:
        return
    record_change(
        group,
        GROUP_PERMISSIONS_CHANGED,
        actor,
        f"Group permissions changed: {group.name}",
        f"The permissions of the group {group.name} changed.",
        group=group.name,
        added=permission_names(after - before),
        removed=permission_names(before - after),
    )


def record_role_change(user, before, after):
    record_change(
        user,
        ROLES_CHANGED,
        acting_user(),
        f"Roles changed: {user.get_username()}",
        f"The roles of {user.get_username()} changed.",
        user=user.get_username(),
        before=sorted(before),
        after=sorted(after),
    )
    user._roles_before = set(after)


def record_change(instance, action, actor, subject, opening, **data):
    """An audit log entry on ``instance`` and an email to the compliance approvers, both
    listing ``data`` and who made the change."""
    data["by"] = actor.get_username() if actor else "command line"
    log(instance=instance, action=action, user=actor, data=data)
    lines = [
        f"{key.capitalize()}: {', '.join(value) or 'none'}"
        for key, value in data.items()
        if isinstance(value, list)
    ]
    body = "\n".join([opening, "", *lines, f"Changed by: {data['by']}", ""])
    queue_email(subject, body, roles.member_emails(roles.COMPLIANCE_APPROVERS))


def connect():
    User = get_user_model()
    pre_save.connect(before_user_save, sender=User, dispatch_uid="moderation.user_pre")
    post_save.connect(after_user_save, sender=User, dispatch_uid="moderation.user_post")
    m2m_changed.connect(
        groups_changed, sender=User.groups.through, dispatch_uid="moderation.user_groups"
    )
    m2m_changed.connect(
        group_permissions_changed,
        sender=Group.permissions.through,
        dispatch_uid="moderation.group_permissions",
    )
