"""Every form of the risk register refuses bad input – empty, too long, wrong types,
values outside the scale, other units' records, markup, impossible dates – with 400, a
clear Swedish message on the page, and no change to the database (tests.stod.ogonblick).
Each form's valid base input is accepted, so each refusal comes from the one bad value.
"""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone
from django.utils.html import escape

from riskregister.choices import Analysstatus, Status, Versionsstatus
from riskregister.models import Bedomning, Registerversion, Risk, Riskanalys
from tests.riskregister.hjalp import analys, beslutad_version, risk
from tests.stod import meddelanden, ogonblick

pytestmark = pytest.mark.django_db

IDAG = timezone.localdate

KRAVS = "Detta fält måste fyllas i."
OGILTIG = "Välj ett giltigt alternativ."
SKALA = "Välj ett steg på skalan."
HTML = "Texten får inte innehålla HTML-kod som <script> eller andra taggar."
FRAMTID = "Datumet kan inte ligga i framtiden."
DATUM = "Fyll i ett giltigt datum."
SKRIPT = "<script>alert('x')</script>"


def hogst(n):
    return f"har som mest {n} tecken (den har {n + 1})"


def imorgon():
    return (IDAG() + timedelta(days=1)).isoformat()


def igar():
    return (IDAG() - timedelta(days=1)).isoformat()


@pytest.fixture
def v(org, personas):
    """A risk of Ekonomiskt bistånd identified 2025-01-10 (owned by nobody), a risk and a
    riskanalys of Kollektivet HVB (another avdelning), a riskanalys of Ekonomiskt bistånd
    held ten days ago (pågår) and one that is done."""
    s = SimpleNamespace(org=org, personas=personas)
    s.risk = risk(org["EB"], (date(2025, 1, 10), 2, 3), titel="Fel mottagare")
    s.annan = risk(org["KOLL"], (date(2025, 1, 10), 2, 2), titel="Rymning")
    s.analys = analys(org["EB"], av=personas["enhetschef"], dag=IDAG() - timedelta(days=10))
    s.klar = analys(org["EB"], av=personas["enhetschef"], status=Analysstatus.KLAR)
    s.analys_annan = analys(org["KOLL"], av=personas["enhetschef_annan"])
    return s


def nekas(klient, url, data, *texter):
    """POST is refused with 400, every text on the page, and nothing changed."""
    fore = ogonblick()
    svar = klient.post(url, data)
    assert svar.status_code == 400, (svar.status_code, svar.headers.get("Location"))
    sida = svar.content.decode()
    for text in texter:
        assert escape(text) in sida, f"{text!r} saknas"
    assert ogonblick() == fore, "ett nekat formulär ändrade databasen"
    return sida


def tas_emot(klient, url, data):
    svar = klient.post(url, data)
    assert svar.status_code == 302, svar.content.decode()[:3000]
    return svar


# --- Proposing a risk ----------------------------------------------------------------------


def ny_risk(v, **andrat):
    data = {
        "enhet": v.org["EB"].pk,
        "titel": "Beslut skickas till fel adress",
        "beskrivning": "Känsliga uppgifter når fel person.",
        "kategori": "rattssakerhet",
        "kalla": "personal",
        "process": "",
        "sannolikhet": 2,
        "konsekvens": 4,
        "strategi": "",
        "styrdokument": "",
        "indikatorer": "",
        "nasta_oversyn": "",
        "kommentar": "",
    }
    data.update(andrat)
    return data


