"""Every form of the plan side refuses bad input – empty, too long, wrong types, other
units' and closed records, performers off the unit's line, markup, impossible dates and
years, a result before its period, more deviations than checked, findings without a
description, a duplicate control id, a decision before the version it replaces, a
redovisning without a decided plan, changes to a decided plan – with 400 (or the
documented refusal), the exact Swedish message, and no change to the database
(tests.stod.ogonblick). Each form's valid base input is accepted, so each refusal comes
from the one bad value."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from internkontroll.choices import Bedomning, Tillfallestatus
from internkontroll.models import (
    Internkontrollplan,
    Internkontrollredovisning,
    Kontroll,
    Kontrolltillfalle,
)
from kvalitet.models import Beslutsstatus
from riskregister.choices import Status
from tests.internkontroll.hjalp import kontroll, plan, tillfalle
from tests.riskregister.hjalp import risk
from tests.stod import meddelanden, ogonblick

pytestmark = pytest.mark.django_db

IDAG = timezone.localdate

KRAVS = "Detta fält måste fyllas i."
OGILTIG = "Välj ett giltigt alternativ."
HTML = "Texten får inte innehålla HTML-kod som <script> eller andra taggar."
FRAMTID = "Datumet kan inte ligga i framtiden."
SKRIPT = "<script>alert('x')</script>"
SIFFRA = "Ange antalet som en siffra."

# The plan years the form allows, said with the years (today is 2026 in the tests' world).
PLANAR = (
    f"En plan görs för i år ({timezone.localdate().year}) eller nästa år "
    f"({timezone.localdate().year + 1})."
)


def hogst(n):
    return f"har som mest {n} tecken (den har {n + 1})"


def imorgon():
    return (IDAG() + timedelta(days=1)).isoformat()


@pytest.fixture
def v(org, personas):
    """The plan 2026 decided (version 1, meeting 2025-11-20) with SN 1 of Ekonomiskt
    bistånd answering to `v.risk`; its first occasion `v.t` (period 2026-01-01 –
    2026-04-30) waiting; the draft plan 2027 with SN 1; a removed risk."""
    s = SimpleNamespace(org=org, personas=personas)
    s.risk = risk(org["EB"], (date(2025, 1, 10), 3, 4), titel="Fel belopp")
    s.borttagen = risk(
        org["EB"], titel="Nedlagd", status=Status.BORTTAGEN, borttagen=date(2025, 6, 1)
    )
    s.plan = plan(2026, status=Beslutsstatus.FASTSTALLD)
    s.k = kontroll(s.plan, org["EB"], kod="SN 1", risk=s.risk)
    s.t = tillfalle(s.k, 1)
    s.utkast = plan(2027)
    s.uk = kontroll(s.utkast, org["EB"], kod="SN 1")
    return s


def nekas(klient, url, data, *texter, status=400):
    """POST is refused with `status`, every text on the page, and nothing changed."""
    fore = ogonblick()
    svar = klient.post(url, data)
    assert svar.status_code == status, (svar.status_code, svar.headers.get("Location"))
    sida = svar.content.decode()
    for text in texter:
        assert escape(text) in sida, f"{text!r} saknas"
    assert ogonblick() == fore, "ett nekat formulär ändrade databasen"
    return sida


def tas_emot(klient, url, data):
    svar = klient.post(url, data)
    assert svar.status_code == 302, svar.content.decode()[:3000]
    return svar


# --- A new plan ----------------------------------------------------------------------------

NYPLAN = reverse("internkontroll:plan_ny")


def _nasta():
    return IDAG().year + 1


NYPLANFEL = [
    ("tom", {}, ("Ange vilket år det gäller.", "Välj vad planen ska utgå från.")),
    ("ar-text", {"ar": "tjugo"}, ("Ange året med fyra siffror, t.ex. 2027.",)),
    ("ar-decimal", {"ar": "2026.5"}, ("Ange året med fyra siffror, t.ex. 2027.",)),
    ("ar-1999", {"ar": 1999}, ("Året kan inte vara tidigare än 2000.",)),
    ("ar-om-tva-ar", {"ar": "+2"}, (PLANAR,)),
    ("ar-9999", {"ar": 9999}, (PLANAR,)),
    ("fran-okand", {"fran": "allt"}, (OGILTIG,)),
    ("utkast-finns", {"ar": 2027}, ("Det finns redan ett utkast för 2027.",)),
    (
        "ingen-forra",
        {"ar": 2025, "fran": "forra"},
        ("Det finns ingen fastställd plan från ett tidigare år.",),
    ),
]


@pytest.mark.parametrize(("andrat", "texter"), [pytest.param(a, t, id=n) for n, a, t in NYPLANFEL])
def test_ny_plan_nekar(v, klient_for, andrat, texter):
    data = {"ar": 2026, "fran": "tom", **andrat} if andrat else {}
    if data.get("ar") == "+2":
        data["ar"] = IDAG().year + 2
    nekas(klient_for("kvalitetssamordnare"), NYPLAN, data, *texter)


def test_ny_plan_tas_emot(v, klient_for):
    """From the latest decided plan of an earlier year: 2026's control copied into 2027."""
    Kontroll.objects.filter(plan=v.utkast).delete()
    v.utkast.delete()
    tas_emot(klient_for("kvalitetssamordnare"), NYPLAN, {"ar": 2027, "fran": "forra"})
    ny = Internkontrollplan.objects.get(ar=2027)
    assert (ny.version, ny.status) == (1, Beslutsstatus.UTKAST)
    assert list(ny.kontroller.values_list("kod", "risk", "utforare_enhet")) == [
        ("SN 1", v.risk.pk, v.org["EB"].pk)
    ]


