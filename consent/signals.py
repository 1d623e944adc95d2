from django.dispatch import Signal

# Sent when a consent stops being in effect: withdrawn, expired or superseded.
# Arguments: consent, reason ("withdrawn" | "expired" | "superseded"), user (or None).
# Receivers (stories) take down every linked item at once.
consent_ended = Signal()