RISKFEL = [
    ("tom", None, ("Välj sannolikhet.", "Välj konsekvens.", KRAVS)),
    ("titel-tom", {"titel": "  "}, (KRAVS,)),
    ("titel-lang", {"titel": "x" * 201}, (hogst(200),)),
    ("beskrivning-lang", {"beskrivning": "x" * 5001}, (hogst(5000),)),
    ("kommentar-lang", {"kommentar": "x" * 1001}, (hogst(1000),)),
    ("titel-skript", {"titel": SKRIPT}, (HTML,)),
    ("beskrivning-skript", {"beskrivning": f"Se {SKRIPT}"}, (HTML,)),
    ("kommentar-skript", {"kommentar": "<b>viktigt</b>"}, (HTML,)),
    ("sannolikhet-text", {"sannolikhet": "tre"}, (SKALA,)),
    ("sannolikhet-0", {"sannolikhet": 0}, (SKALA,)),
    ("sannolikhet-5", {"sannolikhet": 5}, (SKALA,)),
    ("konsekvens-5", {"konsekvens": 5}, (SKALA,)),
    ("konsekvens-minus", {"konsekvens": -1}, (SKALA,)),
    ("kategori", {"kategori": "vader"}, (OGILTIG,)),
    ("kalla", {"kalla": "rykte"}, (OGILTIG,)),
    ("strategi", {"strategi": "ignorera"}, (OGILTIG,)),
    ("enhet-annan", {"enhet": "KOLL"}, (OGILTIG,)),
    ("enhet-text", {"enhet": "EB"}, (OGILTIG,)),
    ("enhet-saknas", {"enhet": 999999}, (OGILTIG,)),
    ("oversyn-passerad", {"nasta_oversyn": igar()}, ("Nästa översyn kan inte ligga före i dag.",)),
    ("oversyn-format", {"nasta_oversyn": "31/12/2027"}, (DATUM,)),
    ("oversyn-utanfor", {"nasta_oversyn": "9999-12-31"}, ("Ange ett datum mellan",)),
]


@pytest.mark.parametrize(("andrat", "texter"), [pytest.param(a, t, id=n) for n, a, t in RISKFEL])
def test_forslaget_nekar_felaktiga_uppgifter(v, klient_for, andrat, texter):
    """The medarbetare of Ekonomiskt bistånd proposes: each bad value refused alone."""
    if andrat is None:
        data = {}
    else:
        andrat = {
            k: (v.org[x].pk if k == "enhet" and x == "KOLL" else x) for k, x in andrat.items()
        }
        data = ny_risk(v, **andrat)
    nekas(klient_for("medarbetare"), "/risker/ny/", data, *texter)


def test_forslaget_tas_emot_med_giltiga_uppgifter(v, klient_for):
    antal = Risk.objects.count()
    tas_emot(klient_for("medarbetare"), "/risker/ny/", ny_risk(v, kommentar="Hänt två gånger."))
    assert Risk.objects.count() == antal + 1
    ny = Risk.objects.get(titel="Beslut skickas till fel adress")
    assert (ny.status, ny.sannolikhet, ny.konsekvens, ny.riskvarde) == (Status.FORESLAGEN, 2, 4, 8)
    assert list(ny.bedomningar.values_list("datum", "sannolikhet", "konsekvens", "kommentar")) == [
        (IDAG(), 2, 4, "Hänt två gånger.")
    ]


def test_forslag_i_annan_enhets_analys_eller_fran_annan_enhets_handelse_ar_404(
    v, klient_for, avvikelse_annan
):
    """`?analys=` and `?fran=` of another unit's records are not found: 404, nothing
    saved; a done analysis of the own unit takes no new risks (403)."""
    klient = klient_for("enhetschef")
    for fraga in (f"analys={v.analys_annan.nummer}", f"fran={avvikelse_annan.nummer}"):
        fore = ogonblick()
        assert klient.post(f"/risker/ny/?{fraga}", ny_risk(v)).status_code == 404, fraga
        assert klient.get(f"/risker/ny/?{fraga}").status_code == 404, fraga
        assert ogonblick() == fore
    fore = ogonblick()
    assert klient.post(f"/risker/ny/?analys={v.klar.nummer}", ny_risk(v)).status_code == 403
    assert ogonblick() == fore


