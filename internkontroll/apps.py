from django.utils.translation import gettext_lazy

from kvalitet import delar


def _ser_kontroller(user):
    from .behorighet import ser_kontroller

    return ser_kontroller(user)


def _ar_namnd(user):
    """The nämnd finds the decided plans and redovisningar in its menu."""
    from kvalitet.behorighet import har_roll
    from kvalitet.models import Roll

    from .behorighet import kan_forbereda

    return har_roll(user, Roll.NAMND) and not kan_forbereda(user)


class InternkontrollConfig(delar.Del):
    name = "internkontroll"
    verbose_name = gettext_lazy("Internkontroll")
    meny = (
        delar.Lank(gettext_lazy("Kontroller"), "internkontroll:lista", _ser_kontroller, 45),
        delar.Lank(
            gettext_lazy("Internkontroll – fastställda handlingar"),
            "internkontroll:planer",
            _ar_namnd,
            93,
        ),
    )
    importsektioner = ("internkontroll.importering.InternkontrollImport",)
    demodata = "internkontroll.demo.skapa"
    # After the risk register (60): a plan starts from the decided register's risks.
    demoordning = 70
