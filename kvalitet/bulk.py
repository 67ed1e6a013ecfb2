"""Bulk writes of many records at once, with their change history: the import's writing
(`kvalitet.importering`), kept apart from its reading and validation.

On PostgreSQL rows are written with COPY, several times faster than INSERT for 100 000
rows, and updates go through a temporary table; elsewhere Django's and simple-history's
bulk methods are used. Change-history rows are written as simple-history's bulk helpers
write them, since `bulk_create` and `update` write no history by themselves.
"""

import operator
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models
from simple_history.utils import (
    bulk_create_with_history,
    bulk_update_with_history,
    get_history_model_for_model,
)

# Rows per INSERT/UPDATE: a moderate statement size on PostgreSQL, within SQLite's
# variable limit.
BATCH = 1000

# Fields whose Python values psycopg writes as they are (DateTimeField is a DateField,
# the auto and positive integer fields are IntegerFields). Other fields are converted
# with get_db_prep_save.
_RAKA_FALT = (
    models.CharField,
    models.TextField,
    models.BooleanField,
    models.IntegerField,
    models.DateField,
    models.TimeField,
    models.ForeignKey,
)


def _radbyggare(falt):
    """A function from an instance to the tuple of its column values for `falt`."""
    if all(isinstance(f, _RAKA_FALT) for f in falt):
        if len(falt) == 1:
            hamta1 = operator.attrgetter(falt[0].attname)
            return lambda obj: (hamta1(obj),)
        return operator.attrgetter(*(f.attname for f in falt))

    def rad(obj):
        return tuple(
            getattr(obj, f.attname)
            if isinstance(f, _RAKA_FALT)
            else f.get_db_prep_save(getattr(obj, f.attname), connection)
            for f in falt
        )

    return rad


def _kopiera(tabell: str, falt, rader) -> None:
    """PostgreSQL COPY of `rader` (tuples in the order of `falt`) into a table."""
    q = connection.ops.quote_name
    sql = f"COPY {q(tabell)} ({', '.join(q(f.column) for f in falt)}) FROM STDIN"
    with connection.cursor() as c, c.cursor.copy(sql) as kopia:
        for rad in rader:
            kopia.write_row(rad)


def infoga(modell, objs: list, *, med_id=True) -> list:
    """Insert new instances in bulk; with `med_id` their primary keys are set.

    On PostgreSQL the rows are written with COPY, several times faster than INSERT for
    100 000 rows; the ids are drawn from the table's sequence first. Elsewhere
    `bulk_create` (SQLite ≥ 3.35 returns the ids)."""
    if not objs:
        return objs
    if connection.vendor != "postgresql":
        skapade = modell._default_manager.bulk_create(objs, batch_size=BATCH)
        assert not med_id or all(o.pk is not None for o in skapade)
        return skapade
    meta = modell._meta
    for f in meta.concrete_fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            for obj in objs:
                f.pre_save(obj, add=True)
    falt = [f for f in meta.concrete_fields if med_id or not f.primary_key]
    if med_id:
        with connection.cursor() as c:
            c.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, len(objs)],
            )
            for obj, (pk,) in zip(objs, c.fetchall(), strict=True):
                obj.pk = pk
    rad = _radbyggare(falt)
    _kopiera(meta.db_table, falt, (rad(obj) for obj in objs))
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs


def infoga_rader(modell, faltnamn: list[str], rader: list[tuple]) -> None:
    """Insert rows given as tuples of database values for the fields `faltnamn`
    (attnames), without building model instances: timeline entries and many-to-many
    rows, whose ids are not needed."""
    if not rader:
        return
    if connection.vendor != "postgresql":
        modell._default_manager.bulk_create(
            [modell(**dict(zip(faltnamn, rad, strict=True))) for rad in rader], batch_size=BATCH
        )
        return
    _kopiera(modell._meta.db_table, [modell._meta.get_field(n) for n in faltnamn], rader)


