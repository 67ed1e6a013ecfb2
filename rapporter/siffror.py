"""The figures of a kvalitetsberättelse, assembled from the case apps' `statistik.py` and,
for years before the product was in use, from imported history (before the series'
`Driftstart`, docs/siffror.md "Historik från tidigare system").

`berakna(ar, brytdatum)` returns plain JSON-serialisable data: it is stored as is when a
report is decided, and both the HTML preview and the PDF are rendered from it, so a
decided report shows the same figures for ever.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from avvikelser import statistik as avvikelser
from internkontroll import statistik as internkontroll
from kvalitet import statistik as kvalitet
from kvalitet.models import Enhet
from lexsarah import statistik as lexsarah
from processer import statistik as processer
from riskregister import statistik as riskregister
from synpunkter import statistik as synpunkter
from tillsyn import statistik as tillsyn

from .choices import Dimension, Serie, Status
from .models import Driftstart, Historik

JAMFORELSEAR = 5


@dataclass(frozen=True)
class Serieinfo:
    """How one series is counted from records, and how its history is read."""

    serie: str
    # (years, till=, falt=) -> {year: {"totalt", "per_kod"}}: the years in one query
    per_ar: Callable
    typer: dict  # code -> label, for history rows
    etiketter: dict = field(default_factory=dict)  # dimension -> {code: label}
    typfalt: str | None = "typ"  # the field the types are counted by; None: no types


SERIER = {
    Serie.SYNPUNKTER: Serieinfo(
        Serie.SYNPUNKTER,
        synpunkter.ARENDEN.per_ar,
        synpunkter.TYPER,
        {Dimension.KANAL: synpunkter.KANALER},
    ),
    Serie.AVVIKELSER: Serieinfo(Serie.AVVIKELSER, avvikelser.ARENDEN.per_ar, avvikelser.TYPER),
    # Lex Sarah has no types: its trend is the number of rapporter, and its history a
    # total row (a breakdown by classification may leave unclassified cases out, so it
    # never stands in for a missing total).
    Serie.LEXSARAH: Serieinfo(
        Serie.LEXSARAH,
        lexsarah.ARENDEN.per_ar,
        {},
        {Dimension.KLASSNING: lexsarah.KLASSNINGAR},
        typfalt=None,
    ),
}


def _fran_historik(rader, dimension, etiketter=None):
    """History rows of one dimension as report rows, largest first."""
    if dimension == Dimension.ENHET:
        namn = dict(
            Enhet.objects.filter(kod__in=[r.varde for r in rader]).values_list("kod", "namn")
        )
    else:
        namn = {k: str(v) for k, v in (etiketter or {}).items()}
    resultat = [
        {"varde": r.varde, "namn": namn.get(r.varde, r.varde), "antal": r.antal}
        for r in rader
        if r.dimension == dimension
    ]
    return sorted(resultat, key=lambda r: (-r["antal"], r["namn"]))


# Series whose records go live with another series' records: tillbud are avvikelse
# records (a `typ`), so they are complete from the avvikelser series' driftstart.
DRIFTSTART_SOM = {"tillbud": Serie.AVVIKELSER}


def driftstart(serie: str) -> date | None:
    """The day from which the series' records are complete (`Driftstart`), or None if
    none is set (then history is used only for years without records)."""
    serie = DRIFTSTART_SOM.get(serie, serie)
    return Driftstart.objects.filter(serie=serie).values_list("fran", flat=True).first()


def historik_for(serie: str, ar: int, *, fran=...):
    """The imported history of a series and year as {dimension: rows, "totalt": n}, or
    None if there is none.

    With a driftstart (`fran`, read from the database unless given; None for none) the
    history of its year and later years is not used: from that year on the figures come
    from the records, which are complete from that day. Without one the caller applies
    the old rule (history only for a year without records)."""
    if fran is ...:
        fran = driftstart(serie)
    if fran is not None and ar >= fran.year:
        return None
    return _historik(serie, ar)


def _totalt_och_typer(rader, typer):
    """(total, rows by type) of one year's history rows, or None without a total."""
    totalt = next((r.antal for r in rader if r.dimension == Dimension.TOTAL), None)
    per_typ = _fran_historik(rader, Dimension.TYP, typer)
    if typer:
        # Only the series' own types: a `tillbud` row imported under the avvikelser
        # series is not an avvikelse (DOMAIN.md §5), in the breakdown or the total.
        per_typ = [r for r in per_typ if r["varde"] in typer]
    if totalt is None:
        # Without a total row, the breakdown by type is complete by definition; other
        # breakdowns (categories, units) may leave cases out.
        totalt = sum(r["antal"] for r in per_typ) if per_typ else None
    return None if totalt is None else (totalt, per_typ)


