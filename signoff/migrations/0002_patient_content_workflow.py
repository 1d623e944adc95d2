"""The patient's sign-off becomes the second step of the default patient-content
workflow: automatic consent check -> patient sign-off -> clinical review -> compliance
approval. A workflow an administrator renamed or rebuilt is left as they made it."""

from django.db import migrations

WORKFLOW = "Patient content"
TASK = "Patient sign-off"


def add_sign_off(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")
    ContentType = apps.get_model("contenttypes.ContentType")
    PatientSignOffTask = apps.get_model("signoff", "PatientSignOffTask")

    workflow = Workflow.objects.filter(name=WORKFLOW).first()
    if workflow is None:
        return
    links = list(WorkflowTask.objects.filter(workflow=workflow).order_by("sort_order"))
    content_type, _ = ContentType.objects.get_or_create(
        app_label="signoff", model="patientsignofftask"
    )
    task = PatientSignOffTask.objects.create(name=TASK, content_type=content_type)
    # After the automatic consent check when it comes first, else first of all.
    first_is_check = bool(links) and links[0].task.content_type.model == "consentchecktask"
    position = 1 if first_is_check else 0
    links.insert(position, WorkflowTask(workflow=workflow, task_id=task.pk))
    for order, link in enumerate(links):
        link.sort_order = order
        link.save()


def remove_sign_off(apps, schema_editor):
    PatientSignOffTask = apps.get_model("signoff", "PatientSignOffTask")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")
    tasks = PatientSignOffTask.objects.filter(name=TASK)
    WorkflowTask.objects.filter(task_id__in=tasks.values("pk")).delete()
    tasks.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("signoff", "0001_patient_sign_off"),
        ("moderation", "0004_site_content_workflow"),
    ]

    operations = [migrations.RunPython(add_sign_off, remove_sign_off)]
