"""docker-compose.yml, the Dockerfile, .env.example and the README agree with the code.

Docker does not run here, so the compose file is parsed, and each app service's command
is started outside docker with that service's environment and `.env.example` as its
`.env`: only the database and Redis addresses point at this test run's."""

import http.client
import re
import shlex
import subprocess

import dockerfile
import pytest
import yaml
from django.core.management import get_commands

from cms.tests.processes import (
    BASE_DIR,
    BIN,
    free_port,
    production_env,
    running,
    wait_for,
)

COMPOSE_FILE = BASE_DIR / "docker-compose.yml"
COMPOSE = yaml.safe_load(COMPOSE_FILE.read_text())
SERVICES = COMPOSE["services"]
APP_SERVICES = ["web", "worker", "scheduler"]
README = (BASE_DIR / "README.md").read_text()


ENV_EXAMPLE = (BASE_DIR / ".env.example").read_text()


def env_example_names():
    """Every variable .env.example names, set or commented out."""
    return set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", ENV_EXAMPLE, re.M))


def env_example_values():
    """What docker compose reads from a .env copied from .env.example."""
    return dict(re.findall(r"^([A-Z][A-Z0-9_]*)=(.*)$", ENV_EXAMPLE, re.M))


def readme_variables():
    """The first column of the README's environment variables table."""
    section = README.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([A-Z][A-Z0-9_]*)`", section, re.M))


def settings_variables():
    source = "".join(p.read_text() for p in (BASE_DIR / "cms" / "settings").glob("*.py"))
    return set(re.findall(r'env(?:\.\w+)?\("([A-Z][A-Z0-9_]*)"', source))


def shell_words(service):
    """The words of a service's command, with `sh -c "a && b"` split into its commands."""
    command = service["command"]
    if command[:2] == ["sh", "-c"]:
        return [shlex.split(part) for part in command[2].split("&&")]
    return [command]


def test_database_is_postgres_17_with_a_healthcheck_and_a_named_volume():
    db = SERVICES["db"]
    assert db["image"] == "postgres:17"
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    [volume] = db["volumes"]
    assert volume.split(":")[0] in COMPOSE["volumes"]
    assert "redis" in SERVICES["redis"]["image"]


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_wait_for_a_healthy_database_and_read_env(name):
    service = SERVICES[name]
    assert service["depends_on"]["db"] == {"condition": "service_healthy"}
    assert service["env_file"] == ".env"
    assert service["environment"]["DJANGO_SETTINGS_MODULE"] == "cms.settings.production"
    assert service["environment"]["DATABASE_URL"].startswith("postgres://")
    assert service["environment"]["REDIS_URL"].startswith("redis://")
    # Secrets come from .env, never from the compose file itself.
    assert "SECRET_KEY" not in service["environment"]


def test_published_ports_are_bound_to_localhost():
    published = [port for service in SERVICES.values() for port in service.get("ports", [])]
    assert published == ["127.0.0.1:8000:8000"]


@pytest.mark.parametrize("name", APP_SERVICES)
def test_service_commands_exist(name):
    commands = get_commands()
    for words in shell_words(SERVICES[name]):
        if words[0] == "exec":
            words = words[1:]
        if words[:2] == ["python", "manage.py"]:
            assert words[2] in commands, f"{name}: no management command {words[2]!r}"
        else:
            assert words[0] == "gunicorn"
            assert words[1] == "cms.wsgi"


def test_compose_file_follows_the_compose_specification():
    """Validated against the Compose Specification's own JSON schema."""
    result = subprocess.run(  # noqa: S603
        [BIN / "check-jsonschema", "--builtin-schema", "vendor.compose-spec", COMPOSE_FILE],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_dockerfile_passes_hadolint():
    result = subprocess.run(  # noqa: S603
        [BIN / "hadolint", "--failure-threshold", "info", BASE_DIR / "Dockerfile"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_dockerfile_builds_a_non_root_gunicorn_image_with_static_files():
    instructions = dockerfile.parse_file(str(BASE_DIR / "Dockerfile"))
    by_command = {}
    for instruction in instructions:
        by_command.setdefault(instruction.cmd, []).append(instruction.value)
    assert by_command["FROM"] == [("python:3.13-slim",)]
    runs = [shlex.split(value) for (value,) in by_command["RUN"]]
    assert ["pip", "install", "-r", "requirements.txt"] in runs
    [collect] = [words for words in runs if "collectstatic" in words]
    assert collect[:4] == [
        "SECRET_KEY=collectstatic-only-not-a-secret",
        "python",
        "manage.py",
        "collectstatic",
    ]
    # The last USER is who runs the site: not root, by number (the host resolves no names).
    user = by_command["USER"][-1][0]
    assert user.isdigit() and user != "0"
    assert by_command["CMD"][-1][:2] == ("gunicorn", "cms.wsgi")
    ignored = (BASE_DIR / ".dockerignore").read_text().split()
    assert {".env", ".venv", "var", ".git"} <= set(ignored)


def test_every_setting_read_from_the_environment_is_documented():
    assert settings_variables() - readme_variables() == set()


def test_env_example_lists_every_variable_the_readme_lists():
    assert readme_variables() - env_example_names() == set()


def test_readme_starts_with_the_two_commands():
    top = README[:1500]
    assert "make run" in top
    assert "make test" in top


def compose_env(name, **extra):
    """The service's environment outside docker: .env.example as its .env, the compose
    `environment:`, then this test run's database, Redis and file locations."""
    env = env_example_values()
    env.update(SERVICES[name]["environment"])
    for key in ("DATABASE_URL", "REDIS_URL", "MEDIA_ROOT", "PRIVATE_MEDIA_ROOT"):
        env.pop(key)
    local = production_env(**extra)
    local.update({key: value for key, value in env.items() if key not in local})
    local["DJANGO_SETTINGS_MODULE"] = env["DJANGO_SETTINGS_MODULE"]
    local["ALLOWED_HOSTS"] = env["ALLOWED_HOSTS"]
    local["PATH"] = f"{BIN}:{local['PATH']}"  # `python` and `gunicorn` of this virtualenv
    return local


def home_page_status(port, host):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", "/", headers={"Host": host, "X-Forwarded-Proto": "https"})
        return connection.getresponse().status
    except OSError:
        return None
    finally:
        connection.close()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_web_service_migrates_then_serves(static_root):
    port = free_port()
    bind = f"127.0.0.1:{port}"
    command = [word.replace("0.0.0.0:8000", bind) for word in SERVICES["web"]["command"]]
    env = compose_env("web", STATIC_ROOT=static_root)  # collected as the image build does
    host = env["ALLOWED_HOSTS"].split(",")[0]
    with running(command, env) as process:
        wait_for(
            lambda: process.poll() is not None or home_page_status(port, host),
            timeout=60,
            message="the web service",
        )
        assert home_page_status(port, host) == 200, process.output()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "started"),
    [("worker", "Starting worker"), ("scheduler", "Scheduler started")],
)
def test_background_services_start(name, started, django_db_setup):
    with running(SERVICES[name]["command"], compose_env(name, LOG_LEVEL="INFO")) as process:
        wait_for(
            lambda: process.poll() is not None or started in process.output(),
            timeout=30,
            message=f"the {name} service",
        )
        assert process.poll() is None, process.output()
