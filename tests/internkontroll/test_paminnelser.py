"""Reminders of control occasions (internkontroll.tasks.paminn): to the named performer –
or, without one or when they are no longer one, the performing unit's chefs – once when
the occasion is due within INTERNKONTROLL_PAMINNELSE_DAGAR_FORE days, and once when its
due date has passed without a result; none for a recorded result, nor for an occasion
of a plan that is not the decided one in force. The outbox is `kvalitet.models.Utskick`."""

from datetime import date, timedelta

import pytest

from internkontroll.choices import Tillfallestatus
from internkontroll.models import Kontrolltillfalle
from internkontroll.tasks import paminn
from kvalitet.models import Beslutsstatus, Uppdrag, Utskick
from tests.internkontroll.hjalp import kontroll, plan, tillfalle

pytestmark = pytest.mark.django_db

FORFALLER = date(2026, 4, 30)


def mottagare():
    return sorted(Utskick.objects.values_list("mottagare", flat=True))


@pytest.fixture
def t(org, personas, settings):
    """SN 1's first occasion (due 2026-04-30) of the decided plan 2026, performed by
    `medarbetare` of Ekonomiskt bistånd."""
    settings.INTERNKONTROLL_PAMINNELSE_DAGAR_FORE = 14
    p = plan(2026, status=Beslutsstatus.FASTSTALLD)
    return tillfalle(kontroll(p, org["EB"], kod="SN 1", utforare=personas["medarbetare"]))


def test_utforaren_paminns_en_gang_fore_och_en_gang_efter(t, personas):
    assert paminn(FORFALLER - timedelta(days=15)) == 0
    assert Utskick.objects.count() == 0
    assert paminn(FORFALLER - timedelta(days=14)) == 1
    assert mottagare() == [personas["medarbetare"].email]
    snart = Utskick.objects.get()
    assert snart.amne == f"Internkontroll {t.nummer}: ska vara klar 2026-04-30"
    assert f"/internkontroll/{t.nummer}/" in snart.text
    assert "Kontrollen SN 1 (Ekonomiskt bistånd) ska vara genomförd" in snart.text
    assert "Dagen har passerat" not in snart.text
    # Not again before it is due – nor on the due date itself, which is not overdue.
    for dag in (FORFALLER - timedelta(days=13), FORFALLER - timedelta(days=1), FORFALLER):
        assert paminn(dag) == 0, dag
    # The day after: overdue, reminded once.
    assert paminn(FORFALLER + timedelta(days=1)) == 1
    forsenad = Utskick.objects.latest("pk")
    assert forsenad.amne == f"Internkontroll {t.nummer}: resultatet är försenat"
    assert "Dagen har passerat och inget resultat är registrerat." in forsenad.text
    for dag in (FORFALLER + timedelta(days=2), FORFALLER + timedelta(days=60)):
        assert paminn(dag) == 0, dag
    assert Utskick.objects.count() == 2
    assert mottagare() == [personas["medarbetare"].email] * 2


def test_forst_sett_efter_forfallodagen_paminns_bara_som_forsenat(t):
    assert paminn(FORFALLER + timedelta(days=10)) == 1
    assert list(Utskick.objects.values_list("amne", flat=True)) == [
        f"Internkontroll {t.nummer}: resultatet är försenat"
    ]
    assert paminn(FORFALLER + timedelta(days=11)) == 0


def test_antal_dagar_fore_ar_en_installning(t, settings):
    settings.INTERNKONTROLL_PAMINNELSE_DAGAR_FORE = 3
    assert paminn(FORFALLER - timedelta(days=4)) == 0
    assert paminn(FORFALLER - timedelta(days=3)) == 1


def test_utan_utforare_paminns_enhetens_chef(org, personas, settings):
    settings.INTERNKONTROLL_PAMINNELSE_DAGAR_FORE = 14
    p = plan(2026, status=Beslutsstatus.FASTSTALLD)
    tillfalle(kontroll(p, org["EB"], kod="SN 2"))
    assert paminn(FORFALLER - timedelta(days=7)) == 1
    assert mottagare() == [personas["enhetschef"].email]


def test_chefen_paminns_nar_utforaren_inte_langre_ar_utforare(t, personas):
    Uppdrag.objects.filter(anvandare=personas["medarbetare"]).update(
        giltig_till=FORFALLER - timedelta(days=30)
    )
    assert paminn(FORFALLER - timedelta(days=7)) == 1
    assert mottagare() == [personas["enhetschef"].email]


def test_inget_for_registrerat_resultat(t):
    Kontrolltillfalle.objects.filter(pk=t.pk).update(
        status=Tillfallestatus.KLAR, kontrollerad=date(2026, 4, 20), bedomning="utan_anmarkning"
    )
    for dag in (FORFALLER - timedelta(days=7), FORFALLER + timedelta(days=7)):
        assert paminn(dag) == 0
    assert Utskick.objects.count() == 0


@pytest.mark.parametrize("status", [Beslutsstatus.UTKAST, Beslutsstatus.ERSATT])
def test_inget_for_en_plan_som_inte_galler(org, personas, settings, status):
    """An occasion of a draft plan (test setup: a decision creates them), or of a
    replaced version's removed control: no reminder."""
    settings.INTERNKONTROLL_PAMINNELSE_DAGAR_FORE = 14
    p = plan(2026, status=status)
    tillfalle(kontroll(p, org["EB"], kod="SN 1", utforare=personas["medarbetare"]))
    for dag in (FORFALLER - timedelta(days=7), FORFALLER + timedelta(days=7)):
        assert paminn(dag) == 0
    assert Utskick.objects.count() == 0


def test_flera_tillfallen_var_for_sig(t, org, personas):
    """Each occasion is reminded on its own: the second (due 2026-08-31) not yet."""
    tillfalle(t.kontroll, 2, forfaller=date(2026, 8, 31))
    assert paminn(date(2026, 4, 20)) == 1
    assert paminn(date(2026, 8, 20)) == 2  # the first overdue, the second due soon
    assert Utskick.objects.count() == 3
