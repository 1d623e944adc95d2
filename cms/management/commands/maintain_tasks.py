from django.core.management.base import BaseCommand

from cms import tasks_maintenance


class Command(BaseCommand):
    help = (
        "Requeue tasks abandoned by a dead worker; delete task results and sent-email "
        "records past TASK_RESULT_RETENTION_DAYS. Run every minute by run_scheduler."
    )

    def handle(self, *args, **options):
        if not tasks_maintenance.database_backends():
            self.stdout.write("No database task queue: nothing to maintain.")
            return
        requeued = tasks_maintenance.recover_abandoned()
        results, emails = tasks_maintenance.prune()
        self.stdout.write(
            f"Requeued {len(requeued)} abandoned task(s); pruned {results} task result(s) "
            f"and {emails} sent-email record(s)."
        )