# --- A row of the plan ---------------------------------------------------------------------


def _rad(v, prefix="ny", **andrat):
    falt = {
        "kod": "SN 2",
        "central": "",
        "process": "Delegationer",
        "risk": "",
        "kontrollmoment": "Att beslut fattas av rätt delegat",
        "metod": "stickprov",
        "omfattning": "10 beslut",
        "periodicitet": "halvarsvis",
        "utforare_enhet": v.org["EB"].pk,
        "utforare": "",
        "uppfoljare": "",
        "rapporteras_till": "",
        "rapporteras_nar": "",
        "ordning": 2,
    }
    falt.update(andrat)
    return {f"{prefix}-{k}": x for k, x in falt.items()}


KONTROLLFEL = [
    ("tom", None, (KRAVS,)),
    ("kod-tom", {"kod": "   "}, (KRAVS,)),
    ("kod-lang", {"kod": "x" * 21}, (hogst(20),)),
    ("process-lang", {"process": "x" * 201}, (hogst(200),)),
    ("kontrollmoment-lang", {"kontrollmoment": "x" * 2001}, (hogst(2000),)),
    ("omfattning-lang", {"omfattning": "x" * 501}, (hogst(500),)),
    ("uppfoljare-lang", {"uppfoljare": "x" * 201}, (hogst(200),)),
    ("kod-skript", {"kod": "<b>1</b>"}, (HTML,)),
    ("kontrollmoment-skript", {"kontrollmoment": f"Se {SKRIPT}"}, (HTML,)),
    ("metod", {"metod": "gissning"}, (OGILTIG,)),
    ("periodicitet", {"periodicitet": "dagligen"}, (OGILTIG,)),
    ("enhet-text", {"utforare_enhet": "EB"}, (OGILTIG,)),
    ("enhet-saknas", {"utforare_enhet": 999999}, (OGILTIG,)),
    ("risk-borttagen", {"risk": "borttagen"}, (OGILTIG,)),
    ("risk-text", {"risk": "RISK-2025-0001"}, (OGILTIG,)),
    # The nämnd's member is no staff: not a choice of performer.
    ("utforare-namnd", {"utforare": "namnd"}, (OGILTIG,)),
    (
        "utforare-annan-linje",
        {"utforare": "medarbetare_annan"},
        (
            "{medarbetare_annan} arbetar inte på Ekonomiskt bistånd eller en enhet ovanför eller "
            "under den.",
        ),
    ),  # fmt: skip
    ("ordning-text", {"ordning": "först"}, ("Fyll i ett heltal.",)),
    ("ordning-negativ", {"ordning": -1}, ("större än eller lika med 0",)),
    ("kod-dubblett", {"kod": "SN 1"}, ("Planen har redan en kontroll med id SN 1.",)),
    ("kod-dubblett-skrivsatt", {"kod": " sn   1 "}, ("Planen har redan en kontroll med id SN 1.",)),
]


def _namn(v, texter):
    """The performer's full name in a message ("Medarbetare Annan Pettersson")."""
    return [t.format(medarbetare_annan=v.personas["medarbetare_annan"]) for t in texter]


def _val(v, andrat):
    andrat = dict(andrat)
    if andrat.get("risk") == "borttagen":
        andrat["risk"] = v.borttagen.pk
    if andrat.get("utforare") in v.personas:
        andrat["utforare"] = v.personas[andrat["utforare"]].pk
    return andrat


