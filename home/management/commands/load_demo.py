from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

# Each app seeds its own demo content; accounts come first because demo content
# goes live the only way anything does: through its moderation workflow. The home page
# comes last: it features the stories and testimonials the others create.
DEMO_MODULES = ["moderation.demo", "articles.demo", "consent.demo", "stories.demo", "home.demo"]


class Command(BaseCommand):
    help = "Create demo accounts for every role and demo content. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run without DEBUG (a staging server): each new demo account gets a "
            "random password, printed once.",
        )

    def handle(self, *args, allow_production, **options):
        # Demo accounts hold every role, patient data included: never by accident on a
        # server, and never with the password the README publishes (moderation.demo).
        if not (settings.DEBUG or settings.DEMO_WELL_KNOWN_PASSWORD or allow_production):
            raise CommandError(
                "Refusing to create demo accounts without DEBUG: they would hold every "
                "role. On a staging server, run `load_demo --allow-production`; each new "
                "account then gets a random password, printed once."
            )
        with transaction.atomic():
            for name in DEMO_MODULES:
                try:
                    module = import_module(name)
                except ModuleNotFoundError as error:
                    if error.name != name:
                        raise
                    continue
                for line in module.load() or []:
                    self.stdout.write(line)