def test_en_risk_i_en_analys_hor_till_analysens_enhet(v, klient_for):
    """Those who see all may propose for any unit – but a risk added in an analysis is
    one of the analysis' unit or a unit below it."""
    url = f"/risker/ny/?analys={v.analys.nummer}"
    nekas(
        klient_for("kvalitetssamordnare"),
        url,
        ny_risk(v, enhet=v.org["KOLL"].pk),
        OGILTIG,
    )
    tas_emot(klient_for("kvalitetssamordnare"), url, ny_risk(v, enhet=v.org["TEAM"].pk))
    assert Risk.objects.get(titel="Beslut skickas till fel adress").riskanalys == v.analys


# --- A risk's steps ------------------------------------------------------------------------


def bedomning(**andrat):
    data = {"datum": igar(), "sannolikhet": 3, "konsekvens": 3, "kommentar": "", "riskanalys": ""}
    data.update(andrat)
    return data


BEDOMFEL = [
    ("tom", {}, ("Ange när bedömningen gjordes.", "Välj sannolikhet.", "Välj konsekvens.")),
    ("datum-framtid", {"datum": "+1"}, (FRAMTID,)),
    (
        "datum-fore-identifierad",
        {"datum": "2025-01-09"},
        ("Risken identifierades 2025-01-10; bedömningen kan inte vara tidigare.",),
    ),
    ("datum-format", {"datum": "igår"}, (DATUM,)),
    # Before the bounds, but the narrower rule speaks first.
    ("datum-utanfor", {"datum": "1066-10-14"}, ("Risken identifierades 2025-01-10;",)),
    ("sannolikhet-5", {"sannolikhet": 5}, (SKALA,)),
    ("sannolikhet-0", {"sannolikhet": 0}, (SKALA,)),
    ("konsekvens-text", {"konsekvens": "hög"}, (SKALA,)),
    ("kommentar-lang", {"kommentar": "x" * 1001}, (hogst(1000),)),
    ("kommentar-skript", {"kommentar": SKRIPT}, (HTML,)),
    ("riskanalys-annan-enhet", {"riskanalys": "annan"}, (OGILTIG,)),
    ("riskanalys-klar", {"riskanalys": "klar"}, (OGILTIG,)),
    ("riskanalys-text", {"riskanalys": "RA-1"}, (OGILTIG,)),
]


@pytest.mark.parametrize(("andrat", "texter"), [pytest.param(a, t, id=n) for n, a, t in BEDOMFEL])
def test_bedomningen_nekar_felaktiga_uppgifter(v, klient_for, andrat, texter):
    """The enhetschef re-assesses; an analysis of another unit (which they do not see)
    or a done one is not a choice."""
    if andrat:
        andrat = dict(andrat)
        if andrat.get("datum") == "+1":
            andrat["datum"] = imorgon()
        val = {"annan": v.analys_annan.pk, "klar": v.klar.pk}
        if andrat.get("riskanalys") in val:
            andrat["riskanalys"] = val[andrat["riskanalys"]]
        data = bedomning(**andrat)
    else:
        data = {}
    nekas(klient_for("enhetschef"), f"/risker/{v.risk.nummer}/bedom/", data, *texter)


def test_bedomningen_tas_emot_i_egen_analys(v, klient_for):
    tas_emot(
        klient_for("enhetschef"),
        f"/risker/{v.risk.nummer}/bedom/",
        bedomning(riskanalys=v.analys.pk, kommentar="Efter analysen."),
    )
    v.risk.refresh_from_db()
    assert (v.risk.sannolikhet, v.risk.konsekvens, v.risk.riskvarde) == (3, 3, 9)
    senaste = v.risk.bedomningar.order_by("-pk").first()
    assert (senaste.datum, senaste.riskanalys_id) == (IDAG() - timedelta(days=1), v.analys.pk)


def andring(v, **andrat):
    data = {
        "titel": v.risk.titel,
        "beskrivning": v.risk.beskrivning,
        "kategori": v.risk.kategori,
        "kalla": v.risk.kalla,
        "process": "",
        "strategi": "",
        "handlaggare": "",
        "styrdokument": "",
        "indikatorer": "",
        "nasta_oversyn": "",
    }
    data.update(andrat)
    return data