@pytest.mark.parametrize(
    ("andrat", "texter"), [pytest.param(a, t, id=n) for n, a, t in KONTROLLFEL]
)
def test_ny_kontroll_nekar(v, klient_for, andrat, texter):
    url = reverse("internkontroll:kontroll_ny", args=[v.utkast.pk])
    data = {} if andrat is None else _rad(v, **_val(v, andrat))
    nekas(klient_for("kvalitetssamordnare"), url, data, *_namn(v, texter))


@pytest.mark.parametrize(
    ("andrat", "texter"),
    [pytest.param(a, t, id=n) for n, a, t in KONTROLLFEL if n not in ("tom", "kod-dubblett")],
)
def test_andrad_kontroll_nekar(v, klient_for, andrat, texter):
    """The same rules when a row is changed (its own id is no duplicate; another row's
    is)."""
    kontroll(v.utkast, v.org["EB"], kod="SN 3")
    andrat = dict(andrat)
    if andrat.get("kod") == " sn   1 ":
        andrat["kod"] = "sn 3"
        texter = ("Planen har redan en kontroll med id SN 3.",)
    url = reverse("internkontroll:kontroll", args=[v.utkast.pk, v.uk.pk])
    nekas(
        klient_for("kvalitetssamordnare"),
        url,
        _rad(v, f"k{v.uk.pk}", **_val(v, andrat)),
        *_namn(v, texter),
    )


def test_kontroll_tas_emot(v, klient_for):
    """The base input is accepted; a performer on the unit's line (a team below it) and
    the row's own id are fine; the id is stored in upper case, spaces collapsed."""
    from tests.factories import UppdragFactory, UserFactory

    kollega = UserFactory(username="kollega", first_name="Kollega")
    UppdragFactory(anvandare=kollega, roll="medarbetare", enhet=v.org["TEAM"])
    klient = klient_for("kvalitetssamordnare")
    tas_emot(
        klient,
        reverse("internkontroll:kontroll_ny", args=[v.utkast.pk]),
        _rad(v, kod=" sn  2 ", utforare=kollega.pk, risk=v.risk.pk),
    )
    ny = Kontroll.objects.get(plan=v.utkast, kod="SN 2")
    assert (ny.utforare, ny.risk, ny.periodicitet) == (kollega, v.risk, "halvarsvis")
    tas_emot(
        klient,
        reverse("internkontroll:kontroll", args=[v.utkast.pk, v.uk.pk]),
        _rad(v, f"k{v.uk.pk}", kod="SN 1", process="Utbetalningar"),
    )
    assert Kontroll.objects.get(pk=v.uk.pk).process == "Utbetalningar"


@pytest.mark.parametrize("vad", ["kontroll_ny", "kontroll", "kontroll_ta_bort"])
def test_faststalld_plans_rader_andras_inte(v, klient_for, vad):
    """A decided plan's rows are locked: back to the plan with the message, nothing
    changed."""
    args = [v.plan.pk] if vad == "kontroll_ny" else [v.plan.pk, v.k.pk]
    prefix = "ny" if vad == "kontroll_ny" else f"k{v.k.pk}"
    fore = ogonblick()
    svar = klient_for("kvalitetssamordnare").post(
        reverse(f"internkontroll:{vad}", args=args), _rad(v, prefix, kod="SN 9")
    )
    assert svar.status_code == 302
    assert svar.headers["Location"] == v.plan.get_absolute_url()
    assert meddelanden(svar) == ["En fastställd plan kan inte ändras; öppna en ny version."]
    assert ogonblick() == fore


def test_annan_plans_kontroll_ar_404(v, klient_for):
    """A row is addressed through its own plan: another plan's row is not found."""
    fore = ogonblick()
    klient = klient_for("kvalitetssamordnare")
    url = reverse("internkontroll:kontroll", args=[v.utkast.pk, v.k.pk])
    assert klient.post(url, _rad(v, f"k{v.k.pk}", kod="SN 1")).status_code == 404
    url = reverse("internkontroll:kontroll_ta_bort", args=[v.utkast.pk, v.k.pk])
    assert klient.post(url, {}).status_code == 404
    assert ogonblick() == fore


# --- An occasion's result ------------------------------------------------------------------


