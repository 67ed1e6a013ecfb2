"""Chapters 3 "Processer och styrdokument" and 10 "Mål och resultat" of the
kvalitetsberättelse (docs/siffror.md): the figures counted by hand from the written
definitions, the small-numbers rule on the share reached, no person in the figures, a
fixed number of queries, the default texts blocking the decision, and both chapters in
the preview and the PDF.

The hand-counted year 2025, cut off 31 January 2026 (so the year's last day is
31 December 2025):

    process                      typ    enhet  inrättad    avvecklad
    P1 Myndighetsutövning barn   kärn   EB     2020-01-01  –
    P2 Öppenvård                 kärn   KOLL   2025-05-15  –            established mid-year
    P3 Fakturahantering          stöd   STAB   2019-01-01  2024-11-30   gone before 2025
    P4 IT-system                 stöd   STAB   2019-01-01  2025-08-31   discontinued in 2025
    P5 Avtal och uppföljning     kärn   SOC    2026-01-10  –            after the year
    P6 Personal och arbetsmiljö  stöd   STAB   2018-01-01  2025-01-01   gone on 1 January
    P7 Information               stöd   STAB   2018-01-01  –

    In use 2025-12-31: P1, P2 (kärn), P7 (stöd), no ledningsprocess → 3.
    Established in 2025: P2. Discontinued in 2025: P6 (01-01), P4 (08-31).
    In use some day of 2025 (chapter 10): P1, P2, P4, P7 – not P3, P5, nor P6 (no longer
    in use from 1 January).

    Events: E1 P1 2025-03-10 reviderad "Rutin för förhandsbedömning"; E3 P1 2025-03-10
    publicerad, same document (created after E1); E2 P2 2025-05-15 kartlagd (the process
    itself); E4 P4 2025-06-01 reviderad "Rutin för behörigheter" (a process discontinued
    since); outside: P1 2024-12-31 (last year) and P1 2026-01-05 (after the year's last
    day, before the cut-off). → E1, E3, E2, E4; kartlagd 1, reviderad 2, publicerad 1.

    Key figures, 2025 target → result (direction):
    P1 N1 Utredningar inom fyra månader  ≥ 90 % → 92,5 %  Ja     (2023: not measured, 2024: 88 %)
       N2 Dagar till första kontakt      ≤ 5 dagar → 5    Ja     (on the target, lower)
       N3 Placeringar i närområdet       ≥ 60 % → 60 %    Ja     (on the target, higher)
       N4 Klagomål om bemötande          ≤ 10 st → 12     Nej
       N5 Nöjda brukare                  ≥ 80 % → –       Inte mätt
       N6 Väntetid till besök            measured, only a 2024 value  → utan mål
       N7 Gammalt mått                   no longer measured, no 2025 value → not shown
       N8 Avslutat mått                  no longer measured, ≥ 3 → 2   Nej (a 2025 target)
    P2 none
    P4 N9 Driftstopp                     ≤ 10 timmar → 8,25 timmar  Ja
    P7 N10 Publicerade nyheter           measured, no values → utan mål
    P3 N11 (gone before 2025) ≥ 1 → 0: not counted.
    → 7 with a target: reached 4 (N1 N2 N3 N9), not reached 2 (N4 N8), not measured 1
      (N5), measured 6 → under 10, no percentage; without target 2 (N6, N10).
"""

import json
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from processer import statistik
from processer.models import Nyckeltal, Nyckeltalsvarde, Process, Processhandelse
from rapporter.dokument import rendera_pdf
from rapporter.kapitel import KAPITEL, hamta
from rapporter.models import Kapitelstatus, kapitelstatus_for
from rapporter.siffror import berakna, mal_siffror, processer_siffror
from tests.factories import UserFactory
from tests.rapporter.conftest import AR, BRYTDATUM
from tests.rapporter.test_pdf import all_text, las

pytestmark = pytest.mark.django_db

