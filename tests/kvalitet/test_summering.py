"""The counts the database keeps as avvikelser change (kvalitet.summering) are, after every
kind of write, the counts the definition gives when the cases are counted one by one in
Python: per local day reported and type, by unit and by category; closed per day
reported, day closed and in time; cause areas per day reported. PostgreSQL only
(elsewhere the figures are counted from the cases and the tables are not made)."""

from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from avvikelser import statistik
from avvikelser.choices import Typ
from avvikelser.models import (
    Avvikelse,
    Avvikelseavslut,
    Enhetssumma,
    Kategori,
    Kategorisumma,
    Orsaksomrade,
    Orsakssumma,
)
from kvalitet import statistik as s
from kvalitet import summering
from tests.factories import AvvikelseFactory, EnhetFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def postgresql():
    from tests.hjalp import kraver

    kraver(connection.vendor == "postgresql", "summorna förs bara i PostgreSQL")


def dag(tid):
    return timezone.localdate(tid)


def forvantat():
    """The four summaries counted from the cases in Python, by their definitions."""
    enhet, kategori, avslut, orsak = Counter(), Counter(), Counter(), Counter()
    for a in Avvikelse.objects.prefetch_related("orsaksomraden"):
        enhet[(dag(a.rapporterad), a.typ, a.enhet_id)] += 1
        kategori[(dag(a.rapporterad), a.typ, a.kategori_id)] += 1
        if a.avslutad is not None:
            i_tid = a.tidsfrist is not None and dag(a.avslutad) <= a.tidsfrist
            avslut[(dag(a.rapporterad), a.typ, dag(a.avslutad), i_tid)] += 1
        for o in a.orsaksomraden.all():
            orsak[(dag(a.rapporterad), a.typ, o.pk)] += 1
    return enhet, kategori, avslut, orsak


def rader(modell, *nycklar):
    """A summary's count per key: the sum of the key's rows, keys summing to zero left
    out."""
    summa = Counter()
    for r in modell.objects.values(*nycklar, "antal"):
        summa[tuple(r[k] for k in nycklar)] += r["antal"]
    return Counter({k: n for k, n in summa.items() if n})


def lagrat():
    return (
        rader(Enhetssumma, "rapportdag", "typ", "enhet"),
        rader(Kategorisumma, "rapportdag", "typ", "kategori"),
        rader(Avvikelseavslut, "rapportdag", "typ", "avslutsdag", "i_tid"),
        rader(Orsakssumma, "rapportdag", "typ", "orsaksomrade"),
    )


def stammer():
    forv = forvantat()
    assert lagrat() == forv
    assert sum(forv[0].values()) == Avvikelse.objects.count()  # not vacuous
    return forv


# Local 23:30 on New Year's Eve (22:30 UTC), 00:30 on New Year's Day (23:30 UTC the day
# before), and the night of the spring change of daylight-saving time.
NYARSAFTON = datetime(2025, 12, 31, 22, 30, tzinfo=UTC)
NYARSDAGEN = datetime(2025, 12, 31, 23, 30, tzinfo=UTC)
SOMMARTID = datetime(2026, 3, 29, 0, 59, tzinfo=UTC)


def test_tabellerna_finns_och_fylls_bara_dar_de_kan():
    assert summering.finns(Enhetssumma)
    assert connection.features.supports_nulls_distinct_unique_constraints