def _resultat(**andrat):
    data = {
        "kontrollerad": "2026-04-20",
        "vad": "20 slumpvis valda utbetalningar",
        "antal": 20,
        "avvikelser": 1,
        "bedomning": "mindre_brister",
        "kommentar": "En utbetalning saknade beslut.",
    }
    data.update(andrat)
    return data


RESULTATFEL = [
    (
        "tom",
        None,
        ("Ange när kontrollen gjordes.", "Beskriv vad som kontrollerades.", "Välj en bedömning."),
    ),  # fmt: skip
    ("datum-framtid", {"kontrollerad": "+1"}, (FRAMTID,)),
    (
        "datum-fore-perioden",
        {"kontrollerad": "2025-12-31"},
        ("Perioden börjar 2026-01-01; kontrollen kan inte vara tidigare.",),
    ),
    ("datum-format", {"kontrollerad": "i april"}, ("Fyll i ett giltigt datum.",)),
    ("vad-tom", {"vad": "  "}, ("Beskriv vad som kontrollerades.",)),
    ("vad-lang", {"vad": "x" * 5001}, (hogst(5000),)),
    ("vad-skript", {"vad": SKRIPT}, (HTML,)),
    ("kommentar-lang", {"kommentar": "x" * 10_001}, (hogst(10_000),)),
    ("kommentar-skript", {"kommentar": "<i>fel</i>"}, (HTML,)),
    ("antal-text", {"antal": "tjugo"}, (SIFFRA,)),
    ("antal-negativ", {"antal": -1}, ("större än eller lika med 0",)),
    ("avvikelser-text", {"avvikelser": "en"}, (SIFFRA,)),
    ("avvikelser-fler", {"avvikelser": 21}, ("Fler avvikelser än kontrollerade: ange högst 20.",)),
    ("bedomning", {"bedomning": "gul"}, (OGILTIG,)),
    (
        "brister-utan-beskrivning",
        {"kommentar": "  "},
        ("Beskriv bristerna: vad som inte var som det skulle.",),
    ),
    (
        "vasentliga-utan-beskrivning",
        {"bedomning": "vasentliga_brister", "kommentar": ""},
        ("Beskriv bristerna: vad som inte var som det skulle.",),
    ),
]


def _resultatdata(andrat):
    if andrat is None:
        return {}
    andrat = dict(andrat)
    if andrat.get("kontrollerad") == "+1":
        andrat["kontrollerad"] = imorgon()
    return _resultat(**andrat)


@pytest.mark.parametrize(
    ("andrat", "texter"), [pytest.param(a, t, id=n) for n, a, t in RESULTATFEL]
)
def test_resultatet_nekar(v, klient_for, andrat, texter):
    url = reverse("internkontroll:registrera", args=[v.t.nummer])
    nekas(klient_for("enhetschef"), url, _resultatdata(andrat), *texter)


@pytest.mark.parametrize(
    ("andrat", "texter"), [pytest.param(a, t, id=n) for n, a, t in RESULTATFEL]
)
def test_andrat_resultat_nekar(v, klient_for, andrat, texter):
    Kontrolltillfalle.objects.filter(pk=v.t.pk).update(
        status=Tillfallestatus.KLAR,
        kontrollerad=date(2026, 4, 20),
        vad="20 utbetalningar",
        antal=20,
        avvikelser=0,
        bedomning=Bedomning.UTAN_ANMARKNING,
    )
    url = reverse("internkontroll:andra", args=[v.t.nummer])
    nekas(klient_for("enhetschef"), url, _resultatdata(andrat), *texter)


def test_resultatet_tas_emot(v, klient_for):
    """The base input; without remark no description is needed; the period's first day
    is allowed."""
    tas_emot(
        klient_for("enhetschef"),
        reverse("internkontroll:registrera", args=[v.t.nummer]),
        _resultat(
            kontrollerad="2026-01-01", bedomning="utan_anmarkning", kommentar="", avvikelser=0
        ),
    )
    t = Kontrolltillfalle.objects.get(pk=v.t.pk)
    assert (t.status, t.kontrollerad, t.bedomning, t.antal, t.avvikelser) == (
        Tillfallestatus.KLAR,
        date(2026, 1, 1),
        Bedomning.UTAN_ANMARKNING,
        20,
        0,
    )


# --- A new assessment of the risk ------------------------------------------------------------


def _registrerat(v):
    Kontrolltillfalle.objects.filter(pk=v.t.pk).update(
        status=Tillfallestatus.KLAR,
        kontrollerad=date(2026, 4, 20),
        vad="20 utbetalningar",
        antal=20,
        avvikelser=2,
        bedomning=Bedomning.MINDRE_BRISTER,
        kommentar="Två beslut saknades.",
    )