AGARE = ("Petronella", "Processägaresson")
LEDARE = ("Leopold", "Ledarsson")
REGISTRERARE = ("Regina", "Registrerardotter")
HEMLIGT = [
    *AGARE,
    *LEDARE,
    *REGISTRERARE,
    "BeskrivningSENTINEL",
    "KommentarSENTINEL",
    "SkalSENTINEL",
]


def process(org, namn, typ, enhet, inrattad, avvecklad=None, *, agare=None, ledare=None, mal=""):
    p = Process.objects.create(
        namn=namn,
        typ=typ,
        enhet=org[enhet],
        syfte=f"Syftet med {namn}.",
        mal=mal,
        inrattad=inrattad,
        handlaggare=agare,
        processledare=ledare,
    )
    if avvecklad is not None:
        Process.objects.filter(pk=p.pk).update(
            avvecklad=avvecklad, status="avvecklad", avvecklad_skal="SkalSENTINEL"
        )
        p.refresh_from_db()
    return p


def nyckeltal(p, namn, matt, riktning, varden=(), *, aktivt=True, av=None):
    n = Nyckeltal.objects.create(
        process=p,
        namn=namn,
        definition=f"Så räknas {namn}.",
        matt=matt,
        riktning=riktning,
        aktivt=aktivt,
    )
    for ar, malvarde, utfall in varden:
        Nyckeltalsvarde.objects.create(
            nyckeltal=n,
            ar=ar,
            malvarde=Decimal(malvarde),
            utfall=None if utfall is None else Decimal(utfall),
            kommentar="KommentarSENTINEL",
            registrerad_av=av,
        )
    return n


def handelse(p, datum, typ, dokument="", av=None):
    return Processhandelse.objects.create(
        process=p,
        datum=datum,
        typ=typ,
        dokument=dokument,
        beskrivning="BeskrivningSENTINEL om ändringen",
        registrerad_av=av,
    )


@pytest.fixture
def ar_processer(org):
    """The hand-counted year of the module docstring."""
    return arets_processer(org)


def arets_processer(org):
    """The processes, key figures and events of the module docstring (also the browser
    test's, tests/browser/test_processer_mal.py)."""
    agare = UserFactory(username="agare", first_name=AGARE[0], last_name=AGARE[1])
    ledare = UserFactory(username="ledare", first_name=LEDARE[0], last_name=LEDARE[1])
    reg = UserFactory(username="reg", first_name=REGISTRERARE[0], last_name=REGISTRERARE[1])
    kw = {"agare": agare, "ledare": ledare}
    p = {
        1: process(
            org,
            "Myndighetsutövning barn",
            "karnprocess",
            "EB",
            date(2020, 1, 1),
            mal="Utredningar blir klara i tid\n\n  Barn placeras nära hemmet  \n",
            **kw,
        ),
        2: process(org, "Öppenvård", "karnprocess", "KOLL", date(2025, 5, 15), **kw),
        3: process(
            org, "Fakturahantering", "stodprocess", "STAB", date(2019, 1, 1), date(2024, 11, 30)
        ),
        4: process(
            org, "IT-system", "stodprocess", "STAB", date(2019, 1, 1), date(2025, 8, 31), **kw
        ),
        5: process(org, "Avtal och uppföljning", "karnprocess", "SOC", date(2026, 1, 10)),
        6: process(
            org,
            "Personal och arbetsmiljö",
            "stodprocess",
            "STAB",
            date(2018, 1, 1),
            date(2025, 1, 1),
        ),
        7: process(org, "Information", "stodprocess", "STAB", date(2018, 1, 1), **kw),
    }
    n = {
        1: nyckeltal(
            p[1],
            "Utredningar inom fyra månader",
            "%",
            "hogre",
            [(2023, "85", None), (2024, "90", "88"), (2025, "90", "92.5")],
            av=reg,
        ),
        2: nyckeltal(p[1], "Dagar till första kontakt", "dagar", "lagre", [(2025, "5", "5")]),
        3: nyckeltal(p[1], "Placeringar i närområdet", "%", "hogre", [(2025, "60", "60.00")]),
        4: nyckeltal(p[1], "Klagomål om bemötande", "st", "lagre", [(2025, "10", "12")]),
        5: nyckeltal(p[1], "Nöjda brukare", "%", "hogre", [(2025, "80", None)]),
        6: nyckeltal(p[1], "Väntetid till besök", "dagar", "lagre", [(2024, "7", "9")]),
        7: nyckeltal(p[1], "Gammalt mått", "st", "hogre", [(2024, "1", "1")], aktivt=False),
        8: nyckeltal(p[1], "Avslutat mått", "st", "hogre", [(2025, "3", "2")], aktivt=False),
        9: nyckeltal(p[4], "Driftstopp", "timmar", "lagre", [(2025, "10", "8.25")]),
        10: nyckeltal(p[7], "Publicerade nyheter", "st", "hogre"),
        11: nyckeltal(p[3], "Betalda fakturor", "st", "hogre", [(2025, "1", "0")]),
    }
    e = {
        1: handelse(p[1], date(2025, 3, 10), "reviderad", "Rutin för förhandsbedömning", reg),
        3: handelse(p[1], date(2025, 3, 10), "publicerad", "Rutin för förhandsbedömning", reg),
        2: handelse(p[2], date(2025, 5, 15), "kartlagd"),
        4: handelse(p[4], date(2025, 6, 1), "reviderad", "Rutin för behörigheter"),
        "2024": handelse(p[1], date(2024, 12, 31), "reviderad", "Fjolårets rutin"),
        "2026": handelse(p[1], date(2026, 1, 5), "publicerad", "Nästa års rutin"),
    }
    return SimpleNamespace(p=p, n=n, e=e)


