"""The administrator's people pages in the browser, on a phone and on a laptop: from the
menu to the list, adding a person with a role (the mail with the password link goes
out), then ending that role from the person page by keyboard. Axe runs on each page and
nothing may stick out sideways. Screenshots go to test-artifacts/browser/personer-*.png.
"""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from kvalitet import behorighet
from kvalitet.models import Roll, User
from tests.browser.sidor import (
    huvudmeny,
    ingen_sidledes_rullning,
    kontrollera_axe,
    logga_in,
    skarmbild,
)

pytestmark = pytest.mark.browser


def _steg(sida, storlek, namn):
    ingen_sidledes_rullning(sida)
    skarmbild(sida, f"personer-{storlek}-{namn}")


def _med_tangentbordet(sida, mal, hogst=60):
    """Tab to `mal` (no mouse) and press Enter."""
    for _ in range(hogst):
        if mal.evaluate("el => el === document.activeElement"):
            sida.keyboard.press("Enter")
            return
        sida.keyboard.press("Tab")
    raise AssertionError(f"Tab når aldrig {mal}")


@pytest.mark.parametrize("storlek", ["mobil", "dator"])
def test_administratoren_lagger_till_en_person_och_avslutar_rollen(storlek, ny_sida, personas, org):
    sida = ny_sida(storlek)
    logga_in(sida, "admin")
    huvudmeny(sida).get_by_role("link", name="Personer").click()
    expect(sida.get_by_role("heading", level=1)).to_have_text("Personer")
    expect(huvudmeny(sida).get_by_role("link", name="Personer")).to_have_attribute(
        "aria-current", "page"
    )
    rad = sida.get_by_role("row", name=re.compile("Enhetschef"))
    expect(rad.first).to_contain_text("Enhetschef, Ekonomiskt bistånd")
    kontrollera_axe(sida, f"personer-lista-{storlek}")
    _steg(sida, storlek, "01-lista")

    # The search narrows the list in place (htmx).
    sida.get_by_label("Sök namn, användarnamn eller e-post").fill("kvalitets")
    sida.get_by_role("button", name="Sök person").click()
    expect(sida.locator("#resultat tbody tr")).to_have_count(1)
    expect(sida.locator("#resultat")).to_contain_text("Kvalitetssamordnare, Staben")

    # --- Adding a person -----------------------------------------------------------------
    sida.get_by_role("button", name="Lägg till person").click()
    expect(sida.get_by_role("heading", level=1)).to_have_text("Lägg till person")
    sida.get_by_role("button", name="Lägg till personen").click()  # empty: refused
    expect(sida.locator(".felsammanfattning")).to_contain_text("Skriv förnamnet.")
    expect(sida.locator(".felsammanfattning")).to_be_focused()
    kontrollera_axe(sida, f"personer-ny-fel-{storlek}")
    _steg(sida, storlek, "02-ny-fel")

    sida.get_by_label("Förnamn").fill("Nora")
    sida.get_by_label("Efternamn").fill("Nyström")
    sida.get_by_label("Användarnamn").fill("nora.nystrom")
    sida.get_by_label("E-post").fill("nora.nystrom@exempelkommun.se")
    sida.get_by_label("Titel").fill("Socialsekreterare")
    sida.get_by_label("Roll").select_option(Roll.MEDARBETARE.value)
    sida.get_by_label("Enhet").select_option(str(org["EB"].pk))
    _steg(sida, storlek, "03-ny-ifylld")
    sida.get_by_role("button", name="Lägg till personen").click()

    expect(sida.get_by_role("heading", level=1)).to_have_text("Nora Nyström")
    expect(sida.locator(".meddelande.success")).to_contain_text(
        "Nora Nyström är upplagd med uppdraget Medarbetare, Ekonomiskt bistånd."
    )
    nora = User.objects.get(username="nora.nystrom")
    assert not nora.has_usable_password()
    assert behorighet.roller(nora) == {Roll.MEDARBETARE}
    mejl = [m for m in mail.outbox if m.to == ["nora.nystrom@exempelkommun.se"]]
    assert [m.subject for m in mejl] == ["[Kvalitet] Välkommen – välj ditt lösenord"]
    assert "/konto/aterstall/" in mejl[0].body
    uppdrag = sida.get_by_role("region", name="Uppdrag", exact=True)
    expect(uppdrag).to_contain_text("Medarbetare, Ekonomiskt bistånd")
    sida.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    kontrollera_axe(sida, f"personer-person-{storlek}")
    sida.evaluate("document.querySelectorAll('details').forEach(d => { d.open = false; })")
    _steg(sida, storlek, "04-person")
    nytt = sida.locator("#nytt-uppdrag")
    nytt.locator("summary").click()
    expect(nytt.get_by_label("Gäller till och med")).to_be_visible()
    _steg(sida, storlek, "04b-nytt-uppdrag")
    nytt.locator("summary").click()

    # --- Ending the role, by keyboard ----------------------------------------------------------
    avsluta = uppdrag.locator("summary", has_text="Avsluta")
    _med_tangentbordet(sida, avsluta)
    knapp = uppdrag.get_by_role("button", name="Avsluta uppdraget", exact=True)
    expect(knapp).to_be_visible()
    _steg(sida, storlek, "05-avsluta")
    _med_tangentbordet(sida, knapp)

    expect(sida.locator(".meddelande.success")).to_contain_text(
        "Uppdraget Medarbetare, Ekonomiskt bistånd är avslutat; behörigheten har upphört."
    )
    igar = timezone.localdate() - timedelta(days=1)
    avslutade = sida.get_by_role("region", name="Avslutade uppdrag")
    expect(avslutade).to_contain_text("Medarbetare")
    expect(avslutade).to_contain_text(igar.isoformat())
    expect(sida.get_by_role("region", name="Uppdrag", exact=True)).to_contain_text(
        "Inga uppdrag som gäller"
    )
    historik = sida.get_by_role("region", name="Historik")
    expect(historik).to_contain_text("Uppdrag avslutat")
    expect(historik).to_contain_text(personas["admin"].get_full_name())
    assert behorighet.roller(User.objects.get(pk=nora.pk)) == set()
    _steg(sida, storlek, "06-avslutat")
