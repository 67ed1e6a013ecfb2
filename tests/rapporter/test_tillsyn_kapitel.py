"""The chapter "IVO:s tillsyn" of the kvalitetsberättelse, counted by hand from the written
definition (docs/siffror.md "IVO:s tillsyn"): a tillsyn counts in the year IVO started it,
IVO's decision only if it came by the cut-off (31 January 2026 for 2025)."""

import json
import re
from datetime import date

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from rapporter import siffror
from rapporter.kapitel import KAPITEL
from tillsyn.models import Tillsyn

pytestmark = pytest.mark.django_db

AR = 2025
BRYT = date(2026, 1, 31)
HEMLIGT = "HEMLIGT-TIS-9"


def ny(org, personas, enhet, inleddes, typ="planerad", beslut=None, utfall=""):
    return Tillsyn.objects.create(
        enhet=org[enhet],
        registrerad_av=personas["kvalitetssamordnare"],
        typ=typ,
        ivo_diarienummer=f"3.5.1-{inleddes:%m%d}/{inleddes.year}",
        inleddes=inleddes,
        omfattning=f"Granskning {HEMLIGT}",
        krav=f"Krav {HEMLIGT}",
        beslut=beslut,
        utfall=utfall,
        beslut_text=f"Beslut {HEMLIGT}" if beslut else "",
    )


@pytest.fixture
def tillsyner(org, personas):
    """2025: four tillsyner –
    KOLL 2025-01-01 planerad, decided 2025-06-01 "kritik";
    EB 2025-12-31 händelsestyrd, decided 2026-01-31 (the cut-off day) "krav";
    BUV 2025-09-10 händelsestyrd, decided 2026-02-01 (after the cut-off) "kritik";
    TEAM 2025-11-02 uppföljning, no decision.
    Outside it: 2024-12-31 and 2026-01-01."""
    ny(org, personas, "KOLL", date(2025, 1, 1), beslut=date(2025, 6, 1), utfall="kritik")
    ny(org, personas, "EB", date(2025, 12, 31), "handelsestyrd", date(2026, 1, 31), "krav")
    ny(org, personas, "BUV", date(2025, 9, 10), "handelsestyrd", date(2026, 2, 1), "kritik")
    ny(org, personas, "TEAM", date(2025, 11, 2), "uppfoljning")
    ny(org, personas, "EB", date(2024, 12, 31), beslut=date(2025, 3, 1), utfall="kritik")
    ny(org, personas, "EB", date(2026, 1, 1))


def antal(rader):
    return {r["namn"]: r["antal"] for r in rader}


def test_siffrorna_raknade_for_hand(tillsyner):
    s = siffror.tillsyn_siffror(AR, BRYT)
    assert s["totalt"] == 4
    assert antal(s["per_typ"]) == {
        "Planerad tillsyn": 1,
        "Händelsestyrd tillsyn": 2,
        "Uppföljande tillsyn": 1,
    }
    # By the cut-off: KOLL (kritik) and EB (krav, on the cut-off day); BUV's decision came
    # the day after, so it still waits, as TEAM does.
    assert antal(s["utfall"]) == {
        "Avslutat utan kritik": 0,
        "Kritik": 1,
        "Krav på åtgärder": 1,
        "Föreläggande": 0,
    }
    assert (s["beslutade"], s["vantar_beslut"]) == (2, 2)
    assert s["rader"] == [
        {"enhet": "Kollektivet HVB", "typ": "Planerad tillsyn", "inleddes": "2025-01-01",
         "beslut": "2025-06-01", "utfall": "Kritik"},
        {"enhet": "Bistånd barn och unga", "typ": "Händelsestyrd tillsyn",
         "inleddes": "2025-09-10", "beslut": "", "utfall": ""},
        {"enhet": "Mottagning", "typ": "Uppföljande tillsyn", "inleddes": "2025-11-02",
         "beslut": "", "utfall": ""},
        {"enhet": "Ekonomiskt bistånd", "typ": "Händelsestyrd tillsyn",
         "inleddes": "2025-12-31", "beslut": "2026-01-31", "utfall": "Krav på åtgärder"},
    ]  # fmt: skip
    # Frozen with a decided report: plain JSON.
    assert json.loads(json.dumps(s)) == s


def test_utan_brytdatum_raknas_alla_beslut(tillsyner):
    s = siffror.tillsyn_siffror(AR, None)
    assert (s["beslutade"], s["vantar_beslut"]) == (3, 1)


def test_kapitlet_visar_siffrorna_och_inga_fritexter(tillsyner):
    s = siffror.tillsyn_siffror(AR, BRYT)
    html = render_to_string("rapporter/kapitel/tillsyn.html", {"s": s, "ar": AR})
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert (
        "4 tillsyner av IVO inleddes under 2025; IVO hade beslutat i 2 av dem vid brytdatum" in text
    )
    assert "2 tillsyner väntade på IVO:s beslut vid brytdatum" in text
    # One tillsyn is "den", not "0 av dem".
    for beslutade, vantat in (
        (0, "IVO hade inte beslutat i den än"),
        (1, "IVO hade beslutat i den"),
    ):
        en = {**s, "totalt": 1, "beslutade": beslutade}
        html_en = render_to_string("rapporter/kapitel/tillsyn.html", {"s": en, "ar": AR})
        text_en = " ".join(re.sub(r"<[^>]+>", " ", html_en).split())
        assert f"1 tillsyn av IVO inleddes under 2025; {vantat} vid brytdatum." in text_en
    assert "Kollektivet HVB Planerad tillsyn 2025-01-01 2025-06-01: Kritik" in text
    assert HEMLIGT not in html
    assert "3.5.1-" not in html  # IVO's case numbers stay in the case


def test_kapitlet_ligger_efter_lex_sarah_och_har_en_skrivinstruktion():
    slugs = [k.slug for k in KAPITEL]
    assert slugs.index("tillsyn") == slugs.index("lexsarah") + 1
    text = next(k for k in KAPITEL if k.slug == "tillsyn").standardtext(AR, "Testköping")
    assert "[[" in text and "IVO" in text


def test_fragorna_vaxer_inte_med_antalet(org, personas):
    for i in range(3):
        ny(org, personas, "EB", date(2025, 3, 1 + i))
    with CaptureQueriesContext(connection) as fa:
        siffror.tillsyn_siffror(AR, BRYT)
    for i in range(30):
        ny(org, personas, "KOLL", date(2025, 4, 1 + i % 28), beslut=date(2025, 6, 1), utfall="krav")
    with CaptureQueriesContext(connection) as manga:
        siffror.tillsyn_siffror(AR, BRYT)
    assert len(manga.captured_queries) == len(fa.captured_queries)
