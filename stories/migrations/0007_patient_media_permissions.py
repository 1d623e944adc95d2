"""Who may handle patient video and audio in the admin: as for their photos (0005), every
role that works on patient content gets view; only editors and consent officers upload;
nobody deletes one by hand."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Editors": ["add", "change", "view"],
    "Consent officers": ["add", "change", "view"],
    "Clinical reviewers": ["view"],
    "Compliance approvers": ["view"],
}


def grant(apps, schema_editor):
    config = apps.get_app_config("stories")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, actions in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="stories",
                codename__in=[f"{action}_patientmedia" for action in actions],
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("stories", "0006_patient_media"),
        ("moderation", "0002_roles_and_workflows"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
