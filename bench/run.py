"""Benchmark the public pages as production serves them.

Creates a fresh PostgreSQL database (`cms_bench`), migrates it and loads the demo
content, collects static files, starts gunicorn with production settings on a free
port of 127.0.0.1, and measures the home page, the story listing, a story, an article
and the search page with `wrk` (installed with apt when missing; a bounded Python
load loop otherwise). Prints a Markdown table and writes it to bench/RESULTS.md and the
README. Traffic goes to 127.0.0.1 only; every step has a time limit.

    make bench                                   # defaults below
    BENCH_DURATION=30 BENCH_CONNECTIONS=32 make bench
"""

import datetime
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = Path(PYTHON).parent / "gunicorn"
RESULTS = ROOT / "bench" / "RESULTS.md"
README = ROOT / "README.md"

DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cms_bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/2")
DURATION = int(os.environ.get("BENCH_DURATION", "15"))  # seconds per page
WARM_UP = 3  # seconds per page, not measured
WORKERS = int(os.environ.get("BENCH_WORKERS", str(2 * (os.cpu_count() or 1))))
# One connection per worker: every worker busy, no queue in front of them, so the
# latency is close to the time a page takes. Raise it to see the queueing.
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", str(WORKERS)))
THREADS = 2
SEARCH_QUERY = "botox"
HEADERS = {"X-Forwarded-Proto": "https"}  # as from the TLS-terminating proxy

# Which live page stands for which row: (app label, model names to prefer, in order).
PAGES = [
    ("Story listing", "stories", ["storyindexpage"]),
    ("Story", "stories", ["patientstorypage"]),
    ("Article", "articles", ["treatmentarticlepage"]),
]

FIND_PAGES = """
import json
from wagtail.models import Page
pages = []
for page in Page.objects.live().filter(depth__gt=1).specific().order_by("path"):
    url = page.get_url()
    if url:
        pages.append([page._meta.app_label, page._meta.model_name, url])
print(json.dumps(pages))
"""


def log(message):
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def run(args, env, timeout, check=True):
    result = subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if check and result.returncode != 0:
        sys.exit(f"{' '.join(map(str, args))} failed:\n{result.stdout}\n{result.stderr}")
    return result


def recreate_database():
    import psycopg2

    parts = urlsplit(DATABASE_URL)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        sys.exit(f"Refusing a database name like {name!r}")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    connection = psycopg2.connect(maintenance)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {name}")
    connection.close()


def redis_available():
    parts = urlsplit(REDIS_URL)
    try:
        with socket.create_connection((parts.hostname, parts.port or 6379), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers=HEADERS)
        response = connection.getresponse()
        response.read()
        return response.status
    except OSError:
        return None
    finally:
        connection.close()


def choose_pages(found, port):
    """(row, path) to measure, and notes on the rows skipped."""
    chosen, notes = [("Home", "/")], []
    for row, app, models in PAGES:
        candidates = [
            url
            for model in models
            for page_app, page_model, url in found
            if page_app == app and page_model == model
        ]
        if candidates:
            chosen.append((row, candidates[0]))
        else:
            notes.append(f"{row}: no live {app} page ({', '.join(models)}) yet; skipped.")
    chosen.append(("Search", f"/search/?q={SEARCH_QUERY}"))

    measured = []
    for row, path in chosen:
        status = get(port, path)
        if status == 200:
            measured.append((row, path))
        else:
            notes.append(f"{row}: `{path}` answered {status}; skipped.")
    return measured, notes


def ensure_wrk():
    if shutil.which("wrk"):
        return True
    if os.geteuid() == 0 and shutil.which("apt-get"):
        log("installing wrk with apt")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for args in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "wrk"]):
            subprocess.run(args, env=env, capture_output=True, timeout=300, check=False)
    return bool(shutil.which("wrk"))


UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def to_ms(value):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * UNITS_MS[unit]


def measure_wrk(url, duration):
    args = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{duration}s", "--latency"]
    for name, value in HEADERS.items():
        args += ["-H", f"{name}: {value}"]
    result = subprocess.run(
        [*args, url], capture_output=True, text=True, timeout=duration + 60, check=True
    )
    out = result.stdout
    percentiles = dict(re.findall(r"^\s+(50|90|99)%\s+(\S+)$", out, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)$", out, re.M)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": to_ms(percentiles["50"]),
        "p90": to_ms(percentiles["90"]),
        "p99": to_ms(percentiles["99"]),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "errors": int(errors.group(1)) if errors else 0,
        "note": socket_errors.group(1) if socket_errors else "",
    }


def measure_python(port, path, duration):
    """A bounded closed-loop load: CONNECTIONS threads, each on one keep-alive
    connection, for `duration` seconds."""
    deadline = time.monotonic() + duration
    latencies, errors, lock = [], [0], threading.Lock()

    def client():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine, failed = [], 0
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=HEADERS)
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    failed += 1
            except OSError:
                failed += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                continue
            mine.append((time.perf_counter() - started) * 1000)
        connection.close()
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    cuts = statistics.quantiles(latencies, n=100)
    return {
        "rps": len(latencies) / elapsed,
        "p50": cuts[49],
        "p90": cuts[89],
        "p99": cuts[98],
        "requests": len(latencies),
        "errors": errors[0],
        "note": "",
    }


