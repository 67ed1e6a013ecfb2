"""Access rules of IVO's tillsyn, built on `kvalitet.behorighet`: the shared rules (the
units' chefs see and handle their units' tillsyn, the kvalitetssamordnare and the
förvaltningschef see all); registering one is for the chefs and staben."""

from kvalitet.behorighet import har_roll
from kvalitet.models import Roll

REGISTRERAR = (
    Roll.ENHETSCHEF,
    Roll.AVDELNINGSCHEF,
    Roll.REGISTRATOR,
    Roll.KVALITETSSAMORDNARE,
    Roll.FORVALTNINGSCHEF,
)


def kan_registrera(user) -> bool:
    return har_roll(user, *REGISTRERAR)
