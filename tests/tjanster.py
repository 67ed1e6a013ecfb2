"""Helpers for tests against real processes and services: manage.py in a fresh
interpreter, Redis, a Celery worker, free ports, waiting for something to happen."""

import contextlib
import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

PROJEKT = Path(__file__).resolve().parents[1]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def produktionsmiljo(**miljo):
    """This process's environment without the project's settings, plus `miljo`: what a
    freshly started production process would see."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "SECRET_KEY", "CELERY_", "DEBUG", "ALLOWED_"))
    }
    env.update(miljo)
    return env


def kor_manage(*args, **miljo):
    """Run manage.py in a fresh interpreter with a production-like environment."""
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=PROJEKT,
        env=produktionsmiljo(**miljo),
        capture_output=True,
        text=True,
        timeout=120,
    )


def stoppa(process, sekunder=10):
    """Stop a process this test started: politely, then for certain."""
    process.terminate()
    try:
        process.wait(timeout=sekunder)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=sekunder)


def redis_svarar(url):
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping())
    except redis.RedisError:
        return False


def vanta_pa(villkor, sekunder=10.0):
    """Poll until the condition holds (True) or the time is up (False)."""
    slut = time.monotonic() + sekunder
    while time.monotonic() < slut:
        if villkor():
            return True
        time.sleep(0.05)
    return bool(villkor())


def ledig_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def worker():
    """A real Celery worker of the project's app, in a thread of this process."""
    from celery.contrib.testing.worker import start_worker

    from kvalitet.celery import app

    with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=15) as w:
        yield w


class PrivatRedis:
    """A redis-server of this test's own on a free port (never the shared one), without
    persistence: `starta()`, `stoppa()` and `starta()` again on the same port, as an
    operator's restart would."""

    def __init__(self, katalog, port=None):
        import shutil

        self.binar = shutil.which("redis-server")
        self.katalog = Path(katalog)
        self.port = port or ledig_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def starta(self):
        self.process = subprocess.Popen(  # noqa: S603 - fixed arguments, binary on PATH
            [self.binar, "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no", "--dir", str(self.katalog)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if not vanta_pa(lambda: redis_svarar(self.url), 10):
            raise RuntimeError(f"redis-server startade inte på port {self.port}")

    def stoppa(self):
        if self.process is not None:
            stoppa(self.process)
            self.process = None


def celery_worker(logg, pool="solo", **miljo):
    """`celery -A kvalitet worker` in its own process, with a production-like environment
    plus `miljo` (CELERY_BROKER_URL, DATABASE_URL...). The solo pool runs the task in
    that process, so killing it kills the task; "prefork" runs it in one child process
    (`barnprocesser`). Output goes to the file `logg`."""
    celery = Path(sys.executable).with_name("celery")
    with open(logg, "a") as ut:
        return subprocess.Popen(  # noqa: S603 - the virtualenv's celery, fixed arguments
            [str(celery), "-A", "kvalitet", "worker", "--pool", pool, "--concurrency", "1"]
            + ["--loglevel", "INFO"]
            + ["--without-heartbeat", "--without-gossip", "--without-mingle"],
            cwd=PROJEKT,
            env=produktionsmiljo(**miljo),
            stdout=ut,
            stderr=subprocess.STDOUT,
        )


def barnprocesser(pid):
    """The pids of the processes whose parent is `pid` (Linux /proc)."""
    barn = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            falt = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        if int(falt[1]) == pid:
            barn.append(int(stat.parent.name))
    return barn


def delad_databas_url():
    """The URL of the database the running test uses (pytest's test_<name> database),
    for a process this test starts to share it."""
    from django.db import connection

    s = connection.settings_dict
    return (
        f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
        f"/{s['NAME']}"
    )


PG_BIN = Path("/usr/lib/postgresql/15/bin")


class PrivatPostgres:
    """A PostgreSQL cluster of this test's own (initdb into a temporary directory, a free
    port, trust authentication), never the shared server: `starta()`, `starta_om()` (a
    fast restart: connections are cut, transactions in flight rolled back), `stoppa()`.
    initdb refuses to run as root, so as root the commands run as the postgres user."""

    def __init__(self):
        import tempfile

        self.port = ledig_port()
        self.katalog = Path(tempfile.mkdtemp(prefix="kvalitet-pg-"))
        self.data = self.katalog / "data"
        self.logg = self.katalog / "postgres.log"

    @staticmethod
    def finns():
        return (PG_BIN / "initdb").exists() and (PG_BIN / "pg_ctl").exists()

    def _kor(self, program, *args, timeout=60):
        kommando = [str(PG_BIN / program), *map(str, args)]
        if os.geteuid() == 0:
            kommando = ["runuser", "-u", "postgres", "--", *kommando]
        return subprocess.run(  # noqa: S603 - PostgreSQL's own programs, fixed arguments
            kommando, capture_output=True, text=True, timeout=timeout, check=True
        )

    def url(self, databas="postgres"):
        return f"postgres://postgres@127.0.0.1:{self.port}/{databas}"

    def starta(self):
        if not self.data.exists():
            if os.geteuid() == 0:
                import shutil

                shutil.chown(self.katalog, "postgres", "postgres")
            self._kor("initdb", "-D", self.data, "-U", "postgres", "-A", "trust", "-E", "UTF8")
        self._pg_ctl("start")

    def _pg_ctl(self, *handling):
        self._kor(
            "pg_ctl",
            *handling,
            "-D",
            self.data,
            "-l",
            self.logg,
            "-w",
            "-t",
            "30",
            "-o",
            f"-p {self.port} -k {self.katalog} -c listen_addresses=127.0.0.1",
        )

    def starta_om(self):
        self._pg_ctl("restart", "-m", "fast")

    def stoppa(self):
        import shutil

        with contextlib.suppress(subprocess.CalledProcessError):
            self._kor("pg_ctl", "stop", "-D", self.data, "-m", "immediate", "-w")
        shutil.rmtree(self.katalog, ignore_errors=True)
