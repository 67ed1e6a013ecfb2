"""Aggregate figures of internkontroll and egenkontroll for a year: the chapter
"Egenkontroll och internkontroll" of the kvalitetsberättelse (docs/siffror.md
"Egenkontroll och internkontroll"). Pure queries, a fixed number of them whatever the
number of controls, occasions, egenkontroller and reviewed files; what leaves here is
plain JSON data – codes, processes and kontrollmoment of the controls, counts, the
nämnd's decisions, unit and checklist names – never a person, a finding (the results'
iakttagelser are the redovisning's) or any other free text.

The year `ar` runs from 1 January to 31 December or the cut-off `till` if that comes
first (`slut`). Handling counts if it happened on or before the cut-off day (`brytdag`,
`till`, or 31 December without one), as everywhere in the report. The definitions of
internkontroll.redovisning hold, applied at the end of the cut-off day:

- the year's plan is its decided version in force (`Internkontrollplan.objects.i_kraft`,
  the latest decided); a replaced version's controls are never counted;
- an occasion is *done* when its result is recorded with `kontrollerad` on or before the
  cut-off day; *overdue* when it is not done and it was due (`forfaller`) on or before
  the cut-off day – the day is over; otherwise *not yet due*, even if done early (then
  it is done: the three add up to the occasions);
- a result counts when it is done as above; a control's assessment is the most serious
  of its counted results.
"""

from datetime import date

from django.db.models import Case, Count, IntegerField, Max, OuterRef, Q, Subquery, Value, When

from kvalitet import statistik as s
from kvalitet.models import Atgard, Atgardsstatus

from .choices import (
    ALLVARLIGHET,
    FARG,
    Bedomning,
    Egenkontrolltyp,
    Svarsvarde,
    Tillfallestatus,
)
from .granskning import Antal
from .models import (
    Egenkontroll,
    Granskning,
    Internkontrollplan,
    Internkontrollredovisning,
    Kontroll,
    Kontrollpunkt,
    Kontrolltillfalle,
    Svar,
)

BEDOMNINGAR = {k: str(v) for k, v in Bedomning.choices}
TYPER = {k: str(v) for k, v in Egenkontrolltyp.choices}
# Worst first, as the chapter lists them.
I_ORDNING = sorted(BEDOMNINGAR, key=lambda b: -ALLVARLIGHET[b])


def dagar(ar: int, till: date | None = None) -> tuple[date, date, date]:
    """(start, slut, brytdag): 1 January of `ar`; 31 December or the cut-off if earlier;
    the cut-off day (31 December without one), up to which handling counts."""
    start, slut = s.arets_dagar(ar, till)
    return start, slut, till or date(ar, 12, 31)


def _bedomning(kod: str) -> dict:
    return {"bedomning": kod, "bedomning_text": BEDOMNINGAR.get(kod, ""), "farg": FARG.get(kod, "")}


def _beslut(h) -> dict | None:
    if h is None:
        return None
    return {
        "version": h.version,
        "datum": h.sammantradesdatum.isoformat() if h.sammantradesdatum else "",
        "paragraf": h.paragraf,
        "diarienummer": h.diarienummer,
    }


# --- Internkontroll -------------------------------------------------------------------------