# --- Chapter 3 ---------------------------------------------------------------------------


def test_processer_handraknade(ar_processer):
    p = ar_processer.p
    s = processer_siffror(AR, BRYTDATUM)
    assert s["slut"] == "2025-12-31"
    assert s["totalt"] == 3
    assert [(g["typ"], g["namn"], g["antal"]) for g in s["grupper"]] == [
        ("karnprocess", "Kärnprocess", 2),
        ("ledningsprocess", "Ledningsprocess", 0),
        ("stodprocess", "Stödprocess", 1),
    ]
    assert s["grupper"][0]["processer"] == [
        {"nummer": p[1].nummer, "namn": "Myndighetsutövning barn", "enhet": "Ekonomiskt bistånd"},
        {"nummer": p[2].nummer, "namn": "Öppenvård", "enhet": p[2].enhet.namn},
    ]
    assert s["grupper"][1]["processer"] == []
    assert [x["namn"] for x in s["grupper"][2]["processer"]] == ["Information"]
    assert s["inrattade"] == [{"nummer": p[2].nummer, "namn": "Öppenvård", "datum": "2025-05-15"}]
    assert s["avvecklade"] == [
        {"nummer": p[6].nummer, "namn": "Personal och arbetsmiljö", "datum": "2025-01-01"},
        {"nummer": p[4].nummer, "namn": "IT-system", "datum": "2025-08-31"},
    ]
    assert s["handelser"] == [
        {
            "datum": "2025-03-10",
            "process": "Myndighetsutövning barn",
            "typ": "Reviderad",
            "varde": "reviderad",
            "dokument": "Rutin för förhandsbedömning",
        },
        {
            "datum": "2025-03-10",
            "process": "Myndighetsutövning barn",
            "typ": "Publicerad",
            "varde": "publicerad",
            "dokument": "Rutin för förhandsbedömning",
        },
        {
            "datum": "2025-05-15",
            "process": "Öppenvård",
            "typ": "Kartlagd",
            "varde": "kartlagd",
            "dokument": "Processen",
        },
        {
            "datum": "2025-06-01",
            "process": "IT-system",
            "typ": "Reviderad",
            "varde": "reviderad",
            "dokument": "Rutin för behörigheter",
        },
    ]
    assert s["per_typ"] == [
        {"varde": "kartlagd", "namn": "Kartlagd", "antal": 1},
        {"varde": "reviderad", "namn": "Reviderad", "antal": 2},
        {"varde": "publicerad", "namn": "Publicerad", "antal": 1},
    ]


