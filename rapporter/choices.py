"""Choices of the reports app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    """A kvalitetsberättelse is drafted, then decided; a later version replaces it."""

    UTKAST = "utkast", _("Utkast")
    FASTSTALLD = "faststalld", _("Fastställd")
    ERSATT = "ersatt", _("Ersatt av senare version")


BESLUTADE = (Status.FASTSTALLD, Status.ERSATT)


class Beslutsfattare(models.TextChoices):
    """Who decides the kvalitetsberättelse (setting KVALITETSBERATTELSE_BESLUTAS_AV);
    stored with each decided version, so a later change of the setting never changes
    what a decided report says."""

    FORVALTNINGSCHEF = "forvaltningschef", _("Förvaltningschefen")
    NAMND = "namnd", _("Nämnden")


class Kapitelstatus(models.TextChoices):
    """How far a chapter's text is written (Kvalitetsberattelse.kapitelstatus)."""

    EJ_SKRIVEN = "ej_skriven", _("Inte skriven ännu")
    INSTRUKTION = "instruktion", _("Skrivinstruktioner kvar")
    SKRIVEN = "skriven", _("Skriven")


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
