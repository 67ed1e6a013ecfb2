"""`python manage.py riskregister --pdf FIL [--datum ÅÅÅÅ-MM-DD]`: the decided version in
force on the date – byte for byte the PDF the browser downloads –, else the current
draft, else a clear CommandError; a bad date or a tampered archive is a CommandError."""

import hashlib
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from riskregister.models import Registerversion
from tests.riskregister.hjalp import beslutad_version, risk
from tests.stod import pdf_bytes

pytestmark = pytest.mark.django_db

MOTE_1 = date(2025, 11, 20)
MOTE_2 = date(2026, 3, 5)


def kor(*args):
    ut = StringIO()
    call_command("riskregister", *args, stdout=ut)
    return ut.getvalue()


def arkivera_som(version, innehall):
    """Store stand-in bytes as the version's archived PDF, with their checksum."""
    version.pdf.save("riskregister.pdf", ContentFile(innehall), save=False)
    version.pdf_sha256 = hashlib.sha256(innehall).hexdigest()
    version.save()


@pytest.fixture
def versioner(org, personas):
    """Version 1 (meeting 2025-11-20, archived: stand-in bytes) replaced by version 2
    (meeting 2026-03-05, not yet archived: the background job has not run)."""
    risk(org["EB"], (date(2025, 1, 10), 2, 3), titel="Fel mottagare")
    v1 = beslutad_version(1, MOTE_1, status="ersatt")
    arkivera_som(v1, pdf_bytes())
    v2 = beslutad_version(2, MOTE_2)
    return v1, v2


def test_versionen_som_gallde_datumet_samma_bytes_som_webblasaren(versioner, tmp_path, klient_for):
    v1, _v2 = versioner
    fil = tmp_path / "register.pdf"
    for dag in ("2025-11-20", "2026-03-04"):
        ut = kor("--pdf", str(fil), "--datum", dag)
        assert fil.read_bytes() == pdf_bytes(), dag
        assert (
            "fastställd version 1 (Fastställt av socialnämnden 2025-11-20, § 1, dnr SN 2025/1)"
            in ut
        )
    browser = klient_for("namnd").get("/risker/register/1/pdf/")
    assert browser.content == fil.read_bytes()


def test_en_ej_arkiverad_version_arkiveras_och_ar_densamma_i_webblasaren(
    versioner, tmp_path, klient_for
):
    """Version 2 in force from its meeting (and today): rendered and stored by the
    command; the browser then gets the very same bytes, the checksum stored."""
    _v1, v2 = versioner
    fil = tmp_path / "register.pdf"
    ut = kor("--pdf", str(fil), "--datum", MOTE_2.isoformat())
    assert "fastställd version 2" in ut
    skrivet = fil.read_bytes()
    assert skrivet.startswith(b"%PDF")
    v2.refresh_from_db()
    assert v2.pdf_sha256 == hashlib.sha256(skrivet).hexdigest()
    assert klient_for("kvalitetssamordnare").get("/risker/register/2/pdf/").content == skrivet
    # Without --datum: today, still version 2 – the same bytes again.
    kor("--pdf", str(fil))
    assert fil.read_bytes() == skrivet


def test_fore_forsta_beslutet_utkastet(versioner, tmp_path, personas):
    Registerversion.forbered(av=personas["kvalitetssamordnare"])
    fil = tmp_path / "utkast.pdf"
    ut = kor("--pdf", str(fil), "--datum", "2025-11-19")
    assert "utkast till version 3, skapat nu" in ut
    assert fil.read_bytes().startswith(b"%PDF")
    assert Registerversion.objects.get(version=3).pdf.name == ""


def test_inget_beslutat_och_inget_utkast(versioner, tmp_path):
    fil = tmp_path / "inget.pdf"
    with pytest.raises(CommandError, match="Inget riskregister var fastställt den 2025-11-19"):
        kor("--pdf", str(fil), "--datum", "2025-11-19")
    assert not fil.exists()


def test_tomt_register_ger_fel_utan_datum(db, tmp_path):
    dag = timezone.localdate().isoformat()
    with pytest.raises(CommandError, match=f"Inget riskregister var fastställt den {dag}"):
        kor("--pdf", str(tmp_path / "x.pdf"))


@pytest.mark.parametrize("datum", ["2026-13-01", "1/3 2026", "igår", ""])
def test_felaktigt_datum(versioner, tmp_path, datum):
    fil = tmp_path / "x.pdf"
    if datum == "":
        # An empty --datum is today, not an error.
        kor("--pdf", str(fil), "--datum", datum)
        assert fil.exists()
        return
    with pytest.raises(CommandError, match="Ogiltigt datum .*: skriv ÅÅÅÅ-MM-DD."):
        kor("--pdf", str(fil), "--datum", datum)
    assert not fil.exists()


def test_en_andrad_arkiverad_pdf_nekas(versioner, tmp_path):
    v1, _v2 = versioner
    with open(v1.pdf.path, "ab") as f:
        f.write(b"% efterhand\n")
    fil = tmp_path / "x.pdf"
    with pytest.raises(CommandError, match="kontrollsumma stämmer inte"):
        kor("--pdf", str(fil), "--datum", "2026-01-01")
    assert not fil.exists()


def test_filen_kan_inte_skrivas(versioner, tmp_path):
    with pytest.raises(CommandError, match="Kunde inte skriva"):
        kor("--pdf", str(tmp_path / "saknas" / "x.pdf"), "--datum", "2026-01-01")


def test_datum_efter_senare_beslut(versioner, tmp_path):
    """A date between two decisions gives the earlier; the day of the later gives it."""
    fil = tmp_path / "x.pdf"
    ut = kor("--pdf", str(fil), "--datum", (MOTE_2 - timedelta(days=1)).isoformat())
    assert "fastställd version 1" in ut
    ut = kor("--pdf", str(fil), "--datum", MOTE_2.isoformat())
    assert "fastställd version 2" in ut
