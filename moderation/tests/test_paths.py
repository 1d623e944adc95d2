"""Every way the admin and the code offer to make a page live, tried against the gate:
copy (with and without publishing copies), aliases, move, revert, site pages, the
scheduler. Each refusal changes nothing, says what is missing and is logged."""

import datetime
from io import StringIO

from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, PageLogEntry, Revision

from articles.factories import ArticleIndexPageFactory, TreatmentArticlePageFactory
from articles.models import TreatmentArticlePage
from home.models import HomePage
from moderation.publishing import PUBLISH_REFUSED, PublishRefused
from moderation.testing import publish_through_workflow
from moderation.tests.test_sent_back import form_values
from moderation.tests.utils import RoleUsers
from stories.factories import PatientStoryPageFactory
from stories.models import PatientStoryPage, StoryIndexPage
from stories.tests.utils import SiteTree
from taxonomy.factories import ConditionFactory


def refusals(page):
    return PageLogEntry.objects.filter(page_id=page.pk, action=PUBLISH_REFUSED)


class PathTests(SiteTree, RoleUsers, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.make_tree()
        cls.make_users()

    def setUp(self):
        self.story = publish_through_workflow(
            PatientStoryPageFactory(parent=self.index, title="Turning my head again")
        )

    def copy(self, page, user, **data):
        self.client.force_login(user)
        form = {
            "new_title": f"{page.title} (copy)",
            "new_slug": f"{page.slug}-copy",
            "new_parent_page": page.get_parent().pk,
            **data,
        }
        url = reverse("wagtailadmin_pages:copy", args=[page.pk])
        return self.client.post(url, form, follow=True)

    # -- Copy --------------------------------------------------------------------------

    def test_copy_with_publish_copies_is_refused_and_leaves_nothing_behind(self):
        # Only superusers may both add and publish pages, so only they see the option.
        before = Page.objects.count()
        response = self.copy(self.story, self.superuser, publish_copies="on")
        self.assertContains(response, "A copy goes live only through its own")
        self.assertEqual(Page.objects.count(), before, "no copy, live or draft")
        self.assertTrue(refusals(self.story).filter(user=self.superuser).exists())

    def test_an_editor_copy_is_a_draft_even_when_asking_to_publish(self):
        response = self.copy(self.story, self.editor, publish_copies="on")
        self.assertContains(response, "copied")
        self.assertFalse(PatientStoryPage.objects.get(title__endswith="(copy)").live)

    def test_copy_without_publishing_makes_a_draft_for_moderation(self):
        response = self.copy(self.story, self.superuser)
        self.assertContains(response, "copied")
        copy = PatientStoryPage.objects.get(title="Turning my head again (copy)")
        self.assertFalse(copy.live)
        with self.assertRaises(PublishRefused):
            copy.get_latest_revision().publish()  # the source's approval is not the copy's
        self.assertFalse(PatientStoryPage.objects.get(pk=copy.pk).live)
        publish_through_workflow(copy)  # its own run takes it live
        self.assertTrue(PatientStoryPage.objects.get(pk=copy.pk).live)

    def test_copy_of_a_live_page_in_code_keeping_it_live_is_refused(self):
        with self.assertRaises(PublishRefused):
            self.story.copy(update_attrs={"slug": "code-copy"}, keep_live=True)
        self.assertFalse(Page.objects.filter(slug="code-copy").exists())

    def test_copy_for_translation_makes_a_draft(self):
        from wagtail.models import Locale

        publish_through_workflow(HomePage.objects.get())  # its aliases follow an approval
        french = Locale.objects.create(language_code="fr")
        copy = self.story.copy_for_translation(french, copy_parents=True)
        self.assertFalse(copy.live)
        self.assertEqual(copy.locale, french)

    # -- Shell saves -------------------------------------------------------------------

    def test_a_shell_save_that_changes_live_content_is_refused_and_logged(self):
        for page in (self.story, self.home, self.index):
            with self.subTest(page=type(page).__name__):
                page = page.specific
                old_title = page.title
                page.title = "Changed in a shell"
                with self.assertRaises(PublishRefused) as refused:
                    page.save()
                self.assertIn("changes live content without review", str(refused.exception))
                self.assertEqual(Page.objects.get(pk=page.pk).title, old_title)
                self.assertTrue(refusals(page).exists())

    def test_a_base_page_save_that_changes_live_content_is_refused(self):
        page = Page.objects.get(pk=self.story.pk)  # not the specific class
        page.title = "Changed through Page"
        with self.assertRaises(PublishRefused):
            page.save()
        self.assertEqual(Page.objects.get(pk=page.pk).title, "Turning my head again")

    def test_pointing_a_live_page_at_an_approved_revision_with_other_content_is_refused(self):
        story = PatientStoryPage.objects.get(pk=self.story.pk)
        story.summary = "Words nobody approved."
        with self.assertRaises(PublishRefused):
            story.save()
        self.assertNotEqual(PatientStoryPage.objects.get(pk=story.pk).summary, story.summary)

    def test_a_save_that_changes_nothing_visible_is_allowed(self):
        story = PatientStoryPage.objects.get(pk=self.story.pk)
        story.save()  # e.g. a move or housekeeping
        story.save_revision(user=self.editor)  # a draft beside the live version
        self.assertTrue(PatientStoryPage.objects.get(pk=story.pk).live)

    # -- Site pages --------------------------------------------------------------------

    def test_site_pages_go_live_only_through_the_site_content_workflow(self):
        home = HomePage.objects.get()
        self.assertEqual(home.get_workflow().name, "Site content")
        self.client.force_login(self.superuser)
        url = reverse("wagtailadmin_pages:edit", args=[home.pk])
        response = self.client.get(url)
        self.assertNotContains(response, 'name="action-publish"')
        response = self.client.post(
            url, {"action-publish": "1", "title": "Home", "slug": home.slug}, follow=True
        )
        self.assertContains(response, "goes live only through its moderation workflow")
        home.intro = "<p>Quoted: Maria Gonzalez says it changed her life.</p>"
        revision = home.save_revision(user=self.superuser)
        with self.assertRaises(PublishRefused):
            revision.publish(user=self.superuser)  # the code API
        self.assertEqual(HomePage.objects.get().intro, "")
        publish_through_workflow(home, submitter=self.editor)
        self.assertIn("Maria", HomePage.objects.get().intro)

    def test_bulk_publish_of_an_index_page_is_refused(self):
        self.index.title = "Stories, renamed"
        self.index.save_revision(user=self.superuser)
        self.client.force_login(self.superuser)
        url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
        response = self.client.post(f"{url}?id={self.index.pk}", follow=True)
        self.assertContains(response, "goes live only through its moderation workflow")
        self.assertEqual(StoryIndexPage.objects.get().title, "Patient stories")

    # -- Revert ------------------------------------------------------------------------

    def test_publishing_a_reverted_revision_is_refused(self):
        first = self.story.live_revision
        self.story.summary = "A second, approved summary."
        story = publish_through_workflow(self.story)
        self.client.force_login(self.superuser)
        url = reverse("wagtailadmin_pages:revisions_revert", args=[story.pk, first.pk])
        response = self.client.post(
            url,
            {"action-publish": "1", "title": story.title, "slug": story.slug},
            follow=True,
        )
        self.assertContains(response, "goes live only through its moderation workflow")
        self.assertEqual(
            PatientStoryPage.objects.get(pk=story.pk).summary, "A second, approved summary."
        )
        with self.assertRaises(PublishRefused):
            first.publish(user=self.superuser)  # an approved revision of an older run
        self.assertTrue(refusals(story).exists())

    # -- Aliases -----------------------------------------------------------------------

    def test_an_alias_follows_its_approved_source_and_later_publishes_work(self):
        index = ArticleIndexPageFactory(parent=self.home, slug="more-stories")
        self.client.force_login(self.superuser)  # aliases need add and publish rights
        url = reverse("wagtailadmin_pages:copy", args=[self.story.pk])
        self.client.post(
            url,
            {
                "new_title": self.story.title,
                "new_slug": "alias-of-story",
                "new_parent_page": self.index.pk,
                "alias": "on",
            },
        )
        alias = PatientStoryPage.objects.get(slug="alias-of-story")
        self.assertTrue(alias.live)
        self.assertEqual(alias.alias_of_id, self.story.pk)
        del index

        self.story.summary = "Approved later, and shown by the alias too."
        publish_through_workflow(self.story)  # used to fail once an alias existed
        self.assertEqual(
            PatientStoryPage.objects.get(pk=alias.pk).summary,
            "Approved later, and shown by the alias too.",
        )

    def test_an_alias_can_not_show_other_content_than_its_source(self):
        alias = self.story.create_alias(update_slug="alias-two")
        alias = PatientStoryPage.objects.get(pk=alias.pk)
        alias.summary = "Changed on the alias only."
        with self.assertRaises(PublishRefused):
            alias.save()

    def test_converting_a_live_alias_is_refused(self):
        alias = self.story.create_alias(update_slug="alias-three")
        self.client.force_login(self.superuser)
        url = reverse("wagtailadmin_pages:convert_alias", args=[alias.pk])
        response = self.client.post(url, follow=True)
        self.assertIn(
            "Refused: A live alias can't become an ordinary page without review",
            [str(message)[:66] for message in response.context["messages"]],
        )
        self.assertEqual(Page.objects.get(pk=alias.pk).alias_of_id, self.story.pk)
        self.assertTrue(refusals(alias).exists())

    # -- Move --------------------------------------------------------------------------

    def test_a_live_page_moves_when_its_rules_hold_and_not_otherwise(self):
        old_index = ArticleIndexPageFactory(parent=self.home, slug="articles")
        new_index = ArticleIndexPageFactory(parent=self.home, slug="guides")
        article = publish_through_workflow(
            TreatmentArticlePageFactory(parent=old_index, conditions=[ConditionFactory()])
        )
        self.client.force_login(self.superuser)

        def move(page, to):
            url = reverse("wagtailadmin_pages:move_confirm", args=[page.pk, to.pk])
            return self.client.post(url, follow=True)

        move(article, new_index)
        article = TreatmentArticlePage.objects.get(pk=article.pk)
        self.assertEqual(article.get_parent().pk, new_index.pk)
        self.assertTrue(article.live)

        # The review falls overdue: the article may not be moved (re-shown) anywhere.
        TreatmentArticlePage.objects.filter(pk=article.pk).update(
            next_review_due=timezone.localdate() - datetime.timedelta(days=1)
        )
        response = move(article, old_index)
        self.assertContains(response, "Refused: ")
        self.assertEqual(Page.objects.get(pk=article.pk).get_parent().pk, new_index.pk)
        self.assertTrue(refusals(article).exists())


class SchedulerTests(SiteTree, RoleUsers, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.make_tree()
        cls.make_users()

    def test_one_refused_go_live_does_not_stop_the_round(self):
        past = timezone.now() - datetime.timedelta(minutes=1)
        never_approved = PatientStoryPageFactory(parent=self.index, title="Never approved")
        bad = never_approved.save_revision(user=self.editor)
        Revision.objects.filter(pk=bad.pk).update(approved_go_live_at=past)

        approved = PatientStoryPageFactory(
            parent=self.index,
            title="Approved for later",
            go_live_at=timezone.now() + datetime.timedelta(hours=1),
        )
        publish_through_workflow(approved)
        due = approved.revisions.get(approved_go_live_at__isnull=False)
        due.content["go_live_at"] = past.isoformat()
        due.approved_go_live_at = past
        due.save()
        PatientStoryPage.objects.filter(pk=approved.pk).update(go_live_at=past)
        # The refused one comes first in the round.
        Revision.objects.filter(pk=bad.pk).update(
            approved_go_live_at=past - datetime.timedelta(minutes=1)
        )

        out = StringIO()
        call_command("run_scheduler", "--once", stdout=out)

        self.assertIn("Not published: Never approved", out.getvalue())
        self.assertFalse(PatientStoryPage.objects.get(pk=never_approved.pk).live)
        self.assertTrue(PatientStoryPage.objects.get(pk=approved.pk).live)
        self.assertTrue(refusals(never_approved).exists())
        self.assertIsNone(Revision.objects.get(pk=bad.pk).approved_go_live_at)


class EveryRoleTests(SiteTree, RoleUsers, TestCase):
    """Each path, tried by each role: whatever the role's rights, the live story keeps
    its approved words, nothing unreviewed goes live, and nobody meets a server error."""

    @classmethod
    def setUpTestData(cls):
        cls.make_tree()
        cls.make_users()
        from core import roles
        from core.factories import UserFactory

        cls.siteadmin = UserFactory(username="sam", roles=[roles.SITE_ADMINISTRATORS])
        cls.actors = [
            cls.editor,
            cls.reviewer,
            cls.approver,
            cls.officer,
            cls.siteadmin,
            cls.superuser,
        ]

    def setUp(self):
        self.story = publish_through_workflow(
            PatientStoryPageFactory(parent=self.index, title="Approved words")
        )
        self.approved_summary = self.story.summary
        self.first = self.story.live_revision
        draft = PatientStoryPage.objects.get(pk=self.story.pk)
        draft.summary = "Unreviewed words."
        draft.save_revision(user=self.editor)

    def as_sent(self, path):
        """The form at ``path`` as a browser sends it, with "Publish" pressed."""
        self.client.force_login(self.superuser)  # every field shows; the actor posts
        return {**form_values(self.client.get(path)), "action-publish": ["1"]}

    def paths(self):
        story, url = self.story, reverse
        edit = url("wagtailadmin_pages:edit", args=[story.pk])
        revert = url("wagtailadmin_pages:revisions_revert", args=[story.pk, self.first.pk])
        bulk = url("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
        return {
            "publish": (edit, self.as_sent(edit)),
            "revert and publish": (revert, self.as_sent(revert)),
            "bulk publish": (f"{bulk}?id={story.pk}", {}),
            "copy, publishing copies": (
                url("wagtailadmin_pages:copy", args=[story.pk]),
                {
                    "new_title": "A copy",
                    "new_slug": "a-copy",
                    "new_parent_page": self.index.pk,
                    "publish_copies": "on",
                },
            ),
            "alias": (
                url("wagtailadmin_pages:copy", args=[story.pk]),
                {
                    "new_title": story.title,
                    "new_slug": "an-alias",
                    "new_parent_page": self.index.pk,
                    "alias": "on",
                },
            ),
            "move": (url("wagtailadmin_pages:move_confirm", args=[story.pk, self.home.pk]), {}),
        }

    def test_no_role_takes_unreviewed_words_live_by_any_path(self):
        for actor in self.actors:
            for name, (path, data) in self.paths().items():
                with self.subTest(actor=actor.username, path=name):
                    self.client.force_login(actor)
                    response = self.client.post(path, data)
                    self.assertLess(response.status_code, 500)
                    for page in PatientStoryPage.objects.filter(live=True):
                        # The story and any alias show the approved words; no copy is live.
                        self.assertEqual(page.summary, self.approved_summary)
                        self.assertIn(page.pk, {self.story.pk, *self.aliases()})

    def aliases(self):
        return set(Page.objects.filter(alias_of_id=self.story.pk).values_list("pk", flat=True))

    def test_every_role_that_may_unpublish_can(self):
        # Unpublishing only makes things safer: the gate never stands in its way.
        self.client.force_login(self.approver)
        url = reverse("wagtailadmin_pages:unpublish", args=[self.story.pk])
        self.client.post(url)
        self.assertFalse(PatientStoryPage.objects.get(pk=self.story.pk).live)


class EveryRoleSnippetTests(SiteTree, RoleUsers, TestCase):
    """The same for a testimonial and a condition (snippets): the edit form's Publish,
    as each role, leaves the live version as approved."""

    @classmethod
    def setUpTestData(cls):
        cls.make_tree()
        cls.make_users()

    def test_no_role_publishes_a_snippet_directly(self):
        from core import roles
        from core.factories import UserFactory
        from stories.factories import TestimonialFactory
        from stories.models import Testimonial
        from taxonomy.models import Condition

        siteadmin = UserFactory(username="sam", roles=[roles.SITE_ADMINISTRATORS])
        testimonial = publish_through_workflow(TestimonialFactory(quote="Approved words."))
        condition = ConditionFactory(summary="Approved summary.")
        cases = [
            (testimonial, "stories_testimonial", "quote", "Approved words."),
            (condition, "taxonomy_condition", "summary", "Approved summary."),
        ]
        actors = [self.editor, self.reviewer, self.approver, self.officer, siteadmin]
        for obj, name, field, approved in cases:
            url = reverse(f"wagtailsnippets_{name}:edit", args=[obj.pk])
            self.client.force_login(self.superuser)
            sent = form_values(self.client.get(url))
            sent.update({field: ["Unreviewed words."], "action-publish": ["1"]})
            for actor in [*actors, self.superuser]:
                with self.subTest(model=name, actor=actor.username):
                    self.client.force_login(actor)
                    response = self.client.post(url, sent)
                    self.assertLess(response.status_code, 500)
                    fresh = type(obj).objects.get(pk=obj.pk)
                    self.assertTrue(fresh.live)
                    self.assertEqual(getattr(fresh, field), approved)
        self.assertTrue(Testimonial.objects.filter(live=True).exists())
        self.assertTrue(Condition.objects.filter(live=True).exists())
