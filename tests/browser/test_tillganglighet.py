"""Accessibility: axe-core on every page of the app, and the keyboard path through the
report form.

No violation of impact "serious" or "critical" is accepted. All violations, of any
impact, are written to test-artifacts/browser/axe-<page>.json; a failing test prints
each serious one with its rule, help text and the offending elements.
"""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from playwright.sync_api import expect

from avvikelser.models import Avvikelse, Kategori, Orsaksomrade
from kvalitet.models import Atgard
from tests.browser.conftest import STORLEKAR
from tests.browser.sidor import (
    ingen_sidledes_rullning,
    kontrollera_axe,
    logga_in,
    skarmbild,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def arenden(personas, org, kodlistor, avvikelse):
    """Cases in several states, so the pages show their tables, forms and actions:

    - `avvikelse` (reported by `medarbetare`) under investigation by the enhetschef,
      with a category, a cause area, an analysis and an improvement action;
    - a second, freshly reported one waiting for the enhetschef.
    """
    chef = personas["enhetschef"]
    avvikelse.starta_utredning(av=chef)
    avvikelse.refresh_from_db()
    avvikelse.kategori = Kategori.objects.get(namn="Felaktigt utskickad information")
    avvikelse.analys = "Adressen uppdaterades inte i verksamhetssystemet."
    avvikelse.save()
    avvikelse.orsaksomraden.add(Orsaksomrade.objects.get(namn="Processer och rutiner"))
    Atgard.objects.create(
        content_type=ContentType.objects.get_for_model(Avvikelse),
        object_id=avvikelse.pk,
        titel="Förtydliga rutinen för adressändring",
        typ="rutin",
        ansvarig=personas["medarbetare"],
        enhet=avvikelse.enhet,
        forfallodatum=timezone.localdate() + timedelta(days=14),
        skapad_av=chef,
    )
    ny = Avvikelse.rapportera(
        av=personas["medarbetare"],
        typ="tillbud",
        enhet=org["EB"],
        handelsedatum=timezone.localdate(),
        beskrivning="En stol gick sönder i väntrummet.",
        beror_enskild=False,
    )
    return {"utreds": avvikelse, "ny": ny}


def _oppna_allt(sida):
    """Open every <details> so axe also checks the forms folded away inside them."""
    sida.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")


def _skicka_tomt(sida):
    sida.get_by_role("button", name="Skicka rapporten").click()
    expect(sida.locator(".felsammanfattning")).to_be_visible()


def _fel_losenord(sida):
    sida.get_by_label("Användarnamn").fill("medarbetare")
    sida.get_by_label("Lösenord").fill("fel-losenord")
    sida.get_by_role("button", name="Logga in").click()
    expect(sida.locator(".felsammanfattning")).to_be_visible()


def _tom_kommentar(sida):
    """A case that lacks category and analysis (the page names what closing requires),
    and a comment sent empty: the form shows its errors."""
    expect(sida.locator(".steg-krav")).to_contain_text("Välj en kategori")
    sida.get_by_role("button", name="Spara kommentar").click()
    expect(sida.locator(".felsammanfattning").first).to_be_visible()
    _oppna_allt(sida)


# page id → (persona or None, address (from the cases), what to do before checking)
SIDOR = {
    "inloggning": (None, lambda a: "/konto/logga-in/", None),
    "inloggning-fel": (None, lambda a: "/konto/logga-in/", _fel_losenord),
    "aterstall-losenord": (None, lambda a: "/konto/aterstall/", None),
    "start-medarbetare": ("medarbetare", lambda a: "/", None),
    "start-enhetschef": ("enhetschef", lambda a: "/", None),
    "rapport": ("medarbetare", lambda a: "/avvikelser/ny/", None),
    "rapport-fel": ("medarbetare", lambda a: "/avvikelser/ny/", _skicka_tomt),
    "lista-filter": ("enhetschef", lambda a: "/avvikelser/?status=rapporterad", None),
    "detalj-enhetschef": ("enhetschef", lambda a: a["utreds"].get_absolute_url(), _oppna_allt),
    "detalj-enhetschef-ny": ("enhetschef", lambda a: a["ny"].get_absolute_url(), _oppna_allt),
    "detalj-enhetschef-fel": (
        "enhetschef",
        lambda a: a["ny"].get_absolute_url(),
        None,  # replaced below: the case must be under investigation first
    ),
    "detalj-rapportor": ("medarbetare", lambda a: a["utreds"].get_absolute_url(), _oppna_allt),
    "detalj-forvaltningschef": (
        "forvaltningschef",
        lambda a: a["utreds"].get_absolute_url(),
        _oppna_allt,
    ),
}
SIDOR["detalj-enhetschef-fel"] = (
    "enhetschef",
    lambda a: a["oppen_utan_analys"].get_absolute_url(),
    _tom_kommentar,
)

# The report form and the detail pages at both widths; the rest at phone width.
BADA = {"rapport", "rapport-fel", "detalj-enhetschef", "detalj-rapportor", "lista-filter"}
FALL = [
    pytest.param(namn, storlek, id=f"{namn}-{storlek}")
    for namn in SIDOR
    for storlek in (("mobil", "dator") if namn in BADA else ("mobil",))
]


@pytest.mark.parametrize(("namn", "storlek"), FALL)
def test_axe_inga_allvarliga_fel(ny_sida, personas, arenden, namn, storlek):
    if namn == "detalj-enhetschef-fel":
        arenden["ny"].starta_utredning(av=personas["enhetschef"])
        arenden["oppen_utan_analys"] = arenden["ny"]
    persona, adress, forbered = SIDOR[namn]
    sida = ny_sida(storlek)
    if persona:
        logga_in(sida, persona)
    sida.goto(adress(arenden))
    if forbered:
        forbered(sida)
    skarmbild(sida, f"a11y-{namn}-{storlek}")
    ingen_sidledes_rullning(sida, tabeller_far_rulla=storlek == "dator")
    kontrollera_axe(sida, f"{namn}-{storlek}")


# --- Keyboard --------------------------------------------------------------------------


def _fokus_i_main(sida):
    return sida.evaluate("document.getElementById('innehall').contains(document.activeElement)")


@pytest.mark.parametrize("storlek", ["dator", "mobil"])
def test_tangentbord_hopplank_och_felsammanfattning(ny_sida, personas, kodlistor, storlek):
    sida = ny_sida(storlek)
    logga_in(sida, "medarbetare")
    sida.goto("/avvikelser/ny/")

    # The first Tab from the top of the page reaches the skip link, which then shows.
    sida.keyboard.press("Tab")
    hopp = sida.locator("a.hoppa")
    expect(hopp).to_be_focused()
    expect(hopp).to_have_text("Hoppa till innehållet")
    ruta = hopp.bounding_box()
    bredd = sida.viewport_size["width"]
    assert ruta and ruta["x"] >= 0 and ruta["x"] + ruta["width"] <= bredd and ruta["y"] >= 0, (
        f"hopplänken syns inte när den har fokus: {ruta}"
    )
    skarmbild(sida, f"tangentbord-hopplank-{storlek}")

    # Following it moves focus to <main>; the next Tab is on the way to the lex Sarah
    # rapport (the form's note on a missförhållande), the one after on the first field.
    sida.keyboard.press("Enter")
    expect(sida.locator("main#innehall")).to_be_focused()
    sida.keyboard.press("Tab")
    assert _fokus_i_main(sida), "Tab efter hopplänken hamnar utanför huvudinnehållet"
    expect(sida.get_by_role("link", name="rapporteras enligt lex Sarah")).to_be_focused()
    sida.keyboard.press("Tab")
    typ = sida.get_by_role("group", name="Vad vill du rapportera?")
    expect(typ.get_by_role("radio", name="Avvikelse")).to_be_focused()

    # Without the skip link, the header comes next: the skip link is really first.
    sida.goto("/avvikelser/ny/")
    sida.keyboard.press("Tab")
    sida.keyboard.press("Tab")
    assert not _fokus_i_main(sida)
    expect(sida.locator("a.hoppa")).not_to_be_focused()

    # A failed submit (by keyboard): the error summary has focus, so it is read out.
    sida.get_by_role("button", name="Skicka rapporten").focus()
    sida.keyboard.press("Enter")
    sammanfattning = sida.locator(".felsammanfattning[data-fokus]")
    expect(sammanfattning).to_be_visible()
    expect(sammanfattning).to_be_focused()
    expect(sammanfattning).to_have_attribute("tabindex", "-1")
    expect(sammanfattning).to_have_attribute("role", "alert")
    expect(sammanfattning.get_by_role("heading")).to_have_text("Det finns fel i formuläret")
    skarmbild(sida, f"tangentbord-felsammanfattning-{storlek}")

    # Tab goes to the summary's first link; following it leads to the field.
    sida.keyboard.press("Tab")
    lank = sammanfattning.get_by_role("link").first
    expect(lank).to_be_focused()
    expect(lank).to_contain_text("Gäller det en enskild klient?")
    sida.keyboard.press("Enter")
    sida.keyboard.press("Tab")
    falt = sida.get_by_role("group", name="Gäller det en enskild klient?")
    expect(falt.get_by_role("radio").first).to_be_focused()


def _kontrast(forgrund, bakgrund):
    """The WCAG contrast ratio of two colours given as rgb()/rgba() strings."""

    def luminans(farg):
        r, g, b = (int(float(v)) for v in farg[farg.index("(") + 1 : -1].split(",")[:3])

        def kanal(c):
            c /= 255
            return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

        return 0.2126 * kanal(r) + 0.7152 * kanal(g) + 0.0722 * kanal(b)

    ljus, mork = sorted((luminans(forgrund), luminans(bakgrund)), reverse=True)
    return (ljus + 0.05) / (mork + 0.05)


@pytest.mark.parametrize("storlek", ["dator", "mobil"])
def test_fokusringen_syns(ny_sida, personas, arenden, storlek):
    """The keyboard focus ring: solid, at least 2 px, at least 3:1 against the page
    (WCAG 2.2), on a link, a button, a field and a summary of the case page."""
    sida = ny_sida(storlek)
    logga_in(sida, "enhetschef")
    sida.goto(arenden["utreds"].get_absolute_url())
    for selektor in ("main a", "main button", "main textarea", "main summary"):
        selektor += ":visible"
        element = sida.locator(selektor).first
        element.focus()
        sida.keyboard.press("Shift+Tab")
        sida.keyboard.press("Tab")  # by keyboard, so :focus-visible applies
        expect(element).to_be_focused()
        stil = element.evaluate(
            """(el) => {
                const cs = getComputedStyle(el);
                return {stil: cs.outlineStyle, bredd: parseFloat(cs.outlineWidth),
                        farg: cs.outlineColor,
                        bakgrund: getComputedStyle(document.body).backgroundColor};
            }"""
        )
        assert stil["stil"] == "solid" and stil["bredd"] >= 2, (selektor, stil)
        bakgrund = stil["bakgrund"] if "0, 0, 0, 0" not in stil["bakgrund"] else "rgb(255,255,255)"
        assert _kontrast(stil["farg"], bakgrund) >= 3, (selektor, stil)


@pytest.mark.parametrize(
    ("storlek", "persona", "andel", "kommun"),
    [
        ("mobil", "enhetschef", 0.15, "Exempelkommun"),
        ("smal", "kvalitetssamordnare", 0.19, "Exempelkommun"),
        ("zoom200", "kvalitetssamordnare", 0.28, "Exempelkommun"),
        ("mobil", "kvalitetssamordnare", 0.15, "Upplands-Bro kommun, socialförvaltningen"),
    ],
)
def test_sidhuvudet_tar_inte_skarmen_pa_mobil(
    ny_sida, personas, settings, storlek, persona, andel, kommun
):
    """On a phone (and at 200 % zoom) the header – logo, the menu's button, logging out,
    search – leaves the first screen to the page: it used to take about 40 % of a
    phone's, then 21 % with the menu unfolded, and 326 px of 450 at 200 % zoom. The logo,
    the button and logging out keep one row, also at 320 px and with a long
    municipality's name, which gives way (cut short) rather than pushing logging out
    onto a row of its own."""
    settings.KOMMUN_NAMN = kommun
    sida = ny_sida(storlek)
    logga_in(sida, persona)
    sida.goto("/")
    hojd = sida.locator("header.sidhuvud").evaluate("(el) => el.getBoundingClientRect().height")
    skarm = sida.viewport_size["height"]
    assert hojd <= andel * skarm, f"sidhuvudet är {hojd:.0f} px av {skarm} px"
    # Nothing in it overlaps: the logo, the menu's button and logging out are apart.
    rutor = sida.evaluate(
        """() => ['.logotyp', '.menyknapp', 'header form.inline button']
            .map((s) => document.querySelector(s).getBoundingClientRect())
            .map((r) => [r.left, r.top, r.right, r.bottom])"""
    )
    assert all(r[2] > r[0] for r in rutor), rutor  # each one shown

    def overlappar(a, b):
        return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]

    logga, knapp, ut = rutor
    assert not any(overlappar(a, b) for a, b in ((logga, knapp), (logga, ut), (knapp, ut))), rutor
    # One row: the button and logging out lie within the logo's height.
    assert all(logga[1] <= r[1] and r[3] <= logga[3] for r in (knapp, ut)), rutor
    # The name is the logo's still, whole to a screen reader however short it is drawn.
    expect(sida.locator("a.logotyp")).to_have_accessible_name(f"Kvalitet {kommun}")
    ingen_sidledes_rullning(sida)


