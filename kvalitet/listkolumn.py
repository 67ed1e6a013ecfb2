"""A many-to-many field's names kept as text on the row, on PostgreSQL, for the CSV
export's COPY (`kvalitet.export`).

The export writes a many-to-many column (an avvikelse's cause areas) as the related names
joined by ", " in a declared order. Looked up per row in a subquery, that column cost
two thirds of the database's time of a large export (an index descent, a join and a sort
per row; README "Exports"). With `Listkolumn` in a migration, the database keeps the text
in a column of the row itself (`<field>_lista`), and the export reads it like any other
column.

The column is kept by triggers, so no write path can forget it: statement-level
triggers on the link table (insert, update, delete: `.set()`, `.add()`, `.clear()`, the
import, raw SQL) recompute the text of the rows whose links changed, and a trigger on
the related table recomputes the rows that name a related row whose name or order
changed. A row without links has NULL (an empty cell). A model lists such fields in
`LISTKOLUMNER`; the export uses the column only on PostgreSQL, where the migration made
it. Nothing is created elsewhere (SQLite exports through Python).

Bulk loads that turn triggers off (`session_replication_role = replica`, as
bench/generera.py does) must write the column themselves."""

from django.db.migrations.operations.base import Operation

SKILJETECKEN = ", "


def kolumnnamn(falt: str) -> str:
    return f"{falt}_lista"


def _namn(tabell: str, falt: str, slut: str) -> str:
    """A function's or trigger's name (within PostgreSQL's 63 characters)."""
    return f"{tabell[:30]}_{falt[:20]}_{slut}"


