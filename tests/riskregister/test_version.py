"""The register's versions for the nämnd: a draft (one at a time), its content (the
register with the proposals flagged, the changes since the last decided version counted
by hand), recording the decision (proposals in the register from the meeting, the
content frozen, the earlier version replaced), the PDF archived once with its SHA-256
and refused when tampered with; the nämnd sees decided versions only."""

import hashlib
import re
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kvalitet.models import TimelineEntry
from riskregister import register
from riskregister.choices import Status, Versionsstatus
from riskregister.models import Bedomning, Registerversion, Risk
from tests.riskregister.hjalp import beslutad_version, risk

pytestmark = pytest.mark.django_db

IDAG = timezone.localdate
MOTE_1 = date(2025, 11, 20)


@pytest.fixture
def v(org, personas):
    """Version 1, decided at the meeting of 2025-11-20 over r1 2×2=4, r2 3×3=9, r3 2×3=6,
    r4 1×1=1. Since then: r1 raised to 3×4=12, r2 lowered to 1×3=3, r3 removed, r4 the
    same, r6 entered the register (an import, 2026-01-10), r5 proposed 2×4=8."""
    s = SimpleNamespace(org=org, personas=personas)
    eb = org["EB"]
    s.r1 = risk(eb, (date(2025, 1, 10), 2, 2), titel="Orosanmälan bedöms sent")
    s.r2 = risk(eb, (date(2025, 2, 10), 3, 3), titel="Fel mottagare")
    s.r3 = risk(org["KOLL"], (date(2025, 3, 10), 2, 3), titel="Rymning")
    s.r4 = risk(org["TEAM"], (date(2025, 4, 10), 1, 1), titel="Tolk saknas")
    s.v1 = beslutad_version(1, MOTE_1, av=personas["kvalitetssamordnare"])
    for r, s_, k in ((s.r1, 3, 4), (s.r2, 1, 3)):
        Bedomning.objects.create(risk=r, datum=date(2026, 1, 15), sannolikhet=s_, konsekvens=k)
        Risk.objects.filter(pk=r.pk).update(sannolikhet=s_, konsekvens=k, riskvarde=s_ * k)
    Risk.objects.filter(pk=s.r3.pk).update(
        status=Status.BORTTAGEN, borttagen=date(2026, 3, 1), borttagen_skal="Verksamheten flyttad"
    )
    s.r6 = risk(eb, (date(2026, 1, 10), 4, 1), titel="Importerad")
    s.r5 = Risk.foresla(
        av=personas["medarbetare"],
        enhet=eb,
        titel="Hot mot personal",
        beskrivning="Besökare hotar.",
        kalla="personal",
        kategori="arbetsmiljo",
        sannolikhet=2,
        konsekvens=4,
        identifierad=date(2026, 4, 1),
    )
    return s


def test_forsta_versionens_innehall(org):
    """With nothing decided, every risk in the register is new."""
    r = risk(org["EB"], (date(2025, 1, 10), 2, 2), titel="Ensam")
    innehall = register.innehall(date(2025, 6, 1))
    assert innehall["jamfort_med"] is None
    assert [x["nummer"] for x in innehall["risker"]] == [r.nummer]
    assert innehall["andringar"]["nya"] == [{"nummer": r.nummer, "titel": "Ensam", "varde": 4}]


def test_beslutade_versionens_innehall_ar_registret_pa_motet(v):
    assert v.v1.innehall["datum"] == "2025-11-20"
    assert [(r["nummer"], r["varde"], r["foreslagen"]) for r in v.v1.innehall["risker"]] == [
        (v.r2.nummer, 9, False),
        (v.r3.nummer, 6, False),
        (v.r1.nummer, 4, False),
        (v.r4.nummer, 1, False),
    ]


