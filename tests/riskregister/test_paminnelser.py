"""Reminders of a risk's next review (riskregister.tasks.paminn): to its owner – or, when
the owner is no longer one, the unit's chefs – once per review date, from
RISK_PAMINNELSE_DAGAR_FORE days before it (and after it, if not yet sent); none for a
removed risk. The outbox is `kvalitet.models.Utskick`."""

from datetime import date, timedelta

import pytest
from django.conf import settings as django_settings

from kvalitet.models import Uppdrag, Utskick
from riskregister.choices import Status
from riskregister.models import Risk
from riskregister.tasks import paminn
from tests.riskregister.hjalp import risk

pytestmark = pytest.mark.django_db

OVERSYN = date(2026, 3, 20)


def mottagare():
    return sorted(Utskick.objects.values_list("mottagare", flat=True))


@pytest.fixture
def r(org, personas):
    """A risk of Ekonomiskt bistånd owned by the medarbetare there, reviewed 2026-03-20."""
    return risk(
        org["EB"],
        titel="Orosanmälan bedöms sent",
        handlaggare=personas["medarbetare"],
        nasta_oversyn=OVERSYN,
    )


def test_agaren_paminns_en_gang_fran_fjorton_dagar_fore(r, personas, settings):
    settings.RISK_PAMINNELSE_DAGAR_FORE = 14
    assert paminn(OVERSYN - timedelta(days=15)) == 0
    assert Utskick.objects.count() == 0
    assert paminn(OVERSYN - timedelta(days=14)) == 1
    assert mottagare() == [personas["medarbetare"].email]
    utskick = Utskick.objects.get()
    assert utskick.amne == f"Risk {r.nummer}: översyn senast 2026-03-20"
    assert f"/risker/{r.nummer}/" in utskick.text
    assert "ska ses över senast 2026-03-20" in utskick.text
    # Once per review date: not the day after, not on it, not after it.
    for dag in (OVERSYN - timedelta(days=13), OVERSYN, OVERSYN + timedelta(days=30)):
        assert paminn(dag) == 0
    assert Utskick.objects.count() == 1


def test_en_ny_oversynsdag_ger_en_ny_paminnelse(r, personas):
    paminn(OVERSYN)
    ny = date(2026, 9, 1)
    Risk.objects.filter(pk=r.pk).update(nasta_oversyn=ny)
    assert paminn(OVERSYN + timedelta(days=1)) == 0  # 164 days before the new date
    assert paminn(ny - timedelta(days=django_settings.RISK_PAMINNELSE_DAGAR_FORE)) == 1
    assert paminn(ny) == 0
    amnen = sorted(Utskick.objects.values_list("amne", flat=True))
    assert amnen == [
        f"Risk {r.nummer}: översyn senast 2026-03-20",
        f"Risk {r.nummer}: översyn senast 2026-09-01",
    ]


def test_en_forsenad_oversyn_paminns_om_den_inte_redan_paminnts(r):
    assert paminn(OVERSYN + timedelta(days=40)) == 1
    assert paminn(OVERSYN + timedelta(days=41)) == 0


def test_antal_dagar_fore_ar_en_installning(r, settings):
    settings.RISK_PAMINNELSE_DAGAR_FORE = 0
    assert paminn(OVERSYN - timedelta(days=1)) == 0
    assert paminn(OVERSYN) == 1


def test_chefen_paminns_nar_agaren_inte_langre_ar_agare(r, personas):
    """The owner's assignment has ended: the unit's enhetschef is reminded instead."""
    Uppdrag.objects.filter(anvandare=personas["medarbetare"]).update(
        giltig_till=OVERSYN - timedelta(days=30)
    )
    assert paminn(OVERSYN) == 1
    assert mottagare() == [personas["enhetschef"].email]


def test_chefen_paminns_for_en_risk_utan_agare(org, personas):
    """Without an owner: the nearest enhetschef above (the team Mottagning has none of
    its own: the one of Ekonomiskt bistånd); another avdelning's risk its own chef."""
    team = risk(org["TEAM"], titel="Team", nasta_oversyn=OVERSYN)
    koll = risk(org["KOLL"], titel="HVB", nasta_oversyn=OVERSYN)
    assert paminn(OVERSYN) == 2
    per_risk = {u.amne.split(":")[0]: u.mottagare for u in Utskick.objects.all()}
    assert per_risk == {
        f"Risk {team.nummer}": personas["enhetschef"].email,
        f"Risk {koll.nummer}": personas["enhetschef_annan"].email,
    }


def test_forslag_paminns_borttagna_och_utan_datum_inte(org, personas):
    forslag = risk(org["EB"], titel="Förslag", status=Status.FORESLAGEN, nasta_oversyn=OVERSYN)
    risk(org["EB"], titel="Borta", borttagen=date(2026, 1, 1), nasta_oversyn=OVERSYN)
    risk(org["EB"], titel="Utan datum")
    assert paminn(OVERSYN) == 1
    assert Utskick.objects.get().amne.startswith(f"Risk {forslag.nummer}:")


def test_uppgiften_ar_schemalagd():
    uppgifter = {v["task"] for v in django_settings.CELERY_BEAT_SCHEDULE.values()}
    assert "riskregister.tasks.paminn" in uppgifter
