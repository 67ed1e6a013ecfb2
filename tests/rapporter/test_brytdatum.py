"""Answers and closings of synpunkter around the cut-off, through the report's own figures
(`berakna(ar, brytdatum)["kapitel"]["synpunkter"]`): a second angle beside the
`svarstider` and `utfall` tests in tests/synpunkter/test_statistik.py and test_siffror.py.

The written rule (README "Reports and import", the report's own "Om siffrorna",
kvalitet/statistik.py): figures are cut off at `brytdatum`, inclusive, in Swedish local
time (Europe/Stockholm). A synpunkt counts by
its receipt (`inkom`) up to the end of the cut-off day; an answer (`besvarad`) counts
only if given by the end of the cut-off day; a closing (`avslutad`, with what it
recorded: brustit, ledde till förbättring) likewise.

The fixture puts answers and closings at 23:59 on the cut-off day (counts) and at 00:01
the day after (does not), for a cut-off inside the year in summer time (UTC+2, where
00:01 local is still the cut-off day in UTC), for the day summer time ends (a 25-hour
day) and for the default cut-off, 31 January after the year (UTC+1).
"""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from rapporter.models import standard_brytdatum
from rapporter.siffror import berakna
from synpunkter.models import Synpunkt
from tests.factories import SynpunktFactory
from tests.rapporter.conftest import AR, BRYTDATUM, klocka, lokal

pytestmark = pytest.mark.django_db

SOMMAR = date(2025, 8, 31)  # a cut-off inside the year, summer time
SOMMARTID_SLUTAR = date(2025, 10, 26)  # clocks go back 03:00 → 02:00: 25 hours


# Ten synpunkter (all klagomål, the factory's type) around three cut-offs, in Swedish
# local time. In the comment: the time from receipt to answer in days and hours, and in
# calendar days (for the median and for within 14 or not). "Answered within 14 days" counts over the
# klagomål due by the cut-off (receipt day + 14 on or before it), answered or not
# (docs/siffror.md); the expectations changed with issue 11 from "of the answered".
RADER = [
    # nr inkom             besvarad            avslutad            brustit ledde
    (1, "2025-03-03 08:00", "2025-03-20 20:00", "2025-03-21 10:00", False, False),  # 17,5 / 17
    (2, "2025-08-21 11:59", "2025-08-31 23:59", "2025-08-31 23:59", True, True),  # 10,5 / 10
    (3, "2025-08-22 12:01", "2025-09-01 00:01", "2025-09-01 00:01", True, True),  # 9,5 / 10
    (4, "2025-08-31 23:59", "2025-09-03 11:59", None, None, None),  # 2,5 / 3
    (5, "2025-09-01 00:01", None, None, None, None),
    (6, "2025-10-20 12:59", "2025-10-26 23:59", "2025-10-26 23:59", True, False),  # 6,5 / 6
    (7, "2025-10-21 13:01", "2025-10-27 00:01", "2025-10-27 00:01", False, True),  # 5,5 / 6
    (8, "2025-12-29 11:59", "2026-01-31 23:59", "2026-01-31 23:59", True, True),  # 33,5 / 33
    (9, "2025-12-30 12:00", "2026-02-01 00:01", "2026-02-03 09:00", True, True),
    (10, "2025-12-31 12:00", "2026-01-31 12:00", "2026-02-01 00:01", True, True),  # 31,0 / 31
]


def tid(text):
    """An aware datetime from "YYYY-MM-DD HH:MM" in Swedish local time."""
    return timezone.make_aware(datetime.fromisoformat(text)) if text else None


