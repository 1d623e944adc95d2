"""django-tasks' ``db_worker``, made to ride out a database restart.

The library's worker exits on the first database error outside a task (its loop lets
an OperationalError propagate unless SQLite says "is locked"): a PostgreSQL restart
stopped every worker. Here the loop waits and reconnects instead, with a growing delay,
for as long as it takes; SIGTERM still stops it. A task it was running when the
database went away is left RUNNING and requeued by ``maintain_tasks`` after
TASK_RUNNING_TIMEOUT, like one of a killed worker.

``cms`` comes first in INSTALLED_APPS, so this command takes the name ``db_worker``:
docker compose, the Makefile and the docs keep calling it. ``--reload`` (development)
runs the library's own worker.
"""

import contextlib
import logging
import time

from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django_tasks.backends.database.management.commands import db_worker

logger = logging.getLogger("cms.worker")

MAX_DELAY = 10.0


class Worker(db_worker.Worker):
    def run(self):
        delay = 0.5
        while self.running:
            try:
                return super().run()
            except (OperationalError, InterfaceError) as error:
                if not self.running:
                    raise
                logger.warning("Database unavailable (%s); retrying in %.1fs", error, delay)
                for connection in connections.all(initialized_only=True):
                    with contextlib.suppress(DatabaseError):
                        connection.close()  # the next query opens a new one
                time.sleep(delay)
                delay = min(delay * 2, MAX_DELAY)
                self.startup_delay = False
        return None


class Command(db_worker.Command):
    help = db_worker.Command.help + ", reconnecting after a database restart"

    def handle(self, *, reload, **options):
        if reload:  # development: the library's own autoreloading worker
            return super().handle(reload=reload, **options)
        self.configure_logging(options["verbosity"])
        worker = Worker(
            queue_names=options["queue_name"].split(","),
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
        )
        worker.configure_signals()
        worker.run()
        return None
