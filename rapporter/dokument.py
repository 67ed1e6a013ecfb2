"""The kvalitetsberättelse as a document: one context, one HTML template, two outputs.

The browser preview and the PDF render the same template (`rapporter/dokument.html`)
from the same context, so their content is identical; only the page furniture differs
(the PDF adds page numbers, running header and footer).
"""

from datetime import date

from django.conf import settings
from django.template.loader import render_to_string

from kvalitet.lib import pdf
from kvalitet.lib.pdf import BAS_URL, PDF_VARIANT, PDFUA_XMP, StatiskaFiler

from .siffror import berakna
from .text import till_html

# The generic PDF machinery lives in `kvalitet.lib.pdf`; its names stay importable here.
__all__ = [
    "BAS_URL",
    "PDFUA_XMP",
    "PDF_VARIANT",
    "StatiskaFiler",
    "html_for_pdf",
    "kontext",
    "rendera_pdf",
]


def kontext(berattelse, *, siffror=None):
    """Everything the document template needs. A decided report uses its frozen figures;
    a draft computes them from the records now."""
    from django.utils import timezone

    if siffror is None:
        siffror = berattelse.siffror or berakna(berattelse.ar, berattelse.brytdatum)
    texter = {t.kapitel: t.text for t in berattelse.texter.all()} if berattelse.pk else {}
    kapitel = []
    for nummer, k in enumerate(berattelse.kapitel(texter), start=1):
        text = texter.get(k.slug)
        if text is None:
            text = k.standardtext(berattelse.ar, settings.KOMMUN_NAMN)
        kapitel.append(
            {
                "nummer": nummer,
                "slug": k.slug,
                "titel": k.titel,
                "text": till_html(text),
                "mall": k.mall,
                "siffror": siffror["kapitel"].get(k.slug),
            }
        )
    return {
        "berattelse": berattelse,
        "kapitel": kapitel,
        "siffror": siffror,
        "brytdatum": date.fromisoformat(siffror["brytdatum"]),
        "kommun": settings.KOMMUN_NAMN,
        "namnd": settings.NAMND_NAMN,
        "logga": settings.KOMMUN_LOGGA,
        "skapad": timezone.localtime(),
    }


def html_for_pdf(berattelse, *, siffror=None) -> str:
    return render_to_string("rapporter/pdf.html", kontext(berattelse, siffror=siffror))


def rendera_pdf(berattelse, *, siffror=None) -> bytes:
    """The report as tagged PDF (PDF/A-2a, declared PDF/UA-1), fonts embedded."""
    return pdf.rendera(html_for_pdf(berattelse, siffror=siffror))
