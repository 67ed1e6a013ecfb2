"""Free-text search in the case lists, shared by every type that declares `FRITEXT`
(docs/sok.md).

On PostgreSQL each such table has a stored, generated `tsvector` column, `sokvektor`
(the `FRITEXT` fields through the Swedish text-search configuration, weighted A, B, C in
field order), with a GIN index. It is not a model field: the history tables, the
exports and SQLite never see it. `Sokkolumn` is the migration operation that adds it;
the expression is written into the migration, so changing `FRITEXT` needs a new
`Sokkolumn` (tests/kvalitet/test_sok.py compares the database with `FRITEXT`).

A typed text is split into words; a case matches when every word begins one of its
words, after Swedish stemming ("åtgärder" finds "åtgärd", "åtgärdas"; "medicin" finds
"medicineringen"). On SQLite, the zero-setup default, the same words are stemmed in
Python and looked for anywhere in the texts, folded by a Python function so that å, ä
and ö match whatever their case.

A case's identifiers (`SOKNYCKLAR`: its number, a synpunkt's reference; also the number
without its prefix, "2025-12") are found exactly, and first. The list then shows the
best of the newest `MAX_TRAFFAR` matches, by relevance and then in the list's order;
the exports take every match (`ArendeFilterSet.qs` against `.lista`). Ranking all the
matches of a common word would mean reading them all; finding the newest hundred of a
word in one case in a hundred reads ten thousand rows, however large the table.
"""

import re

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVectorExact,
    SearchVectorField,
)
from django.db import connection, models
from django.db.migrations.operations.base import Operation
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.expressions import Col
from django.db.models.lookups import Contains

KOLUMN = "sokvektor"
KONFIGURATION = "swedish"
VIKTER = ("A", "B", "C")
# The list of a search shows at most MAX_TRAFFAR matches, the best of the newest
# MAX_TRAFFAR + 1 (so that the list knows there are more): finding more costs, for a word
# in one case in a hundred, a walk over a hundred times as many rows (docs/sok.md).
MAX_TRAFFAR = 100
MAX_KANDIDATER = MAX_TRAFFAR + 1
MAX_ORD = 8
ORDLANGD = 40  # no word is longer; a longer "word" is cut (it is still a prefix)
BITLANGD = 100
SQLITE_VIKNING = "kvalitet_vikning"

_ORD = re.compile(r"[^\W_]+")
_SIFFRA = re.compile(r"\d")
_NUMMER_UTAN_PREFIX = re.compile(r"(\d{4})-(\d{1,6})")


def sokord(text: str) -> list[str]:
    """The words of a typed text, lower case, without duplicates, at most `MAX_ORD`:
    letters and digits only, so no operator of any query syntax gets through."""
    ord_ = []
    for w in _ORD.findall((text or "").casefold()):
        w = w[:ORDLANGD]
        if w not in ord_:
            ord_.append(w)
    return ord_[:MAX_ORD]


# The Swedish Snowball stemmer (snowballstem.org/algorithms/swedish), the one
# PostgreSQL's `swedish` configuration uses, for SQLite.
_VOKALER = frozenset("aeiouyäåö")
_S_SLUT = frozenset("bcdfghjklmnoprtvy")
_STEG1 = sorted(
    [
        "a",
        "arna",
        "erna",
        "heterna",
        "orna",
        "ad",
        "e",
        "ade",
        "ande",
        "arne",
        "are",
        "aste",
        "en",
        "anden",
        "aren",
        "heten",
        "ern",
        "ar",
        "er",
        "heter",
        "or",
        "as",
        "arnas",
        "ernas",
        "ornas",
        "es",
        "ades",
        "andes",
        "ens",
        "arens",
        "hetens",
        "erns",
        "at",
        "andet",
        "het",
        "ast",
    ],
    key=len,
    reverse=True,
)
_STEG2 = ("dd", "gd", "nn", "dt", "gt", "kt", "tt")
_STEG3 = (("fullt", "full"), ("löst", "lös"), ("lig", ""), ("els", ""), ("ig", ""))


def svensk_stam(ord_: str) -> str:
    """The stem of a lower-case Swedish word ("åtgärderna" → "åtgärd")."""
    p1 = len(ord_)
    for i in range(len(ord_) - 1):
        if ord_[i] in _VOKALER and ord_[i + 1] not in _VOKALER:
            p1 = i + 2
            break
    p1 = max(p1, 3)
    w = ord_
    for slut in _STEG1:
        if w.endswith(slut) and len(w) - len(slut) >= p1:
            w = w[: -len(slut)]
            break
    else:
        if w.endswith("s") and len(w) - 1 >= p1 and len(w) >= 2 and w[-2] in _S_SLUT:
            w = w[:-1]
    if any(w.endswith(par) for par in _STEG2) and len(w) - 2 >= p1:
        w = w[:-1]
    for slut, ersattning in _STEG3:
        if w.endswith(slut) and len(w) - len(slut) >= p1:
            w = w[: -len(slut)] + ersattning
            break
    return w


