"""Reliability benchmark: the production stack under load and under faults.

Starts its own PostgreSQL cluster, Redis server and SMTP sink on free ports of
127.0.0.1 (cms/tests/services.py: the shared PostgreSQL and Redis are never touched),
migrates a fresh database with the demo content, and runs gunicorn, the task worker and
the scheduler with production settings. Then:

1. load: 64 connections for 60 s over the public pages (wrk): non-2xx must be 0;
2. PostgreSQL restarted while pages are read and the share form is submitted: recovery
   time, submissions that got "thank you" but are missing (must be 0), half-created
   records (must be 0);
3. Redis stopped for 10 s under load: 5xx must be 0;
4. the worker killed while it sends a patient's copy: the email still goes out, once,
   and the consent records the copy only then.

Writes the figures to bench/RESULTS.md (between the RELIABILITY markers) and prints them.

    make bench-reliability
    BENCH_LOAD_SECONDS=20 make bench-reliability     # a shorter first step
"""

import datetime
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import run as pagebench  # noqa: E402  (bench/run.py: wrk, machine description)

from cms.tests.services import OwnPostgres, OwnRedis, SmtpSink, free_port  # noqa: E402

PYTHON = sys.executable
GUNICORN = Path(PYTHON).parent / "gunicorn"
RESULTS = ROOT / "bench" / "RESULTS.md"
START, END = "<!-- RELIABILITY -->", "<!-- /RELIABILITY -->"

LOAD_SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "60"))
LOAD_CONNECTIONS = 64
WORKERS = int(os.environ.get("BENCH_WORKERS", str(2 * (os.cpu_count() or 1))))
DATABASE = "cms_reliability"
PROXY = {"X-Forwarded-Proto": "https"}  # as from the TLS-terminating proxy

FIND = """
import json
from consent.models import Consent
from consent.tokens import withdrawal_url
from wagtail.models import Page
pages = [p.url for p in Page.objects.live().filter(depth__gt=1).specific() if p.url]
consent = Consent.objects.exclude(patient__email="").first()
print(json.dumps({"pages": pages, "withdraw": withdrawal_url(consent).split("/", 3)[3]}))
"""


def log(message):
    print(f"[reliability] {message}", file=sys.stderr, flush=True)


def manage(env, *args, timeout=900):
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


class Process:
    def __init__(self, name, args, env):
        self.name = name
        self.log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 (lives as long as the process)
        self.popen = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT
        )

    def alive(self):
        return self.popen.poll() is None

    def stop(self, sig=signal.SIGTERM):
        if self.alive():
            self.popen.send_signal(sig)
            try:
                self.popen.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()


def request(port, method, path, headers=None, body=None, timeout=15):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers={**PROXY, **(headers or {})})
        response = connection.getresponse()
        response.body = response.read()
        return response.status, response
    except OSError:
        return None, None
    finally:
        connection.close()


class Load:
    """Closed-loop readers: each thread requests the paths in turn until stopped; every
    answer is kept with its time (seconds since the start), status and latency."""

    def __init__(self, port, paths, connections):
        self.port, self.paths = port, paths
        self.records, self.lock = [], threading.Lock()
        self.stopping = threading.Event()
        self.started = time.monotonic()
        self.threads = [threading.Thread(target=self.read, args=(i,)) for i in range(connections)]
        for thread in self.threads:
            thread.start()

    def read(self, offset):
        number = offset
        while not self.stopping.is_set():
            path = self.paths[number % len(self.paths)]
            number += 1
            began = time.monotonic()
            status, _ = request(self.port, "GET", path)
            with self.lock:
                self.records.append((began - self.started, status, time.monotonic() - began))

    def stop(self):
        self.stopping.set()
        for thread in self.threads:
            thread.join()
        return self.records