def kontroller(plan, brytdag: date) -> list[dict]:
    """The plan's controls in the plan's order, each with its occasions counted at the
    cut-off (done, overdue, not yet due), its counted results by assessment and its
    assessment (the most serious counted result). One query."""
    gjord = Q(
        tillfallen__status=Tillfallestatus.KLAR,
        tillfallen__kontrollerad__isnull=False,
        tillfallen__kontrollerad__lte=brytdag,
    )
    allvar = Case(
        *(When(gjord & Q(tillfallen__bedomning=b), then=Value(n)) for b, n in ALLVARLIGHET.items()),
        default=Value(0),
        output_field=IntegerField(),
    )
    per_allvar = {n: b for b, n in ALLVARLIGHET.items()}
    rader = (
        Kontroll.objects.filter(plan=plan)
        .annotate(
            n_tillfallen=Count("tillfallen"),
            n_klara=Count("tillfallen", filter=gjord),
            n_forfallna=Count("tillfallen", filter=Q(tillfallen__forfaller__lte=brytdag)),
            n_forfallna_klara=Count(
                "tillfallen", filter=gjord & Q(tillfallen__forfaller__lte=brytdag)
            ),
            n_allvar=Max(allvar),
            **{
                f"n_{b}": Count("tillfallen", filter=gjord & Q(tillfallen__bedomning=b))
                for b in BEDOMNINGAR
            },
        )
        .order_by("-central", "ordning", "kod")
        .values(
            "kod",
            "central",
            "process",
            "kontrollmoment",
            "n_tillfallen",
            "n_klara",
            "n_forfallna",
            "n_forfallna_klara",
            "n_allvar",
            *(f"n_{b}" for b in BEDOMNINGAR),
        )
    )
    ut = []
    for r in rader:
        forsenade = r["n_forfallna"] - r["n_forfallna_klara"]
        ut.append(
            {
                "kod": r["kod"],
                "central": r["central"],
                "process": r["process"],
                "kontrollmoment": r["kontrollmoment"],
                "tillfallen": r["n_tillfallen"],
                "klara": r["n_klara"],
                "forsenade": forsenade,
                "ej_forfallna": r["n_tillfallen"] - r["n_klara"] - forsenade,
                "resultat": {b: r[f"n_{b}"] for b in BEDOMNINGAR},
                **_bedomning(per_allvar.get(r["n_allvar"] or 0, "")),
            }
        )
    return ut


def atgarder(plan, brytdag: date) -> list[dict]:
    """The improvement actions created from the plan's occasions (results) on or before
    the cut-off day, by status at the cut-off (`kvalitet.statistik.atgardsstatus_vid`),
    every status shown. One query."""
    if plan is None:
        return s.alla_varden([], dict(Atgardsstatus.choices))
    qs = Atgard.objects.filter(
        # The content type by a join, not a lookup: the same queries whether or not the
        # content type cache is warm.
        content_type__app_label=Kontrolltillfalle._meta.app_label,
        content_type__model=Kontrolltillfalle._meta.model_name,
        object_id__in=Kontrolltillfalle.objects.filter(kontroll__plan=plan).values("pk"),
        skapad__lt=s.slut_for(brytdag),
    )
    rader = s.rakna(s.atgardsstatus_vid(qs, brytdag), "status_vid")
    return s.alla_varden(rader, dict(Atgardsstatus.choices))


def redovisningar(ar: int, start: date, slut: date, brytdag: date) -> dict:
    """The internkontrollredovisningar the nämnd decided: of the year before, at a
    meeting (`sammantradesdatum`) in the year up to the cut-off; of the year itself,
    on or before the cut-off day. Each the versions in meeting order. One query."""
    rader = (
        Internkontrollredovisning.objects.beslutade()
        .filter(
            Q(ar=ar - 1, sammantradesdatum__gte=start, sammantradesdatum__lte=slut)
            | Q(ar=ar, sammantradesdatum__lte=brytdag)
        )
        .order_by("sammantradesdatum", "version")
    )
    ut = {"forra_aret": [], "aret": []}
    for r in rader:
        ut["aret" if r.ar == ar else "forra_aret"].append(_beslut(r))
    return ut


def internkontroll(ar: int, till: date | None = None) -> dict:
    """The internkontroll part of the chapter. Four queries (three without a plan)."""
    start, slut, brytdag = dagar(ar, till)
    plan = Internkontrollplan.objects.i_kraft(ar)
    rader = kontroller(plan, brytdag) if plan is not None else []
    resultat = {b: sum(r["resultat"][b] for r in rader) for b in I_ORDNING}
    tillfallen = {
        "totalt": sum(r["tillfallen"] for r in rader),
        "klara": sum(r["klara"] for r in rader),
        "forsenade": sum(r["forsenade"] for r in rader),
        "ej_forfallna": sum(r["ej_forfallna"] for r in rader),
    }
    med_brister = sorted(
        (r for r in rader if r["bedomning"] != Bedomning.UTAN_ANMARKNING and r["bedomning"]),
        key=lambda r: -ALLVARLIGHET[r["bedomning"]],
    )
    return {
        "plan": _beslut(plan),
        "kontroller": {
            "totalt": len(rader),
            "centrala": sum(r["central"] for r in rader),
            "egna": sum(not r["central"] for r in rader),
        },
        "tillfallen": tillfallen,
        "resultat": [{**_bedomning(b), "antal": resultat[b]} for b in reversed(I_ORDNING)],
        "resultat_totalt": sum(resultat.values()),
        "per_kontroll": rader,
        "med_brister": [
            {k: r[k] for k in ("kod", "central", "process", "kontrollmoment")}
            | _bedomning(r["bedomning"])
            for r in med_brister
        ],
        "atgarder": atgarder(plan, brytdag),
        "redovisningar": redovisningar(ar, start, slut, brytdag),
    }


