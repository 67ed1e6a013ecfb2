"""Access rules: the one module every view, list, export, search and form choice uses.

Who sees what (docs/behorighet.md); every rule counts only valid assignments (today
within their validity, of an active unit) of an active account:
- roles in a case type's `ROLLER_SER_ENHET` (enhetschef, avdelningschef) see the
  cases of the units they hold the role for, including the units below (and, for a
  type that says `SER_OVERORDNADE` – the processes – the units above, to read);
- roles in `ROLLER_SER_ALLT` (kvalitetssamordnare, förvaltningschef) see all;
- the reporter and an improvement action's owner see the case while they hold any
  staff assignment (`PERSONAL`);
- the handler sees it while they hold a staff assignment for its unit or a unit above
  or below it, or one with a role that investigates across the förvaltning
  (`UTREDER_OVERALLT`): being the handler is not enough once the role has ended;
- the nämnd sees no case records.
Not visible means 404; visible but not allowed to act means 403. Rules are
expressed as queryset filters, never by looping over objects in Python.

A case type declares its roles on the model (`kvalitet.models.Arende`); a rule that
only one app has (the förvaltningschef's position on an avvikelse, who sees a
submitter's contact details, who writes a report) lives in that app's `behorighet.py`,
built from the primitives here.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import IntegerField, Q, Value

from kvalitet.models import (
    HANTERAR,
    SER_ALLT,
    SER_ENHET,
    UTREDER_OVERALLT,
    Enhet,
    Roll,
    Uppdrag,
    User,
)

# The role groups, from kvalitet.models.
__all__ = ["HANTERAR", "SER_ALLT", "SER_ENHET", "UTREDER_OVERALLT"]
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


def personaluppdrag(user) -> list[Uppdrag]:
    """The user's valid staff assignments (`PERSONAL`): what makes a reporter, an action's
    owner or a handler still one of the staff."""
    if not getattr(user, "is_active", False):
        return []
    return [u for u in uppdrag(user) if u.roll in PERSONAL]


def handlaggarvillkor(personal):
    """Q on a case's unit: the units where the holder of these staff assignments may still
    be the handler – the assignments' units, the units below and above them – or None
    for any unit (a role in `UTREDER_OVERALLT`)."""
    if any(u.roll in UTREDER_OVERALLT for u in personal):
        return None
    q = Q()
    for u in personal:
        q |= Q(enhet__sokvag__startswith=u.enhet.sokvag) | Q(enhet_id__in=u.enhet.forfader_ids())
    return q


def overordnade(model, chefsenheter) -> set[int]:
    """Ids of the units above these chef units, whose records of a `SER_OVERORDNADE` type
    a chef reads; none for any other type. Serves both the records' visibility and the
    list's unit filter, so the two cannot drift apart."""
    if not model.SER_OVERORDNADE:
        return set()
    return {i for e in chefsenheter for i in e.forfader_ids()}


def synliga(user, qs):
    """Narrow a case queryset to what the user may see."""
    model = qs.model
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if ser_allt(user, model):
        return qs
    chefsenheter = [u.enhet for u in uppdrag(user) if u.roll in model.ROLLER_SER_ENHET]
    villkor = [Q(enhet__sokvag__startswith=e.sokvag) for e in chefsenheter]
    if ovanfor := overordnade(model, chefsenheter):
        villkor.append(Q(enhet_id__in=ovanfor))
    personal = personaluppdrag(user)
    if personal:
        if model.ANMALARE_FALT:
            villkor.append(Q(**{model.ANMALARE_FALT: user}))
        enheter = handlaggarvillkor(personal)
        villkor.append(Q(handlaggare=user) & enheter if enheter else Q(handlaggare=user))
        from kvalitet.models import Atgard

        villkor.append(
            Q(
                pk__in=Atgard.objects.filter(
                    content_type=ContentType.objects.get_for_model(model), ansvarig=user
                ).values("object_id")
            )
        )
    if not villkor:
        return qs.none()
    q = Q()
    for v in villkor:
        q |= v
    return qs.filter(q)