RISKFEL = [
    ("tom", {}, ("Välj sannolikhet.", "Välj konsekvens.", "Skriv varför risken bedöms på nytt.")),
    ("sannolikhet-5", {"sannolikhet": 5}, ("Välj ett steg på skalan.",)),
    ("konsekvens-text", {"konsekvens": "hög"}, ("Välj ett steg på skalan.",)),
    ("kommentar-lang", {"kommentar": "x" * 801}, (hogst(800),)),
    ("kommentar-skript", {"kommentar": SKRIPT}, (HTML,)),
]


@pytest.mark.parametrize(("andrat", "texter"), [pytest.param(a, t, id=n) for n, a, t in RISKFEL])
def test_riskbedomningen_nekar(v, klient_for, andrat, texter):
    _registrerat(v)
    data = {"sannolikhet": 2, "konsekvens": 4, "kommentar": "Fler fel.", **andrat} if andrat else {}
    url = reverse("internkontroll:bedom_risk", args=[v.t.nummer])
    nekas(klient_for("enhetschef"), url, data, *texter)


def test_riskbedomning_utan_risk_nekas(v, klient_for):
    """A control without a risk: there is nothing to re-assess (403)."""
    utan = tillfalle(kontroll(v.plan, v.org["EB"], kod="SN 5"), status=Tillfallestatus.KLAR)
    url = reverse("internkontroll:bedom_risk", args=[utan.nummer])
    nekas(
        klient_for("enhetschef"),
        url,
        {"sannolikhet": 2, "konsekvens": 4, "kommentar": "x"},
        "Du har inte behörighet att bedöma risken.",
        status=403,
    )


def test_riskbedomning_fore_resultatet_nekas(v, klient_for):
    """What follows from a result needs a result: the page offers nothing before it, and
    a POST is refused, nothing changed."""
    url = reverse("internkontroll:bedom_risk", args=[v.t.nummer])
    fore = ogonblick()
    svar = klient_for("enhetschef").post(
        url, {"sannolikhet": 1, "konsekvens": 1, "kommentar": "Inget fel."}
    )
    assert svar.status_code in (400, 403)
    assert ogonblick() == fore


# --- The summary, a new version, the redovisning ----------------------------------------------


@pytest.mark.parametrize(
    ("text", "fel"), [("x" * 20_001, hogst(20_000)), (f"Se {SKRIPT}", HTML)], ids=["lang", "skript"]
)
def test_sammanfattningen_nekar(v, klient_for, text, fel):
    url = reverse("internkontroll:plan_skriv_sammanfattning", args=[v.utkast.pk])
    nekas(klient_for("kvalitetssamordnare"), url, {"sammanfattning": text}, fel)
    Internkontrollredovisning.skapa(ar=2026, av=v.personas["kvalitetssamordnare"])
    red = Internkontrollredovisning.objects.get(ar=2026)
    url = reverse("internkontroll:redovisning_skriv_sammanfattning", args=[red.pk])
    nekas(klient_for("kvalitetssamordnare"), url, {"sammanfattning": text}, fel)


NYVERSIONFEL = [
    ("tom", {}, ("Ange varför planen öppnas igen.",)),
    ("blank", {"kommentar": "   "}, ("Ange varför planen öppnas igen.",)),
    ("lang", {"kommentar": "x" * 501}, (hogst(500),)),
    ("skript", {"kommentar": SKRIPT}, (HTML,)),
]


@pytest.mark.parametrize(("data", "texter"), [pytest.param(a, t, id=n) for n, a, t in NYVERSIONFEL])
def test_ny_version_nekar(v, klient_for, data, texter):
    url = reverse("internkontroll:plan_ny_version", args=[v.plan.pk])
    nekas(klient_for("kvalitetssamordnare"), url, data, *texter)


def test_ny_version_nekas_nar_utkast_finns(v, klient_for):
    plan(2026, version=2)
    url = reverse("internkontroll:plan_ny_version", args=[v.plan.pk])
    nekas(
        klient_for("kvalitetssamordnare"),
        url,
        {"kommentar": "En ny kontroll."},
        "Det finns redan ett utkast för 2026.",
    )