ANDRAFEL = [
    ("titel-tom", {"titel": ""}, (KRAVS,)),
    ("titel-lang", {"titel": "x" * 201}, (hogst(200),)),
    ("beskrivning-tom", {"beskrivning": "   "}, (KRAVS,)),
    ("process-lang", {"process": "x" * 201}, (hogst(200),)),
    ("styrdokument-lang", {"styrdokument": "x" * 5001}, (hogst(5000),)),
    ("indikatorer-skript", {"indikatorer": SKRIPT}, (HTML,)),
    ("styrdokument-skript", {"styrdokument": '<a href="javascript:x">rutin</a>'}, (HTML,)),
    ("kategori", {"kategori": "vader"}, (OGILTIG,)),
    ("strategi", {"strategi": "ignorera"}, (OGILTIG,)),
    ("agare-annan-enhet", {"handlaggare": "medarbetare_annan"}, (OGILTIG,)),
    ("agare-namnd", {"handlaggare": "namnd"}, (OGILTIG,)),
    ("agare-text", {"handlaggare": "anna"}, (OGILTIG,)),
    ("oversyn-passerad", {"nasta_oversyn": igar()}, ("Nästa översyn kan inte ligga före i dag.",)),
    ("oversyn-format", {"nasta_oversyn": "2027-02-30"}, (DATUM,)),
]


@pytest.mark.parametrize(("andrat", "texter"), [pytest.param(a, t, id=n) for n, a, t in ANDRAFEL])
def test_andringen_nekar_felaktiga_uppgifter(v, klient_for, andrat, texter):
    """The owner must be someone who would see the risk as its owner (staff on its
    unit's line, or an utredare): not staff of another avdelning, not the nämnd."""
    andrat = {
        k: (v.personas[x].pk if k == "handlaggare" and x in v.personas else x)
        for k, x in andrat.items()
    }
    nekas(
        klient_for("enhetschef"), f"/risker/{v.risk.nummer}/andra/", andring(v, **andrat), *texter
    )


def test_en_passerad_oversyn_som_inte_andras_stoppar_inte_andringen(v, klient_for):
    """A review date already past may stay as it is while other fields change."""
    forra = IDAG() - timedelta(days=30)
    Risk.objects.filter(pk=v.risk.pk).update(nasta_oversyn=forra)
    tas_emot(
        klient_for("enhetschef"),
        f"/risker/{v.risk.nummer}/andra/",
        andring(v, strategi="reducera", nasta_oversyn=forra.isoformat()),
    )
    v.risk.refresh_from_db()
    assert (v.risk.strategi, v.risk.nasta_oversyn) == ("reducera", forra)


@pytest.mark.parametrize(
    ("kommentar", "text"),
    [
        ("", "Ange varför risken tas bort."),
        ("   ", "Ange varför risken tas bort."),
        ("x" * 501, hogst(500)),
        (SKRIPT, HTML),
    ],
    ids=["tom", "blanksteg", "lang", "skript"],
)
def test_borttagningen_kraver_ett_skal(v, klient_for, kommentar, text):
    nekas(
        klient_for("enhetschef"),
        f"/risker/{v.risk.nummer}/ta-bort/",
        {"kommentar": kommentar, "bekraftad": "ja"},
        text,
    )
    assert Risk.objects.get(pk=v.risk.pk).status == Status.AKTIV


# --- Riskanalyser ------------------------------------------------------------------------


def ny_analys(v, **andrat):
    data = {
        "enhet": v.org["EB"].pk,
        "datum": igar(),
        "utlosande": "arlig",
        "deltagare": "Enhetschef – Anna Berg",
        "anteckningar": "",
    }
    data.update(andrat)
    return data


NYANALYSFEL = [
    ("tom", None, (KRAVS,)),
    ("datum-framtid", {"datum": "+1"}, (FRAMTID,)),
    ("datum-format", {"datum": "01-02-2026"}, (DATUM,)),
    ("enhet-annan", {"enhet": "KOLL"}, (OGILTIG,)),
    ("enhet-ovanfor", {"enhet": "SOC"}, (OGILTIG,)),
    ("utlosande", {"utlosande": "lust"}, (OGILTIG,)),
    ("deltagare-tom", {"deltagare": ""}, (KRAVS,)),
    ("deltagare-lang", {"deltagare": "x" * 2001}, (hogst(2000),)),
    ("anteckningar-skript", {"anteckningar": SKRIPT}, (HTML,)),
]


