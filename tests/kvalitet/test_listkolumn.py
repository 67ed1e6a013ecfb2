"""The cause areas' text the database keeps on the avvikelse (kvalitet.listkolumn):
every way the links or the names change keeps it equal to what the export's Python path
writes, counted here by hand from the links. PostgreSQL only."""

import pytest
from django.db import connection

from avvikelser.models import Avvikelse, Orsaksomrade
from kvalitet import listkolumn
from tests.factories import AvvikelseFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def postgresql():
    from tests.hjalp import kraver

    kraver(connection.vendor == "postgresql", "Listkolumnen finns bara på PostgreSQL")


def lagrad(avvikelse):
    with connection.cursor() as c:
        c.execute(
            f"SELECT {listkolumn.kolumnnamn('orsaksomraden')} FROM avvikelser_avvikelse "  # noqa: S608
            "WHERE id = %s",
            [avvikelse.pk],
        )
        return c.fetchone()[0]


def for_hand(avvikelse):
    """The names of its cause areas by (ordning, namn), joined by ", "; None without."""
    namn = [
        o.namn for o in sorted(avvikelse.orsaksomraden.all(), key=lambda o: (o.ordning, o.namn))
    ]
    return ", ".join(namn) or None


@pytest.fixture
def orsaker():
    return [
        Orsaksomrade.objects.create(namn=namn, ordning=ordning)
        for namn, ordning in [("Rutiner", 2), ("Bemanning", 1), ("Lokaler", 3)]
    ]


def test_folljer_lankarna(org, orsaker):
    rutiner, bemanning, lokaler = orsaker
    a, b = AvvikelseFactory(enhet=org["EB"]), AvvikelseFactory(enhet=org["EB"])
    assert lagrad(a) is None  # no cause area: an empty cell

    a.orsaksomraden.set([rutiner, lokaler, bemanning])
    assert lagrad(a) == for_hand(a) == "Bemanning, Rutiner, Lokaler"
    assert lagrad(b) is None  # the other case untouched

    a.orsaksomraden.remove(bemanning)
    assert lagrad(a) == for_hand(a) == "Rutiner, Lokaler"
    a.orsaksomraden.add(bemanning)
    b.orsaksomraden.add(lokaler)
    assert lagrad(a) == for_hand(a) == "Bemanning, Rutiner, Lokaler"
    assert lagrad(b) == for_hand(b) == "Lokaler"

    # A link moved from one case to another by a raw update (no Django signal).
    genom = Avvikelse.orsaksomraden.through
    genom.objects.filter(avvikelse=a, orsaksomrade=rutiner).update(avvikelse=b)
    assert lagrad(a) == for_hand(a) == "Bemanning, Lokaler"
    assert lagrad(b) == for_hand(b) == "Rutiner, Lokaler"

    a.orsaksomraden.clear()
    assert lagrad(a) is None


def test_folljer_namn_och_ordning(org, orsaker):
    rutiner, bemanning, lokaler = orsaker
    a, b, c = (AvvikelseFactory(enhet=org["EB"]) for _ in range(3))
    a.orsaksomraden.set([rutiner, bemanning])
    b.orsaksomraden.set([lokaler])
    c.orsaksomraden.set([rutiner])

    bemanning.namn = "Bemanning och schema"
    bemanning.save()
    assert lagrad(a) == for_hand(a) == "Bemanning och schema, Rutiner"

    rutiner.ordning = 0  # first now
    rutiner.save()
    assert lagrad(a) == for_hand(a) == "Rutiner, Bemanning och schema"
    assert lagrad(c) == "Rutiner"
    assert lagrad(b) == "Lokaler"  # names no changed cause area

    lokaler.aktiv = False  # neither name nor order: nothing to recompute
    lokaler.save()
    assert lagrad(b) == for_hand(b) == "Lokaler"

    bemanning.delete()  # Django removes its links first
    assert lagrad(a) == for_hand(a) == "Rutiner"


def test_flera_fall_i_en_sats(org, orsaker):
    """One statement changing the links of many cases (an import, a bulk insert)."""
    rutiner, bemanning, _lokaler = orsaker
    fall = [AvvikelseFactory(enhet=org["EB"]) for _ in range(5)]
    genom = Avvikelse.orsaksomraden.through
    genom.objects.bulk_create(
        [genom(avvikelse=a, orsaksomrade=o) for a in fall for o in (rutiner, bemanning)]
    )
    assert [lagrad(a) for a in fall] == ["Bemanning, Rutiner"] * 5
    genom.objects.filter(orsaksomrade=bemanning, avvikelse__in=fall[:2]).delete()
    assert [lagrad(a) for a in fall] == ["Rutiner"] * 2 + ["Bemanning, Rutiner"] * 3
