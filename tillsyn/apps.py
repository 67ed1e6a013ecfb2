from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kvalitet import delar
from kvalitet.lib.datum import iso


class TillsynConfig(delar.Del):
    name = "tillsyn"
    verbose_name = gettext_lazy("IVO:s tillsyn")
    demodata = "tillsyn.demo.skapa"
    demoordning = 40

    def ivo(self, user):
        """IVO's tillsyn of the units the user may see, the open ones first."""
        from .behorighet import kan_registrera
        from .models import Tillsyn

        poster = (
            Tillsyn.objects.for_user(user)
            .select_related("enhet")
            .order_by("avslutad", "-inleddes", "-pk")[:100]
        )

        rader = tuple(
            {
                "url": t.get_absolute_url(),
                "celler": [
                    t.nummer,
                    t.enhet.namn,
                    t.ivo_diarienummer,
                    iso(t.inleddes),
                    iso(t.tidsfrist),
                    f"{iso(t.beslut)} {t.utfall_text}".strip() or _("Inte än"),
                    t.get_status_display(),
                ],
            }
            for t in poster
        )
        return [
            delar.Ivosektion(
                _("IVO:s tillsyn"),
                _("Inspektioner och granskningar: IVO:s krav, förvaltningens svar, IVO:s beslut."),
                (
                    _("Ärende"),
                    _("Enhet"),
                    _("IVO:s dnr"),
                    _("Inleddes"),
                    _("Nästa svar senast"),
                    _("IVO:s beslut"),
                    _("Status"),
                ),
                rader,
                ordning=30,
                lankar=(
                    *(
                        ((_("Registrera IVO-tillsyn"), reverse("tillsyn:ny")),)
                        if kan_registrera(user)
                        else ()
                    ),
                    (_("Alla tillsyner du har tillgång till"), reverse("tillsyn:lista")),
                ),
            )
        ]