class Submitter:
    """A person sharing a story, again and again, each time with a new email address and
    client address; keeps the addresses that got the thank-you page."""

    def __init__(self, port, number, version, start=True):
        self.port, self.number, self.version = port, number, version
        self.succeeded, self.failed = [], 0
        self.token, self.count = None, 0
        self.statuses, self.last_refusal = Counter(), ""
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.run)
        if start:
            self.thread.start()

    def form(self):
        status, response = request(self.port, "GET", "/share-your-story/")
        if status != 200:
            return None
        token = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie", ""))
        return token.group(1) if token else None

    def submit(self):
        """One submission; the email address if it got the thank-you page."""
        self.token = self.token or self.form()
        if self.token is None:
            self.failed += 1
            time.sleep(0.2)
            return None
        self.count += 1
        email = f"bench-{self.number}-{self.count}@example.org"
        data = {
            "legal_name": "Bench Patient",
            "email": email,
            "story": "The injections eased my neck; I can drive again.",
            "attribution_style": "anonymous",
            "channels": ["website"],
            "consent_text_version": self.version,
            "agree": "on",
            "signature_name": "Bench Patient",
            "csrfmiddlewaretoken": self.token,
        }
        status, response = request(
            self.port,
            "POST",
            "/share-your-story/",
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={self.token}",
                "Referer": f"https://127.0.0.1:{self.port}/share-your-story/",
                # A new client each time: the rate limit is per address.
                "X-Forwarded-For": f"10.{self.number}.{self.count // 250}.{self.count % 250 + 1}",
            },
            body=urlencode(data, doseq=True),
        )
        location = response.getheader("Location", "") if response else ""
        self.statuses[status] += 1
        if status == 302 and location.endswith("/share-your-story/thank-you/"):
            self.succeeded.append(email)
            return email
        self.failed += 1
        if response is not None:
            errors = re.findall(rb'class="[^"]*error[^"]*"[^>]*>([^<]{3,200})', response.body)
            found = b" / ".join(errors[:3]).decode(errors="replace")
            self.last_refusal = f"{status} {location} {found}"
        if status == 403:
            self.token = None  # a new form, a new token
        return None

    def run(self):
        while not self.stopping.is_set():
            self.submit()

    def stop(self):
        self.stopping.set()
        self.thread.join()


def percentile(values, share):
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100)[share - 1]


def wrk_load(port, paths, seconds):
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    quoted = ", ".join(json.dumps(p) for p in paths)
    script.write_text(
        f"local paths = {{{quoted}}}\nlocal i = 0\n"
        'wrk.headers["X-Forwarded-Proto"] = "https"\n'
        "request = function()\n  i = i + 1\n"
        "  return wrk.format(nil, paths[(i % #paths) + 1])\nend\n"
    )
    args = [
        "wrk",
        "-t2",
        f"-c{LOAD_CONNECTIONS}",
        f"-d{seconds}s",
        "--timeout",
        "30s",
        "--latency",
        "-s",
        str(script),
        f"http://127.0.0.1:{port}",
    ]
    result = subprocess.run(args, capture_output=True, text=True, timeout=seconds + 120)
    out = result.stdout
    script.unlink()
    if "requests in" not in out:
        sys.exit(f"wrk failed:\n{out}\n{result.stderr}")
    log("wrk: " + " | ".join(line.strip() for line in out.splitlines()[-8:]))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    percentiles = dict(re.findall(r"^\s*(50|99)%\s+(\S+)\s*$", out, re.M))
    return {
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "non2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": sum(map(int, sockets.groups())) if sockets else 0,
        "p50": pagebench.to_ms(percentiles["50"]) if "50" in percentiles else float("nan"),
        "p99": pagebench.to_ms(percentiles["99"]) if "99" in percentiles else float("nan"),
    }


def python_load(port, paths, seconds):
    load = Load(port, paths, LOAD_CONNECTIONS)
    time.sleep(seconds)
    records = load.stop()
    latencies = [r[2] * 1000 for r in records if r[1] is not None]
    return {
        "requests": len(records),
        "rps": len(records) / seconds,
        "non2xx": sum(1 for r in records if r[1] is None or not 200 <= r[1] < 300),
        "socket_errors": sum(1 for r in records if r[1] is None),
        "p50": percentile(latencies, 50),
        "p99": percentile(latencies, 99),
    }


def sql(postgres, query):
    return postgres.psql(query, database=DATABASE)


