"""Synpunkter och klagomål in the browser: the public e-service and the staff's handling.

A citizen submits anonymously on a phone, and with contact details using only the
keyboard on a 320 px wide screen; the registrator registers and routes the case; the
unit's enhetschef answers it by e-mail and closes it; the service had failed, so an
avvikelse is started from it; the citizen looks up the status. axe-core checks the
public pages (form, error state, receipt, status) and the staff pages, and the public
form must not scroll sideways at 320 px or at 200 % zoom. Screenshots go to
test-artifacts/browser/synpunkt-*.png and a11y-syn-*.png.
"""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from synpunkter.choices import Kanal, Status, Svarssatt
from synpunkter.models import Inlamning, Kategori, Synpunkt
from tests.browser.sidor import (
    huvudmeny,
    ingen_sidledes_rullning,
    kontrollera_axe,
    logga_in,
    logga_ut,
    skarmbild,
)

pytestmark = pytest.mark.browser

LAMNA = "/synpunkter/lamna/"
STATUS = "/synpunkter/lamna/status/"
# Reference codes avoid look-alike characters (synpunkter.models.REFERENS_TECKEN).
REFERENS = re.compile(r"\b[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}\b")
NUMMER = re.compile(r"SYN-\d{4}-\d{4}")
MEDBORGARE = "anna.medborgare@example.org"


def _steg(sida, namn):
    """Every step: the page fits the screen's width, and a screenshot is kept."""
    ingen_sidledes_rullning(sida)
    skarmbild(sida, f"synpunkt-{namn}")


def _mejl_till(adress):
    return [m for m in mail.outbox if adress in m.to]


def _personalens_adresser(personas):
    return {p.email for p in personas.values()}


# --- Keyboard helpers: no mouse, only what a keyboard user presses ----------------------


def _fokuserat(sida):
    """A short description of the focused element, for failure messages."""
    return sida.evaluate(
        """() => {
            const el = document.activeElement;
            if (!el) return "inget";
            const namn = el.getAttribute("name") || el.id || el.textContent.trim().slice(0, 30);
            return el.tagName.toLowerCase() + " " + namn;
        }"""
    )


def _tabba_till(sida, mal, baklanges=False, hogst=40):
    """Press Tab (or Shift+Tab) until `mal` has focus."""
    tangent = "Shift+Tab" if baklanges else "Tab"
    for _ in range(hogst):
        if mal.evaluate("el => el === document.activeElement"):
            return
        sida.keyboard.press(tangent)
    raise AssertionError(f"{tangent} når aldrig {mal}; fokus på {_fokuserat(sida)}")


# --- 1. Anonymous, on a phone -------------------------------------------------------------


