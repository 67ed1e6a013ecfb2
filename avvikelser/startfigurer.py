"""The avvikelser's figures on the start page (`kvalitet.delar.Startfigur`), over the
avvikelser the user may see (`for_user`), in a fixed number of queries.

Tillbud are never avvikelse figures: only `typ` avvikelse is counted. A year so far is
1 January to today (Swedish local time, docs/siffror.md), compared with the same days of
last year."""

import calendar
from datetime import date

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kvalitet import behorighet
from kvalitet import statistik as s
from kvalitet.delar import Startfigur
from kvalitet.lib import diagram
from kvalitet.models import Roll
from kvalitet.startfigurer import (
    i_ar_mot_i_fjol,
    lista_url,
    rader,
    samma_dag_i_fjol,
    stapeldiagram,
)

from .choices import Status, Typ
from .models import Avvikelse

LISTA = "avvikelser:lista"


def figurer(user) -> list[Startfigur]:
    ut = []
    if behorighet.har_roll(user, Roll.KVALITETSSAMORDNARE):
        idag = timezone.localdate()
        ut += [per_manad(user, idag), per_kategori(user, idag)]
    if behorighet.har_roll(user, Roll.FORVALTNINGSCHEF):
        ut.append(vantar_pa_stallningstagande(user))
    return ut


def _avvikelser(user):
    return Avvikelse.objects.for_user(user).filter(typ=Typ.AVVIKELSE)


def _ar(user, ar, till):
    fran, slut = s.period(ar, till)
    return _avvikelser(user).filter(rapporterad__gte=fran, rapporterad__lt=slut)


def per_manad(user, idag: date) -> Startfigur:
    """Avvikelser per month this year so far against the same months last year. Two
    queries."""
    i_ar = s.per_manad(_ar(user, idag.year, idag), "rapporterad", sista=idag)
    i_fjol = s.per_manad(
        _ar(user, idag.year - 1, samma_dag_i_fjol(idag)), "rapporterad", sista=None
    )
    tabell = []
    for nu, da in zip(i_ar[: idag.month], i_fjol, strict=False):
        manad = nu["varde"]
        sista = min(
            idag.day if manad == idag.month else 31, calendar.monthrange(idag.year, manad)[1]
        )
        url = lista_url(
            LISTA,
            typ=Typ.AVVIKELSE.value,
            fran=date(idag.year, manad, 1).isoformat(),
            till=date(idag.year, manad, sista).isoformat(),
        )
        tabell.append((nu["namn"], [nu["antal"], da["antal"]], url))
    tabell = rader(*tabell)
    rubrik = _("Avvikelser per månad i år jämfört med i fjol")
    return Startfigur(
        rubrik=rubrik,
        diagram=i_ar_mot_i_fjol(rubrik, tabell, idag.year),
        kolumner=(_("Månad"), str(idag.year), str(idag.year - 1)),
        rader=tabell,
        text=_("%(nu)s avvikelser hittills i år, %(da)s samma period i fjol.")
        % {
            "nu": diagram.tal_text(sum(r["varden"][0] for r in tabell)),
            "da": diagram.tal_text(sum(r["varden"][1] for r in tabell)),
        },
        lank=lista_url(LISTA, typ=Typ.AVVIKELSE.value, fran=f"{idag.year}-01-01"),
        lanktext=_("Årets avvikelser i listan"),
        ordning=30,
    )


def per_kategori(user, idag: date) -> Startfigur:
    """Avvikelser per category this year so far against the same period last year. One
    query."""
    fjol = samma_dag_i_fjol(idag)
    fran_fjol, slut_fjol = s.period(fjol.year, fjol)
    fran_i_ar, slut_i_ar = s.period(idag.year, idag)
    i_ar = Q(rapporterad__gte=fran_i_ar, rapporterad__lt=slut_i_ar)
    i_fjol = Q(rapporterad__gte=fran_fjol, rapporterad__lt=slut_fjol)
    qs = (
        _avvikelser(user)
        .filter(i_ar | i_fjol)
        .values("kategori", "kategori__namn")
        .annotate(antal=Count("pk", filter=i_ar), jamforelse=Count("pk", filter=i_fjol))
        .order_by()
    )
    tabell = rader(
        *(
            (
                r["kategori__namn"] or _("Ej kategoriserad"),
                [r["antal"], r["jamforelse"]],
                lista_url(
                    LISTA,
                    typ=Typ.AVVIKELSE.value,
                    kategori=r["kategori"],
                    fran=f"{idag.year}-01-01",
                    till=idag.isoformat(),
                )
                if r["kategori"]
                else "",
            )
            for r in sorted(
                qs, key=lambda r: (-r["antal"], -r["jamforelse"], r["kategori__namn"] or "")
            )
        )
    )
    rubrik = _("Avvikelser per kategori i år jämfört med samma period i fjol")
    return Startfigur(
        rubrik=rubrik,
        diagram=i_ar_mot_i_fjol(rubrik, tabell, idag.year),
        kolumner=(_("Kategori"), str(idag.year), str(idag.year - 1)),
        rader=tabell,
        ordning=31,
    )


def vantar_pa_stallningstagande(user) -> Startfigur:
    """Förvaltningschef: avvikelser investigated or closed without their position
    (`AvvikelseQuerySet.vantar_pa`). One query."""
    utan = _avvikelser(user).filter(fc_stallningstagande="")
    antal = utan.aggregate(
        utredning=Count("pk", filter=Q(status=Status.UNDER_UTREDNING)),
        avslutade=Count("pk", filter=Q(status=Status.AVSLUTAD)),
    )
    # No list link: the list has no filter for a missing position; the avvikelser
    # themselves are in "väntar på dig" on the same page.
    tabell = rader(
        (_("Under utredning"), [antal["utredning"]], ""),
        (_("Avslutade"), [antal["avslutade"]], ""),
    )
    rubrik = _("Avvikelser som väntar på ditt ställningstagande")
    return Startfigur(
        rubrik=rubrik,
        diagram=stapeldiagram(rubrik, tabell),
        kolumner=(_("Status"), _("Utan ställningstagande")),
        rader=tabell,
        text=_("Totalt: %(antal)s.") % {"antal": antal["utredning"] + antal["avslutade"]},
        ordning=15,
    )