def test_ny_version_av_ett_utkast_nekas_med_skalet(v, klient_for):
    """Only a decided plan is opened again: back to the draft with the reason, nothing
    created."""
    url = reverse("internkontroll:plan_ny_version", args=[v.utkast.pk])
    fore = ogonblick()
    svar = klient_for("kvalitetssamordnare").post(url, {"kommentar": "En ny kontroll."})
    assert svar.status_code == 302
    assert svar.headers["Location"] == v.utkast.get_absolute_url()
    assert meddelanden(svar) == ["Bara en fastställd plan kan öppnas igen."]
    assert ogonblick() == fore


REDFEL = [
    ("tom", {}, ("Ange vilket år det gäller.",)),
    ("ar-text", {"ar": "i fjol"}, ("Ange året med fyra siffror, t.ex. 2027.",)),
    ("ar-1999", {"ar": 1999}, ("Året kan inte vara tidigare än 2000.",)),
    ("ar-nasta", {"ar": "+1"}, ("Året har inte börjat ännu.",)),
    (
        "utan-plan",
        {"ar": 2025},
        ("Det finns ingen fastställd internkontrollplan för 2025 att redovisa.",),
    ),
    # The draft plan 2027 is not decided either (and 2027 has not begun).
    ("utkast-plan", {"ar": 2027}, ("Året har inte börjat ännu.",)),
]


@pytest.mark.parametrize(("data", "texter"), [pytest.param(a, t, id=n) for n, a, t in REDFEL])
def test_ny_redovisning_nekar(v, klient_for, data, texter):
    data = dict(data)
    if data.get("ar") == "+1":
        data["ar"] = IDAG().year + 1
    nekas(
        klient_for("kvalitetssamordnare"),
        reverse("internkontroll:redovisning_ny"),
        data,
        *texter,
    )


def test_redovisning_for_ar_med_bara_ett_utkast_nekas(v, klient_for):
    """The plan 2025 is only a draft: no redovisning of 2025; with a draft redovisning
    of 2026, no second one."""
    plan(2025)
    klient = klient_for("kvalitetssamordnare")
    url = reverse("internkontroll:redovisning_ny")
    nekas(
        klient,
        url,
        {"ar": 2025},
        "Det finns ingen fastställd internkontrollplan för 2025 att redovisa.",
    )
    tas_emot(klient, url, {"ar": 2026})
    nekas(klient, url, {"ar": 2026}, "Det finns redan ett utkast för 2026.")


def test_ny_version_av_fastställd_redovisning_kraver_skal(v, klient_for):
    """A redovisning already decided is not versioned in one click (it was, in December,
    on the year the form offered): the reason is asked for and kept in the timeline;
    and the form offers a year with a decided plan and no redovisning, or none."""
    from internkontroll.forms import NyRedovisningForm
    from tests.rapporter.conftest import klocka, lokal

    with klocka(lokal(2027, 2, 1, 9, 0)):
        # 2026's plan is decided and not yet accounted for; 2027's is a draft.
        assert NyRedovisningForm.foreslaget_ar() == 2026
        Internkontrollredovisning.objects.create(
            ar=2026,
            status=Beslutsstatus.FASTSTALLD,
            sammantradesdatum=date(2027, 1, 20),
            paragraf="7",
            diarienummer="SN 2027/1",
            innehall={"ar": 2026, "kontroller": []},
        )
        assert NyRedovisningForm.foreslaget_ar() is None
    klient = klient_for("kvalitetssamordnare")
    url = reverse("internkontroll:redovisning_ny")
    nekas(
        klient,
        url,
        {"ar": 2026},
        "Redovisningen för 2026 är redan fastställd (version 1). Ange varför en ny version behövs.",
    )
    tas_emot(klient, url, {"ar": 2026, "kommentar": "Ett resultat var fel registrerat."})
    ny = Internkontrollredovisning.objects.get(ar=2026, version=2)
    assert ny.timeline.filter(
        text="Ny version av version 1: Ett resultat var fel registrerat."
    ).exists()


# --- The nämnd's decision ----------------------------------------------------------------------


def _beslut(**andrat):
    data = {"sammantradesdatum": "2026-11-19", "paragraf": "§ 12", "diarienummer": "SN 2026/40"}
    data.update(andrat)
    return data


BESLUTFEL = [
    (
        "tom",
        None,
        ("Ange datumet för nämndens sammanträde.", "Ange paragrafen (§) i nämndens protokoll.",
         "Ange diarienumret."),
    ),  # fmt: skip
    ("datum-framtid", {"sammantradesdatum": "+1"}, (FRAMTID,)),
    ("datum-format", {"sammantradesdatum": "19/11"}, ("Ange ett datum, t.ex. 2026-02-19.",)),
    # The plan 2027 can be decided from 2026 on.
    ("datum-for-tidigt", {"sammantradesdatum": "2025-12-31"},
     ("Sammanträdet kan inte ligga före 2026.",)),
    ("paragraf-skript", {"paragraf": SKRIPT}, (HTML,)),
    ("diarienummer-skript", {"diarienummer": "<b>SN</b>"}, (HTML,)),
]  # fmt: skip


