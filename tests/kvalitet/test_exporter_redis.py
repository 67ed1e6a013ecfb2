"""A background export with a real Redis broker and a real Celery worker (in-process
thread): the list's POST queues the task, the worker writes the file, the page offers
it to the one who asked.

Needs Redis at TEST_REDIS_URL (default redis://127.0.0.1:6379/15); missing, the test is
skipped on a laptop and fails in CI (`tests.hjalp.kraver`).
"""

import csv
import io

import pytest

from kvalitet.celery import app
from kvalitet.models import Atkomstlogg, Export, Exportstatus
from tests.factories import AvvikelseFactory
from tests.hjalp import kraver
from tests.tjanster import REDIS_URL, redis_svarar, vanta_pa, worker

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def test_worker_skapar_exporten_via_redis(
    org, personas, klient_for, celery_app, settings, tmp_path
):
    kraver(redis_svarar(REDIS_URL), f"Redis svarar inte på {REDIS_URL}")
    settings.MEDIA_ROOT = tmp_path
    settings.EXPORT_DIREKT_MAX = 2
    fall = [AvvikelseFactory(enhet=org["EB"], beskrivning=f"Fall {i}; x") for i in range(4)]
    celery_app(REDIS_URL)
    app.control.purge()  # leftovers of an interrupted earlier run
    klient = klient_for("kvalitetssamordnare")

    with worker():
        response = klient.post("/avvikelser/export.csv?typ=avvikelse")
        assert response.status_code == 303
        # Watch the file system, not the database (see test_celery_redis.py on SQLite).
        assert vanta_pa(lambda: list(tmp_path.glob("exporter/*/*.csv")), 30), "ingen fil"
    # Leaving the block stops the worker after its current task, so the row is saved.

    jobb = Export.objects.get()
    assert response.headers["Location"] == f"/exporter/{jobb.pk}/"
    assert jobb.status == Exportstatus.KLAR
    assert jobb.rader_klara == jobb.rader_totalt == 4
    assert not list(tmp_path.glob("exporter/*/.*.tmp"))
    sida = klient.get(f"/exporter/{jobb.pk}/").content.decode()
    assert f'href="/exporter/{jobb.pk}/fil/"' in sida
    fil = klient.get(f"/exporter/{jobb.pk}/fil/")
    rader = list(
        csv.reader(io.StringIO(b"".join(fil.streaming_content).decode("utf-8-sig")), delimiter=";")
    )
    assert {r[0] for r in rader[1:]} == {a.nummer for a in fall}
    assert klient_for("enhetschef").get(f"/exporter/{jobb.pk}/fil/").status_code == 404
    assert not Atkomstlogg.objects.exists()  # avvikelser do not log reads
