"""The register as of a date and its matrix (riskregister/register.py's definitions),
against hand-built assessment histories across a year boundary:

- in the register on D: aktiv_fran <= D and not borttagen <= D (removed on D itself: out);
- values on D: the latest assessment dated <= D, ties by the later recorded;
- a proposal is never in it; a risk in it without an assessment by D has no values and
  is not counted.

Every expected value below is worked out by hand from the histories in `hist`.
"""

import csv
import html
import io
import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from riskregister import register
from riskregister.choices import Status
from riskregister.models import Bedomning, Risk
from riskregister.skala import skala
from tests.riskregister.hjalp import risk

pytestmark = pytest.mark.django_db

NYARSAFTON = date(2024, 12, 31)
NYARSDAGEN = date(2025, 1, 1)
NUMMER = re.compile(r'href="/risker/(RISK-\d{4}-\d{4})/"')
CELLANK = re.compile(r'<a class="antal" href="([^"]+)"[^>]*>(\d+)</a>')


@pytest.fixture
def hist(org):
    """The histories, each `(date, sannolikhet, konsekvens)` in the order recorded:

    - a: in from 2024-03-01; 2×2, then 4×4 on 1 Jan 2025 recorded *before* 3×3 on
      31 Dec 2024 (the date decides, not the order recorded);
    - b: in from 2024-06-01; 1×1, then two assessments on 1 Jan 2025: 4×1 and, recorded
      later, 2×3 (the later recorded wins the tie);
    - c: 3×4 from 2024-01-15, removed on 1 Jan 2025;
    - d: a proposal assessed 4×4 in 2024 (never in the register);
    - e: assessed 2×4 on 2024-11-01, in the register from the nämnd's meeting 1 Jan 2025;
    - g: in from 2024-01-01, first assessed 1×2 on 2024-05-01 (no values before);
    - h: 3×3 from 2024-07-01.
    """
    eb = org["EB"]
    return {
        "a": risk(
            eb,
            (date(2024, 3, 1), 2, 2),
            (NYARSDAGEN, 4, 4),
            (NYARSAFTON, 3, 3),
            titel="a",
        ),
        "b": risk(eb, (date(2024, 6, 1), 1, 1), (NYARSDAGEN, 4, 1), (NYARSDAGEN, 2, 3), titel="b"),
        "c": risk(org["KOLL"], (date(2024, 1, 15), 3, 4), titel="c", borttagen=NYARSDAGEN),
        "d": risk(eb, (date(2024, 2, 1), 4, 4), titel="d", status=Status.FORESLAGEN),
        "e": risk(eb, (date(2024, 11, 1), 2, 4), titel="e", aktiv_fran=NYARSDAGEN),
        "g": risk(eb, (date(2024, 5, 1), 1, 2), titel="g", aktiv_fran=date(2024, 1, 1)),
        "h": risk(org["TEAM"], (date(2024, 7, 1), 3, 3), titel="h"),
    }


# Per date: {risk: (sannolikhet, konsekvens)} in the register that day.
PA_DAGEN = {
    date(2023, 12, 31): {},
    date(2024, 1, 1): {},  # g is in, but has no assessment yet
    date(2024, 1, 15): {"c": (3, 4)},
    date(2024, 3, 1): {"a": (2, 2), "c": (3, 4)},
    date(2024, 5, 1): {"a": (2, 2), "c": (3, 4), "g": (1, 2)},
    NYARSAFTON: {"a": (3, 3), "b": (1, 1), "c": (3, 4), "g": (1, 2), "h": (3, 3)},
    NYARSDAGEN: {"a": (4, 4), "b": (2, 3), "e": (2, 4), "g": (1, 2), "h": (3, 3)},
    date(2026, 6, 30): {"a": (4, 4), "b": (2, 3), "e": (2, 4), "g": (1, 2), "h": (3, 3)},
}


def _nyckel(hist):
    return {r.pk: k for k, r in hist.items()}


@pytest.mark.parametrize("dag", list(PA_DAGEN), ids=str)
def test_registret_pa_en_dag(hist, dag):
    namn = _nyckel(hist)
    rader = register.per(Risk.objects.all(), dag)
    fatt = {namn[r.pk]: (r.s_dag, r.k_dag) for r in rader}
    assert fatt == PA_DAGEN[dag]
    for r in rader:
        assert r.varde_dag == r.s_dag * r.k_dag


