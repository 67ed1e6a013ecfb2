"""A full disk, or a read-only one, under MEDIA_ROOT when an attachment or a PDF is
saved: a clear Swedish message, nothing half-saved (no attachment row without its
file, no file – not even a partial one – without its row, the case unchanged), and the
PDF task marks the report failed instead of leaving it "Skapas" or calling it done.

The disk is real: a tmpfs of 4 MiB mounted at MEDIA_ROOT and filled to the last byte
(writes fail with ENOSPC half-way), or mounted read-only (EROFS). Mounting needs root
(CI runs as root; chmod would not stop root, so it is not used); without the
privilege the tests skip on a laptop and fail in CI (tests.hjalp.kraver)."""

import errno
import os
import subprocess
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from avvikelser.models import Avvikelse
from kvalitet.models import Attachment, TimelineEntry, Utskick
from kvalitet.models.arende import FILEN_KUNDE_INTE_SPARAS
from rapporter.choices import PdfStatus
from rapporter.models import Kvalitetsberattelse
from synpunkter.models import Inlamning, Synpunkt
from tests.hjalp import kraver
from tests.stod import fil, har_text, pdf_bytes

pytestmark = pytest.mark.django_db

# Large enough that a write cannot fit in what is left, small enough to be quick.
BILAGA = pdf_bytes() + b"%" + b"x" * 40_000 + b"\n"
FYLLNAD = ".fyllnad"


def _montera(*args):
    return subprocess.run(  # noqa: S603 - mount(8) with fixed arguments
        ["/usr/bin/mount", *args], capture_output=True, text=True, check=False
    )


@pytest.fixture(params=["fullt", "skrivskyddat"])
def trasig_disk(request, tmp_path, settings):
    """MEDIA_ROOT on a real file system that refuses the write: full (ENOSPC) or
    read-only (EROFS). Yields the errno expected."""
    media = tmp_path / "trasig-disk"
    media.mkdir()
    resultat = _montera("-t", "tmpfs", "-o", "size=4m,mode=0755", "tmpfs", str(media))
    kraver(resultat.returncode == 0, f"kan inte montera tmpfs: {resultat.stderr.strip()}")
    try:
        if request.param == "fullt":
            (media / "bilagor").mkdir()
            (media / "rapporter").mkdir()
            vantat = errno.ENOSPC
        else:
            vantat = errno.EROFS
        trasig(media, vantat)
        settings.MEDIA_ROOT = media
        yield media, vantat
    finally:
        subprocess.run(["/usr/bin/umount", "-l", str(media)], check=False)  # noqa: S603


def trasig(media, vantat):
    """Make the file system refuse writes again: fill it to the last byte (ENOSPC) or
    remount it read-only (EROFS)."""
    if vantat == errno.ENOSPC:
        fd = os.open(media / FYLLNAD, os.O_WRONLY | os.O_CREAT)
        try:
            with pytest.raises(OSError) as fullt:
                while True:
                    os.write(fd, b"\0" * 65536)
        finally:
            os.close(fd)
        assert fullt.value.errno == errno.ENOSPC
    else:
        assert _montera("-o", "remount,ro", str(media)).returncode == 0


def hel(media, vantat):
    """Room again: the operator freed space, or remounted read-write."""
    if vantat == errno.ENOSPC:
        (media / FYLLNAD).unlink()
    else:
        assert _montera("-o", "remount,rw", str(media)).returncode == 0


def filer(media):
    """Every file under MEDIA_ROOT but the filler: temporary ones included."""
    return sorted(
        str(p.relative_to(media)) for p in media.rglob("*") if p.is_file() and p.name != FYLLNAD
    )


def test_bilaga_till_ett_arende_sparas_inte_halvt(scen, trasig_disk, klient_for):
    media, _ = trasig_disk
    avv = scen.avv
    fore = (
        Attachment.objects.count(),
        TimelineEntry.objects.filter(object_id=avv.pk).count(),
        Avvikelse.objects.filter(pk=avv.pk).values_list("uppdaterad", flat=True).get(),
    )
    klient = klient_for("medarbetare")
    response = klient.post(f"/avvikelser/{avv.nummer}/bilagor/", {"fil": fil("brev.pdf", BILAGA)})
    assert response.status_code in (200, 400)
    har_text(response, str(FILEN_KUNDE_INTE_SPARAS))
    assert "Traceback" not in response.content.decode()
    efter = (
        Attachment.objects.count(),
        TimelineEntry.objects.filter(object_id=avv.pk).count(),
        Avvikelse.objects.filter(pk=avv.pk).values_list("uppdaterad", flat=True).get(),
    )
    assert efter == fore
    assert filer(media) == []  # not even a partial temporary file


def test_ny_avvikelse_med_bilaga_sparas_inte_alls(trasig_disk, org, personas, klient_for):
    media, _ = trasig_disk
    response = klient_for("medarbetare").post(
        "/avvikelser/ny/",
        {
            "typ": "avvikelse",
            "enhet": org["EB"].pk,
            "handelsedatum": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "beror_enskild": "False",
            "beskrivning": "En rapport med bilaga när disken är full.",
            "bilaga": fil("foto.pdf", BILAGA),
        },
    )
    assert response.status_code in (200, 400)
    har_text(response, str(FILEN_KUNDE_INTE_SPARAS))
    assert Avvikelse.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert Utskick.objects.count() == 0
    assert filer(media) == []