@pytest.mark.parametrize(("andrat", "texter"), [pytest.param(a, t, id=n) for n, a, t in BESLUTFEL])
@pytest.mark.parametrize("bekraftad", [False, True], ids=["", "bekraftad"])
def test_beslutet_nekar(v, klient_for, andrat, texter, bekraftad):
    data = {}
    if andrat is not None:
        andrat = dict(andrat)
        if andrat.get("sammantradesdatum") == "+1":
            andrat["sammantradesdatum"] = imorgon()
        data = _beslut(**andrat)
    if bekraftad:
        data["bekraftad"] = "ja"
    url = reverse("internkontroll:plan_faststall", args=[v.utkast.pk])
    nekas(klient_for("kvalitetssamordnare"), url, data, *texter)


def test_beslut_fore_forra_versionens_nekas(v, klient_for):
    """Version 2 of 2026 cannot be decided before version 1 was (2025-11-20)."""
    v2 = plan(2026, version=2)
    kontroll(v2, v.org["EB"], kod="SN 1")
    url = reverse("internkontroll:plan_faststall", args=[v2.pk])
    nekas(
        klient_for("kvalitetssamordnare"),
        url,
        _beslut(sammantradesdatum="2025-11-19", bekraftad="ja"),
        "Version 1 fastställdes 2025-11-20; ett senare beslut kan inte ligga före.",
    )
    # The same day is allowed.
    tas_emot(
        klient_for("kvalitetssamordnare"),
        url,
        _beslut(sammantradesdatum="2025-11-20", bekraftad="ja"),
    )
    assert Internkontrollplan.objects.get(pk=v2.pk).status == Beslutsstatus.FASTSTALLD


def test_plan_utan_kontroller_eller_med_ofullstandig_kontroll_beslutas_inte(v, klient_for):
    """Before the confirmation: what is missing, on the page (400); nothing decided."""
    klient = klient_for("kvalitetssamordnare")
    url = reverse("internkontroll:plan_faststall", args=[v.utkast.pk])
    Kontroll.objects.filter(pk=v.uk.pk).delete()
    nekas(klient, url, _beslut(), "Lägg till minst en kontroll.")
    Kontroll.objects.create(plan=v.utkast, kod="SN 2", process="Delegationer")
    kontroll(v.utkast, v.org["EB"], kod="SN 3")
    nekas(
        klient,
        url,
        _beslut(),
        "Fyll i kontrollmoment, metod, periodicitet och utförare för: SN 2.",
    )
    assert Internkontrollplan.objects.get(pk=v.utkast.pk).status == Beslutsstatus.UTKAST


# --- The occasions' list filter ------------------------------------------------------------

FILTERFEL = [
    ("ar=1999", "År: Kontrollera att detta värde är större än eller lika med 2000."),
    ("ar=2101", "År: Kontrollera att detta värde är mindre än eller lika med 2100."),
    ("ar=tjugo", "År: Fyll i ett tal."),
    ("status=klar2", "Status: Välj ett giltigt alternativ. klar2 finns inte bland tillgängliga "
     "alternativ."),
    ("bedomning=gul", "Bedömning: Välj ett giltigt alternativ. gul finns inte bland "
     "tillgängliga alternativ."),
]  # fmt: skip


@pytest.mark.parametrize(("fraga", "fel"), FILTERFEL, ids=[f for f, _ in FILTERFEL])
def test_exporten_nekar_ogiltigt_filter(v, klient_for, fraga, fel):
    """An invalid filter gives no file of headings: 400 with the error; the list shows
    no occasion."""
    klient = klient_for("kvalitetssamordnare")
    svar = klient.get(f"/internkontroll/export.csv?{fraga}")
    assert svar.status_code == 400
    assert svar.content.decode().splitlines() == [
        "Exporten gjordes inte eftersom filtret innehåller fel:",
        f"- {fel}",
        "Rätta filtret i listan och exportera igen.",
    ]
    sida = klient.get(f"/internkontroll/?{fraga}").content.decode()
    assert v.t.nummer not in sida