def _pg() -> bool:
    return connection.vendor == "postgresql"


def sokbitar(text: str) -> list[str]:
    """The typed text's pieces between spaces that hold a letter or digit, without
    duplicates, at most `MAX_ORD` (for PostgreSQL, whose parser reads "SOCN/2025:99" or
    "sms-påminnelse" as the text did)."""
    bitar = []
    for b in (text or "").split():
        b = b[:BITLANGD]
        if _ORD.search(b) and b not in bitar:
            bitar.append(b)
    return bitar[:MAX_ORD]


def tsquery(termer: list[str], *, operator="&") -> str:
    """A `to_tsquery` text: each term quoted, so that no character of it is an operator,
    and a prefix (`:*`) unless it holds a digit: a number is looked for whole ("avv:*"
    of a typed case number would read the index of every word beginning "avv").
    PostgreSQL parses a quoted term as a document is parsed: one word, or the words of
    "SOCN/2025:99" as a phrase; stop words drop out."""
    return f" {operator} ".join(
        "'" + t.replace("\\", "\\\\").replace("'", "''") + ("'" if _SIFFRA.search(t) else "':*")
        for t in termer
    )


def _termer(text: str) -> list[str]:
    return sokbitar(text) if _pg() else sokord(text)


class Sokvektor(models.Expression):
    """The case table's `sokvektor` column (PostgreSQL), as a column of the query it is
    used in, so that it follows the table's alias into subqueries."""

    def __init__(self, modell):
        super().__init__(output_field=SearchVectorField())
        self.modell = modell

    def resolve_expression(
        self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False
    ):
        falt = SearchVectorField()
        falt.set_attributes_from_name(KOLUMN)
        falt.model = self.modell
        return Col(query.get_initial_alias(), falt, output_field=falt)


class Vikning(models.Func):
    """A text folded to lower case by Python on SQLite (whose LOWER and LIKE fold
    ASCII only)."""

    function = SQLITE_VIKNING
    output_field = models.TextField()


def _sqlite_vikning(text):
    return text.casefold() if isinstance(text, str) else text


