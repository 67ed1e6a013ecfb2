"""The chapter "Egenkontroll och internkontroll" of the kvalitetsberättelse, counted by hand
from the written definitions (docs/siffror.md "Egenkontroll och internkontroll",
internkontroll/redovisning.py).

The year is 2025, cut off 31 January 2026 (the cut-off day, up to which results, actions
and decisions count). The plans, occasions, actions, redovisningar, egenkontroller and
reviewed files are written out in the fixtures' tables; every expected figure below is
counted from those tables, never from the code.
"""

import json
import re
from datetime import date, datetime

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from internkontroll.choices import Bedomning, Egenkontrolltyp, Initiativ, Tillfallestatus
from internkontroll.models import (
    Checklista,
    Checklisteversion,
    Egenkontroll,
    Internkontrollredovisning,
)
from kvalitet.models import Beslutsstatus
from rapporter import siffror
from rapporter.kapitel import KAPITEL
from tests.factories import AtgardFactory, AvvikelseFactory
from tests.internkontroll.hjalp import egenkontroll, granska, kontroll, plan, tillfalle

pytestmark = pytest.mark.django_db

AR = 2025
BRYT = date(2026, 1, 31)
HEMLIG = "HEMLIGT-IK-7"

KLAR = Tillfallestatus.KLAR
UTAN = Bedomning.UTAN_ANMARKNING
MINDRE = Bedomning.MINDRE_BRISTER
VASENTLIGA = Bedomning.VASENTLIGA_BRISTER


def lokal(*args):
    return timezone.make_aware(datetime(*args))


