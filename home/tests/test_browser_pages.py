"""Every public page type at desktop (1280px) and phone (390px) width, in Chromium:
axe-core clean, no sideways scrolling, the header's links reachable by keyboard in
order; and the screenshots the README shows (docs/screenshots/), public and admin."""

from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}

PAGES = [
    ("home", "/"),
    ("story-listing", "/patient-stories/"),
    ("story", "/patient-stories/maria-turning-her-head-again/"),
    ("article", "/articles/botox-for-cervical-dystonia/"),
    ("article-index", "/articles/"),
    ("condition", "/articles/conditions/cervical-dystonia/"),
    ("testimonials", "/testimonials/"),
    ("search-results", "/search/?q=neck"),
    ("how-consent-works", "/how-consent-works/"),
    ("share-your-story", "/share-your-story/"),
]


def save_screenshot(tab, name):
    """A small PNG of what the visitor sees first (the viewport), in 256 colours."""
    DOCS.mkdir(parents=True, exist_ok=True)
    path = DOCS / f"{name}.png"
    tab.screenshot(path=path)
    with Image.open(path) as image:
        image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(
            path, optimize=True
        )


def sideways_overflow(tab):
    """Elements wider than the window, if the page scrolls sideways."""
    return tab.evaluate(
        """() => {
            if (document.documentElement.scrollWidth <= window.innerWidth) return [];
            return [...document.querySelectorAll("body *")]
                .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
                .slice(0, 5)
                .map(el => el.tagName.toLowerCase() + "." + el.className);
        }"""
    )


def tab_through_header(tab, presses=12):
    """Where focus goes on each Tab from the top of the page, until it leaves the header."""
    stops = []
    for _ in range(presses):
        tab.keyboard.press("Tab")
        stop = tab.evaluate(
            """() => {
                const el = document.activeElement;
                return {
                    inHeader: !!el.closest("header") || el.classList.contains("skip-link"),
                    href: el.getAttribute("href"),
                    id: el.id,
                    text: (el.textContent || "").trim().replace(/\\s+/g, " "),
                };
            }"""
        )
        if not stop["inHeader"]:
            break
        stops.append(stop)
    return stops


@pytest.mark.parametrize("width", WIDTHS)
def test_public_pages_at_each_width(width, demo_content, new_tab, axe_violations):
    tab = new_tab()
    tab.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width], strict=True)))
    problems = {}
    for name, path in PAGES:
        response = tab.goto(path)
        assert response.status == 200, f"{path} answered {response.status}"
        found = []
        if overflow := sideways_overflow(tab):
            found.append(f"scrolls sideways: {overflow}")
        found += axe_violations(tab)
        if found:
            problems[name] = found
        save_screenshot(tab, f"{name}-{width}")
    report = [f"  {name}: {p}" for name, found in problems.items() for p in found]
    assert problems == {}, f"At {width} width:\n" + "\n".join(report)


@pytest.mark.parametrize("width", WIDTHS)
def test_header_links_are_reachable_by_keyboard_in_order(width, demo_content, new_tab):
    tab = new_tab()
    tab.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width], strict=True)))
    tab.goto("/patient-stories/maria-turning-her-head-again/")
    nav_links = tab.eval_on_selector_all(
        ".site-nav a", "links => links.map(a => a.getAttribute('href'))"
    )
    assert len(nav_links) >= 3, nav_links
    stops = tab_through_header(tab, presses=5 + len(nav_links) + 2)
    order = [stop["href"] or f"#{stop['id']}" for stop in stops]
    expected = ["#main-content", "/", "#site-search", None, "/share-your-story/", *nav_links]
    # The search button has neither href nor id: match it by its accessible text.
    assert stops[3]["text"] == "Search", stops
    expected[3] = order[3]
    assert order == expected, f"Tab order in the header at {width}: {order}"


def test_printing_hides_the_navigation_and_keeps_the_story(demo_content, page):
    page.goto("/patient-stories/maria-turning-her-head-again/")
    page.emulate_media(media="print")
    hidden = page.evaluate(
        """() => [".site-nav", ".header-search", ".site-header__share", ".story__share"]
            .map(s => getComputedStyle(document.querySelector(s)).display)"""
    )
    assert hidden == ["none"] * 4, hidden
    assert page.locator("h1").is_visible()
    assert page.locator(".story__body").is_visible()
    assert page.locator(".story-notice").first.is_visible()


def test_admin_screenshots(demo_content, admin_tab):
    officer = admin_tab("officer")
    officer.set_viewport_size({"width": 1280, "height": 900})
    officer.goto("/admin/")
    panel = officer.locator("#consents-awaiting-verification-section")
    assert panel.get_by_role("link", name="Verify consent").first.is_visible()
    save_screenshot(officer, "admin-officer-dashboard-desktop")
    officer.goto("/admin/consent/consents/")
    assert officer.get_by_text("Just now").count() == 0
    save_screenshot(officer, "admin-consents-desktop")

    # An editor submits a testimonial whose consent has expired: the automatic check
    # sends it straight back. No "submitted" toast; the item says why, and so does
    # its row in the listing.
    editor = admin_tab("editor")
    editor.set_viewport_size({"width": 1280, "height": 900})
    editor.goto("/admin/snippets/stories/testimonial/")
    editor.get_by_role("link", name="Aisha on sleeping through the night").first.click()
    edit_url = editor.url
    with editor.expect_navigation():
        # "Submit" sits in the action menu's dropdown; press it as the menu would.
        editor.locator("button[name='action-submit']").evaluate("button => button.click()")
    assert editor.url == edit_url
    expect(editor.get_by_text("sent this back for changes")).to_be_visible()
    expect(editor.get_by_text("submitted for moderation")).to_have_count(0)
    save_screenshot(editor, "admin-item-sent-back-desktop")
    editor.goto("/admin/snippets/stories/testimonial/")
    row = editor.locator("tr", has_text="Aisha on sleeping through the night")
    expect(row).to_contain_text("is expired")
    save_screenshot(editor, "admin-testimonials-sent-back-desktop")
