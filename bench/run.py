"""Benchmark the public pages as production serves them.

Creates a fresh PostgreSQL database (`cms_bench`), migrates it and loads the demo
content, collects static files, starts gunicorn with production settings on a free
port of 127.0.0.1, and measures with `wrk` (installed with apt when missing; a bounded
Python load loop otherwise):

1. cached: the home page, the story listing, a story, an article and a condition page
   with the consent-aware page cache on, against a bare WSGI app (bench/bare.py) serving
   the same bytes under the same gunicorn settings: the ratio of requests per second;
2. uncached: the same pages with the page cache off: worker CPU per request (from
   /proc) and the queries each page costs;
3. at 10,000 stories (`generate_stories`): the listing's first, a deep and a filtered
   page and search, uncached, p99 at 4 connections, and the workers' memory.

Prints Markdown tables and writes them to bench/RESULTS.md and the README. Traffic goes
to 127.0.0.1 only; every step has a time limit.

    make bench                                   # defaults below
    BENCH_DURATION=30 BENCH_CONNECTIONS=32 make bench
"""

import base64
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
CACHED_CONNECTIONS = int(os.environ.get("BENCH_CACHED_CONNECTIONS", "16"))  # the issue's -c16
MANY_CONNECTIONS = 4  # the 10,000-story measurements: wrk -c4
MANY_STORIES = int(os.environ.get("BENCH_STORIES", "10000"))
SEARCH_QUERY = "botox"
HEADERS = {"X-Forwarded-Proto": "https"}  # as from the TLS-terminating proxy

# Which live page stands for which row: (app label, model names to prefer, in order).
PAGES = [
    ("Story listing", "stories", ["storyindexpage"]),
    ("Story", "stories", ["patientstorypage"]),
    ("Article", "articles", ["treatmentarticlepage"]),
    ("Condition", "articles", ["condition"]),
]

FIND_PAGES = """
import json
from wagtail.models import Page
from articles.models import ArticleIndexPage, TreatmentArticlePage
pages = []
for page in Page.objects.live().filter(depth__gt=1).specific().order_by("path"):
    url = page.get_url()
    if url:
        pages.append([page._meta.app_label, page._meta.model_name, url])
index = ArticleIndexPage.objects.live().first()
article = TreatmentArticlePage.objects.live().filter(conditions__isnull=False).first()
if index and article:
    url = index.condition_url(article.conditions.first())
    pages.append(["articles", "condition", url])
print(json.dumps(pages))
"""

# Queries of each page rendered afresh (the page cache off), through Django's test
# client in one process with the same settings.
COUNT_QUERIES = """
import json, sys
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
counts = {}
for path in json.loads(sys.stdin.read()):
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    counts[path] = len(queries)
print(json.dumps(counts))
"""


def log(message):
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def run(args, env, timeout, check=True, input_text=None):
    result = subprocess.run(
        args,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        input=input_text,
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


def flush_writes():
    """Write the generated stories to disk now (a checkpoint), so that PostgreSQL's
    flush of them does not land in the first measurement. Needs a superuser (or
    pg_checkpoint); without one the measurement goes on as it is."""
    import psycopg2

    try:
        connection = psycopg2.connect(DATABASE_URL)
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("CHECKPOINT")
        connection.close()
    except psycopg2.Error as error:
        log(f"no checkpoint before the 10,000-story runs: {error}".strip())


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


def get(port, path, full=False):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers=HEADERS)
        response = connection.getresponse()
        body = response.read()
        if full:
            return response.status, response.reason, response.getheaders(), body
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


def measure_wrk(url, duration, connections=CONNECTIONS):
    args = ["wrk", f"-t{THREADS}", f"-c{connections}", f"-d{duration}s", "--latency"]
    for name, value in HEADERS.items():
        args += ["-H", f"{name}: {value}"]
    result = subprocess.run(
        [*args, url], capture_output=True, text=True, timeout=duration + 60, check=True
    )
    out = result.stdout
    percentiles = dict(re.findall(r"^\s+(50|90|99)%\s+(\S+)$", out, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)$", out, re.M)
    # No percentile when no request finished (a cold, slow page in a short warm-up).
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": to_ms(percentiles["50"]) if "50" in percentiles else float("nan"),
        "p90": to_ms(percentiles["90"]) if "90" in percentiles else float("nan"),
        "p99": to_ms(percentiles["99"]) if "99" in percentiles else float("nan"),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "errors": int(errors.group(1)) if errors else 0,
        "note": socket_errors.group(1) if socket_errors else "",
    }


