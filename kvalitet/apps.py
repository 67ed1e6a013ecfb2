from django.utils.translation import gettext_lazy as _

from kvalitet import delar


def _ar_administrator(user):
    from kvalitet.behorighet import ar_administrator

    return ar_administrator(user)


class KvalitetConfig(delar.Del):
    """The project and its shared core; administrators get the people page in the menu."""

    name = "kvalitet"
    verbose_name = _("Organisation och behörighet")
    meny = (delar.Lank(_("Personer"), "administration:personer", _ar_administrator, ordning=95),)
    importsektioner = ("kvalitet.importering.OrganisationImport",)
    # The standard legal references (docs/regler.md), before the parts' demo records.
    demodata = "kvalitet.regler.demodata"
    demoordning = 5
