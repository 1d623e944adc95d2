import logging
from contextlib import contextmanager
from importlib import import_module

from django.conf import settings
from django.core import mail
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from wagtail.models import Site

# Each app seeds its own demo content; accounts come first because demo content
# goes live the only way anything does: through its moderation workflow. The home page
# comes last: it features the stories and testimonials the others create.
DEMO_MODULES = ["moderation.demo", "articles.demo", "consent.demo", "stories.demo", "home.demo"]


@contextmanager
def demo_mail_kept_back():
    """The workflows the demo runs email its accounts at every step: ~700 lines on a
    console backend, and real mail on a server. Keep them in memory instead (run now,
    not by a worker that would send them later), and quiet Wagtail's per-page log
    lines, so the summary stays readable. The audit log in the database is unchanged."""
    wagtail_logger = logging.getLogger("wagtail")
    level = wagtail_logger.level
    wagtail_logger.setLevel(logging.WARNING)
    # override_settings is django.test's, but nothing about it is test-only: it swaps
    # settings and tells the mail and task handlers, then restores both.
    with override_settings(
        MAILERS={"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}},
        TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
    ):
        outbox = getattr(mail, "outbox", None)
        mail.outbox = []
        try:
            yield mail.outbox
        finally:
            wagtail_logger.setLevel(level)
            if outbox is None:
                del mail.outbox
            else:
                outbox.extend(mail.outbox)
                mail.outbox = outbox


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
        with demo_mail_kept_back() as outbox:
            with transaction.atomic():
                lines = []
                for name in DEMO_MODULES:
                    lines.extend(import_module(name).load() or [])
            sent = len(outbox)
        for line in lines:
            self.stdout.write(line)
        site = Site.objects.filter(is_default_site=True).first()
        admin = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/admin/"
        self.stdout.write(f"Open the site: {site.root_url}/" if site else "No default site.")
        self.stdout.write(f"Open the admin: {admin} (sign in as one of the accounts above)")
        if sent:
            self.stdout.write(
                f"{sent} workflow notification email{'s' if sent != 1 else ''} to the demo "
                "accounts were not sent."
            )