def test_processer_med_brytdatum_mitt_i_aret(ar_processer):
    """A report cut off 31 May: P2 (established 15 May) is in use and established, P4
    still in use (discontinued only in August), its revision on 1 June not counted; cut
    off 14 May, P2 and its mapping on 15 May are not counted either."""
    s = processer_siffror(AR, date(2025, 5, 31))
    assert s["slut"] == "2025-05-31"
    assert [g["antal"] for g in s["grupper"]] == [2, 0, 2]  # P1 P2; P4 P7
    assert [x["namn"] for x in s["avvecklade"]] == ["Personal och arbetsmiljö"]
    assert [h["datum"] for h in s["handelser"]] == ["2025-03-10", "2025-03-10", "2025-05-15"]
    assert [t["antal"] for t in s["per_typ"]] == [1, 1, 1]
    s = processer_siffror(AR, date(2025, 5, 14))
    assert s["inrattade"] == [] and [g["antal"] for g in s["grupper"]] == [1, 0, 2]
    assert [t["antal"] for t in s["per_typ"]] == [0, 1, 1]


def test_processer_ett_ar_utan_processer(db):
    s = processer_siffror(AR, BRYTDATUM)
    assert s["totalt"] == 0
    assert [g["antal"] for g in s["grupper"]] == [0, 0, 0]
    assert [t["antal"] for t in s["per_typ"]] == [0, 0, 0]
    assert s["handelser"] == s["inrattade"] == s["avvecklade"] == []


# --- Chapter 10 --------------------------------------------------------------------------


def test_mal_och_resultat_handraknade(ar_processer):
    p = ar_processer.p
    s = mal_siffror(AR, BRYTDATUM)
    assert s["slut"] == "2025-12-31"
    assert [(x["namn"], x["typ"], x["typnamn"], x["avvecklad"]) for x in s["processer"]] == [
        ("Myndighetsutövning barn", "karnprocess", "Kärnprocess", None),
        ("Öppenvård", "karnprocess", "Kärnprocess", None),
        ("IT-system", "stodprocess", "Stödprocess", "2025-08-31"),
        ("Information", "stodprocess", "Stödprocess", None),
    ]
    myn, oppen, it, info = s["processer"]
    assert myn["nummer"] == p[1].nummer
    assert myn["mal"] == ["Utredningar blir klara i tid", "Barn placeras nära hemmet"]
    assert [(r["namn"], r["mal"], r["utfall"], r["uppnatt"]) for r in myn["nyckeltal"]] == [
        ("Avslutat mått", "≥ 3 st", "2 st", False),
        ("Dagar till första kontakt", "≤ 5 dagar", "5 dagar", True),
        ("Klagomål om bemötande", "≤ 10 st", "12 st", False),
        ("Nöjda brukare", "≥ 80 %", None, None),
        ("Placeringar i närområdet", "≥ 60 %", "60 %", True),
        ("Utredningar inom fyra månader", "≥ 90 %", "92,5 %", True),
    ]
    utredningar = myn["nyckeltal"][-1]
    assert utredningar["definition"] == "Så räknas Utredningar inom fyra månader."
    assert utredningar["matt"] == "%"
    assert utredningar["tidigare"] == [{"ar": 2023, "utfall": None}, {"ar": 2024, "utfall": "88 %"}]
    assert myn["nyckeltal"][1]["tidigare"] == [
        {"ar": 2023, "utfall": None},
        {"ar": 2024, "utfall": None},
    ]
    assert myn["utan_mal"] == ["Väntetid till besök"]  # not "Gammalt mått": not measured
    assert oppen["nyckeltal"] == [] and oppen["utan_mal"] == [] and oppen["mal"] == []
    assert [(r["namn"], r["utfall"], r["uppnatt"]) for r in it["nyckeltal"]] == [
        ("Driftstopp", "8,25 timmar", True)
    ]
    assert info["nyckeltal"] == [] and info["utan_mal"] == ["Publicerade nyheter"]
    assert s["summering"] == {
        "antal": 7,
        "uppnadda": 4,
        "ej_uppnadda": 2,
        "ej_matta": 1,
        "matta": 6,
        "andel_uppnadda": None,  # 6 measured: under 10
        "utan_mal": 2,
    }


