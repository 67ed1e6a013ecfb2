from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RapporterConfig(AppConfig):
    name = "rapporter"
    verbose_name = _("Rapporter")

    def ready(self):
        from kvalitet import importering

        from .importering import HistorikImport

        importering.registrera(HistorikImport)
