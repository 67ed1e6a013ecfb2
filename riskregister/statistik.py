"""Aggregate figures of the risk register for a year: the chapter "Riskhantering" of the
kvalitetsberättelse (docs/siffror.md "Riskhantering"). Pure queries, a fixed number of
them whatever the number of risks; what leaves here is plain JSON data about risks
(number, title, unit, values, strategy), the nämnd's decisions and the numbers of the
events that realised a risk – never a person or an event's text.

The year `ar` runs from 1 January (`start`) to 31 December or the cut-off `till` if that
comes first (`slut`), both days included. "In the register on a day" and "values on a
day" are riskregister.register's definitions (`per`): in force from `aktiv_fran`, not
removed on or before the day, values from the latest assessment dated on or before it.
"""

from datetime import date

from django.apps import apps
from django.db.models import Count, F, OuterRef, Subquery

from kvalitet import statistik as s
from kvalitet.models import CaseLink

from .choices import Kalla, Strategi
from .models import Bedomning, Registerversion, Risk, Riskanalys
from .register import antal_per_cell, matris, per
from .skala import Skala, skala

# The top of the register at the end of the year: this many risks, by value, then number.
HOGSTA_ANTAL = 5

STRATEGIER = {k: str(v) for k, v in Strategi.choices}
KALLOR = {k: str(v) for k, v in Kalla.choices}

I_REGISTRET = "I registret"
FORESLAGEN = "Föreslagen"
BORTTAGEN = "Borttagen"


# --- The matrix -------------------------------------------------------------------------


def celler(dag: date) -> dict:
    """The register on `dag` as plain data: the number of risks per cell as
    [[sannolikhet, konsekvens, antal]] (cells with risks only, in order) and the total.
    One query."""
    antal = antal_per_cell(per(Risk.objects.all(), dag))
    return {
        "dag": dag.isoformat(),
        "celler": [[sk[0], sk[1], n] for sk, n in sorted(antal.items())],
        "totalt": sum(antal.values()),
    }


def _niva(niva) -> dict:
    return {"namn": niva.namn, "tak": niva.tak, "farg": niva.farg, "fargnamn": niva.fargnamn}


def matris_data(celler_: list, skala_data: dict) -> dict:
    """The matrix of `celler_` ([[s, k, n]]) on the stored scale (`Skala.som_data`), as
    templates/riskregister/_matris.html reads it (`register.matris`), its levels as plain
    dicts so that it is JSON too. No query."""
    m = matris({(c[0], c[1]): c[2] for c in celler_}, Skala.fran_data(skala_data))
    for rad in m["rader"]:
        for cell in rad["celler"]:
            cell["niva"] = _niva(cell["niva"])
    for rad in m["per_niva"]:
        rad["niva"] = _niva(rad["niva"])
    return m


# --- The top risks ----------------------------------------------------------------------


def hogsta(dag: date, antal: int = HOGSTA_ANTAL) -> list[dict]:
    """The `antal` risks with the highest values on `dag`, equal values by number: number,
    title, unit, value on the day, its level and the risk's strategy. One query."""
    sk = skala()
    rader = (
        per(Risk.objects.all(), dag)
        .order_by("-varde_dag", "nummer")
        .values("nummer", "titel", "enhet__namn", "strategi", "s_dag", "k_dag", "varde_dag")[:antal]
    )
    return [
        {
            "nummer": r["nummer"],
            "titel": r["titel"],
            "enhet": r["enhet__namn"],
            "sannolikhet": r["s_dag"],
            "konsekvens": r["k_dag"],
            "varde": r["varde_dag"],
            "niva": sk.niva(r["varde_dag"]).namn,
            "strategi": STRATEGIER.get(r["strategi"], ""),
        }
        for r in rader
    ]


# --- Changes during the year ------------------------------------------------------------


def _status_vid(r, slut: date) -> str:
    if r["borttagen"] is not None and r["borttagen"] <= slut:
        return BORTTAGEN
    if r["aktiv_fran"] is not None and r["aktiv_fran"] <= slut:
        return I_REGISTRET
    return FORESLAGEN


def foreslagna(start: date, slut: date) -> list[dict]:
    """The risks proposed (identified, `identifierad`) from `start` to `slut`, each with
    where it stood at `slut`: in the register, still proposed, or removed. One query."""
    return [
        {
            "nummer": r["nummer"],
            "titel": r["titel"],
            "enhet": r["enhet__namn"],
            "identifierad": r["identifierad"].isoformat(),
            "status": _status_vid(r, slut),
        }
        for r in Risk.objects.filter(identifierad__gte=start, identifierad__lte=slut)
        .order_by("nummer")
        .values("nummer", "titel", "enhet__namn", "identifierad", "aktiv_fran", "borttagen")
    ]