def test_utkastets_innehall_och_andringar(v, personas):
    utkast = Registerversion.forbered(av=personas["forvaltningschef"])
    assert (utkast.version, utkast.status) == (2, Versionsstatus.UTKAST)
    innehall = register.version_innehall(utkast)
    assert innehall["datum"] == IDAG().isoformat()
    assert innehall["jamfort_med"] == 1
    # The register today, the proposal flagged, highest value first.
    assert [(r["nummer"], r["sannolikhet"], r["konsekvens"], r["foreslagen"])
            for r in innehall["risker"]] == [
        (v.r1.nummer, 3, 4, False),
        (v.r5.nummer, 2, 4, True),
        (v.r6.nummer, 4, 1, False),
        (v.r2.nummer, 1, 3, False),
        (v.r4.nummer, 1, 1, False),
    ]  # fmt: skip
    a = innehall["andringar"]
    assert a["nya"] == [
        {"nummer": v.r5.nummer, "titel": "Hot mot personal", "varde": 8},
        {"nummer": v.r6.nummer, "titel": "Importerad", "varde": 4},
    ]
    assert a["borttagna"] == [
        {"nummer": v.r3.nummer, "titel": "Rymning", "skal": "Verksamheten flyttad"}
    ]
    assert a["hojda"] == [
        {"nummer": v.r1.nummer, "titel": "Orosanmälan bedöms sent", "fran": 4, "till": 12}
    ]
    assert a["sankta"] == [{"nummer": v.r2.nummer, "titel": "Fel mottagare", "fran": 9, "till": 3}]
    # The matrix counts the register, not the proposal.
    m = register.version_matris(innehall)
    assert m["totalt"] == 4


def test_utkastets_sida_visar_andringarna(v, personas, klient_for):
    Registerversion.forbered(av=personas["kvalitetssamordnare"])
    sida = klient_for("kvalitetssamordnare").get("/risker/register/2/").content.decode()
    assert (
        "Jämfört med version 1: 2 nya, 1 borttagen, 1 med högre och 1 med lägre riskvärde." in sida
    )
    assert "Rymning – Verksamheten flyttad" in sida
    assert "Orosanmälan bedöms sent: 4 → 12" in sida
    assert "Fel mottagare: 9 → 3" in sida
    assert "Hot mot personal" in sida and "status-foreslagen" in sida


def test_ett_utkast_i_taget(v, personas):
    Registerversion.forbered(av=personas["kvalitetssamordnare"])
    with pytest.raises(ValidationError, match="Det finns redan ett utkast"):
        Registerversion.forbered(av=personas["forvaltningschef"])
    assert Registerversion.objects.filter(status=Versionsstatus.UTKAST).count() == 1
    with pytest.raises(PermissionDenied):
        Registerversion.forbered(av=personas["enhetschef"])


# --- Recording the decision ----------------------------------------------------------------


def besluta(klient, version, dag, callbacks):
    with callbacks(execute=True):
        svar = klient.post(
            f"/risker/register/{version}/faststall/",
            {
                "sammantradesdatum": dag.isoformat(),
                "paragraf": "§ 42",
                "diarienummer": "SN 2026/112",
                "bekraftad": "ja",
            },
        )
    assert svar.status_code == 302, svar.content.decode()[:3000]
    assert svar.headers["Location"] == f"/risker/register/{version}/"
    return Registerversion.objects.get(version=version)


@pytest.fixture
def beslutad(v, personas, klient_for, django_capture_on_commit_callbacks):
    """Version 2 prepared and decided at a meeting five days ago."""
    Registerversion.forbered(av=personas["kvalitetssamordnare"])
    v.mote = IDAG() - timedelta(days=5)
    v.v2 = besluta(klient_for("forvaltningschef"), 2, v.mote, django_capture_on_commit_callbacks)
    return v


