"""Choices of the processes (DOMAIN.md §2): the process groups, a process's status, which
way a key figure is better, and what happened to a process or its styrdokument."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Processtyp(models.TextChoices):
    """The groups a förvaltning's process map is drawn in, in the report's order."""

    KARNPROCESS = "karnprocess", _("Kärnprocess")
    LEDNINGSPROCESS = "ledningsprocess", _("Ledningsprocess")
    STODPROCESS = "stodprocess", _("Stödprocess")


class Status(models.TextChoices):
    """A process is in use until it is discontinued (merged, reorganised away)."""

    AKTIV = "aktiv", _("Aktiv")
    AVVECKLAD = "avvecklad", _("Avvecklad")


# Worked on: changed, given key figures and values, actions and files.
OPPNA = (Status.AKTIV,)


class Riktning(models.TextChoices):
    """Whether a key figure's target is a floor or a ceiling: "at least 90 % of the
    investigations within four months" or "at most 5 days to the first contact"."""

    HOGRE = "hogre", _("Minst målvärdet (högre är bättre)")
    LAGRE = "lagre", _("Högst målvärdet (lägre är bättre)")


class Handelsetyp(models.TextChoices):
    """What chapter 3 of the kvalitetsberättelse tells for the year: what was mapped,
    revised and published."""

    KARTLAGD = "kartlagd", _("Kartlagd")
    REVIDERAD = "reviderad", _("Reviderad")
    PUBLICERAD = "publicerad", _("Publicerad")
