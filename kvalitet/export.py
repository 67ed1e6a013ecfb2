"""CSV and XLSX export of a filtered case list, shared by every case type.

A case type declares its export columns once (`Kolumn`: heading, field path, or a
Python function where no SQL expression exists). The declaration serves three writers:

- the Python path (model instances, in chunks), for XLSX and for CSV on SQLite;
- the fast CSV path on PostgreSQL, `COPY (SELECT …) TO STDOUT` of the list's own
  queryset with every column as an SQL expression (labels, local times, "Ja"/"Nej",
  aggregated cause areas and the formula guard of `kvalitet.lib.kalkylark.csv_cell`),
  byte for byte the Python path's output;
- the immediate responses of small exports and the background job
  (`kvalitet.exporter`).
"""

import csv
import tempfile
from collections import defaultdict
from datetime import date, datetime
from itertools import chain, islice

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.models import Case, F, OuterRef, Subquery, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from kvalitet import listkolumn
from kvalitet.lib.kalkylark import FORMELTECKEN, ar_formelrisk, csv_cell

CHUNK = 2000
BOM = "\ufeff"
CSV_FORMAT = {"delimiter": ";"}  # csv's defaults otherwise: '"', minimal quoting, CRLF


# --- Column declarations ------------------------------------------------------------


def listordning(modell, namn) -> tuple[str, ...]:
    """The order of a list column's names: the related model's own `Meta.ordering` (one
    declaration, which the database's kept text follows too: `kvalitet.listkolumn`),
    else the names alphabetically."""
    ordning = tuple(modell._meta.ordering) or (namn,)
    if not all(isinstance(o, str) and o.isidentifier() for o in ordning):
        raise ValueError(f"{modell.__name__}: en listkolumn ordnas bara på fältnamn, stigande.")
    return ordning


