"""Settings are read from the environment, typed, secure by default; production refuses
to start insecurely. Each case imports the settings in a fresh process, as a server would."""

import json
import subprocess

import pytest
from django_tasks.base import Task
from wagtail.tasks import delete_file_from_storage_task, update_reference_index_task

from cms.tests.processes import BASE_DIR, PYTHON, manage, production_env
from core.email import send_email

pytestmark = pytest.mark.slow

SHOW_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
from django.core.cache import caches
from django.core.mail import mailers
from django_tasks import task_backends
print(json.dumps({
    "database": settings.DATABASES["default"]["ENGINE"],
    "database_name": str(settings.DATABASES["default"]["NAME"]),
    "cache": settings.CACHES["default"]["BACKEND"],
    "mailer": type(mailers.default).__module__,
    "mail_file_path": getattr(mailers.default, "file_path", None),
    "tasks": type(task_backends["default"]).__name__,
    "debug": settings.DEBUG,
    "allowed_hosts": settings.ALLOWED_HOSTS,
    "ssl_redirect": settings.SECURE_SSL_REDIRECT,
    "proxy_header": getattr(settings, "SECURE_PROXY_SSL_HEADER", None),
}))
"""


def settings_in(env):
    result = subprocess.run(
        [PYTHON, "-c", SHOW_SETTINGS],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def without(env, *names):
    return {key: value for key, value in env.items() if key not in names}


def test_check_deploy_has_no_warnings_with_production_settings():
    env = production_env(ALLOWED_HOSTS="stories.example.org", SECURE_PROXY_SSL_HEADER="true")
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", env=without(production_env(), "SECRET_KEY"))
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY must be set in production" in result.stderr


def test_production_reads_the_environment_typed():
    shown = settings_in(
        production_env(
            ALLOWED_HOSTS="a.example,b.example",
            SECURE_SSL_REDIRECT="false",
            SECURE_PROXY_SSL_HEADER="true",
            DATABASE_URL="postgres://cms@db.internal:5432/cms",
            REDIS_URL="redis://cache.internal:6379/1",
            EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            EMAIL_FILE_PATH="/srv/cms/mail",
        )
    )
    assert shown == {
        "database": "django.db.backends.postgresql",
        "database_name": "cms",
        "cache": "cms.cache.FailSafeRedisCache",  # Redis, an outage a cache miss
        "mailer": "django.core.mail.backends.filebased",
        "mail_file_path": "/srv/cms/mail",
        "tasks": "DatabaseBackend",
        "debug": False,
        "allowed_hosts": ["a.example", "b.example"],
        "ssl_redirect": False,  # "false" is false, not a non-empty string
        "proxy_header": ["HTTP_X_FORWARDED_PROTO", "https"],
    }


def test_production_defaults_are_secure_and_local():
    env = without(
        production_env(), "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT"
    )
    shown = settings_in(env)
    assert shown["database"] == "django.db.backends.sqlite3"
    assert shown["database_name"] == str(BASE_DIR / "var" / "db.sqlite3")
    assert shown["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert shown["mailer"] == "django.core.mail.backends.smtp"
    assert shown["allowed_hosts"] == []
    assert shown["ssl_redirect"] is True
    assert shown["proxy_header"] is None


def test_dev_runs_tasks_at_once_and_prints_mail():
    env = without(production_env(DJANGO_SETTINGS_MODULE="cms.settings.dev"), "SECRET_KEY")
    shown = settings_in(env)
    assert shown["tasks"] == "ImmediateBackend"
    assert shown["mailer"] == "django.core.mail.backends.console"
    assert shown["debug"] is True
    assert shown["ssl_redirect"] is False


def test_wagtail_and_our_tasks_are_tasks_of_the_backport():
    # Django 6's own django.tasks would enqueue elsewhere; both must use `django_tasks`,
    # the package whose DatabaseBackend and db_worker production runs.
    for task in (update_reference_index_task, delete_file_from_storage_task, send_email):
        assert isinstance(task, Task)
