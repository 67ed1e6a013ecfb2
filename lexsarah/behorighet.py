"""Access rules of the lex Sarah case type (docs/behorighet.md), built on
`kvalitet.behorighet`.

Lex Sarah cases are the most sensitive records of the product: only the people in the
flow see them, and every reading is logged (`Arende.LOGGA_LASNING`).

- the receiving enhetschef and the avdelningschef see their units' cases and handle
  them (the model's `ROLLER_SER_ENHET`, `ROLLER_HANTERAR`);
- the utredare the avdelningschef assigned sees and investigates the case while their
  assignment holds (the handler rule of `kvalitet.behorighet`);
- the förvaltningschef sees all and decides; the kvalitetssamordnare reads all for the
  yearly compilation and takes no step;
- the reporter, and the owner of an action of the action plan, see the case's status
  and the feedback only (`ser_hela` is false for them);
- the registrator sees the metadata (number, unit, dates, status, diarienummer) in the
  diarium list only; the nämnd reads the documents meant for it only.
"""

from django.db.models import Q

from kvalitet import behorighet
from kvalitet.behorighet import har_roll, har_roll_for
from kvalitet.models import Roll


def ser_hela(user, arende) -> bool:
    """Does the user see the whole case (not only its status and the feedback)?"""
    return (
        behorighet.ser_allt(user, type(arende))
        or behorighet.har_roll_for(user, type(arende).ROLLER_SER_ENHET, arende.enhet)
        or behorighet.ar_handlaggare(user, arende)
    )


def hela_villkor(user, modell):
    """Q on the cases `user` sees whole (as `ser_hela`), or None for all: the roles that
    see every case, the chefs of the units, the handler while their assignment holds."""
    if behorighet.ser_allt(user, modell):
        return None
    q = Q(pk__in=[])
    for u in behorighet.uppdrag(user):
        if u.roll in modell.ROLLER_SER_ENHET:
            q |= Q(enhet__sokvag__startswith=u.enhet.sokvag)
    personal = behorighet.personaluppdrag(user)
    if personal:
        enheter = behorighet.handlaggarvillkor(personal)
        q |= Q(handlaggare=user) & enheter if enheter else Q(handlaggare=user)
    return q


def kan_besluta(user, arende) -> bool:
    """The förvaltningschef decides on the investigation and the case, notifies IVO and
    records IVO's answers – also when the nämnd decides, recording its decision."""
    return har_roll_for(user, (Roll.FORVALTNINGSCHEF,), arende.enhet)


def kan_utse_utredare(user, arende) -> bool:
    """The avdelningschef assigns the utredare (and the förvaltningschef may)."""
    return har_roll_for(user, (Roll.AVDELNINGSCHEF, Roll.FORVALTNINGSCHEF), arende.enhet)


def kan_utreda(user, arende) -> bool:
    """The assigned utredare and the avdelningschef, who drafts the proposal with them."""
    return behorighet.ar_handlaggare(user, arende) or har_roll_for(
        user, (Roll.AVDELNINGSCHEF,), arende.enhet
    )


def kan_lamna_forslag(user, arende) -> bool:
    """The avdelningschef hands the proposal to the decision-maker."""
    return har_roll_for(user, (Roll.AVDELNINGSCHEF,), arende.enhet)


def kan_se_diarium(user) -> bool:
    """The metadata list for the diarium: the registrator (those who see every case have
    the list itself)."""
    return har_roll(user, Roll.REGISTRATOR)


def kan_lasa_atkomstloggen(user) -> bool:
    return har_roll(user, Roll.KVALITETSSAMORDNARE)


def kan_lasa_namndhandlingar(user) -> bool:
    """The nämnd, and those who prepare its meetings, read the documents meant for it."""
    return har_roll(user, Roll.NAMND, Roll.KVALITETSSAMORDNARE, Roll.FORVALTNINGSCHEF)
