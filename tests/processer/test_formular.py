"""Every form of the processes refuses bad input – empty, too long, wrong types, another
process's key figure, a unit or an owner that may not be used, markup, impossible dates
and years, a result for a year not begun, a percentage outside 0–100, a key figure's
name twice – with 400, a clear Swedish message on the page and no change to the database
(tests.stod.ogonblick). Each form's valid base input is accepted, so each refusal comes
from the one bad value."""

from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone
from django.utils.html import escape

from kvalitet.models import Enhet
from processer.choices import Riktning, Status
from processer.models import Nyckeltal, Nyckeltalsvarde, Process, Processhandelse
from tests.processer.hjalp import nyckeltal, process
from tests.stod import ogonblick

pytestmark = pytest.mark.django_db

IDAG = timezone.localdate
AR = IDAG().year

KRAVS = "Detta fält måste fyllas i."
OGILTIG = "Välj ett giltigt alternativ."
HTML = "Texten får inte innehålla HTML-kod som <script> eller andra taggar."
FRAMTID = "Datumet kan inte ligga i framtiden."
DATUM = "Fyll i ett giltigt datum."
GRANS = "Ange ett datum mellan"
SKRIPT = "<script>alert('x')</script>"
SAMMA_NAMN = "Processen har redan ett nyckeltal med det namnet."
VALJ_NYCKELTAL = "Välj ett av processens nyckeltal."
PROCENT = "En andel i procent ligger mellan 0 och 100."
HELTAL = "Fyll i ett heltal."
TAL = "Fyll i ett tal."


def hogst(n):
    return f"har som mest {n} tecken (den har {n + 1})"


def imorgon():
    return (IDAG() + timedelta(days=1)).isoformat()


@pytest.fixture
def v(org, personas):
    """A process of Ekonomiskt bistånd established 2024-01-01, owned by its enhetschef,
    with a key figure in % (`s.andel`, last year's target and result recorded) and one in
    days (`s.dagar`); a process of Kollektivet HVB with a key figure of its own
    (`s.annans`); a key figure no longer measured (`s.gammalt`)."""
    s = SimpleNamespace(org=org, personas=personas)
    s.process = process(org["EB"], namn="Ekonomiskt bistånd", handlaggare=personas["enhetschef"])
    s.andel = nyckeltal(s.process, "Andel beslut inom tio dagar", varden={AR - 1: (90, 85)})
    s.dagar = nyckeltal(s.process, "Dagar till beslut", matt="dagar", riktning=Riktning.LAGRE)
    s.gammalt = nyckeltal(s.process, "Antal ansökningar", matt="antal", aktivt=False)
    s.annan = process(org["KOLL"], namn="Vård på HVB")
    s.annans = nyckeltal(s.annan, "Andel med genomförandeplan")
    return s


def nekas(klient, url, data, *texter):
    """POST is refused with 400, every text on the page, no markup sent back as markup,
    and nothing changed."""
    fore = ogonblick()
    svar = klient.post(url, data)
    assert svar.status_code == 400, (svar.status_code, svar.headers.get("Location"))
    sida = svar.content.decode()
    for text in texter:
        assert escape(text) in sida, f"{text!r} saknas"
    assert "<script>alert" not in sida
    assert ogonblick() == fore, "ett nekat formulär ändrade databasen"
    return sida


def tas_emot(klient, url, data):
    svar = klient.post(url, data)
    assert svar.status_code == 302, svar.content.decode()[:3000]
    return svar


def url(v, slug):
    return f"/processer/{v.process.nummer}/{slug}/"


def ersatt(v, data):
    """Symbolic values of a case replaced by the scenario's: personas, units, key
    figures."""
    personer = {f"@{k}": p.pk for k, p in v.personas.items()}
    enheter = {f"@{k}": e.pk for k, e in v.org.items()}
    nyckeltal_ = {"@andel": v.andel.pk, "@dagar": v.dagar.pk, "@gammalt": v.gammalt.pk,
                  "@annans": v.annans.pk}  # fmt: skip
    alla = {**personer, **enheter, **nyckeltal_}
    return {k: alla.get(x, x) if isinstance(x, str) else x for k, x in data.items()}


# --- A new process -----------------------------------------------------------------------


def ny_process(**andrat):
    data = {
        "enhet": "@EB",
        "namn": "Budget- och skuldrådgivning",
        "typ": "karnprocess",
        "syfte": "Att hushåll med skulder får råd i tid.",
        "mal": "Första samtal inom två veckor",
        "handlaggare": "@enhetschef",
        "processledare": "@utredare",
        "inrattad": IDAG().isoformat(),
    }
    data.update(andrat)
    return data


