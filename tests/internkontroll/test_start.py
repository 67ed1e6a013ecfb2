""" "Mina ärenden" lists the control occasions due within
INTERNKONTROLL_PAMINNELSE_DAGAR_FORE days or overdue to the performing unit's chefs and
the named performer; recorded ones, those of a draft plan and later ones are not."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from internkontroll.choices import Tillfallestatus
from kvalitet.models import Beslutsstatus
from tests.internkontroll.hjalp import kontroll, plan, tillfalle

pytestmark = pytest.mark.django_db


def _vantande(klient):
    svar = klient.get("/")
    assert svar.status_code == 200
    return {v.rubrik: [(r.nummer, r.forsenad) for r in v.rader] for v in svar.context["vantande"]}


def _i_listan(klient, fraga):
    svar = klient.get(f"/internkontroll/?{fraga}")
    assert svar.status_code == 200
    return set(re.findall(r'href="/internkontroll/(IK-\d{4}-\d{4})/"', svar.content.decode()))


def test_kontroller_att_genomfora(org, personas, klient_for, settings):
    settings.INTERNKONTROLL_PAMINNELSE_DAGAR_FORE = 14
    idag = timezone.localdate()
    p = plan(idag.year, status=Beslutsstatus.FASTSTALLD)
    eb = kontroll(p, org["EB"], kod="SN 1")
    # Named to a medarbetare of Ekonomiskt bistånd, performed in its team Mottagning.
    egen = kontroll(p, org["TEAM"], kod="SN 2", utforare=personas["medarbetare"])
    forsenat = tillfalle(eb, 1, forfaller=idag - timedelta(days=1))
    snart = tillfalle(eb, 2, forfaller=idag + timedelta(days=14))
    tillfalle(eb, 3, forfaller=idag + timedelta(days=15))
    tillfalle(eb, 4, forfaller=idag - timedelta(days=3), status=Tillfallestatus.KLAR)
    namngivet = tillfalle(egen, 1, forfaller=idag)
    utkast = plan(idag.year + 1)
    tillfalle(kontroll(utkast, org["EB"], kod="SN 9"), 1, forfaller=idag)
    rubrik = "Kontroller att genomföra"
    chef = [(forsenat.nummer, True), (namngivet.nummer, False), (snart.nummer, False)]
    assert _vantande(klient_for("enhetschef")) == {rubrik: chef}
    assert _vantande(klient_for("avdelningschef")) == {rubrik: chef}
    assert _vantande(klient_for("medarbetare")) == {rubrik: [(namngivet.nummer, False)]}
    assert _vantande(klient_for("enhetschef_annan")) == {}
    # Staben sees every occasion in the list, but its start page is not every unit's.
    assert _vantande(klient_for("kvalitetssamordnare")) == {}
    # "Bara de som väntar på mig" in the list is the start page's: not the recorded
    # occasion, the later one or the draft plan's, though they are open to the chef.
    for persona in ("enhetschef", "medarbetare"):
        klient = klient_for(persona)
        start = {n for n, _ in _vantande(klient)[rubrik]}
        # A chef's list holds more; the medarbetare's only what is theirs.
        alla = _i_listan(klient, "")
        assert alla > start if persona != "medarbetare" else alla == start, persona
        assert _i_listan(klient, "vantar=on") == start, persona