def test_summorna_foljer_varje_slags_andring():
    kat1, kat2 = Kategori.objects.all()[:2]
    o1, o2, o3 = Orsaksomrade.objects.all()[:3]
    e1, e2 = EnhetFactory(), EnhetFactory()
    a = AvvikelseFactory(enhet=e1, kategori=kat1, rapporterad=NYARSAFTON)
    b = AvvikelseFactory(enhet=e1, kategori=None, rapporterad=NYARSDAGEN)
    c = AvvikelseFactory(enhet=e2, kategori=kat1, rapporterad=SOMMARTID, typ=Typ.TILLBUD)
    forv = stammer()
    # The same UTC day, two local days.
    assert (date(2025, 12, 31), Typ.AVVIKELSE, e1.pk) in forv[0]
    assert (date(2026, 1, 1), Typ.AVVIKELSE, None) in forv[1]

    # Closed on the deadline day late in the evening (in time), the day after just after
    # midnight (not in time), one without a deadline.
    a.avslutad = timezone.make_aware(datetime.combine(a.tidsfrist, datetime.min.time())) + (
        timedelta(hours=23, minutes=30)
    )
    a.save()
    b.avslutad = timezone.make_aware(datetime.combine(b.tidsfrist, datetime.min.time())) + (
        timedelta(days=1, minutes=30)
    )
    b.save()
    Avvikelse.objects.filter(pk=c.pk).update(tidsfrist=None, avslutad=SOMMARTID + timedelta(1))
    forv = stammer()
    assert sorted(k[3] for k in forv[2]) == [False, False, True]

    # A new category, a unit moved in bulk, a type changed, a case reopened.
    a.kategori = kat2
    a.save()
    Avvikelse.objects.filter(enhet=e1).update(enhet=e2)
    Avvikelse.objects.filter(pk=c.pk).update(typ=Typ.AVVIKELSE)
    b.refresh_from_db()
    b.avslutad = None
    b.save()
    stammer()

    # Cause areas: set, add, remove, clear; a renamed cause area changes nothing.
    a.orsaksomraden.set([o1, o2])
    b.orsaksomraden.add(o1, o3)
    c.orsaksomraden.add(o2)
    stammer()
    a.orsaksomraden.remove(o1)
    b.orsaksomraden.clear()
    Orsaksomrade.objects.filter(pk=o2.pk).update(namn="Nytt namn")
    forv = stammer()
    assert forv[3] == Counter(
        {
            (date(2025, 12, 31), Typ.AVVIKELSE, o2.pk): 1,
            (date(2026, 3, 29), Typ.AVVIKELSE, o2.pk): 1,
        }
    )

    # The date reported moved (an import correcting it), with cause areas kept.
    Avvikelse.objects.filter(pk=a.pk).update(rapporterad=NYARSDAGEN)
    stammer()

    # Deleted through the ORM (links first), and by SQL with the case before its links
    # (the foreign key is checked at commit): both orders count right.
    a.delete()
    stammer()
    with transaction.atomic(), connection.cursor() as cur:
        lank = Avvikelse.orsaksomraden.through._meta.db_table
        cur.execute("DELETE FROM avvikelser_avvikelse WHERE id = %s", [c.pk])
        assert lagrat()[3] == Counter()  # its link counted no more while the row is gone
        cur.execute(f"DELETE FROM {lank} WHERE avvikelse_id = %s", [c.pk])  # noqa: S608
    stammer()
    assert lagrat()[0] == Counter({(date(2026, 1, 1), Typ.AVVIKELSE, e2.pk): 1})
    assert lagrat()[1] == Counter({(date(2026, 1, 1), Typ.AVVIKELSE, None): 1})


def antal_rader():
    return sum(
        m.objects.count() for m in (Enhetssumma, Kategorisumma, Avvikelseavslut, Orsakssumma)
    )


def test_komprimera_ger_en_rad_per_nyckel_och_samma_antal():
    kat1, kat2 = Kategori.objects.all()[:2]
    o1 = Orsaksomrade.objects.first()
    enhet = EnhetFactory()
    for _ in range(4):
        a = AvvikelseFactory(
            enhet=enhet, rapporterad=NYARSAFTON, kategori=kat1, avslutad=NYARSDAGEN
        )
        a.orsaksomraden.add(o1)
    Avvikelse.objects.update(kategori=kat2)
    Avvikelse.objects.update(kategori=kat1)
    fore = lagrat()
    assert antal_rader() > 4  # one row per statement and key
    summering.komprimera()
    assert lagrat() == fore == forvantat()
    # One row per key that counts: unit, category, closing, cause area.
    assert antal_rader() == 4
    summering.komprimera()
    assert antal_rader() == 4 and lagrat() == fore