NYFEL = [
    ("tom", None, (KRAVS,)),
    ("namn-tom", {"namn": "   "}, (KRAVS,)),
    ("namn-lang", {"namn": "x" * 201}, (hogst(200),)),
    ("syfte-lang", {"syfte": "x" * 5001}, (hogst(5000),)),
    ("mal-lang", {"mal": "x" * 5001}, (hogst(5000),)),
    ("namn-skript", {"namn": SKRIPT}, (HTML,)),
    ("syfte-skript", {"syfte": f"Se {SKRIPT}"}, (HTML,)),
    ("mal-skript", {"mal": "<b>viktigt</b>"}, (HTML,)),
    ("typ", {"typ": "huvudprocess"}, (OGILTIG,)),
    ("enhet-text", {"enhet": "EB"}, (OGILTIG,)),
    ("enhet-saknas", {"enhet": 999999}, (OGILTIG,)),
    ("enhet-inaktiv", {"enhet": "@inaktiv"}, (OGILTIG,)),
    (
        "agare-annan-avdelning",
        {"handlaggare": "@medarbetare_annan"},
        ("arbetar inte i Ekonomiskt bistånd eller någon enhet i dess linje",),
    ),
    # Not staff: not offered at all (the nämnd's members, an administrator alone).
    ("agare-namnd", {"handlaggare": "@namnd"}, (OGILTIG,)),
    ("ledare-namnd", {"processledare": "@namnd"}, (OGILTIG,)),
    ("agare-tom", {"handlaggare": ""}, (KRAVS,)),
    ("agare-text", {"handlaggare": "anna"}, (OGILTIG,)),
    ("agare-inaktiv", {"handlaggare": "@inaktiv_person"}, (OGILTIG,)),
    ("ledare-text", {"processledare": "anna"}, (OGILTIG,)),
    ("inrattad-framtid", {"inrattad": "+1"}, (FRAMTID,)),
    ("inrattad-format", {"inrattad": "1 januari"}, (DATUM,)),
    ("inrattad-utanfor", {"inrattad": "0999-01-01"}, (GRANS,)),
]


@pytest.mark.parametrize(("andrat", "texter"), [pytest.param(a, t, id=n) for n, a, t in NYFEL])
def test_ny_process_nekar_felaktiga_uppgifter(v, klient_for, andrat, texter):
    """The kvalitetssamordnare adds a process: the owner must be one who may handle a
    record of the unit (staff on its line); the unit an active one."""
    from tests.factories import UserFactory

    inaktiv = Enhet.objects.create(
        kod="NED", namn="Nedlagd enhet", typ="enhet", overordnad=v.org["MYN"], aktiv=False
    )
    v.org["inaktiv"] = inaktiv
    v.personas["inaktiv_person"] = UserFactory(username="slutat", is_active=False)
    if andrat is None:
        data = {}
    else:
        andrat = dict(andrat)
        if andrat.get("inrattad") == "+1":
            andrat["inrattad"] = imorgon()
        data = ersatt(v, ny_process(**andrat))
    nekas(klient_for("kvalitetssamordnare"), "/processer/ny/", data, *texter)


def test_ny_process_tas_emot_med_giltiga_uppgifter(v, klient_for):
    fore = Process.objects.count()
    tas_emot(klient_for("kvalitetssamordnare"), "/processer/ny/", ersatt(v, ny_process()))
    assert Process.objects.count() == fore + 1
    ny = Process.objects.get(namn="Budget- och skuldrådgivning")
    assert (ny.status, ny.enhet, ny.handlaggare, ny.processledare, ny.inrattad) == (
        Status.AKTIV,
        v.org["EB"],
        v.personas["enhetschef"],
        v.personas["utredare"],
        IDAG(),
    )
    assert ny.nummer.startswith(f"PROC-{AR}-")
    assert list(ny.timeline.values_list("typ", "anvandare")) == [
        ("skapat", v.personas["kvalitetssamordnare"].pk)
    ]
    assert ny.history.get().history_change_reason == "Tillagd"


