"""Support for the tests of IVO's tillsyn: the case type's declaration for the shared
tests (tests/arendetyp.py) and its part of the database snapshot."""

from datetime import timedelta

from django.utils import timezone

from tests.arendetyp import Arendeflode
from tests.stod import ogonblicksdel
from tillsyn.models import Tillsyn

REGISTRERAR = {"EB": "enhetschef", "KOLL": "enhetschef_annan"}


def skapa(varld, status=None, enhet="EB"):
    """A tillsyn of the unit, decided with requirements that the förvaltning has already
    answered (so it can be closed), in the status (test setup; bypasses the workflow)."""
    av = varld.personas[REGISTRERAR.get(enhet, "enhetschef")]
    idag = timezone.localdate()
    t = Tillsyn.objects.create(
        enhet=varld.org[enhet],
        registrerad_av=av,
        skapad_av=av,
        typ="planerad",
        ivo_diarienummer="3.5.1-1/2026",
        inleddes=idag - timedelta(days=60),
        omfattning="Genomförandeplaner och journalföring på HVB.",
        svar_senast=idag + timedelta(days=10),
    )
    if status is not None:
        falt = {"status": status}
        if status in ("beslutad", "avslutad"):
            falt.update(
                beslut=idag - timedelta(days=20),
                utfall="krav",
                beslut_text="Krav på genomförandeplaner.",
                aterrapport_senast=idag + timedelta(days=30),
                svar=[{"datum": (idag - timedelta(days=5)).isoformat(), "text": "Redovisat."}],
            )
        if status == "avslutad":
            falt["avslutad"] = timezone.now()
        Tillsyn.objects.filter(pk=t.pk).update(**falt)
        t.refresh_from_db()
    return t


TILLSYN = Arendeflode(
    modell=Tillsyn,
    skapa=skapa,
    persona="enhetschef",
    vantar="pagar",
    data={
        "registrera_krav": lambda v: {
            "krav": "IVO begär in rutinen för nattbemanning.",
            "svar_senast": (timezone.localdate() + timedelta(days=20)).isoformat(),
        },
        "svara": lambda v: {
            "datum": timezone.localdate().isoformat(),
            "text": "Rutinen skickad.",
        },
        "registrera_beslut": lambda v: {
            "beslut": timezone.localdate().isoformat(),
            "utfall": "avslutat_utan_kritik",
            "beslut_text": "IVO avslutar ärendet utan kritik.",
        },
        "ateroppna": lambda v: {"kommentar": "IVO har begärt en ny redovisning."},
        "tilldela": lambda v: {"handlaggare": v.personas["utredare"].pk},
    },
)


@ogonblicksdel("tillsyn.Tillsyn")
def ogonblick_tillsyn():
    return {
        "tillsyn": sorted(
            Tillsyn.objects.values_list(
                "pk",
                "status",
                "krav",
                "svar_senast",
                "beslut",
                "utfall",
                "handlaggare_id",
                "avslutad",
            )
        ),
        "tillsynhistorik": Tillsyn.history.count(),
    }