@pytest.mark.parametrize(
    ("andrat", "texter"), [pytest.param(a, t, id=n) for n, a, t in NYANALYSFEL]
)
def test_ny_analys_nekar_felaktiga_uppgifter(v, klient_for, andrat, texter):
    """The enhetschef of Ekonomiskt bistånd holds analyses for it and below; not for
    another avdelning, nor for the förvaltning above."""
    if andrat is None:
        data = {}
    else:
        andrat = dict(andrat)
        if andrat.get("datum") == "+1":
            andrat["datum"] = imorgon()
        if andrat.get("enhet") in ("KOLL", "SOC"):
            andrat["enhet"] = v.org[andrat["enhet"]].pk
        data = ny_analys(v, **andrat)
    nekas(klient_for("enhetschef"), "/risker/analyser/ny/", data, *texter)


def test_ny_analys_tas_emot(v, klient_for):
    antal = Riskanalys.objects.count()
    tas_emot(klient_for("enhetschef"), "/risker/analyser/ny/", ny_analys(v, enhet=v.org["TEAM"].pk))
    assert Riskanalys.objects.count() == antal + 1


@pytest.mark.parametrize(
    ("andrat", "text"),
    [
        ({"deltagare": ""}, KRAVS),
        ({"anteckningar": "x" * 20_001}, hogst(20_000)),
        ({"konsekvensbeskrivning": "x" * 10_001}, hogst(10_000)),
        ({"konsekvensbeskrivning": SKRIPT}, HTML),
    ],
    ids=["deltagare-tom", "anteckningar-lang", "konsekvens-lang", "konsekvens-skript"],
)
def test_andra_analysen_nekar_felaktiga_uppgifter(v, klient_for, andrat, text):
    data = {"deltagare": "Enhetschef – Anna Berg", "anteckningar": "", "konsekvensbeskrivning": ""}
    data.update(andrat)
    nekas(klient_for("enhetschef"), f"/risker/analyser/{v.analys.nummer}/andra/", data, text)


@pytest.mark.parametrize(
    ("datum", "text"),
    [
        ("", "Ange när analysen skickades till nämnden."),
        ("+1", FRAMTID),
        ("-11", "Analysen kan inte ha skickats före analysdagen."),
        ("2026-13-01", DATUM),
    ],
    ids=["tom", "framtid", "fore-analysen", "format"],
)
def test_skickad_till_namnden_nekar_felaktiga_datum(v, klient_for, datum, text):
    """The analysis was held ten days ago: sent before then, or tomorrow, is impossible."""
    Riskanalys.objects.filter(pk=v.analys.pk).update(status=Analysstatus.KLAR)
    if datum.startswith(("+", "-")):
        datum = (IDAG() + timedelta(days=int(datum))).isoformat()
    nekas(
        klient_for("enhetschef"),
        f"/risker/analyser/{v.analys.nummer}/skickad/",
        {"datum": datum},
        text,
    )


def test_analysen_blir_inte_klar_utan_konsekvensbeskrivning_och_risker(v, klient_for):
    """`klar` has no form: refused with both reasons as messages, the status kept."""
    fore = ogonblick()
    svar = klient_for("enhetschef").post(f"/risker/analyser/{v.analys.nummer}/klar/", {})
    assert svar.status_code == 302
    assert svar.headers["Location"] == v.analys.get_absolute_url()
    texter = " ".join(meddelanden(svar))
    assert "Skriv konsekvensbeskrivningen inför budget." in texter
    assert "Lägg till eller bedöm minst en risk i analysen." in texter
    assert ogonblick() == fore


