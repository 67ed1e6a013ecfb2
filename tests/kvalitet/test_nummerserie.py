"""Case numbers: `CaseNumberSeries.next` (one case) continues the same series as
`reservera` (imports), without gaps, and concurrent cases never share a number.

`next` takes the row lock with its first statement (an UPDATE) and holds it until the
caller's transaction ends, so a rolled-back case gives its number back."""

import threading

import pytest
from django.db import connection, transaction

from kvalitet.models import CaseNumberSeries
from tests.hjalp import kraver


@pytest.mark.django_db
def test_next_skapar_arets_serie_och_fortsatter_den_som_reservera():
    assert CaseNumberSeries.next("TST", 2026) == "TST-2026-0001"
    assert CaseNumberSeries.next("TST", 2026) == "TST-2026-0002"
    assert CaseNumberSeries.reservera("TST", 2026, 3) == [
        "TST-2026-0003",
        "TST-2026-0004",
        "TST-2026-0005",
    ]
    assert CaseNumberSeries.next("TST", 2026) == "TST-2026-0006"
    assert CaseNumberSeries.next("TST", 2027) == "TST-2027-0001"  # a new year starts over
    assert CaseNumberSeries.next("ANN", 2026) == "ANN-2026-0001"  # another prefix too
    serier = CaseNumberSeries.objects.order_by("prefix", "ar").values_list(
        "prefix", "ar", "senaste"
    )
    assert list(serier) == [("ANN", 2026, 1), ("TST", 2026, 6), ("TST", 2027, 1)]


@pytest.mark.django_db
def test_ett_nummer_i_en_transaktion_som_rullas_tillbaka_ges_tillbaka():
    assert CaseNumberSeries.next("TST", 2026) == "TST-2026-0001"
    with pytest.raises(RuntimeError), transaction.atomic():
        assert CaseNumberSeries.next("TST", 2026) == "TST-2026-0002"
        raise RuntimeError("ärendet kunde inte sparas")
    assert CaseNumberSeries.next("TST", 2026) == "TST-2026-0002"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_samtidiga_arenden_far_olika_nummer_utan_luckor():
    kraver(connection.vendor == "postgresql", "radlåset prövas i PostgreSQL")
    CaseNumberSeries.objects.create(prefix="TST", ar=2026, senaste=0)
    nummer, fel = [], []
    start = threading.Barrier(4)

    def arbetare():
        try:
            start.wait()
            for _ in range(10):
                with transaction.atomic():
                    nr = CaseNumberSeries.next("TST", 2026)
                    # Hold the lock a moment, as a case's transaction does.
                    connection.cursor().execute("SELECT pg_sleep(0.002)")
                nummer.append(nr)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            fel.append(exc)
        finally:
            connection.close()

    tradar = [threading.Thread(target=arbetare) for _ in range(4)]
    for t in tradar:
        t.start()
    for t in tradar:
        t.join(30)
    assert fel == []
    assert sorted(nummer) == [f"TST-2026-{n:04d}" for n in range(1, 41)]
