""" "A copy was given to the patient" is recorded when the email carrying it went out,
not when it was queued: a copy that never left must not be on the record as given."""

from django.utils import timezone

from outbox.models import SentEmail, email_sent

PREFIX = "consent-copy-"


def copy_key(consent, kind="copy"):
    """The outbox key of the email that gives the patient their copy of ``consent``
    (``kind``: the copy sent with a web submission, or the receipt at verification)."""
    return f"{PREFIX}{consent.pk}-{kind}"


def record_copy_given(sender, key, **kwargs):
    from consent.models import Consent

    if not key.startswith(PREFIX):
        return
    consent_id = key.removeprefix(PREFIX).split("-")[0]
    sent_at = SentEmail.objects.filter(key=key).values_list("sent_at", flat=True).first()
    Consent.objects.filter(pk=consent_id, copy_given_at__isnull=True).update(
        copy_given_at=sent_at or timezone.now()
    )


def connect():
    email_sent.connect(record_copy_given, dispatch_uid="consent.copies.record_copy_given")
