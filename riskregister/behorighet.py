"""Who works on the risk register (docs/behorighet.md), built on kvalitet.behorighet:

- a risk and a riskanalys are seen through the one access door (`synliga`): the
  kvalitetssamordnare and the förvaltningschef see all, the enhetschef and the
  avdelningschef their units', the one who proposed a risk and its owner (riskägare)
  while they are staff, the owners of its improvement actions;
- the units' chefs, the risk's owner and those who see all work on a risk (re-assess,
  change, give actions, link events, remove);
- any staff member may propose a risk for a unit where they work;
- the kvalitetssamordnare and the förvaltningschef prepare the register's versions and
  record the nämnd's decision;
- the nämnd reads the decided versions (their PDFs) only.
"""

from kvalitet import behorighet
from kvalitet.models import HANTERAR, SER_ALLT, Roll


def kan_arbeta(user, post) -> bool:
    """Re-assess, change, remove a risk; write a riskanalys: the unit's chefs (the
    model's `ROLLER_HANTERAR`), those who see all (`ROLLER_HANTERAR_ALLT`), and its
    owner (riskägare) or the one leading the analysis while they are staff."""
    return behorighet.kan_hantera(user, post)


def kan_foresla(user) -> bool:
    return behorighet.kan_rapportera(user)


def foreslagsenheter(user):
    """Units a risk may be proposed for: where the user works, and below."""
    return behorighet.rapporteringsenheter(user)


def analysenheter(user):
    """Units a riskanalys may be held for: the chefs' units and those below; all for
    those who see all."""
    from kvalitet.models import Enhet

    if behorighet.har_roll(user, *SER_ALLT):
        return Enhet.objects.aktiva()
    return Enhet.objects.aktiva().subtree_of(
        [u.enhet for u in behorighet.uppdrag(user) if u.roll in HANTERAR]
    )


def kan_analysera(user) -> bool:
    return behorighet.har_roll(user, *SER_ALLT, *HANTERAR)


def kan_forbereda(user) -> bool:
    """Prepare a version of the register and record the nämnd's decision."""
    return behorighet.har_roll(user, *SER_ALLT)


def ser_versioner(user) -> bool:
    """The register's versions: those who prepare them, and the nämnd (decided ones)."""
    return kan_forbereda(user) or behorighet.har_roll(user, Roll.NAMND)


def synliga_versioner(user, qs):
    """Every version for those who prepare them; the decided ones for the nämnd."""
    from .choices import BESLUTADE

    if kan_forbereda(user):
        return qs
    if behorighet.har_roll(user, Roll.NAMND):
        return qs.filter(status__in=BESLUTADE)
    return qs.none()