def test_processagaren_kan_arbeta_i_en_enhet_ovanfor(v, klient_for):
    """A process of the förvaltning may be owned by a chef of an avdelning below it; one
    of an enhet by the avdelningschef above it."""
    tas_emot(
        klient_for("forvaltningschef"),
        "/processer/ny/",
        ersatt(v, ny_process(enhet="@SOC", handlaggare="@avdelningschef_annan")),
    )
    tas_emot(
        klient_for("forvaltningschef"),
        "/processer/ny/",
        ersatt(v, ny_process(namn="Familjerätt", enhet="@EB", handlaggare="@avdelningschef")),
    )


# --- Changing the process ------------------------------------------------------------------


def andring(**andrat):
    data = {
        "namn": "Ekonomiskt bistånd",
        "typ": "karnprocess",
        "syfte": "Att hushåll får sin ansökan prövad snabbt.",
        "mal": "Beslut inom tio dagar",
        "handlaggare": "@enhetschef",
        "processledare": "",
        "inrattad": "2024-01-01",
    }
    data.update(andrat)
    return data


ANDRAFEL = [
    ("tom", dict.fromkeys(andring(), ""), (KRAVS,)),
    ("namn-lang", {"namn": "x" * 201}, (hogst(200),)),
    ("syfte-blanksteg", {"syfte": "   "}, (KRAVS,)),
    ("syfte-skript", {"syfte": SKRIPT}, (HTML,)),
    ("typ", {"typ": "7"}, (OGILTIG,)),
    ("agare-annan-avdelning", {"handlaggare": "@enhetschef_annan"}, (OGILTIG,)),
    ("agare-namnd", {"handlaggare": "@namnd"}, (OGILTIG,)),
    ("ledare-saknas", {"processledare": 999999}, (OGILTIG,)),
    ("inrattad-framtid", {"inrattad": (IDAG() + timedelta(days=1)).isoformat()}, (FRAMTID,)),
    ("ledare-namnd", {"processledare": "@namnd"}, (OGILTIG,)),
]


@pytest.mark.parametrize(("andrat", "texter"), [pytest.param(a, t, id=n) for n, a, t in ANDRAFEL])
def test_andringen_nekar_felaktiga_uppgifter(v, klient_for, andrat, texter):
    nekas(klient_for("enhetschef"), url(v, "andra"), ersatt(v, andring(**andrat)), *texter)


def test_andringen_tas_emot(v, klient_for):
    tas_emot(
        klient_for("enhetschef"),
        url(v, "andra"),
        ersatt(v, andring(handlaggare="@medarbetare", processledare="@utredare")),
    )
    p = Process.objects.get(pk=v.process.pk)
    assert (p.handlaggare, p.processledare, p.mallista) == (
        v.personas["medarbetare"],
        v.personas["utredare"],
        ["Beslut inom tio dagar"],
    )
    andring_ = p.timeline.get(typ="andring")
    assert andring_.text.startswith("Ändrat: ")
    assert "processägare" in andring_.text and "syfte och omfattning" in andring_.text


# --- Key figures ---------------------------------------------------------------------------


def nytt(**andrat):
    data = {
        "namn": "Andel ansökningar kompletta vid första besöket",
        "definition": "Kompletta ansökningar delat med alla ansökningar.",
        "matt": "%",
        "riktning": "hogre",
    }
    data.update(andrat)
    return data


NYTTFEL = [
    ("tom", dict.fromkeys(nytt(), ""), (KRAVS,)),
    ("namn-lang", {"namn": "x" * 201}, (hogst(200),)),
    ("definition-lang", {"definition": "x" * 2001}, (hogst(2000),)),
    ("matt-lang", {"matt": "x" * 21}, (hogst(20),)),
    ("namn-skript", {"namn": SKRIPT}, (HTML,)),
    ("definition-skript", {"definition": '<img src=x onerror="alert(1)">'}, (HTML,)),
    ("riktning", {"riktning": "uppat"}, (OGILTIG,)),
    ("namn-samma", {"namn": "Dagar till beslut"}, (SAMMA_NAMN,)),
    ("namn-samma-versaler", {"namn": "DAGAR TILL BESLUT"}, (SAMMA_NAMN,)),
    ("namn-samma-som-gammalt", {"namn": "antal ansökningar"}, (SAMMA_NAMN,)),
]


@pytest.mark.parametrize(("andrat", "texter"), [pytest.param(a, t, id=n) for n, a, t in NYTTFEL])
def test_nytt_nyckeltal_nekar_felaktiga_uppgifter(v, klient_for, andrat, texter):
    nekas(klient_for("enhetschef"), url(v, "nyckeltal"), nytt(**andrat), *texter)