def test_anonym_synpunkt_pa_mobil(ny_sida, personas, org):
    idag = timezone.localdate()
    sida = ny_sida("mobil")
    sida.goto(LAMNA)
    expect(sida.get_by_role("heading", level=1)).to_have_text(
        "Lämna synpunkt, klagomål eller beröm"
    )
    # The public page asks for no login and shows no staff menu.
    expect(sida.get_by_role("button", name=re.compile("^Logga ut"))).to_have_count(0)
    _steg(sida, "01-anonym-tomt")

    sida.get_by_role("group", name="Vad vill du lämna?").get_by_role(
        "radio", name="Synpunkt", exact=True
    ).check()
    sida.get_by_label("Vad gäller det?").fill(
        "Väntrummet är för trångt för rullstolar. Det var svårt att komma fram till disken."
    )
    enhet = sida.get_by_label("Vilken verksamhet gäller det?")
    expect(enhet.locator("option:checked")).to_have_text("Vet inte")

    kontakt = sida.locator("#kontaktuppgifter")
    expect(kontakt).to_be_visible()
    sida.get_by_role("group", name="Vill du vara anonym?").get_by_role(
        "radio", name="Ja, jag vill vara anonym"
    ).check()
    expect(kontakt).to_be_hidden()
    _steg(sida, "02-anonym-ifylld")
    sida.get_by_role("button", name="Skicka").click()

    expect(sida.get_by_role("heading", level=1)).to_have_text(
        "Tack! Vi har tagit emot det du skickade"
    )
    # The receipt is the answer to the form's POST: the address stays the form's.
    expect(sida).to_have_url(re.compile(f"{LAMNA}$"))
    kvitto = sida.get_by_role("status")
    expect(kvitto).to_contain_text(idag.isoformat())
    referens = REFERENS.search(kvitto.inner_text()).group(0)
    expect(sida.get_by_text("Du är anonym, så vi kan inte svara dig.")).to_be_visible()
    _steg(sida, "03-anonym-kvitto")

    synpunkt = Synpunkt.objects.get(referens=referens)
    assert synpunkt.anonym is True
    assert synpunkt.kontakt is None, "en anonym synpunkt har inga kontaktuppgifter"
    assert synpunkt.avsandare == "anonym"
    assert synpunkt.kanal == Kanal.E_TJANST
    assert synpunkt.typ == "synpunkt"
    assert synpunkt.status == Status.INKOMMEN
    assert synpunkt.enhet_okand and synpunkt.enhet == org["SOC"]
    assert timezone.localdate(synpunkt.inkom) == idag

    # Only staff are told (the registrator); no e-mail goes to anyone outside.
    personal = _personalens_adresser(personas)
    utanfor = [(m.to, m.subject) for m in mail.outbox if set(m.to) - personal]
    assert not utanfor, f"mejl till någon utanför personalen: {utanfor}"
    assert len(_mejl_till(personas["registrator"].email)) == 1


# --- 2–4. With contact details, by keyboard at 320 px, through to the answer -----------


