"""Chapter 6 of the kvalitetsberättelse, "Rapportering enligt lex Sarah", counted by
hand from the written definitions (docs/siffror.md "Lex Sarah", DOMAIN.md §4.3, §5).

The year is 2025, cut off 31 January 2026. Eight lex Sarah cases were reported in 2025
(Swedish local time); the dates are written out in `lexsarah_ar` and every expected
figure below is counted from that table, never from the code.
"""

import json
import re
from datetime import date, datetime

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kvalitet.models import Verksamhetsomrade
from lexsarah.models import LexSarah
from rapporter import siffror
from rapporter.choices import Serie
from rapporter.kapitel import KAPITEL, hamta
from rapporter.models import Driftstart
from rapporter.text import har_instruktion
from tests.factories import HistorikFactory, UserFactory

pytestmark = pytest.mark.django_db

AR = 2025
BRYT = date(2026, 1, 31)

# Planted in every free-text field, name and number the report must never show.
HEMLIG = "HEMLIGT-X7Q"
FRITEXT = (
    "beskrivning",
    "kalla_beskrivning",
    "vidtaget_direkt",
    "omedelbara_atgarder",
    "stod_personal",
    "informerad_hur",
    "ej_informerad_skal",
    "bakgrund",
    "metod",
    "klient_ej_hord_skal",
    "orsaker",
    "tidigare",
    "vidtagna_atgarder",
    "bedomning",
    "sammanfattning_namnd",
    "forslag_till_beslut",
    "handlingar",
    "skickas_till",
    "beslut_text",
    "ivo_anmalan",
    "ivo_kommentar",
    "uppfoljning",
    "aterkoppling",
)


def lokal(*args):
    """An aware datetime in Swedish local time (Europe/Stockholm)."""
    return timezone.make_aware(datetime(*args))


