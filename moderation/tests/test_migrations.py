from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.test import TestCase
from wagtail.models import GroupPagePermission, Workflow, WorkflowContentType

from articles.models import TreatmentArticlePage
from core import roles
from moderation.models import ClinicalReviewTask, ConsentCheckTask, FourEyesApprovalTask
from signoff.models import PatientSignOffTask
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

    def test_patient_content_runs_consent_check_then_patient_then_clinical_then_compliance(self):
        for model in (Testimonial, PatientStoryPage):
            workflow = self.workflow_for(model)
            self.assertEqual(workflow.name, "Patient content")
            self.assertEqual(
                self.task_types(workflow),
                [ConsentCheckTask, PatientSignOffTask, ClinicalReviewTask, FourEyesApprovalTask],
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


class SiteContentMigrationTests(TestCase):
    def test_home_index_pages_and_the_tree_use_the_site_content_workflow(self):
        from wagtail.models import Page, WorkflowPage

        from articles.models import ArticleIndexPage
        from home.models import HomePage
        from stories.models import StoryIndexPage, TestimonialIndexPage

        for model in (HomePage, StoryIndexPage, TestimonialIndexPage, ArticleIndexPage):
            with self.subTest(model=model.__name__):
                content_type = ContentType.objects.get_for_model(model)
                workflow = WorkflowContentType.objects.get(content_type=content_type).workflow
                self.assertEqual(workflow.name, "Site content")
        root = WorkflowPage.objects.get(page=Page.objects.get(depth=1))
        self.assertEqual(root.workflow.name, "Site content")
        task = root.workflow.tasks[0].specific
        self.assertIsInstance(task, FourEyesApprovalTask)
        self.assertEqual([g.name for g in task.groups.all()], [roles.COMPLIANCE_APPROVERS])
        self.assertFalse(Workflow.objects.get(name="Site pages approval").active)

    def test_each_default_workflow_has_its_approval_rule(self):
        from moderation.models import ApprovalRule

        rules = dict(ApprovalRule.objects.values_list("workflow__name", "distinct_approvers"))
        self.assertEqual(rules, {"Patient content": 2, "Treatment articles": 2, "Site content": 1})

    def test_reviewers_may_lock_pages_and_nothing_more(self):
        held = set(
            GroupPagePermission.objects.filter(group__name=roles.CLINICAL_REVIEWERS).values_list(
                "permission__codename", flat=True
            )
        )
        self.assertEqual(held, {"lock_page"})
        admins = Group.objects.get(name=roles.SITE_ADMINISTRATORS)
        self.assertTrue(admins.permissions.filter(codename="change_approvalrule").exists())
