"""The outbox with a real Redis broker and a real Celery worker (in-process thread).

Needs Redis at TEST_REDIS_URL (default redis://127.0.0.1:6379/15) and, for the
broker-down-then-up scenario, the `redis-server` binary. Missing pieces skip the tests
on a laptop and fail them in CI (`tests.hjalp.kraver`).
"""

import hashlib
import shutil
import subprocess

import pytest
from django.utils import timezone

from kvalitet.celery import app
from kvalitet.models import Utskick
from kvalitet.tasks import leverera_vantande
from tests.hjalp import kraver, rapportera_avvikelse
from tests.tjanster import REDIS_URL, ledig_port, redis_svarar, stoppa, vanta_pa, worker

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

BESKRIVNING = "Ett beslut skickades till fel adress."


def rapportera(klient, org):
    return rapportera_avvikelse(klient, org, BESKRIVNING)


def mejl_till(mailoutbox, adress):
    return [m for m in mailoutbox if m.to == [adress]]


# While the worker runs, the test watches the in-memory outbox, not the database: on
# SQLite the test database is one shared-cache in-memory database, where a read in this
# thread during the worker's write fails with "database table is locked". The rows are
# checked once the worker has stopped.


def test_worker_levererar_rapportens_mejl_via_redis(
    org, personas, klient_for, mailoutbox, celery_app
):
    kraver(redis_svarar(REDIS_URL), f"Redis svarar inte på {REDIS_URL}")
    celery_app(REDIS_URL)
    app.control.purge()  # leftovers of an interrupted earlier run

    with worker():
        avv = rapportera(klient_for("medarbetare"), org)
        assert vanta_pa(lambda: len(mailoutbox) >= 1), "inget mejl inom 10 s"

    rad = Utskick.objects.get()
    assert rad.skickad is not None
    assert rad.forsok == 1
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["enhetschef@exempelkommun.se"]
    assert avv.nummer in mailoutbox[0].body
    assert BESKRIVNING not in mailoutbox[0].body


def test_broker_nere_vid_rapporten_levereras_en_gang_nar_den_ar_tillbaka(
    org, personas, klient_for, mailoutbox, celery_app, tmp_path
):
    binar = shutil.which("redis-server")
    kraver(binar is not None, "redis-server saknas (apt-get install redis-server)")
    port = ledig_port()
    url = f"redis://127.0.0.1:{port}/0"

    # Nothing listens yet: the report is filed, the mail waits in the outbox.
    celery_app(url)
    avv = rapportera(klient_for("medarbetare"), org)
    rad = Utskick.objects.get()
    assert rad.skickad is None
    assert mailoutbox == []

    server = subprocess.Popen(  # noqa: S603 - fixed arguments, binary found on PATH
        [binar, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        + ["--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert vanta_pa(lambda: redis_svarar(url), 10), "redis-server startade inte"
        celery_app(url)  # drop the connection state left by the failed publish
        with worker():
            leverera_vantande.delay()
            assert vanta_pa(lambda: len(mailoutbox) >= 1), "inget mejl inom 10 s"
        rad.refresh_from_db()
        assert rad.skickad is not None

        # Once only: a second run delivers a new row but not the old one again. The solo
        # worker takes tasks in order, so when the marker's mail is out the run is done.
        Utskick.objects.create(mottagare="kontroll@exempelkommun.se", amne="Kontroll", text="x")
        with worker():
            leverera_vantande.delay()
            assert vanta_pa(lambda: mejl_till(mailoutbox, "kontroll@exempelkommun.se"))
    finally:
        stoppa(server)

    till_chefen = mejl_till(mailoutbox, "enhetschef@exempelkommun.se")
    assert len(till_chefen) == 1
    assert avv.nummer in till_chefen[0].body
    assert len(mailoutbox) == 2
    rad.refresh_from_db()
    assert rad.forsok == 1
    assert not Utskick.objects.filter(skickad__isnull=True).exists()


def test_worker_skapar_kvalitetsberattelsens_pdf_via_redis(
    org, personas, klient_for, celery_app, settings, tmp_path
):
    """The browser's "Skapa PDF" queues a task; a real worker renders and stores it."""
    from rapporter.choices import PdfStatus
    from rapporter.models import Kvalitetsberattelse

    kraver(redis_svarar(REDIS_URL), f"Redis svarar inte på {REDIS_URL}")
    settings.MEDIA_ROOT = tmp_path
    celery_app(REDIS_URL)
    app.control.purge()
    ar = timezone.localdate().year
    klient = klient_for("kvalitetssamordnare")
    assert klient.post("/rapporter/", {"ar": ar}).status_code == 302
    berattelse = Kvalitetsberattelse.objects.get(ar=ar)

    with worker():
        response = klient.post(f"/rapporter/{berattelse.pk}/pdf/")
        assert response.status_code == 302
        # Watch the file system, not the database (see the note above on SQLite).
        assert vanta_pa(lambda: list(tmp_path.glob("rapporter/*/*.pdf")), 60), "ingen PDF"
    # Leaving the block stops the worker after its current task, so the row is saved.

    berattelse.refresh_from_db()
    assert berattelse.pdf_status == PdfStatus.KLAR
    innehall = berattelse.pdf.read()
    assert innehall.startswith(b"%PDF-")
    assert hashlib.sha256(innehall).hexdigest() == berattelse.pdf_sha256