@pytest.mark.django_db(transaction=True)
def test_samtidiga_andringar_vantar_inte_pa_varandra():
    """Two transactions changing cases of the same key at once: the second writes its
    counts while the first has not committed, without waiting (the triggers only
    insert; no shared counter row is locked)."""
    import psycopg

    a, b = AvvikelseFactory(rapporterad=NYARSAFTON), AvvikelseFactory(rapporterad=NYARSAFTON)
    kat = Kategori.objects.get_or_create(namn="Samtidig")[0]
    s = connection.settings_dict
    with psycopg.connect(
        host=s["HOST"],
        port=s["PORT"] or 5432,
        user=s["USER"],
        password=s["PASSWORD"],
        dbname=s["NAME"],
    ) as annan:
        annan.execute(
            "UPDATE avvikelser_avvikelse SET kategori_id = %s WHERE id = %s", [kat.pk, a.pk]
        )
        with connection.cursor() as cur:
            cur.execute("SET lock_timeout = '2s'")
            Avvikelse.objects.filter(pk=b.pk).update(kategori=kat)  # no lock wait
            cur.execute("RESET lock_timeout")
        annan.commit()
    assert lagrat() == forvantat()
    assert forvantat()[1][(date(2025, 12, 31), Typ.AVVIKELSE, kat.pk)] == 2


def test_bygg_om_ger_samma_som_triggrarna():
    o1 = Orsaksomrade.objects.first()
    for i, tid in enumerate((NYARSAFTON, NYARSDAGEN, SOMMARTID)):
        a = AvvikelseFactory(rapporterad=tid, avslutad=tid + timedelta(days=i))
        a.orsaksomraden.add(o1)
    fore = lagrat()
    Enhetssumma.objects.all().delete()
    Orsakssumma.objects.update(antal=99)
    summering.bygg_om()
    assert lagrat() == fore == forvantat()


def summera(rader, nycklar):
    return Counter(
        {k: n for k, n in s.summera(rader, lambda r: tuple(r[k] for k in nycklar)).items() if n}
    )


def test_rapportens_siffror_ur_summorna_ar_desamma_som_ur_arendena():
    """The year's figures, cause areas and the comparison over years read from the
    summaries equal the same figures counted from the cases, for a cut-off in the middle
    of a month, at a month's end and at the end of the year."""
    kat = Kategori.objects.first()
    o1, o2 = Orsaksomrade.objects.all()[:2]
    enheter = [EnhetFactory(), EnhetFactory()]
    start = datetime(2025, 1, 1, 6, tzinfo=UTC)
    for i in range(60):
        tid = start + timedelta(days=6 * i, hours=i % 20)
        a = AvvikelseFactory(
            enhet=enheter[i % 2],
            kategori=kat if i % 3 else None,
            typ=Typ.TILLBUD if i % 7 == 0 else Typ.AVVIKELSE,
            rapporterad=tid,
            avslutad=tid + timedelta(days=i % 45, hours=i % 9) if i % 4 else None,
        )
        a.orsaksomraden.set([o1] if i % 2 else [o1, o2])
    for till in (date(2025, 6, 14), date(2025, 6, 30), date(2026, 1, 31), None):
        summerat = statistik._fran_summorna(2025, till)
        raknat = statistik._fran_arendena(2025, till)
        for i, nycklar in ((0, ("typ", "enhet", "manad")), (1, ("typ", "kategori"))):
            assert summera(summerat[i], nycklar) == summera(raknat[i], nycklar)
        assert summerat[2:] == raknat[2:]
        assert summerat[3] is not None
    # The cause areas and the comparison over years, with the summaries and without.
    med = (
        statistik.per_orsaksomrade(2025, till=date(2025, 6, 14)),
        statistik.ARENDEN.per_ar([2024, 2025, 2026], till=date(2026, 1, 31), falt="typ"),
    )
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(summering, "finns", lambda *a, **k: False)
        utan = (
            statistik.per_orsaksomrade(2025, till=date(2025, 6, 14)),
            statistik.ARENDEN.per_ar([2024, 2025, 2026], till=date(2026, 1, 31), falt="typ"),
        )
    assert med == utan
    assert med[1][2025]["totalt"] > 0 and med[0]


