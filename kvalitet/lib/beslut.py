"""The references of a decision the nämnd (or the förvaltningschef) takes: the
diarienummer and the § of the minutes, cleaned the same way wherever a decision is
recorded (the kvalitetsberättelse, the risk register)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

DIARIENUMMER_MAX, PARAGRAF_MAX = 40, 10
_DIARIENUMMER = re.compile(r"[0-9A-Za-zÅÄÖÉÜåäöéü][0-9A-Za-zÅÄÖÉÜåäöéü ./:-]*")
_PARAGRAF = re.compile(r"§?\s*0*([1-9]\d{0,3})")


def rensa_diarienummer(varde) -> str:
    """The diarienummer as stored ("SN 2026/12"), or ValidationError."""
    varde = " ".join((varde or "").split())
    if not varde:
        raise ValidationError(gettext("Ange diarienumret."), code="required")
    if len(varde) > DIARIENUMMER_MAX or not _DIARIENUMMER.fullmatch(varde):
        raise ValidationError(
            gettext(
                "Ange diarienumret med bokstäver, siffror och tecknen / - . : "
                "(högst %(max)s tecken), t.ex. SN 2026/12."
            )
            % {"max": DIARIENUMMER_MAX},
            code="diarienummer",
        )
    return varde


def rensa_paragraf(varde) -> str:
    """The § of the nämnd's minutes as its number ("§ 14" and "14" → "14")."""
    varde = " ".join((varde or "").split())
    if not varde:
        raise ValidationError(gettext("Ange paragrafen (§) i nämndens protokoll."), code="required")
    traff = _PARAGRAF.fullmatch(varde)
    if not traff:
        raise ValidationError(
            gettext("Ange paragrafen som ett nummer, t.ex. § 14."), code="paragraf"
        )
    return traff[1]
