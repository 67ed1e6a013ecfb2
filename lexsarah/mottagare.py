"""The lex Sarah part's receivers of the core's signals (kvalitet.signaler)."""

import logging

from .choices import Vag

logger = logging.getLogger(__name__)


def oppna_lex_sarah(sender, avvikelse_id, av, andrat=False, **kwargs):
    """A case was judged a lex Sarah matter: open its lex Sarah case, once (a second
    signal finds the first case); a changed position (`andrat`) is noted in the case
    already open. Runs after the judgement's commit; should it fail, the judgement stands
    and the förvaltningschef opens the case by hand from its page."""
    from django.utils.translation import gettext

    from kvalitet.models import TimelineEntry

    from .models import LexSarah

    kalla = sender._default_manager.filter(pk=avvikelse_id).select_related("enhet").first()
    if kalla is None:
        return None
    try:
        befintligt = LexSarah.objects.filter(
            kalla_typ=kalla.content_type, kalla_id=kalla.pk
        ).first()
        if befintligt is None:
            return LexSarah.fran_arende(kalla, av=av, vag=Vag.AVVIKELSE)
        if andrat:
            befintligt.log(
                TimelineEntry.Typ.BESLUT,
                av=av,
                text=gettext("Förvaltningschefens ställningstagande om %(nummer)s ändrat: %(s)s")
                % {"nummer": kalla.nummer, "s": getattr(kalla, "lex_sarah_stallning", "")},
            )
        return befintligt
    except Exception:
        logger.exception("Kunde inte öppna lex Sarah-ärendet för %s", kalla)
        return None


def oppnat_fran(sender, arende_id, **kwargs):
    """The number of the lex Sarah case opened from the case (its `kalla`), or None."""
    from django.contrib.contenttypes.models import ContentType

    from .models import LexSarah

    ct = ContentType.objects.get_for_model(sender)
    return (
        LexSarah.objects.filter(kalla_typ=ct, kalla_id=arende_id)
        .values_list("nummer", flat=True)
        .first()
    )
