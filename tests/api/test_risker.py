"""The risk register through the API (docs/api.md, "Läsa ärenden"): the list as the
register's page gives it – the register on a day, each risk with its values on that day,
or the proposals, or the removed risks – with the page's filters and Swedish refusals;
one risk with its assessments oldest first; no names of people; the scale's names and
levels; visibility as on the pages."""

from datetime import date, timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from riskregister.choices import Status
from tests.api.conftest import fel, rader
from tests.riskregister.hjalp import risk

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(org, personas):
    """Written by hand from the register's definition (riskregister/register.py):

    - `hojd` entered 2025-01-10 at 2×2 and was re-assessed 2025-06-01 to 4×3;
    - `borttagen` entered 2025-02-01 at 3×3 and was removed 2025-05-01;
    - `forslag` is a proposal, in no register;
    - `annan` is in the register, of another avdelning (Kollektivet HVB).
    """
    agare = personas["enhetschef"]
    return {
        "hojd": risk(
            org["EB"],
            (date(2025, 1, 10), 2, 2),
            (date(2025, 6, 1), 4, 3),
            titel="Beslut skickas till fel adress",
            handlaggare=agare,
            foreslagen_av=personas["medarbetare"],
        ),
        "borttagen": risk(org["EB"], (date(2025, 2, 1), 3, 3), borttagen=date(2025, 5, 1)),
        "forslag": risk(org["EB"], (date(2025, 9, 1), 1, 2), status=Status.FORESLAGEN),
        "annan": risk(org["KOLL"], (date(2025, 1, 10), 1, 1)),
    }


def test_registret_i_dag_med_dagens_varden(api_for, register):
    listan = rader(api_for("avdelningschef").get("/api/v1/risker/"))
    assert set(listan) == {register["hojd"].nummer}
    hojd = listan[register["hojd"].nummer]
    assert (hojd["sannolikhet"], hojd["konsekvens"], hojd["riskvarde"]) == (4, 3, 12)
    # The default 4×4 scale (DOMAIN.md §4.4): 4 Sannolik, 3 Kännbar; 12–16 red.
    assert (hojd["sannolikhet_namn"], hojd["konsekvens_namn"]) == ("Sannolik", "Kännbar")
    assert hojd["niva"]["farg"] == "röd"
    assert hojd["status"] == "aktiv" and hojd["aktiv_fran"] == "2025-01-10"


def test_registret_som_det_stod_en_dag(api_for, register):
    """On 2025-03-01 both risks were in it, `hojd` still at its first values."""
    listan = rader(api_for("avdelningschef").get("/api/v1/risker/", {"datum": "2025-03-01"}))
    assert set(listan) == {register["hojd"].nummer, register["borttagen"].nummer}
    assert listan[register["hojd"].nummer]["riskvarde"] == 4
    assert listan[register["hojd"].nummer]["niva"]["farg"] == "gul"
    assert listan[register["borttagen"].nummer]["riskvarde"] == 9
    # The day it was removed it is no longer in it; the day before it was.
    for dag, med in (("2025-04-30", True), ("2025-05-01", False)):
        listan = rader(api_for("avdelningschef").get("/api/v1/risker/", {"datum": dag}))
        assert (register["borttagen"].nummer in listan) is med, dag


def test_forslag_och_borttagna(api_for, register):
    klient = api_for("avdelningschef")
    forslag = rader(klient.get("/api/v1/risker/", {"visa": "forslag"}))
    assert set(forslag) == {register["forslag"].nummer}
    assert forslag[register["forslag"].nummer]["riskvarde"] == 2
    borttagna = rader(klient.get("/api/v1/risker/", {"visa": "borttagna"}))
    assert set(borttagna) == {register["borttagen"].nummer}
    assert borttagna[register["borttagen"].nummer]["borttagen"] == "2025-05-01"


def test_matrisens_cell_som_filter(api_for, register):
    klient = api_for("forvaltningschef")
    cell = rader(klient.get("/api/v1/risker/", {"sannolikhet": 4, "konsekvens": 3}))
    assert set(cell) == {register["hojd"].nummer}
    assert rader(klient.get("/api/v1/risker/", {"sannolikhet": 1, "konsekvens": 3})) == {}
    # The same cell on a day it was empty.
    dag = {"sannolikhet": 4, "konsekvens": 3, "datum": "2025-03-01"}
    assert rader(klient.get("/api/v1/risker/", dag)) == {}