def infora(start: date, slut: date) -> list[dict]:
    """The risks that entered the register (`aktiv_fran`) from `start` to `slut`. One
    query."""
    return [
        {
            "nummer": r["nummer"],
            "titel": r["titel"],
            "enhet": r["enhet__namn"],
            "datum": r["aktiv_fran"].isoformat(),
        }
        for r in Risk.objects.filter(aktiv_fran__gte=start, aktiv_fran__lte=slut)
        .order_by("nummer")
        .values("nummer", "titel", "enhet__namn", "aktiv_fran")
    ]


def omvarderade(start: date, slut: date) -> list[dict]:
    """The risks re-assessed from `start` to `slut`: with at least one assessment dated
    then that is not the risk's first (the earliest by date, then as saved), with the
    number of such assessments. One query."""
    forsta = Bedomning.objects.filter(risk=OuterRef("risk")).order_by("datum", "pk")
    return [
        {
            "nummer": r["risk__nummer"],
            "titel": r["risk__titel"],
            "enhet": r["risk__enhet__namn"],
            "antal": r["antal"],
        }
        for r in Bedomning.objects.filter(datum__gte=start, datum__lte=slut)
        .exclude(pk=Subquery(forsta.values("pk")[:1]))
        .values("risk__nummer", "risk__titel", "risk__enhet__namn")
        .annotate(antal=Count("pk"))
        .order_by("risk__nummer")
    ]


def forandrade(start: date, slut: date) -> tuple[list[dict], list[dict]]:
    """(raised, lowered): the risks in the register on both `start` and `slut` whose
    value on `slut` is higher (lower) than on `start`. One query."""
    senaste = Bedomning.objects.filter(risk=OuterRef("pk"), datum__lte=start).order_by(
        "-datum", "-pk"
    )
    rader = (
        per(Risk.objects.i_registret(start), slut)
        .annotate(
            s_start=Subquery(senaste.values("sannolikhet")[:1]),
            k_start=Subquery(senaste.values("konsekvens")[:1]),
        )
        .filter(s_start__isnull=False)
        .annotate(varde_start=F("s_start") * F("k_start"))
        .exclude(varde_start=F("varde_dag"))
        .order_by("nummer")
        .values("nummer", "titel", "enhet__namn", "varde_start", "varde_dag")
    )
    hojda, sankta = [], []
    for r in rader:
        rad = {
            "nummer": r["nummer"],
            "titel": r["titel"],
            "enhet": r["enhet__namn"],
            "fran": r["varde_start"],
            "till": r["varde_dag"],
        }
        (hojda if r["varde_dag"] > r["varde_start"] else sankta).append(rad)
    return hojda, sankta


def borttagna(start: date, slut: date) -> list[dict]:
    """The risks removed (`borttagen`) from `start` to `slut`, with the reason; a proposal
    turned down – never in the register on any day – is marked `forslag`. One query."""
    return [
        {
            "nummer": r["nummer"],
            "titel": r["titel"],
            "enhet": r["enhet__namn"],
            "datum": r["borttagen"].isoformat(),
            "skal": r["borttagen_skal"],
            "forslag": r["aktiv_fran"] is None or r["aktiv_fran"] >= r["borttagen"],
        }
        for r in Risk.objects.filter(borttagen__gte=start, borttagen__lte=slut)
        .order_by("nummer")
        .values("nummer", "titel", "enhet__namn", "borttagen", "borttagen_skal", "aktiv_fran")
    ]


# --- Realised risks ---------------------------------------------------------------------


