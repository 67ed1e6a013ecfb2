"""The fast CSV path (PostgreSQL's COPY, kvalitet.export.kopiera_csv) writes byte for
byte what the Python path writes, from the same column declarations, for tricky data:
å/ä/ö, quotes, semicolons, newlines, formula-like text, NULLs, times around the
daylight-saving changes and every choice of every choice column. PostgreSQL only."""

import itertools
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test import RequestFactory

from avvikelser.models import Avvikelse, Kategori, Orsaksomrade
from kvalitet import exporter
from kvalitet.export import (
    BOM,
    Kolumn,
    bundna,
    csv_rubrikrad,
    csv_text,
    kan_kopiera,
    kopiera_csv,
)
from kvalitet.models import Export, Exportstatus
from tests.factories import AvvikelseFactory, SynpunktFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def postgresql():
    from tests.hjalp import kraver

    kraver(connection.vendor == "postgresql", "COPY-vägen kräver PostgreSQL")


TEXTER = [
    "Åsa, Ärlig & Östen – räksmörgås",
    'Hon sa "nej"; sedan gick hon',
    "rad ett\nrad två\r\nrad tre\r",
    "=cmd|' /C calc'!A0",
    "+46 70 123 45 67",
    "-5",
    "@SUMMA(A1)",
    "\tinledande tabb",
    "\rinledande retur",
    '"',
    ";",
    " mellanslag ",
    "",
    "\\.",
    "tecken: % %s %(x)s {} \\N",
]

# Around the changes: 2026-03-29 01:00 UTC (02:00 → 03:00 local) and 2025-10-26 01:00 UTC
# (03:00 → 02:00 local: 00:30 and 01:30 UTC are both 02:30 local).
TIDER = [
    datetime(2026, 3, 29, 0, 59, tzinfo=UTC),
    datetime(2026, 3, 29, 1, 0, tzinfo=UTC),
    datetime(2025, 10, 26, 0, 30, tzinfo=UTC),
    datetime(2025, 10, 26, 1, 30, tzinfo=UTC),
    datetime(2025, 12, 31, 23, 59, 59, tzinfo=UTC),
    datetime(2026, 6, 30, 22, 0, 0, 999999, tzinfo=UTC),
]


def lista(vy_klass, user, params=""):
    from django.http import QueryDict

    request = RequestFactory().get("/", QueryDict(params))
    request.user = user
    vy = vy_klass()
    vy.setup(request)
    return vy.filterset().qs, vy.exportkolumner()


def bada(queryset, kolumner):
    """(Python path bytes, COPY path bytes) of the same export."""
    assert kan_kopiera(queryset, kolumner)
    python = "".join(csv_text(queryset, kolumner)).encode()
    delar = [(BOM + csv_rubrikrad(kolumner)).encode()]
    antal = kopiera_csv(queryset, kolumner, delar.append, var=3)
    return python, b"".join(delar), antal


