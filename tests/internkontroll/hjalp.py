"""Internkontroll records built for tests, the workflow tests' declarations
(tests/test_arbetsfloden.py) and the snapshot's parts (tests.stod.ogonblick)."""

from datetime import date

from django.urls import reverse
from django.utils import timezone

from internkontroll.choices import Bedomning, Tillfallestatus
from internkontroll.models import (
    Internkontrollplan,
    Internkontrollredovisning,
    Kontroll,
    Kontrolltillfalle,
)
from kvalitet.models import Beslutsstatus
from tests.arendetyp import Flode
from tests.stod import ogonblicksdel

# --- The plan side -----------------------------------------------------------------------


def plan(ar=2026, *, status=Beslutsstatus.UTKAST, version=1, dag=None, **falt):
    """A plan of `ar` in `status` (test setup: a decided one gets its references)."""
    beslutad = status != Beslutsstatus.UTKAST
    return Internkontrollplan.objects.create(
        ar=ar,
        version=version,
        status=status,
        sammantradesdatum=(dag or date(ar - 1, 11, 20)) if beslutad else None,
        paragraf="12" if beslutad else "",
        diarienummer="SN 2025/1" if beslutad else "",
        innehall={"ar": ar, "version": version, "kontroller": []} if beslutad else None,
        **falt,
    )


def kontroll(p, enhet, *, kod="SN 1", periodicitet="tertialvis", **falt):
    """A complete control of plan `p` performed by `enhet`."""
    return Kontroll.objects.create(
        plan=p,
        kod=kod,
        process=falt.pop("process", "Ekonomiskt bistånd"),
        kontrollmoment=falt.pop("kontrollmoment", "Att rätt belopp betalas ut"),
        metod=falt.pop("metod", "stickprov"),
        periodicitet=periodicitet,
        utforare_enhet=enhet,
        **falt,
    )


def tillfalle(k, nummer=1, *, status=Tillfallestatus.VANTAR, forfaller=None, **falt):
    """An occasion of control `k` (test setup, bypassing the decision)."""
    forfaller = forfaller or date(k.plan.ar, 4, 30)
    klar = status == Tillfallestatus.KLAR
    t = Kontrolltillfalle(
        kontroll=k,
        enhet=k.utforare_enhet,
        handlaggare=k.utforare,
        ordningsnummer=nummer,
        period_fran=date(k.plan.ar, 1, 1),
        period_till=forfaller,
        forfaller=forfaller,
        status=status,
        kontrollerad=falt.pop("kontrollerad", date(k.plan.ar, 4, 20)) if klar else None,
        vad=falt.pop("vad", "20 utbetalningar") if klar else "",
        antal=falt.pop("antal", 20) if klar else None,
        avvikelser=falt.pop("avvikelser", 0) if klar else None,
        bedomning=falt.pop("bedomning", Bedomning.UTAN_ANMARKNING) if klar else "",
        **falt,
    )
    t.save()
    return t


def _plan_i_status(varld, status):
    p = plan(status=status)
    kontroll(p, varld.org["EB"])
    return p


def _redovisning_i_status(varld, status):
    plan(status=Beslutsstatus.FASTSTALLD)
    beslutad = status != Beslutsstatus.UTKAST
    return Internkontrollredovisning.objects.create(
        ar=2026,
        status=status,
        sammantradesdatum=date(2026, 2, 19) if beslutad else None,
        paragraf="7" if beslutad else "",
        diarienummer="SN 2026/3" if beslutad else "",
        innehall={"ar": 2026, "kontroller": []} if beslutad else None,
    )


def _tillfalle_i_status(varld, status):
    p = plan(status=Beslutsstatus.FASTSTALLD)
    return tillfalle(kontroll(p, varld.org["EB"]), status=status)


def _beslut(v):
    return {
        "sammantradesdatum": timezone.localdate().isoformat(),
        "paragraf": "§ 14",
        "diarienummer": "SN 2026/112",
    }


PLAN = Flode(
    skapa=_plan_i_status,
    url=lambda obj, t: reverse(f"internkontroll:plan_{t.name}", args=[obj.pk]),
    persona="kvalitetssamordnare",
    data={
        "skriv_sammanfattning": lambda v: {"sammanfattning": "Två nya kontroller."},
        "faststall": _beslut,
    },
)