def realiserade(ar: int, till: date | None = None) -> list[dict]:
    """Per risk, the events linked as realising it (CaseLink `REALISERADE`, the risk the
    link's `till`) with the link made in `ar` in Swedish local time, up to the cut-off:
    the risk's number and title, the number of links and the events' numbers – nothing
    else of an event. One query, and one per kind of event linked (avvikelse, lex Sarah
    case, synpunkt: a handful, whatever the number of links)."""
    fran, slut = s.period(ar, till)
    risker = Risk.objects.filter(pk=OuterRef("till_id"))
    lankar = list(
        CaseLink.objects.filter(
            # The risk's content type by a join, not a lookup: the same queries whether
            # or not the content type cache is warm.
            till_typ__app_label=Risk._meta.app_label,
            till_typ__model=Risk._meta.model_name,
            typ=CaseLink.Typ.REALISERADE,
            skapad__gte=fran,
            skapad__lt=slut,
        )
        .annotate(
            risk_nummer=Subquery(risker.values("nummer")[:1]),
            risk_titel=Subquery(risker.values("titel")[:1]),
        )
        .filter(risk_nummer__isnull=False)
        .values("risk_nummer", "risk_titel", "fran_typ__app_label", "fran_typ__model", "fran_id")
    )
    per_typ = {}
    for lank in lankar:
        typ = (lank["fran_typ__app_label"], lank["fran_typ__model"])
        per_typ.setdefault(typ, set()).add(lank["fran_id"])
    nummer = {}
    for typ, ids in per_typ.items():
        try:
            modell = apps.get_model(*typ)
        except LookupError:
            continue
        if not any(f.name == "nummer" for f in modell._meta.get_fields()):
            continue
        for pk, n in modell._base_manager.filter(pk__in=ids).values_list("pk", "nummer"):
            nummer[(typ, pk)] = n
    per_risk = {}
    for lank in lankar:
        rad = per_risk.setdefault(
            lank["risk_nummer"],
            {
                "nummer": lank["risk_nummer"],
                "titel": lank["risk_titel"],
                "antal": 0,
                "handelser": [],
            },
        )
        rad["antal"] += 1
        typ = (lank["fran_typ__app_label"], lank["fran_typ__model"])
        if (n := nummer.get((typ, lank["fran_id"]))) is not None:
            rad["handelser"].append(n)
    for rad in per_risk.values():
        rad["handelser"].sort()
    return [per_risk[k] for k in sorted(per_risk)]


# --- The nämnd --------------------------------------------------------------------------


def versioner(start: date, slut: date) -> list[dict]:
    """The register's versions the nämnd decided at a meeting (`sammantradesdatum`) from
    `start` to `slut`: version, date, § and diarienummer. One query."""
    return [
        {"version": v, "datum": d.isoformat(), "paragraf": p, "diarienummer": dnr}
        for v, d, p, dnr in Registerversion.objects.beslutade()
        .filter(sammantradesdatum__gte=start, sammantradesdatum__lte=slut)
        .order_by("sammantradesdatum", "version")
        .values_list("version", "sammantradesdatum", "paragraf", "diarienummer")
    ]


def riskanalyser(start: date, slut: date) -> list[dict]:
    """The riskanalyser sent to the nämnd (`skickad_till_namnd`) from `start` to `slut`:
    number, unit, the analysis' date, its trigger and the day sent. No participants (they
    are named people). One query."""
    return [
        {
            "nummer": r["nummer"],
            "enhet": r["enhet__namn"],
            "datum": r["datum"].isoformat(),
            "anledning": KALLOR.get(r["utlosande"], r["utlosande"]),
            "skickad": r["skickad_till_namnd"].isoformat(),
        }
        for r in Riskanalys.objects.filter(
            skickad_till_namnd__gte=start, skickad_till_namnd__lte=slut
        )
        .order_by("skickad_till_namnd", "nummer")
        .values("nummer", "enhet__namn", "datum", "utlosande", "skickad_till_namnd")
    ]


# --- The chapter ------------------------------------------------------------------------


def siffror(ar: int, *, till: date | None = None) -> dict:
    """The chapter's figures for `ar`, cut off at `till`: the matrix on the first and the
    last day, the top risks on the last day, the year's changes, the realised risks and
    the nämnd's treatment – plain JSON data, a fixed number of queries."""
    start, slut = s.arets_dagar(ar, till)
    skala_data = skala().som_data()
    matris_start, matris_slut = celler(start), celler(slut)
    for m in (matris_start, matris_slut):
        m["matris"] = matris_data(m["celler"], skala_data)
    hojda, sankta = forandrade(start, slut)
    andringar = {
        "foreslagna": foreslagna(start, slut),
        "infora": infora(start, slut),
        "omvarderade": omvarderade(start, slut),
        "hojda": hojda,
        "sankta": sankta,
        "borttagna": borttagna(start, slut),
    }
    realiserade_ = realiserade(ar, till)
    return {
        "start": start.isoformat(),
        "slut": slut.isoformat(),
        "skala": skala_data,
        "matris_start": matris_start,
        "matris_slut": matris_slut,
        "hogsta": hogsta(slut),
        **andringar,
        "antal": {
            **{namn: len(rader) for namn, rader in andringar.items()},
            "realiserade_risker": len(realiserade_),
            "realiserade_handelser": sum(r["antal"] for r in realiserade_),
        },
        "realiserade": realiserade_,
        "versioner": versioner(start, slut),
        "riskanalyser": riskanalyser(start, slut),
    }