def test_nytt_nyckeltal_tas_emot_ocksa_med_en_annan_process_namn(v, klient_for):
    """The name is unique within the process, not across processes."""
    tas_emot(klient_for("enhetschef"), url(v, "nyckeltal"), nytt(namn="Andel med genomförandeplan"))
    n = Nyckeltal.objects.get(process=v.process, namn="Andel med genomförandeplan")
    assert (n.matt, n.riktning, n.aktivt) == ("%", "hogre", True)


def andra_nyckeltal(**andrat):
    data = {
        "nyckeltal": "@dagar",
        "namn": "Dagar från ansökan till beslut",
        "definition": "Medianen av kalenderdagar.",
        "matt": "dagar",
        "riktning": "lagre",
        "aktivt": "ja",
    }
    data.update(andrat)
    return data


ANDRA_NYCKELTAL_FEL = [
    ("nyckeltal-tomt", {"nyckeltal": ""}, ("Välj nyckeltal.",)),
    ("nyckeltal-annan-process", {"nyckeltal": "@annans"}, (VALJ_NYCKELTAL,)),
    ("nyckeltal-text", {"nyckeltal": "dagar"}, (VALJ_NYCKELTAL,)),
    ("nyckeltal-saknas", {"nyckeltal": 999999}, (VALJ_NYCKELTAL,)),
    ("namn-annat-nyckeltals", {"namn": "andel beslut inom TIO dagar"}, (SAMMA_NAMN,)),
    ("matt-lang", {"matt": "kalenderdagar räknade"}, (hogst(20),)),
    ("riktning", {"riktning": "uppat"}, (OGILTIG,)),
    ("aktivt", {"aktivt": "kanske"}, (OGILTIG,)),
    ("definition-skript", {"definition": SKRIPT}, (HTML,)),
]


@pytest.mark.parametrize(
    ("andrat", "texter"), [pytest.param(a, t, id=n) for n, a, t in ANDRA_NYCKELTAL_FEL]
)
def test_andrat_nyckeltal_nekar_felaktiga_uppgifter(v, klient_for, andrat, texter):
    nekas(
        klient_for("enhetschef"),
        url(v, "andra-nyckeltal"),
        ersatt(v, andra_nyckeltal(**andrat)),
        *texter,
    )


def test_andrat_nyckeltal_tas_emot_och_vardena_star_kvar(v, klient_for):
    """Renamed (its own name in other letters is no duplicate), no longer measured: the
    values recorded stay."""
    tas_emot(
        klient_for("enhetschef"),
        url(v, "andra-nyckeltal"),
        ersatt(v, andra_nyckeltal(nyckeltal="@andel", namn="ANDEL BESLUT INOM TIO DAGAR",
                                  matt="%", riktning="hogre", aktivt="nej")),
    )  # fmt: skip
    n = Nyckeltal.objects.get(pk=v.andel.pk)
    assert (n.namn, n.aktivt) == ("ANDEL BESLUT INOM TIO DAGAR", False)
    assert list(n.varden.values_list("ar", "utfall")) == [(AR - 1, Decimal("85.00"))]
    assert n.history.count() == 2


def test_andrat_nyckeltal_behaller_det_som_lamnas_tomt(v, klient_for):
    """Only what is filled in changes: a new definition, the rest kept as it was – also
    whether a key figure no longer measured is measured ("Som förut")."""
    tas_emot(
        klient_for("enhetschef"),
        url(v, "andra-nyckeltal"),
        ersatt(v, {"nyckeltal": "@gammalt", "namn": "", "definition": "Ansökningar som kom in.",
                   "matt": "", "riktning": "", "aktivt": ""}),
    )  # fmt: skip
    n = Nyckeltal.objects.get(pk=v.gammalt.pk)
    assert (n.namn, n.definition, n.matt, n.riktning, n.aktivt) == (
        "Antal ansökningar", "Ansökningar som kom in.", "antal", v.gammalt.riktning, False
    )  # fmt: skip


# --- Targets and results -------------------------------------------------------------------


def varde(**andrat):
    data = {
        "nyckeltal": "@andel",
        "ar": AR,
        "malvarde": "90",
        "utfall": "",
        "kommentar": "",
    }
    data.update(andrat)
    return data