REDOVISNING = Flode(
    skapa=_redovisning_i_status,
    url=lambda obj, t: reverse(f"internkontroll:redovisning_{t.name}", args=[obj.pk]),
    persona="kvalitetssamordnare",
    data={
        "skriv_sammanfattning": lambda v: {"sammanfattning": "Inga väsentliga brister."},
        "faststall": _beslut,
    },
)

TILLFALLE = Flode(
    skapa=_tillfalle_i_status,
    url=lambda obj, t: reverse(f"internkontroll:{t.name}", args=[obj.nummer]),
    persona="enhetschef",
    data={
        "registrera": lambda v: {
            "kontrollerad": timezone.localdate().isoformat(),
            "vad": "20 slumpvis valda utbetalningar",
            "antal": 20,
            "avvikelser": 1,
            "bedomning": "mindre_brister",
            "kommentar": "En utbetalning saknade beslut.",
        },
        "andra": lambda v: {
            "kontrollerad": timezone.localdate().isoformat(),
            "vad": "20 slumpvis valda utbetalningar",
            "antal": 20,
            "avvikelser": 2,
            "bedomning": "vasentliga_brister",
            "kommentar": "Två utbetalningar saknade beslut.",
        },
    },
)


@ogonblicksdel("internkontroll.Internkontrollplan")
def ogonblick_planer():
    return {
        "ikplaner": sorted(
            Internkontrollplan.objects.values_list(
                "pk", "ar", "version", "status", "sammanfattning", "sammantradesdatum", "pdf"
            )
        ),
        "ikkontroller": sorted(
            Kontroll.objects.values_list(
                "pk",
                "plan_id",
                "kod",
                "process",
                "kontrollmoment",
                "metod",
                "periodicitet",
                "utforare_enhet_id",
                "utforare_id",
                "risk_id",
            )
        ),
    }


@ogonblicksdel("internkontroll.Internkontrollredovisning")
def ogonblick_redovisningar():
    return {
        "ikredovisningar": sorted(
            Internkontrollredovisning.objects.values_list(
                "pk", "ar", "version", "status", "sammanfattning", "sammantradesdatum", "pdf"
            )
        ),
    }


@ogonblicksdel("internkontroll.Kontrolltillfalle")
def ogonblick_tillfallen():
    return {
        "iktillfallen": sorted(
            Kontrolltillfalle.objects.values_list(
                "pk",
                "kontroll_id",
                "status",
                "kontrollerad",
                "vad",
                "antal",
                "avvikelser",
                "bedomning",
                "kommentar",
            )
        ),
        "iktillfallehistorik": Kontrolltillfalle.history.count(),
    }


# --- Egenkontroll ------------------------------------------------------------------------


def checklista_kg():
    """The shipped checklist's first version (data migration 0002), kollegial granskning
    of child-welfare files in five control areas."""
    from internkontroll.checklistor import KOLLEGIAL_GRANSKNING_NAMN
    from internkontroll.models import Checklista

    return Checklista.objects.get(namn=KOLLEGIAL_GRANSKNING_NAMN).versioner.get(version=1)


def egenkontroll(enhet, *, status=None, version=None, ar=2026, **falt):
    """A kollegial granskning of `enhet` in `status` (default pågår) over the year `ar`,
    using `version` (default the shipped checklist's first version); test setup."""
    from internkontroll.choices import Egenkontrollstatus, Egenkontrolltyp, Initiativ
    from internkontroll.models import Egenkontroll

    ek = Egenkontroll(
        enhet=enhet,
        typ=falt.pop("typ", Egenkontrolltyp.KOLLEGIAL_GRANSKNING),
        initiativ=falt.pop("initiativ", Initiativ.EGET),
        titel=falt.pop("titel", f"Kollegial granskning {ar}"),
        period_fran=falt.pop("period_fran", date(ar, 1, 1)),
        period_till=falt.pop("period_till", date(ar, 12, 31)),
        checklista_version=version if version is not None else checklista_kg(),
        status=status or Egenkontrollstatus.PAGAR,
        **falt,
    )
    ek.save()
    return ek


