"""Deciding the kvalitetsberättelse (issue 11, items 1 and 6): no chapter may still hold
its default text or a writing instruction ([[…]], rapporter/text.py) when it is
decided, the page says which before it is tried, and the editor tells written chapters
from unwritten ones, also after a new version. The decision records who decided (a
setting), the diarienummer and, when the nämnd decides, its meeting date and §; the
cover says so."""

import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from rapporter.kapitel import KAPITEL, hamta
from rapporter.models import Kvalitetsberattelse
from tests.rapporter.hjalp import skriv_alla_kapitel
from tests.stod import hamta_html, ogonblick

pytestmark = pytest.mark.django_db

ALLA_TITLAR = [str(k.titel) for k in KAPITEL]


def detalj(b):
    return f"/rapporter/{b.pk}/"


def post_faststall(klient, b, data, django_capture_on_commit_callbacks, *, bekraftad=True):
    with django_capture_on_commit_callbacks(execute=True):
        return klient.post(
            f"{detalj(b)}faststall/", {**data, **({"bekraftad": "ja"} if bekraftad else {})}
        )


def kapitelrad(html, slug):
    """The workbench's list item of one chapter."""
    traff = re.search(rf'<li id="kapitel-{slug}".*?</li>', html, re.DOTALL)
    assert traff, slug
    return traff[0]


@pytest.fixture
def pdf_stand_in(monkeypatch):
    monkeypatch.setattr(
        "rapporter.dokument.rendera_pdf", lambda b, siffror=None: b"%PDF-1.7 beslutad"
    )


# --- Refused while a chapter is unwritten ---------------------------------------------------


def test_faststall_med_oskrivna_kapitel_nekas_i_modellen(utkast, personas):
    utkast.spara_text("inledning", "Vårt eget förord.", av=personas["kvalitetssamordnare"])
    fore = ogonblick()
    with pytest.raises(ValidationError) as fel:
        utkast.faststall(av=personas["forvaltningschef"], diarienummer="SN 2026/12")
    text = " ".join(fel.value.messages)
    assert "Inledning" not in text
    for titel in ALLA_TITLAR[1:]:
        assert titel in text, titel
    assert ogonblick() == fore
    assert Kvalitetsberattelse.objects.get(pk=utkast.pk).status == "utkast"


def test_faststall_med_personnummer_i_ett_kapitel_nekas(utkast, personas):
    """A text saved before the chapter form refused personnummer (or past it) still
    stops the decision, naming the chapter."""
    skriv_alla_kapitel(utkast, personas["kvalitetssamordnare"])
    utkast.texter.filter(kapitel="inledning").update(text="Om 19850312-1234 och hans brev.")
    fore = ogonblick()
    with pytest.raises(ValidationError) as fel:
        utkast.faststall(av=personas["forvaltningschef"], diarienummer="SN 2026/12")
    assert fel.value.messages == ["Ta bort det som ser ut som personnummer ur: Inledning."]
    assert ogonblick() == fore


