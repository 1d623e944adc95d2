"""The whole life of a patient story, in a real browser (Debian's Chromium).

An editor writes a story on a verified consent and submits it; the automatic consent
check passes; the patient approves it from the link she is emailed; a clinical reviewer
opens it from their dashboard and approves with a sign-off (name, credentials, tick);
the editor, although a compliance approver too, can't give the last approval (four
eyes); another compliance approver signs off, and the story is live. A consent officer
then records the patient's withdrawal, and the story is gone from its page, the listing,
search, and the article that embedded a testimonial given on the same consent.
Screenshots of each step go to artifacts/.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from articles.models import TreatmentArticlePage
from consent.demo import MARIA
from consent.models import Consent
from core import roles
from moderation.testing import publish_through_workflow
from signoff.tests.utils import links_sent_to
from stories.models import PatientStoryPage, StoryIndexPage, Testimonial

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "Walking the dog again"
SUMMARY = "Maria on the small pleasures that came back once her neck settled."
HEADING = "Mornings with Pepa"
APPROVED_TEXT = (
    "Now I take Pepa round the park every morning, and at the crossing I can look both "
    "ways without turning my whole body."
)
SEARCH_WORD = "Pepa"


@pytest.fixture
def maria_consent(demo_content):
    return Consent.objects.filter(patient__legal_name=MARIA).latest("signed_at")


@pytest.fixture
def article_with_maria_testimonial(maria_consent):
    """A live article embedding a testimonial given on Maria's consent, published the only
    way anything is: through its workflow."""
    testimonial = Testimonial.objects.filter(consent=maria_consent, live=True).first()
    assert testimonial is not None, "the demo content puts live testimonials on Maria's consent"
    article = TreatmentArticlePage.objects.live().order_by("pk").first()
    if not any(block.block_type == "testimonial" for block in article.body):
        article.body.append(("testimonial", testimonial))
        article = publish_through_workflow(article)
    return article, testimonial


def sign_off(tab, name, credentials):
    """Approve from the editor's action menu: the sign-off form opens in a dialog."""
    submit_action(tab).get_by_role("button", name="Approve and sign off").click()
    dialog = tab.locator(".modal")
    dialog.get_by_label("Your name").fill(name)
    dialog.get_by_label("Your credentials or role").fill(credentials)
    tab.screenshot_step("sign-off-form")
    dialog.get_by_label("I have checked this version").check()
    dialog.get_by_role("button", name="Approve and sign off").click()


def submit_action(tab):
    """Open the edit page's action menu (the arrow beside its main button)."""
    tab.locator("footer .w-dropdown__toggle").first.click()
    return tab.locator("footer")


