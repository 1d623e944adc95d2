"""Who must give a second factor, and the check itself.

No maintained package supports the Wagtail 8 admin yet (wagtail-2fa 1.8 imports the
removed ``wagtail.users.widgets``), so this is the smallest glue around django-otp's
TOTP devices: its middleware marks a session verified, these rules say who needs it."""

from django.conf import settings
from django_otp import user_has_device


def required_for(user):
    """Consent officers, approvers, administrators and superusers; and anyone who has
    set up a device (offered to everyone), so a device once added is always asked for."""
    if not settings.TWO_FACTOR_REQUIRED or not user.is_authenticated:
        return False
    return (
        user.is_superuser
        or user.groups.filter(name__in=settings.TWO_FACTOR_GROUPS).exists()
        or user_has_device(user, confirmed=True)
    )
