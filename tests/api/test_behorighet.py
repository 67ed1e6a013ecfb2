"""Permission matrix over every URL of the API (`/api/`) and the account page of one's
keys (`/konto/api-nycklar/`) × every persona.

The API's rows run with a personal key per persona (one that may write, so that a refusal
says who may act, not what the key may do: tests/api/test_nycklar.py checks the scope) –
no key for `anonym`. The same access door as the pages: not visible → 404, visible but
not allowed → 403, no key → 401; the nämnd sees no case records (403) but the reports and
figures; a person without a role reaches nothing (403). Every refusal has the API's error
shape, and changes nothing; a GET changes nothing; a 201 made its case.

The account page's rows run with a session, by the shared runner (tests.stod.kor_rad).
"""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.utils import timezone

from api.models import ApiNyckel, Omfang
from avvikelser.models import Avvikelse
from kvalitet.models import Beslutsstatus
from synpunkter.models import Synpunkt
from tests.api.conftest import ApiKlient, fel
from tests.factories import KvalitetsberattelseFactory, SynpunktFactory
from tests.internkontroll.hjalp import kontroll, plan, tillfalle
from tests.lexsarah.hjalp import skapa as skapa_lexsarah
from tests.processer.hjalp import process
from tests.riskregister.hjalp import risk
from tests.stod import PERSONER, Kod, L, Rad, Utfall, kor_rad, ogonblick, rader_param, till
from tests.tillsyn.hjalp import skapa as skapa_tillsyn

pytestmark = pytest.mark.django_db


def api_arende(**koder):
    """A case endpoint: no key → 401; the nämnd → 403 (no case records); without a role
    → 403; whoever does not see the case → 404; `koder` says what those who see it get."""
    return Utfall(404, **{"anonym": 401, "namnd": 403, "utan_roll": 403, **koder})


def api_lista(**koder):
    """A case list: everyone with a role gets their own (maybe empty) list."""
    return Utfall(200, **{"anonym": 401, "namnd": 403, "utan_roll": 403, **koder})


RAPPORTLASARE = {"kvalitetssamordnare": 200, "forvaltningschef": 200, "namnd": 200}


def rapporter(**koder):
    """The reports and figures: the kvalitetssamordnare, the förvaltningschef and the
    nämnd (rapporter.behorighet.LASER_RAPPORT)."""
    return Utfall(403, **{"anonym": 401, **RAPPORTLASARE, **koder})


PUBLIK = Utfall(200)


@pytest.fixture
def apiscen(scen):
    """The matrices' world (tests.stod.scen: `avv` of Ekonomiskt bistånd reported by
    medarbetare, `annan` of Kollektivet HVB), and of the other types in Ekonomiskt
    bistånd: a synpunkt, a lex Sarah case reported by medarbetare with the utredare as
    its utredare, a tillsyn, a risk in the register, an internkontroll occasion of a
    decided plan performed by the unit, a process run from the unit; a decided
    kvalitetsberättelse and a draft; a key of medarbetare's to revoke."""
    varld = SimpleNamespace(org=scen.org, personas=scen.personas)
    scen.syn = SynpunktFactory(enhet=scen.org["EB"], beskrivning="Väntat länge på beslut.")
    scen.ls = skapa_lexsarah(varld)
    scen.tillsyn = skapa_tillsyn(varld)
    scen.risk = risk(scen.org["EB"], titel="Beslut skickas till fel adress")
    scen.ik = tillfalle(kontroll(plan(status=Beslutsstatus.FASTSTALLD), scen.org["EB"]))
    scen.process = process(scen.org["EB"])
    scen.beslutad = KvalitetsberattelseFactory(
        ar=2025, status="faststalld", faststalld=timezone.now()
    )
    scen.utkast = KvalitetsberattelseFactory(ar=2026, brytdatum=date(2026, 1, 31))
    scen.nyckel, _text = ApiNyckel.skapa(
        anvandare=scen.personas["medarbetare"], namn="Min", omfang=Omfang.LAS, dagar=30
    )
    return scen


def _avvikelse(s):
    return {
        "extern_id": "kc-1",
        "typ": "avvikelse",
        "enhet": s.org["EB"].pk,
        "handelsedatum": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "beror_enskild": True,
        "beskrivning": "Ett beslut skickades till fel adress.",
    }


