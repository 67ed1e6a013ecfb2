"""Choices of the risk register (DOMAIN.md §4.4; codes of docs/import-format.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kvalitet.models import BESLUTADE, Beslutsstatus  # noqa: F401 (the app's names for them)


class Status(models.TextChoices):
    """A risk is proposed, enters the register when the nämnd decides it, and may be
    removed (with a reason)."""

    FORESLAGEN = "foreslagen", _("Föreslagen")
    AKTIV = "aktiv", _("Aktiv")
    BORTTAGEN = "borttagen", _("Borttagen")


# Worked on: re-assessed, given actions, removed.
OPPNA = (Status.FORESLAGEN, Status.AKTIV)


class Kategori(models.TextChoices):
    EKONOMI = "ekonomi", _("Ekonomi")
    RATTSSAKERHET = "rattssakerhet", _("Rättssäkerhet")
    FORTROENDE = "fortroende", _("Förtroende")
    VERKSAMHET = "verksamhet", _("Verksamhet/interna rutiner")
    OMVARLD = "omvarld", _("Omvärld/lagstiftning")
    ARBETSMILJO = "arbetsmiljo", _("Arbetsmiljö")
    INFORMATIONSSAKERHET = "informationssakerhet", _("Informationssäkerhet")


class Strategi(models.TextChoices):
    ACCEPTERA = "acceptera", _("Acceptera")
    REDUCERA = "reducera", _("Reducera")
    ELIMINERA = "eliminera", _("Eliminera")
    OVERFORA = "overfora", _("Överföra")


class Kalla(models.TextChoices):
    """What found the risk or triggered the analysis: the yearly analysis, the triggers
    DOMAIN.md §4.4 lists, an event, a control."""

    ARLIG = "arlig", _("Årlig riskanalys")
    PERSONAL = "personal", _("Information från personal")
    OMORGANISATION = "omorganisation", _("Omorganisation")
    DELEGATION = "delegation", _("Ändrad delegation")
    STOD = "stod", _("Brist på stöd till personalen")
    METOD = "metod", _("Ny metod eller nytt arbetssätt")
    LAGKUNSKAP = "lagkunskap", _("Personal som inte känner till lagstiftningen")
    ARBETSFORDELNING = "arbetsfordelning", _("Otydlig arbetsfördelning")
    OMSATTNING = "omsattning", _("Personalomsättning")
    HANDELSE = "handelse", _("En händelse (avvikelse, lex Sarah, synpunkt)")
    KONTROLL = "kontroll", _("Intern kontroll eller egenkontroll")
    TILLSYN = "tillsyn", _("IVO:s tillsyn")
    ANNAT = "annat", _("Annat")


class Analysstatus(models.TextChoices):
    PAGAR = "pagar", _("Pågår")
    KLAR = "klar", _("Klar")


# A version of the register: prepared, decided by the nämnd, replaced by a later one
# (the shared statuses of a document the nämnd decides).
Versionsstatus = Beslutsstatus
