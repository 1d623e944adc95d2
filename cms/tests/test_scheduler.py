import logging
import signal
from datetime import timedelta

import pytest
from django.core.management import call_command, get_commands
from django.utils import timezone
from wagtail.models import Site

from cms.management.commands.run_scheduler import current_jobs, run_round
from cms.tests.processes import PYTHON, production_env, running, wait_for
from moderation.testing import publish_through_workflow


def schedule_new_title(title):
    """A new home page title, approved through its workflow to go live in an hour; then
    the hour passes (every recorded time moved back instead of waiting)."""
    home = Site.objects.get(is_default_site=True).root_page.specific
    home.title = title
    home.go_live_at = timezone.now() + timedelta(hours=1)
    publish_through_workflow(home)
    due = timezone.now() - timedelta(minutes=1)
    revision = home.revisions.get(approved_go_live_at__isnull=False)
    revision.content["go_live_at"] = due.isoformat()
    revision.approved_go_live_at = due
    revision.save()
    return home


@pytest.mark.django_db
def test_one_round_publishes_what_was_scheduled():
    home = schedule_new_title("Our patients' stories")
    assert home.get_latest_revision().approved_go_live_at is not None

    call_command("run_scheduler", "--once")

    home.refresh_from_db()
    assert home.title == "Our patients' stories"
    assert home.live
    assert not home.has_unpublished_changes


@pytest.mark.django_db
def test_a_failing_job_is_logged_and_the_next_still_runs(caplog):
    schedule_new_title("Still published")
    failing = ("check", ["--tag", "no-such-tag"])  # a real command that fails

    with caplog.at_level(logging.ERROR, logger="cms.scheduler"):
        failed = run_round([failing, ("publish_scheduled", [])])

    assert failed == ["check"]
    assert "Scheduled job check failed" in caplog.text
    home = Site.objects.get(is_default_site=True).root_page
    assert home.title == "Still published"


@pytest.mark.slow
def test_the_scheduler_process_stops_cleanly_on_sigterm(django_db_setup):
    args = [PYTHON, "manage.py", "run_scheduler", "--interval", "3600"]
    with running(args, production_env(LOG_LEVEL="INFO")) as process:
        wait_for(
            lambda: process.poll() is not None or "publish_scheduled done" in process.output(),
            timeout=30,
            message="the first round",
        )
        assert process.poll() is None, process.output()

        process.send_signal(signal.SIGTERM)  # what `docker stop` sends

        assert process.wait(timeout=10) == 0, process.output()
        assert "Scheduler stopped" in process.output()


def test_consent_enforcement_runs_after_scheduled_publishing_once_it_exists():
    expected = ["publish_scheduled"]
    if "enforce_consent" in get_commands():
        expected.append("enforce_consent")
    if "remind_sign_offs" in get_commands():
        expected.append("remind_sign_offs")
    if "purge_expired_evidence" in get_commands():
        expected.append("purge_expired_evidence")
    expected.append("maintain_tasks")
    assert [name for name, _ in current_jobs()] == expected