def kan_se(user, obj) -> bool:
    """Is this case visible to the user? One query."""
    return type(obj)._default_manager.filter(pk=obj.pk).for_user(user).exists()


def synliga_poster(user, poster) -> dict[tuple[int, int], str]:
    """Of records given as (content type id, pk) – of any case types – the ones the user
    may see, with their numbers: {(content type id, pk): nummer}. One query for all of
    them, whatever their types (a union of each type's `synliga`)."""
    per_typ = {}
    for ct_id, pk in poster:
        per_typ.setdefault(ct_id, set()).add(pk)
    fragor = []
    for ct_id, pks in sorted(per_typ.items()):
        modell = ContentType.objects.get_for_id(ct_id).model_class()
        if modell is None:
            continue
        fragor.append(
            # The type's own door (`for_user`): a type may add to the shared rule.
            modell._default_manager.filter(pk__in=pks)
            .for_user(user)
            .order_by()
            .values_list(Value(ct_id, output_field=IntegerField()), "pk", "nummer")
        )
    if not fragor:
        return {}
    fraga = fragor[0].union(*fragor[1:], all=True) if len(fragor) > 1 else fragor[0]
    return {(ct_id, pk): nummer for ct_id, pk, nummer in fraga}


def ar_chef_for(user, arende) -> bool:
    """Is the user one of the case's unit's managers (a role of the type's
    `ROLLER_HANTERAR` for the unit or a unit above it), or in a role that handles every
    record of the type (`ROLLER_HANTERAR_ALLT`: the staff who keep the risk register)?"""
    modell = type(arende)
    return har_roll_for(user, modell.ROLLER_HANTERAR, arende.enhet) or har_roll(
        user, *modell.ROLLER_HANTERAR_ALLT
    )


def kan_hantera(user, arende) -> bool:
    """May the user investigate/handle this case: its unit's managers, and its handler
    while their assignment still makes them one (`ar_handlaggare`) – whom a manager may
    have given the case to (`kan_tilldela`)."""
    return ar_chef_for(user, arende) or ar_handlaggare(user, arende)


def kan_tilldela(user, arende) -> bool:
    """Giving a case to a handler is for its unit's managers."""
    return ar_chef_for(user, arende)


def mojliga_handlaggare(enhet):
    """Who may be given a case of `enhet` to handle: exactly those who would see it as
    its handler (`synliga`) – staff of a unit on its line (above or below), and the
    roles of `UTREDER_OVERALLT`."""
    ovanfor = enhet.forfader_ids()
    linjen = Enhet.objects.filter(Q(pk__in=ovanfor) | Q(sokvag__startswith=enhet.sokvag))
    giltiga = Uppdrag.objects.giltiga().filter(enhet__aktiv=True)  # as `uppdrag` counts them
    pa_linjen = giltiga.filter(roll__in=PERSONAL, enhet__in=linjen)
    overallt = giltiga.filter(roll__in=UTREDER_OVERALLT)
    return User.objects.filter(
        Q(pk__in=pa_linjen.values("anvandare")) | Q(pk__in=overallt.values("anvandare")),
        is_active=True,
    ).order_by("first_name", "last_name", "username")


def ar_handlaggare(user, arende) -> bool:
    """Is the user the case's handler, with a valid assignment that still makes them one
    (the same rule as in `synliga`)? No query beyond the user's assignments."""
    if arende.handlaggare_id is None or arende.handlaggare_id != user.pk:
        return False
    personal = personaluppdrag(user)
    if any(u.roll in UTREDER_OVERALLT for u in personal):
        return True
    enhet = arende.enhet
    return any(
        enhet.sokvag.startswith(u.enhet.sokvag) or u.enhet.sokvag.startswith(enhet.sokvag)
        for u in personal
    )


