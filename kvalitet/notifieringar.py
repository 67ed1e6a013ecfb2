"""Notifications by e-mail, through the outbox.

`notifiera` renders the message, writes one outbox row per recipient in the current
transaction and asks Celery to deliver each after commit. If the broker cannot be
reached the request still succeeds; the periodic task `leverera_vantande` delivers
the rows later. Messages carry the case number and a link only, never case
details: e-mail is not a safe channel for confidential records.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string

from kvalitet.models import Paminnelse, Utskick

log = logging.getLogger(__name__)


def notifiera(mottagare, mall, kontext, *, utom=None):
    """Queue the e-mail template `mall` (first line is the subject) to each recipient.

    A recipient is a user (skipped if inactive, without address, or `utom`) or a plain
    e-mail address (a citizen who left one). Each address gets one message.
    """
    rader = []
    sedda = set()
    for mottagar in mottagare:
        if isinstance(mottagar, str):
            user, adress = None, mottagar.strip()
        elif mottagar and mottagar != utom and mottagar.is_active:
            user, adress = mottagar, mottagar.email
        else:
            continue
        if not adress or adress.lower() in sedda:
            continue
        sedda.add(adress.lower())
        innehall = render_to_string(
            mall, {**kontext, "mottagare": user, "site_url": settings.SITE_URL}
        ).strip()
        amne, _, text = innehall.partition("\n")
        rader.append(koa_utskick(adress, amne, text))
    return rader


def koa_utskick(adress, amne, text):
    """Write one message to the outbox in the current transaction and hand it to Celery
    after commit. Nothing is sent here: a request that queues a message answers as fast
    as one that does not (with a broker; without one, delivery runs in-process)."""
    rad = Utskick.objects.create(mottagare=adress, amne=amne.strip()[:200], text=text.strip())
    transaction.on_commit(lambda pk=rad.pk: _koa(pk))
    return rad


def _koa(pk):
    """Hand one outbox row to Celery; a broker failure leaves it for the periodic task."""
    from kvalitet.tasks import leverera

    try:
        leverera.delay(pk)
    except Exception:  # noqa: BLE001 - any broker error: the row stays pending
        log.warning("Kunde inte köa utskick %s; det levereras av den periodiska uppgiften.", pk)


def paminn_en_gang(arende, typ, mottagare, mall, kontext, *, frist=None):
    """Send a reminder of the case's current deadline (or of another deadline of the
    case, `frist`: IVO's answer date) unless one of this kind was sent for it."""
    from django.contrib.contenttypes.models import ContentType

    with transaction.atomic():
        _, ny = Paminnelse.objects.get_or_create(
            content_type=ContentType.objects.get_for_model(type(arende)),
            object_id=arende.pk,
            typ=typ,
            tidsfrist=frist or arende.tidsfrist,
        )
        if not ny:
            return []
        return notifiera(mottagare, mall, kontext)
