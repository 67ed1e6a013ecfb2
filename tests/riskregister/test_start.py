""" "Mina ärenden" lists the risks due for review to their owner and their units' chefs:
within RISK_PAMINNELSE_DAGAR_FORE days or overdue, the overdue marked."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.riskregister.hjalp import risk

pytestmark = pytest.mark.django_db


def _vantande(klient):
    svar = klient.get("/")
    assert svar.status_code == 200
    return {v.rubrik: [(r.nummer, r.forsenad) for r in v.rader] for v in svar.context["vantande"]}


def _i_listan(klient, fraga):
    svar = klient.get(f"/risker/?{fraga}")
    assert svar.status_code == 200
    return set(re.findall(r'href="/risker/(RISK-\d{4}-\d{4})/"', svar.content.decode()))


def test_risker_att_se_over(org, personas, klient_for, settings):
    settings.RISK_PAMINNELSE_DAGAR_FORE = 14
    idag = timezone.localdate()
    forsenad = risk(org["EB"], titel="Försenad", nasta_oversyn=idag - timedelta(days=1))
    snart = risk(
        org["TEAM"],
        titel="Om två veckor",
        nasta_oversyn=idag + timedelta(days=14),
        handlaggare=personas["medarbetare"],
    )
    risk(org["EB"], titel="Om femton dagar", nasta_oversyn=idag + timedelta(days=15))
    risk(org["KOLL"], titel="Annan avdelning", nasta_oversyn=idag)
    risk(org["EB"], titel="Utan översyn")
    borttagen = risk(org["EB"], titel="Borttagen", nasta_oversyn=idag, borttagen=date(2025, 6, 1))
    assert borttagen.status == "borttagen"
    chef = [(forsenad.nummer, True), (snart.nummer, False)]
    assert _vantande(klient_for("enhetschef")) == {"Risker att se över": chef}
    assert _vantande(klient_for("avdelningschef")) == {"Risker att se över": chef}
    # The owner sees their own; the förvaltning's staff do not get every unit's.
    assert _vantande(klient_for("medarbetare")) == {"Risker att se över": [(snart.nummer, False)]}
    assert _vantande(klient_for("kvalitetssamordnare")) == {}
    assert _vantande(klient_for("enhetschef_annan"))["Risker att se över"][0][1] is False
    # "Bara de som väntar på mig" in the list is the start page's: not every open risk
    # of the chef's units, only those due for review.
    for persona in ("enhetschef", "avdelningschef", "medarbetare"):
        klient = klient_for(persona)
        start = {n for n, _ in _vantande(klient)["Risker att se över"]}
        # A chef's list holds more; the medarbetare's only what is theirs.
        alla = _i_listan(klient, "")
        assert alla > start if persona != "medarbetare" else alla == start, persona
        assert _i_listan(klient, "vantar=on") == start, persona
