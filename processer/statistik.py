"""Aggregate figures of the processes for a year: chapters 3 ("Processer och
styrdokument") and 10 ("Mål och resultat") of the kvalitetsberättelse (docs/siffror.md,
"Processer och styrdokument" and "Mål och resultat"). Pure queries, a fixed number of
them whatever the number of processes; what leaves here is plain JSON data about
processes, units, styrdokument and key figures – never a person (no processägare, no
processledare, no one who registered anything) and no free text written about a change.

The year `ar` runs from 1 January (`start`) to 31 December or the cut-off `till` if that
comes first (`slut`), both days included. A process is in use on a day as
`Process.objects.i_bruk` says: established (`inrattad`) on or before it and not
discontinued (`avvecklad`) on or before it.
"""

from datetime import date

from django.db.models import F, Prefetch, Q
from django.utils.translation import gettext

from kvalitet.statistik import MINSTA_BAS_FOR_PROCENT, arets_dagar

from .choices import Handelsetyp, Processtyp
from .models import Nyckeltal, Nyckeltalsvarde, Process, Processhandelse, siffra, uppnatt

TYPER = {k: str(v) for k, v in Processtyp.choices}
HANDELSETYPER = {k: str(v) for k, v in Handelsetyp.choices}
# The key figures' results shown beside the year's: this many years before it.
TIDIGARE_AR = 2


def _process(p: dict) -> dict:
    return {"nummer": p["nummer"], "namn": p["namn"], "enhet": p["enhet__namn"]}


# --- Chapter 3: Processer och styrdokument ----------------------------------------------


def processer_siffror(ar: int, till: date | None = None) -> dict:
    """Chapter 3: the process map on the year's last day (`slut`) by group, the processes
    established and discontinued during the year, and what was mapped, revised and
    published – three queries whatever the data.

    - `grupper`: every Processtyp in its order, each {"typ", "namn", "antal",
      "processer": [{"nummer", "namn", "enhet"}]} of the processes in use on `slut`, by
      name; a group without processes is there with none.
    - `inrattade` / `avvecklade`: the processes whose `inrattad` / `avvecklad` lies in
      [start, slut], by date: {"nummer", "namn", "datum"}.
    - `handelser`: the year's Processhandelse rows (datum in [start, slut], whatever the
      process's status now), by date and entry: {"datum", "process", "typ" (the label),
      "varde" (its code), "dokument"}; "Processen" when the event is about the process
      itself. Not its description, nor who registered it.
    - `per_typ`: the events per Handelsetyp, every type shown, also with 0.
    """
    start, slut = arets_dagar(ar, till)
    falt = ("nummer", "namn", "typ", "enhet__namn")
    i_bruk = list(Process.objects.i_bruk(slut).order_by("namn", "pk").values(*falt))
    grupper = [
        {
            "typ": typ,
            "namn": namn,
            "processer": [_process(p) for p in i_bruk if p["typ"] == typ],
        }
        for typ, namn in TYPER.items()
    ]
    for g in grupper:
        g["antal"] = len(g["processer"])

    andrade = list(
        Process.objects.filter(
            Q(inrattad__gte=start, inrattad__lte=slut)
            | Q(avvecklad__gte=start, avvecklad__lte=slut)
        )
        .order_by("namn", "pk")
        .values("nummer", "namn", "inrattad", "avvecklad")
    )

    def pa_aret(falt_):
        rader = [p for p in andrade if p[falt_] is not None and start <= p[falt_] <= slut]
        return [
            {"nummer": p["nummer"], "namn": p["namn"], "datum": p[falt_].isoformat()}
            for p in sorted(rader, key=lambda p: p[falt_])
        ]

    handelser = [
        {
            "datum": h["datum"].isoformat(),
            "process": h["process__namn"],
            "typ": HANDELSETYPER.get(h["typ"], h["typ"]),
            "dokument": h["dokument"] or gettext("Processen"),
            "varde": h["typ"],
        }
        for h in Processhandelse.objects.filter(datum__gte=start, datum__lte=slut)
        .order_by("datum", "pk")
        .values("datum", "typ", "dokument", "process__namn")
    ]
    per_typ = [
        {"varde": kod, "namn": namn, "antal": sum(1 for h in handelser if h["varde"] == kod)}
        for kod, namn in HANDELSETYPER.items()
    ]
    return {
        "slut": slut.isoformat(),
        "totalt": len(i_bruk),
        "grupper": grupper,
        "inrattade": pa_aret("inrattad"),
        "avvecklade": pa_aret("avvecklad"),
        "handelser": handelser,
        "per_typ": per_typ,
    }


# --- Chapter 10: Mål och resultat -------------------------------------------------------


def under_aret(start: date, slut: date):
    """The processes in use on at least one day of [start, slut]: established on or
    before `slut` and not discontinued on or before `start`, nor on the day they were
    established (`i_bruk`: a process discontinued on a day is no longer in use that day,
    so one discontinued on 1 January was not in use in the year)."""
    return Process.objects.filter(inrattad__lte=slut).filter(
        Q(avvecklad__isnull=True) | (Q(avvecklad__gt=start) & Q(avvecklad__gt=F("inrattad")))
    )


