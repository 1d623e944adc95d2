import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from core import roles

# Demo accounts for every role. This password only where DEBUG (or test settings) say so.
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
    # The well-known password only on a developer's machine or in tests; anywhere else
    # (load_demo --allow-production) a random one per account.
    known = settings.DEBUG or settings.DEMO_WELL_KNOWN_PASSWORD
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
        password = None
        if created:
            password = DEMO_PASSWORD if known else secrets.token_urlsafe(12)
            user.set_password(password)
            user.save()
        user.groups.add(Group.objects.get(name=role))
        if known or not created:
            lines.append(f"  {username}: {role}")
        else:  # shown this once, stored only as a hash
            lines.append(f"  {username}: {role}, password {password}")
    if known:
        lines.append(f"  password for every demo account: {DEMO_PASSWORD}")
    return lines