@pytest.mark.parametrize(
    ("riktning", "malvarde", "utfall", "uppnatt"),
    [
        ("hogre", "90", "90", True),
        ("hogre", "90", "89.99", False),
        ("hogre", "90", "95", True),
        ("lagre", "5", "5", True),
        ("lagre", "5", "5.01", False),
        ("lagre", "5", "0", True),
        ("hogre", "90", None, None),
        ("lagre", "5", None, None),
    ],
)
def test_malet_natt_i_bada_riktningarna(org, riktning, malvarde, utfall, uppnatt):
    p = process(org, "P", "karnprocess", "EB", date(2020, 1, 1))
    nyckeltal(p, "N", "%", riktning, [(AR, malvarde, utfall)])
    (rad,) = mal_siffror(AR, BRYTDATUM)["processer"][0]["nyckeltal"]
    assert rad["uppnatt"] is uppnatt


@pytest.mark.parametrize(
    ("avvecklad", "med"),
    [
        (date(2024, 12, 31), False),
        (date(2025, 1, 1), False),  # no longer in use from 1 January
        (date(2025, 1, 2), True),  # in use on 1 January
        (date(2026, 1, 5), True),  # after the year's last day: in use all year
    ],
)
def test_mal_processer_i_bruk_nagon_dag_under_aret(org, avvecklad, med):
    process(org, "Avvecklad", "karnprocess", "EB", date(2020, 1, 1), avvecklad)
    rader = mal_siffror(AR, BRYTDATUM)["processer"]
    assert bool(rader) is med
    if med:
        # Discontinued after the year's last day: not marked as discontinued.
        assert rader[0]["avvecklad"] == (None if avvecklad.year > AR else "2025-01-02")


def test_en_avvecklad_process_nyckeltal_utan_mal_namns_inte(org):
    """A discontinued process's key figures are no longer followed up: one without a
    target is not listed as "som mäts" (it read "får målvärden inför nästa år"); the same
    key figure of a process still in use is."""
    for namn, avvecklad in (("Avvecklad", date(2025, 6, 30)), ("I bruk", None)):
        p = process(org, namn, "karnprocess", "EB", date(2020, 1, 1), avvecklad)
        nyckeltal(p, "Väntetid", "dagar", "lagre")
    rader = {r["namn"]: r for r in mal_siffror(AR, BRYTDATUM)["processer"]}
    assert rader["Avvecklad"]["utan_mal"] == []
    assert rader["I bruk"]["utan_mal"] == ["Väntetid"]


def test_mal_process_efter_brytdatum_raknas_inte(org):
    """With a cut-off in the year, a process established after it is not in use."""
    process(org, "Ny", "karnprocess", "EB", date(2025, 9, 1))
    assert mal_siffror(AR, date(2025, 8, 31))["processer"] == []
    assert [x["namn"] for x in mal_siffror(AR, date(2025, 9, 1))["processer"]] == ["Ny"]


