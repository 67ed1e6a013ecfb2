"""Two people taking the same step at the same moment; two requests at a rate limit.

The workflow engine reads the status under a row lock (`select_for_update`), so of two
concurrent requests exactly one takes the step and the other is refused as if it came
second: one "avslutad" on the timeline, never two. Without the lock both would read the
old status and both would succeed. Likewise the rate limit (`kvalitet.begransning`)
counts and records under an advisory lock on its key: of two requests at the limit, one
is refused.

PostgreSQL only: SQLite locks the whole database for a write, so there is no race to
lose. Each attempt runs in its own thread with its own database connection. To make
the race real rather than lucky, the first attempt to reach the write waits there until
the other attempt is either blocked on a lock in PostgreSQL (`pg_locks`) or finished –
the moment at which a missing lock lets both through.
"""

import threading
import time
from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from avvikelser.models import Avvikelse
from avvikelser.models import Kategori as AvvikelseKategori
from kvalitet import begransning
from kvalitet.models import Atgard, Forfragan, Roll, TimelineEntry
from kvalitet.workflow import TransitionNotAllowed
from rapporter.kapitel import KAPITEL
from rapporter.models import Kvalitetsberattelse
from synpunkter.models import Synpunkt
from tests.factories import (
    AtgardFactory,
    AvvikelseFactory,
    SynpunktFactory,
    UppdragFactory,
    UserFactory,
)
from tests.hjalp import kraver

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

VANTETID = 15.0  # seconds; far above what two local transactions need


def vantar_pa_las(pid: int) -> bool:
    """Whether the backend `pid` waits for a lock now (pg_locks is read live, not from
    the per-transaction statistics snapshot)."""
    with connection.cursor() as c:
        c.execute("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE pid = %s AND NOT granted)", [pid])
        return c.fetchone()[0]


class Kapplopning:
    """Run one step twice at once, in threads "A" and "B", on the same record.

    The model's `save` (or another function that writes: `skrivning` of `modell`) is
    wrapped: the first thread to reach it (the engine saves after checking the status
    and running the step's body) waits until the other thread is blocked on a lock or
    done."""

    def __init__(self, modell, monkeypatch, skrivning="save"):
        self.modell = modell
        self.pids = {}
        self.klara = {namn: threading.Event() for namn in "AB"}
        self.forsta = None
        self.las = threading.Lock()
        self.sag_las = False
        original = getattr(modell, skrivning)

        def skriv(*args, **kwargs):
            self.vid_skrivning()
            return original(*args, **kwargs)

        monkeypatch.setattr(modell, skrivning, skriv)

    def vid_skrivning(self):
        namn = threading.current_thread().name
        if namn not in self.klara:
            return  # the test's own set-up
        with self.las:
            if self.forsta is not None:
                return
            self.forsta = namn
        annan = "B" if namn == "A" else "A"
        slut = time.monotonic() + VANTETID
        while time.monotonic() < slut:
            if vantar_pa_las(self.pids[annan]):
                self.sag_las = True
                return
            if self.klara[annan].is_set():
                return
            time.sleep(0.01)
        raise AssertionError(f"tråd {annan} varken väntade på ett lås eller blev klar")

    def kor(self, pk, steg):
        """`steg(obj, namn)` in both threads; {thread name: result or exception}. With
        `pk` None there is no record to read first (obj is None)."""
        resultat = {}
        start = threading.Barrier(2, timeout=VANTETID)

        def tradkropp(namn):
            try:
                connection.ensure_connection()
                self.pids[namn] = connection.connection.info.backend_pid
                obj = None if pk is None else self.modell._default_manager.get(pk=pk)
                start.wait()
                resultat[namn] = steg(obj, namn)
            except BaseException as exc:  # noqa: BLE001 - reported to the test below
                resultat[namn] = exc
            finally:
                self.klara[namn].set()
                connection.close()

        tradar = [threading.Thread(target=tradkropp, args=(n,), name=n) for n in "AB"]
        for t in tradar:
            t.start()
        for t in tradar:
            t.join(VANTETID * 2)
            assert not t.is_alive(), "en tråd blev aldrig klar"
        return resultat


def bara_en_lyckas(kapp, resultat):
    """Exactly one attempt succeeded; the other was refused because of the new status,
    having waited for the row lock (so the two really overlapped)."""
    nekade = [r for r in resultat.values() if isinstance(r, TransitionNotAllowed)]
    ovantade = [r for r in resultat.values() if isinstance(r, BaseException) and r not in nekade]
    assert not ovantade, ovantade
    assert len(nekade) == 1, f"båda lyckades: {resultat}"
    assert kapp.sag_las, "den andra begäran väntade aldrig på radlåset"


def statusrader(obj, till):
    return TimelineEntry.objects.filter(object_id=obj.pk, typ="status", till_status=till).count()


@pytest.fixture
def postgresql():
    kraver(connection.vendor == "postgresql", "samtidighetsproven kräver PostgreSQL")


