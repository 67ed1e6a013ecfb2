"""Background work of the risk register: archiving a decided version's PDF, and the
reminders of risks whose review is near."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from kvalitet import behorighet
from kvalitet.notifieringar import paminn_en_gang

from .choices import BESLUTADE, OPPNA
from .models import Registerversion, Risk

OVERSYN = "risk_oversyn"


@shared_task(ignore_result=True)
def arkivera(pk):
    """Render and store a decided version's PDF (after the decision's commit)."""
    version = Registerversion.objects.filter(pk=pk, status__in=BESLUTADE).first()
    if version is not None and not version.pdf:
        version.arkivera()


@shared_task(ignore_result=True)
def arkivera_saknade():
    """Every ten minutes: a decided version whose PDF is not stored (a lost job)."""
    for pk in Registerversion.objects.filter(status__in=BESLUTADE, pdf="").values_list(
        "pk", flat=True
    ):
        arkivera(pk)


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
