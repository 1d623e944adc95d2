from django.core.management.base import BaseCommand

from consent.expiry import enforce


class Command(BaseCommand):
    help = (
        "Take down content whose consent has expired (or whose takedown failed) and send "
        "expiry reminders 30 and 7 days ahead. Idempotent; the scheduler runs it every minute."
    )

    def handle(self, *args, **options):
        result = enforce()
        if options["verbosity"] > 1 or result.failed:
            self.stdout.write(
                f"Consents ended: {result.ended}; failed (retried next run): {result.failed}; "
                f"reminders sent: {result.reminded}."
            )
