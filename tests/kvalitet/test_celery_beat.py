"""Celery beat: the schedule names real tasks, a real `celery beat` process fires the
outbox task on its own, and the outbox interval is a validated setting.

The beat test needs Redis at TEST_REDIS_URL (default redis://127.0.0.1:6379/15) and the
virtualenv's `celery` executable; missing pieces skip it on a laptop and fail it in CI
(`tests.hjalp.kraver`).
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from kvalitet.celery import app
from kvalitet.models import Utskick
from tests.hjalp import kraver
from tests.tjanster import (
    PROJEKT,
    REDIS_URL,
    kor_manage,
    produktionsmiljo,
    redis_svarar,
    stoppa,
    vanta_pa,
    worker,
)

CELERY = Path(sys.executable).with_name("celery")
SKICKAD = "Scheduler: Sending due task leverera-utkorg (kvalitet.tasks.leverera_vantande)"


def test_schemats_uppgifter_ar_registrerade():
    """Every task the beat schedule names is registered once the worker's modules are
    loaded: a renamed or moved task cannot silently stop firing."""
    app.loader.import_default_modules()  # what a worker does at start: autodiscovery
    schema = settings.CELERY_BEAT_SCHEDULE
    assert schema["leverera-utkorg"]["task"] == "kvalitet.tasks.leverera_vantande"
    saknas = {namn: post["task"] for namn, post in schema.items() if post["task"] not in app.tasks}
    assert not saknas, f"schemalagda men inte registrerade: {saknas}"


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_beat_levererar_vantande_utskick_utan_att_nagon_anropar_uppgiften(
    mailoutbox, celery_app, tmp_path
):
    """A real beat process sends `leverera_vantande` every UTSKICK_INTERVALL_SEKUNDER; a
    worker runs it and a committed pending row is delivered, once, though beat fires
    again. The test itself never calls or queues a task."""
    kraver(redis_svarar(REDIS_URL), f"Redis svarar inte på {REDIS_URL}")
    kraver(CELERY.is_file(), f"{CELERY} saknas (pip install -e '.[dev]')")
    celery_app(REDIS_URL)
    app.control.purge()  # leftovers of an interrupted earlier run

    # Written directly, not through `notifiera`, so nothing queues its delivery.
    rad = Utskick.objects.create(
        mottagare="enhetschef@exempelkommun.se", amne="Väntande", text="Öppna ärendet."
    )
    miljo = produktionsmiljo(
        CELERY_BROKER_URL=REDIS_URL,
        DEBUG="true",
        SECRET_KEY=secrets.token_urlsafe(32),
        UTSKICK_INTERVALL_SEKUNDER="1",
    )
    logg = tmp_path / "beat.log"

    def skickade():
        return logg.read_text().count(SKICKAD) if logg.exists() else 0

    with worker(), logg.open("w") as ut:
        beat = subprocess.Popen(  # noqa: S603 - the virtualenv's celery, fixed arguments
            [str(CELERY), "-A", "kvalitet", "beat", "--loglevel", "INFO"]
            + ["--schedule", str(tmp_path / "beat-schema")],
            cwd=PROJEKT,
            env=miljo,
            stdout=ut,
            stderr=subprocess.STDOUT,
        )
        try:
            # Delivered, and beat has fired at least once more after that.
            levererat = vanta_pa(
                lambda: beat.poll() is not None or (len(mailoutbox) >= 1 and skickade() >= 2),
                30,
            )
            assert beat.poll() is None, f"beat avslutades:\n{logg.read_text()}"
            assert levererat, f"inget mejl inom 30 s:\n{logg.read_text()}"
        finally:
            stoppa(beat)
    # Leaving the worker block lets its current task finish; then nothing is left queued.
    app.control.purge()

    assert skickade() >= 2
    assert [m.to for m in mailoutbox] == [["enhetschef@exempelkommun.se"]]
    assert mailoutbox[0].subject == "[Kvalitet] Väntande"
    rad.refresh_from_db()
    assert rad.skickad is not None
    assert rad.forsok == 1


# --- UTSKICK_INTERVALL_SEKUNDER ------------------------------------------------------------


def schemats_intervall(**miljo):
    """The outbox entry's interval as a fresh production-like process reads it."""
    resultat = kor_manage(
        "shell",
        "-c",
        "from django.conf import settings; "
        "print(settings.CELERY_BEAT_SCHEDULE['leverera-utkorg']['schedule'])",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="kvalitet.example.se",
        **miljo,
    )
    assert resultat.returncode == 0, resultat.stdout + resultat.stderr
    return float(resultat.stdout.strip().splitlines()[-1])


def test_utskicksintervallet_ar_en_minut_om_inget_anges():
    assert "UTSKICK_INTERVALL_SEKUNDER" not in os.environ
    assert schemats_intervall() == 60.0


def test_utskicksintervallet_lases_fran_miljon():
    assert schemats_intervall(UTSKICK_INTERVALL_SEKUNDER="5") == 5.0


@pytest.mark.parametrize("varde", ["0", "-30"])
def test_utskicksintervall_under_en_sekund_stoppar_starten(varde):
    """Zero or a negative interval would make beat spin (or never fire): refused."""
    resultat = kor_manage(
        "check",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="kvalitet.example.se",
        UTSKICK_INTERVALL_SEKUNDER=varde,
    )
    assert resultat.returncode != 0
    assert "ImproperlyConfigured" in resultat.stderr
    assert f"UTSKICK_INTERVALL_SEKUNDER måste vara minst 1, inte {varde}." in resultat.stderr
