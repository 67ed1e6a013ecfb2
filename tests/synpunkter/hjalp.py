"""Support for the synpunkt tests: contact details, status setup, a database snapshot
covering synpunkter, and the permission-matrix runner (the codes of tests/stod.py plus
the public e-service's own redirects)."""

from django.utils import timezone

from tests.stod import OK, kontrollera_svar, kor_celler
from tests.stod import ogonblick as ogonblick_karna

KONTAKT = {"namn": "Karin Kontaktsson", "epost": "karin@example.org", "telefon": "070-123 45 67"}
KONTAKT_ANNAN = {"namn": "Olle Annansson", "epost": "olle@example.org", "telefon": ""}

# Outcomes beyond tests/stod.py's.
K = "K"  # 302 to the public form (the receipt without a session)
KV = "KV"  # 302 to the receipt: the public submission was accepted
NY = "NY"  # 302 to the detail page of a synpunkt the request created

TILLATNA = (OK, KV, NY)


def satt_status(synpunkt, status, **falt):
    """Put a synpunkt in a status directly (test setup; bypasses the workflow)."""
    from synpunkter.models import Synpunkt

    if status == "avslutad":
        falt.setdefault("avslutad", timezone.now())
    if status in ("besvarad", "avslutad"):
        falt.setdefault("besvarad", timezone.now())
        falt.setdefault("svar", "Vi beklagar dröjsmålet.")
        falt.setdefault("svarssatt", "brev")
    Synpunkt.objects.filter(pk=synpunkt.pk).update(status=status, **falt)
    synpunkt.refresh_from_db()
    return synpunkt


def ogonblick():
    """The core snapshot plus everything a synpunkt request could change."""
    from kvalitet.models import Paminnelse
    from synpunkter.models import Kontaktuppgifter, Synpunkt

    return {
        **ogonblick_karna(),
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
        "paminnelser": Paminnelse.objects.count(),
    }


def kor_rad(rad, s, klient_for):
    """Run one matrix row (a tests.stod.Rad whose `url` is a function of the scenario)
    for every persona; each cell in a rolled-back savepoint. Lists every differing cell."""
    kor_celler(rad, klient_for, lambda persona, kod, klient: kor_cell(rad, persona, kod, s, klient))


def kor_cell(rad, persona, kod, s, klient):
    for obj in vars(s).values():
        if hasattr(obj, "refresh_from_db"):
            obj.refresh_from_db()
    if rad.forbered:
        rad.forbered(s)
    fore = ogonblick()
    user = s.personas.get(persona)
    data = rad.data(s) if rad.data else {}
    skicka = klient.get if rad.metod == "GET" else klient.post
    response = skicka(rad.url(s), data)
    location = response.headers.get("Location", "")
    if kod == K:
        assert response.status_code == 302, response.status_code
        assert location == "/synpunkter/lamna/", location
    elif kod == KV:
        assert response.status_code == 302, response.status_code
        assert location == "/synpunkter/lamna/kvitto/", location
    elif kod == NY:
        assert response.status_code == 302, (response.status_code, response.content[:3000])
        assert location.startswith("/synpunkter/SYN-"), location
        assert location != s.syn.get_absolute_url(), location
    else:
        kontrollera_svar(response, kod, arende_url=s.syn.get_absolute_url())
    if kod in (200, 400) and rad.innehall:
        content = b"".join(response) if response.streaming else response.content
        assert rad.innehall in content.decode("utf-8-sig"), f"{rad.innehall!r} saknas"
    if rad.metod == "POST":
        if kod in TILLATNA:
            assert rad.gjort(s, user), "den tillåtna begäran fick ingen effekt"
            assert ogonblick() != fore
        else:
            assert ogonblick() == fore, "en nekad begäran ändrade databasen"


def innehall(response):
    return (b"".join(response) if response.streaming else response.content).decode("utf-8-sig")


def overgangsform(response, namn):
    """The bound form of the step `namn` (either kind) on a re-rendered case page."""
    for o in [*response.context["overgangar"], *response.context["steg"].values()]:
        if o["t"].name == namn:
            return o["form"]
    raise AssertionError(f"inget steg {namn} på sidan")
