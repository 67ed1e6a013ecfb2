"""Access rules: the one module every view, list, export, search and form choice uses.

Who sees what (docs/behorighet.md):
- everyone sees the cases they reported, handle, or hold an improvement action on;
- roles in a case type's `ROLLER_SER_ENHET` (enhetschef, avdelningschef) see the
  cases of the units they hold the role for, including the units below;
- roles in `ROLLER_SER_ALLT` (kvalitetssamordnare, förvaltningschef) see all;
- the nämnd sees no case records.
Not visible means 404; visible but not allowed to act means 403. Rules are
expressed as queryset filters, never by looping over objects in Python.

A case type declares its roles on the model (`kvalitet.models.Arende`); a rule that
only one app has (the förvaltningschef's position on an avvikelse, who sees a
submitter's contact details, who writes a report) lives in that app's `behorighet.py`,
built from the primitives here.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from kvalitet.models import HANTERAR, SER_ALLT, SER_ENHET, Enhet, Roll, Uppdrag, User

__all__ = ["HANTERAR", "SER_ALLT", "SER_ENHET"]  # the role groups, from kvalitet.models
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


def ser_allt(user, model) -> bool:
    return har_roll(user, *model.ROLLER_SER_ALLT)


def synliga(user, qs):
    """Narrow a case queryset to what the user may see."""
    model = qs.model
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if ser_allt(user, model):
        return qs
    q = Q(handlaggare=user)
    if model.ANMALARE_FALT:
        q |= Q(**{model.ANMALARE_FALT: user})
    for u in uppdrag(user):
        if u.roll in model.ROLLER_SER_ENHET:
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
    return har_roll_for(user, type(arende).ROLLER_HANTERAR, arende.enhet)


def kan_kommentera(user, arende) -> bool:
    """Anyone who can see a case may add to its timeline and attach files, while open.

    Callers reached the case through `for_user`, so visibility is already settled.
    """
    return arende.ar_oppet and kan_rapportera(user)


def kan_hantera_atgard(user, atgard) -> bool:
    """The responsible person and the case's handlers may move an action along."""
    return atgard.ansvarig_id == user.pk or kan_hantera(user, atgard.arende)


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


def ser_inga_arenden(user) -> bool:
    """The nämnd sees reports only, never case records (docs/behorighet.md)."""
    egna = roller(user)
    return Roll.NAMND in egna and not egna & set(PERSONAL)
