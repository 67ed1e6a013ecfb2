"""Fixtures of the report tests: a hand-counted year of avvikelser, synpunkter and
improvement actions (2025, cut off 31 January 2026), a draft of its kvalitetsberättelse,
and a clock that can be set (the transitions stamp `timezone.now()`)."""

from contextlib import contextmanager
from datetime import date, datetime
from types import SimpleNamespace
from unittest import mock

import pytest
from django.utils import timezone

from avvikelser.models import Avvikelse, Orsaksomrade
from avvikelser.models import Kategori as AvvKategori
from kvalitet.models import Atgard
from synpunkter.models import Kategori as SynKategori
from synpunkter.models import Synpunkt
from tests.factories import (
    AtgardFactory,
    AvvikelseFactory,
    SynpunktFactory,
    UserFactory,
)

AR = 2025
BRYTDATUM = date(2026, 1, 31)


def lokal(*args):
    """An aware datetime in Swedish local time (Europe/Stockholm)."""
    return timezone.make_aware(datetime(*args))


@contextmanager
def klocka(tid):
    """Within the block, `timezone.now()` (what transitions, timelines and `localdate`
    read) is `tid`."""
    with mock.patch.object(timezone, "now", lambda: tid):
        yield


def avsluta_direkt(avv, avslutad):
    """Close a case the way `avsluta` does (status and time), without the workflow."""
    Avvikelse.objects.filter(pk=avv.pk).update(status="avslutad", avslutad=avslutad)


