"""Production: everything comes from the environment (base.py reads it); a missing
secret stops the process at start instead of running insecurely."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import SECRET_KEY

if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set in production (an environment variable; see .env.example)."
    )

DEBUG = False