# The columns simple_history adds to a tracked model's fields.
_HISTORIKFALT = ("history_date", "history_change_reason", "history_type", "history_user")


def infoga_med_historik(modell, objs: list, *, orsak: str, datum: datetime) -> list:
    """`infoga`, plus one change-history row per instance ("+", `orsak`, `datum`), as
    simple_history's `bulk_create_with_history` writes (which is used off PostgreSQL)."""
    if connection.vendor != "postgresql":
        return bulk_create_with_history(
            objs, modell, batch_size=BATCH, default_change_reason=orsak, default_date=datum
        )
    infoga(modell, objs)
    _skriv_historik(modell, objs, typ="+", orsak=orsak, datum=datum)
    return objs


def uppdatera_med_historik(modell, objs: list, faltnamn: list[str], *, orsak, datum) -> None:
    """Save the fields `faltnamn` of existing instances in bulk, plus one change-history
    row per instance ("~"), as simple_history's `bulk_update_with_history` does (which
    is used off PostgreSQL). On PostgreSQL the new values are copied into a temporary
    table and applied with one UPDATE ... FROM: Django's bulk_update builds a CASE
    expression per field and row, which takes minutes for 100 000 rows."""
    if not objs:
        return
    if connection.vendor != "postgresql":
        bulk_update_with_history(
            objs,
            modell,
            faltnamn,
            batch_size=BATCH,
            default_change_reason=orsak,
            default_date=datum,
        )
        return
    meta = modell._meta
    q = connection.ops.quote_name
    pk = meta.pk
    falt = [meta.get_field(n) for n in faltnamn]
    tillfallig = f"import_{meta.db_table}"
    kolumner = ", ".join(q(f.column) for f in (pk, *falt))
    # Only quoted table and column names of the model are put into the SQL below.
    with connection.cursor() as c:
        c.execute(f"DROP TABLE IF EXISTS {q(tillfallig)}")
        c.execute(
            f"CREATE TEMPORARY TABLE {q(tillfallig)} ON COMMIT DROP AS "  # noqa: S608
            f"SELECT {kolumner} FROM {q(meta.db_table)} WITH NO DATA"
        )
    rad = _radbyggare([pk, *falt])
    _kopiera(tillfallig, [pk, *falt], (rad(obj) for obj in objs))
    satt = ", ".join(f"{q(f.column)} = u.{q(f.column)}" for f in falt)
    with connection.cursor() as c:
        c.execute(
            f"UPDATE {q(meta.db_table)} AS t SET {satt} FROM {q(tillfallig)} AS u "  # noqa: S608
            f"WHERE t.{q(pk.column)} = u.{q(pk.column)}"
        )
        c.execute(f"DROP TABLE {q(tillfallig)}")
    _skriv_historik(modell, objs, typ="~", orsak=orsak, datum=datum)


def _skriv_historik(modell, objs, *, typ, orsak, datum) -> None:
    """One change-history row per instance, written with COPY (PostgreSQL): the values
    of the tracked fields, as simple_history's `bulk_history_create` builds them."""
    if not objs or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    historik = get_history_model_for_model(modell)
    sparade = {f.attname for f in historik.tracked_fields}
    falt = [f for f in historik._meta.concrete_fields if not f.primary_key]
    for f in falt:
        if f.attname not in sparade and f.name not in _HISTORIKFALT:
            raise ImproperlyConfigured(f"Okänt historikfält {historik.__name__}.{f.name}")
    sparat = [f for f in falt if f.attname in sparade]
    extra = [f for f in falt if f.attname not in sparade]
    varden = {"history_date": datum, "history_change_reason": orsak, "history_type": typ}
    tillagg = tuple(varden.get(f.name) for f in extra)  # history_user: none in a command
    rad = _radbyggare(sparat)
    _kopiera(historik._meta.db_table, sparat + extra, (rad(obj) + tillagg for obj in objs))
