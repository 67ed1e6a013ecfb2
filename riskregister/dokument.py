"""The register as a PDF for the nämnd: the matrix, the risks from the threshold up
with their strategy and actions, the changes since the last decided version, every
risk in a table; a draft marked as such on every page. Rendered from a version's
content (`register.version_innehall`), so a decided version's PDF shows what was
decided, in the scale it was decided in."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from kvalitet.lib import pdf

from .register import version_innehall, version_matris
from .skala import Skala


def kontext(version, innehall=None) -> dict:
    innehall = innehall or version_innehall(version)
    s = Skala.fran_data(innehall["skala"])
    # Copies: a decided version's stored content is never changed by reading it.
    risker = [
        {
            **r,
            "niva": s.niva(r["varde"]),
            "sannolikhet_text": s.sannolikhet_text(r["sannolikhet"]),
            "konsekvens_text": s.konsekvens_text(r["konsekvens"]),
        }
        for r in innehall["risker"]
    ]
    return {
        "version": version,
        "innehall": innehall,
        "risker": [r for r in risker if not r["foreslagen"]],
        "foreslagna": [r for r in risker if r["foreslagen"]],
        "ovanfor": [r for r in risker if r["varde"] >= s.namnd_fran and not r["foreslagen"]],
        "matris": version_matris(innehall),
        "skala": s,
        "utkast": not version.ar_beslutad,
        "kommun": settings.KOMMUN_NAMN,
        "namnd": settings.NAMND_NAMN,
        "logga": settings.KOMMUN_LOGGA,
        "skapad": timezone.now(),
    }


def html(version) -> str:
    return render_to_string("riskregister/pdf.html", kontext(version))


def rendera_version(version) -> bytes:
    """The version as tagged PDF (PDF/A-2a, declared PDF/UA-1), fonts embedded."""
    return pdf.rendera(html(version))
