"""Issue 16: a person makes an API key on their account page, sees it once, uses it,
and revokes it; the page and the API's documentation fit a phone and a desktop, and axe
finds no serious fault."""

import pytest
from playwright.sync_api import expect

from tests.browser.sidor import ingen_sidledes_rullning, kontrollera_axe, logga_in, skarmbild

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("storlek", ["mobil", "dator"])
def test_nyckeln_skapas_visas_en_gang_och_aterkallas(ny_sida, personas, storlek):
    sida = ny_sida(storlek)
    logga_in(sida, "enhetschef")
    sida.get_by_role("link", name="API-nycklar").click()
    expect(sida.get_by_role("heading", name="API-nycklar", exact=True)).to_be_visible()
    sida.get_by_label("Namn på nyckeln").fill("Kontaktcentret")
    sida.get_by_label("Läsa och skriva").check()
    sida.get_by_label("Giltig i antal dagar").fill("30")
    sida.get_by_role("button", name="Skapa nyckel").click()
    nyckel = sida.get_by_label("API-nyckel").input_value()
    assert nyckel.startswith("kv_") and len(nyckel) == 46
    expect(sida.get_by_role("alert")).to_contain_text("Den visas bara den här gången")
    skarmbild(sida, f"api-nycklar-ny-{storlek}")
    ingen_sidledes_rullning(sida, tabeller_far_rulla=True)
    kontrollera_axe(sida, f"api-nycklar-ny-{storlek}")

    # A reload sends the form again (Chromium re-POSTs): no second key, the key not
    # shown again, and the page says so.
    with sida.expect_request(lambda r: r.method == "POST" and r.url.endswith("/api-nycklar/")):
        sida.reload()
    expect(
        sida.get_by_role("heading", name="Nyckeln Kontaktcentret är redan skapad")
    ).to_be_visible()
    assert nyckel not in sida.content()
    expect(sida.get_by_role("button", name="Återkalla Kontaktcentret")).to_have_count(1)
    skarmbild(sida, f"api-nycklar-igen-{storlek}")
    kontrollera_axe(sida, f"api-nycklar-igen-{storlek}")

    svar = sida.request.get("/api/v1/avvikelser/", headers={"Authorization": f"Bearer {nyckel}"})
    assert svar.status == 200
    # The page again: the key's beginning, never the key.
    sida.goto("/konto/api-nycklar/")
    assert nyckel not in sida.content()
    expect(sida.get_by_text(nyckel[:11] + "…")).to_be_visible()

    sida.get_by_role("button", name="Återkalla Kontaktcentret").click()
    expect(sida.get_by_text("är återkallad")).to_be_visible()
    svar = sida.request.get("/api/v1/avvikelser/", headers={"Authorization": f"Bearer {nyckel}"})
    assert svar.status == 401
    assert svar.json()["error"]["message"] == "API-nyckeln är återkallad."


@pytest.mark.parametrize("storlek", ["mobil", "dator"])
def test_dokumentationen_passar_skarmen(ny_sida, storlek):
    sida = ny_sida(storlek)
    sida.goto("/api/v1/dokumentation/")
    expect(sida.get_by_role("heading", name="Kvalitet API, version 1")).to_be_visible()
    expect(sida.locator("h3", has_text="POST /api/v1/avvikelser/")).to_be_visible()
    skarmbild(sida, f"api-dokumentation-{storlek}")
    ingen_sidledes_rullning(sida, tabeller_far_rulla=True)
    kontrollera_axe(sida, f"api-dokumentation-{storlek}")