def test_beslutet_for_in_forslagen_och_ersatter_forra_versionen(beslutad):
    v = beslutad
    assert v.v2.status == Versionsstatus.FASTSTALLD
    assert (v.v2.sammantradesdatum, v.v2.paragraf, v.v2.diarienummer) == (
        v.mote,
        "42",  # stored as the number; shown "§ 42"
        "SN 2026/112",
    )
    assert f"{v.mote.isoformat()}, § 42, dnr SN 2026/112" in v.v2.beslut_text
    assert v.v2.faststalld_av == v.personas["forvaltningschef"]
    v.v1.refresh_from_db()
    assert v.v1.status == Versionsstatus.ERSATT
    v.r5.refresh_from_db()
    assert (v.r5.status, v.r5.aktiv_fran) == (Status.AKTIV, v.mote)
    assert Risk.objects.i_registret(v.mote).filter(pk=v.r5.pk).exists()
    assert not Risk.objects.i_registret(v.mote - timedelta(days=1)).filter(pk=v.r5.pk).exists()
    # The frozen content: the register on the meeting's date, r5 no longer a proposal.
    assert [(r["nummer"], r["varde"], r["foreslagen"]) for r in v.v2.innehall["risker"]] == [
        (v.r1.nummer, 12, False),
        (v.r5.nummer, 8, False),
        (v.r6.nummer, 4, False),
        (v.r2.nummer, 3, False),
        (v.r4.nummer, 1, False),
    ]
    assert v.v2.innehall["datum"] == v.mote.isoformat()
    assert Registerversion.objects.i_kraft(v.mote) == v.v2
    assert Registerversion.objects.i_kraft(v.mote - timedelta(days=1)) == v.v1
    assert Registerversion.objects.i_kraft(MOTE_1 - timedelta(days=1)) is None


def test_pdf_arkiveras_en_gang_med_sha256(beslutad, klient_for):
    v = beslutad
    assert v.v2.pdf
    with v.v2.pdf.open("rb") as f:
        lagrad = f.read()
    assert lagrad.startswith(b"%PDF")
    assert v.v2.pdf_sha256 == hashlib.sha256(lagrad).hexdigest()
    for persona in ("namnd", "kvalitetssamordnare", "forvaltningschef"):
        svar = klient_for(persona).get("/risker/register/2/pdf/")
        assert svar.status_code == 200
        assert svar.content == lagrad, persona
        assert svar["Content-Disposition"] == 'attachment; filename="riskregister-version-2.pdf"'
    assert Registerversion.objects.get(pk=v.v2.pk).pdf.name == v.v2.pdf.name
    assert (
        TimelineEntry.objects.filter(
            object_id=v.v2.pk,
            content_type__model="registerversion",
            text__startswith="PDF arkiverad",
        ).count()
        == 1
    )
    # Archiving again returns the stored bytes, renders nothing new.
    assert Registerversion.objects.get(pk=v.v2.pk).arkivera() == lagrad
    from django.conf import settings

    filer = [p for p in (settings.MEDIA_ROOT / "riskregister").rglob("*") if p.is_file()]
    assert [p.name for p in filer] == [v.v2.pdf.name.rsplit("/", 1)[-1]]


def test_innehallet_ar_last_efter_beslutet(beslutad, klient_for):
    """Re-assessing, renaming and removing risks afterwards changes neither the decided
    version's page nor its PDF."""
    v = beslutad
    klient = klient_for("kvalitetssamordnare")
    sida_fore = klient.get("/risker/register/2/").content.decode()
    pdf_fore = klient.get("/risker/register/2/pdf/").content
    r4 = Risk.objects.get(pk=v.r4.pk)
    r4.bedom(av=v.personas["enhetschef"], datum=IDAG(), sannolikhet=4, konsekvens=4)
    r4.titel = "Tolk saknas ofta"
    r4.save()
    Risk.objects.filter(pk=v.r1.pk).update(
        status=Status.BORTTAGEN, borttagen=IDAG(), borttagen_skal="Löst"
    )
    sida_efter = klient.get("/risker/register/2/").content.decode()
    assert _utan_token(sida_efter) == _utan_token(sida_fore)
    assert "Tolk saknas ofta" not in sida_efter
    assert "1 × 1 = <strong>1</strong>" in sida_efter
    assert klient.get("/risker/register/2/pdf/").content == pdf_fore
    assert Registerversion.objects.get(pk=v.v2.pk).innehall == v.v2.innehall
    # The next draft does see the changes.
    ny = register.innehall(
        IDAG(), version=Registerversion.forbered(av=v.personas["forvaltningschef"])
    )
    assert ny["jamfort_med"] == 2
    assert [r["nummer"] for r in ny["andringar"]["borttagna"]] == [v.r1.nummer]
    assert ny["andringar"]["hojda"] == [
        {"nummer": v.r4.nummer, "titel": "Tolk saknas ofta", "fran": 1, "till": 16}
    ]