@pytest.mark.parametrize("bekraftad", [True, False], ids=["bekraftad", "obekraftad"])
def test_faststall_med_oskrivna_kapitel_nekas_i_webben(
    bekraftad, utkast, personas, klient_for, pdf_stand_in, django_capture_on_commit_callbacks
):
    utkast.spara_text("inledning", "Vårt eget förord.", av=personas["kvalitetssamordnare"])
    klient = klient_for("forvaltningschef")
    fore = ogonblick()
    response = post_faststall(
        klient,
        utkast,
        {"diarienummer": "SN 2026/12", "kommentar": "Beslut"},
        django_capture_on_commit_callbacks,
        bekraftad=bekraftad,
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Fastställ</strong> går när:" in html
    for titel in ALLA_TITLAR[1:]:
        assert titel in html, titel
    assert ogonblick() == fore
    assert Kvalitetsberattelse.objects.get(pk=utkast.pk).status == "utkast"


def test_sidan_visar_kraven_innan_man_forsoker(utkast, personas, klient_for):
    samordnare = personas["kvalitetssamordnare"]
    for k in KAPITEL[:-1]:
        utkast.spara_text(k.slug, f"Texten om {k.titel}.", av=samordnare)
    html = hamta_html(klient_for("forvaltningschef"), detalj(utkast))
    assert "Fastställ</strong> går när:" in html
    assert "Skriv kapitlen som fortfarande har standardtext: Fokusområden kommande år." in html
    assert f'action="/rapporter/{utkast.pk}/faststall/"' not in html


def test_sparad_standardtext_raknas_som_oskriven(utkast, personas, settings):
    """Saving the default text unchanged (or with other whitespace) writes nothing."""
    samordnare = personas["kvalitetssamordnare"]
    skriv_alla_kapitel(utkast, samordnare)
    standard = hamta("syfte").standardtext(utkast.ar, settings.KOMMUN_NAMN)
    utkast.spara_text("syfte", "  " + standard.replace("\n\n", "\n\n\n") + "\n", av=samordnare)
    with pytest.raises(ValidationError, match="Syfte och ledningssystemet"):
        utkast.faststall(av=personas["forvaltningschef"], diarienummer="SN 2026/12")


def test_kvarlamnad_skrivinstruktion_nekas(utkast, personas, klient_for, pdf_stand_in,
                                           django_capture_on_commit_callbacks):  # fmt: skip
    samordnare = personas["kvalitetssamordnare"]
    skriv_alla_kapitel(utkast, samordnare)
    utkast.spara_text(
        "avvikelser",
        "Vi har skrivit mycket om avvikelserna.\n\n[[Beskriv här vilka mönster som syns.]]",
        av=samordnare,
    )
    fore = ogonblick()
    response = post_faststall(
        klient_for("forvaltningschef"),
        utkast,
        {"diarienummer": "SN 2026/12"},
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ta bort skrivinstruktionerna [[…]] ur: Avvikelser." in html
    assert ogonblick() == fore
    # The instruction is shown as such in the draft's preview, without its brackets.
    sida = hamta_html(klient_for("kvalitetssamordnare"), f"{detalj(utkast)}forhandsvisning/")
    assert '<mark class="instruktion">Beskriv här vilka mönster som syns.</mark>' in sida


def test_standardtexternas_instruktioner_ar_markerade(settings):
    """Every default text that asks the writer for something marks it, so that the
    default text itself can never be decided (fokus and inledning have no other
    guard than the marker once their wording changes)."""
    from rapporter.text import har_instruktion

    for slug in ("inledning", "synpunkter", "avvikelser", "atgarder", "fokus"):
        assert har_instruktion(hamta(slug).standardtext(2025, settings.KOMMUN_NAMN)), slug


def test_helt_skriven_rapport_faststalls(
    utkast, personas, klient_for, pdf_stand_in, django_capture_on_commit_callbacks
):
    skriv_alla_kapitel(utkast, personas["kvalitetssamordnare"])
    texter = sorted(utkast.texter.values_list("kapitel", "text"))
    response = post_faststall(
        klient_for("forvaltningschef"),
        utkast,
        {"diarienummer": "SN 2026/12"},
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 302
    b = Kvalitetsberattelse.objects.get(pk=utkast.pk)
    assert b.status == "faststalld"
    assert b.diarienummer == "SN 2026/12"
    assert b.beslutsfattare == "forvaltningschef"
    # Nothing is added: the texts decided are the texts written.
    assert sorted(b.texter.values_list("kapitel", "text")) == texter


# --- The editor's state per chapter ----------------------------------------------------------


def test_kapitlens_tillstand_aven_efter_ny_version(
    utkast, personas, klient_for, pdf_stand_in, faststalld, settings
):
    samordnare = personas["kvalitetssamordnare"]
    html = hamta_html(klient_for("kvalitetssamordnare"), detalj(utkast))
    for k in KAPITEL:
        assert "Inte skriven ännu" in kapitelrad(html, k.slug), k.slug

    # Version 1 decided, written throughout; version 2 copies its texts. Then in the
    # new draft one chapter goes back to its default text, one gets an instruction.
    skriv_alla_kapitel(utkast, samordnare)
    gammal = faststalld(utkast)
    ny = gammal.ny_version(av=samordnare, kommentar="Rättelse.")
    standard = hamta("syfte").standardtext(ny.ar, settings.KOMMUN_NAMN)
    ny.spara_text("syfte", standard, av=samordnare)
    ny.spara_text("fokus", "1. Väntetider\n2. [[Fokusområde]]", av=samordnare)

    html = hamta_html(klient_for("kvalitetssamordnare"), detalj(ny))
    for slug in ("inledning", "synpunkter", "avvikelser", "atgarder"):
        rad = kapitelrad(html, slug)
        assert "Skriven" in rad and "Inte skriven" not in rad, slug
    assert "Inte skriven ännu" in kapitelrad(html, "syfte")
    assert "Skrivinstruktioner kvar" in kapitelrad(html, "fokus")
    for k in KAPITEL:
        assert "Text ändrad" not in kapitelrad(html, k.slug)


# --- Who decided: the setting, the form, the cover ---------------------------------------------


def test_omslaget_nar_forvaltningschefen_beslutar(
    utkast, personas, klient_for, django_capture_on_commit_callbacks
):
    from tests.rapporter.test_pdf import las, sidtexter

    skriv_alla_kapitel(utkast, personas["kvalitetssamordnare"])
    response = post_faststall(
        klient_for("forvaltningschef"),
        utkast,
        {"diarienummer": "SN 2026/12"},
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 302
    b = Kvalitetsberattelse.objects.get(pk=utkast.pk)
    idag = timezone.localdate().isoformat()
    vantat = f"Fastställd av förvaltningschefen {idag}, dnr SN 2026/12"
    assert vantat in sidtexter(las(b.pdf.read()))[0]
    assert vantat in hamta_html(klient_for("namnd"), detalj(b))


def test_omslaget_nar_namnden_beslutar(
    utkast, personas, klient_for, settings, django_capture_on_commit_callbacks
):
    from tests.rapporter.test_pdf import las, sidtexter

    settings.KVALITETSBERATTELSE_BESLUTAS_AV = "namnd"
    skriv_alla_kapitel(utkast, personas["kvalitetssamordnare"])
    klient = klient_for("forvaltningschef")
    sida = hamta_html(klient, detalj(utkast))
    assert "Nämndens sammanträde" in sida and "Paragraf" in sida
    datum = timezone.localdate() - timedelta(days=3)
    response = post_faststall(
        klient,
        utkast,
        {"sammantradesdatum": datum.isoformat(), "paragraf": "§14", "diarienummer": "SN 2026/12"},
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 302
    b = Kvalitetsberattelse.objects.get(pk=utkast.pk)
    assert (b.beslutsfattare, b.sammantradesdatum, b.paragraf) == ("namnd", datum, "14")
    assert b.faststalld_av == personas["forvaltningschef"]  # who recorded it
    vantat = f"Fastställd av socialnämnden {datum.isoformat()}, § 14, dnr SN 2026/12"
    assert vantat in sidtexter(las(b.pdf.read()))[0]
    assert vantat in hamta_html(klient_for("namnd"), detalj(b))


def test_namndens_beslut_kraver_datum_och_paragraf_i_modellen(utkast, personas, settings):
    settings.KVALITETSBERATTELSE_BESLUTAS_AV = "namnd"
    skriv_alla_kapitel(utkast, personas["kvalitetssamordnare"])
    fore = ogonblick()
    with pytest.raises(ValidationError) as fel:
        utkast.faststall(av=personas["forvaltningschef"], diarienummer="SN 2026/12")
    assert set(fel.value.message_dict) == {"sammantradesdatum", "paragraf"}
    assert ogonblick() == fore


IMORGON = (date.today() + timedelta(days=2)).isoformat()
FORVALTNINGSCHEF_FEL = [
    ({"diarienummer": ""}, "Ange diarienumret."),
    ({"diarienummer": "   "}, "Ange diarienumret."),
    ({"diarienummer": "<script>alert(1)</script>"}, "HTML-kod"),
    ({"diarienummer": "SN 2026/12" * 10_000}, "som mest 40 tecken"),
    ({"diarienummer": "SN; 2026"}, "Ange diarienumret med bokstäver"),
    ({"diarienummer": "SN\x002026"}, "Null-tecken är inte tillåtna."),
    ({"diarienummer": "SN 2026/12", "kommentar": "x" * 100_000}, "som mest 500 tecken"),
    ({"diarienummer": "SN 2026/12", "kommentar": "<b>hej</b>"}, "HTML-kod"),
]
NAMND_FEL = [
    ({"paragraf": "14", "diarienummer": "SN 1"}, "Ange datumet för nämndens sammanträde."),
    ({"sammantradesdatum": IMORGON, "paragraf": "14", "diarienummer": "SN 1"}, "i framtiden"),
    ({"sammantradesdatum": "0001-01-01", "paragraf": "14", "diarienummer": "SN 1"},
     "Ange ett datum mellan 1900-01-01 och 2100-12-31."),
    ({"sammantradesdatum": "2020-02-19", "paragraf": "14", "diarienummer": "SN 1"},
     "Sammanträdet kan inte ligga före 2025"),
    # The day before the cut-off (BRYTDATUM, 2026-01-31): the report was not complete.
    ({"sammantradesdatum": "2026-01-30", "paragraf": "14", "diarienummer": "SN 1"},
     "Sammanträdet kan inte ligga före brytdatum 2026-01-31"),
    ({"sammantradesdatum": "19/2", "paragraf": "14", "diarienummer": "SN 1"},
     "Ange ett datum, t.ex. 2026-02-19."),
    ({"sammantradesdatum": "2026-01-19", "diarienummer": "SN 1"}, "Ange paragrafen"),
    ({"sammantradesdatum": "2026-01-19", "paragraf": "fjorton", "diarienummer": "SN 1"},
     "Ange paragrafen som ett nummer, t.ex. § 14."),
    ({"sammantradesdatum": "2026-01-19", "paragraf": "<script>", "diarienummer": "SN 1"},
     "HTML-kod"),
    ({"sammantradesdatum": "2026-01-19", "paragraf": "1" * 100_000, "diarienummer": "SN 1"},
     "som mest 10 tecken"),
    ({"sammantradesdatum": "2026-01-19", "paragraf": "14"}, "Ange diarienumret."),
]  # fmt: skip


@pytest.mark.parametrize(
    ("instalning", "data", "fel"),
    [("forvaltningschef", d, f) for d, f in FORVALTNINGSCHEF_FEL]
    + [("namnd", d, f) for d, f in NAMND_FEL],
)
def test_felaktiga_beslutsuppgifter_nekas(
    instalning, data, fel, utkast, personas, klient_for, settings, pdf_stand_in,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    settings.KVALITETSBERATTELSE_BESLUTAS_AV = instalning
    skriv_alla_kapitel(utkast, personas["kvalitetssamordnare"])
    fore = ogonblick()
    for bekraftad in (False, True):
        response = post_faststall(
            klient_for("forvaltningschef"),
            utkast,
            data,
            django_capture_on_commit_callbacks,
            bekraftad=bekraftad,
        )
        assert response.status_code == 400
        assert fel in response.content.decode(), response.content.decode()[-3000:]
        assert "<script>alert" not in response.content.decode()
    assert ogonblick() == fore


@pytest.mark.parametrize("instalning", ["forvaltningschef", "namnd"])
def test_demons_beslutade_rapport_ar_skriven_rakt_igenom(
    instalning, personas, settings, django_capture_on_commit_callbacks
):
    """The demo's decided report has every chapter written, so its PDF never shows a
    writing instruction, and its cover names the decision as the setting says."""
    from rapporter.demo import skapa_demoberattelse
    from tests.rapporter.test_pdf import all_text, las

    settings.KVALITETSBERATTELSE_BESLUTAS_AV = instalning
    with django_capture_on_commit_callbacks(execute=True):
        b = skapa_demoberattelse(
            kvalitetssamordnare=personas["kvalitetssamordnare"],
            forvaltningschef=personas["forvaltningschef"],
        )
    b.refresh_from_db()
    assert b.status == "faststalld"
    assert [s for _k, s, _t in b.kapitelstatus()] == ["skriven"] * len(KAPITEL)
    text = all_text(las(b.pdf.read()))
    for instruktion in ("[[", "]]", "Beskriv här", "Skriv här", "Fokusområde "):
        assert instruktion not in text, instruktion
    fakta = "§ 14, dnr SN" if instalning == "namnd" else "Fastställd av förvaltningschefen"
    assert fakta in text


def test_en_beslutad_version_visar_bara_kapitlen_den_beslutades_med(faststalld, klient_for):
    """A chapter added to the product after a version was decided (lex Sarah, IVO:s
    tillsyn in 2026) never appears in that version with its default text and
    instructions: the decided version shows the chapters it was decided with, numbered
    without a gap. A draft shows every chapter."""
    from rapporter.models import Kapiteltext

    beslutad = faststalld()
    # Decided before the chapter existed: it has no text of its own in the version.
    Kapiteltext.objects.filter(berattelse=beslutad, kapitel="tillsyn").delete()
    html = hamta_html(
        klient_for("kvalitetssamordnare"), f"/rapporter/{beslutad.pk}/forhandsvisning/"
    )
    assert "IVO:s tillsyn" not in html
    assert "[[" not in html
    titlar = [str(k.titel) for k in KAPITEL if k.slug != "tillsyn"]
    for nummer, titel in enumerate(titlar, start=1):
        rubrik = rf'<span class="kapitelnr">{nummer}</span> {re.escape(titel)}</h2>'
        assert re.search(rubrik, html), titel
    assert [k.slug for k, _status, _text in beslutad.kapitelstatus()] == [
        k.slug for k in KAPITEL if k.slug != "tillsyn"
    ]
    utkast = Kvalitetsberattelse.skapa(ar=2025, brytdatum=date(2026, 1, 31), av=beslutad.skapad_av)
    assert [k.slug for k, _s, _t in utkast.kapitelstatus()] == [k.slug for k in KAPITEL]
