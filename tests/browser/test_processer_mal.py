"""The report preview's chapters "Processer och styrdokument" and "Mål och resultat" on a
phone and a laptop: the process map with a header row per kind of process and each
process's key-figure table scroll in their own box, the page never sideways, and axe
finds nothing serious (a `rowgroup` header, "Målet nått" in words and colour)."""

import pytest
from playwright.sync_api import expect

from rapporter.models import Kvalitetsberattelse
from tests.browser.sidor import ingen_sidledes_rullning, kontrollera_axe, logga_in, skarmbild
from tests.rapporter.conftest import AR, BRYTDATUM
from tests.rapporter.test_processer_mal import arets_processer

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("storlek", ["mobil", "smal", "dator"])
def test_forhandsvisningens_process_och_malkapitel(ny_sida, personas, org, storlek):
    arets_processer(org)
    utkast = Kvalitetsberattelse.skapa(
        ar=AR, brytdatum=BRYTDATUM, av=personas["kvalitetssamordnare"]
    )
    sida = ny_sida(storlek)
    logga_in(sida, "kvalitetssamordnare")
    sida.goto(f"/rapporter/{utkast.pk}/forhandsvisning/#kap-processer")
    karta = sida.get_by_role("table", name="Processer i bruk 2025-12-31", exact=True)
    expect(karta).to_be_visible()
    expect(karta.get_by_role("rowheader", name="Ledningsprocess (0)")).to_be_attached()
    nyckeltal = sida.get_by_role(
        "table", name="Nyckeltal för Myndighetsutövning barn, mål och utfall 2025"
    )
    expect(nyckeltal.get_by_role("columnheader", name="Målet nått")).to_be_attached()
    expect(nyckeltal.get_by_text("Inte mätt")).to_be_attached()
    sida.locator("#kap-mal").scroll_into_view_if_needed()
    skarmbild(sida, f"forhandsvisning-processer-mal-{storlek}")
    ingen_sidledes_rullning(sida, tabeller_far_rulla=True)
    kontrollera_axe(sida, f"forhandsvisning-processer-mal-{storlek}")
