from django.utils.translation import gettext_lazy as _

from kvalitet import delar


def _kan_rapportera(user):
    from kvalitet import behorighet

    return behorighet.kan_rapportera(user)


class AvvikelserConfig(delar.Del):
    name = "avvikelser"
    verbose_name = _("Avvikelser")
    startknappar = (delar.Lank(_("Rapportera avvikelse"), "avvikelser:ny", _kan_rapportera),)
    importsektioner = ("avvikelser.importering.AvvikelserImport",)
    demodata = "avvikelser.demo.skapa"
    demoordning = 10

    def startfigurer(self, user):
        from avvikelser import startfigurer

        return startfigurer.figurer(user)
