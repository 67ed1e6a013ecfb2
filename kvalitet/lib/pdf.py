"""Documents as tagged PDF: HTML rendered by WeasyPrint to PDF/A-2a, declared PDF/UA-1,
with the project's own fonts embedded (static/fonts), fetching nothing but the
project's static files.

Shared by the kvalitetsberättelse (`rapporter.dokument`) and the case types' documents
(the lex Sarah investigation and tjänsteskrivelse)."""

import mimetypes
import posixpath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Relative URLs in a PDF's HTML resolve against this address, which is never fetched
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


def rendera(html: str) -> bytes:
    """`html` (a complete document with `<html lang>`, a title, relative links to the
    static files) as tagged PDF (PDF/A-2a, declared PDF/UA-1), fonts embedded."""
    dokument = HTML(string=html, base_url=BAS_URL, url_fetcher=StatiskaFiler()).render()
    dokument.metadata.xmp_metadata.append(PDFUA_XMP)
    return dokument.write_pdf(pdf_variant=PDF_VARIANT)
