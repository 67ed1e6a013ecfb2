"""Risks built for tests: a risk with a hand-built assessment history, straight into the
register (as an import would) or as a proposal."""

from datetime import date

from django.urls import reverse
from django.utils import timezone

from riskregister.choices import Kalla, Kategori, Status
from riskregister.models import Bedomning, Registerversion, Risk, Riskanalys
from tests.arendetyp import Flode
from tests.stod import ogonblicksdel


def risk(enhet, *bedomningar, titel="Risk", aktiv_fran=None, borttagen=None, status=None, **falt):
    """A risk of `enhet` with assessments `(date, sannolikhet, konsekvens)` in the order
    given; in the register from `aktiv_fran` (default: the first assessment's date)
    unless it is a proposal (`status=Status.FORESLAGEN`)."""
    bedomningar = bedomningar or ((date(2025, 1, 10), 2, 2),)
    forsta, *_ = bedomningar
    senaste = max(bedomningar, key=lambda b: b[0])
    status = status or (Status.BORTTAGEN if borttagen else Status.AKTIV)
    r = Risk(
        enhet=enhet,
        titel=titel,
        beskrivning=falt.pop("beskrivning", "Vad kan hända."),
        kalla=falt.pop("kalla", Kalla.ARLIG),
        kategori=falt.pop("kategori", Kategori.RATTSSAKERHET),
        sannolikhet=senaste[1],
        konsekvens=senaste[2],
        identifierad=forsta[0],
        status=status,
        aktiv_fran=None if status == Status.FORESLAGEN else (aktiv_fran or forsta[0]),
        borttagen=borttagen,
        borttagen_skal="Ingen risk längre" if borttagen else "",
        **falt,
    )
    r.save()
    for dag, s, k in bedomningar:
        Bedomning.objects.create(risk=r, datum=dag, sannolikhet=s, konsekvens=k)
    return r


@ogonblicksdel("riskregister.Risk")
def ogonblick_risker():
    """What a request could change in the risk register (tests.stod.ogonblick)."""
    return {
        "risker": sorted(
            Risk.objects.values_list(
                "pk",
                "status",
                "titel",
                "beskrivning",
                "sannolikhet",
                "konsekvens",
                "strategi",
                "handlaggare_id",
                "nasta_oversyn",
                "aktiv_fran",
                "borttagen",
                "borttagen_skal",
            )
        ),
        "riskhistorik": Risk.history.count(),
        "bedomningar": Bedomning.objects.count(),
    }


@ogonblicksdel("riskregister.Riskanalys")
def ogonblick_riskanalyser():
    return {
        "riskanalyser": sorted(
            Riskanalys.objects.values_list(
                "pk",
                "status",
                "deltagare",
                "anteckningar",
                "konsekvensbeskrivning",
                "skickad_till_namnd",
            )
        ),
        "riskanalyshistorik": Riskanalys.history.count(),
    }


@ogonblicksdel("riskregister.Registerversion")
def ogonblick_registerversioner():
    return {
        "registerversioner": sorted(
            Registerversion.objects.values_list(
                "pk",
                "version",
                "status",
                "sammanfattning",
                "sammantradesdatum",
                "paragraf",
                "diarienummer",
                "pdf",
            )
        ),
    }


# --- Added for the riskregister tests ------------------------------------------------------


def analys(enhet, *, av=None, dag=None, status=None, **falt):
    """A riskanalys of `enhet` held `dag` (default today), pågår unless `status`."""
    from django.utils import timezone

    from riskregister.choices import Analysstatus

    return Riskanalys.objects.create(
        enhet=enhet,
        datum=dag or timezone.localdate(),
        utlosande=falt.pop("utlosande", Kalla.ARLIG),
        deltagare=falt.pop("deltagare", "Enhetschef – Anna Berg"),
        status=status or Analysstatus.PAGAR,
        skapad_av=av,
        handlaggare=av,
        **falt,
    )


