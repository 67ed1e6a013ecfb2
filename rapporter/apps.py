from django.utils.translation import gettext_lazy as _

from kvalitet import delar


def _kan_se_rapporter(user):
    from .behorighet import kan_se_rapporter

    return kan_se_rapporter(user)


class RapporterConfig(delar.Del):
    name = "rapporter"
    verbose_name = _("Rapporter")
    meny = (delar.Lank(_("Rapporter"), "rapporter:lista", _kan_se_rapporter, ordning=90),)
    importsektioner = (
        "rapporter.importering.DriftstartImport",
        "rapporter.importering.HistorikImport",
    )
    demodata = "rapporter.demo.skapa"
    demoordning = 90
