from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from kvalitet import delar


def _ar_administrator(user):
    from kvalitet.behorighet import ar_administrator

    return ar_administrator(user)


def _ser_ivo(user):
    from kvalitet.behorighet import ser_ivo

    return ser_ivo(user)


class KvalitetConfig(delar.Del):
    """The project and its shared core; administrators get the people page in the menu."""

    name = "kvalitet"
    verbose_name = _("Organisation och behörighet")
    meny = (
        delar.Lank(_("IVO"), "ivo", _ser_ivo, ordning=65),
        delar.Lank(_("Personer"), "administration:personer", _ar_administrator, ordning=95),
    )
    importsektioner = ("kvalitet.importering.OrganisationImport",)
    # The standard legal references (docs/regler.md), before the parts' demo records.
    demodata = "kvalitet.regler.demodata"
    demoordning = 5

    def ready(self):
        super().ready()
        from django.db.backends.signals import connection_created

        from kvalitet import sok

        # The free-text search's case folding on SQLite (kvalitet.sok).
        connection_created.connect(sok.registrera_sqlite, dispatch_uid="kvalitet.sok")

    def startfigurer(self, user):
        """Over every case type: the open cases of a chef's units by deadline, the cases
        past deadline for the förvaltningschef, improvement actions past due for the
        kvalitetssamordnare."""
        from kvalitet import startfigurer as f

        return f.enhetens_frister(user) + f.over_tidsfrist(user) + f.forsenade_atgarder(user)

    def vantar_pa(self, user):
        """For the kvalitetssamordnare and the administrator: e-mail the outbox gave up
        on (a permanent refusal, or every attempt failed), the latest first."""
        from kvalitet.behorighet import ser_misslyckade_utskick
        from kvalitet.models import Utskick

        if not ser_misslyckade_utskick(user):
            return []
        rader = tuple(
            delar.VantandeRad(
                url=reverse("utskick:misslyckade"),
                nummer=u.mottagare,
                text=u.amne,
                att_gora=_("%(antal)s försök: %(fel)s")
                % {"antal": u.forsok, "fel": Truncator(u.senaste_fel).chars(80)},
                datum=u.skapad,
            )
            for u in Utskick.objects.misslyckade().order_by("-skapad", "-pk")[:10]
        )
        return [
            delar.Vantande(
                rubrik=_("Mejl som inte kunde levereras"),
                rader=rader,
                lank="utskick:misslyckade",
                lanktext=_("Alla mejl som inte kunde levereras"),
                ordning=5,
            )
        ]