def beslutad_version(version, dag, *, av=None, status=None):
    """A decided version stored directly (test setup): its content is the register on
    `dag` as `register.innehall` gives it."""
    from riskregister import register
    from riskregister.choices import Versionsstatus

    v = Registerversion.objects.create(
        version=version,
        status=Versionsstatus.UTKAST,
        skapad_av=av,
    )
    v.status = status or Versionsstatus.FASTSTALLD
    v.sammantradesdatum = dag
    v.paragraf = str(version)  # as FaststallForm stores it (shown "§ 1")
    v.diarienummer = f"SN {dag.year}/{version}"
    v.innehall = register.innehall(dag, version=v)
    v.save()
    return v


# --- The workflow tests' declarations (tests/test_arbetsfloden.py) --------------------------


def _risk_i_status(varld, status):
    return risk(
        varld.org["EB"],
        titel="Orosanmälan bedöms sent",
        status=status,
        borttagen=timezone.localdate() if status == Status.BORTTAGEN else None,
    )


def _analys_i_status(varld, status):
    analys = Riskanalys.objects.create(
        enhet=varld.org["EB"],
        datum=timezone.localdate(),
        utlosande=Kalla.ARLIG,
        deltagare="Enhetschef – Persson",
        konsekvensbeskrivning="Två risker kräver mer bemanning nästa år.",
        status=status,
        handlaggare=varld.personas["enhetschef"],
    )
    ny = risk(varld.org["EB"], titel="Ny i analysen", status=Status.FORESLAGEN)
    Risk.objects.filter(pk=ny.pk).update(riskanalys=analys)
    return analys


def _version_i_status(varld, status):
    from riskregister.choices import Versionsstatus

    beslutad = status != Versionsstatus.UTKAST
    return Registerversion.objects.create(
        version=1,
        status=status,
        sammantradesdatum=timezone.localdate() if beslutad else None,
        paragraf="12" if beslutad else "",
        diarienummer="SN 2026/1" if beslutad else "",
        innehall={"risker": []} if beslutad else None,
    )


RISK = Flode(
    skapa=_risk_i_status,
    url=lambda obj, t: reverse(f"riskregister:{t.name}", args=[obj.nummer]),
    persona="enhetschef",
    data={
        "bedom": lambda v: {
            "datum": timezone.localdate().isoformat(),
            "sannolikhet": 3,
            "konsekvens": 4,
            "kommentar": "Efter lex Sarah-utredningen",
        },
        "andra": lambda v: {
            "titel": "Orosanmälan bedöms inte inom 14 dagar",
            "beskrivning": "Barn kan bli utan skydd.",
            "kategori": Kategori.RATTSSAKERHET,
            "kalla": Kalla.ARLIG,
            "strategi": "reducera",
        },
        "ta_bort": lambda v: {"kommentar": "Rutinen är införd och följs."},
    },
)

RISKANALYS = Flode(
    skapa=_analys_i_status,
    url=lambda obj, t: reverse(f"riskregister:riskanalys:{t.name}", args=[obj.nummer]),
    persona="enhetschef",
    data={
        "andra": lambda v: {
            "deltagare": "Enhetschef – Persson\nSocialsekreterare – två",
            "anteckningar": "Vi gick igenom stödfrågorna.",
            "konsekvensbeskrivning": "Mer bemanning i mottagningen.",
        },
        "skickad": lambda v: {"datum": timezone.localdate().isoformat()},
    },
)

REGISTERVERSION = Flode(
    skapa=_version_i_status,
    url=lambda obj, t: reverse(f"riskregister:version_{t.name}", args=[obj.version]),
    persona="kvalitetssamordnare",
    data={
        "skriv_sammanfattning": lambda v: {"sammanfattning": "Tre nya risker föreslås."},
        "faststall": lambda v: {
            "sammantradesdatum": timezone.localdate().isoformat(),
            "paragraf": "§ 14",
            "diarienummer": "SN 2026/112",
        },
    },
)