@pytest.mark.parametrize(("bredd", "rader"), [(1280, 1), (1024, 2)])
def test_sidhuvudet_pa_datorn_haller_utloggningen_bredvid_logotypen(
    ny_sida, personas, bredd, rader
):
    """On a computer's screen the kvalitetssamordnare's long menu (nine links) fits on one
    row beside the logo and logging out from 1280 px; narrower, it wraps within its own
    place, and logging out stays on the logo's row instead of taking a row of its own."""
    sida = ny_sida("dator")
    sida.set_viewport_size({"width": bredd, "height": 900})
    logga_in(sida, "kvalitetssamordnare")
    lankar = sida.locator("#huvudmeny > li")
    assert lankar.count() >= 9
    radtoppar = {
        round(y) for y in lankar.evaluate_all("(l) => l.map((e) => e.getBoundingClientRect().top)")
    }
    assert len(radtoppar) == rader, radtoppar
    logga, ut = sida.evaluate(
        """() => ['.logotyp', 'header form.inline button']
            .map((s) => document.querySelector(s).getBoundingClientRect())
            .map((r) => [r.top, r.bottom])"""
    )
    assert ut[0] < logga[1] and logga[0] < ut[1], (logga, ut)
    hojd = sida.locator("header.sidhuvud").evaluate("(el) => el.getBoundingClientRect().height")
    assert hojd <= 165, f"sidhuvudet är {hojd:.0f} px"
    ingen_sidledes_rullning(sida)


