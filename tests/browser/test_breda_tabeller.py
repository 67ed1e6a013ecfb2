"""Wide tables on a phone: the IVO overview (three tables of several columns) and the
report preview's risk chapter (a risk's title beside five columns) scroll in their own
box; the page itself never scrolls sideways (walked at 390 px, the tables pushed the
IVO page to 767 px and cut off the preview's Strategi column)."""

from datetime import date
from types import SimpleNamespace

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from rapporter.models import Kvalitetsberattelse, standard_brytdatum
from riskregister.choices import Strategi
from tests.browser.sidor import ingen_sidledes_rullning, kontrollera_axe, logga_in, skarmbild
from tests.riskregister.hjalp import risk
from tests.synpunkter.hjalp import skapa as skapa_synpunkt
from tests.tillsyn.hjalp import skapa as skapa_tillsyn

pytestmark = pytest.mark.browser

LANG_TITEL = "Beslut om placering skickas till en vårdnadshavare med skyddad adress"


@pytest.mark.parametrize("storlek", ["mobil", "smal"])
def test_ivo_oversikten_pa_mobil(ny_sida, personas, org, storlek):
    varld = SimpleNamespace(org=org, personas=personas)
    skapa_tillsyn(varld)
    skapa_synpunkt(varld)
    sida = ny_sida(storlek)
    logga_in(sida, "kvalitetssamordnare")
    sida.goto("/ivo/")
    expect(sida.get_by_role("heading", level=1, name="IVO")).to_be_visible()
    expect(sida.locator("table").first).to_be_visible()
    skarmbild(sida, f"ivo-{storlek}")
    ingen_sidledes_rullning(sida, tabeller_far_rulla=True)
    kontrollera_axe(sida, f"ivo-{storlek}")  # a box that scrolls is reached by keyboard


@pytest.mark.parametrize("storlek", ["mobil", "smal"])
def test_forhandsvisningens_riskkapitel_pa_mobil(ny_sida, personas, org, storlek):
    ar = timezone.localdate().year
    for i in range(3):
        risk(
            org["EB"],
            (date(ar, 1, 10), 4, 3),
            titel=f"{LANG_TITEL} ({i})",
            strategi=Strategi.REDUCERA,
        )
    utkast = Kvalitetsberattelse.skapa(
        ar=ar, brytdatum=standard_brytdatum(ar), av=personas["kvalitetssamordnare"]
    )
    sida = ny_sida(storlek)
    logga_in(sida, "kvalitetssamordnare")
    sida.goto(f"/rapporter/{utkast.pk}/forhandsvisning/")
    expect(sida.get_by_text(f"{LANG_TITEL} (0)").first).to_be_attached()
    skarmbild(sida, f"forhandsvisning-risker-{storlek}")
    ingen_sidledes_rullning(sida, tabeller_far_rulla=True)
    kontrollera_axe(sida, f"forhandsvisning-risker-{storlek}")


def test_ett_langt_ord_bryts_i_stallet_for_att_bredda_sidan(ny_sida, personas, org):
    """A text without a space (a pasted address, 6,000 characters) in an action's
    description widened the case page to about 48,000 px on a phone."""
    from tests.factories import AtgardFactory, AvvikelseFactory

    avv = AvvikelseFactory(enhet=org["EB"], rapporterad_av=personas["medarbetare"])
    AtgardFactory(
        arende=avv,
        ansvarig=personas["enhetschef"],
        beskrivning="https://intranat.example.se/" + "a" * 6000,
    )
    sida = ny_sida("mobil")
    logga_in(sida, "enhetschef")
    sida.goto(avv.get_absolute_url())
    expect(sida.get_by_role("heading", level=1)).to_be_visible()
    ingen_sidledes_rullning(sida, tabeller_far_rulla=True)
