"""Aggregate figures of synpunkter for a year (docs/siffror.md). Pure queries, done in
the database; no personal data leaves this module. A synpunkt counts in the year it
was received (`inkom`), in Swedish local time, up to an optional cut-off date; an answer
or a closing counts only if it happened by the cut-off."""

from datetime import timedelta

from kvalitet import statistik as s

from .choices import Kanal
from .models import Synpunkt

ARENDEN = s.Arendestatistik(Synpunkt)
urval = ARENDEN.urval
antal = ARENDEN.antal
per_avdelning = ARENDEN.per_avdelning
TYPER = ARENDEN.koder("typ")
KANALER = ARENDEN.koder("kanal")
VIA_IVO = Kanal.VIA_IVO.value


def per_typ(ar, **kw):
    return ARENDEN.per_kod(ar, "typ", **kw)


def per_kanal(ar, **kw):
    return ARENDEN.per_kod(ar, "kanal", **kw)


def per_avsandare(ar, **kw):
    return ARENDEN.per_kod(ar, "avsandare", **kw)


def per_kategori(ar, **kw):
    return ARENDEN.per_namn(ar, "kategori__namn", tom="Ej kategoriserad", **kw)


def per_enhet(ar, **kw):
    return ARENDEN.per_namn(ar, "enhet__namn", **kw)


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