def measure_python(port, path, duration, connections=CONNECTIONS):
    """A bounded closed-loop load: `connections` threads, each on one keep-alive
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
    threads = [threading.Thread(target=client) for _ in range(connections)]
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


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def workers_of(server):
    """The gunicorn worker processes (children of the master)."""
    path = Path(f"/proc/{server.pid}/task/{server.pid}/children")
    return [int(pid) for pid in path.read_text().split()] if path.exists() else []


def cpu_seconds(pids):
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / CLOCK_TICKS


def rss_mib(pids):
    sizes = []
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return sizes


def start_server(args, env, port, probe="/robots.txt"):
    server = subprocess.Popen(
        args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 60
    while get(port, probe) not in (200, 404):
        if server.poll() is not None or time.monotonic() > deadline:
            sys.exit(f"{args[0]} did not start:\n{server.stderr.read().decode()}")
        time.sleep(0.3)
    return server


def stop(server):
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()


def gunicorn(app, port, pythonpath=None):
    args = [str(GUNICORN), app, "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS)]
    return [*args, *(["--pythonpath", pythonpath] if pythonpath else [])]


class Load:
    def __init__(self):
        self.wrk = ensure_wrk()

    def run(self, port, path, duration, connections):
        if self.wrk:
            return measure_wrk(f"http://127.0.0.1:{port}{path}", duration, connections)
        return measure_python(port, path, duration, connections)

    def warm_then_measure(self, port, path, connections):
        self.run(port, path, WARM_UP, connections)
        measured = self.run(port, path, DURATION, connections)
        log(f"  {measured['rps']:.0f} req/s, p99 {measured['p99']:.1f} ms")
        return measured

    def tool(self, connections):
        name = "wrk" if self.wrk else "a Python load loop (wrk unavailable)"
        return f"{name}, {THREADS} threads, {connections} connections"


def cached_phase(load, port, pages, env):
    """The page cache on, against a bare WSGI app serving the same bytes."""
    served = {}
    for _row, path in pages:
        status, reason, headers, body = get(port, path, full=True)
        dropped = ("date", "server", "connection", "transfer-encoding")
        keep = [(k, v) for k, v in headers if k.lower() not in dropped]
        served[path] = (f"{status} {reason}", keep, base64.b64encode(body).decode())
    pages_file = Path(tempfile.mkstemp(prefix="cms-bench-bare-", suffix=".json")[1])
    pages_file.write_text(json.dumps(served))
    bare_port = free_port()
    bare = start_server(
        gunicorn("bare:app", bare_port, pythonpath=str(ROOT / "bench")),
        {**env, "BENCH_BARE_PAGES": str(pages_file)},
        bare_port,
        probe=pages[0][1],
    )
    rows = []
    try:
        for row, path in pages:
            log(f"cached {row}: {path}, then the bare app")
            site = load.warm_then_measure(port, path, CACHED_CONNECTIONS)
            baseline = load.warm_then_measure(bare_port, path, CACHED_CONNECTIONS)
            rows.append((row, path, site, baseline))
    finally:
        stop(bare)
        pages_file.unlink(missing_ok=True)
    return rows


def uncached_phase(load, server, port, pages, env):
    counts = json.loads(
        run(
            [PYTHON, "manage.py", "shell", "-v0", "-c", COUNT_QUERIES],
            {**env, "PAGE_CACHE_ENABLED": "false"},
            timeout=300,
            input_text=json.dumps([path for _row, path in pages]),
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    rows = []
    for row, path in pages:
        log(f"uncached {row}: {path}")
        load.run(port, path, WARM_UP, WORKERS)
        pids = workers_of(server)
        before = cpu_seconds(pids)
        measured = load.run(port, path, DURATION, WORKERS)
        used = cpu_seconds(pids) - before
        cpu_ms = 1000 * used / max(measured["requests"], 1)
        log(f"  {cpu_ms:.1f} ms CPU/request, {counts.get(path)} queries")
        rows.append((row, path, measured, cpu_ms, counts.get(path)))
    return rows


def many_phase(load, port, index_path, condition_path, condition_slug):
    deep = MANY_STORIES // 12 // 2
    paths = [
        ("Listing, first page", index_path),
        ("Listing, deep page", f"{index_path}?page={deep}"),
        ("Listing, filtered", f"{index_path}?condition={condition_slug}&page=3"),
        ("Condition page", condition_path),
        ("Search", f"/search/?q={SEARCH_QUERY}"),
        ("Search, page 20", "/search/?q=neck+spasm&page=20"),
    ]
    rows = []
    for row, path in paths:
        log(f"{MANY_STORIES} stories, {row}: {path}")
        rows.append((row, path, load.warm_then_measure(port, path, MANY_CONNECTIONS)))
    return rows


def cached_table(rows):
    lines = [
        "| Page | Path | Cached req/s | Bare app req/s | Ratio | Cached p99 (ms) | Non-200 |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for row, path, site, bare in rows:
        ratio = site["rps"] / bare["rps"] if bare["rps"] else 0
        lines.append(
            f"| {row} | `{path}` | {site['rps']:.0f} | {bare['rps']:.0f} | {ratio:.0%} "
            f"| {site['p99']:.1f} | {site['errors']} |"
        )
    return "\n".join(lines)


def uncached_table(rows):
    lines = [
        "| Page | Path | Queries | Worker CPU / request (ms) | Requests/s | p99 (ms) |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for row, path, m, cpu_ms, queries in rows:
        lines.append(
            f"| {row} | `{path}` | {queries} | {cpu_ms:.1f} | {m['rps']:.0f} | {m['p99']:.1f} |"
        )
    return "\n".join(lines)


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
    notes = []
    if redis_available():
        env["REDIS_URL"] = REDIS_URL
        env["PAGE_CACHE_ENABLED"] = "true"
    else:
        env.pop("REDIS_URL", None)
        notes.append("Redis not reachable: no page cache (it needs a shared cache).")
    uncached_env = {**env, "PAGE_CACHE_ENABLED": "false"}

    log(f"recreating {urlsplit(DATABASE_URL).path.lstrip('/')}")
    recreate_database()
    log("migrating")
    run([PYTHON, "manage.py", "migrate", "--no-input"], env, timeout=600)
    log("loading the demo content")
    loaded = run(
        [PYTHON, "manage.py", "load_demo", "--allow-production"], env, timeout=600, check=False
    )
    if loaded.returncode != 0:
        last = (loaded.stderr.strip().splitlines() or ["?"])[-1]
        notes.append(f"`load_demo` failed ({last}); measured what exists.")
    run([PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"], env, timeout=300)

    load = Load()
    port, uncached_port = free_port(), free_port()
    log(f"starting gunicorn ({WORKERS} workers): cache on at {port}, off at {uncached_port}")
    server = start_server(gunicorn("cms.wsgi", port), env, port)
    uncached = start_server(gunicorn("cms.wsgi", uncached_port), uncached_env, uncached_port)
    try:
        shell = run([PYTHON, "manage.py", "shell", "-v0", "-c", FIND_PAGES], env, timeout=120)
        found = json.loads(shell.stdout.strip().splitlines()[-1])
        pages, skipped = choose_pages(found, port)
        notes += skipped
        cached_rows = cached_phase(load, port, pages, env)
        uncached_rows = uncached_phase(load, uncached, uncached_port, pages, env)
        stop(server)
        stop(uncached)

        log(f"generating {MANY_STORIES} stories")
        started = time.monotonic()
        run(
            [PYTHON, "manage.py", "generate_stories", str(MANY_STORIES), "--allow-production"],
            env,
            timeout=1200,
        )
        generated_in = time.monotonic() - started
        flush_writes()
        uncached = start_server(gunicorn("cms.wsgi", uncached_port), uncached_env, uncached_port)
        index_path = next(path for row, path in pages if row == "Story listing")
        condition_path = next(path for row, path in pages if row == "Condition")
        many_rows = many_phase(
            load, uncached_port, index_path, condition_path, condition_path.split("/")[-2]
        )
        memory = rss_mib(workers_of(uncached))
    finally:
        for process in (server, uncached):
            if process.poll() is None:
                stop(process)
        shutil.rmtree(static_root, ignore_errors=True)

    when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    setup = (
        f"{when}, `{commit()}`. gunicorn {WORKERS} sync workers, production "
        f"settings, PostgreSQL{', Redis cache' if 'REDIS_URL' in env else ''}; "
        f"{DURATION}s per measurement after {WARM_UP}s of warm-up, client and server on "
        f"one machine ({os.cpu_count()} CPUs, {cpu_model()}), shared with other work."
    )
    ratios = [site["rps"] / bare["rps"] for _r, _p, site, bare in cached_rows if bare["rps"]]
    summary = "\n\n".join(
        [
            setup,
            f"**Cached** (page cache on, anonymous; {load.tool(CACHED_CONNECTIONS)}): "
            f"lowest ratio to the bare app {min(ratios, default=0):.0%} (goal 50%).",
            cached_table(cached_rows),
            f"**Uncached** (page cache off; {load.tool(WORKERS)}): queries counted in one "
            "process; CPU is the workers' user+system time over the run, per request "
            "(goal: 8 queries, 10 ms).",
            uncached_table(uncached_rows),
            f"**At {MANY_STORIES:,} stories** (page cache off; {load.tool(MANY_CONNECTIONS)}; "
            f"generated in {generated_in:.0f} s): goal p99 < 250 ms.",
            table(many_rows),
            f"Worker memory (RSS) after these runs: "
            f"{', '.join(f'{m:.0f}' for m in memory)} MiB (goal 150 MiB).",
            *(["Notes:\n" + "\n".join(f"- {n}" for n in notes)] if notes else []),
        ]
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