def _lamna_med_tangentbord(sida, org):
    """The whole public form by keyboard; first without a description (an error)."""
    sida.goto(LAMNA)
    # The skip link is the first stop; it leads into the page's content.
    sida.keyboard.press("Tab")
    expect(sida.locator("a.hoppa")).to_be_focused()
    sida.keyboard.press("Enter")
    expect(sida.locator("main#innehall")).to_be_focused()

    # The first Tab in the content is the first choice of type; Space chooses it.
    sida.keyboard.press("Tab")
    typ = sida.get_by_role("group", name="Vad vill du lämna?")
    klagomal = typ.get_by_role("radio", name="Klagomål")
    expect(klagomal).to_be_focused()
    sida.keyboard.press("Space")
    expect(klagomal).to_be_checked()
    # Arrow keys move within the group; back up to Klagomål again.
    sida.keyboard.press("ArrowDown")
    expect(typ.get_by_role("radio", name="Synpunkt", exact=True)).to_be_checked()
    sida.keyboard.press("ArrowUp")
    expect(klagomal).to_be_checked()

    # Description left empty on purpose. Unit: type-ahead on the closed list.
    sida.keyboard.press("Tab")
    beskrivning = sida.get_by_label("Vad gäller det?")
    expect(beskrivning).to_be_focused()
    sida.keyboard.press("Tab")
    enhet = sida.get_by_label("Vilken verksamhet gäller det?")
    expect(enhet).to_be_focused()
    for _ in range(10):
        if enhet.input_value() == str(org["EB"].pk):
            break
        sida.keyboard.press("ArrowDown")
    expect(enhet).to_have_value(str(org["EB"].pk))

    # Not anonymous: Tab into the group, the arrow key chooses the second option.
    sida.keyboard.press("Tab")
    anonym = sida.get_by_role("group", name="Vill du vara anonym?")
    expect(anonym.get_by_role("radio", name="Ja, jag vill vara anonym")).to_be_focused()
    sida.keyboard.press("ArrowDown")
    expect(anonym.get_by_role("radio", name="Nej, jag lämnar kontaktuppgifter")).to_be_checked()
    expect(sida.locator("#kontaktuppgifter")).to_be_visible()

    sida.keyboard.press("Tab")
    expect(sida.get_by_label("Ditt namn")).to_be_focused()
    sida.keyboard.type("Anna Medborgare")
    sida.keyboard.press("Tab")
    epost = sida.get_by_label("E-post")
    expect(epost).to_be_focused()
    sida.keyboard.type(MEDBORGARE)
    _steg(sida, "10-tangentbord-ifylld-utan-beskrivning")
    # Enter in a text field sends the form.
    sida.keyboard.press("Enter")

    # --- The error state: announced, and each message leads to its field -----------
    sammanfattning = sida.locator(".felsammanfattning")
    expect(sammanfattning).to_be_visible()
    expect(sammanfattning).to_be_focused()
    expect(sammanfattning).to_have_attribute("role", "alert")
    expect(sammanfattning.get_by_role("heading")).to_have_text("Det finns fel i formuläret")
    lankar = sammanfattning.get_by_role("link")
    expect(lankar).to_have_count(1)
    expect(lankar.first).to_contain_text("Vad gäller det?")
    _steg(sida, "11-tangentbord-fel")

    sida.keyboard.press("Tab")
    expect(lankar.first).to_be_focused()
    sida.keyboard.press("Enter")
    beskrivning = sida.get_by_label("Vad gäller det?")
    expect(beskrivning).to_be_focused()
    expect(beskrivning).to_have_attribute("aria-invalid", "true")
    beskrivs_av = (beskrivning.get_attribute("aria-describedby") or "").split()
    assert "id_beskrivning_error" in beskrivs_av, beskrivs_av
    assert "id_beskrivning_helptext" in beskrivs_av, beskrivs_av
    expect(sida.locator("#id_beskrivning_error")).to_contain_text("Fel:")
    # What was filled in is kept: the choices and the contact details.
    expect(klagomal).to_be_checked()
    expect(enhet).to_have_value(str(org["EB"].pk))
    expect(anonym.get_by_role("radio", name="Nej, jag lämnar kontaktuppgifter")).to_be_checked()
    expect(sida.get_by_label("Ditt namn")).to_have_value("Anna Medborgare")
    expect(epost).to_have_value(MEDBORGARE)

    sida.keyboard.type(
        "Jag fick vänta tre veckor på ett beslut om ekonomiskt bistånd och ingen "
        "svarade när jag ringde."
    )
    # Shift+Tab back to the type to check it is still there, then on to the button.
    _tabba_till(sida, klagomal, baklanges=True)
    skicka = sida.get_by_role("button", name="Skicka")
    _tabba_till(sida, skicka)
    _steg(sida, "12-tangentbord-rattad")
    sida.keyboard.press("Enter")


