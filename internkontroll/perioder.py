"""The occasions of a control in a year from its periodicitet (docs/internkontroll.md):
each occasion covers a period of the year and is due on the period's last day.

- månadsvis: 12, one per calendar month;
- kvartalsvis: 4 (January–March, April–June, July–September, October–December);
- tertialvis: 3 (January–April, May–August, September–December);
- halvårsvis: 2 (January–June, July–December);
- årligen and löpande: 1, the whole year (a löpande control is checked continuously
  and reported once, at the year's end).
"""

import calendar
from datetime import date
from typing import NamedTuple

from .choices import Periodicitet

MANADER_PER_PERIOD = {
    Periodicitet.MANADSVIS: 1,
    Periodicitet.KVARTALSVIS: 3,
    Periodicitet.TERTIALVIS: 4,
    Periodicitet.HALVARSVIS: 6,
    Periodicitet.ARLIGEN: 12,
    Periodicitet.LOPANDE: 12,
}


class Period(NamedTuple):
    nummer: int
    fran: date
    till: date

    @property
    def forfaller(self) -> date:
        return self.till


def perioder(ar: int, periodicitet: str) -> list[Period]:
    """The periods of `ar` for `periodicitet`, in order."""
    steg = MANADER_PER_PERIOD[periodicitet]
    ut = []
    for i, forsta in enumerate(range(1, 13, steg), start=1):
        sista = forsta + steg - 1
        ut.append(
            Period(i, date(ar, forsta, 1), date(ar, sista, calendar.monthrange(ar, sista)[1]))
        )
    return ut