VARDEFEL = [
    ("tom", dict.fromkeys(varde(), ""), ("Välj nyckeltal.", KRAVS)),
    ("nyckeltal-annan-process", {"nyckeltal": "@annans"}, (VALJ_NYCKELTAL,)),
    ("nyckeltal-mats-inte", {"nyckeltal": "@gammalt"}, (VALJ_NYCKELTAL,)),
    ("nyckeltal-text", {"nyckeltal": "andel"}, (VALJ_NYCKELTAL,)),
    ("ar-text", {"ar": "i år"}, (HELTAL,)),
    ("ar-decimal", {"ar": "2025.5"}, (HELTAL,)),
    ("ar-for-tidigt", {"ar": 1899}, ("större än eller lika med 1900",)),
    ("ar-negativt", {"ar": -2025}, ("större än eller lika med",)),
    ("ar-efter-nasta", {"ar": AR + 2}, ("Målvärden kan sättas högst ett år framåt.",)),
    ("ar-langt-fram", {"ar": 30000}, ("mindre än eller lika med",)),
    (
        "utfall-nasta-ar",
        {"ar": AR + 1, "utfall": "91"},
        ("Ett år som inte har börjat har inget utfall.",),
    ),
    ("malvarde-tomt", {"malvarde": ""}, (f"Ange målvärdet: {AR} har inget målvärde ännu.",)),
    ("malvarde-text", {"malvarde": "nittio"}, (TAL,)),
    ("malvarde-over-100", {"malvarde": "120"}, (PROCENT,)),
    ("utfall-under-0", {"ar": AR - 1, "utfall": "-5"}, (PROCENT,)),
    ("utfall-text", {"ar": AR - 1, "utfall": "85 %"}, (TAL,)),
    ("malvarde-for-stort", {"nyckeltal": "@dagar", "malvarde": "1" * 13}, ("12 siffror",)),
    ("malvarde-decimaler", {"malvarde": "90.125"}, ("2 decimaler",)),
    ("kommentar-lang", {"kommentar": "x" * 1001}, (hogst(1000),)),
    ("kommentar-skript", {"kommentar": SKRIPT}, (HTML,)),
]


@pytest.mark.parametrize(("andrat", "texter"), [pytest.param(a, t, id=n) for n, a, t in VARDEFEL])
def test_mal_och_utfall_nekar_felaktiga_uppgifter(v, klient_for, andrat, texter):
    nekas(klient_for("enhetschef"), url(v, "varde"), ersatt(v, varde(**andrat)), *texter)


def test_mal_och_utfall_tas_emot(v, klient_for):
    """Next year's target; a result in days above 100 (only a percentage is bounded)."""
    klient = klient_for("enhetschef")
    tas_emot(klient, url(v, "varde"), ersatt(v, varde(ar=AR + 1, malvarde="92.5")))
    tas_emot(
        klient,
        url(v, "varde"),
        ersatt(v, varde(nyckeltal="@dagar", ar=AR - 1, malvarde="10", utfall="140")),
    )
    assert set(Nyckeltalsvarde.objects.values_list("nyckeltal", "ar", "malvarde", "utfall")) == {
        (v.andel.pk, AR - 1, Decimal("90.00"), Decimal("85.00")),
        (v.andel.pk, AR + 1, Decimal("92.50"), None),
        (v.dagar.pk, AR - 1, Decimal("10.00"), Decimal("140.00")),
    }


def test_utfallet_registreras_utan_att_malvardet_skrivs_om(v, klient_for):
    """Recording last year's result keeps its target when the target is left empty, and a
    value is read as written in Swedish, with a decimal comma (a number field had made
    "9,5" 95)."""
    klient = klient_for("enhetschef")
    tas_emot(klient, url(v, "varde"), ersatt(v, varde(ar=AR - 1, malvarde="", utfall="87,5")))
    tas_emot(klient, url(v, "varde"), ersatt(v, varde(nyckeltal="@dagar", malvarde="9,5")))
    assert set(Nyckeltalsvarde.objects.values_list("nyckeltal", "ar", "malvarde", "utfall")) == {
        (v.andel.pk, AR - 1, Decimal("90.00"), Decimal("87.50")),
        (v.dagar.pk, AR, Decimal("9.50"), None),
    }
    # Last year still waits for a result of "Andel …"? No: the form starts on this year.
    sida = klient.get(f"/processer/{v.process.nummer}/").content.decode()
    assert f'name="ar" value="{AR}"' in sida


def test_formularet_borjar_pa_forra_aret_nar_ett_utfall_saknas(v, klient_for):
    """In January the owner is asked for last year's results: the form starts there."""
    Nyckeltalsvarde.objects.filter(nyckeltal=v.andel).update(utfall=None)
    sida = klient_for("enhetschef").get(f"/processer/{v.process.nummer}/").content.decode()
    assert f'name="ar" value="{AR - 1}"' in sida


