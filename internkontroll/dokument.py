"""The internkontrollplan and the internkontrollredovisning as PDFs for the nämnd,
rendered from a version's content: a draft's as it stands, a decided version's frozen
`innehall`, so a decided PDF shows what was decided."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from kvalitet.lib import pdf

from .choices import FARG


def planens_innehall(plan) -> dict:
    """The plan's rows as plain JSON data (frozen at the decision)."""
    return {
        "ar": plan.ar,
        "version": plan.version,
        "kontroller": [
            {
                "kod": k.kod,
                "central": k.central,
                "process": k.process,
                "risk": {
                    "nummer": k.risk.nummer,
                    "titel": k.risk.titel,
                    "varde": k.risk.riskvarde,
                }
                if k.risk
                else None,
                "kontrollmoment": k.kontrollmoment,
                "metod": str(k.get_metod_display()),
                "omfattning": k.omfattning,
                "periodicitet": str(k.get_periodicitet_display()),
                "utforare": k.utforare_enhet.namn if k.utforare_enhet else "",
                "uppfoljare": k.uppfoljare,
                "rapporteras_till": k.rapporteras_till,
                "rapporteras_nar": k.rapporteras_nar,
            }
            for k in plan.kontroller.select_related("risk", "utforare_enhet")
        ],
    }


def plan_innehall(plan) -> dict:
    return plan.innehall if plan.ar_beslutad else planens_innehall(plan)


def redovisning_innehall(red) -> dict:
    from .redovisning import innehall

    return red.innehall if red.ar_beslutad else innehall(red.ar)


def _gemensamt(handling) -> dict:
    return {
        "handling": handling,
        "titel": f"{handling._meta.verbose_name.capitalize()} {handling.ar}",
        "utkast": not handling.ar_beslutad,
        "kommun": settings.KOMMUN_NAMN,
        "namnd": settings.NAMND_NAMN,
        "logga": settings.KOMMUN_LOGGA,
        "skapad": timezone.now(),
        "farger": FARG,
    }


def rendera_plan(plan) -> bytes:
    html = render_to_string(
        "internkontroll/pdf_plan.html", {**_gemensamt(plan), "innehall": plan_innehall(plan)}
    )
    return pdf.rendera(html)


def rendera_redovisning(red) -> bytes:
    html = render_to_string(
        "internkontroll/pdf_redovisning.html",
        {**_gemensamt(red), "innehall": redovisning_innehall(red)},
    )
    return pdf.rendera(html)