def test_antal_per_cell_och_matrisen_pa_nyarsafton_och_nyarsdagen(hist):
    s = skala()
    # 31 Dec 2024: a 3×3, b 1×1, c 3×4, g 1×2, h 3×3.
    antal = register.antal_per_cell(register.per(Risk.objects.all(), NYARSAFTON))
    assert antal == {(3, 3): 2, (1, 1): 1, (3, 4): 1, (1, 2): 1}
    m = register.matris(antal, s)
    assert m["totalt"] == 5
    # Levels 3 Låg, 6 Måttlig, 9 Hög, 16 Mycket hög: 1, 2 | – | 9, 9 | 12.
    assert [(n["niva"].namn, n["antal"]) for n in m["per_niva"]] == [
        ("Låg", 2),
        ("Måttlig", 0),
        ("Hög", 2),
        ("Mycket hög", 1),
    ]
    # Rows from sannolikhet 4 down, columns konsekvens 1 up.
    assert [r["steg"] for r in m["rader"]] == [4, 3, 2, 1]
    assert [k["steg"] for k in m["kolumner"]] == [1, 2, 3, 4]
    cell = m["rader"][1]["celler"][2]  # sannolikhet 3, konsekvens 3
    assert (cell["sannolikhet"], cell["konsekvens"], cell["varde"], cell["antal"]) == (3, 3, 9, 2)
    assert (cell["niva"].namn, cell["niva"].farg) == ("Hög", "orange")
    assert m["rader"][1]["celler"][3]["niva"].farg == "rod"  # 12
    assert m["rader"][3]["celler"][0]["niva"].farg == "gron"  # 1
    assert m["rader"][2]["celler"][1]["niva"].farg == "gul"  # 4
    assert sum(c["antal"] for r in m["rader"] for c in r["celler"]) == 5
    # 1 Jan 2025: c is out (removed that day), e in (the meeting that day), a 4×4, b 2×3.
    antal = register.antal_per_cell(register.per(Risk.objects.all(), NYARSDAGEN))
    assert antal == {(4, 4): 1, (2, 3): 1, (2, 4): 1, (1, 2): 1, (3, 3): 1}
    m = register.matris(antal, s)
    assert [n["antal"] for n in m["per_niva"]] == [1, 1, 2, 1]


def test_antal_per_cell_for_ett_urval(hist):
    """The matrix of a selection (the unit filter): Ekonomiskt bistånd with its team."""
    qs = Risk.objects.filter(enhet__sokvag__startswith=hist["a"].enhet.sokvag)
    assert register.antal_per_cell(register.per(qs, NYARSAFTON)) == {
        (3, 3): 2,
        (1, 1): 1,
        (1, 2): 1,
    }


def test_matrisens_lankar_bara_till_celler_med_risker():
    m = register.matris({(2, 3): 4}, skala(), lank=lambda s, k: f"/x?s={s}&k={k}")
    urls = [c["url"] for r in m["rader"] for c in r["celler"] if c["url"]]
    assert urls == ["/x?s=2&k=3"]


def test_forslaget_finns_aldrig_i_registret(hist):
    for dag in PA_DAGEN:
        assert not register.per(Risk.objects.filter(pk=hist["d"].pk), dag).exists()
    assert Risk.objects.i_registret(date(2030, 1, 1)).filter(pk=hist["d"].pk).count() == 0


# --- The list page ---------------------------------------------------------------------------


def _lankar(sida):
    """{(sannolikhet, konsekvens): (url, antal)} of the matrix' links on the page."""
    ut = {}
    for url, antal in CELLANK.findall(sida):
        url = html.unescape(url)
        s = int(re.search(r"sannolikhet=(\d+)", url).group(1))
        k = int(re.search(r"konsekvens=(\d+)", url).group(1))
        ut[(s, k)] = (url, int(antal))
    return ut


@pytest.mark.parametrize("dag", [NYARSAFTON, NYARSDAGEN, date(2024, 3, 1)], ids=str)
def test_listsidan_pa_en_dag_och_matrisens_lankar(hist, klient_for, dag):
    """`?datum=` lists exactly the risks in the register that day with that day's
    values; each cell of its matrix links to exactly its risks."""
    klient = klient_for("kvalitetssamordnare")
    svar = klient.get("/risker/", {"datum": dag.isoformat()})
    assert svar.status_code == 200
    sida = svar.content.decode()
    vantat = PA_DAGEN[dag]
    assert set(NUMMER.findall(sida)) == {hist[k].nummer for k in vantat}
    for k, (s, kons) in vantat.items():
        assert f"{s} × {kons} = <strong>{s * kons}</strong>" in sida, k
    per_cell = {}
    for k, varden in vantat.items():
        per_cell.setdefault(varden, set()).add(hist[k].nummer)
    lankar = _lankar(sida)
    assert {c: n for c, (_u, n) in lankar.items()} == {c: len(r) for c, r in per_cell.items()}
    for cell, (url, _n) in lankar.items():
        assert f"datum={dag.isoformat()}" in url
        cellsida = klient.get(url)
        assert cellsida.status_code == 200
        assert set(NUMMER.findall(cellsida.content.decode())) == per_cell[cell], cell


