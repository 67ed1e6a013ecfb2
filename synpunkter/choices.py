"""Choices of the synpunkt case type (the codes of docs/import-format.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Typ(models.TextChoices):
    KLAGOMAL = "klagomal", _("Klagomål")
    SYNPUNKT = "synpunkt", _("Synpunkt")
    BEROM = "berom", _("Beröm")
    FORSLAG = "forslag", _("Förslag")
    FRAGA = "fraga", _("Fråga")


# Types that are neuter nouns in Swedish (ett klagomål), for texts such as e-mails.
ETT_ORD = frozenset({Typ.KLAGOMAL, Typ.BEROM, Typ.FORSLAG})


class Kanal(models.TextChoices):
    E_TJANST = "e_tjanst", _("E-tjänst")
    EPOST = "epost", _("E-post")
    BREV = "brev", _("Brev")
    TELEFON = "telefon", _("Telefon")
    BESOK = "besok", _("Besök")
    VIA_IVO = "via_ivo", _("Via IVO")
    ANNAT = "annat", _("Annat")


class Avsandare(models.TextChoices):
    BRUKARE = "brukare", _("Brukare/klient")
    NARSTAENDE = "narstaende", _("Närstående")
    MEDARBETARE = "medarbetare", _("Medarbetare")
    VARDGIVARE = "vardgivare", _("Vårdgivare")
    ANNAN_UTFORARE = "annan_utforare", _("Annan utförare")
    MYNDIGHET = "myndighet", _("Myndighet")
    ORGANISATION = "organisation", _("Förening/organisation")
    OVRIG = "ovrig", _("Övrig")
    ANONYM = "anonym", _("Anonym")


class Status(models.TextChoices):
    INKOMMEN = "inkommen", _("Inkommen")
    REGISTRERAD = "registrerad", _("Registrerad")
    UNDER_HANDLAGGNING = "under_handlaggning", _("Under handläggning")
    BESVARAD = "besvarad", _("Besvarad")
    AVSLUTAD = "avslutad", _("Avslutad")


OPPNA = (Status.INKOMMEN, Status.REGISTRERAD, Status.UNDER_HANDLAGGNING, Status.BESVARAD)
# Statuses in which the 14-day answer deadline runs.
OBESVARADE = (Status.INKOMMEN, Status.REGISTRERAD, Status.UNDER_HANDLAGGNING)


class Svarssatt(models.TextChoices):
    """How the answer reached the submitter."""

    EPOST = "epost", _("E-post från systemet")
    BREV = "brev", _("Brev")
    TELEFON = "telefon", _("Telefon")
    MOTE = "mote", _("Möte eller besök")
    INGET = "inget", _("Inget svar kan lämnas (anonym eller utan kontaktuppgifter)")


class Delegationsstatus(models.TextChoices):
    """The complainant's request that the nämnd's klagomålsdelegation handle the matter."""

    BEGARD = "begard", _("Begärd")
    BEHANDLAD = "behandlad", _("Behandlad")