def text_av(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def kapitel(s, ar=AR):
    return render_to_string("rapporter/kapitel/egenkontroll.html", {"s": s, "ar": ar})


def beslutad(p, dag, paragraf, dnr):
    type(p).objects.filter(pk=p.pk).update(
        sammantradesdatum=dag, paragraf=paragraf, diarienummer=dnr
    )


def klar(k, nr, forfaller, kontrollerad, bedomning):
    return tillfalle(
        k,
        nr,
        status=KLAR,
        forfaller=forfaller,
        kontrollerad=kontrollerad,
        bedomning=bedomning,
        kommentar="" if bedomning == UTAN else f"Brist: {HEMLIG}",
    )


@pytest.fixture
def plan2025(org, personas):
    """The plans of 2025 and around it:

    plan   version status      decided                  controls
    P1     2025 v1 ersatt      2024-11-20               CENT 1, SN 1, SN 2, SN 3 (same ids)
    P2     2025 v2 fastställd  2025-03-20 § 22 SN 2025/14  CENT 1 (central), SN 1–3
    P3     2025 v3 utkast      –                        SN 1, SN 9
    P2026  2026 v1 fastställd  2025-11-20               SN 1

    Occasions of P2's controls (due = forfaller; result dated = kontrollerad):

    occ  control  due         status  result dated  assessment   at the cut-off
    T1   CENT 1   2025-06-30  klar    2025-06-20    utan anm.    done
    T2   CENT 1   2025-12-31  klar    2026-01-31    mindre       done (on the cut-off day)
    T3   SN 1     2025-04-30  klar    2025-04-20    väsentliga   done
    T4   SN 1     2025-08-31  klar    2025-08-25    utan anm.    done
    T5   SN 1     2025-12-31  väntar  –             –            overdue
    T6   SN 2     2025-04-30  klar    2026-02-01    väsentliga   overdue (result after)
    T7   SN 2     2026-01-31  väntar  –             –            overdue (due on the day)
    T8   SN 2     2026-02-01  väntar  –             –            not yet due (day after)
    T9   SN 3     2026-03-31  klar    2025-12-15    mindre       done (early)

    T10 is left on the replaced P1's SN 1: klar 2025-05-01, väsentliga – never counted.
    P3's and P2026's controls have occasions that are not 2025's plan's either.

    Improvement actions (created, in Swedish local time; status at the cut-off):
    A1 on T3  2025-05-01, genomförd 2025-09-01              → Genomförd
    A2 on T2  2026-01-20, planerad                          → Planerad
    A3 on T3  2026-02-10 (after the cut-off)                → not counted
    A4 on T6  2025-06-01, genomförd 2026-03-01 (after)      → Pågår
    A5 on T10 2025-05-05 (the replaced version's occasion)  → not counted
    A6 on an avvikelse 2025-05-01                           → not counted
    """
    eb, buv = org["EB"], org["BUV"]
    p1 = plan(AR, status=Beslutsstatus.ERSATT, version=1, dag=date(2024, 11, 20))
    p2 = plan(AR, status=Beslutsstatus.FASTSTALLD, version=2)
    beslutad(p2, date(2025, 3, 20), "§ 22", "SN 2025/14")
    p3 = plan(AR, status=Beslutsstatus.UTKAST, version=3)
    p2026 = plan(2026, status=Beslutsstatus.FASTSTALLD, version=1, dag=date(2025, 11, 20))

    def kontrollerna(p):
        return {
            "CENT 1": kontroll(p, eb, kod="CENT 1", central=True, process="Löner",
                               kontrollmoment="Att rätt lön betalas ut",
                               periodicitet="halvarsvis"),
            "SN 1": kontroll(p, eb, kod="SN 1", process="Ekonomiskt bistånd",
                             kontrollmoment="Att rätt belopp betalas ut"),
            "SN 2": kontroll(p, buv, kod="SN 2", process="Placeringar",
                             kontrollmoment="Att genomförandeplan finns"),
            "SN 3": kontroll(p, eb, kod="SN 3", process="Avgifter",
                             kontrollmoment="Att avgiften är rätt beräknad"),
        }  # fmt: skip

    gamla = kontrollerna(p1)
    k = kontrollerna(p2)
    t = {
        1: klar(k["CENT 1"], 1, date(2025, 6, 30), date(2025, 6, 20), UTAN),
        2: klar(k["CENT 1"], 2, date(2025, 12, 31), date(2026, 1, 31), MINDRE),
        3: klar(k["SN 1"], 1, date(2025, 4, 30), date(2025, 4, 20), VASENTLIGA),
        4: klar(k["SN 1"], 2, date(2025, 8, 31), date(2025, 8, 25), UTAN),
        5: tillfalle(k["SN 1"], 3, forfaller=date(2025, 12, 31)),
        6: klar(k["SN 2"], 1, date(2025, 4, 30), date(2026, 2, 1), VASENTLIGA),
        7: tillfalle(k["SN 2"], 2, forfaller=date(2026, 1, 31)),
        8: tillfalle(k["SN 2"], 3, forfaller=date(2026, 2, 1)),
        9: klar(k["SN 3"], 1, date(2026, 3, 31), date(2025, 12, 15), MINDRE),
        10: klar(gamla["SN 1"], 1, date(2025, 4, 30), date(2025, 5, 1), VASENTLIGA),
    }
    klar(kontroll(p3, eb, kod="SN 9"), 1, date(2025, 4, 30), date(2025, 4, 2), VASENTLIGA)
    klar(kontroll(p2026, eb, kod="SN 1"), 1, date(2026, 1, 31), date(2026, 1, 2), MINDRE)

    av = personas["kvalitetssamordnare"]
    for arende, skapad, falt in (
        (t[3], lokal(2025, 5, 1, 10), {"status": "genomford", "genomford": date(2025, 9, 1)}),
        (t[2], lokal(2026, 1, 20, 10), {"status": "planerad"}),
        (t[3], lokal(2026, 2, 10, 10), {"status": "planerad"}),
        (t[6], lokal(2025, 6, 1, 10), {"status": "genomford", "genomford": date(2026, 3, 1)}),
        (t[10], lokal(2025, 5, 5, 10), {"status": "planerad"}),
        (AvvikelseFactory(enhet=eb, rapporterad_av=av), lokal(2025, 5, 1, 10), {}),
    ):
        AtgardFactory(arende=arende, ansvarig=av, skapad=skapad,
                      forfallodatum=date(2025, 12, 1), **falt)  # fmt: skip

    # Redovisningar: 2024's v1 (replaced) and v2 decided in 2025; 2023's in 2024; 2025's
    # decided 2026-02-18, after the cut-off.
    for ar, version, status, dag, p, dnr in (
        (2023, 1, Beslutsstatus.FASTSTALLD, date(2024, 2, 15), "§ 5", "SN 2024/2"),
        (2024, 1, Beslutsstatus.ERSATT, date(2025, 2, 19), "§ 7", "SN 2025/3"),
        (2024, 2, Beslutsstatus.FASTSTALLD, date(2025, 4, 10), "§ 30", "SN 2025/3"),
        (2025, 1, Beslutsstatus.FASTSTALLD, date(2026, 2, 18), "§ 9", "SN 2026/4"),
    ):
        Internkontrollredovisning.objects.create(
            ar=ar, version=version, status=status, sammantradesdatum=dag, paragraf=p,
            diarienummer=dnr, innehall={"ar": ar, "kontroller": []},
        )  # fmt: skip
    return k, t


def test_planen_och_kontrollerna(plan2025):
    s = siffror.internkontroll_siffror(AR, BRYT)
    assert (s["start"], s["slut"], s["brytdag"]) == ("2025-01-01", "2025-12-31", "2026-01-31")
    # The version in force is P2: P1 was replaced, P3 is a draft, P2026 another year's.
    assert s["plan"] == {
        "version": 2, "datum": "2025-03-20", "paragraf": "§ 22", "diarienummer": "SN 2025/14"
    }  # fmt: skip
    # P2's four controls, once each: P1's copies of the same ids are not counted again.
    assert s["kontroller"] == {"totalt": 4, "centrala": 1, "egna": 3}


def test_kontrolltillfallena_vid_brytdatum(plan2025):
    s = siffror.internkontroll_siffror(AR, BRYT)
    # Done: T1, T2 (result dated on the cut-off day), T3, T4, T9 (done before due).
    # Overdue: T5, T6 (its result is dated after the cut-off), T7 (due on the cut-off
    # day, which is over). Not yet due: T8 (due the day after). T10 is the replaced
    # version's.
    assert s["tillfallen"] == {"totalt": 9, "klara": 5, "forsenade": 3, "ej_forfallna": 1}
    rader = {r["kod"]: r for r in s["per_kontroll"]}
    assert [r["kod"] for r in s["per_kontroll"]] == ["CENT 1", "SN 1", "SN 2", "SN 3"]
    assert {kod: (r["tillfallen"], r["klara"], r["forsenade"], r["ej_forfallna"])
            for kod, r in rader.items()} == {
        "CENT 1": (2, 2, 0, 0),
        "SN 1": (3, 2, 1, 0),
        "SN 2": (3, 0, 2, 1),
        "SN 3": (1, 1, 0, 0),
    }  # fmt: skip


def test_resultat_per_bedomning_och_kontrollerna_med_brister(plan2025):
    s = siffror.internkontroll_siffror(AR, BRYT)
    # Counted results: T1, T4 utan anmärkning; T2, T9 mindre brister; T3 väsentliga.
    # T6 (dated after the cut-off) and T10 (replaced version) are not.
    rader = [(r["bedomning"], r["bedomning_text"], r["farg"], r["antal"]) for r in s["resultat"]]
    assert rader == [
        ("utan_anmarkning", "Utan anmärkning", "gron", 2),
        ("mindre_brister", "Mindre brister", "gul", 2),
        ("vasentliga_brister", "Väsentliga brister", "rod", 1),
    ]  # fmt: skip
    assert s["resultat_totalt"] == 5
    # A control's assessment is its most serious counted result: CENT 1 mindre (T1 utan,
    # T2 mindre), SN 1 väsentliga (T3), SN 2 none (T6 not counted), SN 3 mindre (T9).
    assert {r["kod"]: r["bedomning"] for r in s["per_kontroll"]} == {
        "CENT 1": "mindre_brister", "SN 1": "vasentliga_brister", "SN 2": "",
        "SN 3": "mindre_brister",
    }  # fmt: skip
    # With brister: the most serious first, then the plan's order (central first).
    assert s["med_brister"] == [
        {"kod": "SN 1", "central": False, "process": "Ekonomiskt bistånd",
         "kontrollmoment": "Att rätt belopp betalas ut", "bedomning": "vasentliga_brister",
         "bedomning_text": "Väsentliga brister", "farg": "rod"},
        {"kod": "CENT 1", "central": True, "process": "Löner",
         "kontrollmoment": "Att rätt lön betalas ut", "bedomning": "mindre_brister",
         "bedomning_text": "Mindre brister", "farg": "gul"},
        {"kod": "SN 3", "central": False, "process": "Avgifter",
         "kontrollmoment": "Att avgiften är rätt beräknad", "bedomning": "mindre_brister",
         "bedomning_text": "Mindre brister", "farg": "gul"},
    ]  # fmt: skip


def test_atgarder_fran_resultaten(plan2025):
    s = siffror.internkontroll_siffror(AR, BRYT)
    # A1 Genomförd, A2 Planerad, A4 Pågår (done only after the cut-off); A3 after the
    # cut-off, A5 on the replaced version's occasion, A6 on an avvikelse: not counted.
    assert [(r["namn"], r["antal"]) for r in s["atgarder"]] == [
        ("Planerad", 1), ("Pågår", 1), ("Genomförd", 1), ("Utvärderad", 0)
    ]  # fmt: skip


def test_namndens_redovisningar(plan2025):
    s = siffror.internkontroll_siffror(AR, BRYT)
    # 2024's v1 and v2, decided in 2025; 2023's went in 2024. 2025's own was decided
    # 2026-02-18, after the cut-off.
    assert s["redovisningar"] == {
        "forra_aret": [
            {"version": 1, "datum": "2025-02-19", "paragraf": "§ 7", "diarienummer": "SN 2025/3"},
            {"version": 2, "datum": "2025-04-10", "paragraf": "§ 30", "diarienummer": "SN 2025/3"},
        ],
        "aret": [],
    }
    # Cut off on 28 February 2026, the year's own redovisning is there; the year before's
    # are still those decided in 2025.
    senare = siffror.internkontroll_siffror(AR, date(2026, 2, 28))
    assert senare["redovisningar"]["aret"] == [
        {"version": 1, "datum": "2026-02-18", "paragraf": "§ 9", "diarienummer": "SN 2026/4"}
    ]
    assert senare["redovisningar"]["forra_aret"] == s["redovisningar"]["forra_aret"]


def test_paragrafen_skrivs_med_tecknet(plan2025):
    """The § as minutes cite it, whether stored as the number (as the forms save it) or
    with the sign (as this scenario's plans are)."""
    s = siffror.internkontroll_siffror(AR, date(2026, 2, 28))
    text = text_av(kapitel(s))
    assert "2025-03-20, § 22, dnr SN 2025/14" in text
    assert "2026-02-18, § 9, dnr SN 2026/4" in text
    s["plan"]["paragraf"] = "131"
    assert "2025-03-20, § 131, dnr SN 2025/14" in text_av(kapitel(s))
    assert "§ §" not in text


def test_brytdatum_mitt_i_aret(plan2025):
    s = siffror.internkontroll_siffror(AR, date(2025, 8, 31))
    assert (s["slut"], s["brytdag"]) == ("2025-08-31", "2025-08-31")
    # Done: T1, T3, T4 (25 August; due on the cut-off day). Overdue: T6 (April). Not yet
    # due: T2, T5, T7, T8, and T9 – its result is dated December, after this cut-off.
    assert s["tillfallen"] == {"totalt": 9, "klara": 3, "forsenade": 1, "ej_forfallna": 5}
    assert [r["antal"] for r in s["resultat"]] == [2, 0, 1]
    assert [r["kod"] for r in s["med_brister"]] == ["SN 1"]
    # A1 was done only on 1 September: in progress on 31 August. A4 in progress.
    assert [(r["namn"], r["antal"]) for r in s["atgarder"]] == [
        ("Planerad", 0), ("Pågår", 2), ("Genomförd", 0), ("Utvärderad", 0)
    ]  # fmt: skip
    # 2024's v1 was decided in February; v2 in April: both before 31 August.
    assert [r["version"] for r in s["redovisningar"]["forra_aret"]] == [1, 2]


def test_ett_ar_utan_plan(plan2025, org):
    # 2024 has no plan (nor a draft); only its redovisning, decided in 2025, exists.
    s = siffror.internkontroll_siffror(2024, date(2025, 1, 31))
    assert s["plan"] is None
    assert s["kontroller"] == {"totalt": 0, "centrala": 0, "egna": 0}
    assert s["tillfallen"] == {"totalt": 0, "klara": 0, "forsenade": 0, "ej_forfallna": 0}
    assert s["per_kontroll"] == s["med_brister"] == []
    assert [r["antal"] for r in s["atgarder"]] == [0, 0, 0, 0]
    # 2023's redovisning was decided in 2024; 2024's own after this cut-off.
    assert [r["datum"] for r in s["redovisningar"]["forra_aret"]] == ["2024-02-15"]
    assert s["redovisningar"]["aret"] == []
    text = text_av(kapitel(json.loads(json.dumps(s)), ar=2024))
    assert "Ingen internkontrollplan för 2024 var fastställd av nämnden" in text
    assert "Det finns ingen internkontrollplan för 2024 som nämnden fastställt" in text
    assert "Internkontrollredovisningen för 2024 var inte fastställd 2025-01-31" in text
    assert "Inga egenkontroller genomfördes under 2024" in text


# --- Egenkontroll ---------------------------------------------------------------------------


@pytest.fixture
def checklista():
    """A small checklist: v1 areas 1 (1.1, 1.2) and 2 (2.1, 2.2, 2.3); v2 the same and a
    new area 3 (5.1)."""
    lista = Checklista.objects.create(namn="Testlista barnavård")
    v1 = Checklisteversion.objects.create(checklista=lista, version=1)
    v2 = Checklisteversion.objects.create(checklista=lista, version=2)
    forst = [
        ("Förhandsbedömning", [("1.1", "I tid?"), ("1.2", "Skyddsbedömning?")]),
        ("Utredning", [("2.1", "Plan?"), ("2.2", "Barnets uppfattning?"), ("2.3", "Beslut?")]),
    ]
    v1.ersatt_innehall(forst)
    v2.ersatt_innehall([*forst, ("Omplacering", [("5.1", "Skäl dokumenterade?")])])
    return v1, v2


def ek(enhet, typ, fran, *, forum=None, version=None, till=None):
    """An egenkontroll of any type, saved directly (test setup)."""
    e = Egenkontroll(
        enhet=enhet, typ=typ, initiativ=Initiativ.EGET, titel=f"Titel {HEMLIG}",
        period_fran=fran, period_till=till or date(fran.year, 12, 31),
        checklista_version=version, analysforum_datum=forum,
        slutsatser=f"Slutsats {HEMLIG}" if forum else "",
    )  # fmt: skip
    e.save()
    return e


@pytest.fixture
def egenkontroller(org, personas, checklista):
    """Egenkontroller around 2025 (period start; analysis forum):

    EK     unit  type                  period from  forum        checklist
    KG24   BUV   kollegial granskning  2024-01-01   2024-09-01   v1
    KG25   BUV   kollegial granskning  2025-01-01   2025-09-01   v2
    KG25b  KOLL  kollegial granskning  2025-09-01   –            v2
    ENK    EB    enkät                 2025-03-01   –            –
    JG     EB    journalgranskning     2025-10-01   2026-02-15   –
    ENK26  EB    enkät                 2026-01-10   –            –  (next year)

    Reviewed files (area: answers per checkpoint, j/n/d/e = ja/nej/delvis/ej aktuellt):

    KG24  area 1: jj jj jn jd jj ne   → ja 8 nej 2 delvis 1 ej 1: 8 of 11 = 72.7 %
          area 2: jnj                 → ja 2 nej 1: 2 of 3
    KG25  area 1: jj jj jj jj jd      → ja 9 delvis 1: 9 of 10 = 90.0 %
          area 2: jjj jnj eee         → ja 5 nej 1 ej 3: 5 of 6
                  nnn dated 2026-02-10 (after the cut-off: not counted)
          area 3: j n                 → 1 of 2 (5.1: KG24's v1 did not ask it)
    KG25b area 1: jn                  → 1 of 2
    """
    v1, v2 = checklista
    av = personas["medarbetare"]
    kg = Egenkontrolltyp.KOLLEGIAL_GRANSKNING
    e = {
        "KG24": ek(org["BUV"], kg, date(2024, 1, 1), forum=date(2024, 9, 1), version=v1,
                   till=date(2024, 6, 30)),
        "KG25": ek(org["BUV"], kg, date(2025, 1, 1), forum=date(2025, 9, 1), version=v2,
                   till=date(2025, 6, 30)),
        "KG25b": ek(org["KOLL"], kg, date(2025, 9, 1), version=v2),
        "ENK": ek(org["EB"], Egenkontrolltyp.ENKAT, date(2025, 3, 1)),
        "JG": ek(org["EB"], Egenkontrolltyp.JOURNALGRANSKNING, date(2025, 10, 1),
                 forum=date(2026, 2, 15)),
        "ENK26": ek(org["EB"], Egenkontrolltyp.ENKAT, date(2026, 1, 10)),
    }  # fmt: skip
    for namn, omrade, svar, datum in (
        *(("KG24", 1, x, None) for x in ("jj", "jj", "jn", "jd", "jj", "ne")),
        ("KG24", 2, "jnj", None),
        *(("KG25", 1, x, None) for x in ("jj", "jj", "jj", "jj", "jd")),
        *(("KG25", 2, x, None) for x in ("jjj", "jnj", "eee")),
        ("KG25", 2, "nnn", date(2026, 2, 10)),
        *(("KG25", 3, x, None) for x in ("j", "n")),
        ("KG25b", 1, "jn", date(2025, 10, 1)),
    ):
        granska(e[namn], omrade, svar, av=av, datum=datum, kommentar=HEMLIG)
    return e


def test_egenkontroller_per_typ(egenkontroller):
    s = siffror.internkontroll_siffror(AR, BRYT)["egenkontroll"]
    # In 2025: ENK, JG, KG25, KG25b – in the types' order. KG24 and ENK26 are other
    # years'. Analysed by the cut-off: KG25 only (JG's forum is after it).
    assert s["per_typ"] == [
        {"varde": "enkat", "namn": "Målgruppsundersökning eller enkät", "antal": 1,
         "analyserade": 0},
        {"varde": "journalgranskning", "namn": "Journalgranskning", "antal": 1,
         "analyserade": 0},
        {"varde": "kollegial_granskning", "namn": "Kollegial granskning", "antal": 2,
         "analyserade": 1},
    ]  # fmt: skip
    assert (s["totalt"], s["analyserade"]) == (4, 1)


def test_kollegial_granskning_per_omrade_mot_forra_omgangen(egenkontroller):
    e = egenkontroller
    kg25, kg25b = siffror.internkontroll_siffror(AR, BRYT)["egenkontroll"][
        "kollegiala_granskningar"
    ]
    assert (kg25["nummer"], kg25["enhet"], kg25["checklista"], kg25["version"]) == (
        e["KG25"].nummer, "Bistånd barn och unga", "Testlista barnavård", 2
    )  # fmt: skip
    assert (kg25["period_fran"], kg25["period_till"]) == ("2025-01-01", "2025-06-30")
    # The previous round: KG24 – same unit and checklist, earlier period (another version).
    assert kg25["forra_omgangen"] == e["KG24"].nummer
    # Files reviewed by the cut-off: 5 + 3 + 2 (the review of 10 February 2026 is not).
    assert kg25["akter"] == 10
    omr = {o["namn"]: o for o in kg25["omraden"]}
    assert list(omr) == ["Förhandsbedömning", "Utredning", "Omplacering"]
    assert [o["akter"] for o in omr.values()] == [5, 3, 2]
    f = omr["Förhandsbedömning"]
    # 9 ja of 10 applicable: exactly the threshold, so a share: 90 % – utan anmärkning.
    assert (f["nu"]["ja"], f["nu"]["delvis"], f["nu"]["tillampliga"]) == (9, 1, 10)
    assert (f["nu"]["andel"], f["nu"]["text"], f["nu"]["bedomning"]) == (
        90.0, "90 %", "utan_anmarkning"
    )  # fmt: skip
    # KG24: 8 of 11 = 72.7 %, mindre brister.
    assert (f["forra"]["andel"], f["forra"]["text"], f["forra"]["farg"]) == (72.7, "73 %", "gul")
    # Utredning: 5 of 6 now (ej aktuellt left out), 2 of 3 before – small numbers: the
    # count, no percentage and no level.
    u = omr["Utredning"]
    assert (u["nu"]["ja"], u["nu"]["nej"], u["nu"]["ej_aktuellt"]) == (5, 1, 3)
    assert (u["nu"]["andel"], u["nu"]["text"], u["nu"]["bedomning"]) == (None, "5 av 6", "")
    assert (u["forra"]["andel"], u["forra"]["text"]) == (None, "2 av 3")
    # Omplacering: KG24 did not ask 5.1 – nothing to compare.
    assert omr["Omplacering"]["nu"]["text"] == "1 av 2"
    assert omr["Omplacering"]["forra"] is None
    # All areas: 15 ja of 18 = 83.3 % (mindre brister); before 10 of 14 = 71.4 %.
    assert (kg25["totalt"]["ja"], kg25["totalt"]["tillampliga"]) == (15, 18)
    assert (kg25["totalt"]["andel"], kg25["totalt"]["bedomning"]) == (83.3, "mindre_brister")
    assert (kg25["forra_totalt"]["ja"], kg25["forra_totalt"]["andel"]) == (10, 71.4)
    # KG25b: another unit, so no previous round; 1 of 2.
    assert kg25b["nummer"] == e["KG25b"].nummer
    assert kg25b["forra_omgangen"] is None and kg25b["forra_totalt"] is None
    assert [(o["namn"], o["akter"], o["nu"]["text"], o["forra"]) for o in kg25b["omraden"]] == [
        ("Förhandsbedömning", 1, "1 av 2", None),
        ("Utredning", 0, "–", None),
        ("Omplacering", 0, "–", None),
    ]


def test_siffrorna_ar_json_och_kapitlet_visar_dem_utan_personuppgifter(plan2025, egenkontroller):
    e = egenkontroller
    s = json.loads(json.dumps(siffror.internkontroll_siffror(AR, BRYT)))  # as frozen
    html = kapitel(s)
    text = text_av(html)
    assert "4 kontroller i internkontrollplanen för 2025: 1 central och 3 egna" in text
    # 9 occasions: under 10, so no percentage.
    assert "5 av 9 kontrolltillfällen hade resultat 2026-01-31; 3 var försenade" in text
    assert "(55,6 %)" not in text
    assert "5 resultat: 2 utan anmärkning, 2 mindre brister och 1 väsentliga brister" in text
    assert "4 egenkontroller under 2025; 1 var analyserad i analysforum 2026-01-31" in text
    assert "internkontrollplanen för 2025 (version 2) 2025-03-20, § 22, dnr SN 2025/14" in text
    assert "Försenade (skulle ha varit klara, inget resultat) 3" in text
    # The assessment in colour and in words.
    assert '<span class="bedomning farg-rod">Väsentliga brister</span>' in html
    assert "SN 1 Ekonomiskt bistånd Att rätt belopp betalas ut Väsentliga brister" in text
    assert "SN 2 Placeringar Egen 3 0 2 Inget resultat ännu" in text
    assert "Förbättrande åtgärder från kontrollernas resultat, status 2026-01-31" in text
    assert "internkontrollredovisningen för 2024 (version 2) 2025-04-10, § 30" in text
    assert "Internkontrollredovisningen för 2025 var inte fastställd 2026-01-31" in text
    assert f"Kollegial granskning {e['KG25'].nummer}, Bistånd barn och unga" in text
    assert f"Förra omgången ({e['KG24'].nummer})" in text
    # Shares as everywhere in the report, one decimal ("90,0 %"), the level beside.
    assert "Förhandsbedömning 5 90,0 % Utan anmärkning 72,7 % Mindre brister" in text
    assert "Utredning 3 5 av 6 2 av 3" in text
    assert "Omplacering 2 1 av 2 –" in text
    # No finding, review comment, title or conclusion, and no person.
    assert HEMLIG not in html
    assert "Medarbetare" not in html


def test_kapitlet_ligger_mellan_riskhantering_och_atgarder_och_har_skrivinstruktioner():
    slugs = [k.slug for k in KAPITEL]
    i = slugs.index("egenkontroll")
    assert slugs[i - 1 : i + 2] == ["riskhantering", "egenkontroll", "atgarder"]
    k = KAPITEL[i]
    assert str(k.titel) == "Egenkontroll och internkontroll"
    text = k.standardtext(AR, "Testköping")
    assert text.count("[[") == 2 and "kollegiala granskningen" in text


def test_berakna_har_kapitlet(plan2025):
    alla = json.loads(json.dumps(siffror.berakna(AR, BRYT)))
    assert alla["kapitel"]["egenkontroll"]["tillfallen"]["klara"] == 5


def test_fragorna_vaxer_inte_med_antalet(org, personas, checklista):
    av = personas["medarbetare"]
    _, v2 = checklista
    p = plan(AR, status=Beslutsstatus.FASTSTALLD, version=1)
    forra = egenkontroll(org["BUV"], version=v2, ar=AR - 1)
    granska(forra, 1, "jn", av=av)

    def fyll(antal):
        for i in range(antal):
            k = kontroll(p, org["EB"], kod=f"K {p.kontroller.count() + 1}", central=i % 2 == 0)
            t = klar(k, 1, date(AR, 4, 30), date(AR, 4, 1 + i % 28), [UTAN, MINDRE][i % 2])
            tillfalle(k, 2, forfaller=date(AR, 8, 31))
            AtgardFactory(arende=t, ansvarig=av, skapad=lokal(AR, 5, 1, 10))
            e = egenkontroll(org["BUV"], version=v2, ar=AR, period_fran=date(AR, 1, 1 + i % 28))
            granska(e, 1 + i % 3, {0: "jj", 1: "jnd", 2: "e"}[i % 3], av=av)
            ek(org["EB"], Egenkontrolltyp.ENKAT, date(AR, 2, 1 + i % 28))

    fyll(2)
    with CaptureQueriesContext(connection) as fa:
        siffror.internkontroll_siffror(AR, BRYT)
    fyll(30)
    with CaptureQueriesContext(connection) as manga:
        s = siffror.internkontroll_siffror(AR, BRYT)
    assert s["kontroller"]["totalt"] == 32
    assert len(s["egenkontroll"]["kollegiala_granskningar"]) == 32
    # Plan, controls, actions, redovisningar; egenkontroller by type, rounds,
    # checkpoints, answers now and before, files per area.
    assert len(manga.captured_queries) == len(fa.captured_queries) == 10


def test_pdfen_har_kapitlet_med_bedomningen_i_ord(plan2025, egenkontroller, utkast, tmp_path):
    """The chapter in the report's PDF: numbered 8, between riskhantering and the actions,
    its assessments in words (the colour is the stylesheet's; set KB_PDF to a path to keep
    the PDF for a look)."""
    import io
    import os

    from pypdf import PdfReader

    from rapporter.dokument import rendera_pdf

    pdf = rendera_pdf(utkast)
    if os.environ.get("KB_PDF"):
        with open(os.environ["KB_PDF"], "wb") as f:
            f.write(pdf)
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "9 Egenkontroll och internkontroll" in text
    assert "Kontroller med brister (3)" in text
    assert "Väsentliga brister" in text and "Utan anmärkning" in text
    assert HEMLIG not in text
