"""Building blocks of the case apps' `statistik.py` modules, and the figures of the shared
improvement actions. Pure aggregate queries done in the database; what leaves here are
counts and names of categories and units, never a person or a case.

Periods follow docs/siffror.md: a case counts in the year it was reported or received, in
Swedish local time, up to a cut-off date (`till`); handling events (answers, closings)
count only if they happened by the cut-off.
"""

from datetime import date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import (
    Aggregate,
    Case,
    CharField,
    Count,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Extract, TruncDate, TruncMonth
from django.utils import timezone
from django.utils.text import capfirst

from kvalitet import summering
from kvalitet.models import (
    ATGARD_OPPNA,
    Atgard,
    Atgardsstatus,
    Atgardstyp,
    Enhet,
    Enhetstyp,
    omraden_per_enhet,
)

MANADER = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


def midnatt(dag: date) -> datetime:
    """The start of `dag` in Swedish local time, as an aware datetime."""
    return timezone.make_aware(datetime.combine(dag, time.min))


def period(ar: int, till: date | None = None) -> tuple[datetime, datetime]:
    """[start, end) of year `ar` in local time, ending after `till` if that comes first."""
    slut = date(ar + 1, 1, 1)
    if till is not None:
        slut = min(slut, till + timedelta(days=1))
    return midnatt(date(ar, 1, 1)), midnatt(slut)


def dagar(ar: int, till: date | None = None) -> tuple[date, date]:
    """`period` as local days: [first day, the day after the last)."""
    slut = date(ar + 1, 1, 1)
    if till is not None:
        slut = min(slut, till + timedelta(days=1))
    return date(ar, 1, 1), slut


def arets_dagar(ar: int, till: date | None = None) -> tuple[date, date]:
    """(start, slut), both days included: 1 January of `ar`, and 31 December or the
    cut-off if earlier – the year of a standing record's figures (risks, controls,
    processes)."""
    slut = date(ar, 12, 31)
    return date(ar, 1, 1), min(slut, till) if till is not None else slut


def slut_for(till: date | None) -> datetime | None:
    """The moment after the cut-off day; handling events at or after it do not count."""
    return midnatt(till + timedelta(days=1)) if till is not None else None


def rakna(qs, falt, etiketter=None, *, tom="–"):
    """Counts per value of `falt`, largest first: [{"varde", "namn", "antal"}]."""
    rader = qs.values(falt).annotate(antal=Count("pk", distinct=True)).order_by("-antal", falt)
    return [
        {
            "varde": r[falt],
            "namn": str((etiketter or {}).get(r[falt], r[falt] or tom)),
            "antal": r["antal"],
        }
        for r in rader
    ]


def alla_varden(rader, etiketter):
    """`rader` with a zero row for every label that has no count, in label order: a
    breakdown by a fixed code list (type, channel) shows every code."""
    antal = {r["varde"]: r["antal"] for r in rader}
    return [{"varde": k, "namn": str(v), "antal": antal.get(k, 0)} for k, v in etiketter.items()]


def avdelning_for(enheter):
    """Map unit id → the name of the avdelning it belongs to (the förvaltning's own
    units map to the förvaltning). One query over the whole tree, which is small."""
    noder = list(Enhet.objects.values("pk", "sokvag", "typ", "namn"))
    per_sokvag = {n["sokvag"]: n for n in noder}
    resultat = {}
    for n in noder:
        if n["pk"] not in enheter:
            continue
        delar = n["sokvag"].split(".")[:-1]
        kedja = [per_sokvag.get(".".join(delar[: i + 1]) + ".") for i in range(len(delar))]
        kedja = [k for k in kedja if k]
        avdelning = next((k for k in kedja if k["typ"] == Enhetstyp.AVDELNING), None)
        resultat[n["pk"]] = (avdelning or kedja[0])["namn"]
    return resultat


def per_enhet(qs, falt="enhet") -> dict:
    """{unit id: count} of `qs`, grouped in the database."""
    return {
        r[falt]: r["antal"]
        for r in qs.values(falt).annotate(antal=Count("pk", distinct=True)).order_by()
    }


def per_avdelning(qs, falt="enhet"):
    """Counts per avdelning: grouped per unit in the database, then rolled up the tree."""
    return avdelningar(per_enhet(qs, falt))


def avdelningar(antal_per_enhet: dict):
    """{unit id: count} rolled up per avdelning (one query over the tree), largest first."""
    namn = avdelning_for(set(antal_per_enhet))
    summa = {}
    for enhet_id, antal in antal_per_enhet.items():
        nyckel = namn.get(enhet_id, "–")
        summa[nyckel] = summa.get(nyckel, 0) + antal
    return [
        {"varde": k, "namn": k, "antal": v}
        for k, v in sorted(summa.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


UTAN_OMRADE = "Utan verksamhetsområde"


def per_verksamhetsomrade(qs, falt="enhet"):
    """Counts per verksamhetsområde: grouped per unit in the database (one query), then
    summed per the unit's område (`verksamhetsomraden`)."""
    return verksamhetsomraden(per_enhet(qs, falt))


def verksamhetsomraden(antal_per_enhet: dict):
    """{unit id: count} summed per the unit's område – its own, else the nearest unit
    above's – as the units stand now (one query over the tree). Cases of units without
    one count under UTAN_OMRADE, shown last."""
    if not antal_per_enhet:
        return []
    omrade = omraden_per_enhet()
    summa = {}
    for enhet_id, antal in antal_per_enhet.items():
        nyckel = omrade.get(enhet_id)
        namn = nyckel[1] if nyckel else UTAN_OMRADE
        summa[namn] = summa.get(namn, 0) + antal
    return [
        {"varde": k, "namn": k, "antal": v}
        for k, v in sorted(summa.items(), key=lambda kv: (kv[0] == UTAN_OMRADE, -kv[1], kv[0]))
    ]


def per_manad(qs, falt, *, sista: date | None = None):
    """Twelve monthly counts by local month of `falt`. Months after `sista` (the cut-off
    within the year) have no figure yet: None, shown as a dash, not as zero."""
    tz = timezone.get_current_timezone()
    rader = (
        qs.annotate(manad=TruncMonth(falt, tzinfo=tz))
        .values("manad")
        .annotate(antal=Count("pk"))
        .order_by()
    )
    antal = {r["manad"].month: r["antal"] for r in rader}
    return [
        {
            "varde": i + 1,
            "namn": namn,
            "antal": None if sista and i + 1 > sista.month else antal.get(i + 1, 0),
        }
        for i, namn in enumerate(MANADER)
    ]


def lokal_dag(falt):
    """The Swedish calendar day of a datetime field."""
    return TruncDate(falt, tzinfo=timezone.get_current_timezone())


def kalenderdagar(fran, till):
    """Whole calendar days between two datetime fields, in Swedish time."""
    return ExpressionWrapper(lokal_dag(till) - lokal_dag(fran), output_field=DurationField())


def som_dag(qs, falt):
    """`falt` of `qs` as a calendar day: a moment's Swedish date, a date as it is."""
    if isinstance(qs.query.resolve_ref(falt).output_field, DateTimeField):
        return lokal_dag(falt)
    return F(falt)


def _dagar(qs, fran, till):
    """Calendar days from `fran` to `till` (docs/siffror.md: a case reported at 23.30
    and closed at 00.30 took one day), as a duration."""
    return ExpressionWrapper(som_dag(qs, till) - som_dag(qs, fran), output_field=DurationField())


def median_dagar(qs, fran, till):
    """Median calendar days from `fran` to `till` (date or datetime fields, Swedish
    time): the middle value, or the mean of the two middle ones; sorted in the database."""
    antal = qs.count()
    if not antal:
        return None
    tid = _dagar(qs, fran, till)
    ordnade = qs.annotate(_tid=tid).order_by("_tid").values_list("_tid", flat=True)
    mitt = antal // 2
    varden = list(ordnade[mitt : mitt + 1] if antal % 2 else ordnade[mitt - 1 : mitt + 1])
    return round(sum(v.total_seconds() for v in varden) / len(varden) / 86400, 1)


class _Median(Aggregate):
    """PostgreSQL's `percentile_cont(0.5)` of seconds: the middle value, or the mean of
    the two middle values – the same median `median_dagar` takes from the sorted rows."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def medianer(qs, matt: dict) -> dict:
    """Several `median_dagar` over `qs` at once: `matt` maps a name to (fran, till,
    condition Q) – the median calendar days from `fran` to `till` over the rows of `qs`
    meeting the condition, None without rows. On PostgreSQL one query (percentile_cont
    with FILTER); elsewhere two queries per median, as `median_dagar`."""
    if connection.vendor != "postgresql":
        return {k: median_dagar(qs.filter(q), fran, till) for k, (fran, till, q) in matt.items()}
    r = qs.aggregate(
        **{
            k: _Median(Extract(_dagar(qs, fran, till), "epoch"), filter=q)
            for k, (fran, till, q) in matt.items()
        }
    )
    return {k: None if v is None else round(v / 86400, 1) for k, v in r.items()}


def median_av(fordelning: dict) -> float | None:
    """The median of whole numbers given as {value: how many}: the middle value, or the
    mean of the two middle values (as `median_dagar` and `percentile_cont`); None
    without values."""
    antal = sum(fordelning.values())
    if not antal:
        return None
    mitt = [(antal - 1) // 2, antal // 2]  # the middle position(s), from 0
    varden, hittills = [], 0
    for varde, n in sorted(fordelning.items()):
        hittills += n
        while mitt and mitt[0] < hittills:
            varden.append(varde)
            mitt.pop(0)
    return round(sum(varden) / 2, 1)


def sortera(antal: dict, etiketter=None, *, tom="–"):
    """{value: count} as `rakna` gives it, largest first, then by value as the database
    orders it: NULL last on PostgreSQL, first on SQLite; the collation is C, code point
    order, like Python's."""
    null_sist = connection.vendor == "postgresql"
    rader = sorted(
        antal.items(), key=lambda kv: (-kv[1], (kv[0] is None) == null_sist, kv[0] or "")
    )
    return [
        {"varde": k, "namn": str((etiketter or {}).get(k, k or tom)), "antal": v}
        for k, v in rader
        if v
    ]


def namn_for(kodlista) -> dict:
    """{id: name} of a `Kodlista` (categories, cause areas: a short list), one query."""
    return dict(kodlista.objects.values_list("pk", "namn"))


def med_namn(antal_per_id: dict, namn: dict) -> dict:
    """{id: count} of a `Kodlista` as {name: count} (`namn` from `namn_for`), cases
    without one (None) kept as None. Names are unique, so this is the count per name
    that grouping on the name would give, without a join a row."""
    return {namn.get(k) if k is not None else None: v for k, v in antal_per_id.items()}


def summera(rader, nyckel, falt="antal") -> dict:
    """Sum `falt` of grouped rows per `nyckel(row)` (a key function or a column name)."""
    hamta = nyckel if callable(nyckel) else (lambda r: r[nyckel])
    summa = {}
    for r in rader:
        k = hamta(r)
        summa[k] = summa.get(k, 0) + r[falt]
    return summa


def manader(antal_per_manad: dict, ar: int, till: date | None):
    """Twelve monthly counts from {month number: count}; months after a cut-off within
    the year have no figure yet (None), as `Arendestatistik.per_manad`."""
    sista = till if till is not None and till.year == ar else None
    return [
        {
            "varde": i + 1,
            "namn": namn,
            "antal": None if sista and i + 1 > sista.month else antal_per_manad.get(i + 1, 0),
        }
        for i, namn in enumerate(MANADER)
    ]


# Small numbers (DOMAIN.md §5, docs/siffror.md): a share is given as a percentage only
# from this many cases upwards; below it the report shows the count ("7 av 9"). The one
# rule, used here and by the report's `andel_av` filter.
MINSTA_BAS_FOR_PROCENT = 10


def andel(del_, helhet):
    """`del_` as a percentage of `helhet` with one decimal, or None when `helhet` is
    under MINSTA_BAS_FOR_PROCENT (then only the count is shown)."""
    if not helhet or helhet < MINSTA_BAS_FOR_PROCENT:
        return None
    return round(100 * del_ / helhet, 1)


# --- The figures every case type counts the same way -----------------------------------


class Arendestatistik:
    """The year's cases of one case type and the breakdowns every type shares, over the
    date field the model declares (`DATUMFALT`: reported, received ...).

    A case type's `statistik.py` binds one (`ARENDEN = Arendestatistik(Avvikelse)`) and
    adds the figures only it has; `rapporter` reads the module, never the models."""

    def __init__(self, modell, *, summa=None, **villkor):
        self.modell = modell
        # A fixed condition on the cases counted (avvikelser: typ="avvikelse", so that
        # tillbud never enter the avvikelse figures).
        self.villkor = villkor
        # The type's counts kept per local day (kvalitet.summering), with the columns of
        # the condition; read instead of the cases where the database keeps it.
        self.summa = summa

    def summerad(self) -> bool:
        return self.summa is not None and summering.finns(self.summa)

    def urval(self, ar: int, *, till: date | None = None):
        """The cases of `ar` by the date field (local time), up to and including `till`."""
        fran, slut = period(ar, till)
        falt = self.modell.DATUMFALT
        return self.modell.objects.filter(
            **self.villkor, **{f"{falt}__gte": fran, f"{falt}__lt": slut}
        )

    def antal(self, ar, *, till=None) -> int:
        return self.urval(ar, till=till).count()

    def per_kod(self, ar, falt, *, till=None):
        """Counts per code of a choice field, every code shown (zero where none)."""
        koder = self.koder(falt)
        return alla_varden(rakna(self.urval(ar, till=till), falt), koder)

    def per_namn(self, ar, falt, *, till=None, tom="–"):
        """Counts per name of a related list (category ...); `tom` for cases without."""
        return rakna(self.urval(ar, till=till), falt, tom=tom)

    def per_avdelning(self, ar, *, till=None):
        return per_avdelning(self.urval(ar, till=till))

    def per_verksamhetsomrade(self, ar, *, till=None):
        return per_verksamhetsomrade(self.urval(ar, till=till))

    def per_avdelning_och_omrade(self, ar, *, till=None):
        """(`per_avdelning`, `per_verksamhetsomrade`) from one grouping per unit."""
        antal = per_enhet(self.urval(ar, till=till))
        return avdelningar(antal), verksamhetsomraden(antal)

    def per_manad(self, ar, *, till=None):
        """Twelve monthly counts; months after a cut-off within the year have none yet."""
        sista = till if till is not None and till.year == ar else None
        return per_manad(self.urval(ar, till=till), self.modell.DATUMFALT, sista=sista)

    def per_ar(self, arslista, *, till=None, falt=None) -> dict:
        """The counts of several years in one query: {year: {"totalt": n, "per_kod":
        {code: n}}} by the year (local time) of the date field, per code of `falt` if given. The
        last year is cut off at `till` (as `urval`), the earlier ones are whole years, as
        the comparison over years counts them; years not asked for are not read."""
        arslista = sorted(set(arslista))
        resultat = {a: {"totalt": 0, "per_kod": {}} for a in arslista}
        if not arslista:
            return resultat
        # From the summary: its rows of the years' days; else from the cases.
        summerad = self.summerad()
        datum, tid = (self.summa.DAG, dagar) if summerad else (self.modell.DATUMFALT, period)
        perioder = {}
        for a in arslista:
            fran, slut = tid(a, till if a == arslista[-1] else None)
            if fran < slut:
                perioder[a] = Q(**{f"{datum}__gte": fran, f"{datum}__lt": slut})
        if not perioder:
            return resultat
        # One count per year, each with its period as a filter: a few cheap comparisons
        # a row (no time-zone conversion), a handful of groups, a parallel plan.
        villkor = Q()
        for q in perioder.values():
            villkor |= q
        if summerad:
            qs = self.summa.objects.filter(villkor, **self.villkor)
            antal = {f"ar_{a}": Sum("antal", filter=q, default=0) for a, q in perioder.items()}
        else:
            qs = self.modell.objects.filter(villkor, **self.villkor)
            antal = {f"ar_{a}": Count("pk", filter=q) for a, q in perioder.items()}
        rader = qs.values(falt).annotate(**antal).order_by() if falt else [qs.aggregate(**antal)]
        for r in rader:
            for a in perioder:
                rad = resultat[a]
                rad["totalt"] += r[f"ar_{a}"]
                if falt and r[f"ar_{a}"]:
                    rad["per_kod"][r[falt]] = rad["per_kod"].get(r[falt], 0) + r[f"ar_{a}"]
        return resultat

    def koder(self, falt) -> dict:
        """{code: label} of a choice field, for labelling imported history; a field the
        fixed condition pins to one code has only that code."""
        koder = dict(self.modell._meta.get_field(falt).flatchoices)
        if falt in self.villkor:
            koder = {k: v for k, v in koder.items() if k == self.villkor[falt]}
        return koder


# --- Improvement actions (docs/siffror.md) -------------------------------------------


def atgardsstatus_vid(qs, brytdag: date):
    """`qs` annotated with `status_vid`: an action's status at the end of `brytdag`, from
    its dates (docs/siffror.md): Utvärderad if evaluated by then, else Genomförd if done
    by then, else its current open status (Planerad or Pågår); one done or evaluated
    only after `brytdag` was still in progress (Pågår) at it."""
    return qs.annotate(
        status_vid=Case(
            When(utvarderad__lte=brytdag, then=Value(Atgardsstatus.UTVARDERAD.value)),
            When(genomford__lte=brytdag, then=Value(Atgardsstatus.GENOMFORD.value)),
            When(status__in=ATGARD_OPPNA, then=F("status")),
            default=Value(Atgardsstatus.PAGAR.value),
            output_field=CharField(),
        )
    )


def atgarder(ar: int, till: date | None = None):
    """Improvement actions decided in the year (by creation, up to the cut-off), by
    source, kind and status at the cut-off; what of them was done and evaluated by the
    cut-off (the same count as the status table), and what was overdue.

    One definition per figure, used by both the text and the tables: "genomförda" is
    the status rows Genomförd + Utvärderad, "utvärderade" the row Utvärderad."""
    fran, slut = period(ar, till)
    sista = min(date(ar, 12, 31), till or date(ar, 12, 31))
    brytdag = till or date(ar, 12, 31)
    arets = Atgard.objects.filter(skapad__gte=fran, skapad__lt=slut)
    kallor = {
        ct.pk: capfirst(ct.model_class()._meta.verbose_name)
        for ct in ContentType.objects.filter(pk__in=arets.values("content_type"))
    }
    per_status = alla_varden(
        rakna(atgardsstatus_vid(arets, brytdag), "status_vid"), dict(Atgardsstatus.choices)
    )
    antal_status = {r["varde"]: r["antal"] for r in per_status}
    utvarderade = antal_status[Atgardsstatus.UTVARDERAD]
    return {
        "beslutade": arets.count(),
        "per_kalla": rakna(arets, "content_type", kallor),
        "per_status": per_status,
        "per_typ": rakna(arets, "typ", dict(Atgardstyp.choices)),
        "genomforda": antal_status[Atgardsstatus.GENOMFORD] + utvarderade,
        "utvarderade": utvarderade,
        # Actions decided in earlier years and done during this one: a figure of its
        # own, never added to the year's actions above.
        "tidigare_ars_genomforda": Atgard.objects.filter(
            skapad__lt=fran, genomford__gte=date(ar, 1, 1), genomford__lte=sista
        ).count(),
        # "Of the year's actions, not done by their due date": judged by the done date,
        # not by today's status, so finishing an action after the cut-off changes nothing.
        "forsenade_vid_brytdatum": arets.filter(forfallodatum__lt=sista)
        .filter(Q(genomford__isnull=True) | Q(genomford__gt=F("forfallodatum")))
        .count(),
    }