def andel_hel(del_: int, helhet: int) -> int | None:
    """`del_` as a whole-number percentage of `helhet` (halves rounded up), or None under
    MINSTA_BAS_FOR_PROCENT cases (DOMAIN.md §5, small numbers)."""
    if helhet < MINSTA_BAS_FOR_PROCENT:
        return None
    return (200 * del_ + helhet) // (2 * helhet)


def mal_siffror(ar: int, till: date | None = None) -> dict:
    """Chapter 10: each process in use during the year (up to the cut-off) with its goals
    and its key figures against the year's targets – three queries whatever the data.

    Per process {"nummer", "namn", "typ", "typnamn", "avvecklad", "mal", "nyckeltal",
    "utan_mal"}, by group and name. `nyckeltal` has a row for every key figure of the
    process with a target for `ar` (measured still or not): {"namn", "definition",
    "matt", "mal", "utfall", "uppnatt", "tidigare"} – the target as "≥ 90 %", the result
    as text or None when not measured, reached True/False/None by the key figure's
    direction (`processer.models.uppnatt`: on the target is reached), and the results of
    the two years before. `utan_mal` names the key figures still measured (of a process
    not discontinued by `slut`) that have no target for `ar`: not followed up against a
    target, and the report says so.

    Targets and results are read as they stand now: a year's result is measured after
    the year has ended, so the cut-off decides which processes count, not which values.

    `summering`: rows with a target (`antal`), reached, not reached, not measured,
    measured, and the share reached of the measured as a whole-number percentage from
    MINSTA_BAS_FOR_PROCENT measured rows, else None."""
    start, slut = arets_dagar(ar, till)
    arslista = list(range(ar - TIDIGARE_AR, ar + 1))
    processer = (
        under_aret(start, slut)
        .only("pk", "nummer", "namn", "typ", "mal", "avvecklad")
        .prefetch_related(
            Prefetch(
                "nyckeltal",
                queryset=Nyckeltal.objects.order_by("namn", "pk").prefetch_related(
                    Prefetch("varden", queryset=Nyckeltalsvarde.objects.filter(ar__in=arslista))
                ),
            )
        )
    )
    ordning = {typ: i for i, typ in enumerate(TYPER)}
    resultat = []
    for p in sorted(processer, key=lambda p: (ordning.get(p.typ, len(ordning)), p.namn, p.pk)):
        rader, utan_mal = [], []
        for n in p.nyckeltal.all():
            varden = {v.ar: v for v in n.varden.all()}
            arets = varden.get(ar)
            if arets is None:
                # A discontinued process's key figures are no longer followed up.
                if n.aktivt and not (p.avvecklad and p.avvecklad <= slut):
                    utan_mal.append(n.namn)
                continue
            rader.append(
                {
                    "namn": n.namn,
                    "definition": n.definition,
                    "matt": n.matt,
                    "mal": arets.maltext,
                    "utfall": _utfall(arets, n),
                    "uppnatt": uppnatt(n.riktning, arets.malvarde, arets.utfall),
                    "tidigare": [
                        {"ar": a, "utfall": _utfall(varden.get(a), n)} for a in arslista[:-1]
                    ],
                }
            )
        resultat.append(
            {
                "nummer": p.nummer,
                "namn": p.namn,
                "typ": p.typ,
                "typnamn": TYPER.get(p.typ, p.typ),
                # Discontinued by the year's last day; a later date was after the report.
                "avvecklad": p.avvecklad.isoformat()
                if p.avvecklad is not None and p.avvecklad <= slut
                else None,
                "mal": p.mallista,
                "nyckeltal": rader,
                "utan_mal": utan_mal,
            }
        )
    alla = [r for p in resultat for r in p["nyckeltal"]]
    uppnadda = sum(1 for r in alla if r["uppnatt"] is True)
    ej_uppnadda = sum(1 for r in alla if r["uppnatt"] is False)
    matta = uppnadda + ej_uppnadda
    return {
        "slut": slut.isoformat(),
        "processer": resultat,
        "summering": {
            "antal": len(alla),
            "uppnadda": uppnadda,
            "ej_uppnadda": ej_uppnadda,
            "ej_matta": len(alla) - matta,
            "matta": matta,
            "andel_uppnadda": andel_hel(uppnadda, matta),
            "utan_mal": sum(len(p["utan_mal"]) for p in resultat),
        },
        "minsta_antal": MINSTA_BAS_FOR_PROCENT,
    }


def _utfall(varde, nyckeltal) -> str | None:
    """A year's result as Swedish text ("87,5 %"), or None when not measured or no value
    row for the year."""
    if varde is None or varde.utfall is None:
        return None
    return siffra(varde.utfall, nyckeltal.matt)