def test_synpunkt_med_kontaktuppgifter_fran_e_tjanst_till_svar(
    ny_sida, personas, org, synpunktskategorier
):
    idag = timezone.localdate()
    registrator = personas["registrator"]
    enhetschef = personas["enhetschef"]

    # --- The citizen, keyboard only, 320 px wide ---------------------------------------
    sida = ny_sida("smal")
    _lamna_med_tangentbord(sida, org)

    expect(sida.get_by_role("heading", level=1)).to_have_text(
        "Tack! Vi har tagit emot det du skickade"
    )
    expect(sida).to_have_url(re.compile(f"{LAMNA}$"))
    kvitto = sida.get_by_role("status")
    expect(kvitto).to_contain_text(idag.isoformat())
    referens = REFERENS.search(kvitto.inner_text()).group(0)
    expect(
        sida.get_by_text("Vi skickar en bekräftelse till din e-post inom några minuter.")
    ).to_be_visible()
    _steg(sida, "13-tangentbord-kvitto")

    synpunkt = Synpunkt.objects.get(referens=referens)
    nummer = synpunkt.nummer
    assert (synpunkt.typ, synpunkt.anonym, synpunkt.enhet) == ("klagomal", False, org["EB"])
    assert (synpunkt.kontakt.namn, synpunkt.kontakt.epost) == ("Anna Medborgare", MEDBORGARE)

    bekraftelse = _mejl_till(MEDBORGARE)
    assert len(bekraftelse) == 1, [(m.to, m.subject) for m in mail.outbox]
    assert referens in bekraftelse[0].subject and referens in bekraftelse[0].body
    assert "/synpunkter/lamna/status/" in bekraftelse[0].body
    assert nummer not in bekraftelse[0].body, "det interna ärendenumret är personalens"
    assert len(_mejl_till(registrator.email)) == 1

    # --- The registrator registers and routes it ----------------------------------------
    sida = ny_sida("dator")
    logga_in(sida, "registrator")
    vantar = sida.get_by_role("region", name="Synpunkter som väntar på dig")
    expect(vantar.get_by_role("row", name=re.compile(nummer))).to_contain_text("Inkommen")
    _steg(sida, "20-start-registrator")

    # The list offers registering a synpunkt that came in another way (letter, phone).
    huvudmeny(sida).get_by_role("link", name="Synpunkter").click()
    expect(sida.get_by_role("heading", level=1)).to_have_text("Synpunkter och klagomål")
    expect(sida.get_by_role("button", name="Registrera synpunkt")).to_be_visible()
    # No link leads to the inbox (see the report); the registrator goes there directly.
    sida.goto("/synpunkter/inkorg/")
    expect(sida.get_by_role("heading", level=1)).to_have_text("Inkorg – att registrera")
    rad = sida.get_by_role("row", name=re.compile(nummer))
    expect(rad).to_contain_text("Klagomål")
    expect(rad).to_contain_text("E-tjänst")
    _steg(sida, "21-inkorg")
    rad.get_by_role("link", name=nummer).click()

    expect(sida.get_by_role("heading", level=1)).to_have_text(f"Klagomål {nummer}")
    expect(sida.locator(".rubrikrad .status")).to_have_text("Inkommen")
    _steg(sida, "22-detalj-inkommen")
    registrera = sida.locator("form.overgang").filter(
        has=sida.locator("summary", has_text="Registrera och fördela")
    )
    registrera.locator("summary", has_text="Registrera och fördela").click()
    registrera.get_by_label("Fördela till enhet").select_option(str(org["EB"].pk))
    registrera.get_by_label("Kategori").select_option(label="Handläggning")
    registrera.get_by_label("Diarienummer (valfritt)").fill("SOCN/2026:25")
    _steg(sida, "23-registrera-ifylld")
    registrera.locator("button[type=submit]").click()
    expect(sida.locator(".meddelande.success")).to_be_visible()
    expect(sida.locator(".rubrikrad .status")).to_have_text("Registrerad")
    synpunkten = sida.get_by_role("region", name="Synpunkten")
    expect(synpunkten).to_contain_text("SOCN/2026:25")
    expect(synpunkten).to_contain_text("Handläggning")
    _steg(sida, "24-registrerad")

    frist = timezone.localdate(synpunkt.inkom) + timedelta(days=settings.SYNPUNKT_SVARSTID_DAGAR)
    fordelad = _mejl_till(enhetschef.email)
    assert len(fordelad) == 1, [(m.to, m.subject) for m in mail.outbox]
    assert nummer in fordelad[0].subject and frist.isoformat() in fordelad[0].subject
    assert f"/synpunkter/{nummer}/" in fordelad[0].body
    assert "väntrum" not in fordelad[0].body and "ekonomiskt bistånd och ingen" not in (
        fordelad[0].body
    ), "meddelandet innehåller inga uppgifter ur ärendet"
    logga_ut(sida)

    # --- The enhetschef answers, on a phone ----------------------------------------------
    sida = ny_sida("mobil")
    logga_in(sida, "enhetschef")
    vantar = sida.get_by_role("region", name="Synpunkter som väntar på dig")
    rad = vantar.get_by_role("row", name=re.compile(nummer))
    expect(rad).to_contain_text("Registrerad")
    expect(rad).to_contain_text(frist.isoformat())
    _steg(sida, "30-start-enhetschef")
    rad.get_by_role("link", name=nummer).click()
    expect(sida.get_by_role("heading", level=1)).to_have_text(f"Klagomål {nummer}")
    # The handler sees how to reach the citizen.
    expect(sida.get_by_role("region", name="Kontaktuppgifter")).to_contain_text(MEDBORGARE)
    _steg(sida, "31-detalj-enhetschef")

    sida.on("dialog", lambda dialog: dialog.accept())
    sida.get_by_role("button", name="Påbörja handläggning").click()
    expect(sida.locator(".rubrikrad .status")).to_have_text("Under handläggning")

    svarstext = (
        "Vi beklagar att du fick vänta. Handläggningstiden var för lång och vi har nu "
        "ändrat hur telefontiderna bemannas."
    )
    besvara = sida.locator("form.overgang").filter(has=sida.locator("summary", has_text="Besvara"))
    besvara.locator("summary").click()
    besvara.get_by_role("textbox", name="Svar", exact=True).fill(svarstext)
    satt = besvara.get_by_role("group", name="Hur lämnas svaret?")
    epostsvar = satt.get_by_role("radio", name="E-post från systemet")
    expect(epostsvar).to_be_checked()  # the submitter left an address: the default
    epostsvar.check()
    _steg(sida, "32-besvara-ifylld")
    besvara.locator("button[type=submit]").click()
    # The answer leaves the system for good: the page shows it and the address first.
    expect(sida.get_by_text(f"Svaret skickas med e-post till {MEDBORGARE}.")).to_be_visible()
    expect(sida.get_by_text("telefontiderna bemannas")).to_be_visible()
    _steg(sida, "32b-besvara-bekrafta")
    sida.get_by_role("button", name="Ja, besvara").click()
    expect(sida.locator(".meddelande.success")).to_have_text(
        "Svaret är skickat med e-post till inlämnaren."
    )
    expect(sida.locator(".rubrikrad .status")).to_have_text("Besvarad")
    expect(sida.get_by_role("region", name="Svar")).to_contain_text("telefontiderna bemannas")
    _steg(sida, "33-besvarad")

    svar = [m for m in _mejl_till(MEDBORGARE) if m is not bekraftelse[0]]
    assert len(svar) == 1, [(m.to, m.subject) for m in mail.outbox]
    assert referens in svar[0].subject
    assert svarstext in svar[0].body
    assert "klagomålsdelegation" in svar[0].body

    avsluta = sida.locator("form.overgang").filter(has=sida.locator("summary", has_text="Avsluta"))
    avsluta.locator("summary").click()
    avsluta.get_by_role("group", name="Har verksamheten brustit?").get_by_role(
        "radio", name="Ja"
    ).check()
    avsluta.get_by_role("group", name="Har det lett till en förbättring?").get_by_role(
        "radio", name="Ja"
    ).check()
    avsluta.get_by_label("Vilken förbättring?").fill("Fler handläggare på telefontiderna.")
    _steg(sida, "34-avsluta-ifylld")
    avsluta.locator("button[type=submit]").click()
    expect(sida.locator(".rubrikrad .status")).to_have_text("Avslutad")
    _steg(sida, "35-avslutad")

    # The service failed: the page offers an avvikelse, filled in from the synpunkt.
    sida.get_by_role("link", name="Skapa en avvikelse från synpunkten").click()
    expect(
        sida.get_by_role("heading", level=1, name="Rapportera avvikelse eller tillbud")
    ).to_be_visible()
    vad_hande = sida.get_by_label("Vad hände?")
    expect(vad_hande).to_have_value(re.compile(rf"^Från {nummer} \(klagomål\): Jag fick vänta"))
    expect(sida.get_by_label("Enhet där det hände")).to_have_value(str(org["EB"].pk))
    _steg(sida, "36-avvikelse-fran-synpunkt")
    logga_ut(sida)

    synpunkt.refresh_from_db()
    assert synpunkt.status == Status.AVSLUTAD
    assert synpunkt.svarssatt == Svarssatt.EPOST and synpunkt.brustit is True

    # --- The citizen looks up the status ------------------------------------------------
    sida = ny_sida("mobil")
    sida.goto(STATUS)
    sida.get_by_label("Referensnummer").fill(referens.lower())  # case does not matter
    sida.get_by_label("Datum då du skickade den").fill(idag.isoformat())
    sida.get_by_role("button", name="Visa status").click()
    resultat = sida.get_by_role("status")
    expect(resultat).to_contain_text("Status: Avslutad")
    expect(resultat).to_be_focused()  # so a screen reader reads the answer out
    expect(resultat).to_contain_text(f"Besvarad {idag.isoformat()}")
    # Only the status: nothing of the case itself is shown to whoever has the code.
    expect(sida.locator("main")).not_to_contain_text("telefontiderna")
    expect(sida.locator("main")).not_to_contain_text(nummer)
    _steg(sida, "40-status-avslutad")


