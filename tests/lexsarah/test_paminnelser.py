"""Reminders of lex Sarah steps past their target date (lexsarah.tasks.paminn), with a
frozen clock: once per target date, to the unit's chefs, the avdelningschef, the
utredare and the förvaltningschef; none before the date, none for a closed case."""

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from kvalitet.models import Utskick
from lexsarah.models import LexSarah
from lexsarah.tasks import paminn

pytestmark = pytest.mark.django_db

# 10:00 in Stockholm on Monday 2 March 2026.
RAPPORTERAD = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def ls(org, personas, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: RAPPORTERAD)
    return LexSarah.objects.create(
        enhet=org["EB"],
        vag="rapport",
        kalla="egen",
        beskrivning="Beslut till fel adress.",
        rapporterad=RAPPORTERAD,
        rapporterad_av=personas["medarbetare"],
    )


def kor(monkeypatch, dagar):
    """Run the daily task `dagar` days after the rapport."""
    monkeypatch.setattr(timezone, "now", lambda: RAPPORTERAD + timedelta(days=dagar))
    return paminn()


def mottagare():
    return sorted(Utskick.objects.values_list("mottagare", flat=True))


def test_forsenade_omedelbara_atgarder_paminns_en_gang(ls, personas, monkeypatch):
    assert ls.tidsfrist == timezone.localdate(RAPPORTERAD) + timedelta(days=1)
    assert kor(monkeypatch, 1) == 0  # the target day itself is in time
    assert kor(monkeypatch, 2) == 3
    assert mottagare() == sorted(
        personas[p].email for p in ("enhetschef", "avdelningschef", "forvaltningschef")
    )
    amne = Utskick.objects.values_list("amne", flat=True).first()
    assert amne == f"Lex Sarah {ls.nummer}: omedelbara åtgärder är försenad"
    assert kor(monkeypatch, 3) == 0  # once per target date
    assert Utskick.objects.count() == 3


def test_nasta_steg_har_egen_frist_och_egen_paminnelse(ls, personas, monkeypatch):
    LexSarah.objects.filter(pk=ls.pk).update(omedelbara_datum=timezone.localdate(RAPPORTERAD))
    ls.refresh_from_db()
    ls.save()
    assert ls.tidsfrist == timezone.localdate(RAPPORTERAD) + timedelta(
        days=django_settings.LEXSARAH_FRIST_UTREDNINGSBESLUT_DAGAR
    )
    assert kor(monkeypatch, 7) == 0
    assert kor(monkeypatch, 8) == 3
    assert "beslut om utredning är försenad" in Utskick.objects.values_list("amne", flat=True)[0]


def test_utredaren_paminns_medan_hen_ar_utredare(ls, personas, monkeypatch):
    LexSarah.objects.filter(pk=ls.pk).update(handlaggare=personas["utredare"])
    kor(monkeypatch, 2)
    assert personas["utredare"].email in mottagare()


def test_avslutat_arende_paminns_inte(ls, monkeypatch):
    LexSarah.objects.filter(pk=ls.pk).update(status="avslutad", tidsfrist=None)
    assert kor(monkeypatch, 30) == 0


def test_uppgiften_ar_schemalagd():
    uppgifter = {v["task"] for v in django_settings.CELERY_BEAT_SCHEDULE.values()}
    assert "lexsarah.tasks.paminn" in uppgifter