@pytest.mark.parametrize(("matta", "andel"), [(9, None), (10, 70)])
def test_andelen_som_natt_malet_forst_fran_10_matta(org, matta, andel):
    """7 reached (the rest not), plus a not measured one that is not in the base."""
    p = process(org, "P", "karnprocess", "EB", date(2020, 1, 1))
    for i in range(matta):
        nyckeltal(p, f"N{i:02}", "%", "hogre", [(AR, "50", "60" if i < 7 else "40")])
    nyckeltal(p, "Inte mätt", "%", "hogre", [(AR, "50", None)])
    summering = mal_siffror(AR, BRYTDATUM)["summering"]
    assert (summering["matta"], summering["uppnadda"], summering["ej_matta"]) == (matta, 7, 1)
    assert summering["andel_uppnadda"] == andel


def test_andel_i_hela_procent():
    assert statistik.andel_hel(9, 9) is None
    assert statistik.andel_hel(5, 10) == 50
    assert statistik.andel_hel(1, 16) == 6  # 6,25
    assert statistik.andel_hel(1, 40) == 3  # 2,5: halves up
    assert statistik.andel_hel(2, 3 * 10) == 7  # 6,67
    assert statistik.andel_hel(0, 10) == 0


def test_mal_ett_ar_utan_processer(db):
    s = mal_siffror(AR, BRYTDATUM)
    assert s["processer"] == []
    assert s["summering"]["antal"] == 0 and s["summering"]["andel_uppnadda"] is None


# --- No person, no free text about a change ----------------------------------------------


def test_inga_personer_i_siffrorna(ar_processer):
    siffror = berakna(AR, BRYTDATUM)
    text = json.dumps(siffror, ensure_ascii=False)
    assert "Myndighetsutövning barn" in text  # the check can see the chapters' names
    for ord_ in HEMLIGT:
        assert ord_ not in text, ord_
    for kapitel in ("processer", "mal"):
        assert json.loads(json.dumps(siffror["kapitel"][kapitel])) == siffror["kapitel"][kapitel]


# --- Queries ----------------------------------------------------------------------------


def fler_processer(org, antal):
    for i in range(antal):
        p = process(
            org, f"Extra {i}", ["karnprocess", "stodprocess"][i % 2], "EB", date(2024, 1, 1)
        )
        handelse(p, date(2025, 4, 1), "reviderad", f"Rutin {i}")
        handelse(p, date(2025, 5, 1), "publicerad")
        for j in range(3):
            nyckeltal(p, f"N{j}", "%", "hogre", [(a, "50", "55") for a in (2023, 2024, 2025)])
        nyckeltal(p, "Utan mål", "st", "lagre")


def fragor(funktion):
    with CaptureQueriesContext(connection) as f:
        funktion()
    return len(f)


@pytest.mark.parametrize("funktion", [processer_siffror, mal_siffror])
def test_lika_manga_fragor_for_fa_och_manga_processer(ar_processer, org, funktion):
    fa = fragor(lambda: funktion(AR, BRYTDATUM))
    fler_processer(org, 12)
    manga = fragor(lambda: funktion(AR, BRYTDATUM))
    assert manga == fa <= 3
    assert len(mal_siffror(AR, BRYTDATUM)["processer"]) == 4 + 12


# --- Chapters, default texts, preview and PDF --------------------------------------------


def test_kapitlens_plats_i_rapporten():
    slugs = [k.slug for k in KAPITEL]
    assert slugs.index("processer") == slugs.index("syfte") + 1
    assert slugs.index("mal") == slugs.index("atgarder") + 1
    assert slugs.index("fokus") == slugs.index("mal") + 1
    assert str(hamta("processer").titel) == "Processer och styrdokument"
    assert str(hamta("mal").titel) == "Mål och resultat"


@pytest.mark.parametrize("slug", ["processer", "mal"])
def test_standardtexten_ar_en_skrivinstruktion(slug, db):
    kapitel = hamta(slug)
    standard = kapitel.standardtext(AR, "Testköpings kommun")
    assert "[[" in standard and "]]" in standard
    assert "{%" not in standard and "{{" not in standard
    assert kapitelstatus_for(kapitel, standard, AR) == Kapitelstatus.EJ_SKRIVEN
    assert kapitelstatus_for(kapitel, "Egen text.\n\n[[Beskriv mer.]]", AR) == (
        Kapitelstatus.INSTRUKTION
    )
    assert kapitelstatus_for(kapitel, "Egen text.", AR) == Kapitelstatus.SKRIVEN


