"""What a role may do is guarded like who holds it: no group gains a permission over
patient data, accounts or publishing in the admin, nobody widens their own group, and
every change of a group's permissions is logged and emailed to compliance."""

from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.db import transaction
from django.test import TestCase
from django.urls import reverse
from wagtail.models import ModelLogEntry

from core import roles
from core.factories import UserFactory
from moderation.access import GROUP_PERMISSIONS_CHANGED, RoleChangeRefused, _request
from moderation.tests.utils import RoleUsers


def form_data(response):
    """What a browser would send back, unchanged, from the form of ``response`` that
    holds a ``name`` field (the group form)."""
    page = BeautifulSoup(response.content, "html.parser")
    form = next(f for f in page.find_all("form") if f.find(attrs={"name": "name"}))
    data = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name, kind = field.get("name"), field.get("type", "")
        if not name or kind in ("submit", "button", "file"):
            continue
        if kind in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data.setdefault(name, []).append(field.get("value", "on"))
        elif field.name == "select":
            data[name] = [o.get("value", o.text) for o in field.find_all("option", selected=True)]
        elif field.name == "textarea":
            data[name] = field.text
        else:
            data[name] = field.get("value", "")
    return data


def permission(app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


class GroupPermissionTests(RoleUsers, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.make_users()
        cls.siteadmin = UserFactory(username="sam", roles=[roles.SITE_ADMINISTRATORS])
        cls.other_admin = UserFactory(username="sue", roles=[roles.SITE_ADMINISTRATORS])

    def edit(self, user, group, add=(), remove=()):
        self.client.force_login(user)
        url = reverse("wagtailusers_groups:edit", args=[group.pk])
        data = form_data(self.client.get(url))
        chosen = set(data.get("permissions", []))
        chosen |= {str(p.pk) for p in add}
        chosen -= {str(p.pk) for p in remove}
        data["permissions"] = sorted(chosen)
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(url, data)

    def held(self, group):
        return set(Group.objects.get(pk=group.pk).permissions.all())

    def test_an_administrator_cannot_give_their_own_group_patient_data(self):
        group = Group.objects.get(name=roles.SITE_ADMINISTRATORS)
        before = self.held(group)
        photos = permission("stories", "change_patientphoto")
        response = self.edit(self.siteadmin, group, add=[photos])
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "set by a reviewed migration")
        self.assertEqual(self.held(group), before)
        self.assertFalse(self.siteadmin.has_perm("stories.change_patientphoto"))

    def test_no_group_gains_patient_data_accounts_or_publishing_in_the_admin(self):
        editors = Group.objects.get(name=roles.EDITORS)
        for actor in (self.siteadmin, self.superuser):
            for sensitive in (
                permission("stories", "delete_patientphoto"),
                permission("stories", "publish_testimonial"),
            ):
                with self.subTest(actor=actor.username, permission=sensitive.codename):
                    before = self.held(editors)
                    response = self.edit(actor, editors, add=[sensitive])
                    self.assertContains(response, "set by a reviewed migration")
                    self.assertEqual(self.held(editors), before)

    def test_a_new_group_with_patient_data_is_refused(self):
        self.client.force_login(self.siteadmin)
        url = reverse("wagtailusers_groups:add")
        data = form_data(self.client.get(url))
        data.update(
            name="Shadow officers", permissions=[permission("stories", "add_patientphoto").pk]
        )
        response = self.client.post(url, data)
        self.assertContains(response, "set by a reviewed migration")
        self.assertFalse(Group.objects.filter(name="Shadow officers").exists())

    def test_nobody_widens_a_group_they_belong_to(self):
        editors = Group.objects.get(name=roles.EDITORS)
        both = UserFactory(username="sid", roles=[roles.SITE_ADMINISTRATORS, roles.EDITORS])
        redirect = permission("wagtailredirects", "delete_redirect")
        response = self.edit(both, editors, add=[redirect])
        self.assertContains(response, "another administrator must widen")
        self.assertNotIn(redirect, self.held(editors))
        # An administrator outside the group may: that is the second pair of eyes.
        response = self.edit(self.siteadmin, editors, add=[redirect])
        self.assertEqual(response.status_code, 302)
        self.assertIn(redirect, self.held(editors))

    def test_an_ordinary_change_is_made_logged_and_emailed_to_compliance(self):
        editors = Group.objects.get(name=roles.EDITORS)
        redirect = permission("wagtailredirects", "add_redirect")
        condition = permission("taxonomy", "change_condition")
        mail.outbox.clear()
        response = self.edit(self.siteadmin, editors, add=[redirect], remove=[condition])
        self.assertEqual(response.status_code, 302)
        self.assertIn(redirect, self.held(editors))
        self.assertNotIn(condition, self.held(editors))
        entries = ModelLogEntry.objects.filter(
            object_id=str(editors.pk), action=GROUP_PERMISSIONS_CHANGED
        )
        self.assertEqual(entries.count(), 1)
        entry = entries.get()
        self.assertEqual(entry.data["added"], ["wagtailredirects.add_redirect"])
        self.assertEqual(entry.data["removed"], ["taxonomy.change_condition"])
        self.assertEqual(entry.data["by"], "sam")
        self.assertEqual(entry.user, self.siteadmin)
        notice = [m for m in mail.outbox if m.subject == "Group permissions changed: Editors"]
        self.assertEqual(len(notice), 1)
        self.assertIn(self.approver.email, notice[0].to)
        self.assertIn("wagtailredirects.add_redirect", notice[0].body)

    def test_saving_a_privileged_group_unchanged_is_allowed_and_not_logged(self):
        officers = Group.objects.get(name=roles.CONSENT_OFFICERS)
        before = self.held(officers)
        response = self.edit(self.siteadmin, officers)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.held(officers), before)
        self.assertFalse(ModelLogEntry.objects.filter(action=GROUP_PERMISSIONS_CHANGED).exists())

    def test_code_in_a_web_request_is_refused_and_the_command_line_is_logged(self):
        editors = Group.objects.get(name=roles.EDITORS)
        patients = permission("consent", "view_patient")

        class Request:
            user = self.siteadmin

        token = _request.set(Request())
        try:
            with self.assertRaises(RoleChangeRefused), transaction.atomic():
                editors.permissions.add(patients)
            with self.assertRaises(RoleChangeRefused), transaction.atomic():
                editors.permissions.add(permission("auth", "change_group"))
        finally:
            _request.reset(token)
        self.assertNotIn(patients, self.held(editors))
        # A migration or a shell (no web request) may, and leaves a trace.
        with self.captureOnCommitCallbacks(execute=True):
            Group.objects.get(pk=editors.pk).permissions.add(patients)
        entry = ModelLogEntry.objects.get(action=GROUP_PERMISSIONS_CHANGED)
        self.assertEqual(entry.data["added"], ["consent.view_patient"])
        self.assertEqual(entry.data["by"], "command line")

    def test_joining_a_group_that_holds_patient_data_is_a_privileged_role(self):
        shadow = Group.objects.create(name="Data readers")
        shadow.permissions.add(permission("consent", "view_patient"))
        self.client.force_login(self.siteadmin)
        data = {
            "username": "sam",
            "email": self.siteadmin.email,
            "first_name": "Sam",
            "last_name": "Admin",
            "is_active": "on",
            "groups": [*self.siteadmin.groups.values_list("pk", flat=True), shadow.pk],
        }
        response = self.client.post(
            reverse("wagtailusers_users:edit", args=[self.siteadmin.pk]), data
        )
        self.assertContains(response, "give yourself the Data readers role")
        self.assertFalse(self.siteadmin.groups.filter(pk=shadow.pk).exists())