@pytest.mark.django_db(transaction=True)  # no deferred foreign-key checks pending
def test_truncate_raknar_om():
    o1, _ = Orsaksomrade.objects.get_or_create(namn="Bemanning")  # seeded rows are flushed
    a = AvvikelseFactory(rapporterad=NYARSAFTON)
    a.orsaksomraden.add(o1)
    assert lagrat()[3]
    with connection.cursor() as cur:
        cur.execute(f"TRUNCATE {Avvikelse.orsaksomraden.through._meta.db_table}")  # noqa: S608
    assert lagrat() == forvantat()
    assert lagrat()[3] == Counter()


@pytest.mark.django_db(transaction=True)
def test_migrationen_gar_att_ta_bort_och_gora_om():
    """Backwards the tables, functions and triggers go; forwards again they are made and
    filled for the cases there are."""
    from django.core.management import call_command

    a = AvvikelseFactory(rapporterad=NYARSAFTON, avslutad=NYARSDAGEN)
    a.orsaksomraden.add(Orsaksomrade.objects.get_or_create(namn="Bemanning")[0])
    call_command("migrate", "avvikelser", "0013", verbosity=0)
    try:
        tabeller = connection.introspection.table_names()
        assert Enhetssumma._meta.db_table not in tabeller
        with connection.cursor() as cur:
            cur.execute("SELECT count(*) FROM pg_proc WHERE proname LIKE 'avvikelser_%%summ%%'")
            assert cur.fetchone()[0] == 0
        AvvikelseFactory(rapporterad=SOMMARTID)  # written without the triggers
    finally:
        call_command("migrate", "avvikelser", verbosity=0)
    assert lagrat() == forvantat()
    assert sum(lagrat()[0].values()) == 2


def test_synpunkternas_summor_foljer_andringarna():
    """Synpunkter per day received and type, answered per day answered, closed per day
    closed: after a new one, an answer, a changed type, a closing, a reopening and a
    deletion, the kept counts are those of the synpunkter counted one by one."""
    from synpunkter.models import Svarssumma, Synpunkt, Synpunktavslut, Synpunktsumma
    from tests.factories import SynpunktFactory

    def forv():
        summa, svar, avslut = Counter(), Counter(), Counter()
        for p in Synpunkt.objects.all():
            summa[(dag(p.inkom), p.typ)] += 1
            if p.besvarad:
                svar[(dag(p.inkom), p.typ, dag(p.besvarad))] += 1
            if p.avslutad:
                avslut[(dag(p.inkom), p.typ, dag(p.avslutad))] += 1
        return summa, svar, avslut

    def lag():
        return (
            rader(Synpunktsumma, "inkomstdag", "typ"),
            rader(Svarssumma, "inkomstdag", "typ", "svarsdag"),
            rader(Synpunktavslut, "inkomstdag", "typ", "avslutsdag"),
        )

    p = SynpunktFactory(typ="klagomal", inkom=NYARSAFTON)
    q = SynpunktFactory(typ="berom", inkom=NYARSDAGEN)
    assert lag() == forv()
    Synpunkt.objects.filter(pk=p.pk).update(besvarad=NYARSDAGEN, avslutad=SOMMARTID)
    Synpunkt.objects.filter(pk=q.pk).update(typ="klagomal", besvarad=SOMMARTID)
    assert lag() == forv()
    assert forv()[1][(date(2025, 12, 31), "klagomal", date(2026, 1, 1))] == 1
    Synpunkt.objects.filter(pk=p.pk).update(avslutad=None)
    q.refresh_from_db()
    q.delete()
    assert lag() == forv()
    assert sum(forv()[0].values()) == 1
    summering.komprimera()
    assert lag() == forv()
