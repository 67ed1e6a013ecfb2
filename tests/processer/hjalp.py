"""Processes built for tests, the workflow tests' declaration (tests/test_arbetsfloden.py)
and the snapshot's parts (tests.stod.ogonblick)."""

from datetime import date
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from processer.choices import Processtyp, Riktning, Status
from processer.models import Nyckeltal, Nyckeltalsvarde, Process, Processhandelse
from tests.arendetyp import Flode
from tests.stod import ogonblicksdel


def process(enhet, *, namn="Myndighetsutövning", typ=Processtyp.KARNPROCESS, status=None, **falt):
    """A process of `enhet` in the map since 2024-01-01 (test setup: stored directly); a
    discontinued one (`status=Status.AVVECKLAD`) since yesterday."""
    status = status or Status.AKTIV
    avvecklad = status == Status.AVVECKLAD
    p = Process(
        enhet=enhet,
        namn=namn,
        typ=typ,
        syfte=falt.pop("syfte", "Att den enskilde får en rättssäker handläggning."),
        mal=falt.pop("mal", "Beslut i tid\nDen enskilde är delaktig"),
        inrattad=falt.pop("inrattad", date(2024, 1, 1)),
        status=status,
        avvecklad=timezone.localdate() if avvecklad else None,
        avvecklad_skal="Ingår i en annan process" if avvecklad else "",
        **falt,
    )
    p.save()
    return p


def nyckeltal(p, namn="Andel utredningar klara inom fyra månader", *, varden=None, **falt):
    """A key figure of process `p` with its values {year: (target, result or None)}."""
    n = Nyckeltal.objects.create(
        process=p,
        namn=namn,
        definition=falt.pop("definition", "Avslutade utredningar inom fyra månader."),
        matt=falt.pop("matt", "%"),
        riktning=falt.pop("riktning", Riktning.HOGRE),
        **falt,
    )
    for ar, (mal, utfall) in (varden or {}).items():
        Nyckeltalsvarde.objects.create(
            nyckeltal=n,
            ar=ar,
            malvarde=Decimal(str(mal)),
            utfall=None if utfall is None else Decimal(str(utfall)),
        )
    return n


@ogonblicksdel("processer.Process")
def ogonblick_processer():
    """What a request could change in the process map."""
    return {
        "processer": sorted(
            Process.objects.values_list(
                "pk",
                "status",
                "namn",
                "typ",
                "syfte",
                "mal",
                "enhet_id",
                "handlaggare_id",
                "processledare_id",
                "inrattad",
                "avvecklad",
                "avvecklad_skal",
            )
        ),
        "processhistorik": Process.history.count(),
    }


@ogonblicksdel("processer.Nyckeltal")
def ogonblick_nyckeltal():
    return {
        "nyckeltal": sorted(
            Nyckeltal.objects.values_list(
                "pk", "process_id", "namn", "definition", "matt", "riktning", "aktivt"
            )
        ),
        "nyckeltalshistorik": Nyckeltal.history.count(),
    }


@ogonblicksdel("processer.Nyckeltalsvarde")
def ogonblick_nyckeltalsvarden():
    return {
        "nyckeltalsvarden": sorted(
            Nyckeltalsvarde.objects.values_list(
                "pk", "nyckeltal_id", "ar", "malvarde", "utfall", "kommentar"
            )
        ),
        "nyckeltalsvardehistorik": Nyckeltalsvarde.history.count(),
    }


@ogonblicksdel("processer.Processhandelse")
def ogonblick_processhandelser():
    return {
        "processhandelser": sorted(
            Processhandelse.objects.values_list("pk", "process_id", "datum", "typ", "dokument")
        ),
    }


# --- The workflow tests' declaration (tests/test_arbetsfloden.py) ----------------------------


def _process_i_status(varld, status):
    """A process of Ekonomiskt bistånd owned by its medarbetare, with one key figure (the
    steps on a key figure need one)."""
    p = process(
        varld.org["EB"], namn="Ekonomiskt bistånd", status=status,
        handlaggare=varld.personas["medarbetare"],
    )  # fmt: skip
    nyckeltal(p, "Dagar till beslut", matt="dagar", riktning=Riktning.LAGRE)
    return p


def _nyckeltalet():
    return Nyckeltal.objects.get(namn="Dagar till beslut").pk


PROCESS = Flode(
    skapa=_process_i_status,
    url=lambda obj, t: reverse(f"processer:{t.name}", args=[obj.nummer]),
    persona="enhetschef",
    data={
        "andra": lambda v: {
            "namn": "Ekonomiskt bistånd till hushåll",
            "typ": Processtyp.KARNPROCESS,
            "syfte": "Att hushåll får sin ansökan prövad snabbt.",
            "mal": "Beslut inom tio dagar",
            "handlaggare": v.personas["medarbetare"].pk,
            "processledare": "",
            "inrattad": "2024-01-01",
        },
        "nytt_nyckeltal": lambda v: {
            "namn": "Andel beslut inom tio dagar",
            "definition": "Beslut inom tio dagar från komplett ansökan, delat med alla beslut.",
            "matt": "%",
            "riktning": Riktning.HOGRE,
        },
        "andra_nyckeltal": lambda v: {
            "nyckeltal": _nyckeltalet(),
            "namn": "Dagar från ansökan till beslut",
            "definition": "Medianen av kalenderdagar.",
            "matt": "dagar",
            "riktning": Riktning.LAGRE,
            "aktivt": "ja",
        },
        "registrera_varde": lambda v: {
            "nyckeltal": _nyckeltalet(),
            "ar": timezone.localdate().year - 1,
            "malvarde": "10",
            "utfall": "12",
            "kommentar": "",
        },
        "registrera_handelse": lambda v: {
            "datum": timezone.localdate().isoformat(),
            "typ": "reviderad",
            "dokument": "Rutin för ekonomiskt bistånd",
            "beskrivning": "",
        },
        "avveckla": lambda v: {
            "datum": timezone.localdate().isoformat(),
            "kommentar": "Processen ingår i Myndighetsutövning.",
        },
    },
)