@pytest.fixture
def gransfall(org):
    """The synpunkter of RADER (all for Ekonomiskt bistånd). Nr 6 and 7 span the end of
    summer time: nr 6's 6 days 11 hours on the clock are 6,5 days elapsed."""
    s = {}
    for nr, inkom, besvarad, avslutad, brustit, ledde in RADER:
        synpunkt = SynpunktFactory(enhet=org["EB"], inkom=tid(inkom))
        falt = {}
        if besvarad:
            falt.update(status="besvarad", besvarad=tid(besvarad), svar="Svar.", svarssatt="brev")
        if avslutad:
            falt.update(status="avslutad", avslutad=tid(avslutad))
            falt.update(brustit=brustit, ledde_till_forbattring=ledde)
        Synpunkt.objects.filter(pk=synpunkt.pk).update(**falt)
        synpunkt.refresh_from_db()
        s[nr] = synpunkt
    # The fixture really sits on the boundary: the minutes after the cut-off day are
    # still the cut-off day in UTC, so a cut-off read in UTC would count them.
    assert s[3].besvarad.astimezone(UTC).date() == SOMMAR
    assert s[5].inkom.astimezone(UTC).date() == SOMMAR
    assert s[7].besvarad.astimezone(UTC).date() == SOMMARTID_SLUTAR
    assert s[10].avslutad.astimezone(UTC).date() == BRYTDATUM
    # Elapsed time across the end of summer time is an hour more than on the clock.
    assert s[6].besvarad - s[6].inkom == timedelta(days=6, hours=12)
    return s


def synpunkter(brytdatum):
    return berakna(AR, brytdatum)["kapitel"]["synpunkter"]


def test_brytdatum_inom_aret_svar_och_avslut_till_och_med_brytdagen(gransfall):
    """A cut-off inside the year (31 August, summer time, UTC+2): the receipt, answer and
    closing at 23:59 on the cut-off day count; those at 00:01 the day after do not."""
    s = synpunkter(SOMMAR)
    # Received by 31 Aug 23:59: 1, 2, 3, 4 (4 at 23:59) → 4; 5 (1 Sep 00:01) is not.
    assert s["totalt"] == 4
    # Due by 31 Aug (deadline = receipt day + 14): only 1 (17 Mar); 2, 3, 4 are due in
    # September. Nr 1 was answered after 17 calendar days → 0 in time of 1 due.
    # Answered by the end of 31 Aug: 1, 2 (23:59) → 2; 3 (1 Sep 00:01) and 4 (3 Sep) not.
    # Median of 17 and 10 calendar days → 13,5. Closed: 1 (3 → 21 Mar: 18), 2 (10) → 14,0.
    assert s["svar"] == {
        "frist_dagar": 14,
        "typer": ["Klagomål"],
        "forfallna": 1,
        "i_tid": 0,
        "ej_i_tid": 1,
        "andel_i_tid": None,
        "besvarade": 2,
        "median_dagar": 13.5,
        "avslutade": 2,
        "median_dagar_avslut": 14.0,
    }
    # Closed by the end of 31 Aug: 1 (nej, nej), 2 (23:59; ja, ja) → 2 closed, 1 brustit,
    # 1 led to improvement. 3 was closed 1 Sep 00:01: not yet closed.
    assert s["utfall"] == {"avslutade": 2, "brustit": 1, "ledde_till_forbattring": 1}


def test_brytdatum_pa_dagen_sommartiden_slutar(gransfall):
    """A cut-off on the day summer time ends (26 October, 25 hours): the day ends at
    27 Oct 00:00 CET (23:00 UTC), not 24 hours after it began, so the answer and closing
    at 23:59 count and those at 00:01 the day after do not."""
    s = synpunkter(SOMMARTID_SLUTAR)
    # Received by 26 Oct: 1–7 → 7.
    assert s["totalt"] == 7
    # Due by 26 Oct: 1–5 (6 and 7 are due 3 and 4 Nov). In time: 2, 3 (10), 4 (3) → 3;
    # 1 (17) late, 5 never answered → 3 of 5, under 10: no percentage.
    # Answered by the end of 26 Oct: 1, 2, 3, 4, 6 (23:59) → 5; 5 never, 7 (27 Oct 00:01)
    # not. Median of 3, 6, 10, 10, 17 calendar days → 10.
    # Closed: 1 (18), 2 (10), 3 (10), 6 (6) → (10 + 10) / 2 = 10,0.
    assert s["svar"] == {
        "frist_dagar": 14,
        "typer": ["Klagomål"],
        "forfallna": 5,
        "i_tid": 3,
        "ej_i_tid": 2,
        "andel_i_tid": None,
        "besvarade": 5,
        "median_dagar": 10.0,
        "avslutade": 4,
        "median_dagar_avslut": 10.0,
    }
    # Closed by the end of 26 Oct: 1, 2, 3, 6 (23:59) → 4; brustit 2, 3, 6 → 3; led to
    # improvement 2, 3 → 2. 7 (27 Oct 00:01, ledde ja) is not closed yet.
    assert s["utfall"] == {"avslutade": 4, "brustit": 3, "ledde_till_forbattring": 2}


