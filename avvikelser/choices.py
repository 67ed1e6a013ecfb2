"""Choices of the avvikelse case type, with named status groups."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Typ(models.TextChoices):
    AVVIKELSE = "avvikelse", _("Avvikelse")
    TILLBUD = "tillbud", _("Tillbud")


class Status(models.TextChoices):
    RAPPORTERAD = "rapporterad", _("Rapporterad")
    UNDER_UTREDNING = "under_utredning", _("Under utredning")
    AVSLUTAD = "avslutad", _("Avslutad")


# Types that are neuter nouns in Swedish (ett tillbud), for texts such as e-mails.
ETT_ORD = frozenset({Typ.TILLBUD})

OPPNA = (Status.RAPPORTERAD, Status.UNDER_UTREDNING)
AVSLUTADE = (Status.AVSLUTAD,)


class Stallningstagande(models.TextChoices):
    """The förvaltningschef's positions: the three of the paper form and a lex Sarah
    investigation (docs/arbetsfloden.md)."""

    ALLVARLIGT = (
        "allvarligt",
        _("Allvarligt missförhållande – utreds enligt lex Sarah och anmäls till IVO"),
    )
    LEX_SARAH = "lex_sarah", _("Utredning enligt lex Sarah ska inledas")
    SARSKILDA_ATGARDER = (
        "sarskilda_atgarder",
        _(
            "Inte en påtaglig risk för missförhållande – särskilda åtgärder för att "
            "förhindra upprepning redovisas till förvaltningschefen och följs upp"
        ),
    )
    INTE_ALLVARLIG = (
        "inte_allvarlig",
        _("Inte allvarlig – inga åtgärder utöver de som redan vidtagits"),
    )


# The positions that make the avvikelse a lex Sarah matter.
LEX_SARAH = (Stallningstagande.ALLVARLIGT, Stallningstagande.LEX_SARAH)


class Upptackt(models.TextChoices):
    """How the event was discovered."""

    EGEN = "egen", _("Jag upptäckte det själv")
    KOLLEGA = "kollega", _("En kollega")
    ENSKILD = "enskild", _("Den enskilde eller närstående")
    ANNAN_MYNDIGHET = "annan", _("Annan myndighet eller vårdgivare")
    GRANSKNING = "granskning", _("Vid granskning eller kontroll")
    OVRIGT = "ovrigt", _("Annat sätt")
