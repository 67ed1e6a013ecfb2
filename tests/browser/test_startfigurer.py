"""Issue 11: the kvalitetssamordnare's start page shows the figures as charts that fit a
phone and a desktop, with the numbers a click away, and axe finds no serious fault."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from avvikelser.models import Kategori
from kvalitet.startfigurer import samma_dag_i_fjol
from tests.browser.sidor import ingen_sidledes_rullning, kontrollera_axe, logga_in, skarmbild
from tests.factories import AtgardFactory, AvvikelseFactory, SynpunktFactory

pytestmark = pytest.mark.browser


def kl(dag):
    return timezone.make_aware(datetime.combine(dag, time(12)))


@pytest.fixture
def siffror(personas, org, kodlistor):
    idag = timezone.localdate()
    fjol = samma_dag_i_fjol(idag)
    kategorier = list(Kategori.objects.order_by("namn")[:3])
    for i in range(12):
        dag = idag.replace(month=1 + i % idag.month, day=1)
        AvvikelseFactory(
            enhet=org["EB"] if i % 2 else org["KOLL"],
            rapporterad=kl(dag),
            kategori=kategorier[i % len(kategorier)],
        )
        if i % 3:
            AvvikelseFactory(
                enhet=org["EB"],
                rapporterad=kl(dag.replace(year=fjol.year)),
                kategori=kategorier[(i + 1) % len(kategorier)],
            )
    fall = AvvikelseFactory(enhet=org["EB"])
    AtgardFactory(arende=fall, ansvarig=personas["medarbetare"], forfallodatum=idag - timedelta(3))
    start = idag.replace(month=1, day=1)
    SynpunktFactory(enhet=org["EB"], inkom=kl(start), besvarad=kl(start + timedelta(days=2)))


@pytest.mark.parametrize("storlek", ["mobil", "dator"])
def test_samordnarens_startsida_visar_diagrammen(ny_sida, siffror, storlek):
    sida = ny_sida(storlek)
    logga_in(sida, "kvalitetssamordnare")
    expect(sida.get_by_role("heading", name="Siffror att agera på")).to_be_visible()
    diagram = sida.get_by_role(
        "img", name="Avvikelser per månad i år jämfört med i fjol", exact=False
    )
    expect(diagram).to_be_visible()
    # The numbers a click away.
    panel = sida.locator("article.startfigur").first
    panel.get_by_text("Visa siffrorna").click()
    expect(panel.locator("table")).to_be_visible()
    skarmbild(sida, f"startfigurer-{storlek}")
    sida.screenshot(path=f"/tmp/startfigurer-{storlek}.png", full_page=True)
    ingen_sidledes_rullning(sida)
    kontrollera_axe(sida, f"startfigurer-{storlek}")