def test_standardbrytdatum_31_januari_efter_aret(gransfall):
    """The default cut-off, 31 January after the year (winter time, UTC+1): answers and
    closings in January count up to 23:59 on the 31st; at 00:01 on 1 February not."""
    with klocka(lokal(2026, 11, 23, 12)):
        assert standard_brytdatum(AR) == BRYTDATUM == date(2026, 1, 31)
    s = synpunkter(BRYTDATUM)
    # Received in 2025: 1–10 → 10.
    assert s["totalt"] == 10
    # Due by 31 Jan 2026: all ten (the last, 31 Dec, was due 14 Jan). In time: 2, 3, 4,
    # 6, 7 → 5; late 1 (17), 8 (33), 10 (31); 5 never; 9 answered after the cut-off →
    # 5 of 10 = 50,0 % (ten cases: a percentage). (Before: 5 of the 8 answered, 62,5 %.)
    # Answered by the end of 31 Jan 2026: 1, 2, 3, 4, 6, 7, 8 (23:59), 10 → 8.
    # Median of 3, 6, 6, 10, 10, 17, 31, 33 calendar days → (10 + 10) / 2 = 10,0.
    # Closed: 7 (6), 6 (6), 3 (10), 2 (10), 1 (18), 8 (33) → 10,0.
    assert s["svar"] == {
        "frist_dagar": 14,
        "typer": ["Klagomål"],
        "forfallna": 10,
        "i_tid": 5,
        "ej_i_tid": 5,
        "andel_i_tid": 50.0,
        "besvarade": 8,
        "median_dagar": 10.0,
        "avslutade": 6,
        "median_dagar_avslut": 10.0,
    }
    # Closed by the end of 31 Jan: 1, 2, 3, 6, 7, 8 (23:59) → 6; brustit 2, 3, 6, 8 → 4;
    # led to improvement 2, 3, 7, 8 → 4. 9 (3 Feb) and 10 (1 Feb 00:01) are not closed.
    assert s["utfall"] == {"avslutade": 6, "brustit": 4, "ledde_till_forbattring": 4}


def test_en_minut_senare_raknas_inte(gransfall):
    """Two minutes decide: moving nr 2's answer and closing from 23:59 on 31 August to
    00:01 on 1 September takes them (and its brustit and improvement) out of the
    31 August figures; nothing else changes."""
    fore = synpunkter(SOMMAR)
    Synpunkt.objects.filter(pk=gransfall[2].pk).update(
        besvarad=lokal(2025, 9, 1, 0, 1), avslutad=lokal(2025, 9, 1, 0, 1)
    )
    efter = synpunkter(SOMMAR)
    assert (fore["totalt"], efter["totalt"]) == (4, 4)
    assert (fore["svar"]["besvarade"], efter["svar"]["besvarade"]) == (2, 1)
    assert (fore["utfall"], efter["utfall"]) == (
        {"avslutade": 2, "brustit": 1, "ledde_till_forbattring": 1},
        {"avslutade": 1, "brustit": 0, "ledde_till_forbattring": 0},
    )
