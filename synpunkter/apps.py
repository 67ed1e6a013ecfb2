from django.utils.translation import gettext_lazy as _

from kvalitet import delar


class SynpunkterConfig(delar.Del):
    name = "synpunkter"
    verbose_name = _("Synpunkter och klagomål")
    importsektioner = ("synpunkter.importering.SynpunkterImport",)
    demodata = "synpunkter.demo.skapa"
    demoordning = 20

    def startfigurer(self, user):
        from synpunkter import startfigurer

        return startfigurer.figurer(user)
