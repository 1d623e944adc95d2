from django.core.management.base import BaseCommand

from signoff.services import remind_and_expire


class Command(BaseCommand):
    help = (
        "Remind patients of unanswered sign-off requests and send lapsed ones back to the "
        "editor. Idempotent; the scheduler runs it every minute."
    )

    def handle(self, *args, **options):
        result = remind_and_expire()
        if options["verbosity"] > 1:
            self.stdout.write(
                f"Sign-off reminders sent: {result.reminded}; requests expired: {result.expired}."
            )
