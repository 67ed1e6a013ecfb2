"""Background work of the risk register: the reminders of risks whose review is near (a
decided version's PDF is archived by kvalitet.tasks.arkivera)."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from kvalitet import behorighet
from kvalitet.notifieringar import paminn_en_gang

from .choices import OPPNA
from .models import Risk

OVERSYN = "risk_oversyn"


def mottagare(risk):
    """The owner while they still are one, else the unit's chefs."""
    if risk.handlaggare is not None and behorighet.ar_handlaggare(risk.handlaggare, risk):
        return [risk.handlaggare]
    return behorighet.ansvariga_chefer(risk.enhet)


@shared_task(ignore_result=True)
def paminn(idag=None):
    """Daily: remind of each risk whose next review is within RISK_PAMINNELSE_DAGAR_FORE
    days (or past), once per review date."""
    idag = idag or timezone.localdate()
    grans = idag + timedelta(days=settings.RISK_PAMINNELSE_DAGAR_FORE)
    skickade = 0
    for risk in Risk.objects.filter(status__in=OPPNA, nasta_oversyn__lte=grans).select_related(
        "enhet", "handlaggare"
    ):
        skickade += len(
            paminn_en_gang(
                risk,
                OVERSYN,
                mottagare(risk),
                "riskregister/mejl/oversyn.txt",
                {"risk": risk},
                frist=risk.nasta_oversyn,
            )
        )
    return skickade
