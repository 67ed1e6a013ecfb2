"""Fixtures of the server-side tests; the shared scenario lives in tests/stod.py."""

import pytest

from tests.stod import scen  # noqa: F401  (the permission matrices' scenario)


@pytest.fixture
def celery_app(settings):
    """The project's Celery app, not eager; `peka(url)` points it at a broker.
    Everything is restored afterwards, whatever the test did."""
    from celery.app.trace import reset_worker_optimizations

    from kvalitet.celery import app
    from tests.stod import nollstall_celery

    tidigare = {
        "broker_url": app.conf.broker_url,
        "eager": app.conf.task_always_eager,
        "hijack": app.conf.worker_hijack_root_logger,
    }
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.worker_hijack_root_logger = False

    def peka(url):
        nollstall_celery(app, broker_url=url, eager=False)

    yield peka
    reset_worker_optimizations(app)
    nollstall_celery(app, broker_url=tidigare["broker_url"], eager=tidigare["eager"])
    app.conf.worker_hijack_root_logger = tidigare["hijack"]
