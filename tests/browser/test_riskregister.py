"""The risk register through the real pages (DOMAIN.md §4.4).

The avdelningschef of Myndighetsavdelningen holds a riskanalys: re-assesses two of the
avdelning's risks in it (one with the keyboard only), proposes a new risk, writes the
konsekvensbeskrivning and marks the analysis done. The kvalitetssamordnare prepares the
register's next version, sees the proposal and the changes on the draft, and records
the nämnd's decision. The nämnd finds the decided version in its menu and downloads
the PDF, which names the new risk and the decision's diarienummer.

Apart: the register's matrix (a cell's count opens the list of exactly those risks),
the register as it stood on an earlier date, and the pages on a phone and under axe.
Screenshots go to test-artifacts/browser/risk-*.png, the nämnd's PDF to risk-namnd.pdf.
"""

import io
import re
from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.conftest import ARTEFAKTER, LOSENORD
from tests.browser.sidor import (
    huvudmeny,
    ingen_sidledes_rullning,
    kontrollera_axe,
    logga_in,
    logga_ut,
    skarmbild,
)
from tests.riskregister.hjalp import risk

pytestmark = pytest.mark.browser

NY_RISK = "Barnets röst dokumenteras inte i utredningen"
KONSEKVENS = "Två riskvärden sjunker; en ny risk kräver utbildning i samtalsmetodik 2027."
PARAGRAF = "§ 88"
DIARIENUMMER = "SN 2026/204"
FORRA_BESLUTET = date(2025, 10, 1)


def _seed(org, personas):
    """Four risks in the register from 2025 – three of Myndighetsavdelningen's units,
    one of Öppenvårdsavdelningen's – and version 1, decided 2025-10-01."""
    from riskregister.choices import Versionsstatus
    from riskregister.models import Registerversion
    from riskregister.register import innehall

    risker = {
        "oro": risk(
            org["BUV"],
            (date(2025, 2, 1), 2, 3),
            (date(2025, 9, 1), 3, 4),
            titel="Orosanmälan bedöms inte inom 14 dagar",
            handlaggare=personas["enhetschef"],
        ),
        "mottagare": risk(
            org["EB"], (date(2025, 3, 1), 2, 2), titel="Beslut skickas till fel mottagare"
        ),
        "konto": risk(org["EB"], (date(2025, 1, 15), 3, 3), titel="Utbetalning till fel konto"),
        "rymning": risk(org["KOLL"], (date(2025, 4, 1), 3, 3), titel="Rymning från HVB"),
    }
    Registerversion.objects.create(
        version=1,
        status=Versionsstatus.FASTSTALLD,
        sammantradesdatum=FORRA_BESLUTET,
        paragraf="41",
        diarienummer="SN 2025/77",
        faststalld=timezone.now(),
        innehall=innehall(FORRA_BESLUTET),
    )
    return risker


def _bild(sida: Page, namn: str):
    skarmbild(sida, f"risk-{namn}")


def _lyckades(sida: Page, text: str):
    expect(sida.locator(".meddelande.success")).to_contain_text(text)


def _meny(sida: Page, namn: str):
    huvudmeny(sida).get_by_role("link", name=namn).click()


def _fokus_pa(sida: Page, lokator) -> bool:
    return lokator.evaluate("el => el === document.activeElement")


def _tabba_till(sida: Page, lokator, max_tryck: int = 60):
    """Press Tab until `lokator` has focus – as someone without a mouse gets there."""
    for _ in range(max_tryck):
        if _fokus_pa(sida, lokator):
            return
        sida.keyboard.press("Tab")
    raise AssertionError(f"{lokator} nås inte med Tab")


def _valj_steg_med_pilar(sida: Page, grupp, steg: int):
    """In a radio group of the scale (Tab has put focus on its first button), move with
    the arrow keys to step `steg` – arrows check the button they land on."""
    radio = grupp.get_by_role("radio")
    _tabba_till(sida, radio.first)
    for _ in range(steg - 1):
        sida.keyboard.press("ArrowDown")
    expect(radio.nth(steg - 1)).to_be_checked()
    expect(radio.nth(steg - 1)).to_be_focused()