@pytest.mark.parametrize(
    ("parametrar", "falt", "text"),
    [
        ({"sannolikhet": "9"}, "sannolikhet", "Välj ett giltigt alternativ"),
        ({"visa": "allt"}, "visa", "Välj ett giltigt alternativ"),
        ({"datum": "igår"}, "datum", "Fyll i ett giltigt datum"),
        (
            {"datum": (date.today() + timedelta(days=2)).isoformat()},
            "datum",
            "Datumet kan inte ligga i framtiden",
        ),
    ],
)
def test_ogiltigt_filter_ger_400_pa_svenska(parametrar, falt, text, api_for, register):
    svar = api_for("avdelningschef").get("/api/v1/risker/", parametrar)
    assert svar.status_code == 400
    assert text in fel(svar)["fields"][falt][0]


@override_settings(
    RISK_SANNOLIKHET=["Mycket liten", "Liten", "Möjlig", "Stor", "Mycket stor"],
    RISK_KONSEKVENS=["Ingen", "Liten", "Måttlig", "Stor", "Mycket stor"],
    RISK_NIVAER=[[4, "Låg"], [9, "Medel"], [25, "Hög"]],
)
def test_skalans_namn_och_nivaer_ar_de_som_galler(api_for, org):
    fem = risk(org["EB"], (date(2025, 1, 10), 5, 2))
    data = rader(api_for("avdelningschef").get("/api/v1/risker/"))[fem.nummer]
    assert (data["sannolikhet_namn"], data["konsekvens_namn"]) == ("Mycket stor", "Liten")
    assert data["riskvarde"] == 10
    assert data["niva"] == {"namn": "Hög", "farg": "röd"}
    assert api_for("avdelningschef").get("/api/v1/risker/", {"sannolikhet": 5}).status_code == 200


def test_en_risk_med_alla_bedomningar_och_inga_namn(api_for, register, personas):
    hojd = register["hojd"]
    svar = api_for("enhetschef").get(f"/api/v1/risker/{hojd.nummer.lower()}/")
    assert svar.status_code == 200
    data = svar.json()
    assert data["beskrivning"] == hojd.beskrivning
    assert [(b["datum"], b["riskvarde"]) for b in data["bedomningar"]] == [
        ("2025-01-10", 4),
        ("2025-06-01", 12),
    ]
    assert data["riskvarde"] == 12
    assert data["sida"].endswith(f"/risker/{hojd.nummer}/")
    # The owner and the proposer are people: neither their names nor their ids.
    text = svar.content.decode()
    for persona in ("enhetschef", "medarbetare"):
        user = personas[persona]
        assert user.username not in text
        if user.get_full_name():
            assert user.get_full_name() not in text
    assert not {"handlaggare", "foreslagen_av", "bedomd_av"} & set(data)
    assert not {"handlaggare", "foreslagen_av", "bedomd_av"} & set(data["bedomningar"][0])


def test_annan_avdelnings_risk_syns_inte(api_for, register):
    klient = api_for("avdelningschef")
    assert register["annan"].nummer not in rader(klient.get("/api/v1/risker/"))
    svar = klient.get(f"/api/v1/risker/{register['annan'].nummer}/")
    assert svar.status_code == 404
    assert fel(svar)["code"] == "not_found"


def test_namnden_laser_registrets_versioner_inte_riskerna(api_for, register):
    svar = api_for("namnd").get("/api/v1/risker/")
    assert svar.status_code == 403
    assert fel(svar)["code"] == "permission_denied"


def test_ett_dygn_i_svensk_tid(api_for, org):
    """A risk re-assessed today is listed with today's values (the register's day is a
    Swedish date, `timezone.localdate`)."""
    idag = timezone.localdate()
    r = risk(org["EB"], (idag - timedelta(days=30), 1, 1), (idag, 3, 4))
    data = rader(api_for("avdelningschef").get("/api/v1/risker/"))[r.nummer]
    assert data["riskvarde"] == 12
    igar = (idag - timedelta(days=1)).isoformat()
    data = rader(api_for("avdelningschef").get("/api/v1/risker/", {"datum": igar}))[r.nummer]
    assert data["riskvarde"] == 1
