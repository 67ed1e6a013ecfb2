"""Choices of the lex Sarah case type (DOMAIN.md §4.3), with named status groups."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    RAPPORTERAD = "rapporterad", _("Rapporterad")
    UNDER_UTREDNING = "under_utredning", _("Under utredning")
    TILL_BESLUT = "till_beslut", _("Förslag till beslut")
    BESLUTAD = "beslutad", _("Beslutad")
    AVSLUTAD = "avslutad", _("Avslutad")


OPPNA = (Status.RAPPORTERAD, Status.UNDER_UTREDNING, Status.TILL_BESLUT, Status.BESLUTAD)
# Before the decision: the investigation may still change, IVO may already be notified.
FORE_BESLUT = (Status.RAPPORTERAD, Status.UNDER_UTREDNING, Status.TILL_BESLUT)
UTREDS = (Status.UNDER_UTREDNING,)


class Klassning(models.TextChoices):
    """The bedömning, in the five levels of SOSFS 2011:5 (DOMAIN.md §4.3)."""

    INGET = "inget_missforhallande", _("Inget missförhållande")
    PATAGLIG_RISK = "pataglig_risk_for_missforhallande", _("Påtaglig risk för missförhållande")
    MISSFORHALLANDE = "missforhallande", _("Missförhållande")
    PATAGLIG_RISK_ALLVARLIGT = (
        "pataglig_risk_for_allvarligt_missforhallande",
        _("Påtaglig risk för allvarligt missförhållande"),
    )
    ALLVARLIGT = "allvarligt_missforhallande", _("Allvarligt missförhållande")


# The classifications that must be notified to IVO ("snarast").
ANMALAN_KRAVS = (Klassning.PATAGLIG_RISK_ALLVARLIGT, Klassning.ALLVARLIGT)


class Kalla(models.TextChoices):
    """Where the reporter's information came from."""

    EGEN = "egen", _("Jag har själv sett eller varit med om det")
    KOLLEGA = "kollega", _("En kollega")
    ENSKILD = "enskild", _("Den enskilde")
    NARSTAENDE = "narstaende", _("En närstående eller företrädare")
    EXTERN = "extern", _("En annan person utanför förvaltningen")
    IVO = "ivo", _("IVO")
    UTFORARE = "utforare", _("En privat utförare där nämnden placerat den enskilde")
    KONTROLL = "kontroll", _("En egenkontroll eller internkontroll")
    OVRIGT = "ovrigt", _("Annat")


class Vag(models.TextChoices):
    """The way the case started (DOMAIN.md §4.3, "Ways a lex Sarah case starts")."""

    RAPPORT = "rapport", _("Lex Sarah-rapport från personal")
    AVVIKELSE = "avvikelse", _("Förvaltningschefens ställningstagande på en avvikelse")
    SYNPUNKT = "synpunkt", _("Synpunkt eller klagomål")
    KONTROLL = "kontroll", _("Egenkontroll eller internkontroll")
    UTFORARE = "utforare", _("Information från en privat utförare")
    IMPORT = "import", _("Importerat")


class Informerad(models.TextChoices):
    """Whether the client or their representative was told."""

    JA = "ja", _("Ja")
    NEJ = "nej", _("Nej")


class Risk(models.TextChoices):
    """The risk that it happens again."""

    LITEN = "liten", _("Liten")
    MATTLIG = "mattlig", _("Måttlig")
    STOR = "stor", _("Stor")


class Beslutsfattare(models.TextChoices):
    FORVALTNINGSCHEF = "forvaltningschef", _("Förvaltningschefen")
    NAMND = "namnd", _("Nämnden")


class IvoUtfall(models.TextChoices):
    """IVO's decision on an anmälan."""

    UTAN_KRITIK = "avslutat_utan_kritik", _("Avslutat utan kritik")
    KRITIK = "kritik", _("Kritik")
    KRAV = "krav", _("Krav på åtgärder")
    FORELAGGANDE = "foreleggande", _("Föreläggande")
