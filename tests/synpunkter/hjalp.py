"""Support for the synpunkt tests: contact details, status setup, the case type's
declaration for the shared tests (tests/arendetyp.py), its part of the database snapshot,
and the outcome codes of its permission matrix (the public e-service's receipt)."""

import re

from django.utils import timezone

from synpunkter.models import Synpunkt
from tests.arendetyp import Arendeflode
from tests.factories import SynpunktFactory
from tests.stod import Kod, ogonblicksdel, skapad, till

KONTAKT = {"namn": "Karin Kontaktsson", "epost": "karin@example.org", "telefon": "070-123 45 67"}
KONTAKT_ANNAN = {"namn": "Olle Annansson", "epost": "olle@example.org", "telefon": ""}

# Outcomes beyond tests.stod.KODER, for `kor_rad(..., koder=KODER)`.
KV = "KV"  # 200 with the receipt: the public submission was accepted
NY = "NY"  # 302 to the detail page of a synpunkt the request created
IN = "IN"  # 302 back to the waiting submissions: "Försök igen" was carried out


def kvitto(svar):
    """A check: the receipt (200, a reference number), the answer to an accepted
    submission."""
    response = svar.response
    assert response.status_code == 200, (response.status_code, response.content[:3000])
    referens = rb'<strong class="referens">[A-Z0-9]{4}-[A-Z0-9]{4}</strong>'
    assert re.search(referens, response.content), response.content[:3000]


KODER = {
    KV: Kod(kvitto, utford=True),
    NY: Kod(skapad("/synpunkter/SYN-"), utford=True),
    IN: Kod(till("/synpunkter/inlamningar/"), utford=True),
}


def satt_status(synpunkt, status, **falt):
    """Put a synpunkt in a status directly (test setup; bypasses the workflow)."""
    if status == "avslutad":
        falt.setdefault("avslutad", timezone.now())
    if status in ("besvarad", "avslutad"):
        falt.setdefault("besvarad", timezone.now())
        falt.setdefault("svar", "Vi beklagar dröjsmålet.")
        falt.setdefault("svarssatt", "brev")
    Synpunkt.objects.filter(pk=synpunkt.pk).update(status=status, **falt)
    synpunkt.refresh_from_db()
    return synpunkt


def skapa(varld, status=None, enhet="EB"):
    """A klagomål forwarded by IVO for the unit, with contact details, in the status
    (answered and closed ones with what those statuses need). Via IVO, so that every
    step – the answer to IVO too – can be taken from its statuses."""
    syn = SynpunktFactory(
        enhet=varld.org[enhet],
        kontakt=dict(KONTAKT, telefon=""),
        kanal="via_ivo",
        ivo_diarienummer="3.5.1-12345/2026",
        ivo_skickad=timezone.localdate(),
    )
    if status is None:
        return syn
    falt = {"status": status}
    if status in ("besvarad", "avslutad"):
        falt.update(besvarad=timezone.now(), svar="Vi beklagar.", svarssatt="brev")
    if status == "avslutad":
        falt.update(avslutad=timezone.now(), brustit=False, ledde_till_forbattring=False)
    Synpunkt.objects.filter(pk=syn.pk).update(**falt)
    syn.refresh_from_db()
    return syn


def _kategori():
    from synpunkter.models import Kategori

    return Kategori.objects.get_or_create(namn="Handläggning")[0].pk


SYNPUNKT = Arendeflode(
    modell=Synpunkt,
    skapa=skapa,
    persona="enhetschef",
    personer={"registrera": "registrator"},
    vantar="registrerad",
    data={
        "registrera": lambda v: {
            "typ": "klagomal",
            "enhet": v.org["EB"].pk,
            "kategori": _kategori(),
            "avsandare": "brukare",
            "diarienummer": "",
        },
        "besvara": lambda v: {"svar": "Vi har sett över rutinen.", "svarssatt": "brev"},
        "avsluta": lambda v: {"brustit": "False", "ledde_till_forbattring": "False"},
        "ateroppna": lambda v: {"kommentar": "Klaganden hörde av sig igen."},
        "tilldela": lambda v: {"handlaggare": v.personas["utredare"].pk},
        "svara_ivo": lambda v: {
            "svar": "Förvaltningen har utrett klagomålet och svarat klaganden.",
            "datum": timezone.localdate().isoformat(),
        },
        "registrera_delegation": lambda v: {
            "status": "begard",
            "datum": timezone.localdate().isoformat(),
        },
    },
)


@ogonblicksdel("synpunkter.Synpunkt")
def ogonblick_synpunkter():
    from synpunkter.models import Inlamning, Kontaktuppgifter

    return {
        "synpunkter": sorted(
            Synpunkt.objects.values_list(
                "pk",
                "status",
                "typ",
                "avsandare",
                "enhet_id",
                "kategori_id",
                "diarienummer",
                "registrerad",
                "handlaggare_id",
                "svar",
                "svarssatt",
                "besvarad",
                "brustit",
                "ledde_till_forbattring",
                "forbattring",
                "delegation_status",
                "delegation_begard",
                "delegation_behandlad",
                "delegation_anteckning",
                "tidsfrist",
                "avslutad",
                "kontakt_gallrad",
            )
        ),
        "synpunktshistorik": Synpunkt.history.count(),
        "kontaktuppgifter": sorted(
            Kontaktuppgifter.objects.values_list("synpunkt_id", "namn", "epost", "telefon")
        ),
        "inlamningar": sorted(
            Inlamning.objects.values_list("pk", "referens", "byggd", "synpunkt_id", "forsok")
        ),
    }


def innehall(response):
    return (b"".join(response) if response.streaming else response.content).decode("utf-8-sig")


def overgangsform(response, namn):
    """The bound form of the step `namn` (either kind) on a re-rendered case page."""
    for o in [*response.context["overgangar"], *response.context["steps"].values()]:
        if o["t"].name == namn:
            return o["form"]
    raise AssertionError(f"inget steg {namn} på sidan")
