"""Background tasks of the shared core."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from kvalitet.models import Utskick

log = logging.getLogger(__name__)
MAX_FORSOK = 10


@shared_task(ignore_result=True)
def leverera(pk):
    """Deliver one outbox row, at most once even if queued twice."""
    with transaction.atomic():
        rad = (
            Utskick.objects.select_for_update(skip_locked=True)
            .filter(pk=pk, skickad__isnull=True)
            .first()
        )
        if rad is None:
            return False
        try:
            send_mail(
                settings.EMAIL_SUBJECT_PREFIX + rad.amne,
                rad.text,
                settings.DEFAULT_FROM_EMAIL,
                [rad.mottagare],
            )
        except Exception as exc:  # noqa: BLE001 - SMTP errors vary; record and retry later
            rad.forsok += 1
            rad.senaste_fel = str(exc)[:2000]
            rad.save(update_fields=["forsok", "senaste_fel"])
            log.warning("Utskick %s misslyckades: %s", pk, exc)
            return False
        rad.skickad = timezone.now()
        rad.forsok += 1
        rad.save(update_fields=["skickad", "forsok"])
    return True


@shared_task(ignore_result=True)
def leverera_vantande():
    """Periodic: deliver every pending row (those queued while the broker was down)."""
    pks = list(
        Utskick.objects.filter(skickad__isnull=True, forsok__lt=MAX_FORSOK)
        .order_by("skapad")
        .values_list("pk", flat=True)[:500]
    )
    return sum(1 for pk in pks if leverera(pk))


@shared_task(ignore_result=True)
def gallra():
    """Nightly: delete delivered e-mails past their retention and old rate-limit rows."""
    from datetime import timedelta

    from kvalitet import begransning

    grans = timezone.now() - timedelta(days=settings.UTSKICK_GALLRAS_DAGAR)
    utskick = Utskick.objects.filter(skickad__lt=grans).delete()[0]
    return {"utskick": utskick, "begransningar": begransning.rensa()}


@shared_task(ignore_result=True)
def arkivera(modell, pk):
    """Archive the PDF of a decided version of a document the nämnd decides
    (`kvalitet.models.BeslutadHandling`, by model label) after its decision's commit."""
    from django.apps import apps

    handling = apps.get_model(modell)._default_manager.filter(pk=pk).first()
    if handling is not None and handling.ar_beslutad and not handling.pdf:
        handling.arkivera()


@shared_task(ignore_result=True)
def arkivera_saknade():
    """Every ten minutes: decided versions whose PDF is not stored (a lost job)."""
    from django.apps import apps

    from kvalitet.models import BeslutadHandling

    for modell in apps.get_models():
        if issubclass(modell, BeslutadHandling):
            for pk in (
                modell._default_manager.beslutade().filter(pdf="").values_list("pk", flat=True)
            ):
                arkivera(modell._meta.label, pk)
