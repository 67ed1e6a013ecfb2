"""Internkontroll through the real pages (DOMAIN.md §4.5, docs/internkontroll.md).

The year's plan is built from the decided risk register and decided; a performer
records a result with brister and creates an improvement action from it; a kollegial
granskning of a few files is entered on a phone and aggregated; the nämnd reads the
redovisning.

Concretely: the kvalitetssamordnare starts this year's plan from the register (its two
risks above the nämnd's threshold become two rows), completes the rows, adds the central
control CENT 1 and records the nämnd's decision with the keyboard only; the decision
creates the occasions. The enhetschef of the performing unit opens the occasion from
"Kontroller", records "Mindre brister" (refused first without the required
iakttagelser) and adds an improvement action from the result. A medarbetare of the unit
enters three file reviews on a phone in the unit's kollegial granskning, whose page then
shows the answers per control area. The kvalitetssamordnare makes the year's
redovisning and records its decision; the nämnd finds it in its menu, downloads the PDF
(the controls, "Mindre brister", the diarienummer, no "UTKAST") and is refused an
occasion's page.

Along the way every page is checked with axe on a laptop and a phone, and nothing
sticks out to the right on the phone. Screenshots go to test-artifacts/browser/ik-*.png,
the PDFs to ik-plan.pdf and ik-redovisning.pdf there.
"""

import io
import re
from datetime import date, timedelta

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
from tests.riskregister.hjalp import beslutad_version, risk

pytestmark = pytest.mark.browser

HOG_EB = "Utbetalning till fel konto"
HOG_BUV = "Orosanmälan bedöms inte inom 14 dagar"
LAG = "Rymning från HVB"
PARAGRAF = "§ 112"
DIARIENUMMER = "SN 2026/231"
RED_PARAGRAF = "§ 140"
RED_DIARIENUMMER = "SN 2026/298"
IAKTTAGELSER = "Två av tjugo utbetalningar saknade attest av behörig beslutsfattare."
ATGARD = "Påminn om attestordningen på APT"


def _seed(org, personas):
    """Three risks – one of Ekonomiskt bistånd and one of Bistånd barn och unga above
    the nämnd's threshold (RISK_NAMND_FRAN, 8), one below – in a decided register; the
    shipped checklist; and Ekonomiskt bistånd's kollegial granskning, under way."""
    from internkontroll.checklistor import KOLLEGIAL_GRANSKNING_NAMN, skapa_kollegial_granskning
    from internkontroll.choices import Egenkontrollstatus, Egenkontrolltyp, Initiativ
    from internkontroll.models import Checklista, Egenkontroll

    risker = {
        "eb": risk(org["EB"], (date(2025, 3, 1), 3, 4), titel=HOG_EB),
        "buv": risk(org["BUV"], (date(2025, 2, 1), 3, 3), titel=HOG_BUV),
        "lag": risk(org["KOLL"], (date(2025, 4, 1), 2, 2), titel=LAG),
    }
    beslutad_version(1, date(2025, 10, 1))
    skapa_kollegial_granskning()
    version = Checklista.objects.get(namn=KOLLEGIAL_GRANSKNING_NAMN).senaste()
    idag = timezone.localdate()
    ek = Egenkontroll(
        enhet=org["EB"],
        typ=Egenkontrolltyp.KOLLEGIAL_GRANSKNING,
        initiativ=Initiativ.PLANEN,
        titel="Kollegial granskning av akter hösten 2026",
        syfte="Se att utredningarna håller den kvalitet IVO förväntar sig.",
        metod="Socialsekreterarna granskar varandras akter med checklistan.",
        urval="Tre slumpvis valda akter per kontrollområde, avslutade 2026.",
        period_fran=date(idag.year, 9, 1),
        period_till=date(idag.year, 12, 31),
        handlaggare=personas["enhetschef"],
        checklista_version=version,
        status=Egenkontrollstatus.PAGAR,
        skapad_av=personas["enhetschef"],
    )
    ek.save()
    return risker, ek


def _bild(sida: Page, namn: str):
    skarmbild(sida, f"ik-{namn}")


def _lyckades(sida: Page, text: str):
    expect(sida.locator(".meddelande.success")).to_contain_text(text)


def _meny(sida: Page, namn: str):
    huvudmeny(sida).get_by_role("link", name=namn).click()


def _fokus_pa(lokator) -> bool:
    return lokator.evaluate("el => el === document.activeElement")