# --- The receipt sent again --------------------------------------------------------------


def test_kvittot_laddas_om_utan_en_andra_synpunkt(ny_sida, personas, org):
    """Reloading the receipt sends the form again (the same one-time key): the citizen
    sees the same receipt, told it was already sent, and nothing is received twice."""
    sida = ny_sida("mobil")
    sida.goto(LAMNA)
    sida.get_by_role("radio", name="Klagomål").check()
    sida.get_by_label("Vad gäller det?").fill("Ingen ringde tillbaka om min ansökan.")
    sida.get_by_role("radio", name="Ja, jag vill vara anonym").check()
    sida.get_by_role("button", name="Skicka").click()
    expect(sida.get_by_role("heading", level=1)).to_have_text(
        "Tack! Vi har tagit emot det du skickade"
    )
    referens = REFERENS.search(sida.get_by_role("status").inner_text()).group(0)
    redan = sida.get_by_text("Det här formuläret har redan skickats")
    expect(redan).to_have_count(0)

    with sida.expect_request(lambda r: r.method == "POST" and r.url.endswith(LAMNA)):
        sida.reload()
    expect(redan).to_be_visible()
    expect(sida.get_by_role("status")).to_contain_text(referens)
    _steg(sida, "04-kvitto-igen")

    assert Inlamning.objects.count() == 1
    assert Synpunkt.objects.filter(beskrivning__startswith="Ingen ringde tillbaka").count() == 1
    assert Synpunkt.objects.get().referens == referens


