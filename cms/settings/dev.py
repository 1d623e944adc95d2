from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
# Dev only: a fixed key so a first `make run` works without configuration.
SECRET_KEY = env("SECRET_KEY", default="django-insecure-dev-only-key-never-use-in-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

# Plain HTTP on the developer's machine.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

# Mail is printed to the console unless EMAIL_BACKEND chooses otherwise (base.py).
if not env("EMAIL_BACKEND", default=""):
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# load_demo: the README's password for the demo accounts (moderation/demo.py).
DEMO_WELL_KNOWN_PASSWORD = True

# Sign in to the demo accounts with their password alone; TWO_FACTOR_REQUIRED=true to try 2FA.
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=False)