def _tabba_till(sida: Page, lokator, max_tryck: int = 80):
    """Press Tab until `lokator` has focus – as someone without a mouse gets there."""
    for _ in range(max_tryck):
        if _fokus_pa(lokator):
            return
        sida.keyboard.press("Tab")
    raise AssertionError(f"{lokator} nås inte med Tab")


def _pdf_text(innehall: bytes) -> str:
    from pypdf import PdfReader

    assert innehall.startswith(b"%PDF"), innehall[:20]
    sidor = PdfReader(io.BytesIO(innehall)).pages
    return " ".join(" ".join((s.extract_text() or "").split()) for s in sidor)


def _hamta(sida: Page, lank, filnamn: str) -> bytes:
    with sida.expect_download() as hamtning:
        lank.click()
    fil = hamtning.value
    with open(fil.path(), "rb") as f:
        innehall = f.read()
    ARTEFAKTER.mkdir(parents=True, exist_ok=True)
    (ARTEFAKTER / filnamn).write_bytes(innehall)
    return innehall


def _unika_id(sida: Page):
    """No id twice on the page: a label's `for` (and aria-describedby) would name the
    wrong field – two forms of the page with the same field, say."""
    dubbla = sida.evaluate(
        """() => {
            const sedda = new Set(), dubbla = new Set();
            for (const el of document.querySelectorAll("[id]")) {
                (sedda.has(el.id) ? dubbla : sedda).add(el.id);
            }
            return [...dubbla];
        }"""
    )
    assert not dubbla, f"{sida.url}: samma id flera gånger: {dubbla}"


def _kolla(sida: Page, namn: str, mobil: bool = False):
    """A screenshot, axe, unique ids, and on a phone nothing to the right of the screen."""
    _unika_id(sida)
    if mobil:
        ingen_sidledes_rullning(sida, tabeller_far_rulla=True)
    _bild(sida, namn)
    kontrollera_axe(sida, f"ik-{namn}")


def _logga_in_namnd(sida: Page):
    """The nämnd has no start page: logging in lands on the reports."""
    sida.goto("/konto/logga-in/")
    sida.get_by_label("Användarnamn").fill("namnd")
    sida.get_by_label("Lösenord").fill(LOSENORD)
    sida.get_by_role("button", name="Logga in").click()
    expect(sida.get_by_role("heading", level=1, name="Kvalitetsberättelser")).to_be_visible()


