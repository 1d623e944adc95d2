from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.test import TestCase
from wagtail.models import GroupPagePermission, Workflow, WorkflowContentType

from articles.models import TreatmentArticlePage
from core import roles
from moderation.models import ClinicalReviewTask, ConsentCheckTask, FourEyesApprovalTask
from stories.models import PatientStoryPage, Testimonial


class RolesMigrationTests(TestCase):
    def test_every_role_exists_and_wagtails_moderators_are_gone(self):
        names = set(Group.objects.values_list("name", flat=True))
        self.assertTrue(set(roles.ALL_ROLES) <= names)
        self.assertNotIn("Moderators", names)

    def test_only_compliance_approvers_hold_a_publish_permission(self):
        # They need it to unpublish; the publish gate refuses direct publishing anyway.
        page_publishers = set(
            GroupPagePermission.objects.filter(permission__codename="publish_page").values_list(
                "group__name", flat=True
            )
        )
        self.assertEqual(page_publishers, {roles.COMPLIANCE_APPROVERS})
        publish = Permission.objects.filter(codename__startswith="publish_")
        holders = set(Group.objects.filter(permissions__in=publish).values_list("name", flat=True))
        self.assertEqual(holders, {roles.COMPLIANCE_APPROVERS})

    def test_editors_cannot_see_patient_records(self):
        editors = Group.objects.get(name=roles.EDITORS)
        self.assertFalse(editors.permissions.filter(content_type__app_label="consent").exists())
        officers = Group.objects.get(name=roles.CONSENT_OFFICERS)
        self.assertTrue(officers.permissions.filter(codename="view_patient_contact").exists())
        self.assertFalse(officers.permissions.filter(codename__startswith="delete_").exists())


class WorkflowMigrationTests(TestCase):
    def workflow_for(self, model):
        content_type = ContentType.objects.get_for_model(model)
        return WorkflowContentType.objects.get(content_type=content_type).workflow

    def task_types(self, workflow):
        return [type(task.specific) for task in workflow.tasks]

    def test_patient_content_runs_consent_check_then_clinical_then_compliance(self):
        for model in (Testimonial, PatientStoryPage):
            workflow = self.workflow_for(model)
            self.assertEqual(workflow.name, "Patient content")
            self.assertEqual(
                self.task_types(workflow),
                [ConsentCheckTask, ClinicalReviewTask, FourEyesApprovalTask],
            )

    def test_articles_run_clinical_then_compliance(self):
        workflow = self.workflow_for(TreatmentArticlePage)
        self.assertEqual(self.task_types(workflow), [ClinicalReviewTask, FourEyesApprovalTask])
        compliance = workflow.tasks[1].specific
        self.assertEqual(
            list(compliance.groups.values_list("name", flat=True)), [roles.COMPLIANCE_APPROVERS]
        )

    def test_story_pages_use_their_type_workflow_wherever_they_sit(self):
        self.assertEqual(PatientStoryPage().get_workflow(), self.workflow_for(PatientStoryPage))
        self.assertTrue(Workflow.objects.filter(name="Site pages approval").exists())
