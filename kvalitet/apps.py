from django.utils.translation import gettext_lazy as _

from kvalitet import delar


class KvalitetConfig(delar.Del):
    """The project and its shared core."""

    name = "kvalitet"
    verbose_name = _("Organisation och behörighet")
    importsektioner = ("kvalitet.importering.OrganisationImport",)
