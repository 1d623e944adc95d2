"""Wagtail's ``publish_scheduled``, one item at a time: a refused go-live (never
approved, or its consent ended meanwhile) is dropped, logged and reported, and the
rest of the round carries on. Listed before ``wagtail`` in INSTALLED_APPS, so
``manage.py publish_scheduled`` and the scheduler run this one."""

import logging

from django.db import transaction
from django.utils import timezone
from wagtail.management.commands.publish_scheduled import Command as WagtailCommand
from wagtail.models import Revision

from moderation.publishing import PublishRefused, ensure_logged

logger = logging.getLogger("moderation.scheduled")


class Command(WagtailCommand):
    help = "Publish what is due and approved, unpublish what expired; report refusals."

    def handle(self, *args, **options):
        if options["dryrun"]:
            return super().handle(*args, **options)
        self.unpublish_expired()
        refused = []
        due = Revision.objects.filter(approved_go_live_at__lt=timezone.now())
        for revision in list(due.order_by("approved_go_live_at")):
            try:
                with transaction.atomic():
                    revision.publish(log_action="wagtail.publish.scheduled")
            except PublishRefused as refusal:
                # Dropped, not retried every minute: it needs a new approval anyway.
                Revision.objects.filter(pk=revision.pk).update(approved_go_live_at=None)
                ensure_logged(refusal, fallback=revision.content_object)
                refused.append(f"{revision.object_str}: {' '.join(refusal.reasons)}")
            except Exception:
                logger.exception("Scheduled publishing of revision %s failed", revision.pk)
                refused.append(f"{revision.object_str}: failed, see the log")
        for line in refused:
            logger.warning("Scheduled publishing refused: %s", line)
            self.stdout.write(f"Not published: {line}")

    def unpublish_expired(self):
        from django.apps import apps
        from wagtail.models import DraftStateMixin, Page

        models = [Page] + [
            model
            for model in apps.get_models()
            if issubclass(model, DraftStateMixin) and not issubclass(model, Page)
        ]
        for model in models:
            expired = model.objects.filter(live=True, expire_at__lt=timezone.now())
            for obj in list(expired.order_by("expire_at")):
                obj.unpublish(set_expired=True, log_action="wagtail.unpublish.scheduled")
