"""The synpunkter's figures on the start page (`kvalitet.delar.Startfigur`).

Klagomål answered in time this year so far against the same period last year, with the
definition of the report (`statistik.svarstider`, docs/siffror.md) and its small-numbers
rule (`kvalitet.lib.diagram.andel_text`). `svarstider` counts every synpunkt, so the
figure is shown only to those who see every synpunkt."""

from django.utils import timezone
from django.utils.translation import gettext as _

from kvalitet import behorighet
from kvalitet.delar import Startfigur
from kvalitet.lib import diagram
from kvalitet.models import Roll
from kvalitet.startfigurer import i_ar_mot_i_fjol, lista_url, rader, samma_dag_i_fjol

from . import statistik
from .models import Synpunkt


def figurer(user) -> list[Startfigur]:
    if not (
        behorighet.har_roll(user, Roll.KVALITETSSAMORDNARE) and behorighet.ser_allt(user, Synpunkt)
    ):
        return []
    return [svar_i_tid(timezone.localdate())]


def svar_i_tid(idag) -> Startfigur:
    fjol = samma_dag_i_fjol(idag)
    nu = statistik.svarstider(idag.year, till=idag)
    da = statistik.svarstider(fjol.year, till=fjol)
    dagar = nu["frist_dagar"]
    typer = ", ".join(nu["typer"]).lower()
    tabell = rader(
        (_("Besvarade i tid"), [nu["i_tid"], da["i_tid"]], ""),
        (_("Inte besvarade i tid"), [nu["ej_i_tid"], da["ej_i_tid"]], ""),
        (
            _("Andel i tid"),
            [
                diagram.andel_text(nu["i_tid"], nu["forfallna"]),
                diagram.andel_text(da["i_tid"], da["forfallna"]),
            ],
            "",
        ),
    )
    rubrik = _("%(typer)s besvarade inom %(dagar)s dagar i år jämfört med i fjol") % {
        "typer": typer.capitalize(),
        "dagar": dagar,
    }
    return Startfigur(
        rubrik=rubrik,
        diagram=i_ar_mot_i_fjol(rubrik, tabell[:2], idag.year),  # the shares are not bars
        kolumner=(_("Svar"), str(idag.year), str(fjol.year)),
        rader=tabell,
        text=_(
            "I år: %(andel)s av de %(typer)s vars svarsfrist har gått ut besvarades inom "
            "%(dagar)s dagar."
        )
        % {
            "andel": diagram.andel_text(nu["i_tid"], nu["forfallna"]),
            "typer": typer,
            "dagar": dagar,
        },
        lank=lista_url("synpunkter:lista", typ="klagomal", fran=f"{idag.year}-01-01"),
        lanktext=_("Årets klagomål i listan"),
        ordning=35,
    )