# --- 5. Accessibility: axe-core and zoom ----------------------------------------------------


@pytest.fixture
def synpunkter(personas, org, synpunktskategorier):
    """Cases for the staff pages: a new one in the inbox (with contact details), and a
    klagomål routed to Ekonomiskt bistånd and under handling (its forms and the
    klagomålsdelegation section show)."""
    ny = Synpunkt.ta_emot(
        typ="synpunkt",
        kanal=Kanal.E_TJANST,
        avsandare="ovrig",
        beskrivning="Väntrummet är för trångt för rullstolar.",
        enhet=org["SOC"],
        enhet_okand=True,
        kontakt={"namn": "Bo Ek", "epost": "bo@example.org", "telefon": "", "vill_ha_svar": True},
    )
    klagomal = Synpunkt.ta_emot(
        typ="klagomal",
        kanal=Kanal.E_TJANST,
        avsandare="ovrig",
        beskrivning="Ingen svarade när jag ringde om mitt ärende.",
        enhet=org["EB"],
        kontakt={"namn": "Anna", "epost": MEDBORGARE, "telefon": "", "vill_ha_svar": True},
    )
    klagomal.registrera(
        av=personas["registrator"],
        enhet=org["EB"],
        kategori=Kategori.objects.get(namn="Handläggning"),
        typ="klagomal",
        diarienummer="SOCN/2026:25",
    )
    klagomal.refresh_from_db()
    klagomal.paborja(av=personas["enhetschef"])
    klagomal.refresh_from_db()
    return {"ny": ny, "klagomal": klagomal}


def _oppna_allt(sida):
    """Open every <details> so axe also checks the forms folded away inside them."""
    sida.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")


