"""Tasks of synpunkter: building the e-service's submissions into synpunkter,
answer-deadline reminders and removal of contact details."""

import logging
import time
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kvalitet import behorighet
from kvalitet.models import Roll, TimelineEntry
from kvalitet.notifieringar import paminn_en_gang

from .choices import OBESVARADE, Kanal, Status
from .models import Inlamning, Kontaktuppgifter, Synpunkt

log = logging.getLogger(__name__)

FORE = "synpunkt_fore_frist"
FORSENAD = "synpunkt_forsenad"
OREGISTRERAD = "synpunkt_oregistrerad"
IVO_FORE = "synpunkt_ivo_fore_frist"
IVO_FORSENAD = "synpunkt_ivo_forsenad"


# A process publishes at most one wake-up per this many seconds: under a burst of
# submissions the worker is woken a few times a second, not once per submission, and
# each run builds every submission waiting. One that arrives just after a run ended,
# while its process's wake-up is held back, waits for the periodic run
# (`synpunkter-inlamningar`, CELERY_BEAT_SCHEDULE).
VACK_INTERVALL = 1.0
_senast_vackt = float("-inf")


def vacka(inlamning):
    """After a submission is saved: have it built. Without a broker (the zero-setup
    default, the tests) its synpunkt is built here, in the request; with one, the
    worker is woken after the commit. A broker that cannot be reached, or a build that
    fails, leaves the submission for the periodic run – the citizen's request never
    fails for it."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        Inlamning.forsok_bygga(inlamning.pk)
        return
    transaction.on_commit(_vacka)


def _vacka():
    global _senast_vackt  # noqa: PLW0603 - one timestamp per process
    nu = time.monotonic()
    if nu - _senast_vackt < VACK_INTERVALL:
        return
    _senast_vackt = nu
    try:
        bygg_inlamningar.delay()
    except Exception:  # noqa: BLE001 - any broker error: the periodic run builds it
        log.warning("Kunde inte väcka byggandet av inlämningar; den periodiska körningen tar dem.")


@shared_task(ignore_result=True)
def bygg_inlamningar():
    """Build every submission waiting (woken after submissions, and every 30 seconds
    for any a lost wake-up or a broker outage left); remove built ones a day old."""
    byggda, misslyckade = 0, set()
    while antal := Inlamning.bygg_vantande(misslyckade=misslyckade):
        byggda += antal  # a failed one is tried once a run
    Inlamning.gallra()
    return byggda


def _handlaggare(synpunkt):
    """The handler while their assignment still makes them one (docs/behorighet.md);
    before anyone has taken it, or once the handler has moved on, the unit's responsible
    managers – a reminder must reach someone who can answer."""
    handlaggare = synpunkt.handlaggare
    if handlaggare is not None and behorighet.ar_handlaggare(handlaggare, synpunkt):
        return [handlaggare]
    return behorighet.ansvariga_chefer(synpunkt.enhet)


@shared_task(ignore_result=True)
def paminn(idag=None):
    """Daily: remind the handler before the 14-day deadline, and the handler and the
    avdelningschef when it has passed; remind the registrators of submissions still
    unregistered near their deadline. Each reminder is sent once per deadline."""
    idag = idag or timezone.localdate()
    skickade = 0
    # A reopened synpunkt was answered once: its deadline is met, nobody is reminded.
    obesvarade = Synpunkt.objects.filter(
        status__in=[s for s in OBESVARADE if s != Status.INKOMMEN],
        tidsfrist__isnull=False,
        besvarad__isnull=True,
    ).select_related("enhet", "handlaggare")
    snart = idag + timedelta(days=settings.SYNPUNKT_PAMINNELSE_DAGAR_FORE)
    # Still in the inbox near or past the deadline: the registrators are reminded once.
    for s in Synpunkt.objects.filter(status=Status.INKOMMEN, tidsfrist__lte=snart):
        skickade += len(
            paminn_en_gang(
                s,
                OREGISTRERAD,
                list(behorighet.med_roll(Roll.REGISTRATOR)),
                "synpunkter/mejl/oregistrerad.txt",
                {"synpunkt": s},
            )
        )
    for s in obesvarade.filter(tidsfrist__gte=idag, tidsfrist__lte=snart):
        skickade += len(
            paminn_en_gang(
                s, FORE, _handlaggare(s), "synpunkter/mejl/paminnelse.txt", {"synpunkt": s}
            )
        )
    for s in obesvarade.filter(tidsfrist__lt=idag):
        mottagare = _handlaggare(s) + behorighet.ansvariga_chefer(
            s.enhet, roll=(Roll.AVDELNINGSCHEF,), reserv=()
        )
        skickade += len(
            paminn_en_gang(s, FORSENAD, mottagare, "synpunkter/mejl/forsenad.txt", {"synpunkt": s})
        )
    skickade += _paminn_ivo(idag, snart)
    return skickade


def _paminn_ivo(idag, snart):
    """IVO's own answer date for a klagomål it forwarded, reminded like the answer to the
    complainant: the handler before it, the handler and the avdelningschef once it has
    passed without an answer to IVO. Each once per IVO date."""
    skickade = 0
    vantar = Synpunkt.objects.filter(
        kanal=Kanal.VIA_IVO, ivo_svar_senast__isnull=False, ivo_besvarad__isnull=True
    ).select_related("enhet", "handlaggare")
    for s in vantar.filter(ivo_svar_senast__gte=idag, ivo_svar_senast__lte=snart):
        skickade += len(
            paminn_en_gang(
                s,
                IVO_FORE,
                _handlaggare(s),
                "synpunkter/mejl/ivo_paminnelse.txt",
                {"synpunkt": s},
                frist=s.ivo_svar_senast,
            )
        )
    for s in vantar.filter(ivo_svar_senast__lt=idag):
        mottagare = _handlaggare(s) + behorighet.ansvariga_chefer(
            s.enhet, roll=(Roll.AVDELNINGSCHEF,), reserv=()
        )
        skickade += len(
            paminn_en_gang(
                s,
                IVO_FORSENAD,
                mottagare,
                "synpunkter/mejl/ivo_forsenad.txt",
                {"synpunkt": s},
                frist=s.ivo_svar_senast,
            )
        )
    return skickade


@shared_task(ignore_result=True)
def gallra_kontaktuppgifter(nu=None):
    """Daily: remove the contact details of synpunkter closed long enough ago. The case
    and its statistics remain."""
    nu = nu or timezone.now()
    grans = nu - timedelta(days=settings.SYNPUNKT_KONTAKT_GALLRAS_DAGAR)
    antal = 0
    for synpunkt in Synpunkt.objects.filter(
        status=Status.AVSLUTAD, avslutad__lt=grans, kontaktuppgifter__isnull=False
    ):
        with transaction.atomic():
            Kontaktuppgifter.objects.filter(synpunkt=synpunkt).delete()
            synpunkt.kontakt_gallrad = nu
            synpunkt._change_reason = "Kontaktuppgifter gallrade"
            synpunkt.save(update_fields=["kontakt_gallrad", "uppdaterad"])
            synpunkt.log(
                TimelineEntry.Typ.ANDRING,
                text="Kontaktuppgifterna är gallrade enligt informationshanteringsplanen.",
                tid=nu,
            )
        antal += 1
    return antal