class Kolumn:
    """One export column: a heading and either a field path (`"enhet__namn"`, a path
    through a many-to-many field gives the related names joined by ", ") or `berakna`,
    a function of the case (Python only: a list with such a column has no COPY path).

    The kind (text, choice label, local time, date, yes/no, number, list, person) is
    read from the model field when the column is bound to its model."""

    TEXT = "text"
    VAL = "val"
    TID = "tid"
    DATUM = "datum"
    JANEJ = "janej"
    TAL = "tal"
    LISTA = "lista"
    PERSON = "person"
    BERAKNAD = "beraknad"

    def __init__(self, rubrik, falt=None, *, berakna=None):
        if (falt is None) == (berakna is None):
            raise ValueError("En exportkolumn har antingen ett fält eller en funktion.")
        self.rubrik = rubrik
        self.falt = falt
        self.berakna = berakna
        self.typ = None
        self.val = None

    def __repr__(self):
        return f"Kolumn({self.rubrik!r}, {self.falt or self.berakna!r}, typ={self.typ})"

    def bind(self, model):
        """This column's kind on `model` (a copy; declarations stay reusable)."""
        kolumn = Kolumn.__new__(Kolumn)
        kolumn.__dict__.update(self.__dict__)
        if self.berakna is not None:
            kolumn.typ = Kolumn.BERAKNAD
            return kolumn
        delar = self.falt.split("__")
        meta = model._meta
        for i, namn in enumerate(delar):
            falt = meta.get_field(namn)
            if falt.many_to_many:
                kolumn.typ = Kolumn.LISTA
                kolumn.m2m = falt
                kolumn.rest = "__".join(delar[i + 1 :])
                kolumn.ordning = listordning(falt.related_model, kolumn.rest)
                return kolumn
            if falt.is_relation and i < len(delar) - 1:
                meta = falt.related_model._meta
                continue
            if falt.is_relation:
                if falt.related_model is not get_user_model():
                    raise ValueError(f"{self.falt}: en relation i en export måste vara en person.")
                kolumn.typ = Kolumn.PERSON
            elif falt.choices:
                kolumn.typ = Kolumn.VAL
                kolumn.val = {k: str(v) for k, v in falt.flatchoices}
            elif isinstance(falt, models.BooleanField):
                kolumn.typ = Kolumn.JANEJ
            elif isinstance(falt, models.DateTimeField):
                kolumn.typ = Kolumn.TID
            elif isinstance(falt, models.DateField):
                kolumn.typ = Kolumn.DATUM
            elif isinstance(falt, models.IntegerField | models.FloatField):
                kolumn.typ = Kolumn.TAL
            elif isinstance(falt, models.CharField | models.TextField):
                kolumn.typ = Kolumn.TEXT
            else:
                raise ValueError(f"{self.falt}: fälttypen kan inte exporteras.")
        kolumn.relation = "__".join(delar[:-1]) if len(delar) > 1 else None
        if kolumn.typ == Kolumn.PERSON:
            kolumn.relation = self.falt
        return kolumn

    # Python path -----------------------------------------------------------------

    def varde(self, obj):
        """The cell's value (before `_plain`) for a case of a chunk prepared by
        `forbered`."""
        if self.typ == Kolumn.BERAKNAD:
            return self.berakna(obj)
        if self.typ == Kolumn.LISTA:
            return getattr(obj, "_export_listor", {}).get(self.falt, "")
        varde = obj
        for namn in self.falt.split("__"):
            varde = getattr(varde, namn)
            if varde is None:
                return None
        if self.typ == Kolumn.VAL:
            return self.val.get(varde, varde)
        if self.typ == Kolumn.PERSON:
            return str(varde)
        return varde

    def ladda_lista(self, chunk):
        """The joined related names of a chunk of cases, in one query."""
        through = self.m2m.remote_field.through
        kalla = self.m2m.m2m_field_name()
        mal = self.m2m.m2m_reverse_field_name()
        ordning = [f"{mal}__{o}" for o in self.ordning]
        per_arende = defaultdict(list)
        rader = (
            through.objects.filter(**{f"{kalla}_id__in": [o.pk for o in chunk]})
            .order_by(*ordning)
            .values_list(f"{kalla}_id", f"{mal}__{self.rest}")
        )
        for pk, namn in rader:
            per_arende[pk].append(namn)
        for obj in chunk:
            if not hasattr(obj, "_export_listor"):
                obj._export_listor = {}
            obj._export_listor[self.falt] = ", ".join(per_arende[obj.pk])

    # SQL path --------------------------------------------------------------------

    def sql(self):
        """An expression giving the CSV cell's text exactly as the Python path writes it
        (NULL for an empty cell), or None for a Python-only column."""
        if self.typ == Kolumn.BERAKNAD:
            return None
        text = models.TextField()
        if self.typ == Kolumn.LISTA:
            from django.contrib.postgres.aggregates import StringAgg

            modell = self.m2m.model
            if self.m2m.name in getattr(modell, "LISTKOLUMNER", ()):
                # The text the database keeps on the row (kvalitet.listkolumn): no
                # lookup per row, and guarded as a column.
                qn = connections[DEFAULT_DB_ALIAS].ops.quote_name
                kolumn = f"{qn(modell._meta.db_table)}.{qn(listkolumn.kolumnnamn(self.m2m.name))}"
                return _Vaktad(RawSQL(kolumn, (), output_field=text))  # noqa: S611
            through = self.m2m.remote_field.through
            kalla = self.m2m.m2m_field_name()
            mal = self.m2m.m2m_reverse_field_name()
            ordning = [F(f"{mal}__{o}") for o in self.ordning]
            agg = (
                through.objects.filter(**{kalla: OuterRef("pk")})
                .order_by()
                .values(kalla)
                .annotate(t=StringAgg(Cast(f"{mal}__{self.rest}", text), ", ", order_by=ordning))
                .values("t")
            )
            return _Vaktad(Subquery(agg, output_field=text), beraknad=True)
        falt = F(self.falt)
        if self.typ == Kolumn.VAL:
            # The labels are guarded here, a value without a label in SQL.
            fall = [When(**{self.falt: k}, then=Value(csv_cell(v))) for k, v in self.val.items()]
            return _Tom(Case(*fall, default=_Vaktad(Cast(falt, text)), output_field=text))
        if self.typ == Kolumn.JANEJ:
            return _Tom(
                Case(
                    When(**{self.falt: True}, then=Value("Ja")),
                    When(**{self.falt: False}, then=Value("Nej")),
                    default=None,
                    output_field=text,
                )
            )
        if self.typ == Kolumn.TID:
            return _Tom(_LokalTid(falt))
        if self.typ == Kolumn.DATUM:
            return _Tom(_Datum(falt))
        if self.typ == Kolumn.PERSON:
            return _Vaktad(_Person(self.falt), beraknad=True)
        return _Vaktad(Cast(falt, text) if self.typ == Kolumn.TAL else falt)