def test_annan_enhet_i_filtret_nekas_chefen(v, klient_for):
    """The unit filter offers the chef's own units only: Kollektivet HVB is no choice."""
    svar = klient_for("enhetschef").get(f"/internkontroll/export.csv?enhet={v.org['KOLL'].pk}")
    assert svar.status_code == 400
    assert (
        "- Enhet (med underenheter): Välj ett giltigt alternativ. Det valet finns inte bland "
        "tillgängliga alternativ." in svar.content.decode().splitlines()
    )


def test_ny_plan_fran_riskregistret(org, personas, klient_for):
    """One control per risk of the decided register in force from the nämnd's level up
    (RISK_NAMND_FRAN), the highest first, its process the risk's title and its unit the
    risk's; a risk low in the decided version is left out even if assessed higher since.
    Without a decided register: refused with the reason, nothing created."""
    from riskregister.models import Bedomning as Riskbedomning
    from riskregister.skala import skala
    from tests.riskregister.hjalp import beslutad_version

    klient = klient_for("kvalitetssamordnare")
    grans = skala().namnd_fran
    hog = risk(org["EB"], (date(2025, 1, 10), 4, 4), titel="Fel belopp")
    lagom = risk(org["BUV"], (date(2025, 1, 10), 3, 4), titel="Sen utredning")
    lag = risk(org["KOLL"], (date(2025, 1, 10), 1, 1), titel="Liten risk")
    assert hog.riskvarde > lagom.riskvarde >= grans > lag.riskvarde
    nekas(
        klient,
        NYPLAN,
        {"ar": 2026, "fran": "register"},
        "Det finns inget fastställt riskregister att utgå från. Välj förra årets plan eller "
        "en tom plan.",
    )
    beslutad_version(1, date(2025, 11, 20), av=personas["kvalitetssamordnare"])
    Riskbedomning.objects.create(risk=lag, datum=date(2025, 12, 1), sannolikhet=4, konsekvens=4)
    tas_emot(klient, NYPLAN, {"ar": 2026, "fran": "register"})
    p = Internkontrollplan.objects.get(ar=2026)
    assert list(
        p.kontroller.order_by("ordning").values_list(
            "kod", "ordning", "process", "risk", "utforare_enhet"
        )
    ) == [
        ("SN 1", 1, "Fel belopp", hog.pk, org["EB"].pk),
        ("SN 2", 2, "Sen utredning", lagom.pk, org["BUV"].pk),
    ]
    assert p.timeline.get().text == "Utgår från det fastställda riskregistret: 2 risker."


def test_resultat_fore_andra_periodens_borjan_nekas(v, klient_for):
    """The second tertial starts 2026-05-01: a check on 2026-04-30 belongs to the first."""
    t2 = tillfalle(v.k, 2, forfaller=date(2026, 8, 31))
    Kontrolltillfalle.objects.filter(pk=t2.pk).update(period_fran=date(2026, 5, 1))
    url = reverse("internkontroll:registrera", args=[t2.nummer])
    nekas(
        klient_for("enhetschef"),
        url,
        _resultat(kontrollerad="2026-04-30"),
        "Perioden börjar 2026-05-01; kontrollen kan inte vara tidigare.",
    )
    tas_emot(klient_for("enhetschef"), url, _resultat(kontrollerad="2026-05-01"))


REDBESLUTFEL = [
    (
        "tom",
        {},
        ("Ange datumet för nämndens sammanträde.", "Ange paragrafen (§) i nämndens protokoll.",
         "Ange diarienumret."),
    ),  # fmt: skip
    ("datum-framtid", {"sammantradesdatum": "+1"}, (FRAMTID,)),
    # The redovisning 2026 can be decided from 2025 on.
    ("datum-for-tidigt", {"sammantradesdatum": "2024-12-31"},
     ("Sammanträdet kan inte ligga före 2025.",)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("andrat", "texter"), [pytest.param(a, t, id=n) for n, a, t in REDBESLUTFEL]
)
def test_redovisningens_beslut_nekar(v, klient_for, andrat, texter):
    red = Internkontrollredovisning.skapa(ar=2026, av=v.personas["kvalitetssamordnare"])
    data = {}
    if andrat:
        data = _beslut(**andrat, bekraftad="ja")
        if data["sammantradesdatum"] == "+1":
            data["sammantradesdatum"] = imorgon()
    url = reverse("internkontroll:redovisning_faststall", args=[red.pk])
    nekas(klient_for("kvalitetssamordnare"), url, data, *texter)
