from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from core import roles

# Demo accounts for every role. Their password is printed only in development.
DEMO_PASSWORD = "clinic-demo-2026"  # noqa: S105 (dev-only demo accounts)
DEMO_ACCOUNTS = [
    ("editor", "Erin", "Editor", roles.EDITORS),
    ("editor2", "Eli", "Writer", roles.EDITORS),
    ("officer", "Olu", "Officer", roles.CONSENT_OFFICERS),
    ("reviewer", "Rosa", "Reyes", roles.CLINICAL_REVIEWERS),
    ("approver", "Anna", "Approver", roles.COMPLIANCE_APPROVERS),
    ("siteadmin", "Sam", "Admin", roles.SITE_ADMINISTRATORS),
]


def load():
    User = get_user_model()
    lines = ["Demo accounts (username: role):"]
    for username, first_name, last_name, role in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@clinic.example",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.add(Group.objects.get(name=role))
        lines.append(f"  {username}: {role}")
    if settings.DEBUG:
        lines.append(f"  password for every demo account: {DEMO_PASSWORD}")
    return lines
