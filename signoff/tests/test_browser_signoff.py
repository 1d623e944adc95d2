"""The patient's sign-off in a real browser (Debian's Chromium), from the email in the
outbox: the patient opens the link, sees their words and their photo, ticks and
approves (a CSRF-protected form, as Chromium sends it), and the editor sees the approval
in the item's history."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from playwright.sync_api import expect

from consent.models import ConsentText
from moderation.services import submit_for_moderation
from signoff.models import PatientApproval
from signoff.tests.utils import QUOTE, draft_testimonial_with_photo, links_sent_to

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PATIENT = "rosa@example.org"


def test_the_patient_approves_from_the_emailed_link(
    page, admin_tab, demo_content, live_server, settings, axe_violations
):
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    mail.outbox.clear()
    editor = get_user_model().objects.get(username="editor")
    testimonial = draft_testimonial_with_photo(consent_text=ConsentText.current())
    submit_for_moderation(testimonial, editor)
    [link] = links_sent_to(PATIENT)
    [email] = [m for m in mail.outbox if PATIENT in m.to]
    assert live_server.url + link in email.body

    page.goto(link)
    expect(page.get_by_role("heading", name="Please check what we would publish")).to_be_visible()
    expect(page.locator(".sign-off__content")).to_contain_text(QUOTE)
    expect(page.locator(".sign-off__content")).to_contain_text("Rosa M.")
    photo = page.locator(".sign-off__content img")
    expect(photo).to_have_count(1)
    assert photo.evaluate("img => img.complete && img.naturalWidth > 0"), "the photo shows"
    expect(page.get_by_role("link", name="Withdraw my consent")).to_be_visible()
    page.screenshot_step("patient-sees-what-will-be-published")
    assert axe_violations(page) == []

    page.get_by_label("I have read all of it").check()
    page.get_by_role("button", name="Approve for publication").click()
    expect(page.get_by_role("heading", name="Thank you: you approved it")).to_be_visible()
    page.screenshot_step("patient-approved")

    evidence = PatientApproval.objects.get(  # the demo content has approvals of its own
        content_type__model="testimonial", object_id=str(testimonial.pk)
    )
    assert QUOTE in evidence.content_html
    assert "Chrome" in evidence.user_agent
    assert evidence.ip_address == "127.0.0.1"
    testimonial.refresh_from_db()
    assert testimonial.current_workflow_task.name == "Clinical review"

    editor_tab = admin_tab("editor")
    editor_tab.goto(f"/admin/snippets/stories/testimonial/history/{testimonial.pk}/")
    expect(editor_tab.locator("main")).to_contain_text("Patient sign-off")
    expect(editor_tab.locator("main")).to_contain_text("Approved by the patient")
    editor_tab.screenshot_step("editor-sees-the-approval")
