"""A Celery worker killed (SIGKILL) in the middle of rendering a PDF: the kvalitets-
berättelse's PDF (rapporter.tasks.skapa_pdf) and a decided document's archived PDF
(kvalitet.tasks.arkivera). The report completes exactly once when a new worker starts,
and no half-written file is ever served.

Real pieces: a private redis-server, `celery -A kvalitet worker` in its own process
(solo pool, so SIGKILL kills the task with it) sharing this test's PostgreSQL database.
The message survives the kill because tasks are acknowledged late
(CELERY_TASK_ACKS_LATE); Redis gives it to the next worker after the visibility
timeout, shortened here to 2 s (CELERY_VISIBILITY_TIMEOUT). The kill is timed by what
the task itself shows while it renders: the report's status "Skapas", or the worker's
open transaction holding the document's row lock."""

import hashlib
import os
import secrets
import signal
import time

import pytest
from django.db import connection
from django.utils import timezone

from kvalitet.models import TimelineEntry
from rapporter.choices import PdfStatus
from rapporter.models import Kvalitetsberattelse
from tests.hjalp import kraver
from tests.tjanster import (
    PrivatRedis,
    barnprocesser,
    celery_worker,
    delad_databas_url,
    stoppa,
    vanta_pa,
)

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SYNLIGHETSTID = 2


@pytest.fixture
def miljo(tmp_path, settings, celery_app):
    import shutil

    kraver(connection.vendor == "postgresql", "testet delar databasen med en worker: PostgreSQL")
    kraver(shutil.which("redis-server") is not None, "redis-server saknas")
    redis = PrivatRedis(tmp_path)
    redis.starta()
    media = tmp_path / "media"
    media.mkdir()
    settings.MEDIA_ROOT = media
    celery_app(redis.url)
    env = {
        "CELERY_BROKER_URL": redis.url,
        "DATABASE_URL": delad_databas_url(),
        "MEDIA_ROOT": str(media),
        "DEBUG": "true",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "CELERY_VISIBILITY_TIMEOUT": str(SYNLIGHETSTID),
        "CONN_MAX_AGE": "0",
    }
    startade = []

    def starta(namn, pool="solo"):
        p = celery_worker(tmp_path / f"{namn}.log", pool=pool, **env)
        startade.append(p)
        return p

    yield type(
        "Miljo",
        (),
        {"starta": staticmethod(starta), "media": media, "logg": tmp_path, "url": redis.url},
    )
    for p in startade:
        if p.poll() is None:
            stoppa(p)
    redis.stoppa()


def doda(process):
    """SIGKILL: no warm shutdown, no chance to hand the message back."""
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)


def filer(media):
    return sorted(p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file())


def test_worker_dodad_mitt_i_kvalitetsberattelsens_pdf(miljo, org, personas, klient_for):
    klient = klient_for("kvalitetssamordnare")
    ar = timezone.localdate().year
    assert klient.post("/rapporter/", {"ar": ar}).status_code == 302
    b = Kvalitetsberattelse.objects.get(ar=ar)

    forsta = miljo.starta("forsta")
    assert klient.post(f"/rapporter/{b.pk}/pdf/").status_code == 302

    def status():
        return Kvalitetsberattelse.objects.values_list("pdf_status", flat=True).get(pk=b.pk)

    # The worker has taken the task and is rendering: kill it there.
    assert vanta_pa(lambda: status() == PdfStatus.PAGAR, 60), (
        miljo.logg / "forsta.log"
    ).read_text()
    doda(forsta)

    # Nothing half-done is visible: no file, no PDF to download, the status says "Skapas".
    b.refresh_from_db()
    assert (b.pdf_status, b.pdf.name, b.pdf_sha256) == (PdfStatus.PAGAR, "", "")
    assert [f for f in filer(miljo.media) if not f.rsplit("/", 1)[-1].startswith(".tmp-")] == []
    assert klient.get(f"/rapporter/{b.pk}/pdf/hamta/").status_code == 404
    assert "PDF:en skapas" in klient.get(f"/rapporter/{b.pk}/pdf/").content.decode()

    # A new worker, after the visibility timeout, runs the task again: done once.
    time.sleep(SYNLIGHETSTID + 0.5)
    andra = miljo.starta("andra")
    assert vanta_pa(lambda: status() == PdfStatus.KLAR, 90), (miljo.logg / "andra.log").read_text()
    time.sleep(1)  # room for a second (wrong) run to show itself
    stoppa(andra)

    b.refresh_from_db()
    innehall = b.pdf.read()
    assert innehall.startswith(b"%PDF-") and innehall.rstrip().endswith(b"%%EOF")
    assert hashlib.sha256(innehall).hexdigest() == b.pdf_sha256
    assert filer(miljo.media) == [b.pdf.name]  # one file, no temporary left over
    skapade = TimelineEntry.objects.filter(object_id=b.pk, text__startswith="PDF skapad")
    assert skapade.count() == 1
    svar = klient.get(f"/rapporter/{b.pk}/pdf/hamta/")
    assert svar.status_code == 200
    assert b"".join(svar.streaming_content) == innehall


