"""Aggregate figures of synpunkter for a year (DOMAIN.md §5 ch. 4). Pure queries, done in
the database; no personal data leaves this module. A synpunkt counts in the year it
was received (`inkom`), in Swedish local time, up to an optional cut-off date."""

from datetime import date, datetime, time, timedelta

from django.db.models import Count, DurationField, ExpressionWrapper, F
from django.db.models.functions import TruncDate
from django.utils import timezone

from .choices import Avsandare, Kanal, Typ
from .models import Synpunkt


def _start(dag):
    return timezone.make_aware(datetime.combine(dag, time.min))


def urval(ar: int, *, till: date | None = None):
    """Synpunkter received in `ar` (local time), up to and including `till`."""
    slut = date(ar + 1, 1, 1)
    if till is not None:
        slut = min(slut, till + timedelta(days=1))
    return Synpunkt.objects.filter(inkom__gte=_start(date(ar, 1, 1)), inkom__lt=_start(slut))


def _per(qs, falt, etiketter=None):
    rader = qs.values(falt).annotate(antal=Count("pk")).order_by("-antal", falt)
    return [
        {
            "varde": r[falt],
            "namn": str((etiketter or {}).get(r[falt], r[falt] or "–")),
            "antal": r["antal"],
        }
        for r in rader
    ]


def per_typ(ar, **kw):
    return _per(urval(ar, **kw), "typ", dict(Typ.choices))


def per_kategori(ar, **kw):
    return _per(urval(ar, **kw), "kategori__namn")


def per_kanal(ar, **kw):
    return _per(urval(ar, **kw), "kanal", dict(Kanal.choices))


def per_avsandare(ar, **kw):
    return _per(urval(ar, **kw), "avsandare", dict(Avsandare.choices))


def per_enhet(ar, **kw):
    return _per(urval(ar, **kw), "enhet__namn")


def svarstider(ar, *, frist_dagar=14, **kw):
    """Answered within `frist_dagar` of receipt: count, share, and median days to answer."""
    qs = urval(ar, **kw)
    totalt = qs.count()
    besvarade = qs.filter(besvarad__isnull=False)
    antal_besvarade = besvarade.count()
    # Calendar days in Swedish time, as the case's own deadline (`tidsfrist`) counts them.
    tz = timezone.get_current_timezone()
    svarsdagar = ExpressionWrapper(
        TruncDate("besvarad", tzinfo=tz) - TruncDate("inkom", tzinfo=tz),
        output_field=DurationField(),
    )
    i_tid = (
        besvarade.annotate(svarsdagar=svarsdagar)
        .filter(svarsdagar__lte=timedelta(days=frist_dagar))
        .count()
    )
    tid = ExpressionWrapper(F("besvarad") - F("inkom"), output_field=DurationField())
    median = None
    if antal_besvarade:
        ordnade = besvarade.annotate(tid=tid).order_by("tid").values_list("tid", flat=True)
        mitt = antal_besvarade // 2
        varden = list(
            ordnade[mitt : mitt + 1] if antal_besvarade % 2 else ordnade[mitt - 1 : mitt + 1]
        )
        median = round(sum(v.total_seconds() for v in varden) / len(varden) / 86400, 1)
    return {
        "totalt": totalt,
        "besvarade": antal_besvarade,
        "i_tid": i_tid,
        "andel_i_tid": round(100 * i_tid / antal_besvarade, 1) if antal_besvarade else None,
        "median_dagar": median,
    }