class Listkolumn(Operation):
    """Migration operation: the column `<falt>_lista` on the model's table with the
    related rows' `namn` joined by ", " in the order `ordning`, and the triggers that
    keep it, on PostgreSQL; filled for the rows there are. Nothing elsewhere."""

    reversible = True
    reduces_to_sql = True

    def __init__(self, model_name, falt, namn="namn", ordning=("namn",)):
        self.model_name = model_name
        self.falt = falt
        self.namn = namn
        self.ordning = tuple(ordning)

    def deconstruct(self):
        kwargs = {
            "model_name": self.model_name,
            "falt": self.falt,
            "namn": self.namn,
            "ordning": self.ordning,
        }
        return self.__class__.__qualname__, [], kwargs

    def state_forwards(self, app_label, state):
        pass

    def _delar(self, app_label, schema_editor, state):
        modell = state.apps.get_model(app_label, self.model_name)
        m2m = modell._meta.get_field(self.falt)
        through = m2m.remote_field.through._meta
        relaterad = m2m.related_model._meta
        qn = schema_editor.quote_name
        tabell = modell._meta.db_table
        return {
            "tabell": qn(tabell),
            "pk": qn(modell._meta.pk.column),
            "kolumn": qn(kolumnnamn(self.falt)),
            "lank": qn(through.db_table),
            "kalla": qn(m2m.m2m_column_name()),
            "mal": qn(m2m.m2m_reverse_name()),
            "relaterad": qn(relaterad.db_table),
            "rpk": qn(relaterad.pk.column),
            "namn": qn(relaterad.get_field(self.namn).column),
            "ordning": [qn(relaterad.get_field(f).column) for f in self.ordning],
            "berakna": qn(_namn(tabell, self.falt, "lista")),
            "lankfn": qn(_namn(tabell, self.falt, "lank")),
            "relfn": qn(_namn(tabell, self.falt, "rel")),
            "trigger": _namn(tabell, self.falt, "t"),
        }

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        d = self._delar(app_label, schema_editor, to_state)
        qn = schema_editor.quote_name
        ordning = ", ".join(f"o.{k}" for k in d["ordning"])
        agg = f"string_agg(o.{d['namn']}::text, '{SKILJETECKEN}' ORDER BY {ordning})"
        fran = f"FROM {d['lank']} t JOIN {d['relaterad']} o ON o.{d['rpk']} = t.{d['mal']}"
        ny, gammal = (
            ", ".join(f"{t}.{k}" for k in (d["namn"], *d["ordning"])) for t in ("ny", "gammal")
        )
        berakna = f"""UPDATE {d["tabell"]} a SET {d["kolumn"]} = (
                SELECT {agg} {fran} WHERE t.{d["kalla"]} = a.{d["pk"]})
            WHERE a.{d["pk"]} = ANY(ids)"""  # noqa: S608 - names from the model, quoted
        lank = f"""BEGIN
            IF TG_OP = 'INSERT' THEN
                PERFORM {d["berakna"]}(ARRAY(SELECT DISTINCT {d["kalla"]}::bigint FROM ny));
            ELSIF TG_OP = 'DELETE' THEN
                PERFORM {d["berakna"]}(ARRAY(SELECT DISTINCT {d["kalla"]}::bigint FROM gammal));
            ELSE
                PERFORM {d["berakna"]}(ARRAY(
                    SELECT {d["kalla"]}::bigint FROM ny
                    UNION SELECT {d["kalla"]}::bigint FROM gammal));
            END IF;
            RETURN NULL;
        END"""  # noqa: S608
        relaterad = f"""BEGIN
            PERFORM {d["berakna"]}(ARRAY(
                SELECT DISTINCT t.{d["kalla"]}::bigint FROM {d["lank"]} t
                JOIN ny ON ny.{d["rpk"]} = t.{d["mal"]}
                JOIN gammal ON gammal.{d["rpk"]} = ny.{d["rpk"]}
                WHERE ROW({ny}) IS DISTINCT FROM ROW({gammal})));
            RETURN NULL;
        END"""  # noqa: S608
        fyll = f"""UPDATE {d["tabell"]} a SET {d["kolumn"]} = s.text
            FROM (SELECT t.{d["kalla"]} AS id, {agg} AS text {fran} GROUP BY t.{d["kalla"]}) s
            WHERE a.{d["pk"]} = s.id"""  # noqa: S608
        for sql in (
            f"ALTER TABLE {d['tabell']} ADD COLUMN {d['kolumn']} text",
            # The text of the given rows, from their links.
            f"CREATE FUNCTION {d['berakna']}(ids bigint[]) RETURNS void "
            f"LANGUAGE sql AS $$ {berakna} $$",
            f"CREATE FUNCTION {d['lankfn']}() RETURNS trigger LANGUAGE plpgsql AS $$ {lank} $$",
            f"CREATE FUNCTION {d['relfn']}() RETURNS trigger LANGUAGE plpgsql AS $$ {relaterad} $$",
            *(
                f"CREATE TRIGGER {qn(d['trigger'] + '_' + namn)} AFTER {handelse} ON {d['lank']} "
                f"REFERENCING {tabeller} FOR EACH STATEMENT EXECUTE FUNCTION {d['lankfn']}()"
                for namn, handelse, tabeller in (
                    ("i", "INSERT", "NEW TABLE AS ny"),
                    ("u", "UPDATE", "OLD TABLE AS gammal NEW TABLE AS ny"),
                    ("d", "DELETE", "OLD TABLE AS gammal"),
                )
            ),
            f"CREATE TRIGGER {qn(d['trigger'] + '_r')} AFTER UPDATE ON {d['relaterad']} "
            "REFERENCING OLD TABLE AS gammal NEW TABLE AS ny FOR EACH STATEMENT "
            f"EXECUTE FUNCTION {d['relfn']}()",
            # The rows there are, in one pass over the links.
            fyll,
        ):
            schema_editor.execute(sql)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        d = self._delar(app_label, schema_editor, from_state)
        qn = schema_editor.quote_name
        for namn in ("i", "u", "d"):
            schema_editor.execute(f"DROP TRIGGER {qn(d['trigger'] + '_' + namn)} ON {d['lank']}")
        schema_editor.execute(f"DROP TRIGGER {qn(d['trigger'] + '_r')} ON {d['relaterad']}")
        for fn in (f"{d['lankfn']}()", f"{d['relfn']}()", f"{d['berakna']}(bigint[])"):
            schema_editor.execute(f"DROP FUNCTION {fn}")
        schema_editor.execute(f"ALTER TABLE {d['tabell']} DROP COLUMN {d['kolumn']}")

    def describe(self):
        return f"Listkolumn för {self.model_name}.{self.falt}"

    @property
    def migration_name_fragment(self):
        return f"{self.model_name}_{self.falt}_lista"