def _skicka_tomt(sida):
    sida.get_by_role("button", name="Skicka").click()
    expect(sida.locator(".felsammanfattning")).to_be_focused()


def _inte_anonym_utan_kontakt(sida):
    """Not anonymous but no contact details: errors inside the contact fieldset too."""
    sida.get_by_role("radio", name="Nej, jag lämnar kontaktuppgifter").check()
    _skicka_tomt(sida)


def _kvitto(sida):
    sida.get_by_role("radio", name="Beröm").check()
    sida.get_by_label("Vad gäller det?").fill("Mycket bra bemötande i receptionen.")
    sida.get_by_role("radio", name="Ja, jag vill vara anonym").check()
    sida.get_by_role("button", name="Skicka").click()
    expect(sida.get_by_role("heading", level=1)).to_contain_text("Tack!")


def _status_fel(sida):
    sida.get_by_label("Referensnummer").fill("ABCD-EFGH")
    sida.get_by_label("Datum då du skickade den").fill(timezone.localdate().isoformat())
    sida.get_by_role("button", name="Visa status").click()
    expect(sida.locator(".felsammanfattning")).to_be_visible()


def _status_tomt(sida):
    sida.get_by_role("button", name="Visa status").click()
    expect(sida.locator(".felsammanfattning")).to_be_visible()


def _status_hittad(referens):
    def gor(sida):
        sida.get_by_label("Referensnummer").fill(referens)
        sida.get_by_label("Datum då du skickade den").fill(timezone.localdate().isoformat())
        sida.get_by_role("button", name="Visa status").click()
        expect(sida.get_by_text("Status: Inkommen")).to_be_visible()

    return gor


# page id → (persona or None, address (from the cases), what to do before checking)
SIDOR = {
    "lamna": (None, lambda s: LAMNA, None),
    "lamna-fel": (None, lambda s: LAMNA, _skicka_tomt),
    "lamna-fel-kontakt": (None, lambda s: LAMNA, _inte_anonym_utan_kontakt),
    "kvitto": (None, lambda s: LAMNA, _kvitto),
    "status": (None, lambda s: STATUS, None),
    "status-tomt": (None, lambda s: STATUS, _status_tomt),
    "status-fel": (None, lambda s: STATUS, _status_fel),
    "status-hittad": (None, lambda s: STATUS, "hittad"),
    "lista-registrator": ("registrator", lambda s: "/synpunkter/", None),
    "inkorg-registrator": ("registrator", lambda s: "/synpunkter/inkorg/", None),
    "detalj-registrator": ("registrator", lambda s: s["ny"].get_absolute_url(), _oppna_allt),
    "ny-registrator": ("registrator", lambda s: "/synpunkter/ny/", None),
    "start-enhetschef": ("enhetschef", lambda s: "/", None),
    "lista-enhetschef": ("enhetschef", lambda s: "/synpunkter/", None),
    "detalj-enhetschef": (
        "enhetschef",
        lambda s: s["klagomal"].get_absolute_url(),
        _oppna_allt,
    ),
}
PUBLIKA = {"lamna", "lamna-fel", "lamna-fel-kontakt", "kvitto", "status", "status-fel"}
FALL = [
    pytest.param(namn, storlek, id=f"{namn}-{storlek}")
    for namn in SIDOR
    for storlek in (("mobil", "smal", "dator") if namn in PUBLIKA else ("mobil", "dator"))
]


@pytest.mark.parametrize(("namn", "storlek"), FALL)
def test_axe_synpunkter(ny_sida, personas, synpunkter, namn, storlek):
    persona, adress, forbered = SIDOR[namn]
    if forbered == "hittad":
        forbered = _status_hittad(synpunkter["ny"].referens)
    sida = ny_sida(storlek)
    if persona:
        logga_in(sida, persona)
    sida.goto(adress(synpunkter))
    if forbered:
        forbered(sida)
    skarmbild(sida, f"a11y-syn-{namn}-{storlek}")
    ingen_sidledes_rullning(sida, tabeller_far_rulla=storlek == "dator")
    kontrollera_axe(sida, f"syn-{namn}-{storlek}")