def text_av(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def kapitel(s, ar=AR):
    return text_av(
        render_to_string("rapporter/kapitel/lexsarah.html", {"s": s, "ar": ar, "brytdatum": BRYT})
    )


def som_dict(rader):
    return {r["namn"]: r["antal"] for r in rader}


def ls(org, enhet, rapporterad, *, rapportor=None, **falt):
    """A lex Sarah case with the required fields, secret text in every free-text field,
    and the given steps; saved as is (test setup, not the workflow)."""
    hemligt = {f: f"{HEMLIG} {f}" for f in FRITEXT}
    return LexSarah.objects.create(
        enhet=org[enhet],
        vag="rapport",
        kalla="egen",
        rapporterad=rapporterad,
        rapporterad_av=rapportor,
        skapad_av=rapportor,
        diarienummer=f"{HEMLIG}-dnr",
        ivo_diarienummer=f"{HEMLIG}-ivo",
        handelseforlopp=[{"datum": "2025-01-01", "text": f"{HEMLIG} förlopp"}],
        **{**hemligt, **falt},
    )


@pytest.fixture
def lexsarah_ar(org):
    """The hand-counted year (cut-off 2026-01-31); områden: MYN Barn och unga (EB and
    its team inherit it), BUV Familjerätt, the rest none.

    nr enhet→avdelning rapporterad  händelse        utredn. inledd/klar  klassning (bedömd)
    L1 EB→Myndighet    01-10 09:00  01-08           01-12 / 02-20        missförh. (02-20)
    L2 BUV→Myndighet   03-03 10:00  03-01 ungef.    03-05 / 04-10        p.risk allv. (04-01)
    L3 KOLL→Öppenvård  06-15 12:00  okänt           06-16 / –            allvarligt (07-01)
    L4 TEAM→Myndighet  12-31 23:30  12-31           2026-01-05 / –       inget (2026-01-20)
    L5 STAB→Staben     09-01 08:00  08-20           09-02 / 2026-02-05   p.risk (2026-02-05)
    L6 SOC→förvaltn.   05-05 00:30  05-01           05-06 / 06-01        allvarligt (05-20)
    L7 EB→Myndighet    10-10 10:00  10-03           2026-02-02 / –       p.risk (2026-01-25)
    L8 KOLL→Öppenvård  11-20 10:00  11-25 (after)   11-21 / 12-20        p.risk allv. (11-30)

    nr beslutad    anmäld IVO  IVO:s beslut          uppföljn. senast / uppföljd
    L1 03-01       –           –                     09-01 / 08-25 (in time)
    L2 04-20       03-20       09-15 kritik          10-20 / 11-15 (late)
    L3 08-01       07-05       –                     2026-02-01 / – (not yet due)
    L4 2026-02-10  –           –                     –
    L5 –           –           –                     –
    L6 06-10       05-10       2026-01-15 utan krit. 12-10 / 2026-02-10 (not by cut-off)
    L7 –           2026-02-03  –                     –
    L8 2026-01-10  12-01       2026-03-01 krav       2026-01-31 / 2026-01-31 (in time)

    Summaries: L2 approved 2025-10-01 (SAMMANFATTNING-A), L3 written, not approved
    (SAMMANFATTNING-B), L6 approved 2026-01-20 (SAMMANFATTNING-C), L8 approved
    2026-02-10, after the cut-off (SAMMANFATTNING-D).

    Outside 2025: X1 EB 2024-12-31 23:30 (anmäld, approved summary SAMMANFATTNING-E),
    X2 EB 2026-01-01 00:30 (still 2025 in UTC, before the cut-off), X3 EB 2026-01-15.
    """
    barn = Verksamhetsomrade.objects.get(namn="Barn och unga")
    familj = Verksamhetsomrade.objects.get(namn="Familjerätt")
    for kod, omrade in (("MYN", barn), ("BUV", familj)):
        org[kod].verksamhetsomrade = omrade
        org[kod].save()
    rapportor = UserFactory(username="hemlig", first_name=HEMLIG, last_name="Rapportör")
    d = date
    fall = {
        "L1": ls(
            org,
            "EB",
            lokal(2025, 1, 10, 9),
            rapportor=rapportor,
            handelsedatum=d(2025, 1, 8),
            utredning_inledd=d(2025, 1, 12),
            utredning_klar=d(2025, 2, 20),
            klassning="missforhallande",
            bedomd=d(2025, 2, 20),
            beslutad=d(2025, 3, 1),
            uppfoljning_senast=d(2025, 9, 1),
            uppfoljd=d(2025, 8, 25),
        ),
        "L2": ls(
            org,
            "BUV",
            lokal(2025, 3, 3, 10),
            handelsedatum=d(2025, 3, 1),
            handelsedatum_ungefarligt=True,
            utredning_inledd=d(2025, 3, 5),
            utredning_klar=d(2025, 4, 10),
            klassning="pataglig_risk_for_allvarligt_missforhallande",
            bedomd=d(2025, 4, 1),
            beslutad=d(2025, 4, 20),
            ivo_anmald=d(2025, 3, 20),
            ivo_beslut=d(2025, 9, 15),
            ivo_utfall="kritik",
            uppfoljning_senast=d(2025, 10, 20),
            uppfoljd=d(2025, 11, 15),
            anonym_sammanfattning="SAMMANFATTNING-A Ett beslut skickades till fel adress.",
            anonym_godkand=d(2025, 10, 1),
        ),
        "L3": ls(
            org,
            "KOLL",
            lokal(2025, 6, 15, 12),
            utredning_inledd=d(2025, 6, 16),
            klassning="allvarligt_missforhallande",
            bedomd=d(2025, 7, 1),
            beslutad=d(2025, 8, 1),
            ivo_anmald=d(2025, 7, 5),
            uppfoljning_senast=d(2026, 2, 1),
            anonym_sammanfattning="SAMMANFATTNING-B inte godkänd.",
        ),
        "L4": ls(
            org,
            "TEAM",
            lokal(2025, 12, 31, 23, 30),
            handelsedatum=d(2025, 12, 31),
            utredning_inledd=d(2026, 1, 5),
            klassning="inget_missforhallande",
            bedomd=d(2026, 1, 20),
            beslutad=d(2026, 2, 10),
        ),
        "L5": ls(
            org,
            "STAB",
            lokal(2025, 9, 1, 8),
            handelsedatum=d(2025, 8, 20),
            utredning_inledd=d(2025, 9, 2),
            utredning_klar=d(2026, 2, 5),
            klassning="pataglig_risk_for_missforhallande",
            bedomd=d(2026, 2, 5),
        ),
        "L6": ls(
            org,
            "SOC",
            lokal(2025, 5, 5, 0, 30),
            handelsedatum=d(2025, 5, 1),
            utredning_inledd=d(2025, 5, 6),
            utredning_klar=d(2025, 6, 1),
            klassning="allvarligt_missforhallande",
            bedomd=d(2025, 5, 20),
            beslutad=d(2025, 6, 10),
            ivo_anmald=d(2025, 5, 10),
            ivo_beslut=d(2026, 1, 15),
            ivo_utfall="avslutat_utan_kritik",
            uppfoljning_senast=d(2025, 12, 10),
            uppfoljd=d(2026, 2, 10),
            anonym_sammanfattning="SAMMANFATTNING-C En placering följdes inte upp.",
            anonym_godkand=d(2026, 1, 20),
        ),
        "L7": ls(
            org,
            "EB",
            lokal(2025, 10, 10, 10),
            handelsedatum=d(2025, 10, 3),
            utredning_inledd=d(2026, 2, 2),
            klassning="pataglig_risk_for_missforhallande",
            bedomd=d(2026, 1, 25),
            ivo_anmald=d(2026, 2, 3),
        ),
        "L8": ls(
            org,
            "KOLL",
            lokal(2025, 11, 20, 10),
            handelsedatum=d(2025, 11, 25),
            utredning_inledd=d(2025, 11, 21),
            utredning_klar=d(2025, 12, 20),
            klassning="pataglig_risk_for_allvarligt_missforhallande",
            bedomd=d(2025, 11, 30),
            beslutad=d(2026, 1, 10),
            ivo_anmald=d(2025, 12, 1),
            ivo_beslut=d(2026, 3, 1),
            ivo_utfall="krav",
            uppfoljning_senast=d(2026, 1, 31),
            uppfoljd=d(2026, 1, 31),
            anonym_sammanfattning="SAMMANFATTNING-D godkänd efter brytdatum.",
            anonym_godkand=d(2026, 2, 10),
        ),
        "X1": ls(
            org,
            "EB",
            lokal(2024, 12, 31, 23, 30),
            klassning="allvarligt_missforhallande",
            bedomd=d(2025, 1, 5),
            ivo_anmald=d(2025, 1, 10),
            beslutad=d(2025, 1, 20),
            anonym_sammanfattning="SAMMANFATTNING-E från 2024.",
            anonym_godkand=d(2025, 2, 1),
        ),
        "X2": ls(org, "EB", lokal(2026, 1, 1, 0, 30), utredning_inledd=d(2026, 1, 2)),
        "X3": ls(org, "EB", lokal(2026, 1, 15, 9), ivo_anmald=d(2026, 1, 20)),
    }
    return fall


# --- The figures, one definition at a time ---------------------------------------------


def test_arets_rapporter_och_steg_vid_brytdatum(lexsarah_ar):
    s = siffror.lexsarah_siffror(AR, BRYT)
    # L1–L8; L4 at 23:30 on New Year's Eve counts, X2 (00:30 on 1 January, 2025 in UTC)
    # and X1 (2024) do not.
    assert s["totalt"] == 8
    # Inledd by 2026-01-31: all but L7 (2026-02-02) → 7; L4's 2026-01-05 counts.
    assert s["utredning_inledd"] == 7
    # Klar by the cut-off: L1, L2, L6, L8 → 4 (L5 finished 2026-02-05).
    assert s["utredning_klar"] == 4
    # Bedömda: all but L5 (bedömd 2026-02-05) → 7.
    assert s["bedomda"] == 7
    # Beslutade: L1, L2, L3, L6, L8 (2026-01-10) → 5; L4 decided 2026-02-10.
    assert s["beslutade"] == 5
    # Anmälda to IVO by the cut-off: L2, L3, L6, L8 → 4; L7 was notified 2026-02-03.
    # IVO decided L2 (2025-09-15) and L6 (2026-01-15) → 2; L3 (no decision) and L8
    # (decided 2026-03-01) wait → 2.
    assert (s["anmalda"], s["ivo_avslutade"], s["ivo_oppna"]) == (4, 2, 2)
    assert s["visa_fordelningar"] is True


def test_klassning_i_fem_nivaer_och_ej_bedomd(lexsarah_ar):
    s = siffror.lexsarah_siffror(AR, BRYT)
    # Inget: L4 (2026-01-20) · Påtaglig risk: L7 (2026-01-25; L5's is after the cut-off)
    # · Missförhållande: L1 · Påtaglig risk allvarligt: L2, L8 · Allvarligt: L3, L6 ·
    # Ej bedömd ännu: L5. In the five levels' order, then Ej bedömd; sum 8.
    assert [(r["namn"], r["antal"]) for r in s["per_klassning"]] == [
        ("Inget missförhållande", 1),
        ("Påtaglig risk för missförhållande", 1),
        ("Missförhållande", 1),
        ("Påtaglig risk för allvarligt missförhållande", 2),
        ("Allvarligt missförhållande", 2),
        ("Ej bedömd ännu", 1),
    ]


def test_ivo_utfall_avslutade_och_oppna(lexsarah_ar):
    s = siffror.lexsarah_siffror(AR, BRYT)
    # L2 kritik, L6 utan kritik; L3 and L8 (decided after the cut-off) wait.
    assert [(r["namn"], r["antal"]) for r in s["ivo_utfall"]] == [
        ("Avslutat utan kritik", 1),
        ("Kritik", 1),
        ("Krav på åtgärder", 0),
        ("Föreläggande", 0),
        ("Väntar på IVO:s beslut", 2),
    ]


def test_per_avdelning_och_verksamhetsomrade(lexsarah_ar):
    s = siffror.lexsarah_siffror(AR, BRYT)
    # Myndighet: L1, L2, L4 (team under EB), L7 → 4; Öppenvård: L3, L8 → 2; Staben: L5;
    # the förvaltning's own unit: L6.
    assert [(r["namn"], r["antal"]) for r in s["per_avdelning"]] == [
        ("Myndighetsavdelningen", 4),
        ("Öppenvårdsavdelningen", 2),
        ("Socialförvaltningen", 1),
        ("Staben", 1),
    ]
    # Barn och unga: L1, L4, L7 (EB and its team inherit MYN's) → 3; Familjerätt: L2;
    # without: L3, L5, L6, L8 → 4, last.
    assert [(r["namn"], r["antal"]) for r in s["per_verksamhetsomrade"]] == [
        ("Barn och unga", 3),
        ("Familjerätt", 1),
        ("Utan verksamhetsområde", 4),
    ]


def test_ledtider(lexsarah_ar):
    t = siffror.lexsarah_siffror(AR, BRYT)["ledtider"]
    # Händelse → rapport, exact dates only: L1 2, L4 0, L5 12, L6 4 (its rapport is
    # 5 May 00:30 Swedish time, 4 May in UTC: 3 would be wrong), L7 7 → 0 2 4 7 12,
    # median 4. Left out: L2 (approximate), L3 (unknown), L8 (after the rapport) → 3.
    assert t["handelse_till_rapport"] == {"antal": 5, "median_dagar": 4.0, "ej_med": 3}
    # Rapport → beslut, decided by the cut-off: L1 50, L2 48, L3 47, L6 36, L8 51
    # → 36 47 48 50 51, median 48.
    assert t["rapport_till_beslut"] == {"antal": 5, "median_dagar": 48.0, "ej_med": 3}
    # Rapport → anmälan: L2 17, L3 20, L6 5, L8 11 → 5 11 17 20, median 14.
    assert t["rapport_till_anmalan"] == {"antal": 4, "median_dagar": 14.0, "ej_med": 4}


def test_uppfoljning_i_tid(lexsarah_ar):
    u = siffror.lexsarah_siffror(AR, BRYT)["uppfoljning"]
    # Due by 2026-01-31: L1, L2, L6, L8 (due on the cut-off day) → 4. In time: L1 (a week
    # early), L8 (on the day) → 2. Late: L2 → 1. Not followed up by the cut-off: L6 (done
    # 2026-02-10) → 1. Not yet due: L3 → 1. Under 10 cases: no percentage.
    assert u == {
        "forfallna": 4,
        "i_tid": 2,
        "sent": 1,
        "ej_uppfoljda": 1,
        "ej_forfallna": 1,
        "andel_i_tid": None,
    }


def test_bara_godkanda_sammanfattningar(lexsarah_ar):
    z = siffror.lexsarah_siffror(AR, BRYT)["sammanfattningar"]
    # L2 and L6 (approved by the cut-off), in rapport order; not L3 (not approved), L8
    # (approved after the cut-off) or X1 (2024). Year, classification and text only.
    assert z == [
        {
            "ar": 2025,
            "klassning": "Påtaglig risk för allvarligt missförhållande",
            "text": "SAMMANFATTNING-A Ett beslut skickades till fel adress.",
        },
        {
            "ar": 2025,
            "klassning": "Allvarligt missförhållande",
            "text": "SAMMANFATTNING-C En placering följdes inte upp.",
        },
    ]


def test_ett_tidigare_brytdatum(lexsarah_ar):
    """Cut off 30 June 2025: only cases reported by then (L1, L2, L6, L3 on 06-15) and
    steps by then."""
    s = siffror.lexsarah_siffror(AR, date(2025, 6, 30))
    assert s["totalt"] == 4
    # Inledda: L1 (01-12), L2 (03-05), L6 (05-06), L3 (06-16) → 4; klara: L1 (02-20),
    # L2 (04-10), L6 (06-01) → 3.
    assert (s["utredning_inledd"], s["utredning_klar"]) == (4, 3)
    # Beslutade: L1, L2, L6 (L3 on 08-01); anmälda: L2, L6 (L3 on 07-05); no IVO
    # decision yet (09-15, 2026-01-15).
    assert (s["beslutade"], s["anmalda"], s["ivo_avslutade"]) == (3, 2, 0)
    # Klassning by 06-30: L1 missförhållande, L2 p.risk allvarligt, L6 allvarligt; L3
    # (07-01) not yet.
    assert som_dict(s["per_klassning"]) == {
        "Inget missförhållande": 0,
        "Påtaglig risk för missförhållande": 0,
        "Missförhållande": 1,
        "Påtaglig risk för allvarligt missförhållande": 1,
        "Allvarligt missförhållande": 1,
        "Ej bedömd ännu": 1,
    }
    # Follow-ups: L1 due 09-01, L2 10-20, L6 12-10, L3 2026-02-01: none due yet.
    assert (s["uppfoljning"]["forfallna"], s["uppfoljning"]["ej_forfallna"]) == (0, 4)
    # L2's summary was approved 2025-10-01, after this cut-off.
    assert s["sammanfattningar"] == []


def test_siffrorna_ar_json(lexsarah_ar):
    s = siffror.lexsarah_siffror(AR, BRYT)
    assert json.loads(json.dumps(s, ensure_ascii=False)) == s


# --- Small numbers --------------------------------------------------------------------


@pytest.fixture
def tva(org):
    """2025 with two cases: S1 (EB, allvarligt, anmäld, IVO: kritik, approved summary),
    S2 (KOLL, inget missförhållande)."""
    return [
        ls(
            org,
            "EB",
            lokal(2025, 4, 1, 9),
            handelsedatum=date(2025, 3, 30),
            utredning_inledd=date(2025, 4, 2),
            klassning="allvarligt_missforhallande",
            bedomd=date(2025, 4, 10),
            beslutad=date(2025, 5, 1),
            ivo_anmald=date(2025, 4, 12),
            ivo_beslut=date(2025, 8, 1),
            ivo_utfall="kritik",
            anonym_sammanfattning="SAMMANFATTNING-S1 godkänd.",
            anonym_godkand=date(2025, 9, 1),
        ),
        ls(
            org,
            "KOLL",
            lokal(2025, 7, 1, 9),
            handelsedatum=date(2025, 6, 28),
            klassning="inget_missforhallande",
            bedomd=date(2025, 7, 10),
            beslutad=date(2025, 8, 1),
        ),
    ]


def test_under_tre_ar_visas_bara_antalen(tva):
    s = siffror.lexsarah_siffror(AR, BRYT)
    assert (s["totalt"], s["anmalda"], s["ivo_avslutade"], s["beslutade"]) == (2, 1, 1, 2)
    # No breakdown is in the figures at all (a decided report stores none).
    assert s["visa_fordelningar"] is False
    for nyckel in ("per_klassning", "ivo_utfall", "per_avdelning", "per_verksamhetsomrade"):
        assert s[nyckel] is None, nyckel
    # The approved summary is shown, without its classification; the medians (two cases
    # each at most) are not shown.
    assert s["sammanfattningar"] == [
        {"ar": 2025, "klassning": "", "text": "SAMMANFATTNING-S1 godkänd."}
    ]
    assert s["ledtider"]["rapport_till_beslut"] == {"antal": 2, "median_dagar": None, "ej_med": 0}
    assert s["ledtider"]["handelse_till_rapport"]["median_dagar"] is None

    text = kapitel(s)
    assert "2 rapporter enligt lex Sarah kom in under 2025" in text
    assert "visas inte när färre än 3 rapporter kommit in under året" in text
    for dolt in (
        "Rapporter per klassning",
        "Allvarligt missförhållande",
        "Kritik",
        "Myndighetsavdelningen",
        "Öppenvårdsavdelningen",
        "per verksamhetsområde",
    ):
        assert dolt not in text, dolt
    assert "SAMMANFATTNING-S1 godkänd." in text


def test_fran_tre_visas_fordelningarna(tva, org):
    ls(org, "EB", lokal(2025, 9, 1, 9))
    s = siffror.lexsarah_siffror(AR, BRYT)
    assert (s["totalt"], s["visa_fordelningar"]) == (3, True)
    assert som_dict(s["per_klassning"])["Ej bedömd ännu"] == 1
    assert som_dict(s["per_avdelning"]) == {"Myndighetsavdelningen": 2, "Öppenvårdsavdelningen": 1}
    assert som_dict(s["ivo_utfall"])["Kritik"] == 1
    assert s["sammanfattningar"][0]["klassning"] == "Allvarligt missförhållande"
    text = kapitel(s)
    assert "visas inte när färre" not in text
    # 3 cases: shares as counts ("1 av 3"), never a percentage under 10.
    assert "Allvarligt missförhållande 1 1 av 3" in text
    assert "%" not in text


# --- The trend over five years ---------------------------------------------------------


@pytest.fixture
def historik(lexsarah_ar):
    """History of lex Sarah (serie lexsarah): 2021 total 6; 2022 classification rows
    only (no total); 2023 total 9 with classification rows; 2024 total 7; 2025 total 99
    (the driftstart year: never used). Go-live 2025-03-01; X1 is a stray 2024 record."""
    HistorikFactory(ar=2021, serie="lexsarah", dimension="total", antal=6)
    HistorikFactory(
        ar=2022, serie="lexsarah", dimension="klassning", varde="missforhallande", antal=4
    )
    HistorikFactory(ar=2023, serie="lexsarah", dimension="total", antal=9)
    HistorikFactory(
        ar=2023,
        serie="lexsarah",
        dimension="klassning",
        varde="allvarligt_missforhallande",
        antal=2,
    )
    HistorikFactory(ar=2024, serie="lexsarah", dimension="total", antal=7)
    HistorikFactory(ar=2025, serie="lexsarah", dimension="total", antal=99)
    HistorikFactory(ar=2024, serie="avvikelser", dimension="total", antal=55)
    Driftstart.objects.create(serie="lexsarah", fran=date(2025, 3, 1))


def test_fem_ar_med_historik_fore_driftstart(historik):
    over_tid = siffror.lexsarah_siffror(AR, BRYT)["over_tid"]
    assert [(r["ar"], r["kalla"], r["totalt"], r.get("delar_fran")) for r in over_tid] == [
        (2021, "historik", 6, None),
        # Classification rows alone give no total (unclassified cases may be missing).
        (2022, None, None, None),
        (2023, "historik", 9, None),
        # History, not the stray record X1, nor the avvikelser series' 55.
        (2024, "historik", 7, None),
        # The records (L1–L8), not the history's 99; a partial year from go-live.
        (2025, "register", 8, "2025-03-01"),
    ]
    h = siffror.historik_for(Serie.LEXSARAH, 2023)
    assert h["totalt"] == 9
    assert h["per_klassning"] == [
        {"varde": "allvarligt_missforhallande", "namn": "Allvarligt missförhållande", "antal": 2}
    ]


def test_trenden_i_kapitlet(historik):
    text = kapitel(siffror.lexsarah_siffror(AR, BRYT))
    assert (
        "2021 6 Tidigare system 2022 – Uppgift saknas 2023 9 Tidigare system "
        "2024 7 Tidigare system 2025* 8 Ledningssystemet"
    ) in text
    assert "* Delår: från 2025-03-01 (driftstart)" in text


# --- The chapter as the report shows it ---------------------------------------------------


def test_kapitlet_efter_avvikelser():
    slugs = [k.slug for k in KAPITEL]
    assert slugs.index("lexsarah") == slugs.index("avvikelser") + 1
    assert str(hamta("lexsarah").titel) == "Rapportering enligt lex Sarah"


def test_standardtexten_citerar_regeln_och_har_instruktion(settings):
    text = hamta("lexsarah").standardtext(2025, settings.KOMMUN_NAMN)
    assert har_instruktion(text)
    assert "socialtjänstlagen (2025:400)" in text
    assert "SOSFS 2011:5" in text
    # The rule valid on the last day of 2024: the old act, from the table.
    assert "14 kap. 3–7 §§ socialtjänstlagen (2001:453)" in hamta("lexsarah").standardtext(
        2024, settings.KOMMUN_NAMN
    )
    assert "rapport" in text and "anmäls" in text


def test_forhandsvisningen_visar_siffrorna_och_inga_personuppgifter(
    lexsarah_ar, historik, utkast, klient_for
):
    response = klient_for("kvalitetssamordnare").get(f"/rapporter/{utkast.pk}/forhandsvisning/")
    assert response.status_code == 200
    html = response.content.decode()
    text = text_av(html)
    start = text.index("Rapportering enligt lex Sarah Den som fullgör")
    del_ = text[start : text.index("Förbättrande åtgärder och resultat", start)]
    assert "8 rapporter enligt lex Sarah kom in under 2025" in del_
    assert (
        "7 av dem hade fått ett beslut om utredning vid brytdatum; 4 utredningar var klara" in del_
    )
    assert "5 ärenden var beslutade vid brytdatum" in del_
    assert (
        "4 anmälningar till IVO gjordes om årets rapporter; IVO hade beslutat i 2 ärenden "
        "och 2 väntade på IVO:s beslut vid brytdatum"
    ) in del_
    assert "Inget missförhållande 1 1 av 8" in del_
    assert "Ej bedömd ännu 1 1 av 8" in del_
    assert "Kritik 1 1 av 4 Krav på åtgärder 0 0 av 4 Föreläggande 0 0 av 4" in del_
    assert "Väntar på IVO:s beslut 2 2 av 4" in del_
    assert "Myndighetsavdelningen 4 4 av 8" in del_
    assert "Barn och unga 3 3 av 8 Familjerätt 1 1 av 8 Utan verksamhetsområde 4 4 av 8" in del_
    assert "Händelsen – rapporten 4,0 5" in del_
    assert "Rapporten – beslutet 48,0 5" in del_
    assert "Rapporten – anmälan till IVO 14,0 4" in del_
    assert (
        "3 rapporter ingår inte där (datumet var okänt, ungefärligt eller senare än rapporten)"
        in del_
    )
    assert (
        "2 av 4 åtgärdsplaner som skulle ha följts upp senast brytdatum följdes upp i tid" in del_
    )
    assert "1 följdes upp senare och 1 var inte uppföljd vid brytdatum" in del_
    assert "SAMMANFATTNING-A" in del_ and "SAMMANFATTNING-C" in del_
    assert "Anmäld till IVO 2025 · Allvarligt missförhållande SAMMANFATTNING-C" in del_
    # Nothing of the cases but the approved summaries: no free text, name, diarienummer
    # or case number anywhere in the report.
    assert HEMLIG not in html
    for inte in ("SAMMANFATTNING-B", "SAMMANFATTNING-D", "SAMMANFATTNING-E"):
        assert inte not in html
    assert not re.search(r"LS-\d{4}-\d+", html)


def test_fragorna_ar_lika_manga_for_3_och_30_arenden(org, django_assert_max_num_queries):
    """The figures are aggregated in the database: the query count does not grow with
    the cases (each case has every step, so every median is computed both times)."""

    def fyll_pa(fran, till):
        for i in range(fran, till):
            ls(
                org,
                ("EB", "BUV", "KOLL", "STAB")[i % 4],
                lokal(2025, 1 + i % 11, 1 + i % 27, 9),
                handelsedatum=date(2025, 1 + i % 11, 1),
                utredning_inledd=date(2025, 12, 1),
                utredning_klar=date(2025, 12, 10),
                klassning=("missforhallande", "allvarligt_missforhallande")[i % 2],
                bedomd=date(2025, 12, 5),
                beslutad=date(2025, 12, 20),
                ivo_anmald=date(2025, 12, 15),
                ivo_beslut=date(2026, 1, 10) if i % 3 else None,
                ivo_utfall="kritik" if i % 3 else "",
                uppfoljning_senast=date(2026, 1, 1),
                uppfoljd=date(2025, 12, 30) if i % 2 else None,
                anonym_sammanfattning=f"Sammanfattning {i}.",
                anonym_godkand=date(2026, 1, 5),
            )

    def fragor():
        with CaptureQueriesContext(connection) as ctx:
            s = siffror.lexsarah_siffror(AR, BRYT)
        return len(ctx), s

    fyll_pa(0, 3)
    fa, s = fragor()
    assert (s["totalt"], len(s["sammanfattningar"])) == (3, 3)
    fyll_pa(3, 30)
    manga, s = fragor()
    assert (s["totalt"], len(s["sammanfattningar"])) == (30, 30)
    assert s["ledtider"]["rapport_till_beslut"]["median_dagar"] is not None
    assert manga == fa
    assert fa <= 25
