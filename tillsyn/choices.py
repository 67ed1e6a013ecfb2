"""Choices of IVO's tillsyn (DOMAIN.md §4.7)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    PAGAR = "pagar", _("Pågår")
    BESLUTAD = "beslutad", _("IVO har beslutat")
    AVSLUTAD = "avslutad", _("Avslutad")


OPPNA = (Status.PAGAR, Status.BESLUTAD)


class Typ(models.TextChoices):
    PLANERAD = "planerad", _("Planerad tillsyn")
    HANDELSESTYRD = "handelsestyrd", _("Händelsestyrd tillsyn")
    UPPFOLJNING = "uppfoljning", _("Uppföljande tillsyn")


class Utfall(models.TextChoices):
    """IVO's decision in the tillsyn."""

    UTAN_KRITIK = "avslutat_utan_kritik", _("Avslutat utan kritik")
    KRITIK = "kritik", _("Kritik")
    KRAV = "krav", _("Krav på åtgärder")
    FORELAGGANDE = "foreleggande", _("Föreläggande")


# Outcomes the förvaltning must answer with what it did before the tillsyn is closed.
KRAVER_REDOVISNING = (Utfall.KRAV, Utfall.FORELAGGANDE)