def _synpunkt(s):
    return {
        "extern_id": "kc-2",
        "kanal": "telefon",
        "avsandare": "brukare",
        "typ": "klagomal",
        "inkom": timezone.localdate().isoformat(),
        "beskrivning": "Ringde om ett försenat beslut.",
        "enhet": s.org["EB"].pk,
        "anonym": True,
    }


ALLA_I_PERSONALEN = dict.fromkeys(
    (
        "medarbetare",
        "medarbetare_annan",
        "enhetschef",
        "enhetschef_annan",
        "avdelningschef",
        "avdelningschef_annan",
        "utredare",
        "registrator",
        "kvalitetssamordnare",
        "forvaltningschef",
    ),
    201,
)

# The API's rows: URL (a function of the scenario), method, outcome per persona.
# Case types: avvikelse `avv` (EB, reported by medarbetare, who owns an action on it),
# synpunkt `syn` (EB, from the e-service), lex Sarah `ls` (EB, reported by medarbetare,
# the utredare its utredare), tillsyn (EB), risk (EB, in the register, no owner),
# control occasion `ik` (performed by EB, no named performer).
API_RADER = [
    Rad("avvikelser", "GET", lambda s: "/api/v1/avvikelser/", api_lista()),
    Rad(
        "avvikelse",
        "GET",
        lambda s: f"/api/v1/avvikelser/{s.avv.nummer}/",
        api_arende(medarbetare=200, chefer=200, ser_allt=200),
    ),
    # The report is for Ekonomiskt bistånd: those who work there or above file it; for
    # the others the unit is not among the choices (400, as the page's form); the nämnd,
    # the administrator and a person without a role file none (403).
    Rad(
        "avvikelse-ny",
        "POST",
        lambda s: "/api/v1/avvikelser/",
        Utfall(
            400,
            anonym=401,
            medarbetare=201,
            chefer=201,
            ser_allt=201,
            namnd=403,
            admin=403,
            utan_roll=403,
        ),
        data=_avvikelse,
        gjort=lambda s, user: Avvikelse.objects.filter(
            rapporterad_av=user, beskrivning="Ett beslut skickades till fel adress."
        ).exists(),
    ),
    Rad("synpunkter", "GET", lambda s: "/api/v1/synpunkter/", api_lista()),
    Rad(
        "synpunkt",
        "GET",
        lambda s: f"/api/v1/synpunkter/{s.syn.nummer}/",
        api_arende(chefer=200, registrator=200, ser_allt=200),
    ),
    # Staff register a synpunkt for any unit (synpunkter.forms.PersonalForm).
    Rad(
        "synpunkt-ny",
        "POST",
        lambda s: "/api/v1/synpunkter/",
        Utfall(403, anonym=401, **ALLA_I_PERSONALEN),
        data=_synpunkt,
        gjort=lambda s, user: Synpunkt.objects.filter(
            skapad_av=user, beskrivning="Ringde om ett försenat beslut."
        ).exists(),
    ),
    Rad("lexsarah-lista", "GET", lambda s: "/api/v1/lexsarah/", api_lista()),
    Rad(
        "lexsarah",
        "GET",
        lambda s: f"/api/v1/lexsarah/{s.ls.nummer}/",
        api_arende(medarbetare=200, chefer=200, utredare=200, ser_allt=200),
    ),
    Rad("tillsyn-lista", "GET", lambda s: "/api/v1/tillsyn/", api_lista()),
    Rad(
        "tillsyn",
        "GET",
        lambda s: f"/api/v1/tillsyn/{s.tillsyn.nummer}/",
        api_arende(chefer=200, ser_allt=200),
    ),
    Rad("risker", "GET", lambda s: "/api/v1/risker/", api_lista()),
    Rad(
        "risk",
        "GET",
        lambda s: f"/api/v1/risker/{s.risk.nummer}/",
        api_arende(chefer=200, ser_allt=200),
    ),
    Rad("kontroller", "GET", lambda s: "/api/v1/kontroller/", api_lista()),
    Rad(
        "kontroll",
        "GET",
        lambda s: f"/api/v1/kontroller/{s.ik.nummer}/",
        api_arende(chefer=200, ser_allt=200),
    ),
    Rad("processer", "GET", lambda s: "/api/v1/processer/", api_lista()),
    Rad(
        "process",
        "GET",
        lambda s: f"/api/v1/processer/{s.process.nummer}/",
        api_arende(chefer=200, ser_allt=200),
    ),
    Rad("siffror", "GET", lambda s: f"/api/v1/siffror/{timezone.localdate().year}/", rapporter()),
    Rad("rapporter", "GET", lambda s: "/api/v1/rapporter/", rapporter()),
    Rad("rapport", "GET", lambda s: f"/api/v1/rapporter/{s.beslutad.pk}/", rapporter()),
    # A draft is not in the API, for anyone.
    Rad(
        "rapport-utkast",
        "GET",
        lambda s: f"/api/v1/rapporter/{s.utkast.pk}/",
        rapporter(**dict.fromkeys(RAPPORTLASARE, 404)),
    ),
    Rad("schema", "GET", lambda s: "/api/v1/schema/", PUBLIK),
    Rad("dokumentation", "GET", lambda s: "/api/v1/dokumentation/", PUBLIK),
    Rad("okand-adress", "GET", lambda s: "/api/v2/avvikelser/", Utfall(404)),
]

