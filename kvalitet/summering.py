"""Counts kept as the cases change, on PostgreSQL, so that the report's figures read a
few thousand summary rows instead of a year's millions of cases (issue 15: the figures
of a year of two million avvikelser in 7 s, counted live).

A summary is a model on `Summa`: key columns and `antal`. The migration that creates it
adds `Summering`: statement-level triggers on every table the count reads (insert,
update, delete, truncate: the ORM, `.update()`, `.set()`, the import, raw SQL) write
what a statement changed – per key, the rows it brought minus the rows it took away – as
new rows, in the same transaction as the change. The count of a key is the sum of its
rows (`antal`, which may be negative in a single row), so no write path can forget the
counts and the count is the one grouping the cases would give at that moment
(tests/kvalitet/test_summering.py holds them equal after every kind of change).

The triggers only insert: two people filing at the same moment never wait for each
other on a shared counter row, and no order of writes can deadlock on one.
`komprimera()` (Celery beat, every ten minutes) folds each key's rows into one, so the
summary stays at about one row per key.

Only PostgreSQL makes the tables (`Meta.required_db_vendor`); elsewhere (SQLite, the
zero-setup default) the figures are counted from the cases, as before: `finns()`.

Bulk loads that turn triggers off (`session_replication_role = replica`, as
bench/generera.py does) must count the summaries afresh afterwards: `bygg_om()`."""

from typing import ClassVar

from django.apps import apps
from django.conf import settings
from django.db import connection, models
from django.db.migrations.operations.base import Operation


class Summa(models.Model):
    """A summary's base: its key columns are the subclass's fields (a subclass indexes
    them, its day first), `antal` what its rows add to the key's count."""

    # The key column of the local day the case counts from (its `DATUMFALT`'s day).
    DAG: ClassVar[str] = "rapportdag"

    antal = models.BigIntegerField(default=0)

    class Meta:
        abstract = True
        required_db_vendor = "postgresql"


def finns(modell, using=connection) -> bool:
    """Whether `modell`'s summary is kept in this database (else: count the cases)."""
    return modell._meta.can_migrate(using)


def _funktion(tabell: str, slut: str) -> str:
    return f"{tabell[:50]}_{slut}"


def _anropa(slut: str, using):
    with using.cursor() as c:
        for modell in apps.get_models():
            if issubclass(modell, Summa) and finns(modell, using):
                namn = using.ops.quote_name(_funktion(modell._meta.db_table, slut))
                c.execute(f"SELECT {namn}()")


def bygg_om(using=connection):
    """Count every summary afresh from its tables (after a load without triggers)."""
    _anropa("bygg", using)


def komprimera(using=connection):
    """Fold every summary's rows into one per key (dropping keys that count zero). Rows
    written while it runs stay as they are, to be folded next time."""
    _anropa("komprimera", using)


