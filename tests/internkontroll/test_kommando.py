"""`python manage.py internkontroll ÅR --plan FIL --redovisning FIL`: the year's decided
version in force – byte for byte the PDF the browser downloads (archived by the command
if the background job has not yet done it) –, else the year's draft, else a clear
CommandError that writes no file; a tampered archive or an unwritable path is a
CommandError."""

import hashlib
from datetime import date
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from internkontroll.models import Internkontrollplan, Internkontrollredovisning
from kvalitet.models import Beslutsstatus
from tests.internkontroll.hjalp import kontroll, plan
from tests.stod import pdf_bytes

pytestmark = pytest.mark.django_db

F = Beslutsstatus.FASTSTALLD


def kor(*args):
    ut = StringIO()
    call_command("internkontroll", *[str(a) for a in args], stdout=ut)
    return ut.getvalue()


def arkivera_som(handling, innehall):
    """Store stand-in bytes as the version's archived PDF, with their checksum."""
    handling.pdf.save("handling.pdf", ContentFile(innehall), save=False)
    handling.pdf_sha256 = hashlib.sha256(innehall).hexdigest()
    handling.save()


def redovisning(ar=2026, *, status=F, version=1):
    beslutad = status != Beslutsstatus.UTKAST
    return Internkontrollredovisning.objects.create(
        ar=ar,
        version=version,
        status=status,
        sammantradesdatum=date(ar + 1, 2, 19) if beslutad else None,
        paragraf="7" if beslutad else "",
        diarienummer="SN 2026/3" if beslutad else "",
        innehall={"ar": ar, "plan": None, "kontroller": [], "antal": {}} if beslutad else None,
    )


@pytest.fixture
def beslutad(org):
    """The 2026 plan, decided and not yet archived, with a control."""
    p = plan(2026, status=F)
    kontroll(p, org["EB"])
    return p


def test_beslutad_plan_arkiveras_och_ar_samma_bytes_som_webblasaren(beslutad, tmp_path, klient_for):
    fil = tmp_path / "plan.pdf"
    ut = kor(2026, "--plan", fil)
    skrivet = fil.read_bytes()
    assert skrivet.startswith(b"%PDF")
    assert "Internkontrollplan 2026, version 1, fastställd version 1 (Fastställd av" in ut
    beslutad.refresh_from_db()
    assert beslutad.pdf_sha256 == hashlib.sha256(skrivet).hexdigest()
    for persona in ("kvalitetssamordnare", "namnd"):
        svar = klient_for(persona).get(reverse("internkontroll:plan_pdf", args=[beslutad.pk]))
        assert svar.status_code == 200
        assert svar.content == skrivet, persona
    # Again: the archived bytes, unchanged.
    kor(2026, "--plan", fil)
    assert fil.read_bytes() == skrivet


def test_plan_och_redovisning_samtidigt(beslutad, tmp_path, klient_for):
    arkivera_som(beslutad, pdf_bytes())
    red = redovisning(2026)
    arkivera_som(red, pdf_bytes() + b"% redovisning\n")
    planfil, redfil = tmp_path / "plan.pdf", tmp_path / "red.pdf"
    ut = kor(2026, "--plan", planfil, "--redovisning", redfil)
    assert planfil.read_bytes() == pdf_bytes()
    assert redfil.read_bytes() == pdf_bytes() + b"% redovisning\n"
    assert f"Skrev {planfil}" in ut and f"Skrev {redfil}" in ut
    klient = klient_for("namnd")
    assert klient.get(reverse("internkontroll:plan_pdf", args=[beslutad.pk])).content == (
        planfil.read_bytes()
    )
    assert klient.get(reverse("internkontroll:redovisning_pdf", args=[red.pk])).content == (
        redfil.read_bytes()
    )


def test_versionen_i_kraft_inte_en_ersatt_eller_utkastet(org, tmp_path):
    v1 = plan(2026, status=Beslutsstatus.ERSATT)
    arkivera_som(v1, pdf_bytes() + b"% version 1\n")
    v2 = plan(2026, status=F, version=2)
    arkivera_som(v2, pdf_bytes() + b"% version 2\n")
    plan(2026, version=3)  # a draft of version 3
    fil = tmp_path / "plan.pdf"
    ut = kor(2026, "--plan", fil)
    assert fil.read_bytes() == pdf_bytes() + b"% version 2\n"
    assert "fastställd version 2" in ut


def test_utan_beslut_utkastet_som_det_ser_ut_nu(org, tmp_path, klient_for):
    utkast = plan(2027)
    kontroll(utkast, org["EB"])
    fil = tmp_path / "utkast.pdf"
    ut = kor(2027, "--plan", fil)
    assert "Internkontrollplan 2027, version 1, utkast till version 1, skapat nu" in ut
    assert fil.read_bytes().startswith(b"%PDF")
    assert Internkontrollplan.objects.get(pk=utkast.pk).pdf.name == ""
    svar = klient_for("kvalitetssamordnare").get(
        reverse("internkontroll:plan_pdf", args=[utkast.pk])
    )
    assert svar.content.startswith(b"%PDF")


def test_inget_for_aret_ger_fel_och_ingen_fil(beslutad, tmp_path):
    planfil, redfil = tmp_path / "plan.pdf", tmp_path / "red.pdf"
    with pytest.raises(CommandError, match="Det finns ingen internkontrollplan för 2024"):
        kor(2024, "--plan", planfil)
    # The plan exists, the redovisning does not: neither file is written.
    with pytest.raises(
        CommandError, match="Det finns ingen internkontrollredovisning för 2026: varken"
    ):
        kor(2026, "--plan", planfil, "--redovisning", redfil)
    assert not planfil.exists() and not redfil.exists()


def test_utan_fil_ger_fel(beslutad):
    with pytest.raises(CommandError, match="Ange --plan FIL, --redovisning FIL eller båda."):
        kor(2026)


def test_felaktigt_ar(beslutad, tmp_path):
    with pytest.raises(CommandError):
        kor("tjugotjugosex", "--plan", tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_en_andrad_arkiverad_pdf_nekas(beslutad, tmp_path):
    arkivera_som(beslutad, pdf_bytes())
    with open(beslutad.pdf.path, "ab") as f:
        f.write(b"% efterhand\n")
    fil = tmp_path / "x.pdf"
    with pytest.raises(CommandError, match="kontrollsumma stämmer inte"):
        kor(2026, "--plan", fil)
    assert not fil.exists()


def test_filen_kan_inte_skrivas(beslutad, tmp_path):
    arkivera_som(beslutad, pdf_bytes())
    with pytest.raises(CommandError, match="Kunde inte skriva"):
        kor(2026, "--plan", tmp_path / "saknas" / "x.pdf")