def test_utkast_med_standardtext_i_de_nya_kapitlen_kan_inte_faststallas(utkast, personas):
    from rapporter.models import _faststallkrav
    from tests.rapporter.hjalp import skriv_alla_kapitel

    skriv_alla_kapitel(utkast, personas["kvalitetssamordnare"])
    assert _faststallkrav(utkast) == []
    utkast.texter.filter(kapitel__in=["processer", "mal"]).delete()
    krav = _faststallkrav(utkast)
    assert len(krav) == 1
    assert "Processer och styrdokument" in krav[0] and "Mål och resultat" in krav[0]


def test_forhandsvisningen_visar_kapitlen(ar_processer, utkast, klient_for):
    html = klient_for("kvalitetssamordnare").get(f"/rapporter/{utkast.pk}/forhandsvisning/")
    assert html.status_code == 200
    html = html.content.decode()
    for text in [
        "Processer och styrdokument",
        "Mål och resultat",
        "<caption>Processer i bruk 2025-12-31</caption>",
        '<th scope="rowgroup" colspan="3">Ledningsprocess (0)</th>',
        "Ingen ledningsprocess i bruk.",
        "<caption>Nyckeltal för Myndighetsutövning barn, mål och utfall 2025</caption>",
        '<th scope="col">Målet nått</th>',
        '<span class="bedomning farg-gron">Ja</span>',
        '<span class="bedomning farg-rod">Nej</span>',
        "Inte mätt",
        "Väntetid till besök",
    ]:
        assert text in html, text
    for ord_ in HEMLIGT:
        assert ord_ not in html, ord_


def test_pdf_visar_kapitlen_med_handraknade_siffror(ar_processer, utkast):
    text = all_text(las(rendera_pdf(utkast)))
    for rad in [
        "3 Processer och styrdokument",
        "11 Mål och resultat",
        "12 Fokusområden kommande år",
        "3 processer i bruk 2025-12-31",
        "Processer i bruk 2025-12-31 per typ",
        "Kärnprocess 2 Ledningsprocess 0 Stödprocess 1",
        "Kärnprocess (2) Myndighetsutövning barn",
        "Öppenvård",
        "Processer som inrättades eller avvecklades under 2025",
        "Kartläggningar, revideringar och publiceringar under 2025",
        "Kartlagd 1 Reviderad 2 Publicerad 1",
        "2025-03-10 Myndighetsutövning barn Rutin för förhandsbedömning Reviderad",
        "2025-05-15 Öppenvård Processen Kartlagd",
        "7 nyckeltal hade ett målvärde för 2025",
        "4 nyckeltal av 6 mätta nådde målet; 2 nådde det inte",
        "Nyckeltal för Myndighetsutövning barn, mål och utfall 2025",
        # Chronological: the two years before, then the year's target, result, reached.
        "Utredningar inom fyra månader – 88 % ≥ 90 % 92,5 % Ja",
        "Nöjda brukare – – ≥ 80 % – Inte mätt",
        "Dagar till första kontakt – – ≤ 5 dagar 5 dagar Ja",
        "Klagomål om bemötande – – ≤ 10 st 12 st Nej",
        "Avvecklad 2025-08-31",
        "Driftstopp – – ≤ 10 timmar 8,25 timmar Ja",
    ]:
        assert rad in text, rad
    assert "Fjolårets rutin" not in text and "Nästa års rutin" not in text
    assert "Fakturahantering" not in text and "Avtal och uppföljning" not in text
    for ord_ in HEMLIGT:
        assert ord_ not in text, ord_