def registrera_sqlite(sender, connection, **kwargs):
    """Give every new SQLite connection the folding function (`connection_created`)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            SQLITE_VIKNING, 1, _sqlite_vikning, deterministic=True
        )


def textvillkor(modell, text: str):
    """The condition "the case's `FRITEXT` holds every word of `text`", or None when
    the text has no words."""
    return ordvillkor(modell, _termer(text))


def ordvillkor(modell, ord_: list[str], *, alla=True):
    """The condition "the case's `FRITEXT` holds the words" (as `sokbitar` gives them
    on PostgreSQL, `sokord` on SQLite): every one, or with `alla=False` any of them.
    None without words or `FRITEXT`."""
    if not ord_ or not modell.FRITEXT:
        return None
    if _pg():
        fraga = SearchQuery(
            tsquery(ord_, operator="&" if alla else "|"), config=KONFIGURATION, search_type="raw"
        )
        return Q(SearchVectorExact(Sokvektor(modell), fraga))
    villkor = Q()
    for w in ord_:
        stam = svensk_stam(w)
        nagot = Q()
        for falt in modell.FRITEXT:
            nagot |= Q(Contains(Vikning(F(falt)), stam))
        villkor = villkor & nagot if alla else villkor | nagot
    return villkor


def nyckelvillkor(modell, text: str, *, user) -> Q:
    """The cases whose identifier (`SOKNYCKLAR`, IVO's case number) is the text, exactly,
    as `sokvillkor` finds them for `user`; a case number may be typed without its prefix
    ("2025-0012", "2025-12")."""
    villkor = modell.sokvillkor(text, user=user)
    prefix = getattr(modell, "NUMMER_PREFIX", None)
    if prefix and (m := _NUMMER_UTAN_PREFIX.fullmatch("".join(text.split()))):
        villkor |= modell.sokvillkor(f"{prefix}-{m[1]}-{int(m[2]):04d}", user=user)
    return villkor


def _relevans(modell, text):
    """How well a case matches the words: ts_rank on PostgreSQL; on SQLite the sum of
    the weights (3, 2, 1 in field order) of the fields holding each word."""
    ord_ = _termer(text)
    if not ord_ or not modell.FRITEXT:
        return Value(0.0, output_field=models.FloatField())
    if _pg():
        fraga = SearchQuery(tsquery(ord_), config=KONFIGURATION, search_type="raw")
        return SearchRank(Sokvektor(modell), fraga)
    vikter = [max(3 - i, 1) for i in range(len(modell.FRITEXT))]
    delar = [
        Case(
            When(Contains(Vikning(F(falt)), svensk_stam(w)), then=Value(vikt)),
            default=Value(0),
            output_field=IntegerField(),
        )
        for w in ord_
        for falt, vikt in zip(modell.FRITEXT, vikter, strict=True)
    ]
    summa = delar[0]
    for d in delar[1:]:
        summa = summa + d
    return models.ExpressionWrapper(summa, output_field=models.FloatField())


def rangordna(queryset, modell, text: str):
    """The matches of `queryset` (already filtered on `text`) best first: an exact
    identifier, then relevance, then the list's order, among the newest
    `MAX_KANDIDATER` matches in the list's order.

    The candidates are fetched first (one query, which walks the list's index for a
    common word or the text index for a rare one); the page and its count then read only
    those rows by primary key. Repeating the filters beside "pk in the candidates" would
    let the planner look for every match again (a sequential scan for a common word)."""
    ordning = modell._meta.ordering
    kandidater = list(queryset.order_by(*ordning).values_list("pk", flat=True)[:MAX_KANDIDATER])
    if queryset.query.annotations:
        valda = queryset.filter(pk__in=kandidater)
    else:
        valda = modell._default_manager.filter(pk__in=kandidater)
        valda.query.select_related = queryset.query.select_related
        valda.query.deferred_loading = queryset.query.deferred_loading
        valda._prefetch_related_lookups = queryset._prefetch_related_lookups
    valda = valda.annotate(
        sok_nyckel=Case(
            # Ranks the matches the user's filter found: no access to decide here.
            When(nyckelvillkor(modell, text, user=None), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        ),
        sok_relevans=_relevans(modell, text),
    ).order_by("-sok_nyckel", "-sok_relevans", *ordning)
    # The list's cap and its count, known already (kvalitet.lib.sidor).
    valda.max_raknade = MAX_TRAFFAR
    valda.antal = len(kandidater)
    return valda


def vektoruttryck(kolumner) -> str:
    """The SQL of the generated `sokvektor`: each column through the Swedish
    configuration, weighted A, B, then C."""
    delar = [
        f"setweight(to_tsvector('{KONFIGURATION}'::regconfig, coalesce({kolumn}::text, '')), "
        f"'{VIKTER[min(i, len(VIKTER) - 1)]}')"
        for i, kolumn in enumerate(kolumner)
    ]
    return " || ".join(delar)


class Sokkolumn(Operation):
    """Migration operation: (re)create the table's generated `sokvektor` column from the
    given `FRITEXT` fields, and its GIN index, on PostgreSQL; nothing elsewhere.

    Adding a stored generated column rewrites the table under an exclusive lock (about a
    minute per million avvikelser), so the index is built in the same transaction, not
    CONCURRENTLY. `tidigare` is the fields of the column it replaces, for reversing."""

    reversible = True
    reduces_to_sql = True

    def __init__(self, model_name, falt, tidigare=None):
        self.model_name = model_name
        self.falt = tuple(falt)
        self.tidigare = tuple(tidigare) if tidigare else None

    def deconstruct(self):
        kwargs = {"model_name": self.model_name, "falt": self.falt}
        if self.tidigare:
            kwargs["tidigare"] = self.tidigare
        return self.__class__.__qualname__, [], kwargs

    def state_forwards(self, app_label, state):
        pass

    def _skapa(self, app_label, schema_editor, state, falt):
        if schema_editor.connection.vendor != "postgresql":
            return
        modell = state.apps.get_model(app_label, self.model_name)
        qn = schema_editor.quote_name
        tabell = modell._meta.db_table
        schema_editor.execute(f"ALTER TABLE {qn(tabell)} DROP COLUMN IF EXISTS {qn(KOLUMN)}")
        if not falt:
            return
        kolumner = [qn(modell._meta.get_field(f).column) for f in falt]
        schema_editor.execute(
            f"ALTER TABLE {qn(tabell)} ADD COLUMN {qn(KOLUMN)} tsvector "
            f"GENERATED ALWAYS AS ({vektoruttryck(kolumner)}) STORED"
        )
        schema_editor.execute(
            f"CREATE INDEX {qn(indexnamn(tabell))} ON {qn(tabell)} USING gin ({qn(KOLUMN)})"
        )

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        self._skapa(app_label, schema_editor, to_state, self.falt)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self._skapa(app_label, schema_editor, to_state, self.tidigare)

    def describe(self):
        return f"Sökkolumn för {self.model_name}: {', '.join(self.falt)}"

    @property
    def migration_name_fragment(self):
        return f"{self.model_name}_sokkolumn"


def indexnamn(tabell: str) -> str:
    """The GIN index's name (within PostgreSQL's 63 characters)."""
    return f"{tabell[:50]}_sok_gin"
