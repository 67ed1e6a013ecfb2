"""Who works on the processes (docs/behorighet.md), built on kvalitet.behorighet:

- a process is seen through the one access door (`synliga`): the kvalitetssamordnare and
  the förvaltningschef see all, the enhetschef and the avdelningschef their units' and,
  to read, those run from the units above theirs (`SER_OVERORDNADE`), its processägare
  while they are staff, and the owners of its improvement actions;
- its processägare, the chefs of its unit and those who see all work on it (change it,
  its key figures and their values, record revisions, discontinue it);
- the kvalitetssamordnare and the förvaltningschef add processes to the map;
- the nämnd reads the figures in the kvalitetsberättelse only.
"""

from kvalitet import behorighet
from kvalitet.models import SER_ALLT


def kan_skapa(user) -> bool:
    """Add a process to the process map: those who keep it (who see all)."""
    return behorighet.har_roll(user, *SER_ALLT)


def kan_se_kartan(user) -> bool:
    """The process map in the menu: those who see processes through the door by role."""
    from .models import Process

    return behorighet.har_roll(user, *Process.ROLLER_SER_ALLT, *Process.ROLLER_SER_ENHET)


def processenheter(user):
    """Units a process may be run from: every active unit, for those who add processes."""
    from kvalitet.models import Enhet

    return Enhet.objects.aktiva() if kan_skapa(user) else Enhet.objects.none()