def _historik(serie: str, ar: int):
    info = SERIER.get(serie)
    rader = list(Historik.objects.filter(serie=serie, ar=ar))
    typer = info.typer if info else {}
    if not rader or (summa := _totalt_och_typer(rader, typer)) is None:
        return None
    totalt, per_typ = summa
    resultat = {"totalt": totalt, "per_typ": per_typ}
    for dimension in (Dimension.KATEGORI, Dimension.KANAL, Dimension.KLASSNING, Dimension.ENHET):
        etiketter = info.etiketter.get(dimension) if info else None
        resultat[f"per_{dimension}"] = _fran_historik(rader, dimension, etiketter)
    return resultat


def faststallda(serie: str, arslista) -> dict:
    """The frozen counts of earlier years (docs/siffror.md "Frysta år"): for each year in
    `arslista` whose kvalitetsberättelse the nämnd has decided (the version in force,
    `Status.FASTSTALLD`) with a cut-off on or after 31 December of that year, the year's
    count and types as the decided report stored them, {year: {"totalt", "per_kod"}}.
    One query. A year without one, or whose decided figures lack the series (decided
    before the chapter existed), is not in the result: it is counted from the records."""
    from .models import Kvalitetsberattelse

    resultat = {}
    if not arslista:
        return resultat
    for b in Kvalitetsberattelse.objects.filter(
        ar__in=list(arslista), status=Status.FASTSTALLD
    ).only("ar", "brytdatum", "siffror"):
        kapitel = ((b.siffror or {}).get("kapitel") or {}).get(serie)
        if b.brytdatum < date(b.ar, 12, 31) or not isinstance(kapitel, dict):
            continue
        if not isinstance(kapitel.get("totalt"), int):
            continue
        per_kod = {r["varde"]: r["antal"] for r in kapitel.get("per_typ") or []}
        resultat[b.ar] = {"totalt": kapitel["totalt"], "per_kod": per_kod}
    return resultat


def jamforelse(serie: str, ar: int, till: date):
    """Totals and types for the report year and up to four years before it.

    With a driftstart for the series (`driftstart()`), a year before its year comes from
    the imported history, or is missing (`kalla` None): the records of such a year are
    incomplete (a few stray imported cases) and are not shown. Its year and later years
    come from the records, zero included; its year is marked as partial
    (`delar_fran`, the ISO date) unless the records are complete from 1 January.

    Without a driftstart a year comes from the records if there are any for that year and
    series, else from imported history, else it is missing (the report year: zero). The
    report year itself is cut off at `till`; earlier years are whole years.

    The records of an earlier year whose report the nämnd has decided are its frozen
    figures (`faststallda`); the other years are counted in one query (`per_ar`).
    """
    info = SERIER[serie]
    fran = driftstart(serie)
    arslista = [
        a for a in range(ar - JAMFORELSEAR + 1, ar + 1) if not (fran is not None and a < fran.year)
    ]
    frysta = faststallda(serie, [a for a in arslista if a < ar])
    raknade = info.per_ar([a for a in arslista if a not in frysta], till=till, falt=info.typfalt)
    registret = {**raknade, **frysta}

    def per_typ(ar_):
        if info.typfalt is None:
            return []
        per_kod = registret[ar_]["per_kod"]
        return kvalitet.alla_varden(
            [{"varde": k, "antal": v} for k, v in per_kod.items()], info.typer
        )

    rader, fran_historik = {}, []
    for ar_ in range(ar - JAMFORELSEAR + 1, ar + 1):
        fore_driftstart = fran is not None and ar_ < fran.year
        antal = 0 if fore_driftstart else registret[ar_]["totalt"]
        if antal or (fran is not None and not fore_driftstart):
            rader[ar_] = {"kalla": "register", "totalt": antal, "per_typ": per_typ(ar_)}
        else:
            fran_historik.append(ar_)
    # The history of the years that need it, in one query.
    historik = defaultdict(list)
    for h in Historik.objects.filter(serie=serie, ar__in=fran_historik) if fran_historik else ():
        historik[h.ar].append(h)
    for ar_ in fran_historik:
        if (summa := _totalt_och_typer(historik[ar_], info.typer)) is not None:
            rader[ar_] = {"kalla": "historik", "totalt": summa[0]}
            rader[ar_]["per_typ"] = _med_alla_typer(summa[1], info.typer)
        elif ar_ == ar and fran is None:
            rader[ar_] = {"kalla": "register", "totalt": 0, "per_typ": per_typ(ar_)}
        else:
            rader[ar_] = {"kalla": None, "totalt": None, "per_typ": []}
    resultat = []
    for ar_, rad in sorted(rader.items()):
        rad["ar"] = ar_
        if fran is not None and ar_ == fran.year and fran > date(ar_, 1, 1):
            rad["delar_fran"] = fran.isoformat()
        resultat.append(rad)
    return resultat