# Outcomes of the account page beyond tests.stod.KODER.
NY_NYCKEL = "NYCKEL"  # 200: the page showing the new key once
TILLBAKA = "TILLBAKA"  # 302 back to the page of one's keys, the key revoked


def _visar_ny_nyckel(svar):
    assert svar.response.status_code == 200, svar.response.status_code
    assert "Din nya nyckel" in svar.response.content.decode()


KONTO_KODER = {
    NY_NYCKEL: Kod(_visar_ny_nyckel, utford=True),
    TILLBAKA: Kod(till("/konto/api-nycklar/"), utford=True),
}

KONTO_RADER = [
    Rad(
        "nycklar",
        "GET",
        lambda s: "/konto/api-nycklar/",
        Utfall(200, anonym=L, utan_roll=403),
        innehall="<h1>API-nycklar</h1>",
    ),
    Rad(
        "nyckel-ny",
        "POST",
        lambda s: "/konto/api-nycklar/",
        Utfall(NY_NYCKEL, anonym=L, utan_roll=403),
        data=lambda s: {"namn": "Kontaktcentret", "omfang": "skriv", "dagar": "30"},
        gjort=lambda s, user: ApiNyckel.objects.filter(
            anvandare=user, namn="Kontaktcentret"
        ).exists(),
    ),
    # Another person's key is not found.
    Rad(
        "nyckel-aterkalla",
        "POST",
        lambda s: f"/konto/api-nycklar/{s.nyckel.pk}/aterkalla/",
        Utfall(404, anonym=L, utan_roll=403, medarbetare=TILLBAKA),
        gjort=lambda s, user: ApiNyckel.objects.get(pk=s.nyckel.pk).aterkallad is not None,
    ),
]

RADER = API_RADER + KONTO_RADER


@pytest.mark.parametrize("rad", rader_param(API_RADER))
def test_api_matris(rad, apiscen):
    s = apiscen
    klienter = {}
    for persona in PERSONER:
        if persona == "anonym":
            klienter[persona] = ApiKlient()
        else:
            _rad, text = ApiNyckel.skapa(
                anvandare=s.personas[persona], namn="Matris", omfang=Omfang.SKRIV, dagar=30
            )
            klienter[persona] = ApiKlient(text)
    fel_ = []
    for persona in PERSONER:
        kod = rad.koder[persona]
        try:
            with transaction.atomic():
                fore = ogonblick()
                klient = klienter[persona]
                url = rad.url(s)
                skicka = klient.get if rad.metod == "GET" else klient.post
                response = skicka(url, rad.data(s) if rad.data else None)
                assert response.status_code == kod, (response.status_code, response.content[:500])
                assert response["Content-Type"].startswith(
                    ("application/json", "application/vnd.oai.openapi+json", "text/html")
                )
                if kod >= 400:
                    fel(response)  # the API's error shape, never an HTML page
                if kod == 201:
                    user = s.personas[persona]
                    assert rad.gjort(s, user), "den tillåtna begäran fick ingen effekt"
                    assert response["Location"].endswith(f"/{response.json()['nummer']}/")
                    assert ogonblick() != fore
                else:
                    assert ogonblick() == fore, "begäran ändrade databasen"
                transaction.set_rollback(True)
        except AssertionError as exc:
            fel_.append(f"{rad.namn} som {persona} (väntat {kod}): {exc}")
    assert not fel_, "\n".join(fel_)


@pytest.mark.parametrize("rad", rader_param(KONTO_RADER))
def test_kontosidornas_matris(rad, apiscen, klient_for):
    kor_rad(
        rad,
        apiscen,
        klient_for,
        arende_url=lambda scen, user: None,
        koder=KONTO_KODER,
    )