def test_avvikelser_lika_byte_for_byte(org, personas):
    from avvikelser.choices import Stallningstagande, Status, Typ
    from avvikelser.views import ListaView

    kategorier = [Kategori.objects.create(namn=t or "tom") for t in TEXTER[:4]] + [None]
    orsaker = [
        Orsaksomrade.objects.create(namn=namn, ordning=ordning)
        for namn, ordning in [("Ö sist", 1), ("=formel", 0), ('A "citat"; x', 0), ("b", 2)]
    ]
    val = list(
        itertools.product(Typ.values, Status.values, [*Stallningstagande.values, "", "okänt"])
    )
    fall = []
    for i, (typ, status, fc) in enumerate(val):
        a = AvvikelseFactory(enhet=org["EB"] if i % 2 else org["TEAM"])
        Avvikelse.objects.filter(pk=a.pk).update(
            typ=typ,
            status=status,
            fc_stallningstagande=fc,
            kategori=kategorier[i % len(kategorier)],
            rapporterad=TIDER[i % len(TIDER)],
            handelsedatum=date(2025, 1, 1) + timedelta(days=i),
            beror_enskild=bool(i % 2),
            beskrivning=TEXTER[i % len(TEXTER)],
            konsekvenser=TEXTER[(i + 1) % len(TEXTER)],
            omedelbara_atgarder=TEXTER[(i + 2) % len(TEXTER)],
            analys=TEXTER[(i + 3) % len(TEXTER)],
            vidtagna_atgarder=TEXTER[(i + 4) % len(TEXTER)],
            tidsfrist=None if i % 3 else date(2026, 3, 29),
            avslutad=None if i % 4 else TIDER[(i + 1) % len(TIDER)],
        )
        a.orsaksomraden.set(orsaker[: i % (len(orsaker) + 1)])
        fall.append(a)
    qs, kolumner = lista(ListaView, personas["kvalitetssamordnare"])
    python, copy, antal = bada(qs, kolumner)
    assert antal == len(fall) == len(val)
    assert copy == python
    text = python.decode()
    for vantat in ("2026-03-29 01:59", "2026-03-29 03:00", "2025-10-26 02:30", "2026-01-01 00:59"):
        assert vantat in text
    assert '\'=formel, A ""citat""; x, Ö sist' in text
    assert "Ja" in text and "Nej" in text and "okänt" in text
    assert ";'=cmd|' /C calc'!A0;" in text


def test_synpunkter_lika_byte_for_byte(org, personas):
    from synpunkter.choices import Avsandare, Delegationsstatus, Kanal, Svarssatt, Typ
    from synpunkter.models import Synpunkt
    from synpunkter.views import ListaView

    langst = max(len(c.values) for c in (Typ, Kanal, Avsandare, Svarssatt, Delegationsstatus))
    for i in range(langst + 2):
        s = SynpunktFactory(enhet=org["EB"])
        Synpunkt.objects.filter(pk=s.pk).update(
            typ=Typ.values[i % len(Typ.values)],
            kanal=Kanal.values[i % len(Kanal.values)],
            avsandare=Avsandare.values[i % len(Avsandare.values)],
            svarssatt=([*Svarssatt.values, ""])[i % (len(Svarssatt.values) + 1)],
            delegation_status=Delegationsstatus.values[i % len(Delegationsstatus.values)],
            beskrivning=TEXTER[i % len(TEXTER)],
            inkom=TIDER[i % len(TIDER)],
            brustit=[True, False, None][i % 3] if _nullbar(Synpunkt, "brustit") else bool(i % 2),
        )
    qs, kolumner = lista(ListaView, personas["kvalitetssamordnare"])
    python, copy, antal = bada(qs, kolumner)
    assert antal == langst + 2
    assert copy == python


def _nullbar(modell, falt):
    return modell._meta.get_field(falt).null


def test_personkolumnen_lika_som_str_user(org, personas):
    """A person column (e.g. the egenkontroll's "Ansvarig") in SQL is `str(user)`: the
    full name, else the username; guarded like any text."""
    from django.db.models import F

    from internkontroll.egenvyer import ListaView
    from kvalitet.export import _Person, _Vaktad
    from kvalitet.lib.kalkylark import csv_cell
    from kvalitet.models import User

    qs, kolumner = lista(ListaView, personas["kvalitetssamordnare"])
    assert [k.falt for k in bundna(qs.model, kolumner) if k.typ == Kolumn.PERSON] == ["handlaggare"]
    anvandare = [
        UserFactory(username="bara_anvandarnamn", first_name="", last_name=""),
        UserFactory(username="u2", first_name="Åke", last_name=""),
        UserFactory(username="u3", first_name="", last_name="Öberg"),
        UserFactory(username="u4", first_name="=Eva", last_name="Ek"),
        UserFactory(username="u5", first_name=" Per ", last_name=" Persson\t"),
    ]
    # The expression on the User row itself (in an export it reads through the relation).
    person = _Person.__new__(_Person)
    super(_Person, person).__init__(F("first_name"), F("last_name"), F("username"))
    texter = dict(
        User.objects.filter(pk__in=[u.pk for u in anvandare])
        .annotate(t=_Vaktad(person, beraknad=True))
        .values_list("pk", "t")
    )
    for u in anvandare:
        assert texter[u.pk] == csv_cell(str(u)), (texter[u.pk], str(u))