def integrity(postgres, emails):
    """Submissions answered "thank you" but absent, and records left half-made."""
    if not emails:
        return 0, 0
    listed = ",".join(f"'{e}'" for e in emails)
    present = int(sql(postgres, f"SELECT count(*) FROM consent_patient WHERE email IN ({listed})"))
    half = int(
        sql(
            postgres,
            "SELECT count(*) FROM consent_patient p WHERE p.email LIKE 'bench-%' AND ("
            " NOT EXISTS (SELECT 1 FROM consent_consent c WHERE c.patient_id = p.id)"
            " OR EXISTS (SELECT 1 FROM consent_consent c WHERE c.patient_id = p.id AND ("
            "  NOT EXISTS (SELECT 1 FROM stories_testimonial t WHERE t.consent_id = c.id)"
            "  OR NOT EXISTS (SELECT 1 FROM django_tasks_database_dbtaskresult r"
            "   WHERE r.args_kwargs->'kwargs'->>'key' = 'consent-copy-' || c.id || '-copy'))))",
        )
    )
    return len(emails) - present, half


def step_database_restart(postgres, port, paths, version):
    log("step 2: PostgreSQL restarted under load while stories are shared")
    load = Load(port, paths, 8)
    submitters = [Submitter(port, n, version) for n in (1, 2)]
    time.sleep(10)
    restart_at = time.monotonic() - load.started
    postgres.restart()
    back_at = time.monotonic() - load.started
    time.sleep(20)
    records = load.stop()
    for submitter in submitters:
        submitter.stop()
    failures = [r for r in records if r[1] is None or r[1] >= 500]
    first_ok_after = min(
        (r[0] for r in records if r[0] >= back_at and r[1] == 200), default=float("nan")
    )
    last_failure = max((r[0] for r in failures), default=restart_at)
    emails = [e for s in submitters for e in s.succeeded]
    statuses = sum((s.statuses for s in submitters), Counter())
    log(f"submissions by status: {dict(statuses)}; last refusal: {submitters[0].last_refusal}")
    time.sleep(2)
    missing, half = integrity(postgres, emails)
    return {
        "restart_seconds": back_at - restart_at,
        "recovery_seconds": max(0.0, last_failure - restart_at),
        "first_ok_after_back": first_ok_after - back_at,
        "page_requests": len(records),
        "page_failures": len(failures),
        "page_5xx": sum(1 for r in records if r[1] is not None and r[1] >= 500),
        "page_500": sum(1 for r in records if r[1] == 500),
        "submission_statuses": dict(statuses),
        "submissions_ok": len(emails),
        "submissions_failed": sum(s.failed for s in submitters),
        "missing": missing,
        "half_created": half,
    }


def step_redis_outage(redis, port, paths):
    log("step 3: Redis stopped for 10 s under load")
    load = Load(port, paths, 16)
    time.sleep(5)
    redis.stop()
    stopped = time.monotonic() - load.started
    time.sleep(10)
    redis.start()
    started = time.monotonic() - load.started
    time.sleep(10)
    records = load.stop()

    def latency(rows):
        return percentile([r[2] * 1000 for r in rows if r[1] == 200], 50)

    return {
        "requests": len(records),
        "5xx": sum(1 for r in records if r[1] is not None and r[1] >= 500),
        "non2xx": sum(1 for r in records if r[1] is None or not 200 <= r[1] < 300),
        "p50_before": latency([r for r in records if r[0] < stopped]),
        "p50_during": latency([r for r in records if stopped <= r[0] < started]),
        "p50_after": latency([r for r in records if r[0] >= started + 6]),
        "keys_after": int(
            subprocess.run(
                ["redis-cli", "-p", str(redis.port), "dbsize"], capture_output=True, text=True
            ).stdout
            or 0
        ),
    }