# --- Egenkontroll ---------------------------------------------------------------------------


def _antal(a: Antal) -> dict:
    """An `internkontroll.granskning.Antal` as plain data: the answers, the share "ja" of
    the applicable ones (None under 10: the small-numbers rule), its text ("82 %" or
    "7 av 9") and level."""
    return {
        "ja": a.ja,
        "nej": a.nej,
        "delvis": a.delvis,
        "ej_aktuellt": a.ej_aktuellt,
        "tillampliga": a.tillampliga,
        "andel": a.andel,
        "text": a.text,
        **_bedomning(a.bedomning or ""),
    }


def per_typ(start: date, slut: date, brytdag: date) -> list[dict]:
    """The year's egenkontroller – their period starting (`period_fran`, the model's
    DATUMFALT) from `start` to `slut` – by type in the types' order, types without any
    left out; each with how many had their analysis forum on or before the cut-off
    day. One query."""
    rader = {
        r["typ"]: r
        for r in Egenkontroll.objects.filter(period_fran__gte=start, period_fran__lte=slut)
        .values("typ")
        .annotate(
            antal=Count("pk"),
            analyserade=Count("pk", filter=Q(analysforum_datum__lte=brytdag)),
        )
        .order_by()
    }
    return [
        {
            "varde": typ,
            "namn": namn,
            "antal": rader[typ]["antal"],
            "analyserade": rader[typ]["analyserade"],
        }
        for typ, namn in TYPER.items()
        if typ in rader
    ]


def _svar_per(qs, nyckel) -> dict:
    """{(egenkontroll id, key): Antal} of the answers, counted in the database."""
    ut = {}
    for r in (
        qs.values("granskning__egenkontroll_id", nyckel, "varde").annotate(n=Count("pk")).order_by()
    ):
        antal = ut.setdefault((r["granskning__egenkontroll_id"], r[nyckel]), Antal())
        setattr(antal, Svarsvarde(r["varde"]).name.lower(), r["n"])
    return ut