def test_jobbet_anvander_copy_pa_postgresql(org, personas, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    for _ in range(3):
        AvvikelseFactory(enhet=org["EB"], beskrivning="Ett fall; med semikolon")
    anrop = []
    original = exporter.kopiera_csv

    def spion(*args, **kwargs):
        anrop.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(exporter, "kopiera_csv", spion)
    from avvikelser.views import ListaView

    jobb = Export.objects.create(
        anvandare=personas["kvalitetssamordnare"],
        lista=f"{ListaView.__module__}.{ListaView.__qualname__}",
        rubrik="Avvikelser",
        format="csv",
        filnamn="avvikelser.csv",
    )
    assert exporter.kor(jobb.pk) == Exportstatus.KLAR
    assert anrop == [1]
    jobb.refresh_from_db()
    qs, kolumner = lista(ListaView, personas["kvalitetssamordnare"])
    assert jobb.sokvag.read_bytes() == "".join(csv_text(qs, kolumner)).encode()
    assert connection.vendor == "postgresql"


@pytest.mark.django_db(transaction=True)  # autocommit, as the export job runs
def test_jit_av_bara_for_kopian_och_felet_nar_fram_inuti_en_transaktion(org, personas):
    """The COPY runs with JIT off for its own transaction (or savepoint) only; a failure
    while writing reaches the caller as itself, also inside an outer transaction (where a
    reset afterwards would fail on the aborted transaction and hide it)."""
    from django.db import DataError, transaction
    from django.db.models.expressions import RawSQL

    from avvikelser.views import ListaView

    AvvikelseFactory(enhet=org["EB"])
    qs, kolumner = lista(ListaView, personas["kvalitetssamordnare"])

    def jit():
        with connection.cursor() as c:
            c.execute("SHOW jit")
            return c.fetchone()[0]

    fore = jit()
    skrivet = []
    assert kopiera_csv(qs, kolumner, skrivet.append) == 1
    assert skrivet and jit() == fore  # autocommit: nothing left behind

    # A statement that fails in the database (division by zero for every row).
    trasig = qs.filter(pk=RawSQL('"avvikelser_avvikelse"."id" / 0', ()))  # noqa: S611
    with transaction.atomic():
        with pytest.raises(DataError, match="division by zero"):
            kopiera_csv(trasig, kolumner, skrivet.append)
        assert jit() == fore  # the savepoint's rollback undid it; the transaction lives
        assert Avvikelse.objects.count() == 1
        assert kopiera_csv(qs, kolumner, skrivet.append) == 1
        assert jit() == "off"  # inside an outer transaction: until that one ends
    assert jit() == fore


def test_avbruten_skrivning_lamnar_anslutningen_hel(org, personas, monkeypatch):
    """A write that fails mid-way (a full disk) stops the COPY while rows are still
    coming: the caller gets that error, and the connection answers the next query."""
    from avvikelser.views import ListaView
    from kvalitet import export

    for i in range(7):
        AvvikelseFactory(enhet=org["EB"], beskrivning=f"Fall {i}")
    qs, kolumner = lista(ListaView, personas["kvalitetssamordnare"])
    monkeypatch.setattr(export, "SKRIV_VAR", 2)
    skrivet = []

    def full_disk(data):
        if skrivet:
            raise OSError(28, "No space left on device")
        skrivet.append(data)

    with pytest.raises(OSError, match="No space left"):
        kopiera_csv(qs, kolumner, full_disk, var=2)
    assert len(skrivet) == 1  # the first two rows, then the failure
    assert Avvikelse.objects.count() == 7
    with connection.cursor() as c:
        c.execute("SELECT 1")
        assert c.fetchone() == (1,)
