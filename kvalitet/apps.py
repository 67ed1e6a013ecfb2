from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KvalitetConfig(AppConfig):
    """The project and its shared core."""

    name = "kvalitet"
    verbose_name = _("Organisation och behörighet")

    def ready(self):
        from kvalitet import importering

        importering.registrera(importering.OrganisationImport)