@pytest.fixture
def ar2025(org, personas):
    """The hand-counted year, in Swedish local time; tidsfrist = reported + 30 days.

    nr typ       enhet → avdelning  rapporterad       kategori      orsaker      avslutad
    1  avvikelse EB → Myndighet     2025-01-01 00:30  Handläggning  Rutin, Info  01-21 00:30 20 d
    2  avvikelse TEAM → Myndighet   2025-04-02 12:00  Handläggning  Rutin        05-12 12:00 40 d
    3  tillbud   KOLL → Öppenvård   2025-06-01 12:00  Sekretess     Info         06-11 12:00 10 d
    4  avvikelse BUV → Myndighet    2025-12-31 23:30  –             –            open
    5  avvikelse STAB → Staben      2025-09-01 08:00  Övrigt        Rutin        2026-02-15 (after
                                                                                the cut-off)
    6  tillbud   SOC (förvaltning)  2025-09-15 10:00  Sekretess     –            10-16 00:30 31 d
    7  avvikelse EB → Myndighet     2025-05-05 09:00  Handläggning  Rutin        see below, 40 d

    Nr 6 is closed the day after its deadline in Swedish time but on the deadline day in
    UTC (15 Oct 22:30): late. Nr 7 goes through the real workflow: closed 2025-05-15
    (10 d, in time), reopened 2025-05-20, closed again 2025-06-14 09:00 (40 d, late).
    Outside 2025: 2024-12-31 23:30 and 2026-01-01 00:30 (still 2025 in UTC), both EB.

    Days are calendar days in Swedish time (nr 6: 30.6 24-hour days, 31 calendar days).
    By the cut-off, avvikelser (the tillbud 3 and 6 apart): closed 1, 2, 7 → 3; open 4, 5
    → 2; in time 1 → 1 of 3; days 20, 40, 40 → median 40. Tillbud: closed 3 and 6.

    Synpunkter: S1 klagomål via IVO, brukare (EB, Handläggning) 2025-02-03 10:00, answered
    after 10 days; S2 beröm by letter, närstående (KOLL) 2025-06-10 09:00, unanswered;
    S3 klagomål from the e-service, brukare (BUV, Handläggning) 2025-12-20 12:00,
    answered 2026-02-10 (after the cut-off).

    Improvement actions (case, kind, status, created, due, done/evaluated):
    A1 nr 1  information   utvärderad 2025-01-25 due 2025-03-01 done 02-20, evaluated 04-01
    A2 nr 1  rutin         pågår      2025-02-01 due 2025-06-30 → not done by its due date
    A3 nr 3  information   planerad   2025-06-12 due 2026-03-01 → not yet due
    A4 S1    samverkan     genomförd  2025-02-15 due 2025-11-30 done 2026-01-10 → late
    A7 nr 2  organisation  genomförd  2025-03-01 due 2025-08-01 done 2025-09-01 → late
    A5 nr 4  rutin         planerad   2026-01-05 (after the year, before the cut-off)
    A6 2024  information   pågår      2024-11-01 due 2025-02-01 (an earlier year's action)
    A8 nr 3  lokaler       planerad   2026-03-01 (after the cut-off)
    """
    enhetschef = personas["enhetschef"]
    rapportor = UserFactory(username="rapportor", first_name="Rut", last_name="Rapportör")
    handl = AvvKategori.objects.get(namn="Handläggning")
    sekretess = AvvKategori.objects.get(namn="Sekretess")
    ovrigt = AvvKategori.objects.get(namn="Övrigt")
    rutin = Orsaksomrade.objects.get(namn="Processer och rutiner")
    info = Orsaksomrade.objects.get(namn="Information och kommunikation")

    def avv(nr, typ, enhet, rapporterad, kategori=None, orsaker=()):
        a = AvvikelseFactory(
            typ=typ,
            enhet=org[enhet],
            rapporterad=rapporterad,
            handelsedatum=rapporterad.date(),
            rapporterad_av=rapportor,
            skapad_av=rapportor,
            kategori=kategori,
            analys="Utredd." if kategori else "",
        )
        a.orsaksomraden.set(orsaker)
        return a

    a = {
        1: avv(1, "avvikelse", "EB", lokal(2025, 1, 1, 0, 30), handl, [rutin, info]),
        2: avv(2, "avvikelse", "TEAM", lokal(2025, 4, 2, 12), handl, [rutin]),
        3: avv(3, "tillbud", "KOLL", lokal(2025, 6, 1, 12), sekretess, [info]),
        4: avv(4, "avvikelse", "BUV", lokal(2025, 12, 31, 23, 30)),
        5: avv(5, "avvikelse", "STAB", lokal(2025, 9, 1, 8), ovrigt, [rutin]),
        6: avv(6, "tillbud", "SOC", lokal(2025, 9, 15, 10), sekretess),
        7: avv(7, "avvikelse", "EB", lokal(2025, 5, 5, 9), handl, [rutin]),
        "2024": avv(0, "avvikelse", "EB", lokal(2024, 12, 31, 23, 30)),
        "2026": avv(0, "avvikelse", "EB", lokal(2026, 1, 1, 0, 30)),
    }
    avsluta_direkt(a[1], lokal(2025, 1, 21, 0, 30))
    avsluta_direkt(a[2], lokal(2025, 5, 12, 12))
    avsluta_direkt(a[3], lokal(2025, 6, 11, 12))
    avsluta_direkt(a[5], lokal(2026, 2, 15, 9))
    avsluta_direkt(a[6], lokal(2025, 10, 16, 0, 30))

    # Nr 7 through the real workflow: closed, reopened, closed again.
    sju = a[7]
    with klocka(lokal(2025, 5, 6, 9)):
        sju.starta_utredning(av=enhetschef)
    with klocka(lokal(2025, 5, 15, 9)):
        sju.avsluta(av=enhetschef, aterkoppling="Klart.")
    with klocka(lokal(2025, 5, 20, 9)):
        sju.ateroppna(av=enhetschef, kommentar="Ny information.")
    with klocka(lokal(2025, 6, 14, 9)):
        sju.avsluta(av=enhetschef, aterkoppling="Klart igen.")
    for x in a.values():
        x.refresh_from_db()

    handl_syn = SynKategori.objects.get(namn="Handläggning")

    def syn(typ, kanal, avsandare, enhet, inkom, kategori=None, besvarad=None):
        s = SynpunktFactory(
            typ=typ, kanal=kanal, avsandare=avsandare, enhet=org[enhet], inkom=inkom
        )
        falt = {"kategori": kategori}
        if besvarad:
            falt.update(status="besvarad", besvarad=besvarad, svar="Svar.", svarssatt="brev")
        Synpunkt.objects.filter(pk=s.pk).update(**falt)
        s.refresh_from_db()
        return s

    s = {
        1: syn(
            "klagomal",
            "via_ivo",
            "brukare",
            "EB",
            lokal(2025, 2, 3, 10),
            handl_syn,
            lokal(2025, 2, 13, 10),
        ),
        2: syn("berom", "brev", "narstaende", "KOLL", lokal(2025, 6, 10, 9)),
        3: syn(
            "klagomal",
            "e_tjanst",
            "brukare",
            "BUV",
            lokal(2025, 12, 20, 12),
            handl_syn,
            lokal(2026, 2, 10, 12),
        ),
    }

    ansvarig = personas["medarbetare"]

    def atgard(arende, typ, status, skapad, due, genomford=None, utvarderad=None):
        x = AtgardFactory(arende=arende, ansvarig=ansvarig, typ=typ, forfallodatum=due)
        Atgard.objects.filter(pk=x.pk).update(
            status=status, skapad=skapad, genomford=genomford, utvarderad=utvarderad
        )
        return x

    atgarder = {
        1: atgard(
            a[1],
            "information",
            "utvarderad",
            lokal(2025, 1, 25, 10),
            date(2025, 3, 1),
            date(2025, 2, 20),
            date(2025, 4, 1),
        ),
        2: atgard(a[1], "rutin", "pagar", lokal(2025, 2, 1, 10), date(2025, 6, 30)),
        3: atgard(a[3], "information", "planerad", lokal(2025, 6, 12, 10), date(2026, 3, 1)),
        4: atgard(
            s[1],
            "samverkan",
            "genomford",
            lokal(2025, 2, 15, 10),
            date(2025, 11, 30),
            date(2026, 1, 10),
        ),
        5: atgard(a[4], "rutin", "planerad", lokal(2026, 1, 5, 10), date(2026, 6, 1)),
        6: atgard(a["2024"], "information", "pagar", lokal(2024, 11, 1, 10), date(2025, 2, 1)),
        7: atgard(
            a[2],
            "organisation",
            "genomford",
            lokal(2025, 3, 1, 10),
            date(2025, 8, 1),
            date(2025, 9, 1),
        ),
        8: atgard(a[3], "lokaler", "planerad", lokal(2026, 3, 1, 10), date(2026, 6, 1)),
    }
    return SimpleNamespace(
        org=org,
        personas=personas,
        avv=a,
        syn=s,
        atgarder=atgarder,
        rapportor=rapportor,
        kategori=handl,
        orsak=rutin,
    )


