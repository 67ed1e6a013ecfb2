"""Demo data shared by the parts: the context `seed_demo` passes to each part's demo
step, and the helpers the case apps' demo builders have in common.

`seed_demo` creates the organisation and the users, builds a `Demo` and calls the
functions the parts declare as `demodata` on their AppConfig (`kvalitet.delar`), in the
order of `demoordning`. Each returns the lines to print. A case app's builder subclasses
`Demobyggare` and writes its cases step by step with their historic timestamps, the way
the workflow would have (docs/arbetsfloden.md): every save in the change history dated
and signed, every step on the timeline. This module knows no case type.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import models
from django.utils import timezone

from kvalitet.models import Atgard, Atgardsstatus, CaseLink, Enhet, Roll, TimelineEntry, User

# Every part's demo data comes from generators seeded from this, so a run on the same day
# writes the same records.
SLUMPFRO = 2026
MAX_LANKAR = 8  # similar-case links between the demo cases of one builder


@dataclass(frozen=True)
class Avslutat:
    """A closed demo case that a later step may tie one of its own cases to: what that
    step needs of it, whatever its type."""

    arende: models.Model  # a case (`kvalitet.models.Arende`): has `enhet` and `lanka`
    kand: date  # the day the event behind it was known
    oppnad: datetime  # when the case was reported
    av: User | None  # who reported it


@dataclass
class Demo:
    """What every demo step gets: the demo organisation and users, one moment for "now",
    and what earlier steps leave for later ones."""

    enheter: dict[str, Enhet]  # by code, parents before children
    anvandare: dict[str, User]  # by username
    uppdrag: dict[str, tuple[tuple[str, str], ...]]  # (roll, enhetskod) by username
    nu: datetime
    idag: date
    # What the steps created, for the command's first line ("Nya demoavvikelser: 60.").
    nya: list[str] = field(default_factory=list)
    # Closed demo cases by app label and kind of event (an avvikelse scenario such as
    # "tolk"), oldest first. The avvikelser step fills it; the synpunkter step ties a
    # synpunkt where the service failed to the avvikelse reported from it.
    avslutade: dict[str, dict[str, list[Avslutat]]] = field(default_factory=dict)

    @property
    def rot(self) -> Enhet:
        """The förvaltning, the unit at the top."""
        return next(e for e in self.enheter.values() if e.overordnad_id is None)

    def enhetschef(self, kod: str) -> str:
        """The username of the enhetschef of the unit `kod`, or of the nearest unit above
        it that has one (docs/behorighet.md: a manager's assignment covers the units
        below)."""
        koder = {e.pk: k for k, e in self.enheter.items()}
        enhet = kod
        while enhet is not None:
            for username, uppdrag in self.uppdrag.items():
                if (Roll.ENHETSCHEF, enhet) in uppdrag:
                    return username
            enhet = koder.get(self.enheter[enhet].overordnad_id)
        raise KeyError(f"Ingen enhetschef för {kod}")


@dataclass(frozen=True)
class Atgardsmall:
    """An improvement action a demo case typically leads to."""

    titel: str
    typ: str
    beskrivning: str
    forvantad_effekt: str
    effekt_kort_sikt: str
    effekt_lang_sikt: str = ""


class Demobyggare:
    """Base of a case app's demo builder: time, saving with history, status steps,
    improvement actions and similar-case links, each written at a given moment."""

    def __init__(self, demo: Demo):
        self.demo = demo
        self.enheter = demo.enheter
        self.anvandare = demo.anvandare
        self.nu = demo.nu
        self.idag = demo.idag
        self.lankar = 0

    # Time ------------------------------------------------------------------------------

    def kl(self, dag: date, rng: random.Random) -> datetime:
        """A moment during office hours on `dag`, local time."""
        return timezone.make_aware(
            datetime.combine(dag, time(rng.randint(8, 15), rng.randint(0, 59), rng.randint(0, 59)))
        )

    def efter(self, t: datetime, rng: random.Random, min_dagar: int, max_dagar: int) -> datetime:
        """A moment `min_dagar`..`max_dagar` days after `t` (office hours), before now."""
        dag = timezone.localdate(t) + timedelta(days=rng.randint(min_dagar, max_dagar))
        ny = self.kl(dag, rng)
        if ny <= t:
            ny = t + timedelta(minutes=rng.randint(20, 120))
        return min(ny, self.nu - timedelta(minutes=5))

    # Writing ---------------------------------------------------------------------------

    def spara(self, obj, tid, av, orsak):
        """Save with the change history dated and signed as it happened."""
        obj._history_date = tid
        obj._history_user = av
        obj._change_reason = orsak
        if hasattr(obj, "uppdaterad_av"):
            obj.uppdaterad_av = av
        obj.save()

    def byt(self, arende, till, tid, av, etikett, text=""):
        """A workflow step as the engine records it: status, history, timeline."""
        fran = arende.status
        arende.status = till
        self.spara(arende, tid, av, etikett)
        arende.log(
            TimelineEntry.Typ.STATUS, av=av, text=text, fran_status=fran, till_status=till, tid=tid
        )

    def uppdatera_tid(self, arende, tid):
        """`uppdaterad` is auto_now; set it to the last event instead."""
        type(arende).objects.filter(pk=arende.pk).update(uppdaterad=tid)

    # Improvement actions and links -----------------------------------------------------

    def skapa_atgard(self, arende, mall: Atgardsmall, tid, *, av, ansvarig, rng, oppet):
        """An improvement action on `arende`, created by `av` at `tid` and moved along by
        `ansvarig` as far as its dates allow (docs/arbetsfloden.md). On a case still
        `oppet` it may not have started yet."""
        skapad_dag = timezone.localdate(tid)
        forfallo = skapad_dag + timedelta(days=rng.choice((30, 45, 60, 90, 120)))
        atgard = Atgard(
            content_type=arende.content_type,
            object_id=arende.pk,
            titel=mall.titel,
            beskrivning=mall.beskrivning,
            typ=mall.typ,
            ansvarig=ansvarig,
            enhet=arende.enhet,
            forfallodatum=forfallo,
            forvantad_effekt=mall.forvantad_effekt,
            skapad=tid,
            skapad_av=av,
        )
        atgard.full_clean()
        self.spara(atgard, tid, av, "Skapad")
        arende.log(
            TimelineEntry.Typ.ATGARD,
            av=av,
            text=f"Ny åtgärd: {atgard.titel} (ansvarig {ansvarig}, klar senast {forfallo})",
            tid=tid,
        )

        senast = tid

        def steg(status, dag, **falt):
            """Move the action to `status` on `dag` (not before its previous step)."""
            nonlocal senast
            t = max(self.kl(dag, rng), senast + timedelta(minutes=30))
            if t >= self.nu:
                return False
            senast = t
            atgard.status = status
            if status == Atgardsstatus.GENOMFORD:
                atgard.genomford = timezone.localdate(t)
            elif status == Atgardsstatus.UTVARDERAD:
                atgard.utvarderad = timezone.localdate(t)
            for namn, varde in falt.items():
                setattr(atgard, namn, varde)
            self.spara(atgard, t, ansvarig, Atgardsstatus(status).label)
            arende.log(
                TimelineEntry.Typ.ATGARD,
                av=ansvarig,
                text=f"{atgard.titel}: {Atgardsstatus(status).label.lower()}",
                tid=t,
            )
            return True

        if oppet and rng.random() < 0.5:
            return atgard  # planned, not started yet
        if not steg(Atgardsstatus.PAGAR, skapad_dag + timedelta(days=rng.randint(1, 10))):
            return atgard
        if rng.random() < 0.15:
            return atgard  # still under way, possibly overdue
        if not steg(Atgardsstatus.GENOMFORD, forfallo - timedelta(days=rng.randint(0, 20))):
            return atgard
        if rng.random() < 0.8:
            utvarderad = atgard.genomford + timedelta(days=rng.randint(30, 120))
            steg(
                Atgardsstatus.UTVARDERAD,
                utvarderad,
                effekt_kort_sikt=mall.effekt_kort_sikt,
                effekt_lang_sikt=mall.effekt_lang_sikt
                if utvarderad < self.idag - timedelta(days=180)
                else "",
            )
        return atgard

    def lanka_liknande(self, arende, forra, *, av, kommentar, tid) -> bool:
        """Link `arende` to an earlier case of the same kind ("liknande"), at most
        `MAX_LANKAR` times per builder. Returns whether it linked."""
        if self.lankar >= MAX_LANKAR:
            return False
        self.lankar += 1
        arende.link(forra, CaseLink.Typ.LIKNANDE, av=av, kommentar=kommentar, tid=tid)
        return True
