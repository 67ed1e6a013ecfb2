"""Background work of the reports app: rendering the kvalitetsberättelse PDF."""

import logging

from celery import shared_task
from django.utils.translation import gettext as _

from .choices import PDF_ARBETAR, PdfStatus

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def skapa_pdf(berattelse_id: int, jobb: str):
    """Render and store the PDF for one request (`jobb`). The bytes are complete in
    memory before anything is stored, and the storage writes whole files only, so a
    failure leaves no half-written file; it is recorded on the report for the browser
    to show.

    Idempotent: the message is acknowledged only when the task has finished
    (CELERY_TASK_ACKS_LATE), so a worker killed mid-render leaves it to the next worker,
    which renders again; a request already done (or failed, or superseded) is skipped."""
    from .dokument import rendera_pdf
    from .models import Kvalitetsberattelse

    if not Kvalitetsberattelse.objects.filter(
        pk=berattelse_id, pdf_jobb=jobb, pdf_status__in=PDF_ARBETAR
    ).update(pdf_status=PdfStatus.PAGAR):
        return  # done already, superseded by a newer request, or the report is gone
    berattelse = Kvalitetsberattelse.objects.get(pk=berattelse_id)
    try:
        innehall = rendera_pdf(berattelse)
    except Exception:
        logger.exception("PDF för kvalitetsberättelse %s misslyckades", berattelse_id)
        berattelse.pdf_misslyckades(
            jobb, _("PDF:en kunde inte skapas. Försök igen, eller kontakta administratören.")
        )
        return
    try:
        berattelse.spara_pdf(innehall, jobb)
    except OSError:
        logger.exception("PDF för kvalitetsberättelse %s kunde inte sparas", berattelse_id)
        berattelse.pdf_misslyckades(
            jobb,
            _(
                "PDF:en kunde inte sparas: lagringsutrymmet är fullt eller går inte att "
                "skriva till. Försök igen senare, och kontakta administratören om felet "
                "kvarstår."
            ),
        )