def test_exporten_pa_en_dag_har_dagens_varden(hist, klient_for):
    svar = klient_for("kvalitetssamordnare").get("/risker/export.csv", {"datum": "2024-12-31"})
    text = b"".join(svar.streaming_content).decode("utf-8-sig")
    rader = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    fatt = {r["Risk"]: (r["Sannolikhet"], r["Konsekvens"], r["Riskvärde"]) for r in rader}
    assert fatt == {
        "a": ("3", "3", "9"),
        "b": ("1", "1", "1"),
        "c": ("3", "4", "12"),
        "g": ("1", "2", "2"),
        "h": ("3", "3", "9"),
    }


def test_filtret_erbjuder_skalans_steg(hist, klient_for):
    """Sannolikhet and konsekvens are chosen among the scale's steps, by name – the same
    choice as a cell of the matrix."""
    klient = klient_for("kvalitetssamordnare")
    sida = klient.get("/risker/", {"datum": "2024-12-31", "sannolikhet": 3}).content.decode()
    for steg in ("1 Osannolik", "2 Mindre sannolik", "3 Möjlig", "4 Sannolik"):
        assert f">{steg}</option>" in sida, steg
    for steg in ("1 Försumbar", "2 Lindrig", "3 Kännbar", "4 Allvarlig"):
        assert f">{steg}</option>" in sida, steg
    assert '<option value="3" selected>3 Möjlig</option>' in sida
    assert set(NUMMER.findall(sida)) == {hist[k].nummer for k in ("a", "c", "h")}


def test_listan_utan_datum_visar_registret_i_dag(hist, klient_for):
    """No query string: the register today – not the proposal, not the removed risk."""
    sida = klient_for("kvalitetssamordnare").get("/risker/").content.decode()
    assert set(NUMMER.findall(sida)) == {hist[k].nummer for k in ("a", "b", "e", "g", "h")}
    forslag = klient_for("kvalitetssamordnare").get("/risker/", {"visa": "forslag"})
    assert set(NUMMER.findall(forslag.content.decode())) == {hist["d"].nummer}
    borttagna = klient_for("kvalitetssamordnare").get("/risker/", {"visa": "borttagna"})
    assert set(NUMMER.findall(borttagna.content.decode())) == {hist["c"].nummer}


@pytest.mark.parametrize(
    ("fraga", "text"),
    [
        ({"datum": "2999-01-01"}, "Datumet kan inte ligga i framtiden."),
        ({"datum": "igår"}, "Fyll i ett giltigt datum."),
        ({"sannolikhet": "hög"}, "Välj ett giltigt alternativ. hög finns inte bland"),
        ({"sannolikhet": "0"}, "Välj ett giltigt alternativ. 0 finns inte bland"),
        ({"konsekvens": "5"}, "Välj ett giltigt alternativ. 5 finns inte bland"),
    ],
    ids=["framtid", "datumformat", "text", "noll", "utanfor-skalan"],
)
def test_ogiltigt_filter_visar_felet_och_inga_risker(hist, klient_for, fraga, text):
    """An invalid filter shows its error and no risk; the export refuses it (400). An
    invalid date empties the matrix too (it is the matrix' selection; the cell is not)."""
    klient = klient_for("kvalitetssamordnare")
    svar = klient.get("/risker/", fraga)
    assert svar.status_code == 200
    sida = svar.content.decode()
    assert text in sida
    assert NUMMER.findall(sida) == []
    if "datum" in fraga:
        assert CELLANK.findall(sida) == []
        # Said, not an empty matrix headed "i dag".
        assert "Rätta det för att se matrisen och riskerna." in sida
        assert "Riskmatrisen i dag" not in sida
    else:
        assert len(CELLANK.findall(sida)) == 5  # today's matrix: a, b, e, g, h apart
    assert klient.get("/risker/export.csv", fraga).status_code == 400


# --- A changed scale -------------------------------------------------------------------------


