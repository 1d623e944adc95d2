"""WCAG 2.2 AA in a real browser (Debian's Chromium): axe-core on every public page type,
keyboard-only use of the skip link, the story filters and the submission form, and a
visible focus indicator. Screenshots of each page go to artifacts/."""

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# (name, path, expected status) for every public page type, on the demo content.
PAGES = [
    ("home", "/", 200),
    ("story-listing", "/patient-stories/", 200),
    ("story", "/patient-stories/maria-turning-her-head-again/", 200),
    ("testimonial-listing", "/testimonials/", 200),
    ("article-index", "/articles/", 200),
    ("article", "/articles/botox-for-cervical-dystonia/", 200),
    ("condition", "/articles/conditions/cervical-dystonia/", 200),
    ("treatment", "/articles/treatments/botulinum-toxin-type-a/", 200),
    ("search-results", "/search/?q=neck", 200),
    ("search-no-results", "/search/?q=zebrafinch", 200),
    ("submission-form", "/share-your-story/", 200),
    ("not-found", "/no-such-page/", 404),
]


def test_every_public_page_type_has_no_axe_violations(demo_content, page, axe_violations):
    found = {}
    for name, path, status in PAGES:
        response = page.goto(path)
        assert response.status == status, f"{path} answered {response.status}"
        page.screenshot_step(name)
        found[name] = axe_violations(page)

    # The submission form after sending it empty: the errors are shown, and checked too.
    page.goto("/share-your-story/")
    page.get_by_role("button", name="Sign and send my story").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert page.title().startswith("Error:")
    page.screenshot_step("submission-form-errors")
    found["submission-form-errors"] = axe_violations(page)

    failing = {name: violations for name, violations in found.items() if violations}
    report = [f"  {name}: {v}" for name, violations in failing.items() for v in violations]
    assert failing == {}, "axe-core WCAG A/AA violations:\n" + "\n".join(report)


def focused(tab):
    """The focused element: tag, id, href, and the width of its visible outline."""
    return tab.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            return {
                tag: el.tagName.toLowerCase(),
                id: el.id,
                href: el.getAttribute("href"),
                text: (el.textContent || "").trim().slice(0, 80),
                focusVisible: el.matches(":focus-visible"),
                outlineWidth: parseFloat(style.outlineWidth) || 0,
                outlineStyle: style.outlineStyle,
            };
        }"""
    )


def test_skip_link_is_first_and_focus_is_visible(demo_content, page):
    for path in ["/", "/patient-stories/", "/articles/botox-for-cervical-dystonia/"]:
        page.goto(path)
        page.keyboard.press("Tab")
        first = focused(page)
        assert first["href"] == "#main-content", f"first Tab on {path} focused {first}"
        assert first["focusVisible"] and first["outlineWidth"] > 0, first
        assert first["outlineStyle"] != "none", first
        expect(page.locator(".skip-link")).to_be_in_viewport()
        page.screenshot_step(f"skip-link-focused{path.replace('/', '-')}")
        page.keyboard.press("Enter")
        assert focused(page)["id"] == "main-content", f"Enter on the skip link of {path}"

    # Every link and control reached by Tab shows a visible outline.
    page.goto("/patient-stories/")
    for _ in range(8):
        page.keyboard.press("Tab")
        element = focused(page)
        assert element["focusVisible"], element
        assert element["outlineWidth"] > 0 and element["outlineStyle"] != "none", element


def test_submission_form_works_by_keyboard_alone(demo_content, page):
    page.goto("/share-your-story/")
    submit = page.get_by_role("button", name="Sign and send my story")
    submit.focus()
    page.keyboard.press("Enter")
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    page.screenshot_step("form-errors-by-keyboard")
    # Each error in the summary links, by keyboard too, to the field to fix.
    first_error = summary.locator("a").first
    target = first_error.get_attribute("href")
    first_error.focus()
    page.keyboard.press("Enter")
    assert "#" + focused(page)["id"] == target, f"following {target} by keyboard"


def test_story_filters_work_by_keyboard_alone(demo_content, page):
    page.goto("/patient-stories/")
    form = page.locator("main form").filter(has=page.locator("select"))
    if form.count() == 0:
        pytest.skip("the story listing has no filters yet (no <form> with a <select> in main)")
    select = form.locator("select").first
    name = select.get_attribute("name")
    # Tab from the top of the page until the first filter has focus.
    for _ in range(40):
        page.keyboard.press("Tab")
        if select.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail(f"Tab never reached the {name!r} filter")
    assert focused(page)["outlineWidth"] > 0, "the focused filter shows no outline"
    before = select.input_value()
    page.keyboard.press("ArrowDown")
    assert select.input_value() != before, "ArrowDown changes the focused filter's choice"
    chosen = select.input_value()
    page.screenshot_step("filter-chosen-by-keyboard")
    # On to the form's submit button, then Enter (a select alone doesn't submit on Enter).
    submit = form.locator("button[type=submit], button:not([type]), input[type=submit]").first
    for _ in range(10):
        page.keyboard.press("Tab")
        if submit.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the filter form's submit button")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{name}={chosen}**")
    assert f"{name}={chosen}" in page.url
    page.screenshot_step("filtered-by-keyboard")
