"""The patient's one-click withdrawal, in a real browser (Debian's Chromium), from the
link in the email exactly as the patient receives it.

A patient's story with their photo is live and featured on the home page; the patient
opens the link from the copy of their consent, presses "Withdraw my consent", and the
story, its home page card, listing entry, search result, feed item, API entry, sitemap
entry and every URL of the photo are gone at once (each surface read before from the
page cache, and the home page and listing with their SQL compiled: core.compiled).
"""

import re
from pathlib import Path

import pytest
from django.core import mail

from consent.factories import ConsentFactory
from consent.models import Consent, ConsentText, Identifier
from core import roles
from core.factories import UserFactory
from home.models import HomePage
from moderation.testing import publish_through_workflow
from stories.factories import SHOWN, PatientPhotoFactory
from stories.models import StoryIndexPage
from stories.tests.utils import live_story

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "Turning my head at the crossing"
LINK = re.compile(r"https?://\S+/consent/withdraw/\S+/")
PHOTO_URL = re.compile(r"/patient-media/[^\"'\s,)]+")


@pytest.fixture
def emailed_link(live_server, settings, demo_content):
    """A verified consent whose receipt (with the withdrawal link) went to the patient,
    and a live story with the patient's photo resting on it."""
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    mail.outbox.clear()
    obtained = UserFactory(username="taker", roles=[roles.CONSENT_OFFICERS])
    checker = UserFactory(username="checker", roles=[roles.CONSENT_OFFICERS])
    consent = ConsentFactory(
        text=ConsentText.current(),  # the demo's version 1
        identifiers=[*SHOWN, Identifier.PHOTO],
        obtained_by=obtained,
        patient__email="rosa.patient@example.org",
    )
    consent.verify(checker)
    [receipt] = [m for m in mail.outbox if m.to == ["rosa.patient@example.org"]]
    photo = PatientPhotoFactory(patient=consent.patient, title="Rosa at the crossing")
    story = live_story(
        StoryIndexPage.objects.get(),
        consent=Consent.objects.get(pk=consent.pk),
        title=TITLE,
        slug="turning-at-the-crossing",
        summary="Rosa on the first week after her injections.",
        hero_image=photo,
    )
    home = HomePage.objects.get()
    home.featured_stories.insert(0, ("story", story))
    publish_through_workflow(home)
    [link] = LINK.findall(receipt.body)
    return link, story


def surfaces(story):
    return {
        "home page": "/",
        "story page": story.url,
        "story listing": story.get_parent().url,
        "search": f"/search/?q={TITLE.split()[0]}",
        "feed": "/feeds/stories.rss",
        "API": "/api/v2/pages/?type=stories.PatientStoryPage",
        "sitemap": "/sitemap.xml",
    }


def test_the_patient_withdraws_from_the_emailed_link(page, emailed_link, live_server):
    link, story = emailed_link
    assert link.startswith(live_server.url)

    before = {name: page.request.get(url) for name, url in surfaces(story).items()}
    # Every surface links to the story (search marks the matched words, so the slug it is).
    for name, response in before.items():
        assert response.ok, name
        assert story.slug in response.text(), f"the story is on the {name} to begin with"
    # Looked at again, each is a copy from the page cache (held in this process's memory
    # too, core.pagecache.LocalCopies): the withdrawal must reach those copies as well.
    for name, url in surfaces(story).items():
        assert page.request.get(url).headers.get("x-page-cache") == "hit", name
    # Her photo's renditions (the listing also shows other patients' photos).
    stem = Path(story.hero_image.file.name).stem
    shown = PHOTO_URL.findall(before["story page"].text() + before["story listing"].text())
    photo_urls = {url for url in shown if f"/{stem}" in url}
    assert photo_urls
    for url in photo_urls:
        assert page.request.get(url).status == 200, url

    page.goto(link)
    page.screenshot_step("withdrawal-page")
    page.get_by_role("button", name="Withdraw my consent").click()
    page.get_by_role("heading", name="Your consent has been withdrawn").wait_for()
    page.screenshot_step("withdrawn")
    assert "consent #" in page.content()

    after = {name: page.request.get(url) for name, url in surfaces(story).items()}
    assert after["story page"].status == 404
    for name, response in after.items():
        assert story.slug not in response.text(), f"still on the {name} after withdrawal"
        assert TITLE not in response.text(), f"still on the {name} after withdrawal"
    for url in photo_urls:
        assert page.request.get(url).status == 404, url
    assert page.request.get(story.hero_image.file.url).status == 404

    # Opening the link again (a mail client's preview, a second click) changes nothing.
    page.goto(link)
    assert page.get_by_role("heading", name="Your consent has been withdrawn").is_visible()
