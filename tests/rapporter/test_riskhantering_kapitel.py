"""The chapter "Riskhantering" of the kvalitetsberättelse, counted by hand from the written
definitions (docs/siffror.md "Riskhantering", riskregister/register.py).

The year is 2025, cut off 31 January 2026, so its last day is 31 December 2025. The risks,
links, versions and analyses are written out in the fixture's table; every expected figure
below is counted from that table, never from the code.
"""

import json
import re
from datetime import date, datetime

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kvalitet.models import CaseLink
from rapporter import siffror
from rapporter.kapitel import KAPITEL
from riskregister import statistik
from riskregister.choices import Status, Versionsstatus
from riskregister.models import Registerversion, Risk, Riskanalys
from tests.factories import AvvikelseFactory, SynpunktFactory
from tests.riskregister.hjalp import risk

pytestmark = pytest.mark.django_db

AR = 2025
BRYT = date(2026, 1, 31)
HEMLIG = "HEMLIGT-RSK-4"


def lokal(*args):
    """An aware datetime in Swedish local time (Europe/Stockholm)."""
    return timezone.make_aware(datetime(*args))


def text_av(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def kapitel(s, ar=AR):
    return render_to_string("rapporter/kapitel/riskhantering.html", {"s": s, "ar": ar})


@pytest.fixture
def aret(org, personas):
    """The register around 2025 (values s × k; "aktiv" = in the register from):

    risk enhet  assessments                          aktiv       removed     other
    R1   EB     2024-03-01 2×3=6, 2025-06-01 3×4=12  2024-03-01  –           reducera
    R2   KOLL   2024-05-01 4×4=16, 2025-12-31 1×2=2  2024-05-01  –           acceptera
    R3   BUV    2024-02-01 3×3=9                     2024-02-01  2025-01-01
    R4   TEAM   2025-03-10 2×2=4                     2025-04-15  –           (decided)
    R5   EB     2025-11-01 4×3=12                    –           –           proposal
    R6   STAB   2024-01-15 2×4=8, 2026-01-10 4×4=16  2024-01-15  –           eliminera
    R7   SOC    2024-06-01 1×3=3, 2025-02-01 3×1=3   2024-06-01  –
    R8   EB     2023-01-01 2×2=4                     2023-01-01  2024-06-01
    R9   KOLL   2025-05-01 1×1=1                     –           2025-05-20  turned down
    R10  BUV    2024-09-01 4×3=12                    2024-09-01  –           reducera

    Created in this order, so numbered RISK-2024-0001 R1, -0002 R2, -0003 R3, -0004 R6,
    -0005 R7, -0006 R10; RISK-2025-0001 R4, -0002 R5, -0003 R9; RISK-2023-0001 R8.

    Events linked as realising a risk (the link's time, Swedish local time):
    A1 → R1 2025-12-31 23:30 (2025, though 22:30 UTC is also 2025)
    A2 → R1 2025-03-01 10:00
    A3 → R2 2026-01-01 00:30 (2026 – still 2025 in UTC)
    A4 → R2 2024-12-31 23:30 (2024)
    S1 → R10 2025-06-01 12:00 (a synpunkt: another kind of event)

    Versions: v1 decided 2024-11-20, v2 2025-03-20 § 22 SN 2025/14, v3 2025-12-18
    § 101 SN 2025/90, v4 2026-01-15 (after the year), v5 a draft.
    Riskanalyser: RA1 EB 2025-09-01 sent 2025-10-01; RA2 KOLL 2025-11-01 sent 2026-01-10;
    RA3 STAB 2025-05-01 not sent.
    """
    r = {
        1: risk(org["EB"], (date(2024, 3, 1), 2, 3), (date(2025, 6, 1), 3, 4),
                titel="Fel mottagare", strategi="reducera", beskrivning=HEMLIG),
        2: risk(org["KOLL"], (date(2024, 5, 1), 4, 4), (date(2025, 12, 31), 1, 2),
                titel="Rymning", strategi="acceptera"),
        3: risk(org["BUV"], (date(2024, 2, 1), 3, 3), titel="Borttagen nyårsdagen",
                borttagen=date(2025, 1, 1)),
        6: risk(org["STAB"], (date(2024, 1, 15), 2, 4), (date(2026, 1, 10), 4, 4),
                titel="Bedömd efter året", strategi="eliminera"),
        7: risk(org["SOC"], (date(2024, 6, 1), 1, 3), (date(2025, 2, 1), 3, 1),
                titel="Samma värde"),
        10: risk(org["BUV"], (date(2024, 9, 1), 4, 3), titel="Hot mot personal",
                 strategi="reducera"),
        4: risk(org["TEAM"], (date(2025, 3, 10), 2, 2), titel="Ny under året",
                aktiv_fran=date(2025, 4, 15)),
        5: risk(org["EB"], (date(2025, 11, 1), 4, 3), titel="Förslag som väntar",
                status=Status.FORESLAGEN),
        9: risk(org["KOLL"], (date(2025, 5, 1), 1, 1), titel="Avslaget förslag",
                borttagen=date(2025, 5, 20)),
        8: risk(org["EB"], (date(2023, 1, 1), 2, 2), titel="Gammal",
                borttagen=date(2024, 6, 1)),
    }  # fmt: skip
    # A proposal turned down never entered the register.
    Risk.objects.filter(pk=r[9].pk).update(aktiv_fran=None)
    for x in r.values():
        x.refresh_from_db()

    av = personas["kvalitetssamordnare"]
    h = {
        nr: AvvikelseFactory(enhet=org["EB"], rapporterad_av=av, beskrivning=HEMLIG)
        for nr in ("A1", "A2", "A3", "A4")
    }
    h["S1"] = SynpunktFactory(enhet=org["BUV"])
    for fran, till, tid in (
        ("A1", 1, lokal(2025, 12, 31, 23, 30)),
        ("A2", 1, lokal(2025, 3, 1, 10)),
        ("A3", 2, lokal(2026, 1, 1, 0, 30)),
        ("A4", 2, lokal(2024, 12, 31, 23, 30)),
        ("S1", 10, lokal(2025, 6, 1, 12)),
    ):
        h[fran].link(r[till], CaseLink.Typ.REALISERADE, av=av, tid=tid)

    for v, status, dag, p, dnr in (
        (1, Versionsstatus.ERSATT, date(2024, 11, 20), "§ 80", "SN 2024/5"),
        (2, Versionsstatus.ERSATT, date(2025, 3, 20), "§ 22", "SN 2025/14"),
        (3, Versionsstatus.ERSATT, date(2025, 12, 18), "§ 101", "SN 2025/90"),
        (4, Versionsstatus.FASTSTALLD, date(2026, 1, 15), "§ 3", "SN 2026/2"),
        (5, Versionsstatus.UTKAST, None, "", ""),
    ):
        Registerversion.objects.create(
            version=v, status=status, sammantradesdatum=dag, paragraf=p, diarienummer=dnr
        )
    a = {}
    for nr, enhet, dag, skickad in (
        ("RA1", "EB", date(2025, 9, 1), date(2025, 10, 1)),
        ("RA2", "KOLL", date(2025, 11, 1), date(2026, 1, 10)),
        ("RA3", "STAB", date(2025, 5, 1), None),
    ):
        a[nr] = Riskanalys.objects.create(
            enhet=org[enhet],
            datum=dag,
            utlosande="arlig",
            deltagare=f"Avdelningschef – Anna {HEMLIG}",
            anteckningar=HEMLIG,
            skickad_till_namnd=skickad,
        )
    return r, h, a


def nr(r, *nycklar):
    return [r[n].nummer for n in nycklar]


def test_numren_ar_de_i_tabellen(aret):
    r, _, _ = aret
    assert nr(r, 1, 2, 3, 6, 7, 10) == [f"RISK-2024-000{i}" for i in range(1, 7)]
    assert nr(r, 4, 5, 9) == ["RISK-2025-0001", "RISK-2025-0002", "RISK-2025-0003"]


def test_matrisen_vid_arets_borjan_och_slut(aret):
    s = siffror.riskhantering_siffror(AR, BRYT)
    assert (s["start"], s["slut"]) == ("2025-01-01", "2025-12-31")
    # 1 January: R1 2×3, R2 4×4, R6 2×4, R7 1×3, R10 4×3. R3 was removed that very day,
    # so it is not in the register on it; R4 entered in April, R5 and R9 never did.
    assert s["matris_start"]["celler"] == [[1, 3, 1], [2, 3, 1], [2, 4, 1], [4, 3, 1], [4, 4, 1]]
    assert s["matris_start"]["totalt"] == 5
    # 31 December: R1 3×4, R2 1×2 (assessed that day), R4 2×2, R6 still 2×4 (its new
    # assessment is dated 2026), R7 3×1, R10 4×3.
    assert s["matris_slut"]["celler"] == [
        [1, 2, 1], [2, 2, 1], [2, 4, 1], [3, 1, 1], [3, 4, 1], [4, 3, 1]
    ]  # fmt: skip
    assert s["matris_slut"]["totalt"] == 6
    # The stored table is the one the matrix partial reads: row 4 (Sannolik) first,
    # its cell at konsekvens 3 holds R10, value 12, level "Mycket hög", red.
    m = s["matris_slut"]["matris"]
    assert [rad["steg"] for rad in m["rader"]] == [4, 3, 2, 1]
    cell = m["rader"][0]["celler"][2]
    assert (cell["varde"], cell["antal"], cell["niva"]["namn"], cell["niva"]["farg"]) == (
        12, 1, "Mycket hög", "rod"
    )  # fmt: skip
    # Per level on 31 December: Låg R2 (2), R7 (3); Måttlig R4 (4); Hög R6 (8);
    # Mycket hög R1 and R10 (12).
    assert {r["niva"]["namn"]: r["antal"] for r in m["per_niva"]} == {
        "Låg": 2, "Måttlig": 1, "Hög": 1, "Mycket hög": 2
    }  # fmt: skip
    # Rebuilt from the plain counts and the stored scale, it is the same table.
    assert statistik.matris_data(s["matris_slut"]["celler"], s["skala"]) == m


def test_de_hogsta_riskerna_vid_arets_slut(aret):
    r, _, _ = aret
    s = siffror.riskhantering_siffror(AR, BRYT)
    # R1 and R10 both 12: by number. R6 counts with its value on 31 December (8), not its
    # current 16. Sixth, R2 (2), is left out.
    assert s["hogsta"] == [
        {"nummer": r[1].nummer, "titel": "Fel mottagare", "enhet": "Ekonomiskt bistånd",
         "sannolikhet": 3, "konsekvens": 4, "varde": 12, "niva": "Mycket hög",
         "strategi": "Reducera"},
        {"nummer": r[10].nummer, "titel": "Hot mot personal",
         "enhet": "Bistånd barn och unga", "sannolikhet": 4, "konsekvens": 3, "varde": 12,
         "niva": "Mycket hög", "strategi": "Reducera"},
        {"nummer": r[6].nummer, "titel": "Bedömd efter året", "enhet": "Staben",
         "sannolikhet": 2, "konsekvens": 4, "varde": 8, "niva": "Hög",
         "strategi": "Eliminera"},
        {"nummer": r[4].nummer, "titel": "Ny under året", "enhet": "Mottagning",
         "sannolikhet": 2, "konsekvens": 2, "varde": 4, "niva": "Måttlig", "strategi": ""},
        {"nummer": r[7].nummer, "titel": "Samma värde", "enhet": "Socialförvaltningen",
         "sannolikhet": 3, "konsekvens": 1, "varde": 3, "niva": "Låg", "strategi": ""},
    ]  # fmt: skip


def test_forandringarna_under_aret(aret):
    r, _, _ = aret
    s = siffror.riskhantering_siffror(AR, BRYT)
    # Proposed (identified in 2025): R4, R5, R9 – with where each stood on 31 December.
    assert [(x["nummer"], x["identifierad"], x["status"]) for x in s["foreslagna"]] == [
        (r[4].nummer, "2025-03-10", "I registret"),
        (r[5].nummer, "2025-11-01", "Föreslagen"),
        (r[9].nummer, "2025-05-01", "Borttagen"),
    ]
    # Entered the register in 2025: R4 only.
    assert s["infora"] == [
        {"nummer": r[4].nummer, "titel": "Ny under året", "enhet": "Mottagning",
         "datum": "2025-04-15"}
    ]  # fmt: skip
    # Re-assessed: R1 (June), R2 (31 December), R7 (February, same value). Not R4, R5 or
    # R9 (their only assessment is their first), not R6 (its new one is dated 2026).
    assert [(x["nummer"], x["antal"]) for x in s["omvarderade"]] == [
        (r[1].nummer, 1), (r[2].nummer, 1), (r[7].nummer, 1)
    ]  # fmt: skip
    # In the register on both days: R1 6 → 12 raised, R2 16 → 2 lowered; R6, R7 and R10
    # kept their values (R7 moved cell, 1×3 → 3×1, at the same value 3).
    assert s["hojda"] == [
        {"nummer": r[1].nummer, "titel": "Fel mottagare", "enhet": "Ekonomiskt bistånd",
         "fran": 6, "till": 12}
    ]  # fmt: skip
    assert [(x["nummer"], x["fran"], x["till"]) for x in s["sankta"]] == [(r[2].nummer, 16, 2)]
    # Removed in 2025: R3 on 1 January, R9 – a proposal turned down. R8 went in 2024.
    assert s["borttagna"] == [
        {"nummer": r[3].nummer, "titel": "Borttagen nyårsdagen", "enhet": "Bistånd barn och unga",
         "datum": "2025-01-01", "skal": "Ingen risk längre", "forslag": False},
        {"nummer": r[9].nummer, "titel": "Avslaget förslag", "enhet": "Kollektivet HVB",
         "datum": "2025-05-20", "skal": "Ingen risk längre", "forslag": True},
    ]  # fmt: skip
    assert s["antal"] == {
        "foreslagna": 3, "infora": 1, "omvarderade": 3, "hojda": 1, "sankta": 1,
        "borttagna": 2, "realiserade_risker": 2, "realiserade_handelser": 3,
    }  # fmt: skip


def test_realiserade_risker_raknas_i_svensk_tid(aret):
    r, h, _ = aret
    s = siffror.riskhantering_siffror(AR, BRYT)
    # A1 (31 December 23:30) and A2 for R1; S1 for R10. A3 (1 January 2026 00:30, still
    # 2025 in UTC) and A4 (2024) are not 2025's.
    assert s["realiserade"] == [
        {"nummer": r[1].nummer, "titel": "Fel mottagare", "antal": 2,
         "handelser": sorted([h["A1"].nummer, h["A2"].nummer])},
        {"nummer": r[10].nummer, "titel": "Hot mot personal", "antal": 1,
         "handelser": [h["S1"].nummer]},
    ]  # fmt: skip


def test_namndens_behandling(aret):
    _, _, a = aret
    s = siffror.riskhantering_siffror(AR, BRYT)
    # v2 and v3 were decided in 2025; v1 in 2024, v4 in 2026, v5 is a draft.
    assert s["versioner"] == [
        {"version": 2, "datum": "2025-03-20", "paragraf": "§ 22", "diarienummer": "SN 2025/14"},
        {"version": 3, "datum": "2025-12-18", "paragraf": "§ 101", "diarienummer": "SN 2025/90"},
    ]
    # RA1 was sent in 2025; RA2 in 2026, RA3 never.
    assert s["riskanalyser"] == [
        {"nummer": a["RA1"].nummer, "enhet": "Ekonomiskt bistånd", "datum": "2025-09-01",
         "anledning": "Årlig riskanalys", "skickad": "2025-10-01"}
    ]  # fmt: skip


def test_brytdatum_mitt_i_aret(aret):
    r, h, _ = aret
    s = siffror.riskhantering_siffror(AR, date(2025, 5, 31))
    assert s["slut"] == "2025-05-31"
    # R1's June assessment comes after the cut-off: R1 is 2×3 = 6 on the last day, not
    # re-assessed and not raised; R2's December one too: still 16.
    assert [(x["nummer"], x["antal"]) for x in s["omvarderade"]] == [(r[7].nummer, 1)]
    assert (s["hojda"], s["sankta"]) == ([], [])
    # On 31 May: R2 16, R10 12, R6 8, R1 6, R4 4 (in since April); R7 (3) sixth.
    assert [(x["nummer"], x["varde"]) for x in s["hogsta"]] == [
        (r[2].nummer, 16), (r[10].nummer, 12), (r[6].nummer, 8), (r[1].nummer, 6),
        (r[4].nummer, 4),
    ]  # fmt: skip
    # Proposed by 31 May: R4 and R9 (R5 came in November); R9 was removed by then.
    assert [(x["nummer"], x["status"]) for x in s["foreslagna"]] == [
        (r[4].nummer, "I registret"), (r[9].nummer, "Borttagen")
    ]  # fmt: skip
    assert [x["nummer"] for x in s["borttagna"]] == [r[3].nummer, r[9].nummer]
    # Only A2 (March) is linked by the cut-off.
    assert s["realiserade"] == [
        {"nummer": r[1].nummer, "titel": "Fel mottagare", "antal": 1,
         "handelser": [h["A2"].nummer]}
    ]  # fmt: skip
    assert [v["version"] for v in s["versioner"]] == [2]
    assert s["riskanalyser"] == []


def test_siffrorna_ar_json_och_kapitlet_visar_dem_utan_personuppgifter(aret):
    r, h, _ = aret
    s = json.loads(json.dumps(siffror.riskhantering_siffror(AR, BRYT)))  # as frozen
    html = kapitel(s)
    text = text_av(html)
    assert "6 risker i registret 2025-12-31, mot 5 2025-01-01" in text
    assert (
        "3 risker föreslogs under 2025. Under året fördes 1 risk in i registret och 2 risker "
        "togs bort." in text
    )
    assert "3 risker bedömdes på nytt; 1 fick ett högre och 1 ett lägre riskvärde" in text
    assert "3 händelser kopplades under året till 2 risker som de realiserade" in text
    # Both matrices, through the register's own partial.
    assert html.count('class="riskmatris"') == 2
    assert "Risker i registret 2025-01-01, antal per sannolikhet och konsekvens" in text
    assert "12 · Mycket hög" in text
    assert f"{r[1].nummer} Fel mottagare Ekonomiskt bistånd 12 Mycket hög Reducera" in text
    assert f"{r[9].nummer} Avslaget förslag (förslag, aldrig i registret)" in text
    assert f"{r[2].nummer} Rymning Kollektivet HVB 16 2 Sänkt" in text
    assert f"{r[10].nummer} Hot mot personal 1 {h['S1'].nummer}" in text
    # A year without such links says so in words, not "0 händelser … till 0 risker".
    s["antal"]["realiserade_handelser"] = s["antal"]["realiserade_risker"] = 0
    utan = text_av(kapitel(s))
    assert "0 händelser kopplades under året till en risk som de realiserade" in utan
    assert "till 0 risker" not in utan
    # A register empty on 1 January has nothing to compare a value with: no "0 fick ett
    # högre … än vid årets början".
    s["matris_start"]["totalt"] = 0
    s["antal"]["hojda"] = s["antal"]["sankta"] = 0
    tom = text_av(kapitel(s))
    assert "3 risker bedömdes på nytt. Registret var tomt vid årets början" in tom
    assert "fick ett högre" not in tom
    assert "Version 3 2025-12-18 § 101 SN 2025/90" in text
    # No free text of a risk, an event or an analysis, and no participant's name.
    assert HEMLIG not in html
    assert "Anna" not in html


def test_ett_tomt_ar_sager_det(org):
    s = siffror.riskhantering_siffror(AR, BRYT)
    assert s["matris_start"]["celler"] == s["matris_slut"]["celler"] == []
    assert s["hogsta"] == s["realiserade"] == s["versioner"] == []
    text = text_av(kapitel(s))
    assert "Inga risker i registret under 2025" in text
    assert "Inga risker föreslogs, fördes in, bedömdes på nytt eller togs bort under 2025" in text
    assert "Ingen händelse kopplades till en risk" in text
    assert "riskmatris" not in kapitel(s)


def test_kapitlet_ligger_mellan_tillsyn_och_egenkontroll_och_har_skrivinstruktioner():
    slugs = [k.slug for k in KAPITEL]
    i = slugs.index("riskhantering")
    assert slugs[i - 1 : i + 2] == ["tillsyn", "riskhantering", "egenkontroll"]
    k = KAPITEL[i]
    assert str(k.titel) == "Riskhantering"
    text = k.standardtext(AR, "Testköping")
    assert text.count("[[") == 3 and "realiserades" in text


def test_berakna_har_kapitlet(aret):
    alla = json.loads(json.dumps(siffror.berakna(AR, BRYT)))
    assert alla["kapitel"]["riskhantering"]["matris_slut"]["totalt"] == 6


def test_fragorna_vaxer_inte_med_antalet(org, personas):
    av = personas["kvalitetssamordnare"]

    def fyll(antal):
        for i in range(antal):
            x = risk(org["EB"], (date(2024, 2, 1 + i % 28), 1 + i % 4, 1 + i % 3),
                     (date(2025, 3, 1 + i % 28), 1 + i % 3, 1 + i % 4),
                     borttagen=date(2025, 9, 1) if i % 5 == 0 else None)  # fmt: skip
            AvvikelseFactory(enhet=org["EB"], rapporterad_av=av).link(
                x, CaseLink.Typ.REALISERADE, av=av, tid=lokal(2025, 4, 1 + i % 28, 12)
            )
            SynpunktFactory(enhet=org["EB"]).link(
                x, CaseLink.Typ.REALISERADE, av=av, tid=lokal(2025, 5, 1 + i % 28, 12)
            )

    fyll(2)
    with CaptureQueriesContext(connection) as fa:
        siffror.riskhantering_siffror(AR, BRYT)
    fyll(30)
    with CaptureQueriesContext(connection) as manga:
        s = siffror.riskhantering_siffror(AR, BRYT)
    assert s["antal"]["realiserade_handelser"] == 64
    # 11, and one per kind of event linked (avvikelse, synpunkt).
    assert len(manga.captured_queries) == len(fa.captured_queries) == 13
