"""Go-live (`Driftstart`, docs/siffror.md "Historik från tidigare system"): the years
before a series' go-live year come from the imported history even when a few stray
records exist, the go-live year comes from the records and is marked as partial, later
years from the records; without a go-live date the old rule (history only for a year
without records), which lets two stray records hide a year of history.

Hand-counted: history of avvikelser 2023 = 25 and 2024 = 28; records: 2 stray ones in
2024, 30 in 2025 (2 of them before the go-live date 2025-03-01, in the go-live year)."""

from datetime import date, timedelta

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from rapporter import siffror
from rapporter.choices import Serie
from rapporter.models import Driftstart
from rapporter.templatetags.rapport import over_tid
from tests.factories import AvvikelseFactory, HistorikFactory
from tests.rapporter.conftest import lokal

pytestmark = pytest.mark.django_db

AR = 2025
BRYTDATUM = date(2026, 1, 31)


@pytest.fixture
def aren(org):
    HistorikFactory(ar=2023, serie="avvikelser", dimension="total", antal=25)
    HistorikFactory(ar=2024, serie="avvikelser", dimension="total", antal=28)
    # Two stray records of 2024 (e.g. imported because they were still open).
    for tid in (lokal(2024, 11, 20, 10), lokal(2024, 12, 5, 14)):
        AvvikelseFactory(enhet=org["EB"], rapporterad=tid, handelsedatum=tid.date())
    # 30 in 2025: two in February, before the go-live day but in its year, 28 after it.
    tider = [lokal(2025, 2, 10, 9), lokal(2025, 2, 20, 9)]
    tider += [lokal(2025, 3 + i % 10, 1 + i % 28, 10) for i in range(28)]
    for tid in tider:
        AvvikelseFactory(enhet=org["EB"], rapporterad=tid, handelsedatum=tid.date())


def kort(rader):
    return [(r["ar"], r["kalla"], r["totalt"], r.get("delar_fran")) for r in rader]


def test_historik_fore_driftstart_registret_fran_den_och_driftstartaret_delar(aren):
    Driftstart.objects.create(serie="avvikelser", fran=date(2025, 3, 1))
    assert kort(siffror.jamforelse(Serie.AVVIKELSER, AR, BRYTDATUM)) == [
        (2021, None, None, None),
        (2022, None, None, None),
        (2023, "historik", 25, None),
        (2024, "historik", 28, None),  # not the 2 stray records
        (2025, "register", 30, "2025-03-01"),  # February's two count: the go-live year
    ]


def test_utan_driftstart_doljer_tva_arenden_arets_historik(aren):
    """The old rule, and why driftstart exists: two records in 2024 replace its 28."""
    assert kort(siffror.jamforelse(Serie.AVVIKELSER, AR, BRYTDATUM)) == [
        (2021, None, None, None),
        (2022, None, None, None),
        (2023, "historik", 25, None),
        (2024, "register", 2, None),
        (2025, "register", 30, None),
    ]


def test_ar_efter_driftstart_utan_arenden_ar_noll_inte_historik(aren):
    """From go-live on the records are complete: a year without any is a real zero, and
    history imported for such a year is not used."""
    Driftstart.objects.create(serie="avvikelser", fran=date(2022, 6, 1))
    HistorikFactory(ar=2022, serie="avvikelser", dimension="total", antal=7)
    assert kort(siffror.jamforelse(Serie.AVVIKELSER, AR, BRYTDATUM)) == [
        (2021, None, None, None),
        (2022, "register", 0, "2022-06-01"),
        (2023, "register", 0, None),
        (2024, "register", 2, None),
        (2025, "register", 30, None),
    ]


def test_driftstart_1_januari_ar_inget_delar(aren):
    Driftstart.objects.create(serie="avvikelser", fran=date(2025, 1, 1))
    rader = siffror.jamforelse(Serie.AVVIKELSER, AR, BRYTDATUM)
    assert kort(rader)[3:] == [(2024, "historik", 28, None), (2025, "register", 30, None)]
    assert all("delar_fran" not in r for r in rader)


def test_rapportar_fore_driftstart_ar_historik_eller_saknas(aren):
    """A report for a year before go-live compares from history only (its records are
    incomplete); a year with neither is missing, not zero."""
    Driftstart.objects.create(serie="avvikelser", fran=date(2025, 3, 1))
    assert kort(siffror.jamforelse(Serie.AVVIKELSER, 2024, date(2025, 1, 31)))[-2:] == [
        (2023, "historik", 25, None),
        (2024, "historik", 28, None),
    ]
    assert kort(siffror.jamforelse(Serie.AVVIKELSER, 2022, date(2023, 1, 31)))[-1] == (
        2022,
        None,
        None,
        None,
    )


