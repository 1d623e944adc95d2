from django.core.management.base import BaseCommand

from records.retention import purge_expired_evidence


class Command(BaseCommand):
    help = (
        "Delete consent evidence six years after the consent was last in effect "
        "(HIPAA 164.530(j)) and report what was removed. Idempotent; run by the scheduler."
    )

    def handle(self, *args, **options):
        report = purge_expired_evidence()
        if report.consents or options["verbosity"] > 1:
            self.stdout.write(str(report))