# --- Mapped, revised, published --------------------------------------------------------------


def handelse(**andrat):
    data = {
        "datum": IDAG().isoformat(),
        "typ": "reviderad",
        "dokument": "Rutin för ekonomiskt bistånd",
        "beskrivning": "Nya normbelopp.",
    }
    data.update(andrat)
    return data


HANDELSEFEL = [
    ("tom", dict.fromkeys(handelse(), ""), (KRAVS,)),
    ("datum-framtid", {"datum": "+1"}, (FRAMTID,)),
    ("datum-format", {"datum": "31/12/2025"}, (DATUM,)),
    ("datum-utanfor", {"datum": "3000-01-01"}, (FRAMTID,)),
    ("datum-fore-granserna", {"datum": "1066-10-14"}, (GRANS,)),
    ("typ", {"typ": "raderad"}, (OGILTIG,)),
    ("dokument-lang", {"dokument": "x" * 201}, (hogst(200),)),
    ("beskrivning-lang", {"beskrivning": "x" * 1001}, (hogst(1000),)),
    ("dokument-skript", {"dokument": SKRIPT}, (HTML,)),
]


@pytest.mark.parametrize(
    ("andrat", "texter"), [pytest.param(a, t, id=n) for n, a, t in HANDELSEFEL]
)
def test_handelsen_nekar_felaktiga_uppgifter(v, klient_for, andrat, texter):
    andrat = {k: (imorgon() if x == "+1" else x) for k, x in andrat.items()}
    nekas(klient_for("enhetschef"), url(v, "handelse"), handelse(**andrat), *texter)


def test_handelsen_tas_emot_for_processen_sjalv(v, klient_for):
    tas_emot(
        klient_for("enhetschef"),
        url(v, "handelse"),
        handelse(typ="kartlagd", dokument="", datum="2025-03-01"),
    )
    h = Processhandelse.objects.get()
    assert (h.datum, h.typ, h.dokument, h.registrerad_av) == (
        date(2025, 3, 1),
        "kartlagd",
        "",
        v.personas["enhetschef"],
    )
    assert v.process.timeline.get(typ="andring").text == "Kartlagd 2025-03-01: processen"


# --- Discontinuing -------------------------------------------------------------------------


AVVECKLAFEL = [
    ("tom", {"datum": "", "kommentar": ""}, (KRAVS, "Ange varför processen avvecklas.")),
    ("skal-blanksteg", {"kommentar": "   "}, ("Ange varför processen avvecklas.",)),
    ("skal-lang", {"kommentar": "x" * 501}, (hogst(500),)),
    ("skal-skript", {"kommentar": SKRIPT}, (HTML,)),
    ("datum-framtid", {"datum": "+1"}, (FRAMTID,)),
    (
        "datum-fore-inrattad",
        {"datum": "2023-12-31"},
        ("Processen kan inte avvecklas innan den började gälla.",),
    ),
    ("datum-format", {"datum": "igår"}, (DATUM,)),
]


@pytest.mark.parametrize(
    ("andrat", "texter"), [pytest.param(a, t, id=n) for n, a, t in AVVECKLAFEL]
)
def test_avvecklingen_nekar_felaktiga_uppgifter(v, klient_for, andrat, texter):
    data = {"datum": IDAG().isoformat(), "kommentar": "Ingår i Myndighetsutövning."}
    data.update({k: (imorgon() if x == "+1" else x) for k, x in andrat.items()})
    nekas(klient_for("enhetschef"), url(v, "avveckla"), data, *texter)
    assert Process.objects.get(pk=v.process.pk).status == Status.AKTIV


def test_avvecklingen_tas_emot(v, klient_for):
    tas_emot(
        klient_for("enhetschef"),
        url(v, "avveckla"),
        {"datum": "2025-06-30", "kommentar": "Ingår i Myndighetsutövning."},
    )
    p = Process.objects.get(pk=v.process.pk)
    assert (p.status, p.avvecklad, p.avvecklad_skal) == (
        Status.AVVECKLAD,
        date(2025, 6, 30),
        "Ingår i Myndighetsutövning.",
    )
    # The reason stands on the timeline too, also once the process is in use again.
    assert p.timeline.get(typ="status").text == "Ingår i Myndighetsutövning."
    sida = klient_for("enhetschef").get(p.get_absolute_url()).content.decode()
    assert "Avvecklad 2025-06-30" in sida and "Ingår i Myndighetsutövning." in sida
