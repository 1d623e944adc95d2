from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

# Each app seeds its own demo content; accounts come first because demo content
# goes live the only way anything does: through its moderation workflow. The home page
# comes last: it features the stories and testimonials the others create.
DEMO_MODULES = ["moderation.demo", "articles.demo", "consent.demo", "stories.demo", "home.demo"]


class Command(BaseCommand):
    help = "Create demo accounts for every role and demo content. Safe to run again."

    def handle(self, *args, **options):
        with transaction.atomic():
            for name in DEMO_MODULES:
                for line in import_module(name).load() or []:
                    self.stdout.write(line)
