"""Background tasks of the shared core."""

import logging
import smtplib
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from kvalitet.models import Utskick

log = logging.getLogger(__name__)
MAX_FORSOK = 10
# The wait after the n:th failed attempt is UTSKICK_INTERVALL_SEKUNDER * 2**(n-1), at
# most this long: with the default minute, ten attempts span some eight and a half hours
# (1, 2, 4 ... 256 minutes), a working day's outage of the mail server.
MAX_VANTAN = timedelta(hours=6)


def vantan(forsok: int) -> timedelta:
    """How long to wait after the `forsok`:th failed attempt before the next."""
    sekunder = settings.UTSKICK_INTERVALL_SEKUNDER * 2 ** max(forsok - 1, 0)
    return min(timedelta(seconds=sekunder), MAX_VANTAN)


def ar_permanent(exc: Exception) -> bool:
    """Whether the mail server refused for good (an SMTP 5xx reply: unknown recipient,
    policy): another attempt would get the same answer. Connection failures, time-outs
    and 4xx replies (greylisting, a full queue) are temporary."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        koder = [kod for kod, _ in exc.recipients.values()]
        return bool(koder) and all(500 <= kod < 600 for kod in koder)
    if isinstance(exc, smtplib.SMTPResponseException):
        return 500 <= exc.smtp_code < 600
    return False


def feltext(exc: Exception) -> str:
    """The mail server's reply as a person reads it ("550 5.1.1 ... User unknown"), for
    the row's `senaste_fel` and the page of e-mail given up."""

    def svar(kod, text):
        text = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
        return f"{kod} {text}"

    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{adress}: {svar(*s)}" for adress, s in exc.recipients.items())
    if isinstance(exc, smtplib.SMTPResponseException):
        return svar(exc.smtp_code, exc.smtp_error)
    return str(exc) or type(exc).__name__


@shared_task(ignore_result=True)
def leverera(pk):
    """Deliver one outbox row, at most once even if queued twice. A failure is recorded
    on the row with the time of the next attempt, further off after every failure; a
    permanent refusal, or the MAX_FORSOK:th failure, gives up (`Utskick.misslyckade`)."""
    with transaction.atomic():
        rad = Utskick.objects.select_for_update(skip_locked=True).vantande().filter(pk=pk).first()
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
            rad.senaste_fel = feltext(exc)[:2000]
            if ar_permanent(exc) or rad.forsok >= MAX_FORSOK:
                rad.nasta_forsok = None
                log.error("Utskick %s gick inte att leverera, ger upp: %s", pk, exc)
            else:
                rad.nasta_forsok = timezone.now() + vantan(rad.forsok)
                log.warning("Utskick %s misslyckades (försök %s): %s", pk, rad.forsok, exc)
            rad.save(update_fields=["forsok", "senaste_fel", "nasta_forsok"])
            return False
        rad.skickad = timezone.now()
        rad.forsok += 1
        rad.save(update_fields=["skickad", "forsok"])
    return True


@shared_task(ignore_result=True)
def leverera_vantande():
    """Periodic: deliver every pending row whose next attempt is due (those queued while
    the broker was down, and those whose earlier attempt failed)."""
    pks = list(
        Utskick.objects.att_forsoka()
        .order_by("nasta_forsok", "pk")
        .values_list("pk", flat=True)[:500]
    )
    return sum(1 for pk in pks if leverera(pk))


def forsok_igen(rad: Utskick) -> bool:
    """A kvalitetssamordnare's "Försök igen" on a message given up: a new round of
    attempts from now (the count starts over; the last error stays until replaced)."""
    with transaction.atomic():
        andrade = (
            Utskick.objects.misslyckade()
            .filter(pk=rad.pk)
            .update(forsok=0, nasta_forsok=timezone.now())
        )
        if andrade:
            from kvalitet.notifieringar import _koa

            transaction.on_commit(lambda: _koa(rad.pk))
    return bool(andrade)


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


# --- Exports (kvalitet.exporter) ---------------------------------------------------------


@shared_task(ignore_result=True, acks_late=True)
def kor_export(pk):
    """Produce one export's file; a second run (a redelivered message) changes nothing
    once the first has finished."""
    from kvalitet import exporter

    return exporter.kor(pk)


@shared_task(ignore_result=True)
def gallra_exporter():
    """Hourly: delete expired export files (EXPORT_GALLRAS_TIMMAR)."""
    from kvalitet import exporter

    return exporter.gallra()


@shared_task(ignore_result=True)
def komprimera_summor():
    """Every ten minutes: fold the rows of the counts the database keeps for the
    report's figures into one per key (kvalitet.summering)."""
    from kvalitet import summering

    summering.komprimera()


# --- Sign-in with the municipality's account (kvalitet.oidc) --------------------------------


@shared_task(ignore_result=True)
def kontrollera_oidc():
    """Hourly: deactivate the accounts of people the identity provider no longer knows
    (their refresh token answers invalid_grant); nothing while OIDC is off."""
    from kvalitet import oidc

    return oidc.kontrollera_alla()
