"""The second factor in the browser (kvalitet.tvastegs): the administrator logs in with
the password and must set up the app before anything else – reads the secret from the
page as a person types it into an app, confirms with the app's code, sees the recovery
codes once – then logs out and in again through the code step, and once with a
recovery code, which does not work a second time. Axe runs on the step pages and
nothing may stick out sideways. Screenshots go to test-artifacts/browser/tvastegs-*.png.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.sidor import (
    aktivera_appen,
    appkod,
    huvudmeny,
    ingen_sidledes_rullning,
    kontrollera_axe,
    logga_ut,
    skarmbild,
)

pytestmark = pytest.mark.browser


def _losenord(sida, anvandarnamn="admin"):
    sida.goto("/konto/logga-in/")
    sida.get_by_label("Användarnamn").fill(anvandarnamn)
    sida.get_by_label("Lösenord").fill("demo")
    sida.get_by_role("button", name="Logga in").click()


def _steg(sida, storlek, namn):
    ingen_sidledes_rullning(sida)
    kontrollera_axe(sida, f"tvastegs-{storlek}-{namn}")
    skarmbild(sida, f"tvastegs-{storlek}-{namn}")


@pytest.mark.parametrize("storlek", ["mobil", "dator"])
def test_administratorens_resa_med_app_och_reservkod(storlek, ny_sida, personas):
    sida = ny_sida(storlek)
    meny = sida.get_by_role("navigation", name="Huvudmeny")

    # The password is right, but the enrolment comes first, and nothing else is reached.
    _losenord(sida)
    expect(sida.get_by_role("heading", level=1)).to_have_text("Slå på tvåstegsverifiering")
    expect(sida.get_by_text("Ditt konto måste ha tvåstegsverifiering.")).to_be_visible()
    # Not there at all, folded or not.
    expect(meny.get_by_role("link", name="Personer", include_hidden=True)).to_have_count(0)
    expect(sida.locator("figure.qr svg")).to_be_visible()
    _steg(sida, storlek, "01-aktivera")
    sida.goto("/administration/personer/")
    expect(sida.get_by_role("heading", level=1)).to_have_text("Slå på tvåstegsverifiering")

    # A wrong code is refused with the reason, next to the field.
    sida.get_by_role("textbox", name="Kod", exact=True).fill("12ab")
    sida.get_by_role("button", name="Slå på").click()
    expect(sida.locator(".felsammanfattning")).to_contain_text("sex siffrorna")

    koder = aktivera_appen(sida)
    assert len(koder) == 10 and all(re.fullmatch(r"[a-z2-7]{5}-[a-z2-7]{5}", k) for k in koder)
    _steg(sida, storlek, "02-reservkoder")
    # On to the page asked for while the enrolment was owed.
    sida.get_by_role("button", name=re.compile("Jag har sparat koderna")).click()
    expect(sida.get_by_role("heading", level=1)).to_have_text("Personer")
    expect(huvudmeny(sida).get_by_role("link", name="Personer")).to_be_visible()

    # Logged out and in again: the code step, with the app's code.
    logga_ut(sida)
    _losenord(sida)
    expect(sida.get_by_role("heading", level=1)).to_have_text("Tvåstegsverifiering")
    _steg(sida, storlek, "03-kod")
    sida.get_by_role("textbox", name="Kod", exact=True).fill(appkod("admin"))
    sida.get_by_role("button", name="Fortsätt").click()
    expect(sida.get_by_role("heading", level=1)).to_have_text("Mina ärenden")

    # The account page, linked from the footer.
    sida.get_by_role("link", name="Tvåstegsverifiering").click()
    expect(sida.get_by_role("heading", level=1)).to_have_text("Tvåstegsverifiering")
    expect(sida.get_by_text("Reservkoder kvar")).to_be_visible()
    expect(sida.get_by_text("kan inte stängas av")).to_be_visible()
    _steg(sida, storlek, "04-hantera")

    # Without the phone: a recovery code, once.
    logga_ut(sida)
    _losenord(sida)
    sida.get_by_role("textbox", name="Kod", exact=True).fill(koder[0])
    sida.get_by_role("button", name="Fortsätt").click()
    expect(sida.get_by_role("heading", level=1)).to_have_text("Mina ärenden")
    expect(sida.locator(".meddelande")).to_contain_text("Du har 9 kvar")
    logga_ut(sida)
    _losenord(sida)
    sida.get_by_role("textbox", name="Kod", exact=True).fill(koder[0])
    sida.get_by_role("button", name="Fortsätt").click()
    expect(sida.locator(".felsammanfattning")).to_contain_text("Koden stämmer inte.")
    expect(sida.get_by_role("heading", level=1)).to_have_text("Tvåstegsverifiering")
    _steg(sida, storlek, "05-fel-reservkod")
