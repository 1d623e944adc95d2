"""The demo clip in a real browser (Debian's Chromium): Maria's story plays her video
through the consent-checked media view, from the keyboard, with captions showing, and
seeks (which needs range requests); after her consent is withdrawn it is gone."""

import pytest

from consent.models import Consent
from core.factories import SuperuserFactory
from stories.models import PatientStoryPage

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Functions, not expressions: the site's CSP refuses eval of a string (wait_for_function).
VIDEO = "document.querySelector('video.patient-media__player')"


def test_the_demo_clip_plays_with_captions_on(page, demo_content):
    story = PatientStoryPage.objects.get(slug="maria-turning-her-head-again")
    [media] = story.media()
    page.goto(story.url)
    video = page.locator("video.patient-media__player")
    video.wait_for()
    assert video.get_attribute("preload") == "metadata"
    assert page.evaluate(f"{VIDEO}.paused"), "nothing plays until the visitor asks"
    assert page.evaluate(f"{VIDEO}.textTracks.length") == 1
    page.wait_for_function(f"() => {VIDEO}.readyState >= 1")  # the metadata came through the view
    assert page.evaluate(f"{VIDEO}.textTracks[0].kind") == "captions"
    assert page.evaluate(f"{VIDEO}.textTracks[0].mode") == "showing"

    # Keyboard: tab to the player and press Space, as a visitor without a mouse would.
    video.focus()
    page.keyboard.press("Space")
    page.wait_for_function(f"() => {VIDEO}.currentTime > 1.5", timeout=20_000)
    assert not page.evaluate(f"{VIDEO}.paused")
    assert page.evaluate(f"{VIDEO}.readyState") >= 2
    page.wait_for_function(f"() => {VIDEO}.textTracks[0].activeCues.length > 0")
    page.screenshot_step("playing-with-captions")

    # Seek near the end: the browser asks for a byte range it has not loaded yet.
    page.evaluate(f"{VIDEO}.currentTime = 7")
    page.wait_for_function(
        f"() => !{VIDEO}.seeking && {VIDEO}.currentTime >= 7 && "
        f"Array.from({VIDEO}.textTracks[0].activeCues || [])"
        ".some(cue => cue.text.includes('without holding my chin'))",
        timeout=20_000,
    )
    assert page.evaluate(f"{VIDEO}.error") is None

    # The transcript is on the page, behind a disclosure a keyboard opens.
    page.get_by_text("Transcript of the video").focus()
    page.keyboard.press("Enter")
    assert page.get_by_text("A 9-second drawn video with no one in it").is_visible()

    with_consent = page.request.get(media.file.url, headers={"Range": "bytes=0-1023"})
    assert with_consent.status == 206
    assert with_consent.headers["content-range"].startswith("bytes 0-1023/")

    Consent.objects.get(pk=story.consent_id).withdraw(
        Consent.WithdrawalChannel.LETTER, user=SuperuserFactory(username="root")
    )
    for url in (media.file.url, media.captions.url, media.poster.url):
        assert page.request.get(url).status == 404, url
    assert page.request.get(story.url).status == 404