def ar_inblandad(user, arende) -> bool:
    """Does the user take part in the case: its unit's managers, a role of the type's
    `ROLLER_MEDVERKAR`, and – while they are staff – its reporter, its handler and the
    owners of its improvement actions? (At most one query: the actions, asked last.)"""
    modell = type(arende)
    if kan_hantera(user, arende) or har_roll(user, *modell.ROLLER_MEDVERKAR):
        return True
    if not personaluppdrag(user):
        return False
    falt = modell.ANMALARE_FALT
    if falt and getattr(arende, f"{falt}_id") == user.pk:
        return True
    if ar_handlaggare(user, arende):
        return True
    from kvalitet.models import Atgard

    return Atgard.objects.filter(
        content_type=ContentType.objects.get_for_model(modell), object_id=arende.pk, ansvarig=user
    ).exists()


def kan_kommentera(user, arende) -> bool:
    """Those involved with a case (`ar_inblandad`) add to its timeline and attach files,
    while it is open; the roles that see every case read and export only.

    Callers reached the case through `for_user`, so visibility is already settled; one
    who sees only a case's status (`Arende.ser_hela`: a lex Sarah reporter) does not
    write on it.
    """
    return arende.ar_oppet and ar_inblandad(user, arende) and arende.ser_hela(user)


def kan_hantera_atgard(user, atgard) -> bool:
    """The responsible person and the case's handlers may move an action along."""
    return atgard.ansvarig_id == user.pk or kan_hantera(user, atgard.arende)


def kan_rapportera(user) -> bool:
    return har_roll(user, *PERSONAL)


def egna_atgarder(user, qs):
    """The improvement actions the user owns, while they are staff (`personaluppdrag`):
    the start page's "Mina åtgärder" (an action's title is part of its case)."""
    if not personaluppdrag(user):
        return qs.none()
    return qs.filter(ansvarig=user)


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
    valda = qs.subtree_of(list({u.enhet for u in uppdrag(user)}))
    chefsenheter = [u.enhet for u in uppdrag(user) if u.roll in model.ROLLER_SER_ENHET]
    if ovanfor := overordnade(model, chefsenheter):  # whose records a chef reads
        valda = valda | qs.filter(pk__in=ovanfor)
    return valda


def ar_administrator(user) -> bool:
    return bool(
        getattr(user, "is_active", False) and (user.is_superuser or har_roll(user, Roll.ADMIN))
    )


def kraver_tvastegs(user) -> bool:
    """Must this person use a second factor when logging in with a local password
    (MFA_KRAVS_FOR)? Always an administrator, who can change everyone's access; with
    `alla` every active account. Anyone else may still turn it on themselves
    (kvalitet.tvastegs); whether a session is a local-password one is decided there."""
    if not getattr(user, "is_active", False):
        return False
    return settings.MFA_KRAVS_FOR == "alla" or ar_administrator(user)


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
    ovanfor = enhet.forfader_ids()
    enheter = Enhet.objects.filter(Q(pk__in=ovanfor) | Q(sokvag__startswith=enhet.sokvag))
    return aktiva_anvandare(PERSONAL, enheter).order_by("first_name", "last_name")


def administratorer():
    """Active administrators: the admin role for any unit, or a superuser."""
    return User.objects.filter(
        Q(is_superuser=True)
        | Q(pk__in=Uppdrag.objects.giltiga().filter(roll=Roll.ADMIN).values("anvandare")),
        is_active=True,
    )


def far_exportera(user) -> bool:
    """A list export (kvalitet.exporter) is made, and its file handed over, only to one
    of the staff as they are now: an inactive account, one whose staff roles have ended
    or the nämnd gets no file, also of an export made before."""
    return bool(personaluppdrag(user)) and not ser_inga_arenden(user)


def ser_misslyckade_utskick(user) -> bool:
    """E-mail that could not be delivered (kvalitet.utskickvyer): the kvalitetssamordnare
    follows up the notifications; the administrator runs the system and its mail."""
    return har_roll(user, Roll.KVALITETSSAMORDNARE) or ar_administrator(user)


def ser_ivo(user) -> bool:
    """The IVO page: the managers and those who see every case."""
    return har_roll(user, *SER_ALLT, *SER_ENHET)


def ser_inga_arenden(user) -> bool:
    """The nämnd sees reports only, never case records (docs/behorighet.md)."""
    egna = roller(user)
    return Roll.NAMND in egna and not egna & set(PERSONAL)
