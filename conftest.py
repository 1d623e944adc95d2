"""Shared fixtures for the real-browser tests (marked ``browser``; run by .ci/run).

Debian's Chromium is driven by Playwright for Python; screenshots of each step are
written to artifacts/ (git-ignored) for CI to keep.
"""

import os
import re
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = Path(__file__).parent / "artifacts"


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
def page(browser, live_server, request):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.nodeid)
    tab.screenshot_step = Screenshots(tab, folder)
    yield tab
    context.close()


class Screenshots:
    def __init__(self, tab, folder):
        self.tab, self.folder, self.count = tab, folder, 0

    def __call__(self, name):
        self.folder.mkdir(parents=True, exist_ok=True)
        self.count += 1
        self.tab.screenshot(path=self.folder / f"{self.count:02d}-{name}.png", full_page=True)


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
