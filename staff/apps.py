from django.apps import AppConfig


class StaffConfig(AppConfig):
    """Staff accounts: login throttling (django-axes) and two-factor authentication
    (wagtail-2fa, on django-otp's TOTP devices) for the people who can read patient data."""

    name = "staff"
    verbose_name = "Staff account security"