def test_tva_chefer_avslutar_samma_avvikelse(postgresql, org, personas, monkeypatch):
    kategori, _ = AvvikelseKategori.objects.get_or_create(namn="Handläggning")
    avv = AvvikelseFactory(
        enhet=org["EB"],
        rapporterad_av=personas["medarbetare"],
        status="under_utredning",
        kategori=kategori,
        analys="Otydlig rutin.",
    )
    chef = {"A": personas["enhetschef"], "B": personas["avdelningschef"]}
    kapp = Kapplopning(Avvikelse, monkeypatch)
    resultat = kapp.kor(avv.pk, lambda obj, namn: obj.avsluta(av=chef[namn], aterkoppling=""))
    bara_en_lyckas(kapp, resultat)
    assert statusrader(avv, "avslutad") == 1
    assert Avvikelse.history.filter(id=avv.pk, history_change_reason="Avsluta").count() == 1


def test_tva_besvarar_samma_synpunkt(postgresql, org, personas, monkeypatch):
    syn = SynpunktFactory(enhet=org["EB"])
    Synpunkt.objects.filter(pk=syn.pk).update(status="under_handlaggning")
    chef = {"A": personas["enhetschef"], "B": personas["avdelningschef"]}
    kapp = Kapplopning(Synpunkt, monkeypatch)
    resultat = kapp.kor(
        syn.pk,
        lambda obj, namn: obj.besvara(av=chef[namn], svar=f"Svar från {namn}.", svarssatt="brev"),
    )
    bara_en_lyckas(kapp, resultat)
    assert statusrader(syn, "besvarad") == 1
    syn.refresh_from_db()
    # The answer kept is the one that won, with its own time.
    assert syn.svar in ("Svar från A.", "Svar från B.")
    assert Synpunkt.history.filter(id=syn.pk, history_change_reason="Besvara").count() == 1


def test_ansvarig_och_chef_markerar_samma_atgard_genomford(postgresql, org, personas, monkeypatch):
    avv = AvvikelseFactory(enhet=org["EB"], rapporterad_av=personas["medarbetare"])
    atgard = AtgardFactory(arende=avv, ansvarig=personas["medarbetare"])
    vem = {"A": personas["medarbetare"], "B": personas["enhetschef"]}
    kapp = Kapplopning(Atgard, monkeypatch)
    resultat = kapp.kor(atgard.pk, lambda obj, namn: obj.genomfor(av=vem[namn]))
    bara_en_lyckas(kapp, resultat)
    # Action events are written on the case's timeline.
    assert (
        TimelineEntry.objects.filter(
            object_id=avv.pk, typ="atgard", text__endswith="genomförd"
        ).count()
        == 1
    )
    historik = Atgard.history.filter(id=atgard.pk, history_change_reason="Markera genomförd")
    assert historik.count() == 1


def test_tva_faststaller_samma_kvalitetsberattelse(postgresql, org, personas, monkeypatch):
    samordnare = personas["kvalitetssamordnare"]
    berattelse = Kvalitetsberattelse.skapa(ar=2025, brytdatum=date(2026, 1, 31), av=samordnare)
    # Every chapter written, so deciding inserts no texts: the status is all that guards it.
    for kapitel in KAPITEL:
        berattelse.spara_text(kapitel.slug, f"Texten om {kapitel.titel}.", av=samordnare)
    stallfortradare = UserFactory(username="tf_forvaltningschef")
    UppdragFactory(anvandare=stallfortradare, roll=Roll.FORVALTNINGSCHEF, enhet=org["SOC"])
    vem = {"A": personas["forvaltningschef"], "B": stallfortradare}
    # The archived PDF is rendered after commit by a task; not part of the race.
    monkeypatch.setattr(Kvalitetsberattelse, "begar_pdf", lambda self, av: None)
    kapp = Kapplopning(Kvalitetsberattelse, monkeypatch)
    resultat = kapp.kor(
        berattelse.pk,
        lambda obj, namn: obj.faststall(
            av=vem[namn], diarienummer="SN 2026/12", kommentar=f"Beslut {namn}"
        ),
    )
    bara_en_lyckas(kapp, resultat)
    assert statusrader(berattelse, "faststalld") == 1
    berattelse.refresh_from_db()
    assert berattelse.status == "faststalld"
    assert berattelse.faststalld_av in vem.values()
    assert berattelse.faststalld <= timezone.now()


def test_tva_begaranden_samtidigt_vid_gransen(postgresql, rf, monkeypatch):
    """One submission left under the limit, two requests from the address at once: the
    first to reach the insert waits there until the other is blocked on the key's lock
    (or done). Exactly one is let through and one row is recorded; without the lock both
    would count the same rows and both pass."""
    request = rf.post("/synpunkter/lamna/", REMOTE_ADDR="203.0.113.9")
    # The count and the record are one statement (`_registrera`): the first thread
    # waits just before it.
    kapp = Kapplopning(begransning, monkeypatch, skrivning="_registrera")
    resultat = kapp.kor(
        None, lambda obj, namn: begransning.tillat(request, "synpunkt", 1, timedelta(hours=1))
    )
    fel = [r for r in resultat.values() if isinstance(r, BaseException)]
    assert not fel, fel
    assert sorted(resultat.values()) == [False, True], resultat
    assert Forfragan.objects.count() == 1
    assert kapp.sag_las, "den andra begäran väntade aldrig på låset"
