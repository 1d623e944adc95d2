from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES, env

SECRET_KEY = "test-only-secret-key"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
SECURE_SSL_REDIRECT = False

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Tests use a local cache unless a test asks for Redis itself (REDIS_URL stays readable).
# Room for every page a test caches (the default 300 entries would cull copies at random).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Static files come from the apps, as in dev: no collectstatic before a test run.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
PRIVATE_MEDIA_ROOT = BASE_DIR / "var" / "test-private"
WAGTAILADMIN_BASE_URL = "http://testserver"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"null": {"class": "logging.NullHandler"}},
    "root": {"handlers": ["null"], "level": env("LOG_LEVEL", default="CRITICAL")},
}

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file rather than memory, so the processes the tests start (gunicorn, the task
    # worker, the scheduler) share the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / "test-db.sqlite3")}

# Browser tests sign in as the demo accounts with the README's password.
DEMO_WELL_KNOWN_PASSWORD = True

# The browser tests sign in with a password; staff/tests turn both on.
TWO_FACTOR_REQUIRED = False
# client.login() has no request for django-axes to inspect; staff/tests turn it on.
AXES_ENABLED = False

# The page cache is on in the tests (one process, so the local cache is shared).
PAGE_CACHE_ENABLED = True
