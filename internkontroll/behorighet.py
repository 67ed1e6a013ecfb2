"""Who works on internkontroll and egenkontroll (docs/behorighet.md), built on
kvalitet.behorighet:

- the kvalitetssamordnare and the förvaltningschef see all and prepare the plan and the
  redovisning, and record the nämnd's decisions;
- a control occasion (`Kontrolltillfalle`) goes through the one access door: its unit is
  the performing unit, whose chefs (and units above) see and record its result, as does
  the named performer while staff; staben sees all and may record too;
- the chefs read the decided plans (their units' controls are in them);
- the nämnd reads the decided plans and redovisningar only.
"""

from kvalitet import behorighet
from kvalitet.models import BESLUTADE, SER_ALLT, SER_ENHET, Roll


def kan_forbereda(user) -> bool:
    """Prepare the plan and the redovisning; record the nämnd's decisions."""
    return behorighet.har_roll(user, *SER_ALLT)


def ser_handlingar(user) -> bool:
    """The plans and redovisningar: staben, the chefs (decided ones), the nämnd
    (decided ones)."""
    return behorighet.har_roll(user, *SER_ALLT, *SER_ENHET, Roll.NAMND)


def synliga_handlingar(user, qs):
    """Every version for staben; the decided ones for the chefs and the nämnd."""
    if kan_forbereda(user):
        return qs
    if ser_handlingar(user):
        return qs.filter(status__in=BESLUTADE)
    return qs.none()


def kan_registrera(user, tillfalle) -> bool:
    """Record or correct an occasion's result: its unit's chefs, its performer while
    staff, staben (the type's `ROLLER_HANTERAR_ALLT`)."""
    return behorighet.kan_hantera(user, tillfalle)


def ser_kontroller(user) -> bool:
    """The list of control occasions: anyone who may see some (chefs, staben, staff who
    perform one)."""
    return behorighet.kan_rapportera(user)


# --- Egenkontroll ------------------------------------------------------------------------
#
# An egenkontroll (`Egenkontroll`) goes through the one access door: its unit's chefs (and
# units above) see and manage it, as does its owner (ansvarig) while staff; staben sees
# and manages all. Besides, the staff of its unit and of the units below see it and may
# enter file reviews (a kollegial granskning's reviewers are the unit's socialsekreterare).
# The nämnd sees none (403, like case pages).


def _personalvillkor(user):
    """Q on an egenkontroll's unit: the user works (holds a staff role) in it or below it,
    or None when they hold no staff role."""
    from django.db.models import Q

    personal = behorighet.personaluppdrag(user)
    if not personal:
        return None
    q = Q()
    for u in personal:
        q |= Q(enhet_id__in=u.enhet.forfader_ids())
    return q


def synliga_egenkontroller(user, qs):
    """The one door (`behorighet.synliga`), and the egenkontroller of the units the user
    works in or above them (their reviewers)."""
    synliga = behorighet.synliga(user, qs)
    villkor = _personalvillkor(user) if getattr(user, "is_active", False) else None
    if villkor is None:
        return synliga
    return synliga | qs.filter(villkor)


def ar_personal_for(user, egenkontroll) -> bool:
    """Does the user work in the egenkontroll's unit or a unit below it? No query."""
    sokvag = egenkontroll.enhet.sokvag
    return any(u.enhet.sokvag.startswith(sokvag) for u in behorighet.personaluppdrag(user))


def kan_leda_egenkontroll(user, egenkontroll) -> bool:
    """Manage an egenkontroll (start it, change it, record the analysis forum, close it,
    give actions): its unit's chefs, its owner while staff, staben."""
    return behorighet.kan_hantera(user, egenkontroll)


def kan_granska(user, egenkontroll) -> bool:
    """Enter a file review: while the egenkontroll is under way and has a checklist, its
    managers and the staff of its unit and the units below."""
    from .choices import Egenkontrollstatus

    return (
        egenkontroll.status == Egenkontrollstatus.PAGAR
        and egenkontroll.checklista_version_id is not None
        and (kan_leda_egenkontroll(user, egenkontroll) or ar_personal_for(user, egenkontroll))
    )


def egenkontrollenheter(user):
    """Units an egenkontroll may be started for: the chefs' units and those below; all
    for staben."""
    from kvalitet.models import HANTERAR, Enhet

    if behorighet.har_roll(user, *SER_ALLT):
        return Enhet.objects.aktiva()
    return Enhet.objects.aktiva().subtree_of(
        [u.enhet for u in behorighet.uppdrag(user) if u.roll in HANTERAR]
    )


def kan_starta_egenkontroll(user) -> bool:
    """Start an egenkontroll: the units' chefs and staben."""
    from kvalitet.models import HANTERAR

    return behorighet.har_roll(user, *SER_ALLT, *HANTERAR)


def kan_halla_checklistor(user) -> bool:
    """Keep the checklists (new ones, new versions): staben."""
    return behorighet.har_roll(user, *SER_ALLT)
