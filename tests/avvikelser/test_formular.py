"""Bad input on every avvikelse form: the report form, the investigation, closing,
reopening, the förvaltningschef's position and the list filter. Each answer carries a
clear Swedish message and nothing changes."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from avvikelser.models import Avvikelse, Kategori
from tests.stod import fil, hamta_html, har_text, ogonblick, pdf_bytes, png_bytes, satt_status

pytestmark = pytest.mark.django_db

KRAVS = "Detta fält måste fyllas i."
HTML = "Texten får inte innehålla HTML-kod som <script> eller andra taggar."
SCRIPT = "<script>alert(1)</script>"
OGILTIGT_VAL = "Välj ett giltigt alternativ. Det valet finns inte bland tillgängliga alternativ."
FRAMTID = "Datumet kan inte ligga i framtiden."
DATUM = "Fyll i ett giltigt datum."
DATUMGRANS = "Ange ett datum mellan 1900-01-01 och 2100-12-31."


def val(varde):
    return f"Välj ett giltigt alternativ. {varde} finns inte bland tillgängliga alternativ."


def langd(max_, har):
    return f"Säkerställ att detta värde har som mest {max_} tecken (den har {har})."


def idag(dagar=0):
    return (timezone.localdate() + timedelta(days=dagar)).isoformat()


def _inaktiv_kategori():
    return Kategori.objects.create(namn="Gammal kategori", aktiv=False).pk


# --- The report form ----------------------------------------------------------------------


def giltig_rapport(s):
    return {
        "typ": "avvikelse",
        "enhet": s.org["EB"].pk,
        "handelsedatum": idag(-2),
        "handelsetid": "14:30",
        "upptackt_datum": idag(-1),
        "upptackt_hur": "egen",
        "beror_enskild": "True",
        "beskrivning": "Ett beslut skickades till en gammal adress.",
        "konsekvenser": "Uppgifter kunde ha röjts.",
        "omedelbara_atgarder": "",
        "arbetsskadeanmalan": "",
        "kategori": "",
    }


def _inaktivt_team(s):
    s.org["TEAM"].aktiv = False
    s.org["TEAM"].save()
    return s.org["TEAM"].pk


# (id, changes to the valid report — a value, or a function of the scenario — , message)
RAPPORTFEL = [
    ("tom", "TOM", "Vad hände? " + KRAVS),
    ("tom-enhet", {"enhet": ""}, "Enhet där det hände: " + KRAVS),
    ("bara-blanksteg", {"beskrivning": "   \n  "}, "Vad hände? " + KRAVS),
    ("beskrivning-for-lang", {"beskrivning": "x" * 10_001}, langd(10_000, 10_001)),
    ("konsekvenser-for-lang", {"konsekvenser": "x" * 10_001}, langd(10_000, 10_001)),
    ("atgarder-for-langa", {"omedelbara_atgarder": "x" * 10_001}, langd(10_000, 10_001)),
    ("typ-abc", {"typ": "abc"}, val("abc")),
    ("enhet-abc", {"enhet": "abc"}, OGILTIGT_VAL),
    ("enhet-annan-avdelning", {"enhet": lambda s: s.org["KOLL"].pk}, OGILTIGT_VAL),
    ("enhet-ovanfor", {"enhet": lambda s: s.org["MYN"].pk}, OGILTIGT_VAL),
    ("enhet-finns-inte", {"enhet": 999_999}, OGILTIGT_VAL),
    ("enhet-inaktiv", {"enhet": _inaktivt_team}, OGILTIGT_VAL),
    ("handelsedatum-abc", {"handelsedatum": "abc"}, DATUM),
    ("handelsedatum-omojligt", {"handelsedatum": "2025-02-30"}, DATUM),
    ("handelsedatum-framtid", {"handelsedatum": idag(1), "upptackt_datum": ""}, FRAMTID),
    # Security finding 4 (issue 10): an event in year 1 was saved.
    ("handelsedatum-ar-1", {"handelsedatum": "0001-01-01", "upptackt_datum": ""}, DATUMGRANS),
    ("handelsedatum-1899", {"handelsedatum": "1899-12-31", "upptackt_datum": ""}, DATUMGRANS),
    ("handelsedatum-ar-9999", {"handelsedatum": "9999-12-31", "upptackt_datum": ""}, FRAMTID),
    ("handelsetid-abc", {"handelsetid": "abc"}, "Fyll i en giltig tid."),
    ("upptackt-abc", {"upptackt_datum": "abc"}, DATUM),
    ("upptackt-framtid", {"upptackt_datum": idag(1)}, FRAMTID),
    ("upptackt-ar-1", {"upptackt_datum": "0001-01-01"}, DATUMGRANS),
    ("upptackt-ar-9999", {"upptackt_datum": "9999-12-31"}, FRAMTID),
    (
        "upptackt-fore-handelse",
        {"handelsedatum": idag(-1), "upptackt_datum": idag(-3)},
        "Det kan inte ha upptäckts innan det hände. Kontrollera datumen.",
    ),
    ("upptackt-hur-abc", {"upptackt_hur": "abc"}, val("abc")),
    (
        "beror-enskild-tom",
        {"beror_enskild": ""},
        "Gäller det en enskild klient? Svara ja eller nej.",
    ),
    ("beror-enskild-abc", {"beror_enskild": "abc"}, val("abc")),
    ("arbetsskada-abc", {"arbetsskadeanmalan": "abc"}, val("abc")),
    (
        "arbetsskada-for-avvikelse",
        {"arbetsskadeanmalan": "True"},
        "Arbetsskadeanmälan gäller bara tillbud.",
    ),
    ("kategori-abc", {"kategori": "abc"}, OGILTIGT_VAL),
    ("kategori-finns-inte", {"kategori": 999_999}, OGILTIGT_VAL),
    ("kategori-inaktiv", {"kategori": lambda s: _inaktiv_kategori()}, OGILTIGT_VAL),
    ("beskrivning-script", {"beskrivning": SCRIPT}, HTML),
    ("konsekvenser-tagg", {"konsekvenser": "Det var <b>allvarligt</b>"}, HTML),
    ("atgarder-img", {"omedelbara_atgarder": '<img src=x onerror="alert(1)">'}, HTML),
    (
        "bilaga-exe",
        {"bilaga": lambda s: fil("program.exe", b"MZ\x90\x00" + bytes(200))},
        "Filtypen är inte tillåten. Tillåtna är: docx, heic, jpg, odt, pdf, png, txt, xlsx.",
    ),
    (
        "bilaga-html-som-pdf",
        {"bilaga": lambda s: fil("x.pdf", b"<html><script>alert(1)</script></html>")},
        "Filens innehåll stämmer inte med filändelsen .pdf.",
    ),
    ("bilaga-tom", {"bilaga": lambda s: fil("tom.pdf", b"")}, "Den skickade filen är tom."),
]


def _bygg(bas, andringar, s):
    if andringar == "TOM":
        return {}
    data = dict(bas)
    for nyckel, varde in andringar.items():
        data[nyckel] = varde(s) if callable(varde) else varde
    return data


def test_giltig_rapport_registreras(scen, klient_for):
    fore = Avvikelse.objects.count()
    response = klient_for("medarbetare").post("/avvikelser/ny/", giltig_rapport(scen))
    ny = Avvikelse.objects.latest("pk")
    assert response.headers["Location"] == ny.get_absolute_url()
    assert Avvikelse.objects.count() == fore + 1
    assert ny.rapporterad_av == scen.personas["medarbetare"]
    assert ny.handelsetid.strftime("%H:%M") == "14:30"
    assert ny.beror_enskild is True
    assert ny.arbetsskadeanmalan is None


def test_tillbud_med_arbetsskadeanmalan_registreras(scen, klient_for):
    data = {**giltig_rapport(scen), "typ": "tillbud", "arbetsskadeanmalan": "False"}
    response = klient_for("medarbetare").post("/avvikelser/ny/", data)
    assert response.status_code == 302
    ny = Avvikelse.objects.latest("pk")
    assert (ny.typ, ny.arbetsskadeanmalan) == ("tillbud", False)


@pytest.mark.parametrize(
    ("andringar", "meddelande"), [pytest.param(a, m, id=i) for i, a, m in RAPPORTFEL]
)
def test_rapportformularet_nekar_felaktig_indata(andringar, meddelande, scen, klient_for):
    data = _bygg(giltig_rapport(scen), andringar, scen)
    fore = ogonblick()
    response = klient_for("medarbetare").post("/avvikelser/ny/", data)
    har_text(response, meddelande, status=400)
    assert "Det finns fel i formuläret" in response.content.decode()
    assert ogonblick() == fore


def test_rapportformularet_visar_vagen_till_lex_sarah(scen, klient_for):
    """A missförhållande reported as an avvikelse reaches the enhetschef, but the lex
    Sarah duty asks for a rapport "genast": the form says so and leads there."""
    sida = hamta_html(klient_for("medarbetare"), "/avvikelser/ny/")
    assert '<a href="/lexsarah/ny/">rapporteras enligt lex Sarah</a>' in sida
    assert "missförhållande" in sida


def test_rapportformularet_behaller_det_anvandaren_skrev(scen, klient_for):
    data = {**giltig_rapport(scen), "handelsedatum": idag(1), "upptackt_datum": ""}
    response = klient_for("medarbetare").post("/avvikelser/ny/", data)
    assert response.status_code == 400
    assert "Ett beslut skickades till en gammal adress." in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()


def test_rapport_med_giltig_bilaga_sparar_den(scen, klient_for, settings):
    data = {**giltig_rapport(scen), "bilaga": fil("foto.png", png_bytes())}
    response = klient_for("medarbetare").post("/avvikelser/ny/", data)
    assert response.status_code == 302
    ny = Avvikelse.objects.latest("pk")
    bilaga = ny.attachments.get()
    assert (bilaga.filnamn, bilaga.innehallstyp) == ("foto.png", "image/png")
    assert bilaga.fil.read() == png_bytes()


# --- The investigation, closing, reopening, the förvaltningschef's position ------------


def _utredning(s):
    return {
        "kategori": s.kategori.pk,
        "orsaksomraden": [s.orsak.pk],
        "analys": "Otydlig rutin.",
        "vidtagna_atgarder": "",
    }


def _oppen(s):
    satt_status(s.avv, "under_utredning")


def _utredd(s):
    satt_status(s.avv, "under_utredning", kategori=s.kategori, analys="Otydlig rutin.")


def _avslutad(s):
    satt_status(s.avv, "avslutad", kategori=s.kategori, analys="Otydlig rutin.")


def _stallning(s):
    return {"stallningstagande": "inte_allvarlig", "mottagen": idag(), "kommentar": ""}


# (id, path, persona, prepare, valid data, changes, message)
ARENDEFEL = [
    ("utredning-kategori-abc", "utredning", "enhetschef", _oppen, _utredning,
     {"kategori": "abc"}, OGILTIGT_VAL),
    ("utredning-kategori-finns-inte", "utredning", "enhetschef", _oppen, _utredning,
     {"kategori": 999_999}, OGILTIGT_VAL),
    ("utredning-kategori-inaktiv", "utredning", "enhetschef", _oppen, _utredning,
     {"kategori": lambda s: _inaktiv_kategori()}, OGILTIGT_VAL),
    ("utredning-orsak-abc", "utredning", "enhetschef", _oppen, _utredning,
     {"orsaksomraden": ["abc"]}, "“abc” är inte ett giltigt värde."),
    ("utredning-orsak-finns-inte", "utredning", "enhetschef", _oppen, _utredning,
     {"orsaksomraden": [999_999]}, val("999999")),
    ("utredning-analys-for-lang", "utredning", "enhetschef", _oppen, _utredning,
     {"analys": "x" * 20_001}, langd(20_000, 20_001)),
    ("utredning-atgarder-for-langa", "utredning", "enhetschef", _oppen, _utredning,
     {"vidtagna_atgarder": "x" * 20_001}, langd(20_000, 20_001)),
    ("utredning-analys-script", "utredning", "enhetschef", _oppen, _utredning,
     {"analys": SCRIPT}, HTML),
    ("utredning-atgarder-tagg", "utredning", "enhetschef", _oppen, _utredning,
     {"vidtagna_atgarder": "<a href='x'>rutin</a>"}, HTML),
    ("avsluta-for-lang", "avsluta", "enhetschef", _utredd, lambda s: {},
     {"aterkoppling": "x" * 5001}, langd(5000, 5001)),
    ("avsluta-script", "avsluta", "enhetschef", _utredd, lambda s: {},
     {"aterkoppling": SCRIPT}, HTML),
    ("ateroppna-tom", "ateroppna", "enhetschef", _avslutad, lambda s: {},
     {"kommentar": ""}, KRAVS),
    ("ateroppna-for-lang", "ateroppna", "enhetschef", _avslutad, lambda s: {},
     {"kommentar": "x" * 2001}, langd(2000, 2001)),
    ("ateroppna-script", "ateroppna", "enhetschef", _avslutad, lambda s: {},
     {"kommentar": SCRIPT}, HTML),
    ("fc-tom", "stallningstagande", "forvaltningschef", None, lambda s: {},
     {}, "Ställningstagande: " + KRAVS),
    ("fc-val-abc", "stallningstagande", "forvaltningschef", None, _stallning,
     {"stallningstagande": "abc"}, val("abc")),
    ("fc-mottagen-abc", "stallningstagande", "forvaltningschef", None, _stallning,
     {"mottagen": "abc"}, DATUM),
    ("fc-mottagen-tom", "stallningstagande", "forvaltningschef", None, _stallning,
     {"mottagen": ""}, "Mottagen datum: " + KRAVS),
    ("fc-mottagen-framtid", "stallningstagande", "forvaltningschef", None, _stallning,
     {"mottagen": idag(1)}, FRAMTID),
    ("fc-mottagen-ar-1", "stallningstagande", "forvaltningschef", None, _stallning,
     {"mottagen": "0001-01-01"}, DATUMGRANS),
    ("fc-mottagen-1899", "stallningstagande", "forvaltningschef", None, _stallning,
     {"mottagen": "1899-12-31"}, DATUMGRANS),
    ("fc-mottagen-ar-9999", "stallningstagande", "forvaltningschef", None, _stallning,
     {"mottagen": "9999-12-31"}, FRAMTID),
    ("fc-mottagen-fore-rapport", "stallningstagande", "forvaltningschef", None, _stallning,
     {"mottagen": idag(-1)}, "Avvikelsen kan inte ha tagits emot innan den rapporterades."),
    ("fc-kommentar-for-lang", "stallningstagande", "forvaltningschef", None, _stallning,
     {"kommentar": "x" * 5001}, langd(5000, 5001)),
    ("fc-kommentar-script", "stallningstagande", "forvaltningschef", None, _stallning,
     {"kommentar": SCRIPT}, HTML),
]  # fmt: skip


@pytest.mark.parametrize(
    ("slug", "persona", "forbered", "giltig", "andringar", "meddelande"),
    [pytest.param(*rad[1:], id=rad[0]) for rad in ARENDEFEL],
)
def test_arendeformularen_nekar_felaktig_indata(
    slug, persona, forbered, giltig, andringar, meddelande, scen, klient_for
):
    if forbered:
        forbered(scen)
    data = _bygg(giltig(scen), andringar, scen)
    fore = ogonblick()
    response = klient_for(persona).post(f"/avvikelser/{scen.avv.nummer}/{slug}/", data)
    har_text(response, meddelande, status=400)
    assert ogonblick() == fore


def test_tom_utredning_andrar_ingenting(scen, klient_for):
    fore = ogonblick()
    response = klient_for("enhetschef").post(f"/avvikelser/{scen.avv.nummer}/utredning/", {})
    assert response.status_code == 302
    assert ogonblick() == fore


# --- The list filter ------------------------------------------------------------------------

NUMMER = re.compile(r'href="/avvikelser/(AVV-\d{4}-\d{4})/"')

FILTERFEL = [
    ("status-abc", {"status": "abc"}, val("abc")),
    ("typ-abc", {"typ": "abc"}, val("abc")),
    ("enhet-abc", {"enhet": "abc"}, OGILTIGT_VAL),
    ("enhet-annan-avdelning", {"enhet": lambda s: s.org["KOLL"].pk}, OGILTIGT_VAL),
    ("enhet-finns-inte", {"enhet": 999_999}, OGILTIGT_VAL),
    ("kategori-abc", {"kategori": "abc"}, OGILTIGT_VAL),
    ("kategori-finns-inte", {"kategori": 999_999}, OGILTIGT_VAL),
    ("fran-abc", {"fran": "abc"}, DATUM),
    ("till-omojligt", {"till": "2026-13-45"}, DATUM),
    # Security finding 4 (issue 10): these overflowed the date arithmetic (500).
    ("fran-ar-1", {"fran": "0001-01-01"}, DATUMGRANS),
    ("fran-1899", {"fran": "1899-12-31"}, DATUMGRANS),
    ("fran-ar-9999", {"fran": "9999-12-31"}, DATUMGRANS),
    ("till-ar-1", {"till": "0001-01-01"}, DATUMGRANS),
    ("till-1899", {"till": "1899-12-31"}, DATUMGRANS),
    ("till-ar-9999", {"till": "9999-12-31"}, DATUMGRANS),
    ("fritext-for-lang", {"q": "x" * 201}, langd(200, 201)),
    ("fritext-script", {"q": SCRIPT}, HTML),
]


@pytest.mark.parametrize(
    ("andringar", "meddelande"), [pytest.param(a, m, id=i) for i, a, m in FILTERFEL]
)
def test_listfiltret_nekar_felaktig_indata(andringar, meddelande, scen, klient_for):
    params = _bygg({}, andringar, scen)
    klient = klient_for("enhetschef")
    assert NUMMER.findall(hamta_html(klient, "/avvikelser/"))  # sanity: cases exist

    response = klient.get("/avvikelser/", params)
    har_text(response, meddelande, status=200)
    har_text(response, "Filtret innehåller fel. Rätta det för att se avvikelser.")
    # An invalid filter shows nothing rather than everything, and offers no export.
    assert NUMMER.findall(response.content.decode()) == []
    assert "/avvikelser/export.csv" not in response.content.decode()
    # An export with it is refused with the message, not a file of headings only.
    for format in ("csv", "xlsx"):
        export = klient.get(f"/avvikelser/export.{format}", params)
        assert export.status_code == 400, format
        assert export["Content-Type"] == "text/plain; charset=utf-8"
        assert "Content-Disposition" not in export
        text = export.content.decode()
        assert "Exporten gjordes inte" in text and meddelande in text, text


@pytest.mark.parametrize(
    "params",
    [
        {"fran": "1900-01-01"},
        {"till": "2100-12-31"},
        {"fran": "1900-01-01", "till": "2100-12-31"},
    ],
)
def test_listfiltret_godtar_datum_vid_granserna(params, scen, klient_for):
    klient = klient_for("enhetschef")
    sida = hamta_html(klient, "/avvikelser/", params)
    assert "Filtret innehåller fel" not in sida
    assert set(NUMMER.findall(sida)) == {scen.avv.nummer, scen.team_fall.nummer}
    export = klient.get("/avvikelser/export.csv", params)
    assert export.status_code == 200
    rader = b"".join(export).decode("utf-8-sig").strip().splitlines()
    assert len(rader) == 3


def test_okand_filterparameter_ignoreras(scen, klient_for):
    response = klient_for("enhetschef").get("/avvikelser/", {"sortera": "'; DROP TABLE x"})
    assert set(NUMMER.findall(response.content.decode())) == {
        scen.avv.nummer,
        scen.team_fall.nummer,
    }


def test_pdf_i_rapporten_sparas_under_media(scen, klient_for, settings):
    data = {**giltig_rapport(scen), "bilaga": fil("beslut.pdf", pdf_bytes())}
    klient_for("medarbetare").post("/avvikelser/ny/", data)
    bilaga = Avvikelse.objects.latest("pk").attachments.get()
    assert str(settings.MEDIA_ROOT) in bilaga.fil.path
