"""Access rules of the synpunkt case type, built on `kvalitet.behorighet`."""

from kvalitet.behorighet import ar_administrator, ar_handlaggare, har_roll, kan_hantera
from kvalitet.models import Roll


def ar_registrator(user) -> bool:
    """Registers and routes incoming matters (synpunkter), for the whole förvaltning."""
    return har_roll(user, Roll.REGISTRATOR)


def kan_hantera_eller_registrera(user, synpunkt) -> bool:
    return kan_hantera(user, synpunkt) or ar_registrator(user)


def kan_se_kontaktuppgifter(user, synpunkt) -> bool:
    """A submitter's contact details: only for those handling the case (docs/behorighet.md)
    – the handler while their role still makes them one (`ar_handlaggare`), the unit's
    managers and the registrator."""
    return ar_handlaggare(user, synpunkt) or kan_hantera_eller_registrera(user, synpunkt)


def ser_vantande_inlamningar(user) -> bool:
    """E-service submissions the worker has not managed to build into synpunkter: the
    registrator, whose inbox they should reach, and the administrator, who runs the
    system. Reference, time and error only – never what the citizen wrote."""
    return ar_registrator(user) or ar_administrator(user)
