"""The lex Sarah case of a marked avvikelse is opened once, also when the signal's
receiver and the förvaltningschef's manual "Öppna lex Sarah-ärendet" (or two deliveries
of the signal) run at the same moment: both look for an existing case, find none, and
write – the unique constraint on the source (`lexsarah_en_per_kalla`) lets one through,
and the other returns that one (PostgreSQL, two connections; see
tests/kvalitet/test_samtidighet.py)."""

import pytest

from lexsarah.choices import Vag
from lexsarah.models import LexSarah
from tests.factories import AvvikelseFactory
from tests.kvalitet.test_samtidighet import (
    Kapplopning,
    postgresql,  # noqa: F401 (fixture)
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_tva_samtidiga_oppnanden_ger_ett_arende(postgresql, org, personas, monkeypatch):  # noqa: F811
    avv = AvvikelseFactory(
        enhet=org["EB"],
        rapporterad_av=personas["medarbetare"],
        fc_stallningstagande="allvarligt",
    )
    fc = personas["forvaltningschef"]
    kapp = Kapplopning(LexSarah, monkeypatch)
    resultat = kapp.kor(
        None, lambda _obj, _namn: LexSarah.fran_arende(avv, av=fc, vag=Vag.AVVIKELSE)
    )
    fel = [r for r in resultat.values() if isinstance(r, BaseException)]
    assert not fel, fel
    assert LexSarah.objects.filter(kalla_id=avv.pk).count() == 1
    # Both got the one case: the second found the first one's row after the conflict.
    assert resultat["A"].pk == resultat["B"].pk
