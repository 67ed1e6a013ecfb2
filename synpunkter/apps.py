from django.apps import AppConfig
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def vantar_pa(user, qs):
    """Synpunkter waiting for this user: new ones for the registrator; registered and
    unanswered or answered-but-open ones for the unit's managers and the handler."""
    from kvalitet import behorighet

    from .choices import Status

    hantering = [Status.REGISTRERAD, Status.UNDER_HANDLAGGNING, Status.BESVARAD]
    q = Q(status__in=hantering, handlaggare=user)
    if behorighet.ar_registrator(user):
        q |= Q(status=Status.INKOMMEN)
    for u in behorighet.uppdrag(user):
        if u.roll in behorighet.HANTERAR:
            q |= Q(status__in=hantering, enhet__sokvag__startswith=u.enhet.sokvag)
    return qs.filter(q)


def egna(user, qs):
    return qs.filter(skapad_av=user)


class SynpunkterConfig(AppConfig):
    name = "synpunkter"
    verbose_name = _("Synpunkter och klagomål")

    def ready(self):
        from kvalitet import arendetyper, importering

        from .importering import SynpunkterImport

        importering.registrera(SynpunkterImport)

        arendetyper.registrera(
            arendetyper.Arendetyp(
                model="synpunkter.Synpunkt",
                namn=_("Synpunkter"),
                lista_url="synpunkter:lista",
                detalj_url="synpunkter:detalj",
                vantar_pa=vantar_pa,
                egna=egna,
                datumfalt="inkom",
            )
        )