def test_plan_resultat_granskning_och_redovisning(ny_sida, personas, org):
    _, ek = _seed(org, personas)
    idag = timezone.localdate()
    ar = idag.year

    # --- 1. The kvalitetssamordnare starts the year's plan from the register -----------
    sida = ny_sida("dator")
    logga_in(sida, "kvalitetssamordnare")
    _meny(sida, "Kontroller")
    expect(
        sida.get_by_role("heading", level=1, name="Internkontroll – kontrolltillfällen")
    ).to_be_visible()
    sida.get_by_role("button", name="Planer och redovisningar").click()
    expect(
        sida.get_by_role("heading", level=1, name="Internkontroll – planer och redovisningar")
    ).to_be_visible()
    _kolla(sida, "01-planer-tomt")
    sida.get_by_text("Ny internkontrollplan", exact=True).click()
    plan_form = sida.locator("form[action$='/planer/ny/']")
    falt_ar = plan_form.get_by_role("spinbutton", name="År")
    # Next year's plan is offered; a year after that is refused.
    expect(falt_ar).to_have_value(str(ar + 1))
    falt_ar.fill(str(ar + 2))
    expect(
        sida.get_by_role("radio", name=re.compile("^Riskregistrets höga risker"))
    ).to_be_checked()
    sida.get_by_role("button", name="Påbörja planen").click()
    expect(plan_form.locator(".faltfel")).to_contain_text(
        f"En plan görs för i år ({idag.year}) eller nästa år ({idag.year + 1})."
    )
    plan_form.get_by_role("spinbutton", name="År").fill(str(ar))
    _bild(sida, "02-ny-plan-ifylld")
    sida.get_by_role("button", name="Påbörja planen").click()
    _lyckades(sida, f"Internkontrollplan {ar}, version 1 är påbörjad.")
    expect(sida.get_by_role("heading", level=1)).to_have_text(f"Internkontrollplan {ar}, version 1")
    plan_url = sida.url
    rader = sida.locator("article.kontrollrad")
    # The two risks above the threshold, highest first; the low one is not there.
    expect(rader).to_have_count(2)
    expect(rader.nth(0)).to_contain_text(HOG_EB)
    expect(rader.nth(1)).to_contain_text(HOG_BUV)
    expect(rader.locator("header").filter(has_text=LAG)).to_have_count(0)
    expect(rader.filter(has_text="Inte komplett")).to_have_count(2)
    _kolla(sida, "03-plan-fran-registret")

    # --- 2. … completes each row with its form ------------------------------------------
    for rad, kod, moment, metod, period in (
        (rader.nth(0), "SN 1", "Att utbetalningar görs till rätt konto.", "stickprov", "arligen"),
        (
            rader.nth(1),
            "SN 2",
            "Att förhandsbedömningen görs inom 14 dagar.",
            "registeruttag",
            "halvarsvis",
        ),
    ):
        rad.get_by_role("button", name=re.compile("^Ändra ")).click()
        form = rad.locator("form").first
        form.get_by_label(re.compile("^Id")).fill(kod)
        form.get_by_label(re.compile("^Kontrollmoment")).fill(moment)
        form.get_by_label(re.compile("^Metod")).select_option(metod)
        form.get_by_label(re.compile("^Omfattning")).fill("20 slumpvis valda ärenden")
        form.get_by_label(re.compile("^Periodicitet")).select_option(period)
        form.get_by_label(re.compile(r"^Följs upp av")).fill("Avdelningschef")
        if kod == "SN 1":
            # Filled from the risk's unit.
            expect(form.get_by_label(re.compile(r"^Utförs av \(enhet\)"))).to_have_value(
                str(org["EB"].pk)
            )
            _bild(sida, "04-rad-ifylld")
        form.get_by_role("button", name=re.compile("^Spara ")).click()
        _lyckades(sida, f"Kontrollen {kod} är sparad.")
    expect(sida.locator("article.kontrollrad", has_text="Inte komplett")).to_have_count(0)

    # --- … adds the central control CENT 1 ----------------------------------------------
    sida.get_by_role("button", name="Lägg till kontroll").click()
    ny = sida.locator("#ny-kontroll form")
    ny.get_by_label(re.compile("^Id")).fill("CENT 1")
    ny.get_by_label(re.compile("^Central kontroll")).check()
    ny.get_by_label(re.compile("^Process eller område")).fill("Löneutbetalning")
    ny.get_by_label(re.compile("^Kontrollmoment")).fill("Att rätt lön betalas ut.")
    ny.get_by_label(re.compile("^Metod")).select_option("stickprov")
    ny.get_by_label(re.compile("^Periodicitet")).select_option("arligen")
    ny.get_by_label(re.compile(r"^Utförs av \(enhet\)")).select_option(str(org["STAB"].pk))
    ny.get_by_role("button", name="Lägg till kontrollen").click()
    _lyckades(sida, "Kontrollen CENT 1 är sparad.")
    rader = sida.locator("article.kontrollrad")
    expect(rader).to_have_count(3)
    expect(rader.first).to_contain_text("CENT 1")  # central controls first
    _kolla(sida, "05-plan-utkast")

    # The draft on a phone.
    mobil = ny_sida("mobil")
    logga_in(mobil, "kvalitetssamordnare")
    mobil.goto("/internkontroll/planer/")
    _kolla(mobil, "06-planer-mobil", mobil=True)
    mobil.goto(plan_url)
    _kolla(mobil, "07-plan-utkast-mobil", mobil=True)

    # The draft's PDF says it is a draft.
    utkast_pdf = _hamta(
        sida, sida.get_by_role("button", name="Hämta utkastet som PDF"), "ik-plan-utkast.pdf"
    )
    assert "UTKAST" in _pdf_text(utkast_pdf).upper()

    # --- 3. … and records the nämnd's decision, with the keyboard only -------------------
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
    _bild(sida, "08-beslut-ifyllt")
    _tabba_till(sida, beslut.locator("button[type=submit]"))
    sida.keyboard.press("Enter")
    expect(sida.get_by_role("heading", level=1)).to_have_text(
        f"Registrera nämndens beslut: Internkontrollplan {ar}, version 1"
    )
    expect(sida.locator("main")).to_contain_text(DIARIENUMMER)
    _kolla(sida, "09-beslut-bekrafta")
    ja = sida.get_by_role("button", name="Ja, registrera nämndens beslut")
    _tabba_till(sida, ja)
    sida.keyboard.press("Space")
    _lyckades(sida, f"Internkontrollplanen {ar} är fastställd.")
    expect(sida.locator(".rubrikrad .status")).to_have_text("Fastställd")
    expect(sida.locator("main")).to_contain_text(DIARIENUMMER)
    # The occasions: one for each yearly control, two for the half-yearly one.
    kontroller = sida.get_by_role("table", name="Kontrollerna i planen")
    expect(kontroller.locator("tbody tr")).to_have_count(3)
    sn1 = kontroller.get_by_role("row", name=re.compile("SN 1"))
    expect(sn1.get_by_role("link")).to_have_count(1)
    expect(
        kontroller.get_by_role("row", name=re.compile("SN 2")).get_by_role("link")
    ).to_have_count(2)
    _kolla(sida, "10-plan-faststalld")
    mobil.goto(plan_url)
    _kolla(mobil, "11-plan-faststalld-mobil", mobil=True)
    plan_pdf = _hamta(sida, sida.get_by_role("button", name="Hämta PDF"), "ik-plan.pdf")
    text = _pdf_text(plan_pdf)
    for kod in ("CENT 1", "SN 1", "SN 2", DIARIENUMMER):
        assert kod in text, (kod, text)
    assert "UTKAST" not in text, text
    logga_ut(sida)

    # --- 4. The enhetschef records a result with brister ---------------------------------
    sida = ny_sida("dator")
    logga_in(sida, "enhetschef")
    _meny(sida, "Kontroller")
    lista = sida.locator("#resultat table.lista tbody tr")
    # Only the occasion of the chef's own unit.
    expect(lista).to_have_count(1)
    expect(lista.first).to_contain_text("SN 1")
    lista.first.get_by_role("link").first.click()
    expect(sida.get_by_role("heading", level=1)).to_contain_text("IK-")
    nummer = re.search(r"IK-\d{4}-\d{4}", sida.get_by_role("heading", level=1).inner_text())[0]
    tillfalle_url = sida.url
    expect(sida.get_by_role("region", name=re.compile("^SN 1"))).to_contain_text(
        "Att utbetalningar görs till rätt konto."
    )
    _kolla(sida, "12-tillfalle")
    registrera = sida.locator("form.overgang").filter(
        has=sida.locator("summary", has_text="Registrera resultat")
    )
    registrera.locator("summary").click()
    expect(registrera.get_by_label(re.compile("^Kontrollerad"))).to_have_value(idag.isoformat())
    registrera.get_by_label(re.compile("^Vad kontrollerades")).fill(
        "20 slumpvis valda utbetalningar i oktober"
    )
    registrera.get_by_label(re.compile("^Antal kontrollerade")).fill("20")
    registrera.get_by_label(re.compile("^Antal avvikelser")).fill("2")
    registrera.get_by_role("radio", name="Mindre brister").check()
    registrera.locator("button[type=submit]").click()
    # The iakttagelser are required with brister.
    registrera = sida.locator("form.overgang").filter(
        has=sida.locator("summary", has_text="Registrera resultat")
    )
    fel = registrera.get_by_text("Beskriv bristerna: vad som inte var som det skulle.")
    expect(fel.first).to_be_visible()
    kommentar = registrera.get_by_label(re.compile("^Iakttagelser"))
    expect(kommentar).to_have_attribute("aria-invalid", "true")
    expect(registrera.get_by_role("radio", name="Mindre brister")).to_be_checked()
    _kolla(sida, "13-resultat-fel")
    kommentar.fill(IAKTTAGELSER)
    registrera.locator("button[type=submit]").click()
    _lyckades(sida, f"{nummer}: resultatet är registrerat.")
    resultat = sida.get_by_role("region", name="Resultat", exact=True)
    expect(resultat).to_contain_text("Mindre brister")
    expect(resultat).to_contain_text(IAKTTAGELSER)

    # … and an improvement action from the result.
    expect(sida.get_by_role("region", name="Vad resultatet leder till")).to_be_visible()
    atgarder = sida.get_by_role("region", name="Förbättrande åtgärder")
    atgarder.get_by_text("Lägg till åtgärd", exact=True).click()
    ny = atgarder.locator("#ny-atgard")
    ny.get_by_label("Titel").fill(ATGARD)
    ny.get_by_label("Typ av åtgärd").select_option("rutin")
    ny.get_by_label("Ansvarig").select_option(str(personas["enhetschef"].pk))
    ny.get_by_label("Klart senast").fill((idag + timedelta(days=60)).isoformat())
    ny.get_by_role("button", name="Lägg till åtgärden").click()
    _lyckades(sida, "Åtgärden är tillagd.")
    expect(
        sida.get_by_role("region", name="Förbättrande åtgärder").locator("article.atgard")
    ).to_contain_text(ATGARD)
    _kolla(sida, "14-tillfalle-klart")
    mobil.goto(tillfalle_url)
    _kolla(mobil, "15-tillfalle-mobil", mobil=True)
    logga_ut(sida)

    # --- 5. A medarbetare enters three file reviews on a phone ----------------------------
    telefon = ny_sida("mobil")
    logga_in(telefon, "medarbetare")
    _meny(telefon, "Kontroller")
    telefon.get_by_role("button", name="Egenkontroller").click()
    expect(telefon.get_by_role("heading", level=1, name="Egenkontroller")).to_be_visible()
    telefon.get_by_role("link", name=ek.nummer).click()
    expect(telefon.get_by_role("heading", level=1)).to_contain_text(ek.nummer)
    telefon.get_by_role("button", name="Ny granskning").click()
    expect(telefon.get_by_role("heading", level=1, name="Ny granskning")).to_be_visible()
    _kolla(telefon, "16-granska-omrade-mobil", mobil=True)
    telefon.get_by_role("button", name=re.compile("^Förhandsbedömning")).click()
    expect(telefon.get_by_role("heading", level=2, name="Förhandsbedömning")).to_be_visible()
    granskningar = (
        # Förhandsbedömning, 7 questions: all yes; then one no and one not applicable.
        ("Förhandsbedömning", {}),
        ("Förhandsbedömning", {"1.3": "Nej", "1.5": "Ej aktuellt"}),
        # Utredning, 8 questions: one partly.
        ("Utredning", {"2.6": "Delvis"}),
    )
    for i, (omrade, avvikande) in enumerate(granskningar, start=1):
        if omrade != telefon.get_by_role("heading", level=2).first.inner_text():
            telefon.get_by_role("link", name="Byt kontrollområde").click()
            telefon.get_by_role("button", name=re.compile(rf"^{omrade} \(")).click()
            expect(telefon.get_by_role("heading", level=2, name=omrade)).to_be_visible()
        form = telefon.locator("main form")
        grupper = form.get_by_role("group")
        antal = grupper.count()
        assert antal >= 7, antal
        for g in range(antal):
            grupp = grupper.nth(g)
            namn = grupp.evaluate("el => el.querySelector('legend')?.textContent || ''").strip()
            kod = namn.split(" ", 1)[0]
            svar = avvikande.get(kod, "Ja")
            grupp.get_by_role("radio", name=svar, exact=True).check()
        if i == 1:
            # Nothing in the form sticks out once answered.
            _kolla(telefon, "17-granska-ifylld-mobil", mobil=True)
        form.get_by_role("button", name="Spara granskningen").click()
        _lyckades(telefon, f"Granskning {i} är sparad.")
    telefon.get_by_role("navigation", name="Brödsmulor").get_by_role("link", name=ek.nummer).click()
    resultat = telefon.get_by_role("region", name="Resultat", exact=True)
    expect(resultat).to_contain_text("3 granskade akter")
    omraden = resultat.get_by_role("table", name="Resultat per kontrollområde")
    forhand = omraden.get_by_role("row", name=re.compile(r"^Förhandsbedömning \("))
    expect(forhand).to_contain_text("2 akter")
    expect(forhand).to_contain_text("12 ja, 1 nej, 0 delvis, 1 ej aktuellt")
    utredning = omraden.get_by_role("row", name=re.compile(r"^Utredning \("))
    expect(utredning).to_contain_text("1 akt")
    expect(utredning).to_contain_text("7 ja, 0 nej, 1 delvis, 0 ej aktuellt")
    expect(omraden.get_by_role("row", name=re.compile("^Alla områden"))).to_contain_text(
        "19 ja, 1 nej, 1 delvis, 1 ej aktuellt"
    )
    expect(telefon.get_by_role("region", name="Granskade akter").locator("tbody tr")).to_have_count(
        3
    )
    _kolla(telefon, "18-egenkontroll-mobil", mobil=True)
    logga_ut(telefon)

    # --- 6. The kvalitetssamordnare makes the redovisning and records the decision --------
    sida = ny_sida("dator")
    logga_in(sida, "kvalitetssamordnare")
    sida.goto(ek.get_absolute_url())
    _kolla(sida, "19-egenkontroll")
    sida.goto(f"{ek.get_absolute_url()}granska/")
    _kolla(sida, "20-granska")
    sida.get_by_role("button", name=re.compile(r"^Utredning \(")).click()
    _kolla(sida, "21-granska-form")
    _meny(sida, "Kontroller")
    sida.get_by_role("button", name="Planer och redovisningar").click()
    sida.get_by_text("Ny internkontrollredovisning", exact=True).click()
    red_form = sida.locator("form[action$='/redovisningar/ny/']")
    # (Located by name: with the plan's form on the same page, the label's `for` must
    # name this form's own field – _unika_id checks that.)
    falt_ar = red_form.locator("input[name=ar]")
    # The year offered has a decided plan and no redovisning yet: last year's (the usual
    # one in February) has no decided plan here, so this year's.
    expect(falt_ar).to_have_value(str(ar))
    falt_ar.fill(str(ar - 1))
    sida.get_by_role("button", name="Påbörja redovisningen").click()
    expect(red_form.locator(".faltfel")).to_contain_text(
        f"Det finns ingen fastställd internkontrollplan för {ar - 1} att redovisa."
    )
    red_form.locator("input[name=ar]").fill(str(ar))
    sida.get_by_role("button", name="Påbörja redovisningen").click()
    _lyckades(sida, f"Internkontrollredovisning {ar}, version 1 är påbörjad.")
    expect(sida.get_by_role("heading", level=1)).to_have_text(
        f"Internkontrollredovisning {ar}, version 1"
    )
    oversikt = sida.get_by_role("region", name="Översikt")
    expect(oversikt).to_contain_text("Mindre brister 1")
    kontrollerna = sida.get_by_role("region", name="Kontrollerna")
    expect(kontrollerna.locator("article", has_text="SN 1")).to_contain_text(IAKTTAGELSER)
    expect(kontrollerna.locator("article", has_text="SN 1")).to_contain_text(ATGARD)
    red_url = sida.url
    _kolla(sida, "22-redovisning-utkast")
    mobil.goto(red_url)
    _kolla(mobil, "23-redovisning-utkast-mobil", mobil=True)
    beslut = sida.locator("form.overgang").filter(
        has=sida.locator("summary", has_text="Registrera nämndens beslut")
    )
    beslut.locator("summary").click()
    beslut.get_by_label("Nämndens sammanträde").fill(idag.isoformat())
    beslut.get_by_label("Paragraf (§) i protokollet").fill(RED_PARAGRAF)
    beslut.get_by_label("Diarienummer").fill(RED_DIARIENUMMER)
    beslut.locator("button[type=submit]").click()
    expect(sida.get_by_role("heading", level=1)).to_have_text(
        f"Registrera nämndens beslut: Internkontrollredovisning {ar}, version 1"
    )
    sida.get_by_role("button", name="Ja, registrera nämndens beslut").click()
    _lyckades(sida, f"Internkontrollredovisningen {ar} är fastställd.")
    expect(sida.locator(".rubrikrad .status")).to_have_text("Fastställd")
    _kolla(sida, "24-redovisning-faststalld")
    mobil.goto(red_url)
    _kolla(mobil, "25-redovisning-faststalld-mobil", mobil=True)
    mobil.goto("/internkontroll/planer/")
    _kolla(mobil, "26-planer-faststallda-mobil", mobil=True)
    for namn, url in (
        ("27-egenkontroll-mobil-stab", ek.get_absolute_url()),
        ("28-granska-mobil-stab", f"{ek.get_absolute_url()}granska/"),
    ):
        mobil.goto(url)
        _kolla(mobil, namn, mobil=True)
    logga_ut(sida)

    # --- 7. The nämnd reads the redovisning -----------------------------------------------
    sida = ny_sida("dator")
    _logga_in_namnd(sida)
    _meny(sida, "Internkontroll – fastställda handlingar")
    expect(sida.get_by_role("heading", level=1)).to_have_text(
        "Internkontroll – fastställda handlingar"
    )
    # Decided documents only: nothing to prepare.
    expect(sida.get_by_text("Ny internkontrollplan", exact=True)).to_have_count(0)
    _kolla(sida, "29-namnd-handlingar")
    innehall = _hamta(
        sida,
        sida.get_by_role("link", name=f"Internkontrollredovisning {ar} (PDF)"),
        "ik-redovisning.pdf",
    )
    text = _pdf_text(innehall)
    for del_ in ("CENT 1", "SN 1", "SN 2", "Mindre brister", RED_DIARIENUMMER):
        assert del_ in text, (del_, text)
    assert "UTKAST" not in text, text
    # The occasions themselves are not the nämnd's.
    svar = sida.goto(tillfalle_url)
    assert svar.status == 403, svar.status
