"""Shared fixtures for the real-browser tests (marked ``browser``; run by .ci/run).

Debian's Chromium is driven by Playwright for Python; screenshots of each step are
written to artifacts/ (git-ignored) for CI to keep.

Browser tests talk to pytest-django's ``live_server``, so they need transactional
tests, which flush the database afterwards. They are marked
``@pytest.mark.django_db(transaction=True, serialized_rollback=True)``, which restores
what the data migrations created (roles, workflows, the site and its home page) before
each test; the ``demo_content`` fixture checks that it did and loads the demo data.
"""

import os
import re
import shutil
from io import StringIO
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = Path(__file__).parent / "artifacts"


@pytest.fixture(autouse=True)
def _fresh_page_cache():
    """Each test starts with no cached page: a test's database is rolled back after it,
    the local cache is not, so a copy of one test's page must not answer in the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the
    # tests make around it are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def screenshots(request):
    """One numbered series of screenshots per test, whichever tab takes them."""
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.nodeid)
    shutil.rmtree(folder, ignore_errors=True)  # only this run's steps
    return Screenshots(folder)


@pytest.fixture
def new_tab(browser, live_server, screenshots):
    """A function giving a tab in a fresh browser context (its own cookies), so several
    people can be signed in at once; ``tab.screenshot_step("name")`` saves a step."""
    contexts = []

    def open_tab():
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        tab = context.new_page()
        tab.screenshot_step = screenshots.bind(tab)
        return tab

    yield open_tab
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_tab):
    return new_tab()


@pytest.fixture
def admin_tab(new_tab):
    """A function(username) giving a tab signed in to the Wagtail admin as that demo user."""

    def sign_in(username):
        from moderation.demo import DEMO_PASSWORD

        tab = new_tab()
        tab.goto("/admin/login/")
        tab.fill("#id_username", username)
        tab.fill("#id_password", DEMO_PASSWORD)
        tab.click("button[type=submit]")
        tab.wait_for_url("**/admin/")
        return tab

    return sign_in


@pytest.fixture
def demo_content(live_server):
    """The demo accounts and content (``load_demo``) on top of what the migrations made.

    Needs ``serialized_rollback=True`` on the test's django_db marker: the flush after a
    transactional test would otherwise leave no roles, workflows or site behind.
    """
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from wagtail.models import Site, Workflow

    from core import roles

    missing = [
        what
        for what, present in [
            ("role groups", Group.objects.filter(name=roles.EDITORS).exists()),
            ("workflows", Workflow.objects.filter(name="Patient content").exists()),
            ("default site", Site.objects.filter(is_default_site=True).exists()),
        ]
        if not present
    ]
    assert not missing, (
        f"The data migrations' {', '.join(missing)} are gone: mark the test "
        "@pytest.mark.django_db(transaction=True, serialized_rollback=True)."
    )
    call_command("load_demo", stdout=StringIO())


class Screenshots:
    def __init__(self, folder):
        self.folder, self.count = folder, 0

    def bind(self, tab):
        return lambda name: self.take(tab, name)

    def take(self, tab, name):
        self.folder.mkdir(parents=True, exist_ok=True)
        self.count += 1
        tab.screenshot(path=self.folder / f"{self.count:02d}-{name}.png", full_page=True)


@pytest.fixture
def axe_violations():
    """A function giving axe-core's WCAG 2.x A/AA violations on a tab, as readable strings."""
    return _axe_violations


def _axe_violations(tab):
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(
        tab,
        options={
            "runOnly": {
                "type": "tag",
                "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
            }
        },
    )
    return [
        f"{v['id']}: {v['help']} ({', '.join(n['target'][0] for n in v['nodes'][:3])})"
        for v in result.response["violations"]
    ]