def test_worker_dodad_mitt_i_arkiveringen_av_en_beslutad_handling(miljo, org, personas, klient_for):
    from kvalitet.tasks import arkivera
    from riskregister.models import Registerversion

    idag = timezone.localdate()
    v = Registerversion(version=1, skapad_av=personas["kvalitetssamordnare"])
    v.save()
    v.innehall = v.frys(idag)
    v.status = "faststalld"
    v.sammantradesdatum = idag
    v.faststalld = timezone.now()
    v.save()

    forsta = miljo.starta("forsta")
    arkivera.delay(v._meta.label, v.pk)

    def renderar():
        # The worker's transaction holds the version's row lock while it renders.
        with connection.cursor() as c:
            c.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND state = 'idle in transaction'"
            )
            return c.fetchone()[0] > 0

    assert vanta_pa(renderar, 60), (miljo.logg / "forsta.log").read_text()
    doda(forsta)
    v.refresh_from_db()
    assert (v.pdf.name, v.pdf_sha256) == ("", "")
    assert [f for f in filer(miljo.media) if not f.rsplit("/", 1)[-1].startswith(".tmp-")] == []

    time.sleep(SYNLIGHETSTID + 0.5)
    andra = miljo.starta("andra")

    def arkiverad():
        return Registerversion.objects.filter(pk=v.pk).exclude(pdf="").exists()

    assert vanta_pa(arkiverad, 90), (miljo.logg / "andra.log").read_text()
    time.sleep(1)
    stoppa(andra)
    v.refresh_from_db()
    innehall = v.pdf.read()
    assert innehall.startswith(b"%PDF-")
    assert hashlib.sha256(innehall).hexdigest() == v.pdf_sha256
    assert filer(miljo.media) == [v.pdf.name]
    assert (
        TimelineEntry.objects.filter(object_id=v.pk, text__startswith="PDF arkiverad").count() == 1
    )


def test_barnprocess_dodad_mitt_i_pdfen_kors_om_av_samma_worker(miljo, org, personas, klient_for):
    """The prefork pool (production's default): the child rendering the PDF is killed
    (the OOM killer's way). CELERY_TASK_REJECT_ON_WORKER_LOST hands the message back at
    once and the same worker's new child renders it – no waiting for the visibility
    timeout, and the PDF is stored exactly once."""
    klient = klient_for("kvalitetssamordnare")
    ar = timezone.localdate().year
    assert klient.post("/rapporter/", {"ar": ar}).status_code == 302
    b = Kvalitetsberattelse.objects.get(ar=ar)
    worker = miljo.starta("prefork", pool="prefork")
    logg = miljo.logg / "prefork.log"
    assert vanta_pa(lambda: logg.exists() and " ready." in logg.read_text(), 60), logg.read_text()
    (barn,) = barnprocesser(worker.pid)
    assert klient.post(f"/rapporter/{b.pk}/pdf/").status_code == 302

    def status():
        return Kvalitetsberattelse.objects.values_list("pdf_status", flat=True).get(pk=b.pk)

    assert vanta_pa(lambda: status() == PdfStatus.PAGAR, 60), (
        miljo.logg / "prefork.log"
    ).read_text()
    os.kill(barn, signal.SIGKILL)
    assert vanta_pa(lambda: status() == PdfStatus.KLAR, 90), (
        miljo.logg / "prefork.log"
    ).read_text()
    logg = (miljo.logg / "prefork.log").read_text()
    assert "WorkerLostError" in logg  # the child really died mid-task
    assert barnprocesser(worker.pid) != [barn]  # a new child did the work
    time.sleep(1)
    stoppa(worker)
    b.refresh_from_db()
    innehall = b.pdf.read()
    assert hashlib.sha256(innehall).hexdigest() == b.pdf_sha256
    assert filer(miljo.media) == [b.pdf.name]
    assert TimelineEntry.objects.filter(object_id=b.pk, text__startswith="PDF skapad").count() == 1
