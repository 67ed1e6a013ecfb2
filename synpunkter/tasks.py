"""Periodic tasks of synpunkter: answer-deadline reminders and removal of contact details."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kvalitet import behorighet
from kvalitet.models import Roll, TimelineEntry
from kvalitet.notifieringar import paminn_en_gang

from .choices import OBESVARADE, Kanal, Status
from .models import Kontaktuppgifter, Synpunkt

FORE = "synpunkt_fore_frist"
FORSENAD = "synpunkt_forsenad"
OREGISTRERAD = "synpunkt_oregistrerad"
IVO_FORE = "synpunkt_ivo_fore_frist"
IVO_FORSENAD = "synpunkt_ivo_forsenad"


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
