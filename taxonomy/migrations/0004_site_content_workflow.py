"""Conditions, treatments and reviewers show public text: they join the "Site content"
workflow (a four-eyes approval by Compliance approvers). Compliance approvers get their
publish permission, which Wagtail asks of whoever unpublishes; whoever may change one
may lock it while working on it."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ["condition", "treatment", "reviewer"]
SITE_CONTENT = "Site content"


def join_site_content(apps, schema_editor):
    config = apps.get_app_config("taxonomy")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None

    ContentType = apps.get_model("contenttypes.ContentType")
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowContentType = apps.get_model("wagtailcore.WorkflowContentType")

    workflow = Workflow.objects.filter(name=SITE_CONTENT).first()
    for model in MODELS:
        content_type, _ = ContentType.objects.get_or_create(app_label="taxonomy", model=model)
        if workflow is not None:
            WorkflowContentType.objects.update_or_create(
                content_type=content_type, defaults={"workflow": workflow}
            )

    def grant(group_name, codenames):
        group = Group.objects.filter(name=group_name).first()
        if group is not None:
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label="taxonomy", codename__in=codenames
                )
            )

    grant("Compliance approvers", [f"publish_{m}" for m in MODELS])
    for group in Group.objects.filter(
        permissions__content_type__app_label="taxonomy",
        permissions__codename__startswith="change_",
    ).distinct():
        held = group.permissions.filter(
            content_type__app_label="taxonomy", codename__startswith="change_"
        ).values_list("codename", flat=True)
        grant(group.name, [f"lock_{c.removeprefix('change_')}" for c in held])


class Migration(migrations.Migration):
    dependencies = [
        ("taxonomy", "0003_moderated"),
        ("moderation", "0004_site_content_workflow"),
    ]

    operations = [migrations.RunPython(join_site_content, migrations.RunPython.noop)]