def step_worker_killed(postgres, sink, port, env, worker, version):
    log("step 4: the worker killed while it sends a patient's copy")
    sink.stall = 8  # a slow mail server: the worker will be mid-send
    connections = sink.connections
    submitter = Submitter(port, 9, version, start=False)
    email = submitter.submit()
    if email is None:
        sys.exit(f"step 4: the share form refused the submission ({submitter.last_refusal})")
    consent = sql(
        postgres,
        f"SELECT c.id FROM consent_consent c JOIN consent_patient p ON p.id = c.patient_id "
        f"WHERE p.email = '{email}'",
    )
    key = f"consent-copy-{consent}-copy"
    deadline = time.monotonic() + 60
    while sink.connections == connections and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    worker.stop(signal.SIGKILL)
    killed_at = time.monotonic()
    status = sql(
        postgres,
        "SELECT status FROM django_tasks_database_dbtaskresult "
        f"WHERE args_kwargs->'kwargs'->>'key' = '{key}'",
    )
    copy_before = sql(
        postgres, f"SELECT copy_given_at IS NOT NULL FROM consent_consent WHERE id = {consent}"
    )
    sink.stall = 0
    replacement = Process("worker", worker.popen.args, env)

    def delivered():
        return sum(f"Message-ID: <{key}@" in m for m in sink.messages)

    deadline = time.monotonic() + 120
    while not delivered() and time.monotonic() < deadline:
        time.sleep(0.2)
    sent_after = time.monotonic() - killed_at
    time.sleep(5)  # time for a duplicate, were there one
    copy_after = sql(
        postgres, f"SELECT copy_given_at IS NOT NULL FROM consent_consent WHERE id = {consent}"
    )
    return replacement, {
        "status_after_kill": status,
        "copy_recorded_before": copy_before == "t",
        "delivered": delivered(),
        "seconds_to_delivery": sent_after,
        "copy_recorded_after": copy_after == "t",
    }


def report(setup, load, restart, redis, killed):
    def yes(value):
        return "yes" if value else "no"

    steps = [
        (
            f"1. {LOAD_CONNECTIONS} connections, {LOAD_SECONDS} s, public pages",
            [
                ("requests (req/s)", f"{load['requests']} ({load['rps']:.0f})"),
                ("non-2xx responses", f"**{load['non2xx']}**"),
                ("socket errors / timeouts", load["socket_errors"]),
                ("latency p50 / p99 (ms)", f"{load['p50']:.0f} / {load['p99']:.0f}"),
            ],
        ),
        (
            "2. PostgreSQL restarted under load and submissions",
            [
                ("restart took (s)", f"{restart['restart_seconds']:.1f}"),
                (
                    "recovery: restart to last failed page (s)",
                    f"{restart['recovery_seconds']:.1f}",
                ),
                (
                    "page requests failed (5xx; of them 500) / total",
                    f"{restart['page_failures']} ({restart['page_5xx']}; {restart['page_500']})"
                    f" / {restart['page_requests']}",
                ),
                ("submission answers by status", restart["submission_statuses"]),
                (
                    "submissions: thank-you / refused or failed",
                    f"{restart['submissions_ok']} / {restart['submissions_failed']}",
                ),
                ("thank-you but missing", f"**{restart['missing']}**"),
                ("half-created records", f"**{restart['half_created']}**"),
                (
                    "worker / scheduler still running",
                    f"{yes(restart['worker_alive'])} / {yes(restart['scheduler_alive'])}",
                ),
            ],
        ),
        (
            "3. Redis stopped 10 s under load",
            [
                ("requests", redis["requests"]),
                ("5xx (non-2xx)", f"**{redis['5xx']}** ({redis['non2xx']})"),
                (
                    "p50 before / during / after (ms)",
                    " / ".join(
                        f"{redis[k]:.0f}" for k in ("p50_before", "p50_during", "p50_after")
                    ),
                ),
                ("cache keys once Redis is back", redis["keys_after"]),
            ],
        ),
        (
            "4. worker killed mid-email",
            [
                ("task left behind", killed["status_after_kill"]),
                ("copy recorded before the mail went out", yes(killed["copy_recorded_before"])),
                ("patient's copy delivered (times)", f"**{killed['delivered']}**"),
                ("kill to delivery (s)", f"{killed['seconds_to_delivery']:.1f}"),
                ("copy recorded after delivery", yes(killed["copy_recorded_after"])),
            ],
        ),
    ]
    rows = ["| Step | Figure | Result |", "|---|---|---:|"]
    for step, figures in steps:
        for number, (figure, value) in enumerate(figures):
            rows.append(f"| {step if number == 0 else ''} | {figure} | {value} |")
    heading = "## Reliability\n\nWritten by `make bench-reliability` (bench/reliability.py)."
    return f"{heading}\n\n{setup}\n\n" + "\n".join(rows)


def write_results(summary):
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    block = f"{START}\n{summary}\n{END}"
    if START in text and END in text:
        before, rest = text.split(START, 1)
        text = before + block + rest.split(END, 1)[1]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    RESULTS.write_text(text)