def _menylank(sida, namn="Avvikelser"):
    return sida.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name=namn)


def test_menyn_falls_ut_och_ihop_med_sin_knapp_pa_mobil(ny_sida, personas):
    """On a phone the menu is folded behind "Meny": the button says whether it is open,
    opens it, Escape in it folds it back to the button, and a page reached from it starts
    folded again."""
    sida = ny_sida("mobil")
    logga_in(sida, "enhetschef")
    knapp = sida.get_by_role("button", name="Meny")
    expect(knapp).to_have_attribute("aria-expanded", "false")
    expect(knapp).to_have_attribute("aria-controls", "huvudmeny")
    expect(_menylank(sida)).to_be_hidden()
    knapp.click()
    expect(knapp).to_have_attribute("aria-expanded", "true")
    expect(_menylank(sida)).to_be_visible()
    skarmbild(sida, "meny-oppen-mobil")
    kontrollera_axe(sida, "meny-oppen-mobil")
    _menylank(sida).focus()
    sida.keyboard.press("Escape")
    expect(knapp).to_have_attribute("aria-expanded", "false")
    expect(knapp).to_be_focused()
    expect(_menylank(sida)).to_be_hidden()
    knapp.click()
    _menylank(sida).click()
    expect(sida.get_by_role("heading", level=1)).to_have_text("Avvikelser")
    expect(knapp).to_have_attribute("aria-expanded", "false")
    expect(_menylank(sida)).to_be_hidden()


def test_menyn_ar_alltid_oppen_pa_datorn_och_utan_javascript(
    ny_sida, webblasare, live_server, personas
):
    """The button is a phone's: a computer's screen shows the menu and no button, and a
    phone without JavaScript shows the menu open and no button that would do nothing."""
    sida = ny_sida("dator")
    logga_in(sida, "enhetschef")
    expect(sida.get_by_role("button", name="Meny")).to_be_hidden()
    expect(_menylank(sida)).to_be_visible()
    kontext = webblasare.new_context(
        base_url=live_server.url, java_script_enabled=False, **STORLEKAR["mobil"]
    )
    try:
        sida = kontext.new_page()
        logga_in(sida, "enhetschef")
        expect(sida.get_by_role("button", name="Meny")).to_be_hidden()
        expect(_menylank(sida)).to_be_visible()
        expect(sida.get_by_role("button", name="Logga ut")).to_be_visible()
    finally:
        kontext.close()