def test_driftstart_galler_sin_serie(aren):
    """The avvikelser go-live date says nothing about synpunkter (old rule there);
    tillbud are avvikelse records and follow the avvikelser date."""
    Driftstart.objects.create(serie="avvikelser", fran=date(2025, 3, 1))
    HistorikFactory(ar=2024, serie="synpunkter", dimension="total", antal=12)
    assert siffror.driftstart(Serie.SYNPUNKTER) is None
    assert siffror.driftstart("tillbud") == date(2025, 3, 1)
    rader = siffror.jamforelse(Serie.SYNPUNKTER, AR, BRYTDATUM)
    assert kort(rader)[3:] == [(2024, "historik", 12, None), (2025, "register", 0, None)]


def test_historik_for_foljer_driftstart(aren):
    HistorikFactory(ar=2025, serie="avvikelser", dimension="total", antal=4)  # Jan–Feb
    assert siffror.historik_for(Serie.AVVIKELSER, 2025)["totalt"] == 4
    Driftstart.objects.create(serie="avvikelser", fran=date(2025, 3, 1))
    assert siffror.historik_for(Serie.AVVIKELSER, 2024)["totalt"] == 28
    assert siffror.historik_for(Serie.AVVIKELSER, 2025) is None  # from the records


def test_delaret_markeras_i_tabell_och_diagram(aren):
    Driftstart.objects.create(serie="avvikelser", fran=date(2025, 3, 1))
    rader = siffror.jamforelse(Serie.AVVIKELSER, AR, BRYTDATUM)
    assert [r["namn"] for r in over_tid(rader)] == ["2021", "2022", "2023", "2024", "2025*"]
    html = render_to_string(
        "rapporter/kapitel/_over_tid.html",
        {"rader": rader, "typer": [], "rubrik": "Avvikelser per år", "diagramtext": "Diagram"},
    )
    assert '<th scope="row">2025*</th>' in html
    assert '<th scope="row">2024</th>' in html
    assert "* Delår: från 2025-03-01 (driftstart)" in html
    assert html.count("Delår") == 1


def test_utan_delar_ingen_fotnot(aren):
    rader = siffror.jamforelse(Serie.AVVIKELSER, AR, BRYTDATUM)
    html = render_to_string(
        "rapporter/kapitel/_over_tid.html",
        {"rader": rader, "typer": [], "rubrik": "Avvikelser per år", "diagramtext": "Diagram"},
    )
    assert "*" not in html


# --- The administration -----------------------------------------------------------------------


def test_administratoren_satter_driftstart_med_historik(personas, klient_for):
    klient = klient_for("admin")
    url = "/admin/rapporter/driftstart/add/"
    imorgon = (timezone.localdate() + timedelta(days=1)).isoformat()
    svar = klient.post(url, {"serie": "avvikelser", "fran": imorgon})
    assert svar.status_code == 200
    assert "Datumet kan inte ligga i framtiden." in svar.content.decode()
    svar = klient.post(url, {"serie": "avvikelser", "fran": "1899-12-31"})
    assert "Datumet kan inte ligga före 1900-01-01." in svar.content.decode()
    assert not Driftstart.objects.exists()

    svar = klient.post(url, {"serie": "avvikelser", "fran": "2025-03-01"})
    assert svar.status_code == 302
    driftstart = Driftstart.objects.get()
    assert driftstart.fran == date(2025, 3, 1)
    assert driftstart.history.get().history_user == personas["admin"]
    assert siffror.driftstart(Serie.AVVIKELSER) == date(2025, 3, 1)

    # One per series.
    svar = klient.post(url, {"serie": "avvikelser", "fran": "2024-01-01"})
    assert svar.status_code == 200
    assert Driftstart.objects.count() == 1


def test_bara_administratoren_nar_driftstart(personas, klient_for):
    Driftstart.objects.create(serie="avvikelser", fran=date(2025, 3, 1))
    assert klient_for("admin").get("/admin/rapporter/driftstart/").status_code == 200
    svar = klient_for("kvalitetssamordnare").get("/admin/rapporter/driftstart/")
    assert svar.status_code in (302, 403)