def get_user_model():
    from django.contrib.auth import get_user_model as hamta

    return hamta()


def bundna(model, kolumner):
    return [k if k.typ else k.bind(model) for k in kolumner]


def etikett(falt, choices):
    """A Python-only column function giving a choice field's label (for columns that
    compute: e.g. a label shown only on some rows)."""
    namn = {k: str(v) for k, v in choices}
    return lambda obj: namn.get(getattr(obj, falt), getattr(obj, falt))


# --- SQL building blocks --------------------------------------------------------------


class _Tom(models.Func):
    """NULL for an empty text: COPY writes NULL as an empty field, '' as `""`; the
    Python csv writer writes '' as an empty field."""

    template = "NULLIF(%(expressions)s, '')"
    output_field = models.TextField()


class _Vaktad(models.Func):
    """`csv_cell` in SQL: text that could be read as a formula gets a leading
    apostrophe; an empty text becomes NULL (see `_Tom`). A column reference is tested
    on the code of its first character (`ascii()`: no new text a row, unlike `left()`;
    cheap, though the column is written three times); a computed text with one anchored
    `regexp_replace`, so it is computed once."""

    output_field = models.TextField()

    def __init__(self, expression, *, beraknad=False):
        super().__init__(expression)
        self.beraknad = beraknad

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        if self.beraknad:
            monster = "'^([=+@' || chr(9) || chr(13) || '-])'"
            return f"NULLIF(regexp_replace(({sql})::text, {monster}, '''\\1'), '')", params
        tecken = ", ".join(str(ord(t)) for t in FORMELTECKEN)
        return (
            f"NULLIF(CASE WHEN ascii(({sql})::text) IN ({tecken}) "
            f"THEN '''' || ({sql})::text ELSE ({sql})::text END, '')",
            (*params, *params, *params),
        )


class _LokalTid(models.Func):
    output_field = models.TextField()

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return (
            f"to_char(({sql}) AT TIME ZONE %s, 'YYYY-MM-DD HH24:MI')",
            (*params, settings.TIME_ZONE),
        )


class _Datum(models.Func):
    template = "to_char(%(expressions)s, 'YYYY-MM-DD')"
    output_field = models.TextField()


class _Person(models.Func):
    """`str(user)`: the full name (first and last, stripped), else the username."""

    output_field = models.TextField()

    def __init__(self, falt):
        super().__init__(F(f"{falt}__first_name"), F(f"{falt}__last_name"), F(f"{falt}__username"))

    def as_sql(self, compiler, connection, **extra):
        (fornamn, p1), (efternamn, p2), (anvandarnamn, p3) = (
            compiler.compile(e) for e in self.source_expressions
        )
        blanka = "' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13)"
        return (
            f"COALESCE(NULLIF(btrim(({fornamn}) || ' ' || ({efternamn}), {blanka}), ''), "
            f"({anvandarnamn}))",
            (*p1, *p2, *p3),
        )


# --- Rows (the Python path) ------------------------------------------------------------


