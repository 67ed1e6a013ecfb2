"""Aggregate figures of IVO's tillsyn for a year (docs/siffror.md, "IVO:s tillsyn").
A tillsyn counts in the year IVO started it (`inleddes`), up to the cut-off date; IVO's
decision and the closing count only if they happened by the cut-off. What leaves here
is about services and units, never about a person."""

from datetime import date, timedelta

from django.db.models import Q

from kvalitet import statistik as s

from .choices import Typ, Utfall
from .models import Tillsyn

UTFALL = {k: str(v) for k, v in Utfall.choices}
TYPER = {k: str(v) for k, v in Typ.choices}


def urval(ar: int, *, till: date | None = None):
    """The tillsyn IVO started in year `ar`, up to the cut-off day."""
    slut = date(ar + 1, 1, 1)
    if till is not None:
        slut = min(slut, till + timedelta(days=1))
    return Tillsyn.objects.filter(inleddes__gte=date(ar, 1, 1), inleddes__lt=slut)


def siffror(ar: int, *, till: date | None = None) -> dict:
    """The year's tillsyn: how many, of which kind, IVO's outcomes by the cut-off, and one
    row per tillsyn (unit, kind, dates, outcome) – three queries whatever the data."""
    qs = urval(ar, till=till)
    beslutad = Q(beslut__isnull=False) if till is None else Q(beslut__lte=till)

    def kand(beslut):
        return beslut is not None and (till is None or beslut <= till)

    rader = [
        {
            "enhet": r["enhet__namn"],
            "typ": TYPER.get(r["typ"], r["typ"]),
            "inleddes": r["inleddes"].isoformat(),
            "beslut": r["beslut"].isoformat() if kand(r["beslut"]) else "",
            "utfall": UTFALL.get(r["utfall"], "") if kand(r["beslut"]) else "",
        }
        for r in qs.order_by("inleddes", "pk").values(
            "enhet__namn", "typ", "inleddes", "beslut", "utfall"
        )
    ]
    utfall = s.alla_varden(s.rakna(qs.filter(beslutad), "utfall", UTFALL), UTFALL)
    beslutade = sum(r["antal"] for r in utfall)
    return {
        "totalt": len(rader),
        "per_typ": s.alla_varden(s.rakna(qs, "typ", TYPER), TYPER),
        "utfall": utfall,
        "beslutade": beslutade,
        "vantar_beslut": len(rader) - beslutade,
        "rader": rader,
    }