@pytest.fixture
def utkast(personas):
    """The draft of the 2025 kvalitetsberättelse, cut off 31 January 2026."""
    from rapporter.models import Kvalitetsberattelse

    return Kvalitetsberattelse.skapa(ar=AR, brytdatum=BRYTDATUM, av=personas["kvalitetssamordnare"])


@pytest.fixture
def faststalld(personas, django_capture_on_commit_callbacks):
    """A decided kvalitetsberättelse for 2024 with its archived PDF (rendered for real).
    Chapters not yet written get a text first: a report with default or instruction
    text cannot be decided."""

    def gor(berattelse=None, *, ar=2024):
        from rapporter.models import Kvalitetsberattelse
        from tests.rapporter.hjalp import skriv_alla_kapitel

        if berattelse is None:
            berattelse = Kvalitetsberattelse.skapa(
                ar=ar, brytdatum=date(ar + 1, 1, 31), av=personas["kvalitetssamordnare"]
            )
        skriv_alla_kapitel(berattelse, personas["kvalitetssamordnare"])
        with django_capture_on_commit_callbacks(execute=True):
            berattelse.faststall(
                av=personas["forvaltningschef"],
                diarienummer=f"SN {berattelse.ar + 1}/12",
                kommentar="KS 2025-02-20 § 12",
            )
        berattelse.refresh_from_db()
        return berattelse

    return gor