def skicka_med_bilaga():
    """An anonymous klagomål with a PDF through the public form."""
    return Client().post(
        "/synpunkter/lamna/",
        {
            "typ": "klagomal",
            "beskrivning": "Ingen ringde tillbaka.",
            "enhet": "vet_ej",
            "anonym": "True",
            "hemsida": "",
            "bilaga": fil("brev.pdf", BILAGA),
        },
    )


def test_synpunkt_fran_e_tjansten_med_bilaga_sparas_inte_alls(trasig_disk, org, personas):
    media, _ = trasig_disk
    response = skicka_med_bilaga()
    assert response.status_code == 400
    har_text(response, str(FILEN_KUNDE_INTE_SPARAS))
    assert "Traceback" not in response.content.decode()
    # No receipt: the citizen is told to try again, and nothing was taken in.
    assert "Ditt referensnummer" not in response.content.decode()
    assert Inlamning.objects.count() == 0
    assert Synpunkt.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert Utskick.objects.count() == 0
    assert filer(media) == []


def test_e_tjanstens_bilaga_som_inte_kan_kopieras_till_arendet_byggs_vid_nasta_korning(
    trasig_disk, org, personas, settings, django_capture_on_commit_callbacks
):
    """The disk had room when the citizen sent the form (the submission and its file are
    saved, the receipt shown), and fails before the worker copies the file into the
    synpunkt: that build is undone whole (no synpunkt, no attachment row, no e-mail, no
    file of its own), the submission waits with the error noted, and the next run, once
    the disk has room, builds it."""
    media, vantat = trasig_disk
    hel(media, vantat)
    # A broker: the worker builds the synpunkt, not the request (synpunkter.tasks.vacka;
    # the wake-up is an on-commit callback, which this test's transaction never runs).
    settings.CELERY_TASK_ALWAYS_EAGER = False
    response = skicka_med_bilaga()
    assert response.status_code == 200, response.content.decode()[:1000]
    har_text(response, "Tack! Vi har tagit emot det du skickade")
    inlamning = Inlamning.objects.get()
    har_text(response, inlamning.referens)
    assert filer(media) == [inlamning.bilaga.name]
    assert Synpunkt.objects.count() == 0

    trasig(media, vantat)
    with django_capture_on_commit_callbacks(execute=True):
        assert Inlamning.bygg_vantande() == 0
    inlamning.refresh_from_db()
    assert (inlamning.byggd, inlamning.synpunkt) == (None, None)
    assert inlamning.forsok == 1
    assert str(FILEN_KUNDE_INTE_SPARAS)[:40] in inlamning.senaste_fel, inlamning.senaste_fel
    assert Synpunkt.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert Utskick.objects.count() == 0
    # The submission's own file is kept for the next try; nothing else, not even partly.
    assert filer(media) == [inlamning.bilaga.name]

    hel(media, vantat)
    with django_capture_on_commit_callbacks(execute=True):
        assert Inlamning.bygg_vantande() == 1
    inlamning.refresh_from_db()
    synpunkt = Synpunkt.objects.get(referens=inlamning.referens)
    assert inlamning.synpunkt == synpunkt and inlamning.byggd is not None
    bilaga = Attachment.objects.get()
    assert (bilaga.arende, bilaga.filnamn) == (synpunkt, "brev.pdf")
    with bilaga.fil.open("rb") as f:
        assert f.read() == BILAGA
    # Copied into the case; the submission's copy is gone.
    assert filer(media) == [bilaga.fil.name]


def test_pdf_uppgiften_markerar_rapporten_misslyckad(
    trasig_disk, org, personas, klient_for, django_capture_on_commit_callbacks
):
    """The task (eager here) renders the PDF, cannot store it, and says so on the report;
    nothing to download, no file. Once the disk has room again, "Skapa PDF" works."""
    media, vantat = trasig_disk
    klient = klient_for("kvalitetssamordnare")
    ar = timezone.localdate().year
    assert klient.post("/rapporter/", {"ar": ar}).status_code == 302
    b = Kvalitetsberattelse.objects.get(ar=ar)
    with django_capture_on_commit_callbacks(execute=True):
        assert klient.post(f"/rapporter/{b.pk}/pdf/").status_code == 302
    b.refresh_from_db()
    assert b.pdf_status == PdfStatus.FEL
    assert b.pdf_fel.startswith("PDF:en kunde inte sparas: lagringsutrymmet är fullt")
    assert (b.pdf.name, b.pdf_sha256) == ("", "")
    assert filer(media) == []
    assert klient.get(f"/rapporter/{b.pk}/pdf/hamta/").status_code == 404
    har_text(klient.get(f"/rapporter/{b.pk}/pdf/"), b.pdf_fel, 200)

    hel(media, vantat)
    with django_capture_on_commit_callbacks(execute=True):
        klient.post(f"/rapporter/{b.pk}/pdf/")
    b.refresh_from_db()
    assert b.pdf_status == PdfStatus.KLAR
    assert filer(media) == [b.pdf.name]
