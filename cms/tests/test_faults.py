"""Faults survived, with real processes: the task worker and the scheduler through a
PostgreSQL restart, an email whose worker was killed mid-send, and gunicorn through a
Redis outage. PostgreSQL and Redis here are our own (cms/tests/services.py), started for
the test on free ports: the shared ones are never stopped."""

import http.client
import signal
import socket
import subprocess
import time
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from cms.tests.processes import (
    BIN,
    PYTHON,
    current_database_url,
    manage,
    production_env,
    running,
    wait_for,
)
from cms.tests.services import OwnPostgres, OwnRedis, SmtpSink
from consent.models import Consent
from consent.tokens import withdrawal_url

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ENQUEUE = (
    "from core.email import send_email; "
    "send_email.enqueue({subject!r}, 'Body', ['patient@example.org'], key={key!r})"
)


@pytest.fixture
def own_database():
    if not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        pytest.skip("needs PostgreSQL (DATABASE_URL)")
    with OwnPostgres() as postgres:
        # The migrated test database, copied into a cluster this test may restart.
        postgres.copy_database(current_database_url(), "cms_faults")
        yield postgres


@pytest.fixture
def sink():
    sink = SmtpSink()
    yield sink
    sink.close()


def env_for(postgres, sink, **extra):
    return production_env(
        DATABASE_URL=postgres.url("cms_faults"),
        CONN_MAX_AGE=60,
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=sink.port,
        TASK_RUNNING_TIMEOUT=3,
        LOG_LEVEL="INFO",
        **extra,
    )


def worker(env):
    args = [PYTHON, "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay"]
    return running(args, env)


def scheduler(env):
    return running([PYTHON, "manage.py", "run_scheduler", "--interval", "1"], env)


def enqueue(env, subject, key):
    result = manage("shell", "-c", ENQUEUE.format(subject=subject, key=key), env=env)
    assert result.returncode == 0, result.stderr


def delivered(sink, subject):
    return sum(f"Subject: {subject}" in message for message in sink.messages)


def test_worker_and_scheduler_ride_out_a_database_restart(own_database, sink):
    env = env_for(own_database, sink)
    with worker(env) as work, scheduler(env) as schedule:
        enqueue(env, "Before the restart", "before")
        wait_for(lambda: delivered(sink, "Before the restart"), 60, message="first email")

        own_database.stop()
        time.sleep(3)  # several polls of the worker and rounds of the scheduler fail
        own_database.start()
        assert work.poll() is None, work.output()
        assert schedule.poll() is None, schedule.output()

        enqueue(env, "After the restart", "after")
        wait_for(lambda: delivered(sink, "After the restart"), 60, message="email after restart")
        rounds = schedule.output().count("Scheduled job maintain_tasks done")
        wait_for(
            lambda: schedule.output().count("Scheduled job maintain_tasks done") > rounds,
            30,
            message="a scheduler round after the restart",
        )
        assert "Database unavailable" in work.output()


def test_an_email_whose_worker_was_killed_mid_send_still_goes_out_once(own_database, sink):
    env = env_for(own_database, sink)
    sink.stall = 6  # the mail server is slow: the worker will be mid-send
    with scheduler(env):
        with worker(env) as first:
            enqueue(env, "Your copy", "consent-copy-1-copy")
            wait_for(lambda: sink.connections, 60, message="the worker to connect")
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
        assert delivered(sink, "Your copy") == 0
        status = own_database.psql(
            "SELECT status FROM django_tasks_database_dbtaskresult", database="cms_faults"
        )
        assert status == "RUNNING"  # what a killed worker leaves behind

        sink.stall = 0
        with worker(env):
            # The scheduler requeues it after TASK_RUNNING_TIMEOUT; the new worker sends.
            wait_for(lambda: delivered(sink, "Your copy"), 60, message="the email")
            time.sleep(3)  # time for a duplicate, were there one
    assert delivered(sink, "Your copy") == 1
    sent = own_database.psql("SELECT key FROM outbox_sentemail", database="cms_faults")
    assert sent == "consent-copy-1-copy"


def request(port, method, path, headers=None, body=b""):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        headers = {"X-Forwarded-Proto": "https", **(headers or {})}
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_gunicorn_through_a_redis_outage_and_a_huge_upload(static_root):
    call_command("load_demo", stdout=StringIO())
    consent = Consent.objects.filter(patient__email__gt="").first()
    withdraw = withdrawal_url(consent).split("://", 1)[1].split("/", 1)[1]
    paths = ["/", "/patient-stories/", "/share-your-story/", "/search/?q=botox", f"/{withdraw}"]

    with OwnRedis() as redis:
        port = socket.socket()
        port.bind(("127.0.0.1", 0))
        port, _ = port.getsockname()[1], port.close()
        env = production_env(
            STATIC_ROOT=static_root,
            SECURE_PROXY_SSL_HEADER="true",
            REDIS_URL=redis.url(),
            SECRET_KEY=settings.SECRET_KEY,  # so the withdrawal token is valid
        )
        args = [BIN / "gunicorn", "cms.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"]
        with running(args, env) as server:
            wait_for(lambda: server.poll() is not None or _answers(port), 30, message="gunicorn")
            assert [request(port, "GET", p)[0] for p in paths] == [200] * len(paths)

            redis.stop()
            statuses = [request(port, "GET", p)[0] for _ in range(3) for p in paths]
            assert statuses == [200] * len(statuses), server.output()

            redis.start()  # same port: back without restarting anything
            time.sleep(6)  # past the fail-safe cache's retry delay
            assert [request(port, "GET", p)[0] for p in paths] == [200] * len(paths)
            keys = subprocess.run(
                ["redis-cli", "-p", str(redis.port), "dbsize"], capture_output=True, text=True
            )
            assert int(keys.stdout) > 0  # the cache is in use again

            # 500 MB announced, a few bytes sent: refused at once, the body never read.
            started = time.monotonic()
            status, body = request(
                port,
                "POST",
                "/share-your-story/",
                headers={
                    "Content-Type": "multipart/form-data; boundary=x",
                    "Content-Length": str(500 * 1024 * 1024),
                },
                body=b"--x\r\n",
            )
            assert status == 413
            assert b"too large to send" in body
            assert time.monotonic() - started < 5


def _answers(port):
    try:
        return request(port, "GET", "/health/")[0] == 200
    except OSError:
        return False
