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

    def startfigurer(self, user):
        """Over every case type: the open cases of a chef's units by deadline, the cases
        past deadline for the förvaltningschef, improvement actions past due for the
        kvalitetssamordnare."""
        from kvalitet import startfigurer as f

        return f.enhetens_frister(user) + f.over_tidsfrist(user) + f.forsenade_atgarder(user)
