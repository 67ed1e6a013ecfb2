"""Aggregate figures of avvikelser and tillbud for a year (docs/siffror.md). Pure
queries, done in the database; no personal data leaves this module. An avvikelse counts
in the year it was reported (`rapporterad`), in Swedish local time, up to an optional
cut-off date; a closing counts only if it happened by the cut-off. A case reopened and
closed again counts once, with its last closing.

Tillbud are not avvikelser (DOMAIN.md §5): they are a work-environment matter, counted
only by `tillbud()`, never in the avvikelse figures (totals, categories, cause areas,
units, months, handling times, year-over-year)."""

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from kvalitet import statistik as s
from kvalitet import summering
from kvalitet.models import Atgardstyp

from .choices import Typ
from .models import (
    Avvikelse,
    Avvikelseavslut,
    Enhetssumma,
    Kategori,
    Kategorisumma,
    Orsaksomrade,
    Orsakssumma,
)

ARENDEN = s.Arendestatistik(Avvikelse, typ=Typ.AVVIKELSE.value, summa=Kategorisumma)
TILLBUD = s.Arendestatistik(Avvikelse, typ=Typ.TILLBUD.value)
urval = ARENDEN.urval
antal = ARENDEN.antal
per_avdelning = ARENDEN.per_avdelning
per_verksamhetsomrade = ARENDEN.per_verksamhetsomrade
per_manad = ARENDEN.per_manad
TYPER = ARENDEN.koder("typ")


def per_typ(ar, **kw):
    return ARENDEN.per_kod(ar, "typ", **kw)


def per_kategori(ar, **kw):
    return ARENDEN.per_namn(ar, "kategori__namn", tom="Ej kategoriserad", **kw)


def per_orsaksomrade(ar, **kw):
    """Cause areas found in the investigations; a case may have several, so the sum can
    exceed the number of cases. Cases without a cause area are not counted here.
    Counted on the link table per cause area (a case has a cause area once), then
    named: no join to the names a row. Where the database keeps the counts per day
    (`Orsakssumma`), those are read instead of the links."""
    if summering.finns(Orsakssumma):
        fran, slut = s.dagar(ar, kw.get("till"))
        rader = Orsakssumma.objects.filter(
            typ=Typ.AVVIKELSE, rapportdag__gte=fran, rapportdag__lt=slut
        ).values("orsaksomrade")
        antal = {r["orsaksomrade"]: r["antal"] for r in rader.annotate(antal=Sum("antal"))}
    else:
        lankar = Avvikelse.orsaksomraden.through.objects.filter(avvikelse__in=urval(ar, **kw))
        antal = {
            r["orsaksomrade"]: r["antal"]
            for r in lankar.values("orsaksomrade").annotate(antal=Count("pk")).order_by()
        }
    return s.sortera(s.med_namn(antal, s.namn_for(Orsaksomrade)))


def handlaggning(ar, *, till=None):
    """How the year's cases were handled by the cut-off: closed, closed within the
    investigation deadline, median days to close, still open."""
    qs = urval(ar, till=till)
    avslutade = qs.filter(avslutad__isnull=False)
    if till is not None:
        avslutade = avslutade.filter(avslutad__lt=s.slut_for(till))
    totalt = qs.count()
    antal_avslutade = avslutade.count()
    # The deadline is a local calendar day; closing on that day is in time.
    inom_frist = (
        avslutade.annotate(avslutsdag=s.lokal_dag("avslutad"))
        .filter(avslutsdag__lte=F("tidsfrist"))
        .count()
    )
    return {
        "totalt": totalt,
        "avslutade": antal_avslutade,
        "oppna": totalt - antal_avslutade,
        "inom_frist": inom_frist,
        "andel_inom_frist": s.andel(inom_frist, antal_avslutade),
        "median_dagar": s.median_dagar(avslutade, "rapporterad", "avslutad"),
    }