def _pdf_text(innehall: bytes) -> str:
    from pypdf import PdfReader

    assert innehall.startswith(b"%PDF"), innehall[:20]
    sidor = PdfReader(io.BytesIO(innehall)).pages
    return " ".join(" ".join((s.extract_text() or "").split()) for s in sidor)


def _logga_in_namnd(sida: Page):
    """The nämnd has no start page: logging in lands on the reports."""
    sida.goto("/konto/logga-in/")
    sida.get_by_label("Användarnamn").fill("namnd")
    sida.get_by_label("Lösenord").fill(LOSENORD)
    sida.get_by_role("button", name="Logga in").click()
    expect(sida.get_by_role("heading", level=1, name="Kvalitetsberättelser")).to_be_visible()


def test_riskanalys_till_namndens_pdf(ny_sida, personas, org):
    risker = _seed(org, personas)
    oro, mottagare = risker["oro"], risker["mottagare"]
    idag = timezone.localdate()

    # --- 1. The avdelningschef starts a riskanalys ------------------------------------
    sida = ny_sida("dator")
    logga_in(sida, "avdelningschef")
    # The riskanalyser are reached from the register's page.
    _meny(sida, "Riskregister")
    sida.get_by_role("button", name="Riskanalyser").click()
    expect(sida.get_by_role("heading", level=1, name="Riskanalyser")).to_be_visible()
    sida.get_by_role("button", name="Ny riskanalys").click()
    expect(sida.get_by_role("heading", level=1, name="Ny riskanalys")).to_be_visible()
    expect(sida.get_by_role("complementary", name="Stödfrågor för riskanalysen")).to_be_visible()
    enhet = sida.get_by_label("Enhet")
    # Only the avdelning's own units are offered.
    alternativ = " ".join(enhet.locator("option").all_text_contents())
    assert "Myndighetsavdelningen" in alternativ and "Öppenvård" not in alternativ, alternativ
    enhet.select_option(str(org["MYN"].pk))
    expect(sida.get_by_label("Datum")).to_have_value(idag.isoformat())
    sida.get_by_label("Anledning").select_option("arlig")
    sida.get_by_label("Deltagare").fill(
        "Avdelningschef – Avdelningschef\nEnhetschef Ekonomiskt bistånd – Enhetschef"
    )
    _bild(sida, "01-ny-analys")
    sida.get_by_role("button", name="Påbörja analysen").click()
    _lyckades(sida, "är påbörjad")
    rubrik = sida.get_by_role("heading", level=1).inner_text()
    analysnummer = re.search(r"RA-\d{4}-\d{4}", rubrik).group(0)
    analys_url = sida.url

    # --- 2. Re-assess a risk with the mouse … ------------------------------------------
    sida.get_by_text("Bedöm en befintlig risk", exact=True).click()
    form = sida.locator("#bedom-i-analysen form")
    valbara = " ".join(
        form.get_by_role("combobox", name="Risk", exact=True).locator("option").all_text_contents()
    )
    assert oro.nummer in valbara and mottagare.nummer in valbara, valbara
    assert risker["rymning"].nummer not in valbara, "en annan avdelnings risk erbjuds"
    form.get_by_role("combobox", name="Risk", exact=True).select_option(str(oro.pk))
    form.get_by_role("group", name=re.compile("^Sannolikhet")).get_by_role(
        "radio", name="2 Mindre sannolik"
    ).check()
    form.get_by_role("group", name=re.compile("^Konsekvens")).get_by_role(
        "radio", name="4 Allvarlig"
    ).check()
    form.get_by_label("Varför denna bedömning?").fill("Ny rutin för bevakning av 14 dagar.")
    _bild(sida, "02-bedom-ifylld")
    form.get_by_role("button", name="Spara bedömningen").click()
    _lyckades(sida, f"{oro.nummer} är bedömd i analysen.")

    # --- … and one with the keyboard only ----------------------------------------------
    summary = sida.locator("#bedom-i-analysen summary")
    _tabba_till(sida, summary)
    sida.keyboard.press("Enter")
    form = sida.locator("#bedom-i-analysen form")
    valj = form.get_by_role("combobox", name="Risk", exact=True)
    expect(valj).to_be_visible()
    _tabba_till(sida, valj)
    # A closed <select> takes the arrow keys: step to the risk.
    for _ in range(10):
        if valj.input_value() == str(mottagare.pk):
            break
        sida.keyboard.press("ArrowDown")
    expect(valj).to_have_value(str(mottagare.pk))
    _valj_steg_med_pilar(sida, form.get_by_role("group", name=re.compile("^Sannolikhet")), 3)
    _valj_steg_med_pilar(sida, form.get_by_role("group", name=re.compile("^Konsekvens")), 3)
    kommentar = form.get_by_label("Varför denna bedömning?")
    _tabba_till(sida, kommentar)
    sida.keyboard.type("Fler beslut skickas digitalt.")
    _tabba_till(sida, form.get_by_role("button", name="Spara bedömningen"))
    sida.keyboard.press("Enter")
    _lyckades(sida, f"{mottagare.nummer} är bedömd i analysen.")
    i_analysen = sida.get_by_role("region", name="Risker i analysen")
    expect(i_analysen.get_by_role("row", name=re.compile(oro.nummer))).to_contain_text(
        "Bedömd: 2 × 4 = 8"
    )
    expect(i_analysen.get_by_role("row", name=re.compile(mottagare.nummer))).to_contain_text(
        "Bedömd: 3 × 3 = 9"
    )

    # --- 3. Propose a new risk in the analysis -----------------------------------------
    sida.get_by_role("button", name="Ny risk i analysen").click()
    expect(sida.get_by_role("heading", level=1, name="Föreslå risk")).to_be_visible()
    expect(sida.locator(".meddelande", has_text="Risken läggs till i")).to_contain_text(
        analysnummer
    )
    expect(sida.get_by_label(re.compile("^Enhet"))).to_have_value(str(org["MYN"].pk))
    sida.get_by_label(re.compile("^Enhet")).select_option(str(org["BUV"].pk))
    sida.get_by_label(re.compile("^Risk")).fill(NY_RISK)
    sida.get_by_label(re.compile("^Vad kan hända")).fill(
        "Barnets egen berättelse saknas, så beslutet vilar på de vuxnas bild."
    )
    sida.get_by_label(re.compile("^Kategori")).select_option("rattssakerhet")
    sida.get_by_role("group", name=re.compile("^Sannolikhet")).get_by_role(
        "radio", name="3 Möjlig"
    ).check()
    sida.get_by_role("group", name=re.compile("^Konsekvens")).get_by_role(
        "radio", name="4 Allvarlig"
    ).check()
    _bild(sida, "03-ny-risk-ifylld")
    sida.get_by_role("button", name="Föreslå risken").click()
    _lyckades(sida, "Risken är föreslagen som RISK-")
    ny_nummer = re.search(r"RISK-\d{4}-\d{4}", sida.locator(".meddelande.success").inner_text())
    ny_nummer = ny_nummer.group(0)
    expect(sida.locator(".meddelande", has_text="Förslag:")).to_be_visible()
    expect(sida.get_by_role("region", name=NY_RISK)).to_contain_text("Riskvärde 12")
    _bild(sida, "04-risk-foreslagen")
    sida.get_by_role("link", name=f"riskanalys {analysnummer}").first.click()
    expect(sida).to_have_url(analys_url)

    # --- 4. The konsekvensbeskrivning, and the analysis is done -------------------------
    i_analysen = sida.get_by_role("region", name="Risker i analysen")
    expect(i_analysen.locator("tbody tr")).to_have_count(3)
    expect(i_analysen.get_by_role("row", name=re.compile(ny_nummer))).to_contain_text(
        "Ny risk: 3 × 4 = 12"
    )
    andra = sida.locator("form.overgang").filter(
        has=sida.locator("summary", has_text="Ändra analysen")
    )
    andra.locator("summary").click()
    andra.get_by_label(re.compile("^Konsekvensbeskrivning inför budget")).fill(KONSEKVENS)
    andra.locator("button[type=submit]").click()
    expect(sida.get_by_role("region", name="Analysen", exact=True)).to_contain_text(KONSEKVENS)
    _bild(sida, "05-analys")
    kontrollera_axe(sida, "risk-analys")
    sida.get_by_role("button", name="Markera analysen som klar").click()
    expect(sida.locator(".rubrikrad .status")).to_have_text("Klar")
    expect(sida.get_by_text("Bedöm en befintlig risk", exact=True)).to_have_count(0)
    logga_ut(sida)

    # --- 5. The kvalitetssamordnare prepares the register -------------------------------
    sida = ny_sida("dator")
    logga_in(sida, "kvalitetssamordnare")
    _meny(sida, "Riskregister")
    expect(sida.get_by_role("heading", level=1, name="Riskregistret")).to_be_visible()
    sida.get_by_role("button", name="Versioner till nämnden").click()
    expect(
        sida.get_by_role("heading", level=1, name="Riskregistret – versioner till nämnden")
    ).to_be_visible()
    sida.get_by_label("Förvaltningens sammanfattning till nämnden").fill(
        "Myndighetsavdelningens riskanalys inför budget 2027."
    )
    sida.get_by_role("button", name="Skapa utkast").click()
    _lyckades(sida, "Utkastet till version 2 är skapat.")
    expect(sida.get_by_role("heading", level=1)).to_have_text("Riskregistret, version 2")
    expect(sida.locator(".rubrikrad .status")).to_have_text("Utkast")
    rad = sida.get_by_role("region", name="Riskerna", exact=True).get_by_role(
        "row", name=re.compile(ny_nummer)
    )
    expect(rad).to_contain_text("Föreslagen")
    expect(rad).to_contain_text("3 × 4 = 12")
    andringar = sida.get_by_role("region", name="Ändringar", exact=True)
    expect(andringar).to_contain_text(
        "Jämfört med version 1: 1 ny, 0 borttagna, 1 med högre och 1 med lägre riskvärde."
    )
    expect(andringar.locator("li", has_text=ny_nummer)).to_contain_text(NY_RISK)
    expect(andringar.locator("li", has_text=mottagare.nummer)).to_contain_text("4 → 9")
    expect(andringar.locator("li", has_text=oro.nummer)).to_contain_text("12 → 8")
    _bild(sida, "06-version-utkast")
    kontrollera_axe(sida, "risk-version-utkast")

    # --- 6. … and records the nämnd's decision, with the keyboard ----------------------
    beslut = sida.locator("form.overgang").filter(
        has=sida.locator("summary", has_text="Registrera nämndens beslut")
    )
    _tabba_till(sida, beslut.locator("summary"))
    sida.keyboard.press("Enter")
    falt = beslut.get_by_label("Nämndens sammanträde")
    _tabba_till(sida, falt)
    falt.fill(idag.isoformat())  # a date input: typed as the browser shows it
    _tabba_till(sida, beslut.get_by_label("Paragraf (§) i protokollet"))
    sida.keyboard.type(PARAGRAF)
    _tabba_till(sida, beslut.get_by_label("Diarienummer"))
    sida.keyboard.type(DIARIENUMMER)
    _bild(sida, "07-beslut-ifyllt")
    _tabba_till(sida, beslut.locator("button[type=submit]"))
    sida.keyboard.press("Enter")
    expect(sida.get_by_role("heading", level=1)).to_have_text(
        "Registrera nämndens beslut: Riskregistret, version 2"
    )
    expect(sida.locator("main")).to_contain_text(DIARIENUMMER)
    _bild(sida, "08-beslut-bekrafta")
    ja = sida.get_by_role("button", name="Ja, registrera nämndens beslut")
    _tabba_till(sida, ja)
    sida.keyboard.press("Space")
    _lyckades(sida, "Riskregistret version 2 är fastställt.")
    expect(sida.locator(".rubrikrad .status")).to_have_text("Fastställd")
    expect(sida.locator(".meddelande", has_text="Fastställt av")).to_contain_text(DIARIENUMMER)
    _bild(sida, "09-version-faststalld")
    kontrollera_axe(sida, "risk-version-faststalld")
    logga_ut(sida)

    # --- 7. The nämnd downloads the decided register -----------------------------------
    sida = ny_sida("dator")
    _logga_in_namnd(sida)
    _meny(sida, "Riskregistret – fastställda versioner")
    expect(
        sida.get_by_role("heading", level=1, name="Riskregistret – fastställda versioner")
    ).to_be_visible()
    rad = sida.get_by_role("row", name=re.compile("Version 2"))
    expect(rad).to_contain_text(DIARIENUMMER)
    # The nämnd reads the decided versions only, not the risks.
    expect(sida.get_by_role("button", name="Skapa utkast")).to_have_count(0)
    _bild(sida, "10-namnd-versioner")
    kontrollera_axe(sida, "risk-namnd-versioner")
    with sida.expect_download() as hamtning:
        rad.get_by_role("link", name="Riskregistret version 2 (PDF)").click()
    fil = hamtning.value
    assert fil.suggested_filename == "riskregister-version-2.pdf", fil.suggested_filename
    with open(fil.path(), "rb") as f:
        innehall = f.read()
    ARTEFAKTER.mkdir(parents=True, exist_ok=True)
    (ARTEFAKTER / "risk-namnd.pdf").write_bytes(innehall)
    text = _pdf_text(innehall)
    assert NY_RISK in text, text
    assert DIARIENUMMER in text, text
    assert "UTKAST" not in text, text
    # The risks themselves are not the nämnd's.
    svar = sida.goto(f"/risker/{ny_nummer}/")
    assert svar.status in (403, 404), svar.status