class Summering(Operation):
    """Migration operation: keep the summary `model_name` (a `Summa`) so that the sum of
    `antal` per key is

        SELECT <nycklar>, count(*) FROM <fran> WHERE <villkor> GROUP BY <nycklar>

    by triggers on each table of `tabeller`, and fill it for the rows there are; with
    the functions `<table>_bygg()` (count afresh) and `<table>_komprimera()` (fold).

    `tabeller` maps an alias to a model label ({"a": "avvikelser.avvikelse"}); `fran`
    names them as `{a}` ("{l} l JOIN {a} a ON a.id = l.avvikelse_id"); `nycklar` maps
    each key column of the summary to an SQL expression over the aliases, where `{tz}`
    is the project's time zone (a local day: "(a.rapporterad AT TIME ZONE {tz})::date").
    In the trigger on one table its alias reads the statement's transition table – the
    rows after (+1 each) and before (−1 each) – and the other tables as they are; so a
    change of either side of a join is counted, in whichever order the two are
    written. Only where the summary's table was made (`finns`)."""

    reversible = True
    reduces_to_sql = True

    def __init__(self, model_name, tabeller, fran, nycklar, villkor=None):
        self.model_name = model_name
        self.tabeller = dict(tabeller)
        self.fran = fran
        self.nycklar = dict(nycklar)
        self.villkor = villkor

    def deconstruct(self):
        kwargs = {
            "model_name": self.model_name,
            "tabeller": self.tabeller,
            "fran": self.fran,
            "nycklar": self.nycklar,
            "villkor": self.villkor,
        }
        return self.__class__.__qualname__, [], kwargs

    def state_forwards(self, app_label, state):
        pass

    def _summa(self, app_label, schema_editor, state):
        modell = state.apps.get_model(app_label, self.model_name)
        if not modell._meta.can_migrate(schema_editor.connection):
            return None
        return modell

    def _select(self, schema_editor, state, ersatt=None, tecken=1):
        """The key rows with their sign; the table `ersatt` read from a transition table."""
        qn = schema_editor.quote_name
        tabeller = {
            alias: qn(state.apps.get_model(etikett)._meta.db_table)
            for alias, etikett in self.tabeller.items()
        }
        if ersatt:
            tabeller[ersatt[0]] = ersatt[1]
        tz = "'" + settings.TIME_ZONE.replace("'", "''") + "'"
        nycklar = ", ".join(
            f"{uttryck.format(tz=tz)} AS {qn(k)}" for k, uttryck in self.nycklar.items()
        )
        villkor = f" WHERE {self.villkor.format(tz=tz)}" if self.villkor else ""
        # Names from the models, quoted; expressions from the migration.
        return f"SELECT {nycklar}, {tecken} AS n FROM {self.fran.format(**tabeller)}{villkor}"  # noqa: S608

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        summa = self._summa(app_label, schema_editor, to_state)
        if summa is None:
            return
        qn = schema_editor.quote_name
        tabell = summa._meta.db_table
        kolumner = ", ".join(qn(k) for k in self.nycklar)
        # One new row per key the statement changed; a key whose rows came and went in
        # the statement writes nothing.
        lagg_till = (
            f"INSERT INTO {qn(tabell)} ({kolumner}, antal) "  # noqa: S608 - quoted names
            f"SELECT {kolumner}, sum(n) FROM ({{rader}}) r GROUP BY {kolumner} "
            f"HAVING sum(n) <> 0"
        )
        for alias, etikett in self.tabeller.items():
            kalla = qn(to_state.apps.get_model(etikett)._meta.db_table)
            ny = self._select(schema_editor, to_state, (alias, "ny"))
            gammal = self._select(schema_editor, to_state, (alias, "gammal"), -1)
            funktion = qn(_funktion(tabell, alias))
            kropp = f"""BEGIN
                IF TG_OP = 'INSERT' THEN
                    {lagg_till.format(rader=ny)};
                ELSIF TG_OP = 'DELETE' THEN
                    {lagg_till.format(rader=gammal)};
                ELSE
                    {lagg_till.format(rader=f"{ny} UNION ALL {gammal}")};
                END IF;
                RETURN NULL;
            END"""
            schema_editor.execute(
                f"CREATE FUNCTION {funktion}() RETURNS trigger LANGUAGE plpgsql AS $$ {kropp} $$"
            )
            for namn, handelse, transition in (
                ("i", "INSERT", "NEW TABLE AS ny"),
                ("u", "UPDATE", "OLD TABLE AS gammal NEW TABLE AS ny"),
                ("d", "DELETE", "OLD TABLE AS gammal"),
            ):
                schema_editor.execute(
                    f"CREATE TRIGGER {qn(_funktion(tabell, alias + '_' + namn))} AFTER {handelse} "
                    f"ON {kalla} REFERENCING {transition} FOR EACH STATEMENT "
                    f"EXECUTE FUNCTION {funktion}()"
                )
        alla = self._select(schema_editor, to_state)
        kallor = ", ".join(
            qn(to_state.apps.get_model(etikett)._meta.db_table)
            for etikett in self.tabeller.values()
        )
        # Writers wait while it counts (SHARE): a case committed between the DELETE and
        # the count would otherwise be counted twice, by the count and by its trigger.
        bygg = (
            f"LOCK TABLE {kallor} IN SHARE MODE; "  # noqa: S608 - quoted names
            f"DELETE FROM {qn(tabell)}; "
            f"INSERT INTO {qn(tabell)} ({kolumner}, antal) "
            f"SELECT {kolumner}, sum(n) FROM ({alla}) r GROUP BY {kolumner}"
        )
        schema_editor.execute(
            f"CREATE FUNCTION {qn(_funktion(tabell, 'bygg'))}() RETURNS void "
            f"LANGUAGE sql AS $$ {bygg} $$"
        )
        # Each key's rows folded into one, in one statement: rows written meanwhile by
        # other transactions are not seen by the DELETE and stay.
        komprimera = (
            f"WITH d AS (DELETE FROM {qn(tabell)} RETURNING {kolumner}, antal) "  # noqa: S608
            f"INSERT INTO {qn(tabell)} ({kolumner}, antal) "
            f"SELECT {kolumner}, sum(antal) FROM d GROUP BY {kolumner} HAVING sum(antal) <> 0"
        )
        schema_editor.execute(
            f"CREATE FUNCTION {qn(_funktion(tabell, 'komprimera'))}() RETURNS void "
            f"LANGUAGE sql AS $$ {komprimera} $$"
        )
        # TRUNCATE fires no row or statement trigger of its own: count afresh after it.
        schema_editor.execute(
            f"CREATE FUNCTION {qn(_funktion(tabell, 'tom'))}() RETURNS trigger "
            f"LANGUAGE plpgsql AS $$ BEGIN PERFORM {qn(_funktion(tabell, 'bygg'))}(); "
            "RETURN NULL; END $$"
        )
        for alias, etikett in self.tabeller.items():
            kalla = qn(to_state.apps.get_model(etikett)._meta.db_table)
            schema_editor.execute(
                f"CREATE TRIGGER {qn(_funktion(tabell, alias + '_t'))} AFTER TRUNCATE "
                f"ON {kalla} FOR EACH STATEMENT EXECUTE FUNCTION {qn(_funktion(tabell, 'tom'))}()"
            )
        schema_editor.execute(f"SELECT {qn(_funktion(tabell, 'bygg'))}()")

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        summa = self._summa(app_label, schema_editor, from_state)
        if summa is None:
            return
        qn = schema_editor.quote_name
        tabell = summa._meta.db_table
        for alias, etikett in self.tabeller.items():
            kalla = qn(from_state.apps.get_model(etikett)._meta.db_table)
            for namn in ("i", "u", "d", "t"):
                schema_editor.execute(
                    f"DROP TRIGGER {qn(_funktion(tabell, alias + '_' + namn))} ON {kalla}"
                )
            schema_editor.execute(f"DROP FUNCTION {qn(_funktion(tabell, alias))}()")
        schema_editor.execute(f"DROP FUNCTION {qn(_funktion(tabell, 'tom'))}()")
        schema_editor.execute(f"DROP FUNCTION {qn(_funktion(tabell, 'komprimera'))}()")
        schema_editor.execute(f"DROP FUNCTION {qn(_funktion(tabell, 'bygg'))}()")

    def describe(self):
        return f"Summering {self.model_name}"

    @property
    def migration_name_fragment(self):
        return f"{self.model_name}_summering"
