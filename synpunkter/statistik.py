"""Aggregate figures of synpunkter for a year (DOMAIN.md §5 ch. 4). Pure queries, done in
the database; no personal data leaves this module. A synpunkt counts in the year it
was received (`inkom`), in Swedish local time, up to an optional cut-off date; an answer
or a closing counts only if it happened by the cut-off."""

from datetime import date, timedelta

from kvalitet import statistik as s

from .choices import Avsandare, Kanal, Typ
from .models import Synpunkt


def urval(ar: int, *, till: date | None = None):
    """Synpunkter received in `ar` (local time), up to and including `till`."""
    fran, slut = s.period(ar, till)
    return Synpunkt.objects.filter(inkom__gte=fran, inkom__lt=slut)


def antal(ar, **kw):
    return urval(ar, **kw).count()


def per_typ(ar, **kw):
    return s.alla_varden(s.rakna(urval(ar, **kw), "typ"), dict(Typ.choices))


def per_kategori(ar, **kw):
    return s.rakna(urval(ar, **kw), "kategori__namn", tom="Ej kategoriserad")


def per_kanal(ar, **kw):
    return s.alla_varden(s.rakna(urval(ar, **kw), "kanal"), dict(Kanal.choices))


def per_avsandare(ar, **kw):
    return s.alla_varden(s.rakna(urval(ar, **kw), "avsandare"), dict(Avsandare.choices))


def per_enhet(ar, **kw):
    return s.rakna(urval(ar, **kw), "enhet__namn")


def per_avdelning(ar, **kw):
    return s.per_avdelning(urval(ar, **kw))


def svarstider(ar, *, frist_dagar=14, till=None):
    """Answered within `frist_dagar` calendar days of receipt (by the cut-off): count,
    share of the answered, and median days to answer."""
    qs = urval(ar, till=till)
    besvarade = qs.filter(besvarad__isnull=False)
    if till is not None:
        besvarade = besvarade.filter(besvarad__lt=s.slut_for(till))
    antal_besvarade = besvarade.count()
    # Calendar days in Swedish time, as the case's own deadline (`tidsfrist`) counts them.
    i_tid = (
        besvarade.annotate(svarsdagar=s.kalenderdagar("inkom", "besvarad"))
        .filter(svarsdagar__lte=timedelta(days=frist_dagar))
        .count()
    )
    return {
        "totalt": qs.count(),
        "besvarade": antal_besvarade,
        "i_tid": i_tid,
        "andel_i_tid": s.andel(i_tid, antal_besvarade),
        "median_dagar": s.median_dagar(besvarade, "inkom", "besvarad"),
    }


def utfall(ar, *, till=None):
    """Closed synpunkter where the service failed (brustit) and where one led to an
    improvement, as recorded at closing. A synpunkt received in `ar` (by the cut-off)
    counts as closed only if it was closed by the end of the cut-off day `till`
    (Swedish local time); one closed later is still open in the figures."""
    qs = urval(ar, till=till).filter(avslutad__isnull=False)
    if till is not None:
        qs = qs.filter(avslutad__lt=s.slut_for(till))
    return {
        "avslutade": qs.count(),
        "brustit": qs.filter(brustit=True).count(),
        "ledde_till_forbattring": qs.filter(ledde_till_forbattring=True).count(),
    }
