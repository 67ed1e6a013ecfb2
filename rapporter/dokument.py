"""The kvalitetsberättelse as a document: one context, one HTML template, two outputs.

The browser preview and the PDF render the same template (`rapporter/dokument.html`)
from the same context, so their content is identical; only the page furniture differs
(the PDF adds page numbers, running header and footer).
"""

import mimetypes
import posixpath
from datetime import date
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .kapitel import KAPITEL
from .siffror import berakna
from .text import till_html

# Relative URLs in the PDF's HTML resolve against this address, which is never fetched
# over the network: the fetcher below serves it from the static files.
BAS_URL = "https://kvalitet.invalid/"

# Declares PDF/UA-1 in the XMP metadata next to WeasyPrint's PDF/A-2a identification:
# the document is tagged (PDF/A level "a" requires the tags), has a language and title.
PDFUA_XMP = (
    b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" '
    b'pdfuaid:part="1"/></rdf:RDF>'
)
PDF_VARIANT = "pdf/a-2a"


def kontext(berattelse, *, siffror=None):
    """Everything the document template needs. A decided report uses its frozen figures;
    a draft computes them from the records now."""
    from django.utils import timezone

    if siffror is None:
        siffror = berattelse.siffror or berakna(berattelse.ar, berattelse.brytdatum)
    texter = {t.kapitel: t.text for t in berattelse.texter.all()} if berattelse.pk else {}
    kapitel = []
    for nummer, k in enumerate(KAPITEL, start=1):
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


class StatiskaFiler(URLFetcher):
    """Serves only the project's own static files; any other address is refused, so
    rendering never touches the network or the file system outside static."""

    def fetch(self, url, headers=None):
        delar = urlsplit(url)
        prefix = urlsplit(BAS_URL + settings.STATIC_URL.lstrip("/"))
        if (delar.scheme, delar.netloc) != (prefix.scheme, prefix.netloc) or not (
            delar.path.startswith(prefix.path)
        ):
            raise ValueError(f"Hämtning utanför projektets statiska filer nekas: {url}")
        namn = posixpath.normpath(unquote(delar.path[len(prefix.path) :]))
        if namn.startswith(("..", "/")) or namn == ".":
            raise ValueError(f"Ogiltig sökväg: {url}")
        sokvag = finders.find(namn)
        if sokvag is None and staticfiles_storage.exists(namn):
            sokvag = staticfiles_storage.path(namn)
        if sokvag is None:
            raise ValueError(f"Statisk fil saknas: {namn}")
        with open(sokvag, "rb") as fil:
            innehall = fil.read()
        typ = mimetypes.guess_type(namn)[0] or "application/octet-stream"
        return URLFetcherResponse(url, innehall, headers={"Content-Type": typ})


def html_for_pdf(berattelse, *, siffror=None) -> str:
    return render_to_string("rapporter/pdf.html", kontext(berattelse, siffror=siffror))


def rendera_pdf(berattelse, *, siffror=None) -> bytes:
    """The report as tagged PDF (PDF/A-2a, declared PDF/UA-1), fonts embedded."""
    dokument = HTML(
        string=html_for_pdf(berattelse, siffror=siffror),
        base_url=BAS_URL,
        url_fetcher=StatiskaFiler(),
    ).render()
    dokument.metadata.xmp_metadata.append(PDFUA_XMP)
    return dokument.write_pdf(pdf_variant=PDF_VARIANT)