def _med_alla_typer(rader, typer):
    if not rader:
        return []
    antal = {r["varde"]: r["antal"] for r in rader}
    return [{"varde": k, "namn": str(v), "antal": antal.get(k, 0)} for k, v in typer.items()]


def processer_siffror(ar: int, till: date):
    """Chapter 3: processer och styrdokument (docs/siffror.md "Processer och
    styrdokument"): the process map on the year's last day (31 December, or the cut-off
    if earlier) by group, the processes established and discontinued during the year,
    and what was mapped, revised and published. Processes, units and styrdokument, never
    a processägare or processledare, nor the text written about a change."""
    return processer.processer_siffror(ar, till=till)


def synpunkter_siffror(ar: int, till: date):
    """Chapter 4: synpunkter och klagomål (the year's figures in a fixed handful of
    queries, `synpunkter.arssiffror`)."""
    siffror = synpunkter.arssiffror(ar, till=till)
    totalt = siffror["totalt"]
    via_ivo = sum(r["antal"] for r in siffror["per_kanal"] if r["varde"] == synpunkter.VIA_IVO)
    return {
        "totalt": totalt,
        "per_typ": siffror["per_typ"],
        "per_kategori": siffror["per_kategori"],
        "per_kanal": siffror["per_kanal"],
        "direkt_eller_ivo": [
            {"varde": "direkt", "namn": "Direkt till förvaltningen", "antal": totalt - via_ivo},
            {"varde": "via_ivo", "namn": "Via IVO", "antal": via_ivo},
        ],
        "klagomal_per_kategori_och_vag": siffror["klagomal_per_kategori_och_vag"],
        "per_avsandare": siffror["per_avsandare"],
        "per_avdelning": siffror["per_avdelning"],
        "per_verksamhetsomrade": siffror["per_verksamhetsomrade"],
        "svar": siffror["svar"],
        "utfall": siffror["utfall"],
        "over_tid": jamforelse(Serie.SYNPUNKTER, ar, till),
    }


def ej_registrerade_inlamningar(ar: int, till: date) -> int:
    """Submissions through the e-service in `ar`, up to `till`, that are not yet
    synpunkter and so in no figure (docs/siffror.md): for the report's author, on the
    workbench – never in the report."""
    return synpunkter.ej_registrerade(ar, till=till)


def avvikelser_siffror(ar: int, till: date):
    """Chapter 5: avvikelser (typ avvikelse only, also over time), and the tillbud apart
    (the year's counts in a fixed handful of queries, `avvikelser.arssiffror`)."""
    siffror = avvikelser.arssiffror(ar, till=till)
    return {
        "totalt": siffror["totalt"],
        "per_typ": siffror["per_typ"],
        "per_kategori": siffror["per_kategori"],
        "per_orsaksomrade": avvikelser.per_orsaksomrade(ar, till=till),
        "per_avdelning": siffror["per_avdelning"],
        "per_verksamhetsomrade": siffror["per_verksamhetsomrade"],
        "per_manad": siffror["per_manad"],
        "handlaggning": siffror["handlaggning"],
        "orsak_mot_atgard": avvikelser.orsak_mot_atgard(ar, till=till),
        "over_tid": jamforelse(Serie.AVVIKELSER, ar, till),
        # Tillbud are not avvikelser (DOMAIN.md §5): their own table, in no figure above.
        "tillbud": siffror["tillbud"],
    }


