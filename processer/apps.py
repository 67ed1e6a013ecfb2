from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from kvalitet import delar


def _se_kartan(user):
    from .behorighet import kan_se_kartan

    return kan_se_kartan(user)


class ProcesserConfig(delar.Del):
    name = "processer"
    verbose_name = gettext_lazy("Processer")
    meny = (delar.Lank(gettext_lazy("Processer"), "processer:lista", _se_kartan, 50),)
    # Before the report's demo (90): its chapters 3 and 10 read the processes.
    importsektioner = ("processer.importering.ProcessImport",)
    demodata = "processer.demo.skapa"
    demoordning = 80

    def vantar_pa(self, user):
        """From 1 January: the active processes the user owns or whose units they lead
        with a key figure still measured that has a target for last year but no result
        (`ProcessQuerySet.vantar_pa`), due by 31 January. One query, whatever the number
        of processes."""
        from datetime import date

        from django.utils import timezone

        from .models import Process

        idag = timezone.localdate()
        forra = idag.year - 1
        processer = (
            Process.objects.for_user(user)
            .vantar_pa(user)
            .select_related("enhet")
            .order_by("typ", "namn", "pk")[:50]
        )
        # Due when the kvalitetsberättelse reads last year's figures: at the end of
        # January (rapporter.models.standard_brytdatum).
        senast = date(idag.year, 1, 31)
        rader = tuple(
            delar.VantandeRad(
                url=p.get_absolute_url(),
                nummer=p.nummer,
                text=p.namn,
                enhet=p.enhet.namn,
                att_gora=ngettext(
                    "Registrera utfall för %(ar)s: %(n)s nyckeltal",
                    "Registrera utfall för %(ar)s: %(n)s nyckeltal",
                    p.saknas,
                )
                % {"ar": forra, "n": p.saknas},
                datum=senast,
                forsenad=idag > senast,
            )
            for p in processer
        )
        return [
            delar.Vantande(
                _("Nyckeltal att följa upp"),
                rader,
                lank="processer:lista",
                lanktext=_("Processkartan"),
                ordning=50,
            )
        ]
