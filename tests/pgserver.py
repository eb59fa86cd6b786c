"""A throwaway PostgreSQL server for the tests: initdb + pg_ctl in a temporary folder, on a free port.

PostgreSQL refuses to run as root, so under root the server runs as a system user made for it
(``marsad-pg``, created with useradd when missing). It listens on 127.0.0.1 only, trusts local
connections, skips fsync (the data is thrown away), and is stopped and deleted after the session.
``$MARSAD_TEST_PG`` (a ``postgresql://`` URL of a server whose user may create databases) uses that
server instead.
"""
from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SERVER_USER = "marsad-pg"

# Stops the server if the test process dies without its teardown (SIGKILL, a timeout): argv is the
# test process id, the data folder, then the stop command. Ends by itself once the folder is gone.
WATCHDOG = """
import os, shutil, subprocess, sys, time
pid, folder, stop = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
while os.path.isdir(folder):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        subprocess.run(stop, capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)
        break
    time.sleep(1)
"""


class PostgresUnavailable(RuntimeError):
    pass


def find_bin(name: str) -> str:
    """``initdb`` or ``pg_ctl``: on PATH, else the newest of Debian's /usr/lib/postgresql/*/bin."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    if not candidates:
        raise PostgresUnavailable(f"{name} not found on PATH or in /usr/lib/postgresql/*/bin: "
                                  "install PostgreSQL (Debian: apt-get install postgresql; .ci/run does it)")
    return candidates[-1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TestServer:
    """One PostgreSQL cluster; ``new_database()`` gives each test an empty database of its own."""

    __test__ = False  # not a test class, whatever its name

    def __init__(self) -> None:
        self.folder: Path | None = None
        self.running = False
        self.port = 0
        self.admin_url = os.environ.get("MARSAD_TEST_PG", "")
        self._names = itertools.count(1)
        self.databases: list[str] = []
        self._prefix = f"marsad_test_{os.getpid()}_"

    def _as_server_user(self, cmd: list[str]) -> list[str]:
        if os.geteuid() != 0:
            return cmd
        if subprocess.run(["id", "-u", SERVER_USER], capture_output=True).returncode != 0:
            made = subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                                   SERVER_USER], capture_output=True, text=True)
            taken = subprocess.run(["id", "-u", SERVER_USER], capture_output=True).returncode == 0
            if made.returncode != 0 and not taken:  # another test session may have just made it
                raise PostgresUnavailable(f"cannot create the user {SERVER_USER} to run PostgreSQL as: "
                                          f"{made.stderr.strip()}")
        return ["runuser", "-u", SERVER_USER, "--", *cmd]

    def _run(self, cmd: list[str], what: str) -> None:
        done = subprocess.run(self._as_server_user(cmd), capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            log = ""
            if self.folder and (self.folder / "server.log").exists():
                log = (self.folder / "server.log").read_text(errors="replace")[-2000:]
            raise PostgresUnavailable(f"{what} failed ({' '.join(cmd)}):\n{done.stdout}{done.stderr}{log}")

    def start(self) -> None:
        if self.admin_url:
            return
        initdb, pg_ctl = find_bin("initdb"), find_bin("pg_ctl")
        # Under root the server user must reach the folder: /tmp, whatever $TMPDIR says.
        shared_tmp = "/tmp" if os.geteuid() == 0 and os.path.isdir("/tmp") else None
        self.folder = Path(tempfile.mkdtemp(prefix="marsad-pg-", dir=shared_tmp))
        if os.geteuid() == 0:
            self._as_server_user(["true"])  # creates the user when missing
            shutil.chown(self.folder, SERVER_USER, SERVER_USER)
        data = self.folder / "data"
        self._run([initdb, "-D", str(data), "-U", "postgres", "--auth=trust", "--encoding=UTF8",
                   "--locale=C", "--no-instructions"], "initdb")
        self.port = _free_port()
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=32MB")
        self._run([pg_ctl, "-D", str(data), "-l", str(self.folder / "server.log"), "-o", options,
                   "-w", "-t", "60", "start"], "pg_ctl start")
        self.running = True
        stop = self._as_server_user([pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"])
        subprocess.Popen([sys.executable, "-c", WATCHDOG, str(os.getpid()), str(self.folder), *stop],
                         start_new_session=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
        self.admin_url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def restart(self) -> None:
        """Restart the server as an administrator would (fast shutdown: open connections are cut)."""
        if self.folder is None:
            raise PostgresUnavailable("an existing server ($MARSAD_TEST_PG) is not restarted by the tests")
        self._run([find_bin("pg_ctl"), "-D", str(self.folder / "data"), "-l", str(self.folder / "server.log"),
                   "-m", "fast", "-w", "-t", "60", "restart"], "pg_ctl restart")

    def new_database(self) -> str:
        """The URL of a new, empty database."""
        import psycopg

        name = f"{self._prefix}{next(self._names)}"
        with psycopg.connect(self.admin_url, autocommit=True) as con:
            con.execute(f"CREATE DATABASE {name}")
        self.databases.append(name)
        return self.admin_url.rsplit("/", 1)[0] + "/" + name

    def stop(self) -> None:
        if self.folder is None:   # an existing server ($MARSAD_TEST_PG): drop the databases made on it
            if self.databases:
                import psycopg

                with psycopg.connect(self.admin_url, autocommit=True) as con:
                    for name in self.databases:
                        con.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
                self.databases.clear()
            return
        try:
            if self.running:
                self._run([find_bin("pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop"],
                          "pg_ctl stop")
                self.running = False
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


def article_ids(url: str) -> list[str] | None:
    """Ids of the articles in a store, read without opening it as a Store (another process may be
    writing); None while its tables do not exist yet."""
    if url.startswith(("postgresql://", "postgres://")):
        import psycopg

        try:
            with psycopg.connect(url) as con:
                return [r[0] for r in con.execute("SELECT id FROM articles")]
        except psycopg.errors.UndefinedTable:
            return None
    if not Path(url).exists():
        return None
    con = sqlite3.connect(url)
    try:
        return [r[0] for r in con.execute("SELECT id FROM articles")]
    except sqlite3.OperationalError:
        return None
    finally:
        con.close()


def fetch_rows(url: str, sql: str) -> list[tuple]:
    """The rows ``sql`` gives on either backend (a plain connection, not a Store)."""
    if url.startswith(("postgresql://", "postgres://")):
        import psycopg

        with psycopg.connect(url) as con:
            return con.execute(sql).fetchall()
    con = sqlite3.connect(url)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def count_rows(url: str, sql: str) -> int:
    """The single number ``sql`` (a SELECT COUNT) gives on either backend."""
    return fetch_rows(url, sql)[0][0]


@contextmanager
def running_server() -> Iterator[TestServer]:
    """A started ``TestServer``, stopped at the end; the test using it fails when none can be started."""
    import pytest

    server = TestServer()
    try:
        server.start()
    except PostgresUnavailable as exc:
        server.stop()
        pytest.fail(f"PostgreSQL test server could not be started: {exc}", pytrace=False)
    try:
        yield server
    finally:
        server.stop()
