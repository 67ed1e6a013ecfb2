"""The e-mails speak Swedish: words agree with the case's type (en avvikelse … den,
ett tillbud … det; en ny fråga, ett nytt klagomål)."""

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from tests.factories import AvvikelseFactory, SynpunktFactory

pytestmark = pytest.mark.django_db


def mejl(mall, **kontext):
    return render_to_string(mall, {"site_url": "https://kvalitet.invalid", **kontext})


@pytest.mark.parametrize(
    ("typ", "ny", "rapporterats", "vantar", "avslutad"),
    [
        ("avvikelse", "Ny avvikelse", "En avvikelse har", "Den väntar", "Den avvikelse du"),
        ("tillbud", "Nytt tillbud", "Ett tillbud har", "Det väntar", "Det tillbud du"),
    ],
)
def test_avvikelsernas_mejl(typ, ny, rapporterats, vantar, avslutad, org, personas):
    avv = AvvikelseFactory(typ=typ, enhet=org["EB"])
    mottagare = personas["enhetschef"]
    text = mejl("avvikelser/mejl/ny.txt", avvikelse=avv, mottagare=mottagare)
    assert text.startswith(f"{ny} {avv.nummer}")
    assert f"{rapporterats} rapporterats" in text and f"{vantar} på att utredas." in text
    text = mejl("avvikelser/mejl/avslutad.txt", avvikelse=avv, mottagare=mottagare)
    assert f"{avslutad} rapporterade" in text


@pytest.mark.parametrize(
    ("typ", "ny", "pronomen"),
    [
        ("klagomal", "Ett nytt klagomål", "Det"),
        ("synpunkt", "En ny synpunkt", "Den"),
        ("berom", "Ett nytt beröm", "Det"),
        ("forslag", "Ett nytt förslag", "Det"),
        ("fraga", "En ny fråga", "Den"),
    ],
)
def test_synpunkternas_mejl(typ, ny, pronomen, org, personas):
    syn = SynpunktFactory(typ=typ, enhet=org["EB"], tidsfrist=timezone.localdate())
    mottagare = personas["registrator"]
    text = mejl("synpunkter/mejl/ny_till_registrator.txt", synpunkt=syn, mottagare=mottagare)
    assert f"{ny} har kommit in" in text
    assert f"{pronomen} väntar på att registreras" in text
    text = mejl("synpunkter/mejl/fordelad.txt", synpunkt=syn, mottagare=mottagare)
    assert f"{pronomen} ska besvaras senast" in text
    text = mejl("synpunkter/mejl/oregistrerad.txt", synpunkt=syn, mottagare=mottagare)
    assert f"{pronomen} ska besvaras" in text
    assert f"fördela {pronomen.lower()} så snart" in text


@pytest.mark.parametrize(("typ", "namner_svarstiden"), [("klagomal", True), ("berom", False)])
def test_bekraftelsen_anger_svarstiden_som_lokal_riktlinje(typ, namner_svarstiden, org, settings):
    """The answer time is the förvaltning's own rule, a setting – not a promise by law and
    not a hard-coded two weeks (docs/regler.md)."""
    syn = SynpunktFactory(typ=typ, enhet=org["EB"])
    text = mejl("synpunkter/mejl/mottagen.txt", synpunkt=syn)
    assert ("Om du har bett om svar är vår riktlinje att svara inom 14 dagar." in text) is (
        namner_svarstiden
    )
    settings.SYNPUNKT_SVARSTID_DAGAR = 21
    text = mejl("synpunkter/mejl/mottagen.txt", synpunkt=syn)
    assert ("vår riktlinje att svara inom 21 dagar." in text) is namner_svarstiden
    assert "två veckor" not in text
