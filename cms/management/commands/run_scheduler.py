"""The every-minute jobs, as one long-running process (`make scheduler`, the compose
`scheduler` service): one place to run them instead of a crontab per host.

Each job is a management command run in-process, in order; a failing job is logged and
the next one still runs. SIGTERM (docker stop) and Ctrl+C let the current round finish,
then the process exits 0.
"""

import logging
import signal
import threading
import time

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

logger = logging.getLogger("cms.scheduler")

# (command, arguments). Optional jobs run once their app provides the command.
JOBS = [("publish_scheduled", [])]
OPTIONAL_JOBS = [("enforce_consent", []), ("remind_sign_offs", []), ("purge_expired_evidence", [])]
# Last: requeue tasks a dead worker abandoned, prune old task results (cms/tasks_maintenance.py).
HOUSEKEEPING_JOBS = [("maintain_tasks", [])]


def current_jobs():
    available = get_commands()
    return JOBS + [job for job in OPTIONAL_JOBS if job[0] in available] + HOUSEKEEPING_JOBS


def run_round(jobs, stdout=None):
    """Run each job once; return the names of those that failed."""
    failed = []
    for name, args in jobs:
        started = time.monotonic()
        try:
            call_command(name, *args, stdout=stdout)
        except Exception:
            failed.append(name)
            logger.exception("Scheduled job %s failed", name)
        else:
            logger.info("Scheduled job %s done in %.2fs", name, time.monotonic() - started)
    return failed


class Command(BaseCommand):
    help = "Run scheduled publishing and consent enforcement every minute until stopped."

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="Run one round, then exit (non-zero on failure)."
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=60.0,
            help="Seconds from the start of one round to the next (default: %(default)s).",
        )

    def handle(self, *args, once, interval, **options):
        if once:
            failed = run_round(current_jobs(), stdout=self.stdout)
            if failed:
                raise CommandError(f"Scheduled jobs failed: {', '.join(failed)}")
            return

        stopping = threading.Event()

        def stop(signum, frame):
            logger.info("Received %s; stopping after the current round", signal.strsignal(signum))
            stopping.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)

        jobs = current_jobs()
        logger.info("Scheduler started: %s every %ss", ", ".join(j[0] for j in jobs), interval)
        while not stopping.is_set():
            started = time.monotonic()
            # As a request would: drop connections the database closed in the meantime.
            close_old_connections()
            run_round(jobs, stdout=self.stdout)
            # Rounds start on a fixed beat, however long the jobs took.
            stopping.wait(max(0.0, interval - (time.monotonic() - started)))
        logger.info("Scheduler stopped")
