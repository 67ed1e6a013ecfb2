"""Helpers for tests against real processes and services: manage.py in a fresh
interpreter, Redis, a Celery worker, free ports, waiting for something to happen."""

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