def granska(ek, omrade_nr, svar, *, av, datum=None, kommentar=""):
    """One reviewed file of `ek` in its checklist's area number `omrade_nr` (1–5), with
    the answers in the order of the area's checkpoints (a string of j/n/d/e or a list of
    values), saved directly (test setup, whatever the status)."""
    from internkontroll.models import Granskning, Svar

    omrade = ek.checklista_version.omraden.get(ordning=omrade_nr)
    koder = {"j": "ja", "n": "nej", "d": "delvis", "e": "ej_aktuellt"}
    varden = [koder.get(v, v) for v in svar]
    punkter = list(omrade.punkter.order_by("ordning"))
    assert len(punkter) == len(varden), (len(punkter), len(varden))
    nummer = ek.granskningar.count() + 1
    g = Granskning.objects.create(
        egenkontroll=ek,
        nummer=nummer,
        granskare=av,
        omrade=omrade,
        datum=datum or date(ek.period_fran.year, 3, 1),
        kommentar=kommentar,
    )
    Svar.objects.bulk_create(
        Svar(granskning=g, punkt=p, varde=v) for p, v in zip(punkter, varden, strict=True)
    )
    return g


def _egenkontroll_i_status(varld, status):
    from internkontroll.choices import Egenkontrollstatus

    ek = egenkontroll(
        varld.org["EB"],
        status=status,
        handlaggare=varld.personas["enhetschef"],
        period_fran=date(2026, 1, 1),
        period_till=date(2026, 6, 30),
    )
    # Reviewed files, so that the analysis forum can be recorded.
    granska(ek, 1, "jjjjjjj", av=varld.personas["medarbetare"])
    if status in (Egenkontrollstatus.ANALYSERAD, Egenkontrollstatus.KLAR):
        ek.analysforum_datum = date(2026, 9, 1)
        ek.slutsatser = "Barnets uppfattning dokumenteras för sällan."
        ek.save()
    return ek


def _analysforum(v):
    return {
        "analysforum_datum": timezone.localdate().isoformat(),
        "slutsatser": "Förhandsbedömningarna görs i tid; vårdplanerna saknas ofta.",
    }


EGENKONTROLL = Flode(
    skapa=_egenkontroll_i_status,
    url=lambda obj, t: reverse(f"internkontroll:egenkontroll:{t.name}", args=[obj.nummer]),
    persona="enhetschef",
    data={
        "andra": lambda v: {
            "titel": "Kollegial granskning våren 2026",
            "initiativ": "eget",
            "syfte": "Se att handläggningen följer lagen.",
            "metod": "Kollegial granskning enligt checklistan.",
            "urval": "Tio akter per område.",
            "period_fran": "2026-01-01",
            "period_till": "2026-06-30",
            "handlaggare": v.personas["enhetschef"].pk,
        },
        "analysera": _analysforum,
        "skriv_analys": _analysforum,
    },
)


@ogonblicksdel("internkontroll.Egenkontroll")
def ogonblick_egenkontroller():
    """What a request could change in egenkontroll: the egenkontroller, their reviews and
    answers, and the checklists with their versions."""
    from internkontroll.models import (
        Checklista,
        Checklisteversion,
        Egenkontroll,
        Granskning,
        Kontrollomrade,
        Kontrollpunkt,
        Svar,
    )

    return {
        "egenkontroller": sorted(
            Egenkontroll.objects.values_list(
                "pk",
                "status",
                "titel",
                "initiativ",
                "syfte",
                "metod",
                "urval",
                "period_fran",
                "period_till",
                "handlaggare_id",
                "checklista_version_id",
                "analysforum_datum",
                "slutsatser",
            )
        ),
        "egenkontrollhistorik": Egenkontroll.history.count(),
        "granskningar": sorted(
            Granskning.objects.values_list("pk", "egenkontroll_id", "nummer", "kommentar")
        ),
        "granskningssvar": Svar.objects.count(),
        "checklistor": sorted(Checklista.objects.values_list("pk", "namn", "beskrivning")),
        "checklisteversioner": sorted(
            Checklisteversion.objects.values_list("pk", "checklista_id", "version", "kommentar")
        ),
        "kontrollpunkter": sorted(
            Kontrollpunkt.objects.values_list("pk", "omrade__version_id", "kod", "text")
        ),
        "kontrollomraden": Kontrollomrade.objects.count(),
    }
