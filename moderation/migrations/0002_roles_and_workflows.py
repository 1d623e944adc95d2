"""Roles as groups with least-privilege permissions, and the default workflows.

Nobody gets a plain publish permission except Compliance approvers, who need it in
Wagtail to *unpublish*; for moderated content the publish gate refuses any direct
publish anyway. Workflows stay editable in the admin.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Editors"
CONSENT_OFFICERS = "Consent officers"
CLINICAL_REVIEWERS = "Clinical reviewers"
COMPLIANCE_APPROVERS = "Compliance approvers"
SITE_ADMINISTRATORS = "Site administrators"

MODEL_PERMISSIONS = {
    EDITORS: {
        "wagtailadmin": ["access_admin"],
        "stories": ["add_testimonial", "change_testimonial", "delete_testimonial",
                    "view_testimonial", "lock_testimonial"],
        "articles": ["add_condition", "change_condition", "view_condition",
                     "view_treatment", "view_reviewer"],
    },
    CONSENT_OFFICERS: {
        "wagtailadmin": ["access_admin"],
        # No delete: consent evidence is kept for six years (HIPAA 164.530(j)).
        "consent": ["add_patient", "change_patient", "view_patient", "view_patient_contact",
                    "add_consent", "change_consent", "view_consent", "verify_consent",
                    "add_consenttext", "change_consenttext", "view_consenttext"],
        "stories": ["view_testimonial"],
    },
    CLINICAL_REVIEWERS: {
        "wagtailadmin": ["access_admin"],
        "articles": ["add_condition", "change_condition", "view_condition",
                     "add_treatment", "change_treatment", "view_treatment",
                     "add_reviewer", "change_reviewer", "view_reviewer"],
        "stories": ["view_testimonial"],
    },
    COMPLIANCE_APPROVERS: {
        "wagtailadmin": ["access_admin"],
        "stories": ["view_testimonial", "publish_testimonial"],
        "articles": ["view_condition", "view_treatment", "view_reviewer"],
    },
    SITE_ADMINISTRATORS: {
        "wagtailadmin": ["access_admin"],
        "auth": ["add_user", "change_user", "delete_user", "view_user",
                 "add_group", "change_group", "view_group"],
        "wagtailcore": ["add_workflow", "change_workflow", "delete_workflow",
                        "add_task", "change_task", "delete_task",
                        "add_site", "change_site", "view_site"],
        "home": ["change_organisationsettings"],
        "wagtailredirects": ["add_redirect", "change_redirect", "delete_redirect"],
    },
}

PAGE_PERMISSIONS = {
    EDITORS: ["add_page", "change_page"],
    COMPLIANCE_APPROVERS: ["publish_page"],
    SITE_ADMINISTRATORS: ["add_page", "change_page", "lock_page", "unlock_page"],
}

COLLECTION_PERMISSIONS = {
    EDITORS: ["add_image", "change_image", "choose_image"],
    SITE_ADMINISTRATORS: ["add_image", "change_image", "choose_image", "delete_image",
                          "add_document", "change_document", "choose_document"],
}


def create_roles_and_workflows(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Collection = apps.get_model("wagtailcore.Collection")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore.GroupCollectionPermission")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")
    WorkflowContentType = apps.get_model("wagtailcore.WorkflowContentType")
    GroupApprovalTask = apps.get_model("wagtailcore.GroupApprovalTask")

    def permission(app_label, codename):
        return Permission.objects.get(content_type__app_label=app_label, codename=codename)

    # Wagtail's default "Moderators" can publish anything directly: replace them.
    Group.objects.filter(name="Moderators").delete()

    groups = {
        name: Group.objects.get_or_create(name=name)[0]
        for name in [EDITORS, CONSENT_OFFICERS, CLINICAL_REVIEWERS, COMPLIANCE_APPROVERS,
                     SITE_ADMINISTRATORS]
    }
    for name, by_app in MODEL_PERMISSIONS.items():
        groups[name].permissions.set(
            [permission(app, codename) for app, codenames in by_app.items()
             for codename in codenames]
        )

    root_page = Page.objects.get(depth=1)
    GroupPagePermission.objects.filter(group__in=groups.values()).delete()
    for name, codenames in PAGE_PERMISSIONS.items():
        for codename in codenames:
            GroupPagePermission.objects.create(
                group=groups[name], page=root_page,
                permission=permission("wagtailcore", codename),
            )

    root_collection = Collection.objects.get(depth=1)
    GroupCollectionPermission.objects.filter(group__in=groups.values()).delete()
    for name, codenames in COLLECTION_PERMISSIONS.items():
        for codename in codenames:
            app = "wagtailimages" if codename.endswith("image") else "wagtaildocs"
            GroupCollectionPermission.objects.create(
                group=groups[name], collection=root_collection,
                permission=permission(app, codename),
            )

    def content_type(app_label, model):
        return ContentType.objects.get_or_create(app_label=app_label, model=model)[0]

    def task(model_name, name, approvers=()):
        model = apps.get_model("moderation", model_name)
        created = model.objects.create(
            name=name, content_type=content_type("moderation", model_name.lower())
        )
        if approvers:
            created.groups.set([groups[g] for g in approvers])
        return created

    def workflow(name, tasks, models):
        created = Workflow.objects.create(name=name)
        for order, each in enumerate(tasks):
            WorkflowTask.objects.create(workflow=created, task_id=each.pk, sort_order=order)
        for app_label, model in models:
            WorkflowContentType.objects.update_or_create(
                content_type=content_type(app_label, model), defaults={"workflow": created}
            )

    consent_check = task("ConsentCheckTask", "Automatic consent check")
    clinical_review = task("ClinicalReviewTask", "Clinical review", [CLINICAL_REVIEWERS])
    compliance = task("FourEyesApprovalTask", "Compliance approval", [COMPLIANCE_APPROVERS])

    workflow(
        "Patient content",
        [consent_check, clinical_review, compliance],
        [("stories", "testimonial"), ("stories", "patientstorypage")],
    )
    workflow("Treatment articles", [clinical_review, compliance],
             [("articles", "treatmentarticlepage")])

    # Other pages (home, index pages) keep Wagtail's tree workflow, now approved by
    # Compliance approvers instead of the removed Moderators group.
    for default in GroupApprovalTask.objects.filter(name="Moderators approval"):
        default.name = "Site pages approval"
        default.save()
        default.groups.set([groups[COMPLIANCE_APPROVERS]])
    Workflow.objects.filter(name="Moderators approval").update(name="Site pages approval")


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0001_tasks"),
        ("consent", "0002_bookkeeping_and_verification"),
        ("articles", "0001_initial"),
        ("stories", "0001_initial"),
        ("home", "0002_create_homepage"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
    ]

    operations = [migrations.RunPython(create_roles_and_workflows, migrations.RunPython.noop)]
