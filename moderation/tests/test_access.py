"""Nobody holds every key: superusers only from the command line, no privileged role for
oneself, two different approvers per run, and every role change logged and emailed."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import TestCase
from django.urls import reverse
from wagtail.models import ModelLogEntry, TaskState, WorkflowState

from core import roles
from core.factories import UserFactory
from moderation.access import ROLES_CHANGED
from moderation.publishing import PUBLISH_REFUSED
from moderation.services import submit_for_moderation
from moderation.testing import pass_patient_sign_off, sign_off
from moderation.tests.utils import RoleUsers
from stories.factories import TestimonialFactory
from stories.models import Testimonial

User = get_user_model()


class RoleProtectionTests(RoleUsers, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.make_users()
        cls.siteadmin = UserFactory(username="sam", roles=[roles.SITE_ADMINISTRATORS])
        cls.other_admin = UserFactory(username="sue", roles=[roles.SITE_ADMINISTRATORS])

    def user_form(self, user, **changes):
        data = {
            "username": user.username,
            "email": user.email,
            "first_name": user.first_name or "First",
            "last_name": user.last_name or "Last",
            "is_active": "on",
            "groups": list(user.groups.values_list("pk", flat=True)),
        }
        data.update(changes)
        return data

    def group(self, name):
        return Group.objects.get(name=name)

    def test_nobody_can_make_a_superuser_in_the_admin(self):
        for actor in (self.siteadmin, self.superuser):
            with self.subTest(actor=actor.username):
                self.client.force_login(actor)
                add = self.client.get(reverse("wagtailusers_users:add"))
                self.assertNotContains(add, 'name="is_superuser"')
                response = self.client.post(
                    reverse("wagtailusers_users:add"),
                    {
                        "username": f"boss-{actor.username}",
                        "email": f"boss-{actor.username}@clinic.example",
                        "password1": "a-Long-pass-phrase-42",
                        "password2": "a-Long-pass-phrase-42",
                        "first_name": "Big",
                        "last_name": "Boss",
                        "is_superuser": "on",
                    },
                )
                self.assertEqual(response.status_code, 302)  # made, but not a superuser
                made = User.objects.filter(username=f"boss-{actor.username}").first()
                self.assertFalse(made and made.is_superuser)
                self.client.post(
                    reverse("wagtailusers_users:edit", args=[self.editor.pk]),
                    self.user_form(self.editor, is_superuser="on"),
                )
                self.assertFalse(User.objects.get(pk=self.editor.pk).is_superuser)

    def test_the_command_line_can_make_a_superuser_and_it_is_logged(self):
        call_command(
            "createsuperuser",
            "--noinput",
            username="cli-root",
            email="cli-root@clinic.example",
            verbosity=0,
        )
        root = User.objects.get(username="cli-root")
        self.assertTrue(root.is_superuser)
        entry = ModelLogEntry.objects.get(object_id=str(root.pk), action=ROLES_CHANGED)
        self.assertEqual(entry.data["by"], "command line")
        self.assertIn("Superuser", entry.data["after"])

    def test_an_administrator_cannot_give_themselves_a_privileged_role(self):
        self.client.force_login(self.siteadmin)
        for role in (roles.CONSENT_OFFICERS, roles.COMPLIANCE_APPROVERS):
            with self.subTest(role=role):
                groups = [*self.siteadmin.groups.values_list("pk", flat=True)]
                response = self.client.post(
                    reverse("wagtailusers_users:edit", args=[self.siteadmin.pk]),
                    self.user_form(self.siteadmin, groups=[*groups, self.group(role).pk]),
                )
                self.assertContains(response, "You can&#x27;t give yourself the")
                self.assertFalse(self.siteadmin.groups.filter(name=role).exists())
        # Patient records stay closed to them.
        self.assertEqual(
            self.client.get(reverse("wagtailadmin_home")).status_code, 200
        )  # the admin itself works
        patients = self.client.get("/admin/consent/patient/")
        self.assertIn(patients.status_code, (302, 403, 404))

    def test_self_granting_from_code_in_a_request_is_refused_too(self):
        from moderation.access import RoleChangeRefused, _request

        class Request:
            user = self.siteadmin

        officers = self.group(roles.CONSENT_OFFICERS)
        approvers = self.group(roles.COMPLIANCE_APPROVERS)
        token = _request.set(Request())
        try:
            with self.assertRaises(RoleChangeRefused), transaction.atomic():
                self.siteadmin.groups.add(officers)
            with self.assertRaises(RoleChangeRefused), transaction.atomic():
                approvers.user_set.add(self.siteadmin)
        finally:
            _request.reset(token)
        self.assertFalse(self.siteadmin.groups.filter(name=roles.CONSENT_OFFICERS).exists())

    def test_another_administrator_grants_a_role_and_compliance_hears_of_it(self):
        self.client.force_login(self.other_admin)
        groups = [*self.siteadmin.groups.values_list("pk", flat=True)]
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse("wagtailusers_users:edit", args=[self.siteadmin.pk]),
                self.user_form(
                    self.siteadmin, groups=[*groups, self.group(roles.CONSENT_OFFICERS).pk]
                ),
            )
        self.assertEqual(response.status_code, 302)
        self.assertTrue(self.siteadmin.groups.filter(name=roles.CONSENT_OFFICERS).exists())
        entry = ModelLogEntry.objects.filter(
            object_id=str(self.siteadmin.pk), action=ROLES_CHANGED
        ).latest("timestamp")
        self.assertEqual(entry.data["before"], [roles.SITE_ADMINISTRATORS])
        self.assertEqual(
            entry.data["after"], sorted([roles.SITE_ADMINISTRATORS, roles.CONSENT_OFFICERS])
        )
        self.assertEqual(entry.data["by"], "sue")
        notice = [m for m in mail.outbox if "Roles changed: sam" in m.subject]
        self.assertEqual(len(notice), 1)
        self.assertIn(self.approver.email, notice[0].to)
        self.assertIn("Consent officers", notice[0].body)


class DistinctApproverTests(RoleUsers, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.make_users()
        # Holds both approving roles: may give one approval of a run, not both.
        cls.both = UserFactory(
            username="bo", roles=[roles.CLINICAL_REVIEWERS, roles.COMPLIANCE_APPROVERS]
        )

    def action_url(self, testimonial, state, action="approve"):
        return reverse(
            "wagtailsnippets_stories_testimonial:workflow_action",
            args=[testimonial.pk, action, state.current_task_state.pk],
        )

    def approve(self, user, testimonial, state, data=None):
        self.client.force_login(user)
        response = self.client.post(
            self.action_url(testimonial, state), sign_off(user) if data is None else data
        )
        state.refresh_from_db()
        return response

    def test_one_person_cannot_give_both_approvals_of_a_run(self):
        testimonial = TestimonialFactory()
        state = pass_patient_sign_off(submit_for_moderation(testimonial, self.editor))
        self.approve(self.both, testimonial, state)
        self.assertEqual(state.current_task_state.task.name, "Compliance approval")

        self.approve(self.both, testimonial, state)  # refused: "no permission"
        self.assertEqual(state.current_task_state.task.name, "Compliance approval")
        self.assertEqual(state.current_task_state.status, TaskState.STATUS_IN_PROGRESS)
        self.client.force_login(self.both)
        self.assertNotContains(self.client.get(reverse("wagtailadmin_home")), testimonial.title)

        self.approve(self.approver, testimonial, state)
        self.assertEqual(state.status, WorkflowState.STATUS_APPROVED)
        self.assertTrue(Testimonial.objects.get(pk=testimonial.pk).live)

    def test_an_approval_needs_a_sign_off_which_is_kept(self):
        testimonial = TestimonialFactory()
        state = pass_patient_sign_off(submit_for_moderation(testimonial, self.editor))
        self.client.force_login(self.reviewer)
        form = self.client.get(
            self.action_url(testimonial, state), headers={"x-requested-with": "XMLHttpRequest"}
        )
        self.assertContains(form, "Your credentials")
        self.approve(self.reviewer, testimonial, state, {"comment": "fine"})
        self.assertEqual(state.current_task_state.task.name, "Clinical review")
        self.approve(
            self.reviewer,
            testimonial,
            state,
            {"name": "Dr Rhea Ray", "credentials": "MD, neurologist", "confirm": "on"},
        )
        approved = TaskState.objects.get(workflow_state=state, task__name="Clinical review")
        self.assertEqual(approved.status, TaskState.STATUS_APPROVED)
        self.assertEqual(approved.sign_off.credentials, "MD, neurologist")
        self.assertEqual(approved.sign_off.user, self.reviewer)

    def test_the_gate_counts_distinct_people_whatever_the_tasks(self):
        from wagtail.models import GroupApprovalTask, Workflow, WorkflowContentType, WorkflowTask

        lax = Workflow.objects.create(name="Two plain steps")
        for order in range(2):
            task = GroupApprovalTask.objects.create(name=f"Step {order}")
            task.groups.set([self.group_of(self.approver)])
            WorkflowTask.objects.create(workflow=lax, task=task, sort_order=order)
        WorkflowContentType.objects.filter(content_type__model="testimonial").update(workflow=lax)
        testimonial = TestimonialFactory()
        state = submit_for_moderation(testimonial, self.editor)
        for _ in range(2):
            task_state = state.current_task_state
            task_state.task.specific.on_action(task_state, self.approver, "approve")
            state.refresh_from_db()
        self.assertEqual(state.status, WorkflowState.STATUS_NEEDS_CHANGES)
        self.assertFalse(Testimonial.objects.get(pk=testimonial.pk).live)
        entry = ModelLogEntry.objects.get(object_id=str(testimonial.pk), action=PUBLISH_REFUSED)
        self.assertIn("2 different people", " ".join(entry.data["reasons"]))

    @staticmethod
    def group_of(user):
        return user.groups.get()


class ApprovalRuleAdminTests(RoleUsers, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.make_users()
        cls.siteadmin = UserFactory(username="sam", roles=[roles.SITE_ADMINISTRATORS])

    def test_site_administrators_set_how_many_people_approve_a_workflow(self):
        from moderation.models import ApprovalRule

        rule = ApprovalRule.objects.get(workflow__name="Site content")
        self.client.force_login(self.siteadmin)
        url = reverse("approval_rules:edit", args=[rule.pk])
        response = self.client.post(url, {"workflow": rule.workflow_id, "distinct_approvers": 2})
        self.assertEqual(response.status_code, 302)
        rule.refresh_from_db()
        self.assertEqual(rule.distinct_approvers, 2)
        self.client.force_login(self.editor)
        self.assertNotEqual(self.client.get(url).status_code, 200)
