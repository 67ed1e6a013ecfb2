"""Earlier similar events, suggested while an avvikelse is investigated (DOMAIN.md §4.1:
"When investigating, link earlier similar events"): the shared step
`liknande_lankning` on the avvikelse, whose suggestions are those the user may open."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kvalitet import liknande
from kvalitet.models import CaseLink, TimelineEntry
from tests.factories import AvvikelseFactory
from tests.stod import hamta_html, meddelanden

pytestmark = pytest.mark.django_db

TEXT = "Ett sekretessbelagt beslut skickades till en gammal adress i folkbokföringen."


@pytest.fixture
def fall(org, personas, avvikelse):
    """The case under investigation (Ekonomiskt bistånd) and earlier events: in its unit,
    in another unit of the avdelning (not the enhetschef's), in another avdelning, and
    one already linked."""
    avvikelse.beskrivning = TEXT
    avvikelse.save()
    for_lange_sen = timezone.now() - timedelta(days=400)
    return {
        "avv": avvikelse,
        "samma_enhet": AvvikelseFactory(
            enhet=org["EB"], rapporterad=for_lange_sen, beskrivning=TEXT
        ),
        "annan_enhet": AvvikelseFactory(
            enhet=org["BUV"], rapporterad=for_lange_sen, beskrivning=TEXT
        ),
        "annan_avdelning": AvvikelseFactory(
            enhet=org["KOLL"], rapporterad=for_lange_sen, beskrivning=TEXT
        ),
        "lankad": AvvikelseFactory(enhet=org["EB"], rapporterad=for_lange_sen, beskrivning=TEXT),
    }


def test_bara_tidigare_handelser_och_skalen_i_den_andras_ord(fall, org, personas):
    """Suggestions are earlier events (a later one is not "tidigare", and reached the
    investigation's document); a shared word is named as the other case writes it; a
    common word in another form ("beslutade") tells nothing."""
    avv = fall["avv"]
    senare = AvvikelseFactory(
        enhet=org["EB"], rapporterad=avv.rapporterad + timedelta(minutes=5), beskrivning=TEXT
    )
    annan_form = AvvikelseFactory(
        enhet=org["BUV"],
        rapporterad=avv.rapporterad - timedelta(days=30),
        beskrivning="Handlingen skickas nu alltid rekommenderat.",
        konsekvenser="",
    )
    bara_vanligt = AvvikelseFactory(
        enhet=org["BUV"],
        rapporterad=avv.rapporterad - timedelta(days=30),
        beskrivning="Enheten beslutade om nya riktlinjer.",
        konsekvenser="",
    )
    avv.beskrivning = TEXT + " Enheten beslutade att det skickades fel."
    avv.save()
    forslag = {f.arende.nummer: f for f in liknande.forslag(avv, user=personas["avdelningschef"])}
    assert senare.nummer not in forslag
    assert bara_vanligt.nummer not in forslag
    assert "beslutade" not in liknande.nyckelord(avv.beskrivning)
    assert forslag[annan_form.nummer].skal == ["ord: skickas"]
    # A stem inside another word is no match ("adress" in "adresserad" is, in "xadress" not).
    assert liknande.hittat_ord("adress", "brevet var adresserat fel") == "adresserat"
    assert liknande.hittat_ord("adress", "en epostadress") is None


def _lanka_redan(fall, personas):
    fall["avv"].link(fall["lankad"], CaseLink.Typ.LIKNANDE, av=personas["enhetschef"])


def _foreslagna(arende, user):
    return {f.arende.nummer for f in liknande.forslag(arende, user=user)}


def test_forslagen_ar_de_anvandaren_far_oppna(fall, personas):
    _lanka_redan(fall, personas)
    avv = fall["avv"]
    enhetschef = _foreslagna(avv, personas["enhetschef"])
    assert fall["samma_enhet"].nummer in enhetschef
    # Another unit of the avdelning: the avdelningschef sees it, the enhetschef does not.
    assert fall["annan_enhet"].nummer not in enhetschef
    assert fall["annan_enhet"].nummer in _foreslagna(avv, personas["avdelningschef"])
    # Without a user (lex Sarah's investigation) the whole avdelning is suggested.
    assert fall["annan_enhet"].nummer in _foreslagna(avv, None)
    for user in (personas["enhetschef"], personas["avdelningschef"], None):
        foreslagna = _foreslagna(avv, user)
        assert fall["annan_avdelning"].nummer not in foreslagna
        assert fall["lankad"].nummer not in foreslagna  # already linked
        assert avv.nummer not in foreslagna


def test_sidan_soker_forslagen_forst_nar_de_efterfragas(fall, klient_for, monkeypatch):
    url = fall["avv"].get_absolute_url()
    klient = klient_for("enhetschef")

    def inte_nu(*args, **kwargs):
        raise AssertionError("förslagen söktes utan att efterfrågas")

    with monkeypatch.context() as m:
        m.setattr(liknande, "forslag", inte_nu)
        sida = hamta_html(klient, url)
    assert 'href="?liknande=1#liknande"' in sida
    assert fall["samma_enhet"].nummer not in sida

    sida = hamta_html(klient, url, {"liknande": "1"})
    dag = timezone.localdate(fall["samma_enhet"].rapporterad)
    assert f"{fall['samma_enhet'].nummer} · {dag:%Y-%m-%d} · Ekonomiskt bistånd · " in sida
    assert fall["annan_enhet"].nummer not in sida
    assert fall["annan_avdelning"].nummer not in sida


def test_enhetschefen_lankar_ett_forslag(fall, personas, klient_for):
    avv, tidigare = fall["avv"], fall["samma_enhet"]
    klient = klient_for("enhetschef")
    response = klient.post(f"/avvikelser/{avv.nummer}/liknande/", {"arenden": [tidigare.nummer]})
    assert response.status_code == 302
    assert meddelanden(response)[-1] == "De valda händelserna är länkade."
    assert avv.ar_lankad_till(tidigare)
    assert TimelineEntry.objects.filter(
        object_id=avv.pk,
        typ="andring",
        text=f"Liknande händelser länkade: {tidigare.nummer}",
        anvandare=personas["enhetschef"],
    ).exists()
    # One entry on each timeline: the step's here, the link's there.
    assert not TimelineEntry.objects.filter(object_id=avv.pk, typ="lank").exists()
    assert list(
        TimelineEntry.objects.filter(object_id=tidigare.pk, typ="lank").values_list(
            "text", flat=True
        )
    ) == [f"Liknande händelse: {avv.nummer}"]
    sida = hamta_html(klient, avv.get_absolute_url(), {"liknande": "1"})
    lankar = sida.split('id="rubrik-lankar"', 1)[1].split("</section>", 1)[0]
    assert f'Liknande händelse: <a href="{tidigare.get_absolute_url()}">' in lankar
    # Linked, it is no longer among the suggestions.
    forslag = sida.split('id="liknande"', 1)[1].split("</section>", 1)[0]
    assert tidigare.nummer not in forslag


@pytest.mark.parametrize(
    ("data", "fel"),
    [
        ({}, "Välj minst en händelse."),
        ({"arenden": ["annan_enhet"]}, "finns inte bland förslagen."),
        ({"arenden": ["annan_avdelning"]}, "finns inte bland förslagen."),
        ({"arenden": ["AVV-1900-0001"]}, "AVV-1900-0001 finns inte bland förslagen."),
        ({"arenden": ["<script>alert(1)</script>"]}, "&lt;script&gt;"),
    ],
)
def test_annat_an_forslagen_nekas(fall, klient_for, data, fel):
    avv = fall["avv"]
    data = {k: [fall[n].nummer if n in fall else n for n in v] for k, v in data.items()}
    response = klient_for("enhetschef").post(f"/avvikelser/{avv.nummer}/liknande/", data)
    assert response.status_code == 400
    assert fel in response.content.decode()
    assert "<script>alert(1)" not in response.content.decode()
    assert not CaseLink.objects.filter(typ=CaseLink.Typ.LIKNANDE).exists()
