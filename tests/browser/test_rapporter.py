"""The kvalitetsberättelse in the browser, from draft to the nämnd.

The kvalitetssamordnare creates this year's draft, writes the introduction (Markdown,
previewed with htmx), generates the PDF and reads the HTML preview; the
förvaltningschef decides the report (confirm dialog) and the archived PDF appears with
its SHA-256; the nämnd lands on the reports, sees nothing else in the menu, downloads
the decided PDF and is refused every case page and every draft. Axe runs on the list,
the detail page, the chapter editor and the preview; the chapter editor is also used by
keyboard only. Screenshots go to test-artifacts/browser/rapporter-*.png.

Celery runs eagerly (tests/conftest.py), so the PDF is rendered inside the live server's
request thread once its transaction commits; the status fragment still polls while a
rendering is queued, and the test waits for the download link either way.
"""

import hashlib
import io
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from rapporter.models import Kvalitetsberattelse, standard_brytdatum
from tests.browser.conftest import LOSENORD
from tests.browser.sidor import (
    huvudmeny,
    ingen_sidledes_rullning,
    kontrollera_axe,
    logga_in,
    logga_ut,
    skarmbild,
)
from tests.factories import AvvikelseFactory
from tests.rapporter.hjalp import skriv_alla_kapitel

pytestmark = pytest.mark.browser

SHA256 = re.compile(r"^[0-9a-f]{64}$")
# Rendering the PDF (figures and WeasyPrint) happens in the live server; allow for a
# loaded CI machine.
PDF_TID_MS = 60_000

TEXT = (
    "Året präglades av **förbättringsarbete** i alla avdelningar.\n"
    "\n"
    "Det viktigaste vi gjorde:\n"
    "\n"
    "- Ny rutin för adressändring\n"
    "- Utbildning i avvikelserapportering\n"
)


@pytest.fixture
def ar():
    from django.utils import timezone

    return timezone.localdate().year


@pytest.fixture
def underlag(personas, org, kodlistor, ar):
    """A few avvikelser this year (so the figures' tables have rows), and a draft of
    last year made by the kvalitetssamordnare: the nämnd must never see it."""
    avvikelser = [
        AvvikelseFactory(
            enhet=org[enhet],
            rapporterad_av=personas["medarbetare"],
            skapad_av=personas["medarbetare"],
        )
        for enhet in ("EB", "EB", "KOLL")
    ]
    forra = Kvalitetsberattelse.skapa(
        ar=ar - 1, brytdatum=standard_brytdatum(ar - 1), av=personas["kvalitetssamordnare"]
    )
    return {"avvikelser": avvikelser, "forra_utkastet": forra}


# What the nämnd's menu offers: its reports and the parts' decided documents.
NAMNDENS_MENY = [
    "Rapporter",
    "Riskregistret – fastställda versioner",
    "Lex Sarah – nämndhandlingar",
    "Internkontroll – fastställda handlingar",
]


def _steg(sida: Page, namn: str, *, axe: bool = False):
    """Every step: nothing sticks out to the right, a screenshot is kept; where asked,
    no serious or critical axe violation."""
    ingen_sidledes_rullning(sida, tabeller_far_rulla=True)
    skarmbild(sida, f"rapporter-{namn}")
    if axe:
        kontrollera_axe(sida, f"rapporter-{namn}")


def _logga_in_namnd(sida: Page):
    """The nämnd has no start page: logging in lands on the reports."""
    sida.goto("/konto/logga-in/")
    sida.get_by_label("Användarnamn").fill("namnd")
    sida.get_by_label("Lösenord").fill(LOSENORD)
    sida.get_by_role("button", name="Logga in").click()
    expect(sida.get_by_role("heading", level=1, name="Kvalitetsberättelser")).to_be_visible()
    expect(sida).to_have_url(re.compile(r"/rapporter/$"))


def _ladda_ner(sida: Page, lank) -> bytes:
    with sida.expect_download() as hamtning:
        lank.click()
    fil = hamtning.value
    assert fil.suggested_filename.startswith("kvalitetsberattelse-"), fil.suggested_filename
    assert fil.suggested_filename.endswith(".pdf"), fil.suggested_filename
    return Path(fil.path()).read_bytes()


