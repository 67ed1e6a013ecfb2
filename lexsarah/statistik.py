"""Aggregate figures of lex Sarah cases for a year (docs/siffror.md "Lex Sarah"). Pure
queries, done in the database; no personal data leaves this module – counts, code
labels, unit names, and the anonymised summaries the förvaltningschef approved for the
kvalitetsberättelse, nothing else of a case's free text.

A case counts in the year it was reported (`rapporterad`), in Swedish local time, up to
an optional cut-off date (`till`); a step of its handling counts only if its date is on
or before the cut-off day. Words (DOMAIN.md §4.3): a *rapport* goes from staff to the
nämnd's organisation, an *anmälan* goes to IVO.
"""

from datetime import date

from django.db.models import Case, CharField, Count, F, Q, Value, When
from django.db.models.functions import ExtractYear
from django.utils import timezone

from kvalitet import statistik as s

from .models import LexSarah

ARENDEN = s.Arendestatistik(LexSarah)
urval = ARENDEN.urval
antal = ARENDEN.antal
per_avdelning = ARENDEN.per_avdelning
per_verksamhetsomrade = ARENDEN.per_verksamhetsomrade
per_avdelning_och_omrade = ARENDEN.per_avdelning_och_omrade
KLASSNINGAR = ARENDEN.koder("klassning")
UTFALL = ARENDEN.koder("ivo_utfall")

# Small numbers (DOMAIN.md §5): a year with fewer lex Sarah cases than this shows its
# totals only, no breakdown (classification, område, avdelning, IVO's outcome); a median
# lead time needs as many cases behind it, else it would be one case's own figure.
MINSTA_ANTAL = 3

EJ_BEDOMD = "ej_bedomd"
EJ_BEDOMD_NAMN = "Ej bedömd ännu"
VANTAR = "vantar"
VANTAR_NAMN = "Väntar på IVO:s beslut"
UTAN_UTFALL = "utan_utfall"
UTAN_UTFALL_NAMN = "Beslut utan registrerat utfall"


def brytdag(till: date | None) -> date:
    """The last day a step may have happened on to count: the cut-off, else today."""
    return till if till is not None else timezone.localdate()


def senast(falt: str, dag: date) -> Q:
    """The step in date field `falt` happened on or before `dag`."""
    return Q(**{f"{falt}__isnull": False, f"{falt}__lte": dag})


def _bedomd_vid(dag: date) -> Q:
    """Classified by the end of `dag`: a classification whose bedömning (the latest
    saved, `bedomd`) is dated on or before it. A classification without a date (a case
    imported with its classification) counts: nothing dates it after the cut-off."""
    return ~Q(klassning="") & (Q(bedomd__isnull=True) | Q(bedomd__lte=dag))


def sammanstallning(ar, *, till=None):
    """The year's totals: rapporter (`totalt`); by the cut-off, investigations decided
    on (`utredning_inledd`) and finished (`utredning_klar`), classifications, decisions
    (`beslutad`), anmälningar to IVO (`ivo_anmald`) and IVO's decisions on them
    (`ivo_beslut`: `ivo_avslutade`, the rest `ivo_oppna`). One query."""
    dag = brytdag(till)
    anmald = senast("ivo_anmald", dag)
    r = urval(ar, till=till).aggregate(
        totalt=Count("pk"),
        utredning_inledd=Count("pk", filter=senast("utredning_inledd", dag)),
        utredning_klar=Count("pk", filter=senast("utredning_klar", dag)),
        bedomda=Count("pk", filter=_bedomd_vid(dag)),
        beslutade=Count("pk", filter=senast("beslutad", dag)),
        anmalda=Count("pk", filter=anmald),
        ivo_avslutade=Count("pk", filter=anmald & senast("ivo_beslut", dag)),
    )
    r["ivo_oppna"] = r["anmalda"] - r["ivo_avslutade"]
    return r


def per_klassning(ar, *, till=None):
    """The five levels in order, every one shown, then "Ej bedömd ännu": the cases not
    classified by the cut-off. One query."""
    dag = brytdag(till)
    qs = urval(ar, till=till).annotate(
        klass_vid=Case(
            When(_bedomd_vid(dag), then=F("klassning")),
            default=Value(EJ_BEDOMD),
            output_field=CharField(),
        )
    )
    etiketter = {**KLASSNINGAR, EJ_BEDOMD: EJ_BEDOMD_NAMN}
    return s.alla_varden(s.rakna(qs, "klass_vid"), etiketter)