def table(rows):
    lines = [
        "| Page | Path | Requests/s | p50 (ms) | p90 (ms) | p99 (ms) | Non-200 |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for row, path, m in rows:
        lines.append(
            f"| {row} | `{path}` | {m['rps']:.0f} | {m['p50']:.1f} | {m['p90']:.1f} "
            f"| {m['p99']:.1f} | {m['errors']} |"
        )
    return "\n".join(lines)


def cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def commit():
    def git(*args):
        result = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return result.stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    return f"{head} + uncommitted changes" if git("status", "--porcelain", "-uno") else head


def update_readme(summary):
    text = README.read_text()
    start, end = "<!-- BENCH RESULTS -->", "<!-- /BENCH RESULTS -->"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        after = rest.split(end, 1)[1]
        README.write_text(f"{before}{start}\n{summary}\n{end}{after}")


def main():
    static_root = Path(tempfile.mkdtemp(prefix="cms-bench-static-"))
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "EMAIL_"))},
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": DATABASE_URL,
        "CONN_MAX_AGE": "60",
        "SECURE_PROXY_SSL_HEADER": "true",
        "STATIC_ROOT": str(static_root),
        "MEDIA_ROOT": str(ROOT / "var" / "bench-media"),
        "PRIVATE_MEDIA_ROOT": str(ROOT / "var" / "bench-private"),
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }
    if redis_available():
        env["REDIS_URL"] = REDIS_URL
    else:
        env.pop("REDIS_URL", None)
        log("Redis not reachable: the cache is per process")

    log(f"recreating {urlsplit(DATABASE_URL).path.lstrip('/')}")
    recreate_database()
    log("migrating")
    run([PYTHON, "manage.py", "migrate", "--no-input"], env, timeout=600)
    notes = []
    log("loading the demo content")
    loaded = run(
        [PYTHON, "manage.py", "load_demo", "--allow-production"], env, timeout=600, check=False
    )
    if loaded.returncode != 0:
        last = (loaded.stderr.strip().splitlines() or ["?"])[-1]
        notes.append(f"`load_demo` failed ({last}); measured what exists.")
    run([PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"], env, timeout=300)

    port = free_port()
    gunicorn_args = [
        str(GUNICORN),
        "cms.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(WORKERS),
    ]
    log(f"starting gunicorn ({WORKERS} workers) on 127.0.0.1:{port}")
    server = subprocess.Popen(
        gunicorn_args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 60
        while get(port, "/robots.txt") != 200:
            if server.poll() is not None or time.monotonic() > deadline:
                sys.exit(f"gunicorn did not start:\n{server.stderr.read().decode()}")
            time.sleep(0.3)

        shell = run([PYTHON, "manage.py", "shell", "-v0", "-c", FIND_PAGES], env, timeout=120)
        found = json.loads(shell.stdout.strip().splitlines()[-1])
        pages, skipped = choose_pages(found, port)
        notes += skipped

        use_wrk = ensure_wrk()
        tool = (
            f"wrk, {THREADS} threads, {CONNECTIONS} connections"
            if use_wrk
            else f"a Python load loop, {CONNECTIONS} connections (wrk unavailable)"
        )
        rows = []
        for row, path in pages:
            log(f"{row}: {path} for {DURATION}s, after {WARM_UP}s of warm-up")
            for duration in (WARM_UP, DURATION):  # warm-up: every worker loads the page
                if use_wrk:
                    measured = measure_wrk(f"http://127.0.0.1:{port}{path}", duration)
                else:
                    measured = measure_python(port, path, duration)
            rows.append((row, path, measured))
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(static_root, ignore_errors=True)

    when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    setup = (
        f"{when}, `{commit()}`. gunicorn {WORKERS} sync workers, production "
        f"settings, PostgreSQL{', Redis cache' if 'REDIS_URL' in env else ''}; {tool}, "
        f"{DURATION}s per page, client and server on one machine "
        f"({os.cpu_count()} CPUs, {cpu_model()}). With more connections than workers, "
        f"latency includes the wait for a free worker."
    )
    summary = "\n\n".join(
        [setup, table(rows), *(["Notes:\n" + "\n".join(f"- {n}" for n in notes)] if notes else [])]
    )
    print(summary)
    heading = "# Benchmark results\n\nWritten by `make bench` (bench/run.py)."
    # Keep the figures of bench/reliability.py, written between their own markers.
    previous = RESULTS.read_text() if RESULTS.exists() else ""
    kept = (
        previous[previous.find("<!-- RELIABILITY -->") :]
        if "<!-- RELIABILITY -->" in previous
        else ""
    )
    RESULTS.write_text(f"{heading}\n\n{summary}\n" + (f"\n{kept}" if kept else ""))
    update_readme(summary)


if __name__ == "__main__":
    main()
