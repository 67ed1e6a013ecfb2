"""Background work of the reports app: rendering the kvalitetsberättelse PDF."""

import logging

from celery import shared_task
from django.utils.translation import gettext as _

from .choices import PdfStatus

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def skapa_pdf(berattelse_id: int, jobb: str):
    """Render and store the PDF for one request (`jobb`). The bytes are complete in
    memory before anything is stored, so a failure leaves no half-written file; it is
    recorded on the report for the browser to show."""
    from .dokument import rendera_pdf
    from .models import Kvalitetsberattelse

    berattelse = Kvalitetsberattelse.objects.filter(pk=berattelse_id, pdf_jobb=jobb).first()
    if berattelse is None:
        return  # superseded by a newer request, or the report is gone
    Kvalitetsberattelse.objects.filter(pk=berattelse_id, pdf_jobb=jobb).update(
        pdf_status=PdfStatus.PAGAR
    )
    try:
        innehall = rendera_pdf(berattelse)
    except Exception:
        logger.exception("PDF för kvalitetsberättelse %s misslyckades", berattelse_id)
        berattelse.pdf_misslyckades(
            jobb, _("PDF:en kunde inte skapas. Försök igen, eller kontakta administratören.")
        )
        return
    berattelse.spara_pdf(innehall, jobb)