def main():
    postgres, redis, sink = OwnPostgres(), OwnRedis(), SmtpSink()
    static_root = Path(tempfile.mkdtemp(prefix="cms-reliability-static-"))
    processes = []
    try:
        log(f"starting our own PostgreSQL (port {postgres.port}) and Redis (port {redis.port})")
        postgres.start()
        redis.start()
        postgres.psql(f"CREATE DATABASE {DATABASE}")
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "EMAIL_"))},
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": postgres.url(DATABASE),
            "REDIS_URL": redis.url(),
            "CONN_MAX_AGE": "60",
            "SECURE_PROXY_SSL_HEADER": "true",
            "TRUSTED_PROXY_COUNT": "1",
            "STATIC_ROOT": str(static_root),
            "MEDIA_ROOT": str(ROOT / "var" / "bench-media"),
            "PRIVATE_MEDIA_ROOT": str(ROOT / "var" / "bench-private"),
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(sink.port),
            "TASK_RUNNING_TIMEOUT": "5",
            "LOG_LEVEL": "WARNING",
        }
        log("migrating, loading the demo content, collecting static files")
        manage(env, "migrate", "--no-input")
        manage(env, "load_demo", "--allow-production")
        manage(env, "collectstatic", "--no-input", "-v0")
        found = json.loads(manage(env, "shell", "-v0", "-c", FIND).strip().splitlines()[-1])
        version = (
            manage(
                env,
                "shell",
                "-v0",
                "-c",
                "from consent.models import ConsentText; print(ConsentText.current().version)",
            )
            .strip()
            .splitlines()[-1]
        )
        paths = [
            *found["pages"],
            "/search/?q=botox",
            "/share-your-story/",
            "/" + found["withdraw"],
        ]

        port = free_port()
        web = Process(
            "gunicorn",
            [str(GUNICORN), "cms.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS)],
            env,
        )
        worker = Process("worker", [PYTHON, "manage.py", "db_worker", "--interval", "0.5"], env)
        scheduler = Process(
            "scheduler", [PYTHON, "manage.py", "run_scheduler", "--interval", "2"], env
        )
        processes += [web, worker, scheduler]
        deadline = time.monotonic() + 60
        while request(port, "GET", "/health/")[0] != 200:
            if time.monotonic() > deadline or not web.alive():
                sys.exit("gunicorn did not start")
            time.sleep(0.3)
        for path in paths:  # warm every worker's caches a little
            request(port, "GET", path)

        log(f"step 1: {LOAD_CONNECTIONS} connections for {LOAD_SECONDS} s")
        load = (
            wrk_load(port, paths, LOAD_SECONDS)
            if pagebench.ensure_wrk()
            else python_load(port, paths, LOAD_SECONDS)
        )
        restart = step_database_restart(postgres, port, paths, version)
        restart["worker_alive"] = worker.alive()
        restart["scheduler_alive"] = scheduler.alive()
        redis_figures = step_redis_outage(redis, port, paths)
        replacement, killed = step_worker_killed(postgres, sink, port, env, worker, version)
        processes.append(replacement)
    finally:
        for process in processes:
            process.stop()
        sink.close()
        redis.stop()
        postgres.cleanup()
        shutil.rmtree(static_root, ignore_errors=True)

    when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    setup = (
        f"{when}, `{pagebench.commit()}`. gunicorn {WORKERS} sync workers, db_worker, "
        f"run_scheduler; production settings; our own PostgreSQL {postgres.port} and Redis "
        f"{redis.port} (not the shared ones), `CONN_MAX_AGE=60`; {len(paths)} public paths "
        f"in turn (pages, search, share form, a withdrawal link); client and server on one "
        f"machine ({os.cpu_count()} CPUs, {pagebench.cpu_model()}), shared with other work. "
        f"The worker {'and the scheduler ' if restart['scheduler_alive'] else ''}"
        f"{'stayed up' if restart['worker_alive'] else 'DID NOT stay up'} through the "
        "PostgreSQL restart."
    )
    summary = report(setup, load, restart, redis_figures, killed)
    print(summary)
    write_results(summary)


if __name__ == "__main__":
    main()
