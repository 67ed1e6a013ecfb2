"""Access rules: the one module every view, list, export, search and form choice uses.

Who sees what (DOMAIN.md §3):
- everyone sees the cases they reported, handle, or hold an improvement action on;
- roles in a case type's `ROLLER_SER_ENHET` (enhetschef, avdelningschef) see the
  cases of the units they hold the role for, including the units below;
- roles in `ROLLER_SER_ALLT` (kvalitetssamordnare, förvaltningschef) see all;
- the nämnd sees no case records.
Not visible means 404; visible but not allowed to act means 403. Rules are
expressed as queryset filters, never by looping over objects in Python.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from kvalitet.models import Enhet, Roll, Uppdrag, User

SER_ALLT = (Roll.KVALITETSSAMORDNARE, Roll.FORVALTNINGSCHEF)
SER_ENHET = (Roll.ENHETSCHEF, Roll.AVDELNINGSCHEF)
HANTERAR = (Roll.ENHETSCHEF, Roll.AVDELNINGSCHEF)
# Roles that make a person staff who reports and receives reports; the nämnd and a
# pure administrator account do not file cases.
PERSONAL = tuple(r for r in Roll if r not in (Roll.NAMND, Roll.ADMIN))


def uppdrag(user) -> list[Uppdrag]:
    """The user's valid assignments, loaded once per request (cached on the user)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_kvalitet_uppdrag", None)
    if cached is None:
        cached = list(
            Uppdrag.objects.giltiga()
            .filter(anvandare=user, enhet__aktiv=True)
            .select_related("enhet")
        )
        user._kvalitet_uppdrag = cached
    return cached


def roller(user) -> set[str]:
    return {u.roll for u in uppdrag(user)}


def har_roll(user, *roll) -> bool:
    """Does the user hold any of these roles, for any unit?"""
    return bool(roller(user) & set(roll))


def har_roll_for(user, roll, enhet) -> bool:
    """Does the user hold one of `roll` for `enhet` or a unit above it?"""
    return any(u.roll in roll and enhet.sokvag.startswith(u.enhet.sokvag) for u in uppdrag(user))


def _policy(model, name, default):
    return getattr(model, name, default)


def ser_allt(user, model) -> bool:
    return har_roll(user, *_policy(model, "ROLLER_SER_ALLT", SER_ALLT))


def synliga(user, qs):
    """Narrow a case queryset to what the user may see."""
    model = qs.model
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if ser_allt(user, model):
        return qs
    q = Q(handlaggare=user)
    anmalare = getattr(model, "ANMALARE_FALT", None)
    if anmalare:
        q |= Q(**{anmalare: user})
    ser_enhet = _policy(model, "ROLLER_SER_ENHET", SER_ENHET)
    for u in uppdrag(user):
        if u.roll in ser_enhet:
            q |= Q(enhet__sokvag__startswith=u.enhet.sokvag)
    from kvalitet.models import Atgard

    q |= Q(
        pk__in=Atgard.objects.filter(
            content_type=ContentType.objects.get_for_model(model), ansvarig=user
        ).values("object_id")
    )
    return qs.filter(q)


def kan_se(user, obj) -> bool:
    """Is this case visible to the user? One query."""
    return synliga(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()


def kan_hantera(user, arende) -> bool:
    """May the user investigate/handle this case (its unit's managers)?"""
    return har_roll_for(user, _policy(type(arende), "ROLLER_HANTERAR", HANTERAR), arende.enhet)


def kan_kommentera(user, arende) -> bool:
    """Anyone who can see a case may add to its timeline and attach files, while open.

    Callers reached the case through `for_user`, so visibility is already settled.
    """
    return arende.ar_oppet and kan_rapportera(user)


def kan_hantera_atgard(user, atgard) -> bool:
    """The responsible person and the case's handlers may move an action along."""
    return atgard.ansvarig_id == user.pk or kan_hantera(user, atgard.arende)


def kan_ta_stallning(user, arende) -> bool:
    """The förvaltningschef's position on a reported avvikelse (DOMAIN.md §4.1)."""
    return har_roll_for(user, (Roll.FORVALTNINGSCHEF,), arende.enhet)


def ar_registrator(user) -> bool:
    """Registers and routes incoming matters (synpunkter), for the whole förvaltning."""
    return har_roll(user, Roll.REGISTRATOR)


def kan_hantera_eller_registrera(user, arende) -> bool:
    return kan_hantera(user, arende) or ar_registrator(user)


def kan_se_kontaktuppgifter(user, arende) -> bool:
    """A submitter's contact details: only for those handling the case (DOMAIN.md §6)."""
    return arende.handlaggare_id == user.pk or kan_hantera_eller_registrera(user, arende)


def kan_rapportera(user) -> bool:
    return har_roll(user, *PERSONAL)


def rapporteringsenheter(user):
    """Units a user may file a report for: where they work, and the units below."""
    qs = Enhet.objects.aktiva()
    if har_roll(user, *SER_ALLT):
        return qs
    return qs.subtree_of([u.enhet for u in uppdrag(user) if u.roll in PERSONAL])


def filterenheter(user, model):
    """Units offered in a case list's unit filter."""
    qs = Enhet.objects.all()
    if ser_allt(user, model):
        return qs
    return qs.subtree_of(list({u.enhet for u in uppdrag(user)}))


def ar_administrator(user) -> bool:
    return bool(
        getattr(user, "is_active", False) and (user.is_superuser or har_roll(user, Roll.ADMIN))
    )


def aktiva_anvandare(roll, enheter):
    """Active users holding one of `roll` for any of `enheter` (ids)."""
    ids = Uppdrag.objects.giltiga().filter(roll__in=roll, enhet__in=enheter).values("anvandare")
    return User.objects.filter(is_active=True, pk__in=ids)


def med_roll(*roll):
    """Active users holding any of the roles, for any unit."""
    return User.objects.filter(
        is_active=True, pk__in=Uppdrag.objects.giltiga().filter(roll__in=roll).values("anvandare")
    )


def ansvariga_chefer(enhet, roll=(Roll.ENHETSCHEF,), reserv=(Roll.AVDELNINGSCHEF,)):
    """The managers responsible for a unit: those holding `roll` for the nearest unit,
    upwards, that has one; failing that, the nearest holders of `reserv`, so that a
    report never reaches nobody."""
    nivaer = list(reversed(list(enhet.forfader())))
    for roller in (roll, reserv):
        for niva in nivaer:
            chefer = list(aktiva_anvandare(roller, [niva.pk]))
            if chefer:
                return chefer
    return []


def mojliga_ansvariga(enhet):
    """People who may own an action on a case of `enhet`: staff above or below it."""
    ovanfor = [int(p) for p in enhet.sokvag.split(".") if p]
    enheter = Enhet.objects.filter(Q(pk__in=ovanfor) | Q(sokvag__startswith=enhet.sokvag))
    return aktiva_anvandare(PERSONAL, enheter).order_by("first_name", "last_name")


# --- Reports to the nämnd (rapporter) ------------------------------------------------
#
# The kvalitetssamordnare writes the kvalitetsberättelse, the förvaltningschef decides it,
# the nämnd reads decided versions only. Reports hold aggregates, never case records, so
# they are förvaltning-wide: the role held for any unit is enough.

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


def ser_bara_rapporter(user) -> bool:
    """The nämnd sees reports only, never case records (DOMAIN.md §3)."""
    egna = roller(user)
    return Roll.NAMND in egna and not egna & set(PERSONAL)
