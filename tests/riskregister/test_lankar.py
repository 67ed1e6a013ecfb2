"""An event and the risk it realised, linked from either side; a risk proposed from an
event; a risk found by its number in the header's search."""

from datetime import date

import pytest
from django.urls import reverse

from kvalitet.models import CaseLink, TimelineEntry
from riskregister.models import Risk
from tests.riskregister.hjalp import risk
from tests.stod import ogonblick

pytestmark = pytest.mark.django_db


@pytest.fixture
def en_risk(org):
    return risk(org["EB"], (date(2025, 2, 1), 2, 3), titel="Beslut skickas till fel adress")


def _lank():
    lankar = list(CaseLink.objects.all())
    assert len(lankar) == 1
    return lankar[0]


@pytest.mark.parametrize("fran_sidan", ["handelsen", "risken"])
def test_en_handelse_lankas_till_risken_den_realiserade_fran_bada_hall(
    fran_sidan, avvikelse, en_risk, klient_for
):
    """Whichever page the link is made on, it runs from the event to the risk and reads
    "Realiserade risken" on the event, "Realiserad genom" on the risk."""
    klient = klient_for("enhetschef")
    if fran_sidan == "handelsen":
        url, annat = reverse("avvikelser:link", args=[avvikelse.nummer]), en_risk.nummer
    else:
        url, annat = reverse("riskregister:link", args=[en_risk.nummer]), avvikelse.nummer
    svar = klient.post(url, {"nummer": annat.lower(), "kommentar": "Samma adressfel"})
    assert svar.status_code == 302
    lank = _lank()
    assert (lank.fran, lank.till, lank.typ) == (avvikelse, en_risk, CaseLink.Typ.REALISERADE)
    assert TimelineEntry.objects.filter(
        object_id=avvikelse.pk, typ="lank", text=f"Realiserade risken: {en_risk.nummer}"
    ).exists()
    risksidan = klient.get(en_risk.get_absolute_url()).content.decode()
    assert f'Realiserad genom: <a href="{avvikelse.get_absolute_url()}">' in risksidan
    handelsesidan = klient.get(avvikelse.get_absolute_url()).content.decode()
    assert f'Realiserade risken: <a href="{en_risk.get_absolute_url()}">' in handelsesidan


def test_en_risk_som_anvandaren_inte_ser_hittas_inte_for_lankning(avvikelse_annan, org, klient_for):
    annan_risk = risk(org["KOLL"], titel="Rymning")
    fore = ogonblick()
    svar = klient_for("enhetschef_annan").post(
        reverse("avvikelser:link", args=[avvikelse_annan.nummer]),
        {"nummer": "RISK-2025-9999"},
    )
    assert svar.status_code == 400
    assert (
        "Hittade inget ärende eller ingen risk med numret RISK-2025-9999." in svar.content.decode()
    )
    # Another unit's risk is as unknown as one that does not exist.
    annan_enhets = risk(org["EB"], titel="Inte deras")
    svar = klient_for("enhetschef_annan").post(
        reverse("avvikelser:link", args=[avvikelse_annan.nummer]), {"nummer": annan_enhets.nummer}
    )
    assert svar.status_code == 400
    assert annan_enhets.nummer in svar.content.decode()
    assert ogonblick()["lankar"] == fore["lankar"] == 0
    assert annan_risk.pk


def test_en_ny_risk_foreslas_fran_handelsen_och_lankas_till_den(
    avvikelse, org, personas, klient_for
):
    klient = klient_for("enhetschef")
    sida = klient.get(avvikelse.get_absolute_url()).content.decode()
    forslag = f"{reverse('riskregister:ny')}?fran={avvikelse.nummer}"
    assert f'href="{forslag}"' in sida
    formular = klient.get(forslag)
    assert formular.status_code == 200
    assert formular.context["form"].initial["enhet"] == org["EB"].pk
    svar = klient.post(
        forslag,
        {
            "enhet": org["EB"].pk,
            "titel": "Adressuppgifter är inte aktuella",
            "beskrivning": "Beslut når fel mottagare; sekretess röjs.",
            "kategori": "rattssakerhet",
            "kalla": "handelse",
            "sannolikhet": 3,
            "konsekvens": 3,
        },
    )
    ny = Risk.objects.get(titel="Adressuppgifter är inte aktuella")
    assert svar.status_code == 302 and svar["Location"] == ny.get_absolute_url()
    assert (ny.status, ny.foreslagen_av, ny.riskvarde) == (
        "foreslagen",
        personas["enhetschef"],
        9,
    )
    assert list(ny.bedomningar.values_list("sannolikhet", "konsekvens")) == [(3, 3)]
    lank = _lank()
    assert (lank.fran, lank.till, lank.typ) == (avvikelse, ny, CaseLink.Typ.REALISERADE)


def test_forslaget_erbjuds_den_som_handlagger_handelsen_inte_den_som_rapporterade(
    avvikelse, klient_for
):
    forslag = f"{reverse('riskregister:ny')}?fran={avvikelse.nummer}"
    assert (
        forslag in klient_for("avdelningschef").get(avvikelse.get_absolute_url()).content.decode()
    )
    assert (
        forslag not in klient_for("medarbetare").get(avvikelse.get_absolute_url()).content.decode()
    )


def test_en_handelse_som_anvandaren_inte_ser_kan_inte_bli_kalla_till_ett_forslag(
    avvikelse_annan, klient_for
):
    svar = klient_for("medarbetare").get(
        f"{reverse('riskregister:ny')}?fran={avvikelse_annan.nummer}"
    )
    assert svar.status_code == 404


def test_risksidan_erbjuder_inga_vagar_som_bara_galler_handelser(en_risk, klient_for):
    """ "Rapportera enligt lex Sarah" and "Föreslå en ny risk" start from a case, not a risk."""
    sida = klient_for("enhetschef").get(en_risk.get_absolute_url()).content.decode()
    assert "Rapportera enligt lex Sarah" not in sida
    assert "Föreslå en ny risk" not in sida


@pytest.mark.parametrize(
    ("persona", "hittar"),
    [("kvalitetssamordnare", True), ("enhetschef", True), ("enhetschef_annan", False),
     ("medarbetare", False)],
)  # fmt: skip
def test_sidhuvudets_sokning_hittar_en_risk_pa_numret(persona, hittar, en_risk, klient_for):
    svar = klient_for(persona).get(reverse("sok"), {"nummer": f" {en_risk.nummer.lower()} "})
    assert svar.status_code == 302
    assert (svar["Location"] == en_risk.get_absolute_url()) is hittar