def test_story_goes_live_through_moderation_and_is_taken_down_on_withdrawal(
    admin_tab, new_tab, maria_consent, article_with_maria_testimonial
):
    article, testimonial = article_with_maria_testimonial
    index = StoryIndexPage.objects.get()
    # The editor is a compliance approver too: only the four-eyes rule stops them
    # approving their own story.
    editor = get_user_model().objects.get(username="editor")
    editor.groups.add(Group.objects.get(name=roles.COMPLIANCE_APPROVERS))

    visitor = new_tab()
    visitor.goto(article.url)
    expect(visitor.locator("main")).to_contain_text(testimonial.approved_text[:60])
    visitor.screenshot_step("article-shows-testimonial-before")

    # -- The editor writes the story and submits it --------------------------------
    editor_tab = admin_tab("editor")
    editor_tab.goto(f"/admin/pages/add/stories/patientstorypage/{index.pk}/")
    editor_tab.fill("#id_title", TITLE)
    editor_tab.fill("#id_summary", SUMMARY)
    editor_tab.click("button.c-sf-add-button")
    editor_tab.get_by_role("option", name="Heading").click()
    editor_tab.locator("#body-0-value").fill(HEADING)
    editor_tab.fill("#id_approved_text", APPROVED_TEXT)
    editor_tab.select_option("#id_consent", str(maria_consent.pk))
    # Who Maria is comes from her record; the editor picks only how she is named.
    editor_tab.select_option("#id_attribution_style", "first_name_initial")
    editor_tab.check("#id_show_age")
    editor_tab.screenshot_step("editor-fills-story")
    editor_tab.get_by_role("button", name="Save draft").click()
    editor_tab.wait_for_url("**/edit/")
    story = PatientStoryPage.objects.get(title=TITLE)
    assert not story.live

    footer = submit_action(editor_tab)
    expect(footer.get_by_role("button", name="Publish")).to_have_count(0)
    expect(footer.get_by_role("button", name="Submit to Patient content")).to_be_visible()
    editor_tab.screenshot_step("editor-sees-submit-not-publish")
    footer.get_by_role("button", name="Submit to Patient content").click()
    expect(editor_tab.locator(".messages")).to_contain_text("submitted for moderation")
    editor_tab.screenshot_step("editor-submitted")

    # -- The automatic consent check passed: the story waits for Maria's sign-off ----
    story.refresh_from_db()
    assert story.current_workflow_task.name == "Patient sign-off"
    assert visitor.request.get(story.url).status == 404, "not live before its approvals"

    # -- Maria approves the final story from the link she is emailed ------------------
    link = links_sent_to(maria_consent.patient.email)[-1]  # the demo's requests came before
    patient_tab = new_tab()
    patient_tab.goto(link)
    expect(patient_tab.locator(".sign-off__content")).to_contain_text(HEADING)
    patient_tab.get_by_label("I have read all of it").check()
    patient_tab.get_by_role("button", name="Approve for publication").click()
    expect(patient_tab.get_by_role("heading", name="Thank you: you approved it")).to_be_visible()
    patient_tab.screenshot_step("patient-approved")
    story.refresh_from_db()
    assert story.current_workflow_task.name == "Clinical review"

    # -- A clinical reviewer opens it from the dashboard, compares, signs off ---------
    reviewer_tab = admin_tab("reviewer")
    row = reviewer_tab.locator("#awaiting-review-content tr").filter(has_text=TITLE)
    for step in ("Automatic consent check", "Patient sign-off"):
        expect(row.locator(f"[data-w-tooltip-content-value='{step}: Approved']")).to_have_count(1)
    reviewer_tab.screenshot_step("reviewer-dashboard")
    row.get_by_role("link", name=TITLE).click()
    reviewer_tab.wait_for_url(f"**/admin/pages/{story.pk}/edit/")
    expect(reviewer_tab.locator("h1")).to_contain_text(TITLE)
    expect(reviewer_tab.locator(".messages")).not_to_contain_text("do not have permission")
    reviewer_tab.screenshot_step("reviewer-opens-story")
    sign_off(reviewer_tab, "Dr Rosa Reyes", "MD, neurologist")
    expect(reviewer_tab.locator(".messages")).to_contain_text("your decision is recorded")
    reviewer_tab.screenshot_step("reviewer-approved")
    story.refresh_from_db()
    assert story.current_workflow_task.name == "Compliance approval"
    assert (
        story.current_workflow_state.task_states.get(
            task__name="Clinical review"
        ).sign_off.credentials
        == "MD, neurologist"
    )

    # -- The editor, a compliance approver too, can't approve their own story --------
    editor_tab.goto("/admin/")
    expect(editor_tab.locator("main")).not_to_contain_text("Awaiting your review")
    editor_tab.goto(f"/admin/pages/{story.pk}/edit/")
    expect(editor_tab.locator(".messages")).to_contain_text(
        "You submitted or edited this version, so you can\u2019t give the "
        "\u201cCompliance approval\u201d approval"
    )
    footer = submit_action(editor_tab)
    expect(footer.get_by_role("button", name="Approve and sign off")).to_have_count(0)
    expect(footer.get_by_role("button", name="Publish")).to_have_count(0)
    editor_tab.screenshot_step("editor-cannot-approve-four-eyes")

    # -- A compliance approver approves: the story is live --------------------------
    approver_tab = admin_tab("approver")
    approver_tab.goto(f"/admin/pages/{story.pk}/edit/")
    approver_tab.screenshot_step("approver-sees-story")
    sign_off(approver_tab, "Anna Approver", "Compliance lead")
    expect(approver_tab.locator(".messages")).to_contain_text("your decision is recorded")
    approver_tab.screenshot_step("approver-approved")
    story.refresh_from_db()
    assert story.live, "approval by a second compliance approver publishes the story"

    response = visitor.goto(story.url)
    assert response.status == 200
    expect(visitor.locator("h1")).to_have_text(TITLE)
    expect(visitor.locator("main")).to_contain_text(HEADING)
    visitor.screenshot_step("story-live")
    visitor.goto(index.url)
    expect(visitor.get_by_role("link", name=TITLE)).to_be_visible()
    visitor.screenshot_step("listing-shows-story")
    visitor.goto(f"/search/?q={SEARCH_WORD}")
    expect(visitor.get_by_role("link", name=TITLE)).to_be_visible()
    visitor.screenshot_step("search-finds-story")

    # -- A consent officer records the patient's withdrawal --------------------------
    officer_tab = admin_tab("officer")
    officer_tab.get_by_role("button", name="Patients & consent").click()
    officer_tab.get_by_role("link", name="Consents", exact=True).click()
    # Exactly this consent: a name matches as a substring, so "#1" would find "#10" too.
    officer_tab.get_by_role(
        "link", name=re.compile(rf"^Consent #{maria_consent.pk}:")
    ).first.click()
    officer_tab.screenshot_step("officer-inspects-consent")
    officer_tab.locator("header").get_by_role("button", name="Actions").click()
    officer_tab.get_by_role("link", name="Record withdrawal").click()
    officer_tab.get_by_label("Email", exact=True).check()
    officer_tab.screenshot_step("officer-records-withdrawal")
    officer_tab.get_by_role("button", name="Record withdrawal and take content down").click()
    expect(officer_tab.locator(".messages")).to_contain_text("Withdrawal recorded")
    officer_tab.screenshot_step("officer-withdrawal-recorded")

    # -- Gone from every public surface -----------------------------------------------
    response = visitor.goto(story.url)
    assert response.status == 404
    visitor.screenshot_step("story-page-404")
    visitor.goto(index.url)
    expect(visitor.locator("main")).not_to_contain_text(TITLE)
    visitor.screenshot_step("listing-without-story")
    visitor.goto(article.url)
    expect(visitor.locator("main")).not_to_contain_text(testimonial.approved_text[:60])
    visitor.screenshot_step("article-without-testimonial")
    visitor.goto(f"/search/?q={SEARCH_WORD}")
    expect(visitor.locator("main")).not_to_contain_text(TITLE)
    visitor.screenshot_step("search-without-story")
