"""Background work of internkontroll: reminders of control occasions due soon or
overdue, to the performer (or the performing unit's chefs)."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from kvalitet import behorighet
from kvalitet.notifieringar import paminn_en_gang

from .choices import Tillfallestatus
from .models import Kontrolltillfalle

SNART = "ik_snart"
FORSENAD = "ik_forsenad"


def mottagare(t):
    """The named performer while still one, else the performing unit's chefs."""
    if t.handlaggare is not None and behorighet.ar_handlaggare(t.handlaggare, t):
        return [t.handlaggare]
    return behorighet.ansvariga_chefer(t.enhet)


@shared_task(ignore_result=True)
def paminn(idag=None):
    """Daily: once per occasion when it is due within INTERNKONTROLL_PAMINNELSE_DAGAR_FORE
    days, and once when it has passed its due date without a result."""
    idag = idag or timezone.localdate()
    grans = idag + timedelta(days=settings.INTERNKONTROLL_PAMINNELSE_DAGAR_FORE)
    skickade = 0
    for t in (
        Kontrolltillfalle.objects.filter(status=Tillfallestatus.VANTAR, forfaller__lte=grans)
        .filter(kontroll__plan__status="faststalld")
        .select_related("enhet", "handlaggare", "kontroll")
    ):
        typ = FORSENAD if t.forfaller < idag else SNART
        skickade += len(
            paminn_en_gang(
                t,
                typ,
                mottagare(t),
                "internkontroll/mejl/paminnelse.txt",
                {"tillfalle": t, "forsenad": typ == FORSENAD},
                frist=t.forfaller,
            )
        )
    return skickade