def orsak_mot_atgard(ar, *, till=None):
    """Cross-tabulation of cause area against kind of improvement action for the year's
    cases (do the actions fit the causes?). Each action counts once under
    every cause area of its case; actions decided after the cut-off do not count."""
    # One filter() call, so that the condition on the actions and the grouping below
    # share one join (a second call on a multi-valued relation would add another).
    villkor = {"orsaksomraden__isnull": False, "atgarder__isnull": False}
    if till is not None:
        villkor["atgarder__skapad__lt"] = s.slut_for(till)
    celler = {
        (r["orsaksomraden__namn"], r["atgarder__typ"]): r["antal"]
        for r in urval(ar, till=till)
        .filter(**villkor)
        .values("orsaksomraden__namn", "atgarder__typ")
        .annotate(antal=Count("atgarder__pk"))
        .order_by()
    }
    typer = [t for t in Atgardstyp if any(k[1] == t for k in celler)]
    return {
        "kolumner": [str(t.label) for t in typer],
        "rader": [
            {"namn": namn, "antal": [celler.get((namn, t.value), 0) for t in typer]}
            for namn in sorted({k[0] for k in celler})
        ],
    }


def tillbud(ar, *, till=None):
    """The year's tillbud, for their own small table: total, closed by the cut-off, and
    per category."""
    qs = TILLBUD.urval(ar, till=till)
    avslutade = qs.filter(avslutad__isnull=False)
    if till is not None:
        avslutade = avslutade.filter(avslutad__lt=s.slut_for(till))
    totalt = qs.count()
    antal_avslutade = avslutade.count()
    return {
        "totalt": totalt,
        "avslutade": antal_avslutade,
        "oppna": totalt - antal_avslutade,
        "per_kategori": TILLBUD.per_namn(ar, "kategori__namn", till=till, tom="Ej kategoriserad"),
    }


def arssiffror(ar, *, till=None):
    """The chapter's figures of the year: what `antal`, `per_typ`, `per_kategori`,
    `per_avdelning`, `per_verksamhetsomrade`, `per_manad`, `handlaggning` and `tillbud`
    give one by one, by the same definitions (tests/rapporter/test_arssiffror.py holds
    them equal), from counts per type, unit and local month and per type and category,
    and the closings per type: closed and in time by the cut-off, and the median days.

    Where the database keeps the counts (`Enhetssumma`, `Kategorisumma`,
    `Avvikelseavslut`, kvalitet.summering) they are read, some ten thousand rows a year;
    else the year's cases in one pass and one more for the median (`_fran_arendena`)."""
    if summering.finns(Enhetssumma):
        per_enhet, per_kategori, avslut, dagar = _fran_summorna(ar, till)
    else:
        per_enhet, per_kategori, avslut, dagar = _fran_arendena(ar, till)
    kategorier = s.namn_for(Kategori)

    def av(rader, typ):
        return [r for r in rader if r["typ"] == typ]

    avv = av(per_enhet, Typ.AVVIKELSE)
    totalt = sum(r["antal"] for r in avv)
    antal_avslutade, inom_frist = avslut.get(Typ.AVVIKELSE, (0, 0))
    tillbud_totalt = sum(r["antal"] for r in av(per_enhet, Typ.TILLBUD))
    tillbud_avslutade = avslut.get(Typ.TILLBUD, (0, 0))[0]

    def kategorilista(typ):
        antal = s.summera(av(per_kategori, typ), "kategori")
        return s.sortera(s.med_namn(antal, kategorier), tom="Ej kategoriserad")

    return {
        "totalt": totalt,
        "per_typ": s.alla_varden([{"varde": Typ.AVVIKELSE.value, "antal": totalt}], TYPER),
        "per_kategori": kategorilista(Typ.AVVIKELSE),
        "per_avdelning": s.avdelningar(s.summera(avv, "enhet")),
        "per_verksamhetsomrade": s.verksamhetsomraden(s.summera(avv, "enhet")),
        "per_manad": s.manader(s.summera(avv, "manad"), ar, till),
        "handlaggning": {
            "totalt": totalt,
            "avslutade": antal_avslutade,
            "oppna": totalt - antal_avslutade,
            "inom_frist": inom_frist,
            "andel_inom_frist": s.andel(inom_frist, antal_avslutade),
            "median_dagar": dagar,
        },
        "tillbud": {
            "totalt": tillbud_totalt,
            "avslutade": tillbud_avslutade,
            "oppna": tillbud_totalt - tillbud_avslutade,
            "per_kategori": kategorilista(Typ.TILLBUD),
        },
    }