def test_registrets_matris_datum_och_mobil(ny_sida, personas, org):
    risker = _seed(org, personas)
    from riskregister.models import Registerversion, Riskanalys

    analys = Riskanalys.objects.create(
        enhet=org["MYN"],
        datum=timezone.localdate(),
        utlosande="arlig",
        deltagare="Avdelningschef – A",
        handlaggare=personas["avdelningschef"],
        skapad_av=personas["avdelningschef"],
    )
    risker["oro"].bedom(
        av=personas["avdelningschef"],
        datum=timezone.localdate(),
        sannolikhet=2,
        konsekvens=4,
        riskanalys=analys,
    )
    Registerversion.forbered(av=personas["kvalitetssamordnare"], sammanfattning="Utkast.")

    sida = ny_sida("dator")
    logga_in(sida, "kvalitetssamordnare")
    _meny(sida, "Riskregister")
    matris = sida.get_by_role(
        "table", name=re.compile("^Antal risker per sannolikhet och konsekvens")
    )
    expect(matris).to_be_visible()
    # Two risks are 3 × 3: the cell's count is a link to exactly those two.
    cell = matris.get_by_role("link", name="2 risker med sannolikhet 3 och konsekvens 3")
    expect(cell).to_have_text("2")
    expect(sida.locator(".matrisforklaring")).to_contain_text("totalt 4 risker")
    expect(sida.locator(".matrisrullning")).to_be_hidden()  # it fits on a laptop
    _bild(sida, "11-register-dator")
    kontrollera_axe(sida, "risk-register")
    cell.click()
    expect(sida).to_have_url(re.compile(r"sannolikhet=3.*konsekvens=3|konsekvens=3.*sannolikhet=3"))
    lista = sida.locator("#resultat table.lista tbody tr")
    expect(lista).to_have_count(2)
    expect(lista.filter(has_text=risker["konto"].nummer)).to_have_count(1)
    expect(lista.filter(has_text=risker["rymning"].nummer)).to_have_count(1)
    # The matrix still shows every cell of the register, not the one clicked.
    expect(sida.locator(".matrisforklaring")).to_contain_text("totalt 4 risker")

    # The register as it stood on 2025-05-01: the first assessment of the orosanmälan
    # risk (2 × 3), the risks found later not yet in it.
    sida.goto("/risker/")
    filter_ = sida.locator("details.filter")
    if filter_.get_attribute("open") is None:
        filter_.locator("summary").click()
    sida.get_by_label("Registret som det såg ut den").fill("2025-05-01")
    sida.get_by_role("button", name="Filtrera").click()
    expect(sida.get_by_role("heading", name="Riskmatrisen den 2025-05-01")).to_be_visible()
    rad = sida.locator("#resultat table.lista tbody tr").filter(has_text=risker["oro"].nummer)
    expect(rad).to_contain_text("2 × 3 = 6")
    expect(sida.locator(".matrisforklaring")).to_contain_text("totalt 4 risker")
    sida.get_by_label("Registret som det såg ut den").fill("2025-02-15")
    sida.get_by_role("button", name="Filtrera").click()
    expect(sida.get_by_role("heading", name="Riskmatrisen den 2025-02-15")).to_be_visible()
    expect(sida.locator(".matrisforklaring")).to_contain_text("totalt 2 risker")
    expect(sida.locator("#resultat table.lista tbody tr")).to_have_count(2)
    _bild(sida, "12-register-tidigare-datum")
    # From the earlier day's matrix, a cell lists the risks as they were then.
    sida.locator("table.riskmatris a.antal").first.click()
    expect(sida).to_have_url(re.compile("datum=2025-02-15"))

    sida.goto(risker["oro"].get_absolute_url())
    expect(sida.get_by_role("region", name="Bedömningar").locator("tbody tr")).to_have_count(3)
    _bild(sida, "13-risk-dator")
    kontrollera_axe(sida, "risk-risk")

    # --- On a phone: nothing sticks out; the matrix scrolls in its own box --------------
    mobil = ny_sida("mobil")
    logga_in(mobil, "kvalitetssamordnare")
    for namn, url in (
        ("register", "/risker/"),
        ("risk", risker["oro"].get_absolute_url()),
        ("analys", analys.get_absolute_url()),
        ("version", "/risker/register/1/"),
        ("utkast", "/risker/register/2/"),
        ("versioner", "/risker/register/"),
    ):
        mobil.goto(url)
        ingen_sidledes_rullning(mobil, tabeller_far_rulla=True)
        ram = mobil.locator(".matrisram")
        if ram.count():
            # The matrix is wider than the phone: it scrolls inside its own box, says
            # so, and the box scrolls from the keyboard too.
            matt = ram.evaluate(
                "el => ({right: el.getBoundingClientRect().right, vy: "
                "document.documentElement.clientWidth, bredd: el.clientWidth, "
                "innehall: el.scrollWidth})"
            )
            assert matt["right"] <= matt["vy"] + 1, matt
            assert matt["innehall"] > matt["bredd"], matt
            expect(mobil.locator(".matrisrullning")).to_be_visible()
            ram.focus()
            mobil.keyboard.press("ArrowRight")
            mobil.keyboard.press("ArrowRight")
            for _ in range(30):  # scrolling may be smooth: wait for it to move
                if ram.evaluate("el => el.scrollLeft") > 0:
                    break
                mobil.wait_for_timeout(100)
            assert ram.evaluate("el => el.scrollLeft") > 0, "the matrix does not scroll"
        _bild(mobil, f"20-{namn}-mobil")
        kontrollera_axe(mobil, f"risk-{namn}-mobil")
