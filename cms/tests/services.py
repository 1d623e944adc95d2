"""Services of our own for fault injection: a PostgreSQL cluster, a Redis server and an
SMTP sink, each on a free port of 127.0.0.1, started and stopped here. The shared
PostgreSQL and Redis are never touched. Plain Python (no Django), so bench/ uses it too.
"""

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

PG_BIN = next(
    (p for p in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)),
    Path("/usr/local/bin"),
)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, timeout=30, up=True):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                if up:
                    return True
        except OSError:
            if not up:
                return True
        time.sleep(0.1)
    raise TimeoutError(f"port {port} not {'up' if up else 'down'} after {timeout}s")


class OwnPostgres:
    """A throwaway cluster: trust authentication, no fsync (data loss on a crash of the
    machine is fine for a test; a database restart still loses nothing committed)."""

    def __init__(self):
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="cms-own-pg-"))
        self.data = self.dir / "data"
        self.log = self.dir / "postgres.log"

    def _run(self, *args, check=True, timeout=120):
        command = [str(PG_BIN / args[0]), *map(str, args[1:])]
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, check=check
        )

    def start(self):
        if os.geteuid() == 0:
            account = pwd.getpwnam("postgres")
            os.chown(self.dir, account.pw_uid, account.pw_gid)
        if not self.data.exists():
            self._run("initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8")
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", self.data, "-l", self.log, "-o", options, "-w", "start")
        return self

    def stop(self, mode="fast"):
        self._run("pg_ctl", "-D", self.data, "-m", mode, "-w", "stop", check=False)

    def restart(self):
        self.stop()
        self.start()

    def url(self, name):
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def psql(self, sql, database="postgres"):
        return subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-d",
                database,
                "-v",
                "ON_ERROR_STOP=1",
                "-tAc",
                sql,
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout.strip()

    def copy_database(self, source_url, name):
        """A copy of another cluster's database (schema and rows), as ``name`` here."""
        self.psql(f"CREATE DATABASE {name}")
        dump = subprocess.run(
            ["pg_dump", "--no-owner", "--no-privileges", source_url],
            capture_output=True,
            timeout=300,
            check=True,
        )
        subprocess.run(
            ["psql", "-q", "-v", "ON_ERROR_STOP=1", self.url(name)],
            input=dump.stdout,
            capture_output=True,
            timeout=300,
            check=True,
        )

    def cleanup(self):
        self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.cleanup()


class OwnRedis:
    def __init__(self):
        self.port = free_port()
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        wait_for_port(self.port, up=False)

    def url(self, db=0):
        return f"redis://127.0.0.1:{self.port}/{db}"

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


class SmtpSink:
    """A minimal SMTP server keeping each message it accepts. ``stall`` seconds: wait
    that long before greeting, as a slow mail server does (a worker is then mid-send)."""

    def __init__(self):
        self.port = free_port()
        self.messages = []
        self.stall = 0.0
        self.connections = 0
        self._server = socket.create_server(("127.0.0.1", self.port))
        self._stopping = False
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while not self._stopping:
            try:
                conn, _ = self._server.accept()
            except OSError:
                return
            threading.Thread(target=self._session, args=(conn,), daemon=True).start()

    def _session(self, conn):
        self.connections += 1
        try:
            with conn, conn.makefile("rb") as reader:
                time.sleep(self.stall)
                conn.sendall(b"220 sink ESMTP\r\n")
                data, in_data = [], False
                for raw in reader:
                    line = raw.decode("utf-8", "replace")
                    if in_data:
                        if line in ("." + "\r\n", ".\n"):
                            self.messages.append("".join(data))
                            data, in_data = [], False
                            conn.sendall(b"250 queued\r\n")
                        else:
                            data.append(line)
                        continue
                    verb = line[:4].upper()
                    if verb == "EHLO":
                        conn.sendall(b"250-sink\r\n250 8BITMIME\r\n")
                    elif verb == "DATA":
                        in_data = True
                        conn.sendall(b"354 go ahead\r\n")
                    elif verb == "QUIT":
                        conn.sendall(b"221 bye\r\n")
                        return
                    else:
                        conn.sendall(b"250 ok\r\n")
        except OSError:
            return

    def close(self):
        self._stopping = True
        self._server.close()
