from django.apps import AppConfig
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def vantar_pa(user, qs):
    """Avvikelser waiting for this user: open ones they handle or manage, and for the
    förvaltningschef investigated avvikelser still without a position."""
    from kvalitet import behorighet
    from kvalitet.models import Roll

    from .choices import OPPNA, Status, Typ

    q = Q(status__in=OPPNA, handlaggare=user)
    for u in behorighet.uppdrag(user):
        if u.roll in behorighet.HANTERAR:
            q |= Q(status__in=OPPNA, enhet__sokvag__startswith=u.enhet.sokvag)
        if u.roll == Roll.FORVALTNINGSCHEF:
            q |= Q(
                typ=Typ.AVVIKELSE,
                fc_stallningstagande="",
                status__in=[Status.UNDER_UTREDNING, Status.AVSLUTAD],
                enhet__sokvag__startswith=u.enhet.sokvag,
            )
    return qs.filter(q)


def egna(user, qs):
    return qs.filter(rapporterad_av=user)


class AvvikelserConfig(AppConfig):
    name = "avvikelser"
    verbose_name = _("Avvikelser")

    def ready(self):
        from kvalitet import arendetyper, importering

        from .importering import AvvikelserImport

        importering.registrera(AvvikelserImport)

        arendetyper.registrera(
            arendetyper.Arendetyp(
                model="avvikelser.Avvikelse",
                namn=_("Avvikelser"),
                lista_url="avvikelser:lista",
                detalj_url="avvikelser:detalj",
                vantar_pa=vantar_pa,
                egna=egna,
                datumfalt="rapporterad",
            )
        )