def kollegiala_granskningar(start: date, slut: date, brytdag: date) -> list[dict]:
    """The year's kollegiala granskningar (rounds: egenkontroller of that type, their
    period starting in the year up to the cut-off), each with per control area the
    reviewed files and the answers of the reviews dated on or before the cut-off day,
    the share "ja" of the applicable ones, and the previous round's beside it.

    The previous round is internkontroll.granskning's: the latest egenkontroll of the
    same unit using the same checklist (any version) whose period starts before this
    one's; its answers (also up to the cut-off day) are matched by the checkpoints'
    codes, so an area compares over the questions both rounds asked. Five queries."""
    forra = Egenkontroll.objects.filter(
        enhet_id=OuterRef("enhet_id"),
        checklista_version__checklista_id=OuterRef("checklista_version__checklista_id"),
        period_fran__lt=OuterRef("period_fran"),
    ).order_by("-period_fran", "-pk")
    omgangar = list(
        Egenkontroll.objects.filter(
            typ=Egenkontrolltyp.KOLLEGIAL_GRANSKNING,
            checklista_version__isnull=False,
            period_fran__gte=start,
            period_fran__lte=slut,
        )
        .annotate(
            forra_id=Subquery(forra.values("pk")[:1]),
            forra_nummer=Subquery(forra.values("nummer")[:1]),
        )
        .order_by("period_fran", "nummer")
        .values(
            "pk",
            "nummer",
            "enhet__namn",
            "period_fran",
            "period_till",
            "checklista_version_id",
            "checklista_version__version",
            "checklista_version__checklista__namn",
            "forra_id",
            "forra_nummer",
        )
    )
    ids = [o["pk"] for o in omgangar]
    forra_ids = [o["forra_id"] for o in omgangar if o["forra_id"]]
    versioner = {o["checklista_version_id"] for o in omgangar}
    punkter = {}
    for p in (
        Kontrollpunkt.objects.filter(omrade__version_id__in=versioner)
        .order_by("omrade__ordning", "ordning")
        .values("pk", "kod", "omrade_id", "omrade__namn", "omrade__version_id")
    ):
        punkter.setdefault(p["omrade__version_id"], []).append(p)
    svar = Svar.objects.filter(granskning__datum__lte=brytdag)
    nu = _svar_per(svar.filter(granskning__egenkontroll_id__in=ids), "punkt_id")
    fore = _svar_per(svar.filter(granskning__egenkontroll_id__in=forra_ids), "punkt__kod")
    akter = {
        (r["egenkontroll_id"], r["omrade_id"]): r["n"]
        for r in Granskning.objects.filter(egenkontroll_id__in=ids, datum__lte=brytdag)
        .values("egenkontroll_id", "omrade_id")
        .annotate(n=Count("pk"))
        .order_by()
    }
    ut = []
    for o in omgangar:
        omraden = {}
        totalt, forra_totalt = Antal(), Antal()
        for p in punkter.get(o["checklista_version_id"], []):
            omrade = omraden.setdefault(
                p["omrade_id"],
                {
                    "namn": p["omrade__namn"],
                    "akter": akter.get((o["pk"], p["omrade_id"]), 0),
                    "nu": Antal(),
                    "forra": Antal(),
                    "jamfors": False,
                },
            )
            antal = nu.get((o["pk"], p["pk"]), Antal())
            omrade["nu"].lagg_till(antal)
            totalt.lagg_till(antal)
            if o["forra_id"] and (forr := fore.get((o["forra_id"], p["kod"]))) is not None:
                omrade["forra"].lagg_till(forr)
                forra_totalt.lagg_till(forr)
                omrade["jamfors"] = True
        ut.append(
            {
                "nummer": o["nummer"],
                "enhet": o["enhet__namn"],
                "checklista": o["checklista_version__checklista__namn"],
                "version": o["checklista_version__version"],
                "period_fran": o["period_fran"].isoformat(),
                "period_till": o["period_till"].isoformat(),
                "forra_omgangen": o["forra_nummer"],
                "akter": sum(om["akter"] for om in omraden.values()),
                "omraden": [
                    {
                        "namn": om["namn"],
                        "akter": om["akter"],
                        "nu": _antal(om["nu"]),
                        "forra": _antal(om["forra"]) if om["jamfors"] else None,
                    }
                    for om in omraden.values()
                ],
                "totalt": _antal(totalt),
                "forra_totalt": _antal(forra_totalt) if o["forra_id"] else None,
            }
        )
    return ut


def egenkontroll(ar: int, till: date | None = None) -> dict:
    """The egenkontroll part of the chapter. Six queries."""
    start, slut, brytdag = dagar(ar, till)
    typer = per_typ(start, slut, brytdag)
    return {
        "per_typ": typer,
        "totalt": sum(r["antal"] for r in typer),
        "analyserade": sum(r["analyserade"] for r in typer),
        "kollegiala_granskningar": kollegiala_granskningar(start, slut, brytdag),
    }


# --- The chapter ----------------------------------------------------------------------------


def siffror(ar: int, *, till: date | None = None) -> dict:
    """The chapter's figures for `ar`, cut off at `till`: plain JSON data, a fixed number
    of queries."""
    start, slut, brytdag = dagar(ar, till)
    return {
        "start": start.isoformat(),
        "slut": slut.isoformat(),
        "brytdag": brytdag.isoformat(),
        **internkontroll(ar, till),
        "egenkontroll": egenkontroll(ar, till),
    }
