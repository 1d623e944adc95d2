"""Every page and snippet that shows public text is moderated: a "Site content"
workflow (one four-eyes approval by Compliance approvers) covers the home page, the
index pages and any page in the tree without a workflow of its own; it replaces
Wagtail's "Site pages approval", which let one person approve. Each default workflow
gets its approval rule: patient content and articles need two different approvers.
Clinical reviewers may lock pages, the page permission Wagtail's compare view needs.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CLINICAL_REVIEWERS = "Clinical reviewers"
COMPLIANCE_APPROVERS = "Compliance approvers"
SITE_ADMINISTRATORS = "Site administrators"
SITE_CONTENT = "Site content"
SITE_PAGE_TYPES = [
    ("home", "homepage"),
    ("stories", "storyindexpage"),
    ("stories", "testimonialindexpage"),
    ("articles", "articleindexpage"),
]
RULES = {"Patient content": 2, "Treatment articles": 2, SITE_CONTENT: 1}


def site_content_workflow(apps, schema_editor):
    app_config = apps.get_app_config("moderation")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore.WorkflowPage")
    WorkflowContentType = apps.get_model("wagtailcore.WorkflowContentType")
    FourEyesApprovalTask = apps.get_model("moderation.FourEyesApprovalTask")
    ApprovalRule = apps.get_model("moderation.ApprovalRule")

    approvers = Group.objects.get(name=COMPLIANCE_APPROVERS)
    task = FourEyesApprovalTask.objects.create(
        name="Site content approval",
        content_type=ContentType.objects.get_for_model(FourEyesApprovalTask),
    )
    task.groups.set([approvers])
    workflow = Workflow.objects.create(name=SITE_CONTENT)
    WorkflowTask.objects.create(workflow=workflow, task_id=task.pk, sort_order=0)

    root = Page.objects.get(depth=1)
    WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})
    for app_label, model in SITE_PAGE_TYPES:
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        WorkflowContentType.objects.update_or_create(
            content_type=content_type, defaults={"workflow": workflow}
        )
    # Kept for the history of runs it holds, but no longer offered.
    Workflow.objects.filter(name="Site pages approval").update(active=False)

    for name, count in RULES.items():
        for each in Workflow.objects.filter(name=name):
            ApprovalRule.objects.update_or_create(
                workflow=each, defaults={"distinct_approvers": count}
            )

    # Reviewers open what is in their task through the task itself; Wagtail's history
    # and compare views also ask for some page permission: locking is the harmless one.
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    GroupPagePermission.objects.get_or_create(
        group=Group.objects.get(name=CLINICAL_REVIEWERS),
        page=root,
        permission=Permission.objects.get(content_type__app_label="wagtailcore", codename="lock_page"),
    )

    admins = Group.objects.get(name=SITE_ADMINISTRATORS)
    admins.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="moderation",
            codename__in=["add_approvalrule", "change_approvalrule", "view_approvalrule"],
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0003_approval_rules_and_sign_offs"),
        ("moderation", "0002_roles_and_workflows"),
        ("home", "0004_organisation_settings_moved_out"),
        ("stories", "0003_identifiers_shown"),
        ("articles", "0004_taxonomy_moved_out"),
    ]

    operations = [migrations.RunPython(site_content_workflow, migrations.RunPython.noop)]