@pytest.mark.parametrize("hur", ["viewport-640", "css-zoom"])
@pytest.mark.parametrize("sidan", ["lamna", "lamna-fel", "status"])
def test_200_procent_zoom_utan_sidledes_rullning(ny_sida, org, hur, sidan):
    """WCAG 1.4.4: at 200 % the public pages still fit the width (no sideways scrolling)."""
    sida = ny_sida("zoom200" if hur == "viewport-640" else "dator")
    sida.goto(STATUS if sidan == "status" else LAMNA)
    if hur == "css-zoom":
        sida.evaluate("document.body.style.zoom = '200%'")
    if sidan == "lamna-fel":
        _skicka_tomt(sida)
        if hur == "css-zoom":
            sida.evaluate("document.body.style.zoom = '200%'")
    skarmbild(sida, f"a11y-syn-zoom-{sidan}-{hur}")
    ingen_sidledes_rullning(sida)


def test_varje_fel_ar_knutet_till_sitt_falt(ny_sida, org):
    """Every field message is tied to its field (aria-describedby, aria-invalid), and
    every link of the error summary leads to a field with a message."""
    sida = ny_sida("mobil")
    sida.goto(LAMNA)
    _inte_anonym_utan_kontakt(sida)
    skarmbild(sida, "synpunkt-fel-knutna")
    fel = sida.evaluate(
        """() => Array.from(document.querySelectorAll(".faltfel")).map((p) => {
            const falt = Array.from(document.querySelectorAll("[aria-describedby]")).filter(
                (el) => el.getAttribute("aria-describedby").split(/\\s+/).includes(p.id));
            return {
                id: p.id,
                text: p.textContent.trim(),
                falt: falt.map((el) => el.id),
                ogiltiga: falt.filter((el) => el.getAttribute("aria-invalid") === "true").length,
            };
        })"""
    )
    assert {f["id"] for f in fel} == {
        "id_typ_error",
        "id_beskrivning_error",
        "id_namn_error",
        "id_epost_error",
    }, fel
    for f in fel:
        assert f["falt"] and f["ogiltiga"] == len(f["falt"]), f
        assert f["text"].startswith("Fel:"), f
    # Radio groups: each choice is described by the group's message.
    assert len(next(f for f in fel if f["id"] == "id_typ_error")["falt"]) == 5

    lankar = sida.locator(".felsammanfattning a")
    expect(lankar).to_have_count(4)
    for href in lankar.evaluate_all("as => as.map(a => a.getAttribute('href'))"):
        assert sida.locator(f"{href}").count() == 1, href
        falt = href.removeprefix("#id_")
        expect(sida.locator(f".falt-{falt} .faltfel")).to_be_visible()


def test_kontaktuppgifter_doljs_och_visas_igen(ny_sida, org):
    """The contact fieldset follows the choice, and hidden means hidden for everyone;
    the bot trap is out of reach of the keyboard and of screen readers."""
    sida = ny_sida("mobil")
    sida.goto(LAMNA)
    kontakt = sida.locator("#kontaktuppgifter")
    ja = sida.get_by_role("radio", name="Ja, jag vill vara anonym")
    nej = sida.get_by_role("radio", name="Nej, jag lämnar kontaktuppgifter")
    ja.check()
    expect(kontakt).to_be_hidden()
    expect(sida.get_by_role("textbox", name="Ditt namn")).to_have_count(0)
    nej.check()
    expect(kontakt).to_be_visible()
    expect(sida.get_by_role("group", name="Dina kontaktuppgifter")).to_be_visible()
    expect(sida.get_by_role("textbox", name="Ditt namn")).to_be_visible()

    honung = sida.locator("input[name=hemsida]")
    expect(honung).to_have_attribute("tabindex", "-1")
    expect(sida.get_by_role("textbox", name="Lämna detta fält tomt")).to_have_count(0)
