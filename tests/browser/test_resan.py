"""The whole journey of an avvikelse on a phone, through the real pages.

A member of staff reports it, the unit's enhetschef investigates it, adds an
improvement action and closes it, and the reporter sees the outcome. E-mail goes to
the enhetschef on filing and to the reporter on closing. Screenshots of each step go
to test-artifacts/browser/resan-*.png.
"""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.sidor import ingen_sidledes_rullning, logga_in, logga_ut, skarmbild

pytestmark = pytest.mark.browser

NUMMER = re.compile(r"AVV-\d{4}-\d{4}")


def _steg(sida, namn):
    """Every step: the page fits the phone's width, and a screenshot is kept."""
    ingen_sidledes_rullning(sida)
    skarmbild(sida, f"resan-{namn}")


def _mejl_till(adress):
    return [m for m in mail.outbox if adress in m.to]


def test_avvikelse_fran_rapport_till_avslut_pa_mobil(ny_sida, personas, org, kodlistor):
    medarbetare = personas["medarbetare"]
    enhetschef = personas["enhetschef"]
    igar = timezone.localdate() - timedelta(days=1)

    # --- The member of staff reports -------------------------------------------------
    sida = ny_sida("mobil")
    logga_in(sida, "medarbetare")
    _steg(sida, "01-start-medarbetare")

    sida.get_by_role("button", name="Rapportera avvikelse").click()
    expect(
        sida.get_by_role("heading", level=1, name="Rapportera avvikelse eller tillbud")
    ).to_be_visible()
    sida.get_by_role("group", name="Vad vill du rapportera?").get_by_role(
        "radio", name="Avvikelse"
    ).check()
    enhet = sida.get_by_label("Enhet där det hände")
    expect(enhet).to_have_value(str(org["EB"].pk))  # the reporter's own unit is preselected
    enhet.select_option(str(org["EB"].pk))
    sida.get_by_label("När hände det?").fill(igar.isoformat())
    sida.get_by_role("group", name="Gäller det en enskild klient?").get_by_role(
        "radio", name="Ja"
    ).check()
    sida.get_by_label("Vad hände?").fill(
        "Ett beslut om ekonomiskt bistånd skickades till klientens gamla adress."
    )
    sida.get_by_label(re.compile("^Vilka konsekvenser")).fill(
        "Klienten fick beslutet för sent för att kunna överklaga i tid."
    )
    _steg(sida, "02-rapport-ifylld")
    sida.get_by_role("button", name="Skicka rapporten").click()

    kvitto = sida.locator(".meddelande.success")
    expect(kvitto).to_contain_text("Tack! Din rapport är registrerad som AVV-")
    nummer = NUMMER.search(kvitto.inner_text()).group(0)
    expect(sida).to_have_url(re.compile(f"/avvikelser/{nummer}/$"))
    expect(sida.get_by_role("heading", level=1)).to_have_text(f"Avvikelse {nummer}")
    expect(sida.locator(".rubrikrad .status")).to_have_text("Rapporterad")
    expect(sida.get_by_role("region", name="Utredning")).to_contain_text("Ingen analys ännu.")
    _steg(sida, "03-kvitto")

    mejl = _mejl_till(enhetschef.email)
    assert len(mejl) == 1, [(m.to, m.subject) for m in mail.outbox]
    assert nummer in mejl[0].subject
    assert f"/avvikelser/{nummer}/" in mejl[0].body
    assert not _mejl_till(medarbetare.email), (
        "den som rapporterar får inget mejl om sin egen rapport"
    )
    logga_ut(sida)

    # --- The enhetschef investigates ---------------------------------------------------
    sida = ny_sida("mobil")
    logga_in(sida, "enhetschef")
    vantar = sida.get_by_role("region", name="Avvikelser som väntar på dig")
    rad = vantar.get_by_role("row", name=re.compile(nummer))
    expect(rad).to_contain_text("Rapporterad")
    # The deadline is the table's last column; _steg checks that nothing is off-screen.
    frist = timezone.localdate() + timedelta(days=settings.AVVIKELSE_UTREDNINGSTID_DAGAR)
    expect(rad).to_contain_text(frist.isoformat())
    _steg(sida, "04-start-enhetschef")
    vantar.get_by_role("link", name=nummer).click()
    expect(sida.get_by_role("heading", level=1)).to_have_text(f"Avvikelse {nummer}")
    _steg(sida, "05-detalj-enhetschef")

    sida.get_by_role("button", name="Starta utredning").click()
    expect(sida.locator(".meddelande.success")).to_contain_text("Utredningen av AVV-")
    expect(sida.locator(".rubrikrad .status")).to_have_text("Under utredning")

    utredning = sida.get_by_role("region", name="Utredning")
    # A letter to the wrong address is Sekretess: the definitions say so where the
    # category is chosen (issue 11).
    utredning.get_by_text("Vad betyder alternativen?").first.click()
    expect(utredning.locator("dl").first).to_contain_text(
        "också ett brev eller beslut till fel mottagare eller adress"
    )
    utredning.get_by_label("Kategori").select_option(label="Sekretess")
    utredning.get_by_role("checkbox", name="Processer och rutiner").check()
    utredning.get_by_label("Orsaksanalys").fill(
        "Adressen i verksamhetssystemet uppdaterades inte när klienten flyttade. "
        "Rutinen för adressändring är otydlig."
    )
    _steg(sida, "06-utredning-ifylld")
    utredning.get_by_role("button", name="Spara utredningen").click()
    expect(sida.locator(".meddelande.success")).to_contain_text("Utredningen är sparad.")

    atgarder = sida.get_by_role("region", name="Förbättrande åtgärder")
    atgarder.get_by_text("Lägg till åtgärd", exact=True).click()
    ny = atgarder.locator("#ny-atgard")
    ny.get_by_label("Titel").fill("Förtydliga rutinen för adressändring")
    ny.get_by_label("Typ av åtgärd").select_option("rutin")
    ny.get_by_label("Ansvarig").select_option(str(enhetschef.pk))
    ny.get_by_label("Klart senast").fill((timezone.localdate() + timedelta(days=14)).isoformat())
    _steg(sida, "07-atgard-ifylld")
    ny.get_by_role("button", name="Lägg till åtgärden").click()
    expect(sida.locator(".meddelande.success")).to_contain_text("Åtgärden är tillagd.")
    expect(
        sida.get_by_role("region", name="Förbättrande åtgärder").locator("article.atgard")
    ).to_contain_text("Förtydliga rutinen för adressändring")
    _steg(sida, "08-atgard-tillagd")

    # Closing is confirmed on a page of its own, once the input is valid.
    avsluta = sida.locator("form.overgang").filter(has=sida.get_by_text("Avsluta", exact=True))
    avsluta.locator("summary").click()
    avsluta.get_by_label("Återkoppling till den som rapporterade").fill(
        "Tack för rapporten! Rutinen för adressändring förtydligas."
    )
    _steg(sida, "09-avsluta-oppnad")
    # The <summary> that opens the form is also named "Avsluta"; press the submit button.
    avsluta.locator("button[type=submit]").click()
    expect(sida.get_by_role("heading", level=1)).to_have_text(f"Avsluta: {nummer}")
    expect(
        sida.get_by_text("Avsluta avvikelsen? Den som rapporterade får ett meddelande.")
    ).to_be_visible()
    expect(
        sida.get_by_text("Tack för rapporten! Rutinen för adressändring förtydligas.")
    ).to_be_visible()
    _steg(sida, "09b-avsluta-bekrafta")
    sida.get_by_role("button", name="Ja, avsluta").click()
    expect(sida.locator(".meddelande.success")).to_contain_text(f"{nummer} är avslutad.")
    expect(sida.locator(".rubrikrad .status")).to_have_text("Avslutad")
    _steg(sida, "10-avslutad-enhetschef")

    mejl = _mejl_till(medarbetare.email)
    assert len(mejl) == 1, [(m.to, m.subject) for m in mail.outbox]
    assert nummer in mejl[0].subject and "avslutad" in mejl[0].subject
    logga_ut(sida)

    # --- The reporter sees the outcome ---------------------------------------------------
    sida = ny_sida("mobil")
    logga_in(sida, "medarbetare")
    egna = sida.get_by_role("row").filter(has_text=nummer)
    expect(egna).to_contain_text("Avslutad")
    _steg(sida, "11-start-medarbetare-avslutad")
    egna.get_by_role("link", name=nummer).click()
    expect(sida.locator(".rubrikrad .status")).to_have_text("Avslutad")
    expect(sida.get_by_role("region", name="Utredning")).to_contain_text(
        "Rutinen för adressändring förtydligas."
    )
    # The reporter reads the outcome but cannot handle the case.
    expect(sida.get_by_role("button", name="Återöppna")).to_have_count(0)
    expect(sida.get_by_text("Lägg till åtgärd", exact=True)).to_have_count(0)
    _steg(sida, "12-detalj-medarbetare-avslutad")