def analysbedomning(v, **andrat):
    data = {"risk": v.risk.pk, "sannolikhet": 1, "konsekvens": 4, "kommentar": ""}
    data.update(andrat)
    return data


@pytest.mark.parametrize(
    ("andrat", "texter"),
    [
        (None, ("Välj vilken risk som bedöms.", "Välj sannolikhet.", "Välj konsekvens.")),
        ({"risk": "annan"}, (OGILTIG,)),
        ({"risk": "borttagen"}, (OGILTIG,)),
        ({"risk": "RISK-2025-0001"}, (OGILTIG,)),
        ({"sannolikhet": 9}, (SKALA,)),
        ({"konsekvens": "x"}, (SKALA,)),
        ({"kommentar": "x" * 1001}, (hogst(1000),)),
        ({"kommentar": SKRIPT}, (HTML,)),
    ],
    ids=["tom", "risk-annan-enhet", "risk-borttagen", "risk-nummer", "sannolikhet-9",
         "konsekvens-text", "kommentar-lang", "kommentar-skript"],
)  # fmt: skip
def test_bedomning_i_analysen_nekar_felaktiga_uppgifter(v, klient_for, andrat, texter):
    """Only the open risks of the analysis' unit (and below) are choices."""
    borttagen = risk(v.org["EB"], titel="Borta", borttagen=date(2025, 6, 1))
    if andrat is None:
        data = {}
    else:
        andrat = dict(andrat)
        val = {"annan": v.annan.pk, "borttagen": borttagen.pk}
        if andrat.get("risk") in val:
            andrat["risk"] = val[andrat["risk"]]
        data = analysbedomning(v, **andrat)
    nekas(klient_for("enhetschef"), f"/risker/analyser/{v.analys.nummer}/bedom/", data, *texter)


def test_bedomning_i_analysen_tas_emot(v, klient_for):
    tas_emot(
        klient_for("enhetschef"), f"/risker/analyser/{v.analys.nummer}/bedom/", analysbedomning(v)
    )
    b = Bedomning.objects.filter(risk=v.risk).order_by("-pk").first()
    assert (b.datum, b.sannolikhet, b.konsekvens, b.riskanalys_id) == (
        v.analys.datum,
        1,
        4,
        v.analys.pk,
    )


# --- The register's versions ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("sammanfattning", "text"),
    [("x" * 10_001, hogst(10_000)), (SKRIPT, HTML)],
    ids=["lang", "skript"],
)
def test_nytt_utkast_nekar_felaktig_sammanfattning(v, klient_for, sammanfattning, text):
    nekas(
        klient_for("kvalitetssamordnare"),
        "/risker/register/",
        {"sammanfattning": sammanfattning},
        text,
    )


def test_ett_utkast_i_taget(v, klient_for):
    klient = klient_for("kvalitetssamordnare")
    tas_emot(klient, "/risker/register/", {"sammanfattning": ""})
    nekas(
        klient,
        "/risker/register/",
        {"sammanfattning": ""},
        "Det finns redan ett utkast till nästa version.",
    )
    assert Registerversion.objects.filter(status=Versionsstatus.UTKAST).count() == 1


@pytest.fixture
def utkast(v, personas):
    """Version 1 decided by the meeting of 2025-11-20; version 2 a draft."""
    v.v1 = beslutad_version(1, date(2025, 11, 20))
    return Registerversion.forbered(av=personas["kvalitetssamordnare"])


@pytest.mark.parametrize(
    ("sammanfattning", "text"),
    [("x" * 10_001, hogst(10_000)), ("Se <img src=x onerror=alert(1)>", HTML)],
    ids=["lang", "skript"],
)
def test_sammanfattningen_nekar_felaktig_text(utkast, klient_for, sammanfattning, text):
    nekas(
        klient_for("kvalitetssamordnare"),
        "/risker/register/2/sammanfattning/",
        {"sammanfattning": sammanfattning},
        text,
    )


def beslut(**andrat):
    data = {
        "sammantradesdatum": igar(),
        "paragraf": "§ 12",
        "diarienummer": "SN 2026/14",
        "bekraftad": "ja",
    }
    data.update(andrat)
    return data