def lexsarah_siffror(ar: int, till: date):
    """Chapter 6: rapportering enligt lex Sarah (docs/siffror.md "Lex Sarah").

    Small numbers: a year with fewer than `lexsarah.MINSTA_ANTAL` cases keeps its totals
    but no breakdown – by classification, område, avdelning or IVO's outcome – and its
    summaries no classification; they are left out of the figures themselves (None),
    so a decided report never stores them."""
    totalt = lexsarah.sammanstallning(ar, till=till)
    visa = totalt["totalt"] >= lexsarah.MINSTA_ANTAL
    avdelningar, omraden = lexsarah.per_avdelning_och_omrade(ar, till=till)
    fordelningar = {
        "per_klassning": lexsarah.per_klassning(ar, till=till),
        "ivo_utfall": lexsarah.ivo_utfall(ar, till=till),
        "per_avdelning": avdelningar,
        "per_verksamhetsomrade": omraden,
    }
    sammanfattningar = lexsarah.sammanfattningar(ar, till=till)
    if not visa:
        fordelningar = dict.fromkeys(fordelningar)
        for rad in sammanfattningar:
            rad["klassning"] = ""
    return {
        **totalt,
        "minsta_antal": lexsarah.MINSTA_ANTAL,
        "visa_fordelningar": visa,
        **fordelningar,
        "ledtider": lexsarah.ledtider(ar, till=till),
        "uppfoljning": lexsarah.uppfoljning(ar, till=till),
        "sammanfattningar": sammanfattningar,
        "over_tid": jamforelse(Serie.LEXSARAH, ar, till),
    }


def tillsyn_siffror(ar: int, till: date):
    """The chapter on IVO's tillsyn (docs/siffror.md "IVO:s tillsyn"): the year's
    inspections by kind, IVO's decisions by the cut-off, one row per tillsyn."""
    return tillsyn.siffror(ar, till=till)


def riskhantering_siffror(ar: int, till: date):
    """The chapter on the risk register (docs/siffror.md "Riskhantering"): the matrix on
    1 January and on the last day (31 December, or the cut-off if earlier), the top
    risks then, the year's changes, the realised risks and when the nämnd treated the
    register. The matrices are stored as counts per cell with the scale, and as the
    table templates/riskregister/_matris.html reads (levels as plain data), so a decided
    report shows them as they were."""
    return riskregister.siffror(ar, till=till)


def internkontroll_siffror(ar: int, till: date):
    """The chapter on egenkontroll and internkontroll (docs/siffror.md "Egenkontroll och
    internkontroll"): the year's decided internkontrollplan, its controls, their
    occasions done and overdue at the cut-off, the results by assessment, the controls
    with brister, the actions created from the results and the nämnd's redovisningar;
    the year's egenkontroller by type and the kollegiala granskningar per control area
    against the previous round. No finding's text: the redovisning has them."""
    return internkontroll.siffror(ar, till=till)


def atgarder_siffror(ar: int, till: date):
    """Chapter 10: improvement actions, and last year's focus areas to follow up."""
    from .models import Kvalitetsberattelse

    siffror = kvalitet.atgarder(ar, till)
    forra = Kvalitetsberattelse.objects.filter(ar=ar - 1, status=Status.FASTSTALLD).first()
    text = forra.text_for("fokus") if forra else None
    siffror["fokus_forra_aret"] = text.text if text else None
    return siffror


def mal_siffror(ar: int, till: date):
    """Chapter 11: mål och resultat (docs/siffror.md "Mål och resultat"): each process in
    use during the year with its goals and its key figures against the year's targets –
    reached, not reached or not measured – beside the two years before, the key figures
    without a target for the year, and the share reached (from 10 measured). The cut-off
    decides which processes count; targets and results are read as they stand now, since
    a year's result is measured after the year."""
    return processer.mal_siffror(ar, till=till)


def berakna(ar: int, brytdatum: date) -> dict:
    """All figures of the report for `ar`, cut off at `brytdatum`, chapter by chapter."""
    from .kapitel import KAPITEL

    return {
        "ar": ar,
        "brytdatum": brytdatum.isoformat(),
        "beraknad": timezone.localtime().isoformat(timespec="seconds"),
        "kapitel": {k.slug: k.siffror(ar, brytdatum) for k in KAPITEL if k.siffror},
    }
