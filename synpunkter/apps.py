from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kvalitet import delar
from kvalitet.lib.datum import iso


class SynpunkterConfig(delar.Del):
    name = "synpunkter"
    verbose_name = gettext_lazy("Synpunkter och klagomål")
    importsektioner = ("synpunkter.importering.SynpunkterImport",)
    demodata = "synpunkter.demo.skapa"
    demoordning = 20

    def ready(self):
        super().ready()
        from django.db.models.signals import post_delete, post_save

        from kvalitet.models import Enhet

        from .forms import glom_erbjudna_enheter

        # The e-service's units are kept a minute; the process that changes one forgets
        # them at once.
        for signal in (post_save, post_delete):
            signal.connect(glom_erbjudna_enheter, sender=Enhet, dispatch_uid="synpunkter.enheter")

    def vantar_pa(self, user):
        """For the registrators and the administrator: e-service submissions not built
        into synpunkter after a failure or for longer than expected."""
        from django.urls import reverse

        from .behorighet import ser_vantande_inlamningar
        from .models import Inlamning

        if not ser_vantande_inlamningar(user):
            return []
        url = reverse("synpunkter:inlamningar")
        rader = tuple(
            delar.VantandeRad(
                url=url,
                nummer=i.referens,
                text=_("Inlämning från e-tjänsten"),
                att_gora=(
                    _("Försök igen (%(antal)s misslyckade försök)") % {"antal": i.forsok}
                    if i.forsok
                    else _("Kontrollera bakgrundsjobben")
                ),
                datum=i.mottagen,
                forsenad=True,
            )
            for i in Inlamning.objects.fastnade().order_by("mottagen", "pk")[:10]
        )
        return [
            delar.Vantande(
                rubrik=_("Inlämningar från e-tjänsten som inte blivit synpunkter"),
                rader=rader,
                lank="synpunkter:inlamningar",
                lanktext=_("Alla inlämningar som väntar"),
                ordning=4,
            )
        ]

    def startfigurer(self, user):
        from synpunkter import startfigurer

        return startfigurer.figurer(user)

    def ivo(self, user):
        """The klagomål IVO forwarded for the förvaltning to handle, with IVO's answer
        date and the answer sent to IVO (separate from the answer to the complainant)."""
        from .choices import Kanal
        from .models import Synpunkt

        via_ivo = (
            Synpunkt.objects.for_user(user)
            .filter(kanal=Kanal.VIA_IVO)
            .select_related("enhet")
            .order_by("-inkom", "-pk")[:100]
        )

        rader = tuple(
            {
                "url": s.get_absolute_url(),
                "celler": [
                    s.nummer,
                    s.enhet.namn,
                    s.ivo_diarienummer,
                    iso(s.ivo_skickad),
                    iso(s.ivo_svar_senast),
                    iso(s.ivo_besvarad) or (_("Försenat") if s.ivo_forsenad else _("Inte än")),
                ],
            }
            for s in via_ivo
        )
        return [
            delar.Ivosektion(
                _("Klagomål som IVO överlämnat"),
                _("IVO:s frist och förvaltningens svar till IVO."),
                (
                    _("Ärende"),
                    _("Enhet"),
                    _("IVO:s dnr"),
                    _("IVO skickade"),
                    _("Svar senast"),
                    _("Svarat IVO"),
                ),
                rader,
                ordning=20,
            )
        ]
