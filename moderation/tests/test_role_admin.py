"""Each role's admin works: its menus offer only what it can open, and reviewers open,
preview and compare what is in their task without being able to change it."""

import json
import re

from django.test import TestCase
from django.urls import reverse

from core import roles
from core.factories import UserFactory
from moderation.services import submit_for_moderation
from moderation.testing import pass_patient_sign_off
from moderation.tests.utils import RoleUsers
from stories.factories import PatientStoryPageFactory
from stories.models import PatientStoryPage
from stories.tests.utils import SiteTree


def menu_urls(response):
    """Every admin URL in the sidebar of ``response``."""
    props = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    found = re.findall(r'"url": "(/admin/[^"]*)"', json.dumps(json.loads(props.group(1))))
    return sorted(set(found))


def comment_form(pk, text, initial):
    """The comment fields the editor's comment app (JavaScript) adds to the form."""
    return {
        "comments-TOTAL_FORMS": ["1"],
        "comments-INITIAL_FORMS": [str(initial)],
        "comments-MIN_NUM_FORMS": ["0"],
        "comments-MAX_NUM_FORMS": ["1000"],
        "comments-0-id": [str(pk)],
        "comments-0-contentpath": ["title"],
        "comments-0-text": [text],
        "comments-0-position": [""],
        "comments-0-replies-TOTAL_FORMS": ["0"],
        "comments-0-replies-INITIAL_FORMS": ["0"],
        "comments-0-replies-MIN_NUM_FORMS": ["0"],
        "comments-0-replies-MAX_NUM_FORMS": ["1000"],
    }


class MenuTests(SiteTree, RoleUsers, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.make_tree()
        cls.make_users()
        cls.siteadmin = UserFactory(username="sam", roles=[roles.SITE_ADMINISTRATORS])

    def test_every_menu_item_of_every_role_opens(self):
        for user in (
            self.editor,
            self.reviewer,
            self.approver,
            self.officer,
            self.siteadmin,
            self.superuser,
        ):
            self.client.force_login(user)
            urls = menu_urls(self.client.get(reverse("wagtailadmin_home")))
            self.assertTrue(urls)
            for url in urls:
                with self.subTest(user=user.username, url=url):
                    response = self.client.get(url, follow=True)
                    self.assertEqual(response.status_code, 200, url)
                    self.assertNotContains(response, "you do not have permission")

    def test_reviewers_see_their_report_officers_no_page_listing(self):
        self.client.force_login(self.reviewer)
        urls = menu_urls(self.client.get(reverse("wagtailadmin_home")))
        self.assertIn(reverse("articles_overdue_reviews"), urls)
        self.client.force_login(self.officer)
        urls = menu_urls(self.client.get(reverse("wagtailadmin_home")))
        self.assertNotIn("/admin/patient_stories/", urls)


class ReviewerScreensTests(SiteTree, RoleUsers, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.make_tree()
        cls.make_users()

    def test_a_reviewer_opens_previews_and_compares_the_story_in_their_task(self):
        story = PatientStoryPageFactory(parent=self.index, title="Awaiting Dr Rhea")
        first = story.save_revision(user=self.editor)
        story.summary = "A clearer summary for the reviewer."
        pass_patient_sign_off(submit_for_moderation(story, self.editor))
        latest = story.get_latest_revision()
        self.client.force_login(self.reviewer)

        dashboard = self.client.get(reverse("wagtailadmin_home"))
        edit_url = reverse("wagtailadmin_pages:edit", args=[story.pk])
        self.assertContains(dashboard, edit_url)
        edit = self.client.get(edit_url)
        self.assertEqual(edit.status_code, 200)
        self.assertContains(edit, "Approve and sign off")
        self.assertContains(edit, "Request changes")

        preview = self.client.get(reverse("wagtailadmin_pages:view_draft", args=[story.pk]))
        self.assertContains(preview, "Awaiting Dr Rhea")
        compare = self.client.get(
            reverse(
                "wagtailadmin_pages:revisions_compare",
                args=[story.pk, first.pk, latest.pk],
            )
        )
        self.assertContains(compare, "A clearer summary for the reviewer.")

        # Without edit rights, a save changes nothing.
        response = self.client.post(
            edit_url,
            {"title": "Changed by the reviewer", "slug": story.slug, "summary": "x"},
            follow=True,
        )
        self.assertContains(response, "You can review this but not change it")
        story = PatientStoryPage.objects.get(pk=story.pk)
        self.assertEqual(story.get_latest_revision().pk, latest.pk)
        self.assertEqual(story.title, "Awaiting Dr Rhea")

        # The approval from the editor's action menu saves nothing but the decision.
        self.client.post(
            edit_url,
            {
                "title": "Changed while approving",
                "action-workflow-action": "1",
                "workflow-action-name": "approve",
                "workflow-action-extra-data": json.dumps(
                    {"name": "Dr Rhea Ray", "credentials": "MD", "confirm": True}
                ),
            },
        )
        story = PatientStoryPage.objects.get(pk=story.pk)
        self.assertEqual(story.current_workflow_task.name, "Compliance approval")
        self.assertEqual(story.get_latest_revision().pk, latest.pk)

    def test_a_reviewers_comments_are_kept_and_nothing_else(self):
        from wagtail.models import Comment, PageLogEntry

        from moderation.tests.test_sent_back import form_values

        story = PatientStoryPageFactory(parent=self.index, title="Awaiting comments")
        pass_patient_sign_off(submit_for_moderation(story, self.editor))
        latest = story.get_latest_revision()
        edit_url = reverse("wagtailadmin_pages:edit", args=[story.pk])
        self.client.force_login(self.reviewer)
        edit = self.client.get(edit_url)
        self.assertContains(edit, 'id="comments-data"')  # the editor's comment app is there
        data = form_values(edit)
        data.update(
            comment_form("", "Is this the dose the neurologist gave?", initial=0),
            title=["Retitled by the reviewer"],
        )
        response = self.client.post(edit_url, data, follow=True)
        self.assertContains(response, "Your comments are saved")
        comment = Comment.objects.get(page=story)
        self.assertEqual(comment.user, self.reviewer)
        self.assertEqual(comment.text, "Is this the dose the neurologist gave?")
        self.assertTrue(
            PageLogEntry.objects.filter(
                page=story, action="wagtail.comments.create", user=self.reviewer
            ).exists()
        )
        story = PatientStoryPage.objects.get(pk=story.pk)
        self.assertEqual(story.title, "Awaiting comments")
        self.assertEqual(story.get_latest_revision().pk, latest.pk)
        # The editor sees it in their editor.
        self.client.force_login(self.editor)
        self.assertContains(self.client.get(edit_url), "Is this the dose the neurologist gave?")

    def test_a_reviewer_cannot_change_someone_elses_comment(self):
        from wagtail.models import Comment

        from moderation.tests.test_sent_back import form_values

        story = PatientStoryPageFactory(parent=self.index, title="Commented by the editor")
        pass_patient_sign_off(submit_for_moderation(story, self.editor))
        mine = Comment.objects.create(
            page=story, user=self.editor, text="Editor's note", contentpath="title"
        )
        edit_url = reverse("wagtailadmin_pages:edit", args=[story.pk])
        self.client.force_login(self.reviewer)
        data = form_values(self.client.get(edit_url))
        data.update(comment_form(mine.pk, "Rewritten by the reviewer", initial=1))
        self.client.post(edit_url, data)
        self.assertEqual(Comment.objects.get(pk=mine.pk).text, "Editor's note")