def _pdf_text(innehall: bytes) -> str:
    from pypdf import PdfReader

    assert innehall.startswith(b"%PDF"), innehall[:20]
    return " ".join(s.extract_text() or "" for s in PdfReader(io.BytesIO(innehall)).pages)


def _meny(sida: Page) -> list[str]:
    return [
        t.strip() for t in sida.locator("nav[aria-label=Huvudmeny] ul.meny a").all_inner_texts()
    ]


def test_kvalitetsberattelse_fran_utkast_till_namnden(ny_sida, personas, underlag, ar):
    # --- The kvalitetssamordnare writes the draft ---------------------------------------
    sida = ny_sida("dator")
    logga_in(sida, "kvalitetssamordnare")
    huvudmeny(sida).get_by_role("link", name="Rapporter").click()
    expect(sida.get_by_role("heading", level=1, name="Kvalitetsberättelser")).to_be_visible()
    _steg(sida, "01-lista-kvalitetssamordnare", axe=True)

    sida.get_by_label("År").fill(str(ar))
    sida.get_by_role("button", name="Skapa utkast").click()
    expect(sida.locator(".meddelande.success")).to_have_text(f"Utkastet för {ar} är skapat.")
    expect(sida.get_by_role("heading", level=1)).to_contain_text(f"Kvalitetsberättelse {ar}")
    expect(sida.locator(".rubrikrad .status")).to_have_text("Utkast")
    pdf_del = sida.get_by_role("region", name="PDF")
    expect(pdf_del).to_contain_text("Ingen PDF är skapad ännu.")
    _steg(sida, "02-detalj-utkast", axe=True)

    sida.get_by_role("link", name="Skriv Inledning").click()
    expect(sida.get_by_role("heading", level=1, name="Inledning")).to_be_visible()
    text = sida.get_by_label("Text", exact=True)
    expect(text).to_have_value(re.compile("Kvalitetsberättelsen för"))  # the default text
    text.fill(TEXT)
    _steg(sida, "03-kapitel-ifyllt", axe=True)

    # The preview is an htmx fragment: the page stays, nothing is saved yet.
    url = sida.url
    forhandsvisning = sida.locator("#textforhandsvisning")
    sida.get_by_role("button", name="Förhandsvisa texten").click()
    expect(forhandsvisning.locator("strong")).to_have_text("förbättringsarbete")
    expect(forhandsvisning.get_by_role("listitem")).to_have_text(
        ["Ny rutin för adressändring", "Utbildning i avvikelserapportering"]
    )
    assert sida.url == url
    assert not Kvalitetsberattelse.objects.get(ar=ar).texter.exists(), "förhandsvisning sparar"
    _steg(sida, "04-kapitel-forhandsvisat", axe=True)

    sida.get_by_role("button", name="Spara").click()
    expect(sida.locator(".meddelande.success")).to_have_text("Texten i ”Inledning” är sparad.")
    inledning = sida.locator(".kapitellista li").filter(has_text="Inledning")
    expect(inledning).to_contain_text("Skriven – sparad")
    expect(inledning).to_contain_text("av Kvalitetssamordnare")
    syfte = sida.locator(".kapitellista li").filter(has_text="Syfte och ledningssystemet")
    expect(syfte).to_contain_text("Inte skriven ännu")

    # The PDF: the status fragment is replaced in place, then offers the download.
    pdf_del.get_by_role("button", name="Skapa PDF").click()
    ladda_ner = pdf_del.locator("a[download]", has_text="Ladda ner PDF")
    expect(ladda_ner).to_be_visible(timeout=PDF_TID_MS)
    expect(pdf_del).not_to_contain_text("Ingen PDF är skapad ännu.")
    expect(pdf_del.get_by_role("button", name="Skapa ny PDF")).to_be_visible()
    assert sida.url.endswith(f"/rapporter/{Kvalitetsberattelse.objects.get(ar=ar).pk}/")
    _steg(sida, "05-detalj-pdf-klar")

    # The HTML preview: the edited text, and chapters with their figures.
    sida.get_by_role("link", name="Förhandsvisa i webbläsaren").click()
    expect(sida.get_by_role("heading", level=1, name=f"Kvalitetsberättelse {ar}")).to_be_visible()
    kapitel = sida.locator("#kap-inledning")
    expect(kapitel.get_by_role("heading", level=2)).to_contain_text("Inledning")
    expect(kapitel.locator("strong")).to_have_text("förbättringsarbete")
    expect(kapitel.get_by_role("listitem")).to_have_count(2)
    avvikelser = sida.locator("#kap-avvikelser")
    expect(avvikelser.get_by_role("table").first).to_be_visible()
    expect(avvikelser.get_by_role("table", name="Avvikelser per avdelning")).to_contain_text(
        "Myndighetsavdelningen"
    )
    expect(avvikelser.locator("svg.diagram").first).to_be_visible()
    _steg(sida, "06-forhandsvisning", axe=True)

    sida.go_back()
    innehall = _ladda_ner(
        sida,
        sida.get_by_role("region", name="PDF").locator("a[download]", has_text="Ladda ner PDF"),
    )
    text_i_pdf = _pdf_text(innehall)
    assert "förbättringsarbete" in text_i_pdf
    assert "Ny rutin för adressändring" in text_i_pdf
    assert f"Kvalitetsberättelse {ar}" in text_i_pdf
    logga_ut(sida)

    # --- The förvaltningschef decides ------------------------------------------------------
    sida = ny_sida("dator")
    logga_in(sida, "forvaltningschef")
    huvudmeny(sida).get_by_role("link", name="Rapporter").click()
    sida.get_by_role("link", name=f"Kvalitetsberättelse {ar}, version 1").click()
    expect(sida.locator(".rubrikrad .status")).to_have_text("Utkast")
    # The decider reads the draft but does not write it.
    expect(sida.get_by_role("link", name=re.compile("^Skriv "))).to_have_count(0)
    # Chapters still on their default text: deciding is not offered, and the page says why.
    faststall = sida.get_by_role("region", name="Fastställ")
    expect(faststall).to_contain_text("Fastställ går när:")
    expect(faststall).to_contain_text("Syfte och ledningssystemet")
    expect(faststall.get_by_role("button", name="Fastställ")).to_have_count(0)
    _steg(sida, "07-detalj-forvaltningschef", axe=True)

    # The kvalitetssamordnare writes the other chapters (as above, one by one).
    skriv_alla_kapitel(Kvalitetsberattelse.objects.get(ar=ar), personas["kvalitetssamordnare"])
    sida.reload()
    faststall = sida.get_by_role("region", name="Fastställ")
    faststall.get_by_label("Diarienummer").fill("SN 2026/12")
    faststall.get_by_label("Beslutsanteckning (valfri)").fill("Nämndens sammanträde i februari")
    faststall.get_by_role("button", name="Fastställ").click()
    # Deciding cannot be undone: confirmed on a page of its own.
    idag = timezone.localdate().isoformat()
    expect(
        sida.get_by_text(
            f"Fastställa kvalitetsberättelsen – ”Fastställd av förvaltningschefen {idag}, "
            "dnr SN 2026/12”? Siffrorna låses och PDF:en arkiveras; den kan inte ändras efteråt."
        )
    ).to_be_visible()
    expect(sida.get_by_text("Nämndens sammanträde i februari")).to_be_visible()
    _steg(sida, "07b-faststall-bekrafta", axe=True)
    sida.get_by_role("button", name="Ja, fastställ").click()
    expect(sida.locator(".meddelande.success")).to_have_text(
        f"Kvalitetsberättelsen för {ar} är fastställd. PDF:en arkiveras."
    )
    expect(sida.locator(".rubrikrad .status")).to_have_text("Fastställd")
    expect(sida.get_by_role("region", name="Fastställ")).to_have_count(0)
    pdf_del = sida.get_by_role("region", name="PDF")
    summa = pdf_del.locator("code.kontrollsumma")
    expect(summa).to_have_text(SHA256, timeout=PDF_TID_MS)
    expect(pdf_del).to_contain_text("arkiverad")
    expect(pdf_del.locator("a[download]", has_text="Ladda ner PDF")).to_be_visible()
    # An archived PDF is never made again.
    expect(pdf_del.locator("button")).to_have_count(0)
    arkiverad_sha = summa.inner_text()
    beslutad = Kvalitetsberattelse.objects.get(ar=ar)
    assert beslutad.pdf_sha256 == arkiverad_sha
    _steg(sida, "08-faststalld", axe=True)
    logga_ut(sida)

    # --- The nämnd reads the decided report, and nothing else -----------------------------
    sida = ny_sida("dator")
    _logga_in_namnd(sida)
    assert _meny(sida) == NAMNDENS_MENY, _meny(sida)
    expect(sida.locator("#sok-nummer")).to_have_count(0)
    lista = sida.get_by_role("table", name="Kvalitetsberättelser per år")
    expect(lista.get_by_role("row")).to_have_count(2)  # header and the decided report
    expect(lista).not_to_contain_text(str(ar - 1))
    _steg(sida, "09-lista-namnd", axe=True)

    lista.get_by_role("link", name=f"Kvalitetsberättelse {ar}, version 1").click()
    expect(sida.locator(".rubrikrad .status")).to_have_text("Fastställd")
    pdf_del = sida.get_by_role("region", name="PDF")
    expect(pdf_del.locator("code.kontrollsumma")).to_have_text(arkiverad_sha)
    # Neither the workbench nor the live preview: only the decided document.
    expect(sida.get_by_role("link", name="Förhandsvisa i webbläsaren")).to_have_count(0)
    expect(sida.get_by_role("region", name="Kapitel")).to_have_count(0)
    expect(sida.get_by_role("region", name="Händelser")).to_have_count(0)
    _steg(sida, "10-detalj-namnd", axe=True)
    innehall = _ladda_ner(sida, pdf_del.locator("a[download]", has_text="Ladda ner PDF"))
    assert hashlib.sha256(innehall).hexdigest() == arkiverad_sha
    text_i_pdf = _pdf_text(innehall)
    assert "förbättringsarbete" in text_i_pdf
    assert "utkast" not in text_i_pdf.split("Innehåll")[0].lower(), "omslaget säger utkast"

    # Case pages are refused, the start page leads to the reports, drafts do not exist.
    for adress in ("/avvikelser/", "/synpunkter/"):
        svar = sida.goto(adress)
        assert svar.status == 403, (adress, svar.status)
        expect(sida.get_by_role("heading", level=1)).to_have_text("Ingen behörighet")
        assert _meny(sida) == NAMNDENS_MENY
    avvikelse = underlag["avvikelser"][0]
    svar = sida.goto(avvikelse.get_absolute_url())
    assert svar.status == 403, svar.status
    expect(sida.get_by_role("heading", level=1)).to_have_text("Ingen behörighet")
    expect(sida.locator("main")).to_contain_text("Nämnden ser rapporterna")
    expect(sida.locator("main")).not_to_contain_text(avvikelse.beskrivning)
    _steg(sida, "11-namnd-arende-nekat")

    sida.goto("/")
    expect(sida).to_have_url(re.compile(r"/rapporter/$"))
    expect(sida.get_by_role("heading", level=1, name="Kvalitetsberättelser")).to_be_visible()

    utkast = underlag["forra_utkastet"]
    for adress in (
        utkast.get_absolute_url(),
        f"/rapporter/{utkast.pk}/forhandsvisning/",
        f"/rapporter/{utkast.pk}/pdf/hamta/",
    ):
        svar = sida.goto(adress)
        assert svar.status == 404, (adress, svar.status)
        expect(sida.get_by_role("heading", level=1)).to_have_text("Sidan finns inte")
    _steg(sida, "12-namnd-utkast-finns-inte")


