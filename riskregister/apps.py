from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kvalitet import delar


def _kan_foresla(user):
    from .behorighet import kan_foresla

    return kan_foresla(user)


def _ar_namnd(user):
    """The nämnd finds the decided versions in its menu; those who prepare them reach
    them, and the riskanalyser, from the register's page (one menu entry per part)."""
    from kvalitet.behorighet import har_roll
    from kvalitet.models import Roll

    from .behorighet import kan_forbereda

    return har_roll(user, Roll.NAMND) and not kan_forbereda(user)


class RiskregisterConfig(delar.Del):
    name = "riskregister"
    verbose_name = gettext_lazy("Riskregister")
    meny = (
        delar.Lank(gettext_lazy("Riskregister"), "riskregister:lista", _kan_foresla, 40),
        delar.Lank(
            gettext_lazy("Riskregistret – fastställda versioner"),
            "riskregister:versioner",
            _ar_namnd,
            91,
        ),
    )
    importsektioner = ("riskregister.importering.RiskImport",)
    # After the case types: demo risks are linked to the demo events that realised them.
    demodata = "riskregister.demo.skapa"
    demoordning = 60

    def handlingar_pa(self, user, arende):
        """From a case the user handles: propose the risk it showed (linked to an event
        as realising it, to a tillsyn as belonging with it). Linking to a risk already in
        the register is the page's own link form, with the risk's number."""
        from kvalitet import behorighet

        if not behorighet.kan_hantera(user, arende):
            return []
        return [
            delar.Handling(
                _("Föreslå en ny risk"),
                f"{reverse('riskregister:ny')}?fran={arende.nummer}",
                forklaring=_(
                    "Visade %(vad)s en risk som inte finns i riskregistret? Förslaget "
                    "kopplas hit. Finns risken redan: länka den med dess nummer (RISK-…)."
                )
                % {"vad": _("händelsen") if arende.AR_HANDELSE else _("ärendet")},
                stil="",
            )
        ]

    def vantar_pa(self, user):
        """The open risks the user owns or whose units they lead, due for review within
        RISK_PAMINNELSE_DAGAR_FORE days or overdue (`RiskQuerySet.vantar_pa`)."""
        from django.utils import timezone

        from .models import Risk

        idag = timezone.localdate()
        risker = (
            Risk.objects.for_user(user)
            .vantar_pa(user)
            .select_related("enhet")
            .order_by("nasta_oversyn", "nummer")[:50]
        )
        rader = tuple(
            delar.VantandeRad(
                url=r.get_absolute_url(),
                nummer=r.nummer,
                text=r.titel,
                enhet=r.enhet.namn,
                att_gora=_("Se över risken: bedöm den på nytt och sätt nästa översyn"),
                datum=r.nasta_oversyn,
                forsenad=r.nasta_oversyn < idag,
            )
            for r in risker
        )
        return [
            delar.Vantande(
                _("Risker att se över"),
                rader,
                lank="riskregister:lista",
                lanktext=_("Riskregistret"),
                ordning=40,
            )
        ]
