"""The figures of a kvalitetsberättelse, assembled from the case apps' `statistik.py` and,
for years before the product was in use, from imported history.

`berakna(ar, brytdatum)` returns plain JSON-serialisable data: it is stored as is when a
report is decided, and both the HTML preview and the PDF are rendered from it, so a
decided report shows the same figures for ever.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from avvikelser import statistik as avvikelser
from kvalitet import statistik as kvalitet
from kvalitet.models import Enhet
from synpunkter import statistik as synpunkter

from .choices import Dimension, Serie, Status
from .models import Historik

JAMFORELSEAR = 5


@dataclass(frozen=True)
class Serieinfo:
    """How one series is counted from records, and how its history is read."""

    serie: str
    antal: Callable  # (ar, till=) -> int
    per_typ: Callable  # (ar, till=) -> rows
    typer: dict  # code -> label, for history rows
    etiketter: dict = field(default_factory=dict)  # dimension -> {code: label}


SERIER = {
    Serie.SYNPUNKTER: Serieinfo(
        Serie.SYNPUNKTER,
        synpunkter.antal,
        synpunkter.per_typ,
        synpunkter.TYPER,
        {Dimension.KANAL: synpunkter.KANALER},
    ),
    Serie.AVVIKELSER: Serieinfo(
        Serie.AVVIKELSER, avvikelser.antal, avvikelser.per_typ, avvikelser.TYPER
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


def historik_for(serie: str, ar: int):
    """The imported history of a series and year as {dimension: rows, "totalt": n}, or
    None if there is none."""
    info = SERIER.get(serie)
    rader = list(Historik.objects.filter(serie=serie, ar=ar))
    if not rader:
        return None
    typer = info.typer if info else {}
    totalt = next((r.antal for r in rader if r.dimension == Dimension.TOTAL), None)
    per_typ = _fran_historik(rader, Dimension.TYP, typer)
    if totalt is None:
        # Without a total row, the breakdown by type is complete by definition; other
        # breakdowns (categories, units) may leave cases out.
        totalt = sum(r["antal"] for r in per_typ) if per_typ else None
    if totalt is None:
        return None
    resultat = {"totalt": totalt, "per_typ": per_typ}
    for dimension in (Dimension.KATEGORI, Dimension.KANAL, Dimension.KLASSNING, Dimension.ENHET):
        etiketter = info.etiketter.get(dimension) if info else None
        resultat[f"per_{dimension}"] = _fran_historik(rader, dimension, etiketter)
    return resultat


def jamforelse(serie: str, ar: int, till: date):
    """Totals and types for the report year and up to four years before it.

    Each year comes from the records if there are any for that year and series, else from
    imported history, else it is marked as missing (`kalla` None). The report year itself
    is cut off at `till`; earlier years are whole years.
    """
    info = SERIER[serie]
    rader = []
    for ar_ in range(ar - JAMFORELSEAR + 1, ar + 1):
        kw = {"till": till} if ar_ == ar else {}
        antal = info.antal(ar_, **kw)
        if antal:
            rad = {"kalla": "register", "totalt": antal, "per_typ": info.per_typ(ar_, **kw)}
        elif (historik := historik_for(serie, ar_)) is not None:
            rad = {"kalla": "historik", "totalt": historik["totalt"]}
            rad["per_typ"] = _med_alla_typer(historik["per_typ"], info.typer)
        elif ar_ == ar:
            rad = {"kalla": "register", "totalt": 0, "per_typ": info.per_typ(ar_, **kw)}
        else:
            rad = {"kalla": None, "totalt": None, "per_typ": []}
        rad["ar"] = ar_
        rader.append(rad)
    return rader


def _med_alla_typer(rader, typer):
    if not rader:
        return []
    antal = {r["varde"]: r["antal"] for r in rader}
    return [{"varde": k, "namn": str(v), "antal": antal.get(k, 0)} for k, v in typer.items()]


def synpunkter_siffror(ar: int, till: date):
    """Chapter 4: synpunkter och klagomål."""
    kanaler = synpunkter.per_kanal(ar, till=till)
    via_ivo = sum(r["antal"] for r in kanaler if r["varde"] == synpunkter.VIA_IVO)
    totalt = synpunkter.antal(ar, till=till)
    return {
        "totalt": totalt,
        "per_typ": synpunkter.per_typ(ar, till=till),
        "per_kategori": synpunkter.per_kategori(ar, till=till),
        "per_kanal": kanaler,
        "direkt_eller_ivo": [
            {"varde": "direkt", "namn": "Direkt till förvaltningen", "antal": totalt - via_ivo},
            {"varde": "via_ivo", "namn": "Via IVO", "antal": via_ivo},
        ],
        "per_avsandare": synpunkter.per_avsandare(ar, till=till),
        "per_avdelning": synpunkter.per_avdelning(ar, till=till),
        "svar": synpunkter.svarstider(ar, till=till),
        "utfall": synpunkter.utfall(ar, till=till),
        "over_tid": jamforelse(Serie.SYNPUNKTER, ar, till),
    }


def avvikelser_siffror(ar: int, till: date):
    """Chapter 5: avvikelser."""
    return {
        "totalt": avvikelser.antal(ar, till=till),
        "per_typ": avvikelser.per_typ(ar, till=till),
        "per_kategori": avvikelser.per_kategori(ar, till=till),
        "per_orsaksomrade": avvikelser.per_orsaksomrade(ar, till=till),
        "per_avdelning": avvikelser.per_avdelning(ar, till=till),
        "per_manad": avvikelser.per_manad(ar, till=till),
        "handlaggning": avvikelser.handlaggning(ar, till=till),
        "orsak_mot_atgard": avvikelser.orsak_mot_atgard(ar, till=till),
        "over_tid": jamforelse(Serie.AVVIKELSER, ar, till),
    }


def atgarder_siffror(ar: int, till: date):
    """Chapter 9: improvement actions, and last year's focus areas to follow up."""
    from .models import Kvalitetsberattelse

    siffror = kvalitet.atgarder(ar, till)
    forra = Kvalitetsberattelse.objects.filter(ar=ar - 1, status=Status.FASTSTALLD).first()
    text = forra.text_for("fokus") if forra else None
    siffror["fokus_forra_aret"] = text.text if text else None
    return siffror


def berakna(ar: int, brytdatum: date) -> dict:
    """All figures of the report for `ar`, cut off at `brytdatum`, chapter by chapter."""
    from .kapitel import KAPITEL

    return {
        "ar": ar,
        "brytdatum": brytdatum.isoformat(),
        "beraknad": timezone.localtime().isoformat(timespec="seconds"),
        "kapitel": {k.slug: k.siffror(ar, brytdatum) for k in KAPITEL if k.siffror},
    }