def test_en_annan_skala_styr_nivaer_och_farger(org, settings, klient_for):
    """A 5×5 scale with three levels: 1–4 Låg (green), 5–12 Medel (yellow), 13–25 Hög
    (red). A 3×3 risk is Medel/yellow (it is Hög/orange on the default scale)."""
    settings.RISK_SANNOLIKHET = ["Mycket osannolik", "Osannolik", "Möjlig", "Trolig", "Säker"]
    settings.RISK_KONSEKVENS = ["Ingen", "Liten", "Märkbar", "Stor", "Katastrofal"]
    settings.RISK_NIVAER = [(4, "Låg"), (12, "Medel"), (25, "Hög")]
    r33 = risk(org["EB"], (date(2025, 1, 10), 3, 3), titel="tre")
    r55 = risk(org["EB"], (date(2025, 1, 10), 5, 5), titel="fem")
    s = skala()
    assert (s.niva(9).namn, s.niva(9).farg) == ("Medel", "gul")
    assert (s.niva(25).namn, s.niva(25).farg) == ("Hög", "rod")
    assert (s.niva(4).namn, s.niva(4).farg) == ("Låg", "gron")
    m = register.matris_per(Risk.objects.all(), date(2025, 2, 1))
    assert [r["steg"] for r in m["rader"]] == [5, 4, 3, 2, 1]
    assert len(m["kolumner"]) == 5
    assert m["rader"][0]["celler"][4]["antal"] == 1  # 5×5
    assert m["rader"][2]["celler"][2]["antal"] == 1  # 3×3
    assert [(n["niva"].namn, n["antal"]) for n in m["per_niva"]] == [
        ("Låg", 0),
        ("Medel", 1),
        ("Hög", 1),
    ]
    sida = klient_for("kvalitetssamordnare").get("/risker/").content.decode()
    assert '<span class="riskvarde niva-gul">3 × 3 = <strong>9</strong> Medel</span>' in sida
    assert '<span class="riskvarde niva-rod">5 × 5 = <strong>25</strong> Hög</span>' in sida
    assert "5 Säker" in sida
    # The list's filter offers the scale's steps, and 5 × 5 is one of its cells.
    assert '<option value="5">5 Säker</option>' in sida
    assert '<option value="5">5 Katastrofal</option>' in sida
    cell = klient_for("kvalitetssamordnare").get("/risker/", {"sannolikhet": 5, "konsekvens": 5})
    assert NUMMER.findall(cell.content.decode()) == [r55.nummer]
    # The forms follow the scale: 5 is a step now, 6 is not.
    klient = klient_for("enhetschef")
    ok = klient.post(
        f"/risker/{r33.nummer}/bedom/",
        {"datum": "2025-02-01", "sannolikhet": 5, "konsekvens": 4, "kommentar": ""},
    )
    assert ok.status_code == 302
    fel = klient.post(
        f"/risker/{r55.nummer}/bedom/",
        {"datum": "2025-02-01", "sannolikhet": 6, "konsekvens": 1, "kommentar": ""},
    )
    assert fel.status_code == 400
    assert Risk.objects.get(pk=r33.pk).riskvarde == 20
    assert Risk.objects.get(pk=r55.pk).riskvarde == 25


# --- Queries ---------------------------------------------------------------------------------


def _fragor(klient, url):
    with CaptureQueriesContext(connection) as fragor:
        svar = klient.get(url)
        assert svar.status_code == 200
    return len(fragor)


def _fler_risker(org, n):
    for i in range(n):
        r = risk(
            org["EB" if i % 2 else "TEAM"],
            (date(2024, 1 + i % 12, 1), 1 + i % 4, 1 + (i // 4) % 4),
            (date(2025, 1 + i % 12, 2), 1 + (i + 1) % 4, 1 + i % 4),
            titel=f"risk {i}",
        )
        Bedomning.objects.create(risk=r, datum=date(2025, 6, 1), sannolikhet=2, konsekvens=2)


@pytest.mark.parametrize(
    "url", ["/risker/", "/risker/?datum=2025-03-01", "/risker/?datum=2025-03-01&sannolikhet=2"]
)
def test_listsidans_fragor_ar_lika_manga_for_3_och_30_risker(org, personas, klient_for, url):
    klient = klient_for("kvalitetssamordnare")
    _fler_risker(org, 3)
    klient.get(url)  # warm caches (content types, sessions)
    fa = _fragor(klient, url)
    _fler_risker(org, 27)
    assert Risk.objects.count() == 30
    assert _fragor(klient, url) == fa