FASTSTALLFEL = [
    (
        "tom",
        {"sammantradesdatum": "", "paragraf": "", "diarienummer": ""},
        (
            "Ange datumet för nämndens sammanträde.",
            "Ange paragrafen (§) i nämndens protokoll.",
            "Ange diarienumret.",
        ),
    ),
    ("datum-framtid", {"sammantradesdatum": "+1"}, (FRAMTID,)),
    ("datum-format", {"sammantradesdatum": "20 nov"}, ("Ange ett datum, t.ex. ",)),
    (
        "datum-fore-forra-versionen",
        {"sammantradesdatum": "2025-11-19"},
        ("Version 1 fastställdes 2025-11-20; ett senare beslut kan inte ligga före.",),
    ),
    ("paragraf-text", {"paragraf": "tolv"}, ("Ange paragrafen som ett nummer, t.ex. § 14.",)),
    ("paragraf-skript", {"paragraf": SKRIPT}, (HTML,)),
    ("diarienummer-tecken", {"diarienummer": "SN 2026/14; DROP"}, ("Ange diarienumret med",)),
    ("diarienummer-lang", {"diarienummer": "SN " + "1" * 60}, ("har som mest",)),
]


@pytest.mark.parametrize(
    ("andrat", "texter"), [pytest.param(a, t, id=n) for n, a, t in FASTSTALLFEL]
)
def test_beslutet_nekar_felaktiga_uppgifter(v, utkast, klient_for, andrat, texter):
    """A meeting in the future, or before the meeting that decided version 1, is
    impossible; the proposals stay proposals and the draft a draft."""
    forslag = risk(v.org["EB"], titel="Förslag", status=Status.FORESLAGEN)
    andrat = dict(andrat)
    if andrat.get("sammantradesdatum") == "+1":
        andrat["sammantradesdatum"] = imorgon()
    nekas(
        klient_for("kvalitetssamordnare"),
        "/risker/register/2/faststall/",
        beslut(**andrat),
        *texter,
    )
    assert Registerversion.objects.get(version=2).status == Versionsstatus.UTKAST
    assert Risk.objects.get(pk=forslag.pk).status == Status.FORESLAGEN


def test_beslutet_samma_dag_som_forra_versionen_tas_emot(utkast, klient_for):
    tas_emot(
        klient_for("kvalitetssamordnare"),
        "/risker/register/2/faststall/",
        beslut(sammantradesdatum="2025-11-20"),
    )
    assert Registerversion.objects.get(version=2).status == Versionsstatus.FASTSTALLD


def test_bedomning_i_annan_enhets_analys_nekas_aven_den_som_ser_allt(v, klient_for):
    """The kvalitetssamordnare sees every analysis, but an EB risk is not assessed in
    Kollektivet HVB's analysis; the förvaltning's analysis (above EB) is a choice."""
    forvaltningens = analys(v.org["SOC"], dag=IDAG() - timedelta(days=3))
    klient = klient_for("kvalitetssamordnare")
    url = f"/risker/{v.risk.nummer}/bedom/"
    nekas(klient, url, bedomning(riskanalys=v.analys_annan.pk), OGILTIG)
    tas_emot(klient, url, bedomning(riskanalys=forvaltningens.pk))
    assert Bedomning.objects.filter(risk=v.risk, riskanalys=forvaltningens).count() == 1


def test_bedomning_i_analys_fore_riskens_identifiering_nekas(v, klient_for):
    """An analysis held 2024-06-01 cannot assess a risk identified 2025-01-10: the
    assessment would be dated before the risk existed."""
    gammal = analys(v.org["EB"], av=v.personas["enhetschef"], dag=date(2024, 6, 1))
    nekas(
        klient_for("enhetschef"),
        f"/risker/analyser/{gammal.nummer}/bedom/",
        analysbedomning(v),
        "Risken identifierades 2025-01-10; den kan inte bedömas i en analys som hölls före det.",
    )