def ivo_utfall(ar, *, till=None):
    """The year's anmälningar to IVO (by the cut-off) by IVO's outcome: those IVO
    decided on by the cut-off ("avslutade") by outcome, every outcome shown, and the
    rest as "Väntar på IVO:s beslut" ("öppna"). One query."""
    dag = brytdag(till)
    qs = (
        urval(ar, till=till)
        .filter(senast("ivo_anmald", dag))
        .annotate(
            utfall_vid=Case(
                When(senast("ivo_beslut", dag) & Q(ivo_utfall=""), then=Value(UTAN_UTFALL)),
                When(senast("ivo_beslut", dag), then=F("ivo_utfall")),
                default=Value(VANTAR),
                output_field=CharField(),
            )
        )
    )
    rader = s.rakna(qs, "utfall_vid")
    utan = sum(r["antal"] for r in rader if r["varde"] == UTAN_UTFALL)
    etiketter = dict(UTFALL)
    if utan:  # a decision recorded without its outcome (imported): shown, not hidden
        etiketter[UTAN_UTFALL] = UTAN_UTFALL_NAMN
    etiketter[VANTAR] = VANTAR_NAMN
    return s.alla_varden(rader, etiketter)


def ledtider(ar, *, till=None):
    """Median lead times in calendar days (Swedish time), each over the year's cases for
    which both ends are known by the cut-off (docs/siffror.md):

    - händelse → rapport: the event date (`handelsedatum`) to the rapport's day. Only an
      exact event date counts: cases with an unknown or approximate date, or one after
      the rapport's day (a risk that has not happened), are left out and counted as
      `ej_med`.
    - rapport → beslut: the rapport's day to the decision (`beslutad`).
    - rapport → anmälan: the rapport's day to the anmälan to IVO (`ivo_anmald`).
    """
    dag = brytdag(till)
    qs = urval(ar, till=till).annotate(rapportdag=s.lokal_dag("rapporterad"))
    villkor = {
        "handelse_till_rapport": Q(
            handelsedatum__isnull=False,
            handelsedatum_ungefarligt=False,
            handelsedatum__lte=F("rapportdag"),
        ),
        "rapport_till_beslut": senast("beslutad", dag),
        "rapport_till_anmalan": senast("ivo_anmald", dag),
    }
    falt = {
        "handelse_till_rapport": ("handelsedatum", "rapportdag"),
        "rapport_till_beslut": ("rapportdag", "beslutad"),
        "rapport_till_anmalan": ("rapportdag", "ivo_anmald"),
    }
    # The counts in one query, the medians in one more (PostgreSQL; elsewhere two per
    # median, `kvalitet.statistik.medianer`).
    antal_ = qs.aggregate(
        totalt=Count("pk"), **{k: Count("pk", filter=v) for k, v in villkor.items()}
    )
    # No median under MINSTA_ANTAL cases: it would be one or two cases' own figures.
    matbara = {k: v for k, v in villkor.items() if antal_[k] >= MINSTA_ANTAL}
    medianer = s.medianer(qs, {k: (*falt[k], v) for k, v in matbara.items()}) if matbara else {}
    return {
        k: {
            "antal": antal_[k],
            "median_dagar": medianer.get(k),
            "ej_med": antal_["totalt"] - antal_[k],
        }
        for k in villkor
    }


def uppfoljning(ar, *, till=None):
    """Action plans followed up on time: of the year's cases whose follow-up was due
    (`uppfoljning_senast`) on or before the cut-off day, those followed up (`uppfoljd`)
    by that date; the rest followed up later (by the cut-off) or not at all. A follow-up
    not yet due at the cut-off is not counted. One query."""
    dag = brytdag(till)
    forfallna = senast("uppfoljning_senast", dag)
    uppfoljd = senast("uppfoljd", dag)
    r = urval(ar, till=till).aggregate(
        forfallna=Count("pk", filter=forfallna),
        i_tid=Count("pk", filter=forfallna & uppfoljd & Q(uppfoljd__lte=F("uppfoljning_senast"))),
        sent=Count("pk", filter=forfallna & uppfoljd & Q(uppfoljd__gt=F("uppfoljning_senast"))),
        ej_forfallna=Count("pk", filter=Q(uppfoljning_senast__gt=dag)),
    )
    r["ej_uppfoljda"] = r["forfallna"] - r["i_tid"] - r["sent"]
    r["andel_i_tid"] = s.andel(r["i_tid"], r["forfallna"])
    return r


def sammanfattningar(ar, *, till=None):
    """The anonymised summaries of the year's anmälningar to IVO that were approved for
    the kvalitetsberättelse by the cut-off, oldest rapport first: the year of the
    anmälan, the classification and the approved text – no number, name or other text
    of the case. One query."""
    dag = brytdag(till)
    rader = (
        urval(ar, till=till)
        .filter(senast("ivo_anmald", dag), senast("anonym_godkand", dag))
        .exclude(anonym_sammanfattning="")
        .annotate(anmalningsar=ExtractYear("ivo_anmald"))
        .order_by("rapporterad", "pk")
        .values_list("anmalningsar", "klassning", "anonym_sammanfattning")
    )
    return [
        {
            "ar": anmalningsar,
            "klassning": str(KLASSNINGAR.get(klassning, "")) if klassning else "",
            "text": text.strip(),
        }
        for anmalningsar, klassning, text in rader
    ]