def _beslutad_med_arkiverad_pdf(ar):
    """A decided version whose archived PDF and checksum are on its page."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    b = Kvalitetsberattelse.objects.create(
        ar=ar, brytdatum=standard_brytdatum(ar), status="faststalld", faststalld=timezone.now()
    )
    innehall = b"%PDF-1.4\n%%EOF\n"
    b.pdf.save("kvalitetsberattelse.pdf", ContentFile(innehall), save=False)
    b.pdf_sha256 = hashlib.sha256(innehall).hexdigest()
    b.pdf_skapad = timezone.now()
    b.pdf_status = "klar"
    b.save()
    return b


@pytest.mark.parametrize("storlek", ["mobil", "smal"])
def test_sidorna_pa_mobil(ny_sida, personas, underlag, ar, storlek):
    """The report pages at phone width and at 320 px, a draft's and a decided version's
    (with its checksum): nothing off-screen (wide tables scroll in their own box), no
    serious axe violation."""
    utkast = underlag["forra_utkastet"]
    utkast.spara_text("inledning", TEXT, av=personas["kvalitetssamordnare"], titel="Inledning")
    beslutad = _beslutad_med_arkiverad_pdf(ar - 2)
    sida = ny_sida(storlek)
    logga_in(sida, "kvalitetssamordnare")
    problem = []
    for namn, adress in (
        ("lista", "/rapporter/"),
        ("detalj", utkast.get_absolute_url()),
        ("beslutad", beslutad.get_absolute_url()),
        ("kapitel", f"/rapporter/{utkast.pk}/kapitel/inledning/"),
        ("forhandsvisning", f"/rapporter/{utkast.pk}/forhandsvisning/"),
    ):
        sida.goto(adress)
        expect(sida.get_by_role("heading", level=1)).to_be_visible()
        skarmbild(sida, f"rapporter-{namn}-{storlek}")
        # Every page is checked before failing, so one run reports them all.
        for kontroll in (
            lambda: ingen_sidledes_rullning(sida, tabeller_far_rulla=True),
            lambda: kontrollera_axe(sida, f"rapporter-{namn}-{storlek}"),  # noqa: B023
        ):
            try:
                kontroll()
            except AssertionError as fel:
                problem.append(str(fel))
    assert not problem, "\n\n".join(problem)


def _fokus_i(sida: Page, selektor: str) -> bool:
    return sida.evaluate(
        "(s) => document.querySelector(s).contains(document.activeElement)", selektor
    )


def test_kapitel_med_tangentbordet(ny_sida, personas, underlag, ar):
    """Keyboard only: the skip link, the text field, the preview and save buttons."""
    utkast = underlag["forra_utkastet"]
    sida = ny_sida("dator")
    logga_in(sida, "kvalitetssamordnare")
    sida.goto(f"/rapporter/{utkast.pk}/kapitel/inledning/")

    sida.keyboard.press("Tab")
    expect(sida.locator("a.hoppa")).to_be_focused()
    sida.keyboard.press("Enter")
    expect(sida.locator("main#innehall")).to_be_focused()

    # From the top of the content, Tab reaches the text field past the breadcrumbs.
    text = sida.get_by_label("Text", exact=True)
    for _ in range(6):
        sida.keyboard.press("Tab")
        assert _fokus_i(sida, "main"), "Tab lämnade huvudinnehållet före textfältet"
        if sida.evaluate("document.activeElement.tagName") == "TEXTAREA":
            break
    expect(text).to_be_focused()
    sida.keyboard.press("ControlOrMeta+a")
    sida.keyboard.type("Skrivet med **tangentbordet**.")
    expect(text).to_have_value("Skrivet med **tangentbordet**.")

    # Tab leaves the text field (no focus trap) for the buttons, in reading order.
    sida.keyboard.press("Tab")
    spara = sida.get_by_role("button", name="Spara")
    expect(spara).to_be_focused()
    sida.keyboard.press("Tab")
    forhandsvisa = sida.get_by_role("button", name="Förhandsvisa texten")
    expect(forhandsvisa).to_be_focused()
    # The focused button is visibly marked (Pico's focus ring is a box-shadow).
    ring = forhandsvisa.evaluate(
        "(b) => { const s = getComputedStyle(b); return [s.outlineStyle, s.boxShadow]; }"
    )
    assert ring[0] != "none" or ring[1] != "none", f"ingen synlig fokusmarkering: {ring}"
    sida.keyboard.press("Enter")
    expect(sida.locator("#textforhandsvisning strong")).to_have_text("tangentbordet")
    # htmx swapped the preview only: focus stays on the button.
    expect(forhandsvisa).to_be_focused()
    sida.keyboard.press("Tab")
    expect(sida.get_by_role("link", name="Avbryt")).to_be_focused()
    skarmbild(sida, "rapporter-tangentbord-kapitel")

    sida.keyboard.press("Shift+Tab")
    sida.keyboard.press("Shift+Tab")
    expect(spara).to_be_focused()
    sida.keyboard.press("Enter")
    expect(sida.locator(".meddelande.success")).to_have_text("Texten i ”Inledning” är sparad.")
    assert utkast.texter.get(kapitel="inledning").text == "Skrivet med **tangentbordet**."
