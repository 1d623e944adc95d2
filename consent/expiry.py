"""What the every-minute ``enforce_consent`` job does; idempotent, so runs may overlap."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from wagtail.log_actions import log

from consent import notifications
from consent.models import REMINDER_SENT, Consent

# Days before expiry -> the field recording that reminder. The nearest first: a consent
# found inside 7 days gets the 7-day reminder only, never a late 30-day one.
REMINDERS = ((7, "reminded_7_days_at"), (30, "reminded_30_days_at"))


@dataclass
class Result:
    ended: int = 0
    failed: int = 0
    reminded: int = 0


def enforce(at=None):
    at = at or timezone.now()
    result = Result()
    # Anything ended but not processed: expired now, or withdrawn/superseded whose
    # takedown failed at the time (process_end retries it).
    for consent in Consent.objects.needing_end(at).select_related("patient").order_by("pk"):
        if consent.process_end(at=at):
            result.ended += 1
        else:
            result.failed += 1
    result.reminded = send_reminders(at)
    return result


def send_reminders(at=None):
    at = at or timezone.now()
    today = timezone.localdate(at)
    sent = 0
    for days, field in REMINDERS:
        due = Consent.objects.active(at).filter(
            **{f"{field}__isnull": True, "expires_on__lte": today + timedelta(days=days)}
        )
        for consent in due.order_by("pk"):
            # Mark this reminder and every later one as sent, claiming it atomically.
            fields = {f: at for d, f in REMINDERS if d >= days}
            claimed = Consent.objects.filter(pk=consent.pk, **{f"{field}__isnull": True}).update(
                **fields
            )
            if not claimed:
                continue
            days_left = (consent.expires_on - today).days
            notifications.expiry_reminder(consent, days_left)
            log(instance=consent, action=REMINDER_SENT, data={"days": days_left})
            sent += 1
    return sent
