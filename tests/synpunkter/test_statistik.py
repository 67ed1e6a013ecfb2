"""The yearly figures of synpunkter (synpunkter/statistik.py) against a hand-counted
fixture: counts by typ, kategori, kanal, avsändare and enhet; the klagomål answered
within SYNPUNKT_SVARSTID_DAGAR (14) days of those due; the median days to answer (odd and
even counts); the year in Swedish time. The edge cases of the answer-time rule are in
tests/rapporter/test_siffror_regler.py."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from synpunkter import statistik
from synpunkter.models import Kategori, Synpunkt
from tests.factories import InlamningFactory, SynpunktFactory

pytestmark = pytest.mark.django_db


def lokal(*args):
    return timezone.make_aware(datetime(*args))


def skapa(org, enhet, typ, kanal, avsandare, inkom, kategori=None, svar_efter=None):
    s = SynpunktFactory(enhet=org[enhet], typ=typ, kanal=kanal, avsandare=avsandare, inkom=inkom)
    falt = {"kategori": kategori}
    if svar_efter is not None:
        falt.update(status="besvarad", besvarad=inkom + svar_efter, svar="Svar.")
    Synpunkt.objects.filter(pk=s.pk).update(**falt)
    return s


@pytest.fixture
def ar2025(org):
    """Five synpunkter received in 2025 (Swedish time) and two just outside it.

    nr  typ       kanal     avsändare   enhet  kategori     inkom (Stockholm)   svar efter
    1   klagomål  e-tjänst  brukare     EB     Handläggning 2025-01-01 00:30    10 d
    2   klagomål  telefon   närstående  EB     Handläggning 2025-03-10 12:00    14 d exakt
    3   beröm     brev      brukare     KOLL   Bemötande    2025-06-01 12:00    20 d
    4   synpunkt  e-tjänst  anonym      KOLL   –            2025-12-31 23:30    –
    5   klagomål  via IVO   myndighet   BUV    Handläggning 2025-09-01 08:00     3 d
    –   klagomål  e-tjänst  brukare     EB     –            2024-12-31 23:30 (year 2024)
    –   klagomål  e-tjänst  brukare     EB     –            2026-01-01 00:30 (year 2026)
    """
    handl = Kategori.objects.get(namn="Handläggning")
    bem = Kategori.objects.get(namn="Bemötande och service")
    d = timedelta(days=1)
    skapa(org, "EB", "klagomal", "e_tjanst", "brukare", lokal(2025, 1, 1, 0, 30), handl, 10 * d)
    skapa(org, "EB", "klagomal", "telefon", "narstaende", lokal(2025, 3, 10, 12), handl, 14 * d)
    skapa(org, "KOLL", "berom", "brev", "brukare", lokal(2025, 6, 1, 12), bem, 20 * d)
    skapa(org, "KOLL", "synpunkt", "e_tjanst", "anonym", lokal(2025, 12, 31, 23, 30))
    skapa(org, "BUV", "klagomal", "via_ivo", "myndighet", lokal(2025, 9, 1, 8), handl, 3 * d)
    skapa(org, "EB", "klagomal", "e_tjanst", "brukare", lokal(2024, 12, 31, 23, 30), None, d)
    skapa(org, "EB", "klagomal", "e_tjanst", "brukare", lokal(2026, 1, 1, 0, 30), None, d)


def som_dict(rader):
    """Non-zero counts by name (fixed code lists also carry zero rows for every code)."""
    return {r["namn"]: r["antal"] for r in rader if r["antal"]}


def test_per_typ(ar2025):
    rader = statistik.per_typ(2025)
    assert som_dict(rader) == {"Klagomål": 3, "Beröm": 1, "Synpunkt": 1}
    # Every type is listed, in the code list's order, zeros included.
    assert [r["varde"] for r in rader] == ["klagomal", "synpunkt", "berom", "forslag", "fraga"]
    assert rader[0] == {"varde": "klagomal", "namn": "Klagomål", "antal": 3}
    assert rader[3] == {"varde": "forslag", "namn": "Förslag", "antal": 0}


def test_per_kategori(ar2025):
    rader = statistik.per_kategori(2025)
    assert som_dict(rader) == {"Handläggning": 3, "Bemötande och service": 1, "Ej kategoriserad": 1}
    assert rader[0]["namn"] == "Handläggning"


def test_per_kanal(ar2025):
    assert som_dict(statistik.per_kanal(2025)) == {
        "E-tjänst": 2,
        "Telefon": 1,
        "Brev": 1,
        "Via IVO": 1,
    }


def test_per_avsandare(ar2025):
    assert som_dict(statistik.per_avsandare(2025)) == {
        "Brukare/klient": 2,
        "Närstående": 1,
        "Anonym": 1,
        "Myndighet": 1,
    }


def test_per_enhet(ar2025):
    rader = statistik.per_enhet(2025)
    assert som_dict(rader) == {
        "Ekonomiskt bistånd": 2,
        "Kollektivet HVB": 2,
        "Bistånd barn och unga": 1,
    }
    assert rader[-1]["namn"] == "Bistånd barn och unga"


def test_svarstider_udda_antal(ar2025):
    # Klagomål only (nr 1, 2, 5; the beröm nr 3 and the synpunkt nr 4 are not measured),
    # all due before today: answered after 10, 14 (the deadline day: in time) and 3
    # days → 3 in time of 3 due, under 10 so no percentage; median of 3, 10, 14 = 10.
    # (Before: every type, over the answered only: 3 of 4, 75 %, median 12.)
    assert statistik.svarstider(2025) == {
        "frist_dagar": 14,
        "typer": ["Klagomål"],
        "forfallna": 3,
        "i_tid": 3,
        "ej_i_tid": 0,
        "andel_i_tid": None,
        "besvarade": 3,
        "median_dagar": 10.0,
        "avslutade": 0,
        "median_dagar_avslut": None,
    }


def test_svarstider_jamnt_antal_med_brytdatum(ar2025):
    # Up to 31 August: klagomål nr 1 and 2, answered after 10 and 14 days → median 12.
    # (Before: nr 1–3 with the beröm, 2 of 3, 66.7 %, median 14.)
    svar = statistik.svarstider(2025, till=date(2025, 8, 31))
    assert (svar["forfallna"], svar["i_tid"], svar["besvarade"]) == (2, 2, 2)
    assert svar["median_dagar"] == 12.0


def test_arsskiftet_i_svensk_tid(ar2025):
    """31 Dec 23:30 in Stockholm belongs to that year, and 1 Jan 00:30
    in Stockholm (still 31 Dec in UTC) belongs to the new year."""
    assert statistik.urval(2025).count() == 5
    assert statistik.urval(2024).count() == 1
    assert statistik.urval(2026).count() == 1
    # The boundary rows themselves.
    nyarsafton = Synpunkt.objects.get(inkom=lokal(2025, 12, 31, 23, 30))
    assert statistik.urval(2025).filter(pk=nyarsafton.pk).exists()
    nyarsdag = Synpunkt.objects.get(inkom=lokal(2025, 1, 1, 0, 30))
    assert statistik.urval(2025).filter(pk=nyarsdag.pk).exists()
    assert not statistik.urval(2024).filter(pk=nyarsdag.pk).exists()


def test_brytdatum_ar_inklusive(ar2025):
    assert statistik.urval(2025, till=date(2025, 12, 31)).count() == 5
    assert statistik.urval(2025, till=date(2025, 12, 30)).count() == 4
    assert statistik.urval(2025, till=date(2025, 6, 1)).count() == 3


def test_inga_besvarade(org):
    # Due 19 May, never answered: due and not in time.
    skapa(org, "EB", "klagomal", "brev", "brukare", lokal(2025, 5, 5, 9))
    svar = statistik.svarstider(2025)
    assert (svar["forfallna"], svar["i_tid"], svar["ej_i_tid"]) == (1, 0, 1)
    assert (svar["besvarade"], svar["andel_i_tid"], svar["median_dagar"]) == (0, None, None)


def test_i_tid_ar_detsamma_som_pa_arendet(org):
    """Answered on the deadline day, a few hours later in the day than it came in: the
    case page says "i tid", and so does the statistic (calendar days, Swedish time)."""
    inkom = lokal(2025, 3, 10, 9, 0)
    s = skapa(org, "EB", "klagomal", "brev", "brukare", inkom, None, timedelta(days=14, hours=6))
    s.refresh_from_db()
    assert s.besvarad_i_tid is True
    assert statistik.svarstider(2025)["i_tid"] == 1
    # One day later it is late in both.
    Synpunkt.objects.filter(pk=s.pk).update(besvarad=inkom + timedelta(days=15))
    s.refresh_from_db()
    assert s.besvarad_i_tid is False
    assert statistik.svarstider(2025)["i_tid"] == 0


def test_inga_personuppgifter_i_statistiken(ar2025):
    Synpunkt.objects.update(beskrivning="Hemlig text om Karin.")
    alla = [
        statistik.per_typ(2025),
        statistik.per_kategori(2025),
        statistik.per_kanal(2025),
        statistik.per_avsandare(2025),
        statistik.per_enhet(2025),
        statistik.svarstider(2025),
    ]
    assert "Karin" not in repr(alla)


def test_ej_registrerade_raknas_for_aret_och_brytdatum(db):
    """Submissions through the e-service that are not yet synpunkter (docs/siffror.md,
    "Året och brytdatum"), counted by hand: the year in Swedish time, the cut-off day
    inclusive, the built ones not at all.

    nr  mottagen (Stockholm)  byggd  in 2025 up to 2025-06-01
    1   2025-01-01 00:30      –      yes (still 31 Dec in UTC)
    2   2025-06-01 23:59      –      yes (the cut-off day)
    3   2025-06-02 00:00      –      no  (the day after)
    4   2024-12-31 23:30      –      no  (year 2024)
    5   2025-03-10 12:00      yes    no  (a synpunkt already, counted there)
    """
    InlamningFactory(mottagen=lokal(2025, 1, 1, 0, 30))
    InlamningFactory(mottagen=lokal(2025, 6, 1, 23, 59))
    InlamningFactory(mottagen=lokal(2025, 6, 2, 0, 0))
    InlamningFactory(mottagen=lokal(2024, 12, 31, 23, 30))
    InlamningFactory(mottagen=lokal(2025, 3, 10, 12), byggd=lokal(2025, 3, 10, 12, 1))

    assert statistik.ej_registrerade(2025, till=date(2025, 6, 1)) == 2
    assert statistik.ej_registrerade(2025, till=date(2025, 5, 31)) == 1
    assert statistik.ej_registrerade(2025) == 3
    assert statistik.ej_registrerade(2024) == 1
    assert statistik.ej_registrerade(2026) == 0