def _fran_summorna(ar, till):
    """`arssiffror`'s counts from the summaries: rows per type, unit and month, rows per
    type and category, {type: (closed, in time)} by the cut-off, and the median calendar
    days from report to closing of the avvikelser closed by then (from their
    distribution)."""
    fran, slut = s.dagar(ar, till)

    def arets(modell, *nycklar):
        rader = (
            modell.objects.filter(rapportdag__gte=fran, rapportdag__lt=slut)
            .annotate(manad=ExtractMonth("rapportdag"))  # read where asked for
            .values("typ", *nycklar)
            .annotate(antal=Sum("antal"))
            .order_by()
        )
        return [r for r in rader if r["antal"]]  # a key whose rows sum to zero: none

    avslutade = Avvikelseavslut.objects.filter(rapportdag__gte=fran, rapportdag__lt=slut)
    if till is not None:
        avslutade = avslutade.filter(avslutsdag__lte=till)
    avslut, fordelning = {}, {}
    for r in (
        avslutade.annotate(dagar=F("avslutsdag") - F("rapportdag"))
        .values("typ", "i_tid", "dagar")
        .annotate(antal=Sum("antal"))
        .order_by()
    ):
        stangda, i_tid = avslut.get(r["typ"], (0, 0))
        avslut[r["typ"]] = (stangda + r["antal"], i_tid + (r["antal"] if r["i_tid"] else 0))
        if r["typ"] == Typ.AVVIKELSE:
            dagar = r["dagar"].days
            fordelning[dagar] = fordelning.get(dagar, 0) + r["antal"]
    per_enhet = arets(Enhetssumma, "enhet", "manad")
    per_kategori = arets(Kategorisumma, "kategori")
    return per_enhet, per_kategori, avslut, s.median_av(fordelning)


def _fran_arendena(ar, till):
    """`_fran_summorna`'s counts from the year's cases (avvikelser and tillbud
    together) in one pass, and the median in one more. The grouped query reads only
    columns of the index `avvikelse_statistik_idx` (an index-only scan on PostgreSQL)."""
    fran, slut = s.period(ar, till)
    avslut = s.slut_for(till)
    avslutad = Q(avslutad__isnull=False)
    if avslut is not None:
        avslutad &= Q(avslutad__lt=avslut)
    tz = timezone.get_current_timezone()
    qs = Avvikelse.objects.filter(
        rapporterad__gte=fran, rapporterad__lt=slut, typ__in=[Typ.AVVIKELSE, Typ.TILLBUD]
    )
    rader = list(
        qs.annotate(
            avslutsdag=s.lokal_dag("avslutad"), manad=ExtractMonth("rapporterad", tzinfo=tz)
        )
        .values("typ", "enhet", "kategori", "manad")
        .annotate(
            antal=Count("pk"),
            avslutade=Count("pk", filter=avslutad),
            # The deadline is a local calendar day; closing on that day is in time.
            inom_frist=Count("pk", filter=avslutad & Q(avslutsdag__lte=F("tidsfrist"))),
        )
        .order_by()
    )
    stangda = {}
    for typ in (Typ.AVVIKELSE, Typ.TILLBUD):
        mina = [r for r in rader if r["typ"] == typ]
        stangda[typ] = (sum(r["avslutade"] for r in mina), sum(r["inom_frist"] for r in mina))
    dagar = s.medianer(
        qs.filter(typ=Typ.AVVIKELSE), {"median": ("rapporterad", "avslutad", avslutad)}
    )["median"]
    # The rows per type, unit, category and month serve both groupings.
    return rader, rader, stangda, dagar