def _plain(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    return value


def forbered_queryset(queryset, kolumner):
    """The queryset with the relations the columns read joined in."""
    relationer = {k.relation for k in kolumner if getattr(k, "relation", None)}
    return queryset.select_related(*relationer) if relationer else queryset


def rader(queryset, kolumner, forbered=None):
    """Rows in chunks; `forbered(chunk)` may act on a chunk (load, log) in one query."""
    kolumner = bundna(queryset.model, kolumner)
    listor = [k for k in kolumner if k.typ == Kolumn.LISTA]
    chunk = []
    for obj in forbered_queryset(queryset, kolumner).iterator(chunk_size=CHUNK):
        chunk.append(obj)
        if len(chunk) == CHUNK:
            yield from _chunk_rows(chunk, kolumner, listor, forbered)
            chunk = []
    if chunk:
        yield from _chunk_rows(chunk, kolumner, listor, forbered)


def _chunk_rows(chunk, kolumner, listor, forbered):
    for lista in listor:
        lista.ladda_lista(chunk)
    if forbered:
        forbered(chunk)
    for obj in chunk:
        yield [_plain(k.varde(obj)) for k in kolumner]


def _csv_value(value):
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return value


class _Echo:
    def write(self, value):
        return value


def csv_rubrikrad(kolumner):
    return csv.writer(_Echo(), **CSV_FORMAT).writerow([str(k.rubrik) for k in kolumner])


def csv_text(queryset, kolumner, forbered=None):
    """The CSV (BOM, heading, rows) as text pieces, by the Python path."""
    writer = csv.writer(_Echo(), **CSV_FORMAT)
    yield BOM
    yield csv_rubrikrad(kolumner)
    for row in rader(queryset, kolumner, forbered):
        yield writer.writerow([csv_cell(_csv_value(v)) for v in row])


# --- The COPY path -----------------------------------------------------------------------


def kan_kopiera(queryset, kolumner) -> bool:
    """Whether the CSV can be produced by PostgreSQL's COPY: on PostgreSQL, with an SQL
    expression for every column."""
    if connections[queryset.db].vendor != "postgresql":
        return False
    return all(k.typ != Kolumn.BERAKNAD for k in bundna(queryset.model, kolumner))


def copy_sql(queryset, kolumner):
    """The COPY statement and its parameters for the queryset's rows in the list's order."""
    kolumner = bundna(queryset.model, kolumner)
    namn = {f"exportkolumn_{i}": k.sql() for i, k in enumerate(kolumner)}
    qs = queryset.annotate(**namn).values_list(*namn)
    sql, params = qs.query.sql_with_params()
    return f"COPY ({sql}) TO STDOUT WITH (FORMAT csv, DELIMITER ';')", params


# Rows written at a time by `kopiera_csv`: about a megabyte, whose memory is reused from
# batch to batch. At 10 000 rows a batch (8 MB) each batch was memory mapped afresh, and
# the page faults were half this process's CPU (bench/RESULTS.md, the export).
SKRIV_VAR = 1000


def kopiera_csv(queryset, kolumner, skriv, forlopp=None, var=10_000):
    """Write the CSV's rows (bytes, without BOM and heading) by COPY through
    `skriv(bytes)`; `forlopp(antal)` is called each time at least `var` more rows have
    been written. Returns the row count.

    PostgreSQL sends one message per row ending in LF; the Python csv writer ends a row
    in CRLF (newlines inside a quoted cell stay as they are in both). Each message is a
    buffer of its own, kept as it comes and joined and written once per `SKRIV_VAR`
    rows (or `var`, if fewer). The statement runs without JIT compilation: compiling its
    expressions cost more than they saved (bench/RESULTS.md, the export)."""
    statement, params = copy_sql(queryset, kolumner)
    antal = 0

    def skriv_rader(rader):
        if any(rad[-1] != 10 for rad in rader):  # pragma: no cover - the protocol's promise
            raise RuntimeError("COPY skickade en ofullständig rad.")
        skriv(b"\r\n".join([rad[:-1] for rad in rader]) + b"\r\n")

    # SET LOCAL lasts as long as the transaction (or savepoint) around the COPY: nothing
    # to reset afterwards, which after a failed COPY inside an outer transaction would
    # fail itself and hide the COPY's error. Inside an outer transaction the setting lasts
    # until that one ends. The COPY goes through psycopg's own cursor, with its errors
    # raised as Django's like every other query's.
    anslutning = connections[queryset.db]
    with transaction.atomic(using=queryset.db), anslutning.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        buffert = []
        steg = min(SKRIV_VAR, var)
        nasta = var
        with anslutning.wrap_database_errors, cursor.cursor.copy(statement, params):
            for data in copy_rader(cursor.cursor.connection):
                buffert.append(data)
                if len(buffert) == steg:
                    skriv_rader(buffert)
                    antal += steg
                    buffert = []
                    if forlopp and antal >= nasta:
                        forlopp(antal)
                        nasta = antal + var
        if buffert:
            skriv_rader(buffert)
            antal += len(buffert)
    return antal


def copy_rader(psycopg_anslutning):
    """The rows of a COPY TO under way, each as libpq gives it, read straight from libpq
    (`PQgetCopyData`, waiting for each) instead of through psycopg's `Copy.read()`: that
    runs a generator and its wait loop per row, which were most of the export's CPU in
    this process (bench/RESULTS.md, the export). At the end the statement's result is
    read as psycopg reads it – an error the database raised mid-way (a row's expression
    failing) is raised here as psycopg's exception. If the caller stops early (an error
    while writing), psycopg's `Copy` block cancels the statement and reads what is left,
    as it does for its own loop."""
    from psycopg import errors, pq

    pgconn = psycopg_anslutning.pgconn
    while True:
        nbytes, data = pgconn.get_copy_data(0)
        if nbytes < 0:  # -1: the end; a broken connection raises OperationalError
            break
        yield data
    resultat = []
    while (res := pgconn.get_result()) is not None:
        resultat.append(res)
    if fel := [r for r in resultat if r.status != pq.ExecStatus.COMMAND_OK]:
        raise errors.error_from_result(fel[0], encoding=psycopg_anslutning.info.encoding)
    if len(resultat) != 1:  # pragma: no cover - what psycopg checks too
        raise errors.ProgrammingError("COPY gav inte ett enda resultat.")


# --- Responses in the request (small exports) ---------------------------------------------


def ogiltigt_filter(fel):
    """A 400 answer listing an invalid filter's errors (`ArendeFilterSet.fel`): an
    empty file would look like "nothing matched"."""
    text = "\n".join(
        [
            _("Exporten gjordes inte eftersom filtret innehåller fel:"),
            *(f"- {f}" for f in fel),
            _("Rätta filtret i listan och exportera igen."),
        ]
    )
    response = HttpResponse(text + "\n", status=400, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


def csv_response(queryset, kolumner, filnamn, forbered=None):
    """Stream the rows as UTF-8 CSV with a BOM (Excel reads å, ä, ö correctly) and ';'."""
    response = StreamingHttpResponse(
        csv_text(queryset, kolumner, forbered), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filnamn}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


def _bredder(rubriker, prov):
    """Column widths (characters) from the headings and a sample of the first rows: wide
    enough for what the column holds, within reason."""
    bredder = []
    for i, rubrik in enumerate(rubriker):
        langst = len(str(rubrik))
        for rad in prov:
            varde = rad[i]
            if isinstance(varde, datetime):
                langd = 16
            elif isinstance(varde, date):
                langd = 10
            else:
                langd = len(str(varde)) if varde is not None else 0
            langst = max(langst, langd)
        bredder.append(min(max(langst + 2, 10), 60))
    return bredder


def skriv_xlsx(fil, queryset, kolumner, blad, forbered=None, forlopp=None, var=10_000):
    """Write the rows to a write-only workbook in `fil`; formula-like text stays text.
    The heading row is frozen, every column has a filter and a width that fits its
    content (judged from the first rows). Returns the row count."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(blad[:31])
    radgen = rader(queryset, kolumner, forbered)
    prov = list(islice(radgen, 200))
    rubriker = [str(k.rubrik) for k in kolumner]
    for i, bredd in enumerate(_bredder(rubriker, prov), start=1):
        ws.column_dimensions[get_column_letter(i)].width = bredd
    ws.freeze_panes = "A2"
    header = []
    for rubrik in rubriker:
        cell = WriteOnlyCell(ws, value=rubrik)
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    antal = 0
    for row in chain(prov, radgen):
        antal += 1
        cells = []
        for value in row:
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            cell = WriteOnlyCell(ws, value=value)
            if ar_formelrisk(value):
                cell.data_type = "s"
            if isinstance(value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            cells.append(cell)
        ws.append(cells)
        if forlopp and antal % var == 0:
            forlopp(antal)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(rubriker))}{antal + 1}"
    wb.save(fil)
    return antal


def xlsx_response(queryset, kolumner, filnamn, forbered=None):
    tmp = tempfile.TemporaryFile()  # noqa: SIM115 - closed by FileResponse when sent
    skriv_xlsx(tmp, queryset, kolumner, filnamn, forbered)
    tmp.seek(0)
    response = FileResponse(
        tmp,
        as_attachment=True,
        filename=f"{filnamn}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Cache-Control"] = "private, no-store"
    return response