def _utan_token(sida):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", sida)


def test_en_andrad_lagrad_pdf_nekas(beslutad, klient_for):
    v = beslutad
    with open(v.v2.pdf.path, "ab") as f:
        f.write(b"%% tillagt i efterhand\n")
    with pytest.raises(ValidationError, match="kontrollsumma stämmer inte"):
        Registerversion.objects.get(pk=v.v2.pk).arkivera()
    from django.test import Client

    klient = Client(raise_request_exception=False)
    klient.force_login(v.personas["namnd"])
    svar = klient.get("/risker/register/2/pdf/")
    assert svar.status_code != 200
    assert b"tillagt i efterhand" not in svar.content


def test_namnden_ser_beslutade_versioner_men_inte_utkastet(beslutad, klient_for):
    v = beslutad
    Registerversion.forbered(av=v.personas["kvalitetssamordnare"])
    klient = klient_for("namnd")
    assert klient.get("/risker/register/3/").status_code == 404
    assert klient.get("/risker/register/3/pdf/").status_code == 404
    for nr in (1, 2):
        assert klient.get(f"/risker/register/{nr}/").status_code == 200
    sida = klient.get("/risker/register/").content.decode()
    assert set(re.findall(r'href="/risker/register/(\d+)/"', sida)) == {"1", "2"}
    # The nämnd sees no risk pages: numbers without links on the version page.
    sida = klient.get("/risker/register/2/").content.decode()
    assert v.r1.nummer in sida
    assert f'href="/risker/{v.r1.nummer}/"' not in sida


def test_utkastets_pdf_ar_markt_och_lagras_inte(v, personas, klient_for):
    Registerversion.forbered(av=personas["kvalitetssamordnare"])
    svar = klient_for("kvalitetssamordnare").get("/risker/register/2/pdf/")
    assert svar.status_code == 200
    assert svar.content.startswith(b"%PDF")
    assert svar["Content-Disposition"] == 'attachment; filename="utkast-riskregister-version-2.pdf"'
    utkast = Registerversion.objects.get(version=2)
    assert (utkast.pdf.name, utkast.pdf_sha256) == ("", "")


def test_ett_forslag_efter_motet_vantar_pa_nasta_version(
    v, personas, klient_for, django_capture_on_commit_callbacks
):
    """The nämnd decides the proposals it had before it: one identified after the
    meeting's date stays a proposal (the next version's), is not in the frozen content,
    and the decided PDF lists no proposals."""
    Registerversion.forbered(av=personas["kvalitetssamordnare"])
    mote = date(2026, 3, 15)  # before r5 was identified (2026-04-01)
    v2 = besluta(klient_for("kvalitetssamordnare"), 2, mote, django_capture_on_commit_callbacks)
    v.r5.refresh_from_db()
    assert (v.r5.status, v.r5.aktiv_fran) == (Status.FORESLAGEN, None)
    assert v.r5.nummer not in [r["nummer"] for r in v2.innehall["risker"]]
    assert not any(r["foreslagen"] for r in v2.innehall["risker"])
    utkast = Registerversion.forbered(av=personas["kvalitetssamordnare"])
    nasta = register.version_innehall(utkast)
    assert [r["nummer"] for r in nasta["risker"] if r["foreslagen"]] == [v.r5.nummer]
    assert [r["nummer"] for r in nasta["andringar"]["nya"]] == [v.r5.nummer]
