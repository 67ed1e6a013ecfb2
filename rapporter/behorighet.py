"""Who sees and does what with the reports to the nämnd (docs/behorighet.md).

The kvalitetssamordnare writes the kvalitetsberättelse, the förvaltningschef decides it,
the nämnd reads decided versions only. Reports hold aggregates, never case records, so
they are förvaltning-wide: the role held for any unit is enough. Built on the
primitives of `kvalitet.behorighet`.
"""

from kvalitet.behorighet import har_roll
from kvalitet.models import Roll

SKRIVER_RAPPORT = (Roll.KVALITETSSAMORDNARE,)
FASTSTALLER_RAPPORT = (Roll.FORVALTNINGSCHEF,)
SER_UTKAST = (*SKRIVER_RAPPORT, *FASTSTALLER_RAPPORT)
LASER_RAPPORT = (*SER_UTKAST, Roll.NAMND)


def kan_se_rapporter(user) -> bool:
    return har_roll(user, *LASER_RAPPORT)


def kan_skriva_rapport(user) -> bool:
    """Create drafts, write chapter texts, set the cut-off, generate PDFs."""
    return har_roll(user, *SKRIVER_RAPPORT)


def kan_faststalla_rapport(user) -> bool:
    return har_roll(user, *FASTSTALLER_RAPPORT)


def kan_forvalta_beslutad_rapport(user) -> bool:
    """Open a decided report again as a new version, or retry its archived PDF if that
    rendering failed: the writer or the decider."""
    return har_roll(user, *SER_UTKAST)


def synliga_rapporter(user, qs):
    """Reports the user may see: drafts for staben and the decider, decided versions for
    the nämnd as well, nothing for anyone else."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if har_roll(user, *SER_UTKAST):
        return qs
    if har_roll(user, Roll.NAMND):
        return qs.beslutade()
    return qs.none()
