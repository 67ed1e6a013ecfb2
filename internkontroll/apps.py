from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kvalitet import delar


def _ser_kontroller(user):
    from .behorighet import ser_kontroller

    return ser_kontroller(user)


def _ar_namnd(user):
    """The nämnd finds the decided plans and redovisningar in its menu."""
    from kvalitet.behorighet import har_roll
    from kvalitet.models import Roll

    from .behorighet import kan_forbereda

    return har_roll(user, Roll.NAMND) and not kan_forbereda(user)


class InternkontrollConfig(delar.Del):
    name = "internkontroll"
    verbose_name = gettext_lazy("Internkontroll")
    meny = (
        delar.Lank(gettext_lazy("Kontroller"), "internkontroll:lista", _ser_kontroller, 45),
        delar.Lank(
            gettext_lazy("Internkontroll – fastställda handlingar"),
            "internkontroll:planer",
            _ar_namnd,
            93,
        ),
    )
    importsektioner = ("internkontroll.importering.InternkontrollImport",)
    demodata = "internkontroll.demo.skapa"
    # After the risk register (60): a plan starts from the decided register's risks.
    demoordning = 70

    def vantar_pa(self, user):
        """The control occasions of the user's units (or named to them) whose result is
        due within INTERNKONTROLL_PAMINNELSE_DAGAR_FORE days or overdue
        (`TillfalleQuerySet.vantar_pa`)."""
        from django.utils import timezone

        from .models import Kontrolltillfalle

        idag = timezone.localdate()
        tillfallen = (
            Kontrolltillfalle.objects.for_user(user)
            .vantar_pa(user)
            .select_related("enhet", "kontroll")
            .order_by("forfaller", "nummer")[:50]
        )
        rader = tuple(
            delar.VantandeRad(
                url=t.get_absolute_url(),
                nummer=t.nummer,
                text=f"{t.kontroll.kod} {t.kontroll.process}",
                enhet=t.enhet.namn,
                att_gora=_("Genomför kontrollen och registrera resultatet"),
                datum=t.forfaller,
                forsenad=t.forfaller < idag,
            )
            for t in tillfallen
        )
        return [
            delar.Vantande(
                _("Kontroller att genomföra"),
                rader,
                lank="internkontroll:lista",
                lanktext=_("Alla kontrolltillfällen du har tillgång till"),
                ordning=45,
            )
        ]
