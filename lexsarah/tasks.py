"""Background and periodic tasks of lex Sarah: the decided documents, and reminders of
steps past their target date."""

from celery import shared_task
from django.db.models import Exists, OuterRef
from django.utils import timezone

from kvalitet import behorighet
from kvalitet.models import Roll
from kvalitet.notifieringar import paminn_en_gang

from .choices import OPPNA, Status
from .models import Dokument, LexSarah

FORSENAD = "lexsarah_forsenad"


def mottagare(ls):
    """Who is reminded of an overdue step: the utredare while they still are one, the
    unit's chefs and the förvaltningschef – the flow's decisions are theirs."""
    personer = behorighet.ansvariga_chefer(ls.enhet) + behorighet.ansvariga_chefer(
        ls.enhet, roll=(Roll.AVDELNINGSCHEF,), reserv=()
    )
    if ls.handlaggare is not None and behorighet.ar_handlaggare(ls.handlaggare, ls):
        personer.append(ls.handlaggare)
    personer += list(behorighet.aktiva_anvandare((Roll.FORVALTNINGSCHEF,), ls.enhet.forfader_ids()))
    return list(dict.fromkeys(personer))


@shared_task(ignore_result=True)
def paminn(idag=None):
    """Daily: for every open case whose earliest pending step is past its target date,
    remind those responsible once per target date (the case's `tidsfrist`)."""
    idag = idag or timezone.localdate()
    skickade = 0
    forsenade = LexSarah.objects.filter(status__in=OPPNA, tidsfrist__lt=idag).select_related(
        "enhet", "handlaggare"
    )
    for ls in forsenade:
        frist = next((f for f in ls.forsenade() if f.datum == ls.tidsfrist), None)
        if frist is None:
            continue
        skickade += len(
            paminn_en_gang(
                ls,
                FORSENAD,
                mottagare(ls),
                "lexsarah/mejl/paminnelse.txt",
                {"arende": ls, "frist": frist},
            )
        )
    return skickade


def _utan_dokument():
    """Decided cases (also imported ones) whose documents are not stored yet."""
    return LexSarah.objects.filter(
        status__in=[Status.BESLUTAD, Status.AVSLUTAD], beslutad__isnull=False
    ).exclude(Exists(Dokument.objects.filter(arende=OuterRef("pk"))))


@shared_task(ignore_result=True)
def frys_dokument(pk):
    """Store the decided investigation and tjänsteskrivelse of a case, once."""
    from .dokument import frys

    ls = _utan_dokument().filter(pk=pk).select_related("enhet", "handlaggare").first()
    if ls is not None:
        frys(ls)


@shared_task(ignore_result=True)
def frys_saknade(antal=20):
    """Periodically: store the documents of decided cases that have none – a decision
    whose background task was lost, or a case imported as decided – so the nämnd's page
    always holds every decided case. A few at a time; the next run takes the rest."""
    pks = list(_utan_dokument().order_by("beslutad", "pk").values_list("pk", flat=True)[:antal])
    for pk in pks:
        frys_dokument(pk)
    return len(pks)
