"""Internkontroll's occasions through the API (docs/api.md, "Läsa ärenden"): each with
its row of the decided plan and its result, the list page's filters, whether it is late,
no names of people, visibility as on the pages (the performing unit's chefs, the named
performer while staff, staben)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from internkontroll.choices import Bedomning, Tillfallestatus
from kvalitet.models import Beslutsstatus
from tests.api.conftest import fel, rader
from tests.internkontroll.hjalp import kontroll, plan, tillfalle
from tests.riskregister.hjalp import risk

pytestmark = pytest.mark.django_db


@pytest.fixture
def ik(org, personas):
    """The decided plan of last year and this year; this year's control SN 1 performed by
    Ekonomiskt bistånd against a risk, by medarbetare by name, with one result of
    väsentliga brister and one occasion overdue; a control of Kollektivet HVB."""
    ar = timezone.localdate().year
    forra = plan(ar - 1, status=Beslutsstatus.FASTSTALLD)
    i_ar = plan(ar, status=Beslutsstatus.FASTSTALLD)
    sn1 = kontroll(
        i_ar,
        org["EB"],
        kod="SN 1",
        risk=risk(org["EB"]),
        utforare=personas["medarbetare"],
        uppfoljare="Anna Andersson",
        rapporteras_till="Socialnämnden",
    )
    igar = timezone.localdate() - timedelta(days=1)
    return {
        "klar": tillfalle(
            sn1,
            1,
            status=Tillfallestatus.KLAR,
            forfaller=date(ar, 1, 1),
            kontrollerad=date(ar, 1, 1),
            antal=20,
            avvikelser=3,
            bedomning=Bedomning.VASENTLIGA_BRISTER,
            kommentar="Tre beslut saknade motivering.",
        ),
        "sen": tillfalle(sn1, 2, forfaller=igar),
        "forra": tillfalle(kontroll(forra, org["EB"], kod="SN 1"), forfaller=date(ar - 1, 4, 30)),
        "koll": tillfalle(kontroll(i_ar, org["KOLL"], kod="SN 2")),
    }


def test_tillfallet_med_planens_rad_och_resultatet(api_for, ik, personas):
    klar = ik["klar"]
    svar = api_for("enhetschef").get(f"/api/v1/kontroller/{klar.nummer}/")
    data = svar.json()
    assert (data["antal"], data["avvikelser"], data["bedomning"]) == (
        20,
        3,
        "vasentliga_brister",
    )
    assert data["kommentar"] == "Tre beslut saknade motivering."
    assert data["forsenad"] is False
    rad = data["kontroll"]
    assert (rad["plan_ar"], rad["kod"], rad["metod"], rad["periodicitet"]) == (
        timezone.localdate().year,
        "SN 1",
        "stickprov",
        "tertialvis",
    )
    assert rad["risk"] == klar.kontroll.risk.nummer
    assert rad["utforare_enhet"]["kod"] == "MYN-EB"
    assert rad["rapporteras_till"] == "Socialnämnden"
    # People are not in it: not the performer, nor who follows it up by name.
    text = svar.content.decode()
    assert "Anna Andersson" not in text
    assert personas["medarbetare"].username not in text
    assert not {"utforare", "uppfoljare", "handlaggare", "registrerad_av"} & (set(data) | set(rad))


def test_listans_filter(api_for, ik):
    klient = api_for("enhetschef")
    ar = timezone.localdate().year
    alla = rader(klient.get("/api/v1/kontroller/"))
    assert set(alla) == {ik["klar"].nummer, ik["sen"].nummer, ik["forra"].nummer}
    assert set(rader(klient.get("/api/v1/kontroller/", {"ar": ar}))) == {
        ik["klar"].nummer,
        ik["sen"].nummer,
    }
    assert set(rader(klient.get("/api/v1/kontroller/", {"bedomning": "vasentliga_brister"}))) == {
        ik["klar"].nummer
    }
    vantar = rader(klient.get("/api/v1/kontroller/", {"status": "vantar", "ar": ar}))
    assert set(vantar) == {ik["sen"].nummer}
    assert vantar[ik["sen"].nummer]["forsenad"] is True


@pytest.mark.parametrize(
    ("parametrar", "falt"),
    [({"ar": "1999"}, "ar"), ({"ar": "tjugo"}, "ar"), ({"bedomning": "bra"}, "bedomning")],
)
def test_ogiltigt_filter_ger_400(parametrar, falt, api_for, ik):
    svar = api_for("enhetschef").get("/api/v1/kontroller/", parametrar)
    assert svar.status_code == 400
    assert fel(svar)["fields"][falt]


def test_den_namngivna_utforaren_ser_sina_tillfallen(api_for, ik):
    assert set(rader(api_for("medarbetare").get("/api/v1/kontroller/"))) == {
        ik["klar"].nummer,
        ik["sen"].nummer,
    }


def test_annan_enhets_tillfalle_syns_inte(api_for, ik):
    klient = api_for("enhetschef")
    assert ik["koll"].nummer not in rader(klient.get("/api/v1/kontroller/"))
    svar = klient.get(f"/api/v1/kontroller/{ik['koll'].nummer}/")
    assert svar.status_code == 404
    assert fel(svar)["code"] == "not_found"
    alla = rader(api_for("kvalitetssamordnare").get("/api/v1/kontroller/"))
    assert ik["koll"].nummer in alla
