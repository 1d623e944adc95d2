"""Settings shared by every environment: secure by default, loosened only in dev.

Every environment variable is read here once, typed; the README lists them.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

env = environ.Env()

# No default: production must fail at start without one (dev and test set their own).
SECRET_KEY = env("SECRET_KEY", default=None)
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "cms",
    "core",
    "taxonomy",
    "home",
    "articles",
    "consent",
    "stories",
    "signoff",
    "moderation",
    "submissions",
    "search",
    "feeds",
    "publicapi",
    "outbox",
    "staff",
    "records",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.frontend_cache",
    "wagtail.contrib.table_block",
    "wagtail.contrib.typed_table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "moderation.apps.ClinicUsersConfig",  # wagtail.users with our user forms
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "rest_framework",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks.backends.database",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
]

MIDDLEWARE = [
    # /health/ for load balancers: before host checks and the HTTPS redirect (cms/health.py).
    "cms.health.HealthCheckMiddleware",
    # Oversized bodies and control characters are refused before anything reads them.
    "core.guards.RequestGuardMiddleware",
    # Anonymous copies of public pages, within the consent bound (core/pagecache.py),
    # with every header the middleware below adds (HSTS, CSP...). The scheme is part of
    # the key and a redirect is never stored, so plain HTTP still meets the HTTPS
    # redirect; the host is checked as the key is made. cms/wsgi.py answers the same
    # copies before Django.
    "core.pagecache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "cms.middleware.NoSharedCacheMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "moderation.access.ActingUserMiddleware",
    # Second factor for the Wagtail admin, required where a role says so (staff app).
    "django_otp.middleware.OTPMiddleware",
    "staff.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cms.middleware.SiteContentSecurityPolicyMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: turns a lockout into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "cms.wsgi.application"

# SQLite is only the embedded default for a first local run; production and CI use PostgreSQL.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
# A persistent connection the database closed (a restart) is replaced before a request
# uses it, instead of failing that request.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # An outage is a cache miss, never a 500 (cms/cache.py).
            "BACKEND": "cms.cache.FailSafeRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "cms",
            # A Redis that hangs costs a request half a second, once per RETRY_AFTER.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The consent-aware page cache (core/pagecache.py). It needs a cache every process
# shares, so that a purge written by one (the scheduler ending a consent, a web worker
# recording a withdrawal) reaches all: on by default with Redis only.
PAGE_CACHE_ENABLED = env.bool("PAGE_CACHE_ENABLED", default=bool(REDIS_URL))
# Seconds a copy may live at most; it dies sooner at the next local midnight, when
# consents expire, and at any purge.
PAGE_CACHE_MAX_AGE = env.int("PAGE_CACHE_MAX_AGE", default=600)
# Bytes of copies each process keeps beside Redis, so a hit fetches only the generation.
PAGE_CACHE_LOCAL_BYTES = env.int("PAGE_CACHE_LOCAL_BYTES", default=8 * 1024 * 1024)
# Never looked up: staff, forms, the withdrawal pages, photos (checked at each request).
PAGE_CACHE_SKIP_PREFIXES = (
    "/admin/",
    "/consent/",
    "/share-your-story/",
    "/patient-media/",
    "/documents/",
    "/static/",
    "/media/",
    "/health/",
)
# A save or delete of these (apps, or app.Model) purges every cached page, as does any
# page's save, publish, unpublish, move or deletion (renditions excepted).
PAGE_CACHE_PURGED_BY = {
    "consent",
    "stories",
    "articles",
    "taxonomy",
    "home",
    "core.OrganisationSettings",
    "wagtailcore.Site",
    "wagtailcore.PageViewRestriction",
    "wagtailredirects.Redirect",
}

# Optional CDN in front (Wagtail's frontend cache), purged on the same events; off
# unless CDN_PURGE_BACKEND is set. Shared caches get s-maxage only then (README, "Caching").
CDN_PURGE_BACKEND = env("CDN_PURGE_BACKEND", default="")
_cdn_backends = {
    "varnish": lambda: {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": env("CDN_PURGE_LOCATION"),
    },
    "cloudflare": lambda: {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "BEARER_TOKEN": env("CLOUDFLARE_BEARER_TOKEN"),
        "ZONEID": env("CLOUDFLARE_ZONE_ID"),
    },
    "cloudfront": lambda: {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudfrontBackend",
        "DISTRIBUTION_ID": env("CLOUDFRONT_DISTRIBUTION_ID"),
    },
}
if CDN_PURGE_BACKEND and CDN_PURGE_BACKEND not in _cdn_backends:
    raise ImproperlyConfigured(f"CDN_PURGE_BACKEND must be one of {', '.join(_cdn_backends)}")
WAGTAILFRONTENDCACHE = {"cdn": _cdn_backends[CDN_PURGE_BACKEND]()} if CDN_PURGE_BACKEND else {}
PAGE_CACHE_CDN = bool(WAGTAILFRONTENDCACHE)

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username or address before any password is hashed.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Login throttling (django-axes): 5 failures from one address, or against one account
# from anywhere, lock that address or account for 15 minutes; a success resets them.
# Locked attempts cost no password hashing. `manage.py axes_reset` lifts a lock.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "core.clientip.client_ip"
AXES_LOCKOUT_TEMPLATE = "staff/locked_out.html"
AXES_VERBOSE = False

# Two-factor authentication (django-otp TOTP devices, staff app): required for these
# groups and superusers, offered to everyone (account menu), and asked of anyone who has
# set up a device. Off only in dev and tests.
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=True)
TWO_FACTOR_GROUPS = ["Consent officers", "Compliance approvers", "Site administrators"]
OTP_TOTP_ISSUER = env("WAGTAIL_SITE_NAME", default="Clinic patient stories")
# No avatar requests to a third party (Gravatar) from the admin.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
# static/ holds source assets; collectstatic writes to the git-ignored var/static.
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")
STATIC_URL = "/static/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
MEDIA_URL = "/media/"
# Signed consent forms live outside MEDIA_ROOT so no URL can ever serve them;
# only a permission-checked view streams them (consent.views).
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "var" / "private")
# Behind nginx, patient photos are handed to it once the consent check passed: the
# internal location that maps to PRIVATE_MEDIA_ROOT/patient/ (README, "Patient photos").
PATIENT_MEDIA_ACCEL_REDIRECT = env("PATIENT_MEDIA_ACCEL_REDIRECT", default="")
# Patient video and audio uploads (stories/media_checks.py): the size stays under the
# request body limit below, so the form, not the guard, tells the editor what is wrong.
PATIENT_MEDIA_MAX_SIZE = env.int("PATIENT_MEDIA_MAX_SIZE", default=18 * 1024 * 1024)
PATIENT_MEDIA_MAX_SECONDS = env.int("PATIENT_MEDIA_MAX_SECONDS", default=5 * 60)
PATIENT_CAPTIONS_MAX_SIZE = 256 * 1024

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Any request body, refused from its Content-Length before it is read (cms/guards.py);
# the share form allows less (submissions.views). Keep the proxy's limit the same.
MAX_REQUEST_BODY_SIZE = env.int("MAX_REQUEST_BODY_SIZE", default=20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Security: on by default, dev.py turns off what needs TLS.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Behind a TLS-terminating proxy (docker-compose, a load balancer) trust its header.
if env.bool("SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies of ours append to X-Forwarded-For before Django: the client address
# (rate limits, login lockout, signature evidence) is read that many entries from the
# right (cms/clientip.py). 0 trusts only REMOTE_ADDR. Default: one proxy when we are
# told one terminates TLS.
TRUSTED_PROXY_COUNT = env.int(
    "TRUSTED_PROXY_COUNT", default=1 if env.bool("SECURE_PROXY_SSL_HEADER", default=False) else 0
)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# The header only makes the site eligible for browsers' preload list; submitting the
# domain (https://hstspreload.org) stays a separate, deliberate step.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
# Nothing of ours is framed; Wagtail's preview views opt back in to SAMEORIGIN
# themselves (wagtail.utils.decorators.xframe_options_sameorigin_override).
X_FRAME_OPTIONS = "DENY"

# Everything is served from our own origin: no CDNs, no external fonts.
# The Wagtail admin needs inline styles and scripts, so its views get a looser policy (cms.csp).
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
}

# Django 6.1's MAILERS replaces the EMAIL_* settings. A backend refuses options it
# does not know, so each gets only its own: SMTP in production, a folder of .eml files
# (EMAIL_FILE_PATH) for a staging box or a test worker, none for console and locmem.
_email_backend = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
if _email_backend == "django.core.mail.backends.smtp.EmailBackend":
    _email_options = {
        "host": env("EMAIL_HOST", default="localhost"),
        "port": env.int("EMAIL_PORT", default=25),
        "username": env("EMAIL_HOST_USER", default=""),
        "password": env("EMAIL_HOST_PASSWORD", default=""),
        "use_tls": env.bool("EMAIL_USE_TLS", default=False),
        "timeout": 10,
    }
elif _email_backend == "django.core.mail.backends.filebased.EmailBackend":
    _email_options = {"file_path": env("EMAIL_FILE_PATH", default=str(BASE_DIR / "var" / "mail"))}
else:
    _email_options = {}
MAILERS = {"default": {"BACKEND": _email_backend, "OPTIONS": _email_options}}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Clinic stories <no-reply@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work: the django-tasks backport, as Wagtail 8 uses it. Production runs
# the database queue with `manage.py db_worker`; dev and tests run tasks at once.
# Django 6's own `django.tasks` reads TASKS too; neither Wagtail nor we enqueue through
# it, and its system check accepts the backport's backends (cms/tests/test_worker.py).
TASKS = {"default": {"BACKEND": "django_tasks.backends.database.DatabaseBackend"}}
# A task RUNNING longer than this was abandoned by a worker that died: it is queued
# again (cms/tasks_maintenance.py). Longer than any task takes (an email: seconds).
TASK_RUNNING_TIMEOUT = env.int("TASK_RUNNING_TIMEOUT", default=10 * 60)
# Finished task results (and sent-email records) are deleted after this many days.
TASK_RESULT_RETENTION_DAYS = env.int("TASK_RESULT_RETENTION_DAYS", default=14)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    # stdout, one line per record: the process manager (docker, systemd) keeps the logs.
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.request": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}

# Wagtail
WAGTAIL_SITE_NAME = env("WAGTAIL_SITE_NAME", default="Clinic patient stories")
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf"]
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "avif"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
# A reviewer's approval applies to the words they read: any edit restarts review.
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
# Publishes exactly the approved revision, through the publish guard (moderation.publishing).
WAGTAIL_FINISH_WORKFLOW_ACTION = "moderation.workflow_actions.publish_approved_workflow_state"
WAGTAIL_ENABLE_UPDATE_CHECK = False
# The patient's sign-off of the final words (signoff/): a reminder after this many days
# without an answer, and the request lapses (back to the editor) after this many.
PATIENT_SIGN_OFF_REMINDER_DAYS = env.int("PATIENT_SIGN_OFF_REMINDER_DAYS", default=3)
PATIENT_SIGN_OFF_EXPIRY_DAYS = env.int("PATIENT_SIGN_OFF_EXPIRY_DAYS", default=14)
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False
WAGTAIL_I18N_ENABLED = False
WAGTAILAPI_BASE_URL = env("WAGTAILAPI_BASE_URL", default=WAGTAILADMIN_BASE_URL)
WAGTAILAPI_LIMIT_MAX = 50

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}

# load_demo's accounts get the README's password only where this or DEBUG is on (dev,
# tests); never read from the environment, so no server can turn it on by mistake.
DEMO_WELL_KNOWN_PASSWORD = False

# Optional error reporting; nothing about patients is sent (cms/sentry.py).
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    from cms.sentry import init as init_sentry

    init_sentry(SENTRY_DSN, environment=env("SENTRY_ENVIRONMENT", default="production"))
