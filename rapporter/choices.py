"""Choices of the reports app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    """A kvalitetsberättelse is drafted, then decided; a later version replaces it."""

    UTKAST = "utkast", _("Utkast")
    FASTSTALLD = "faststalld", _("Fastställd")
    ERSATT = "ersatt", _("Ersatt av senare version")


BESLUTADE = (Status.FASTSTALLD, Status.ERSATT)


class PdfStatus(models.TextChoices):
    """Where the latest PDF request stands."""

    INGEN = "", _("Ingen PDF")
    KOAD = "koad", _("I kö")
    PAGAR = "pagar", _("Skapas")
    KLAR = "klar", _("Klar")
    FEL = "fel", _("Misslyckades")


PDF_ARBETAR = (PdfStatus.KOAD, PdfStatus.PAGAR)


class Serie(models.TextChoices):
    """Series of imported history (docs/import-format.md, `historik[].serie`)."""

    AVVIKELSER = "avvikelser", _("Avvikelser")
    SYNPUNKTER = "synpunkter", _("Synpunkter")
    LEXSARAH = "lexsarah", _("Lex Sarah")


class Dimension(models.TextChoices):
    """What an imported count is broken down by (docs/import-format.md, `historik[].dimension`)."""

    TOTAL = "total", _("Totalt")
    TYP = "typ", _("Typ")
    KATEGORI = "kategori", _("Kategori")
    KANAL = "kanal", _("Kanal")
    KLASSNING = "klassning", _("Klassning")
    ENHET = "enhet", _("Enhet")
