"""Aggregate figures of synpunkter for a year (docs/siffror.md). Pure queries, done in
the database; no personal data leaves this module. A synpunkt counts in the year it
was received (`inkom`), in Swedish local time, up to an optional cut-off date; an answer
or a closing counts only if it happened by the cut-off."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from kvalitet import statistik as s
from kvalitet import summering

from .choices import Kanal, Typ
from .models import (
    Inlamning,
    Kategori,
    Svarssumma,
    Synpunkt,
    Synpunktavslut,
    Synpunktsumma,
)

ARENDEN = s.Arendestatistik(Synpunkt, summa=Synpunktsumma)
urval = ARENDEN.urval
antal = ARENDEN.antal
per_avdelning = ARENDEN.per_avdelning
per_verksamhetsomrade = ARENDEN.per_verksamhetsomrade
TYPER = ARENDEN.koder("typ")
KANALER = ARENDEN.koder("kanal")
VIA_IVO = Kanal.VIA_IVO.value


def ej_registrerade(ar, *, till=None) -> int:
    """Submissions through the e-service received in `ar` (up to `till`) that are not yet
    synpunkter: no figure counts them until the worker has built them (normally within
    seconds; one whose build failed waits for the registrator). Only a number."""
    fran, slut = s.period(ar, till)
    return Inlamning.objects.vantande().filter(mottagen__gte=fran, mottagen__lt=slut).count()


def per_typ(ar, **kw):
    return ARENDEN.per_kod(ar, "typ", **kw)


def per_kanal(ar, **kw):
    return ARENDEN.per_kod(ar, "kanal", **kw)


def per_avsandare(ar, **kw):
    return ARENDEN.per_kod(ar, "avsandare", **kw)


def per_kategori(ar, **kw):
    return ARENDEN.per_namn(ar, "kategori__namn", tom="Ej kategoriserad", **kw)


def klagomal_per_kategori_och_vag(ar, **kw):
    """Klagomål per category, those sent directly to the förvaltning and those forwarded
    by IVO apart (DOMAIN.md §4.2: most complaints may come via IVO), largest total
    first: [{"namn", "direkt", "via_ivo", "antal"}]. One query."""
    rader = (
        urval(ar, **kw)
        .filter(typ=Typ.KLAGOMAL)
        .values("kategori__namn")
        .annotate(
            antal=Count("pk"),
            via_ivo=Count("pk", filter=Q(kanal=VIA_IVO)),
        )
    )
    ut = [
        {
            "namn": r["kategori__namn"] or "Ej kategoriserad",
            "direkt": r["antal"] - r["via_ivo"],
            "via_ivo": r["via_ivo"],
            "antal": r["antal"],
        }
        for r in rader
    ]
    return sorted(ut, key=lambda r: (-r["antal"], r["namn"]))


def per_enhet(ar, **kw):
    return ARENDEN.per_namn(ar, "enhet__namn", **kw)


def svarstider(ar, *, till=None):
    """Answered within N days (docs/siffror.md, DOMAIN.md §5), N being
    `SYNPUNKT_SVARSTID_DAGAR`, for the types in `SYNPUNKT_SVARSTID_TYPER` (klagomål).

    The denominator (`forfallna`) is every case of those types received in `ar` whose
    deadline – the Swedish calendar day of receipt plus N days – fell on or before the
    cut-off day (`till`; without one, today): answered or not. In time (`i_tid`) is an
    answer by the end of the deadline day; one answered later, or not answered by the
    end of the cut-off day, is not in time. A case not yet due at the cut-off is not
    counted. Medians are over the year's cases of those types answered (closed) by the
    cut-off, in days from receipt."""
    dagar = settings.SYNPUNKT_SVARSTID_DAGAR
    typer = list(settings.SYNPUNKT_SVARSTID_TYPER)
    brytdag = till if till is not None else timezone.localdate()
    slut = s.slut_for(brytdag)
    matta = urval(ar, till=till).filter(typ__in=typer)
    forfallna = matta.annotate(inkomstdag=s.lokal_dag("inkom")).filter(
        inkomstdag__lte=brytdag - timedelta(days=dagar)
    )
    i_tid = (
        forfallna.filter(besvarad__isnull=False, besvarad__lt=slut)
        .annotate(svarsdagar=s.kalenderdagar("inkom", "besvarad"))
        .filter(svarsdagar__lte=timedelta(days=dagar))
        .count()
    )
    antal_forfallna = forfallna.count()
    besvarade = matta.filter(besvarad__isnull=False, besvarad__lt=slut)
    avslutade = matta.filter(avslutad__isnull=False, avslutad__lt=slut)
    return {
        "frist_dagar": dagar,
        "typer": [str(TYPER.get(t, t)) for t in typer],
        "forfallna": antal_forfallna,
        "i_tid": i_tid,
        "ej_i_tid": antal_forfallna - i_tid,
        "andel_i_tid": s.andel(i_tid, antal_forfallna),
        "besvarade": besvarade.count(),
        "median_dagar": s.median_dagar(besvarade, "inkom", "besvarad"),
        "avslutade": avslutade.count(),
        "median_dagar_avslut": s.median_dagar(avslutade, "inkom", "avslutad"),
    }


def utfall(ar, *, till=None):
    """Closed synpunkter where the service failed (brustit) and where one led to an
    improvement, as recorded at closing. A synpunkt received in `ar` (by the cut-off)
    counts as closed only if it was closed by the end of the cut-off day `till`
    (Swedish local time); one closed later is still open in the figures."""
    qs = urval(ar, till=till).filter(avslutad__isnull=False)
    if till is not None:
        qs = qs.filter(avslutad__lt=s.slut_for(till))
    return {
        "avslutade": qs.count(),
        "brustit": qs.filter(brustit=True).count(),
        "ledde_till_forbattring": qs.filter(ledde_till_forbattring=True).count(),
    }


def arssiffror(ar, *, till=None):
    """The chapter's figures of the year in two passes over the year's synpunkter and
    one for the two medians: what `antal`, `per_typ`, `per_kategori`, `per_kanal`,
    `klagomal_per_kategori_och_vag`, `per_avsandare`, `per_avdelning`,
    `per_verksamhetsomrade`, `svarstider` and `utfall` give one by one, by the same
    definitions (tests/rapporter/test_arssiffror.py holds them equal). The rows are
    grouped per type, channel, sender and category, with the closings' outcomes beside,
    and per unit in a second small pass; the rest is summed here. The queries read only
    columns of the index `synpunkt_statistik_idx` (index-only scans on PostgreSQL).

    The answers (due, in time, answered, closed, the medians) come from the counts the
    database keeps (`Synpunktsumma`, `Svarssumma`, `Synpunktavslut`, kvalitet.summering)
    where it keeps them (`_svar_fran_summorna`), else from the same grouped pass and one
    query for the two medians."""
    dagar = settings.SYNPUNKT_SVARSTID_DAGAR
    typer = list(settings.SYNPUNKT_SVARSTID_TYPER)
    brytdag = till if till is not None else timezone.localdate()
    slut = s.slut_for(brytdag)
    matt = Q(typ__in=typer)
    forfallen = matt & Q(inkomstdag__lte=brytdag - timedelta(days=dagar))
    besvarad = Q(besvarad__isnull=False, besvarad__lt=slut)
    stangd = Q(avslutad__isnull=False)  # closed by the cut-off, as `utfall` counts it
    if till is not None:
        stangd &= Q(avslutad__lt=s.slut_for(till))
    qs = urval(ar, till=till)
    kategorier = s.namn_for(Kategori)
    summerad = summering.finns(Svarssumma)
    svar = {}
    if not summerad:
        svar = {
            "forfallna": Count("pk", filter=forfallen),
            "i_tid": Count(
                "pk", filter=forfallen & besvarad & Q(svarsdagar__lte=timedelta(days=dagar))
            ),
            "besvarade": Count("pk", filter=matt & besvarad),
            "avslutade": Count("pk", filter=matt & Q(avslutad__isnull=False, avslutad__lt=slut)),
        }
        qs = qs.annotate(
            inkomstdag=s.lokal_dag("inkom"), svarsdagar=s.kalenderdagar("inkom", "besvarad")
        )
    rader = list(
        qs.values("typ", "kanal", "avsandare", "kategori")
        .annotate(
            antal=Count("pk"),
            stangda=Count("pk", filter=stangd),
            brustit=Count("pk", filter=stangd & Q(brustit=True)),
            forbattring=Count("pk", filter=stangd & Q(ledde_till_forbattring=True)),
            **svar,
        )
        .order_by()
    )
    # Per unit apart: grouped with the codes above, the rows would multiply. A row is
    # one synpunkt (no join), so a plain count: COUNT(DISTINCT) sorted the year's ids.
    antal_per_enhet = {
        r["enhet"]: r["antal"]
        for r in urval(ar, till=till).values("enhet").annotate(antal=Count("pk")).order_by()
    }
    if summerad:
        svar = _svar_fran_summorna(ar, till, typer, dagar, brytdag)
    else:
        svar = {k: sum(r[k] for r in rader) for k in svar}
        svar.update(
            s.medianer(
                qs.filter(matt),
                {
                    "median_besvarad": ("inkom", "besvarad", besvarad),
                    "median_avslutad": (
                        "inkom",
                        "avslutad",
                        Q(avslutad__isnull=False, avslutad__lt=slut),
                    ),
                },
            )
        )
    klagomal = [r for r in rader if r["typ"] == Typ.KLAGOMAL]
    per_kategori_ivo = s.med_namn(
        s.summera([r for r in klagomal if r["kanal"] == VIA_IVO], "kategori"), kategorier
    )
    vag = [
        {
            "namn": namn or "Ej kategoriserad",
            "direkt": antal - per_kategori_ivo.get(namn, 0),
            "via_ivo": per_kategori_ivo.get(namn, 0),
            "antal": antal,
        }
        for namn, antal in s.med_namn(s.summera(klagomal, "kategori"), kategorier).items()
    ]
    summa = {k: sum(r[k] for r in rader) for k in ("antal", "stangda", "brustit", "forbattring")}
    forfallna, i_tid = svar["forfallna"], svar["i_tid"]
    return {
        "totalt": summa["antal"],
        "per_typ": s.alla_varden(s.sortera(s.summera(rader, "typ")), TYPER),
        "per_kategori": s.sortera(
            s.med_namn(s.summera(rader, "kategori"), kategorier), tom="Ej kategoriserad"
        ),
        "per_kanal": s.alla_varden(s.sortera(s.summera(rader, "kanal")), KANALER),
        "klagomal_per_kategori_och_vag": sorted(vag, key=lambda r: (-r["antal"], r["namn"])),
        "per_avsandare": s.alla_varden(
            s.sortera(s.summera(rader, "avsandare")), ARENDEN.koder("avsandare")
        ),
        "per_avdelning": s.avdelningar(antal_per_enhet),
        "per_verksamhetsomrade": s.verksamhetsomraden(antal_per_enhet),
        "svar": {
            "frist_dagar": dagar,
            "typer": [str(TYPER.get(t, t)) for t in typer],
            "forfallna": forfallna,
            "i_tid": i_tid,
            "ej_i_tid": forfallna - i_tid,
            "andel_i_tid": s.andel(i_tid, forfallna),
            "besvarade": svar["besvarade"],
            "median_dagar": svar["median_besvarad"],
            "avslutade": svar["avslutade"],
            "median_dagar_avslut": svar["median_avslutad"],
        },
        "utfall": {
            "avslutade": summa["stangda"],
            "brustit": summa["brustit"],
            "ledde_till_forbattring": summa["forbattring"],
        },
    }


def _svar_fran_summorna(ar, till, typer, dagar, brytdag):
    """The answer figures of `arssiffror` from the kept counts: of the year's synpunkter
    of the measured types, those due by the cut-off day (received at least `dagar` days
    before it), those of them answered within `dagar` calendar days and by the cut-off,
    the answered and the closed by the cut-off, and the medians of their calendar days
    (from their distributions)."""
    fran, slut = s.dagar(ar, till)
    arets = {"inkomstdag__gte": fran, "inkomstdag__lt": slut, "typ__in": typer}
    senast_inkommen = brytdag - timedelta(days=dagar)
    forfallna = Synpunktsumma.objects.filter(**arets, inkomstdag__lte=senast_inkommen).aggregate(
        n=Sum("antal", default=0)
    )["n"]

    def fordelning(modell, dag, **kw):
        rader = (
            modell.objects.filter(**arets, **{f"{dag}__lte": brytdag})
            .annotate(tid=F(dag) - F("inkomstdag"))
            .values("tid")
            .annotate(n=Sum("antal"), **kw)
            .order_by()
        )
        return list(rader)

    i_tid = Q(inkomstdag__lte=senast_inkommen, tid__lte=timedelta(days=dagar))
    svar = fordelning(Svarssumma, "svarsdag", i_tid=Sum("antal", filter=i_tid, default=0))
    avslut = fordelning(Synpunktavslut, "avslutsdag")
    return {
        "forfallna": forfallna,
        "i_tid": sum(r["i_tid"] for r in svar),
        "besvarade": sum(r["n"] for r in svar),
        "avslutade": sum(r["n"] for r in avslut),
        "median_besvarad": s.median_av({r["tid"].days: r["n"] for r in svar}),
        "median_avslutad": s.median_av({r["tid"].days: r["n"] for r in avslut}),
    }
