"""Access rules of the avvikelse case type, built on `kvalitet.behorighet`."""

from kvalitet.behorighet import har_roll_for
from kvalitet.models import Roll


def kan_ta_stallning(user, avvikelse) -> bool:
    """The förvaltningschef's position on a reported avvikelse (docs/arbetsfloden.md)."""
    return har_roll_for(user, (Roll.FORVALTNINGSCHEF,), avvikelse.enhet)
