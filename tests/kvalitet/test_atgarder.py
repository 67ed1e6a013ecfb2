"""Improvement actions: planerad → pågår → genomförd → utvärderad, through their own
URLs; a wrong status or a missing effect is refused in Swedish and changes nothing."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kvalitet.models import Atgard, TimelineEntry
from tests.stod import hamta_html, har_text, meddelanden, ogonblick

pytestmark = pytest.mark.django_db


def _satt(atgard, status):
    Atgard.objects.filter(pk=atgard.pk).update(status=status)
    atgard.refresh_from_db()


def test_hela_kedjan_som_ansvarig(scen, klient_for):
    atgard = scen.atgard
    klient = klient_for("medarbetare")
    mal = f"{scen.avv.get_absolute_url()}#atgard-{atgard.pk}"

    response = klient.post(f"/atgarder/{atgard.pk}/paborja/")
    assert response.headers["Location"] == mal
    assert meddelanden(response)[-1] == "Åtgärden är påbörjad."
    atgard.refresh_from_db()
    assert atgard.status == "pagar"

    # Marking it done cannot be undone: confirmed on a page of its own first.
    response = klient.post(f"/atgarder/{atgard.pk}/genomfor/")
    assert response.status_code == 200
    assert "Markera åtgärden som genomförd?" in response.content.decode()
    atgard.refresh_from_db()
    assert atgard.status == "pagar"
    response = klient.post(f"/atgarder/{atgard.pk}/genomfor/", {"bekraftad": "ja"})
    assert meddelanden(response)[-1] == "Åtgärden är markerad som genomförd."
    atgard.refresh_from_db()
    assert atgard.status == "genomford"
    assert atgard.genomford == timezone.localdate()

    response = klient.post(
        f"/atgarder/{atgard.pk}/utvardera/",
        {"effekt_kort_sikt": "Inga fler felskickade beslut.", "effekt_lang_sikt": "Följs upp."},
    )
    assert meddelanden(response)[-1] == "Åtgärdens effekt är utvärderad."
    atgard.refresh_from_db()
    assert atgard.status == "utvarderad"
    assert atgard.effekt_kort_sikt == "Inga fler felskickade beslut."
    assert atgard.effekt_lang_sikt == "Följs upp."
    assert atgard.utvarderad == timezone.localdate()

    # The steps are written on the case's timeline, and in the action's history.
    texter = list(
        TimelineEntry.objects.filter(object_id=scen.avv.pk, typ="atgard")
        .order_by("pk")
        .values_list("text", flat=True)
    )
    assert texter == ["Ny rutin: pågår", "Ny rutin: genomförd", "Ny rutin: utvärderad"]
    assert list(
        atgard.history.order_by("history_id").values_list("history_change_reason", flat=True)
    )[-3:] == ["Påbörja", "Markera genomförd", "Utvärdera effekt"]


def test_genomford_direkt_fran_planerad(scen, klient_for):
    klient_for("enhetschef").post(f"/atgarder/{scen.atgard.pk}/genomfor/", {"bekraftad": "ja"})
    scen.atgard.refresh_from_db()
    assert scen.atgard.status == "genomford"


FEL_STATUS = [
    ("paborja", "pagar", "påbörja", "pågår"),
    ("paborja", "genomford", "påbörja", "genomförd"),
    ("paborja", "utvarderad", "påbörja", "utvärderad"),
    ("genomfor", "genomford", "markera genomförd", "genomförd"),
    ("genomfor", "utvarderad", "markera genomförd", "utvärderad"),
    ("utvardera", "planerad", "utvärdera effekt", "planerad"),
    ("utvardera", "pagar", "utvärdera effekt", "pågår"),
    ("utvardera", "utvarderad", "utvärdera effekt", "utvärderad"),
]


@pytest.mark.parametrize(("slug", "status", "atgardsnamn", "statusnamn"), FEL_STATUS)
def test_fel_status_nekas_pa_svenska(slug, status, atgardsnamn, statusnamn, scen, klient_for):
    _satt(scen.atgard, status)
    fore = ogonblick()
    response = klient_for("medarbetare").post(
        f"/atgarder/{scen.atgard.pk}/{slug}/", {"effekt_kort_sikt": "Bra effekt."}
    )
    assert response.status_code == 302
    assert meddelanden(response) == [f"Det går inte att {atgardsnamn} när status är {statusnamn}."]
    assert ogonblick() == fore


@pytest.mark.parametrize(
    ("data", "meddelande"),
    [
        ({}, "Detta fält måste fyllas i."),
        ({"effekt_kort_sikt": "   "}, "Detta fält måste fyllas i."),
        (
            {"effekt_kort_sikt": "<script>alert(1)</script>"},
            "Texten får inte innehålla HTML-kod som <script> eller andra taggar.",
        ),
        (
            {"effekt_kort_sikt": "x" * 5001},
            "Säkerställ att detta värde har som mest 5000 tecken (den har 5001).",
        ),
        (
            {"effekt_kort_sikt": "Bra.", "effekt_lang_sikt": "y" * 5001},
            "Säkerställ att detta värde har som mest 5000 tecken (den har 5001).",
        ),
    ],
)
def test_utvardera_kraver_en_effekt(data, meddelande, scen, klient_for):
    _satt(scen.atgard, "genomford")
    fore = ogonblick()
    klient = klient_for("medarbetare")
    response = klient.post(f"/atgarder/{scen.atgard.pk}/utvardera/", data)
    # The case page again (as for every refused step), the action's form open with the
    # error and what was typed.
    har_text(response, meddelande, status=400)
    sida = response.content.decode()
    assert f'id="atgard-{scen.atgard.pk}-utvardera-effekt_kort_sikt"' in sida
    assert "<details open>" in sida
    assert ogonblick() == fore


def test_modellen_kraver_en_effekt_aven_utan_formularet(scen):
    _satt(scen.atgard, "genomford")
    scen.atgard.arende = scen.avv
    with pytest.raises(ValidationError) as fel:
        scen.atgard.utvardera(av=scen.personas["medarbetare"], effekt_kort_sikt="  ")
    assert fel.value.message_dict == {
        "effekt_kort_sikt": ["Beskriv effekten innan åtgärden utvärderas."]
    }
    assert Atgard.objects.get(pk=scen.atgard.pk).status == "genomford"


def test_forsenad_atgard_markeras(scen, klient_for):
    Atgard.objects.filter(pk=scen.atgard.pk).update(
        forfallodatum=timezone.localdate() - timedelta(days=1)
    )
    html = hamta_html(klient_for("medarbetare"), scen.avv.get_absolute_url())
    assert 'class="status forsenad">Försenad</span>' in html
    _satt(scen.atgard, "genomford")
    html = hamta_html(klient_for("medarbetare"), scen.avv.get_absolute_url())
    assert "Försenad" not in html


# --- Changing an open action (Atgard.andra) ----------------------------------------------


def _andring(atgard, **andrat):
    data = {
        "titel": atgard.titel,
        "beskrivning": atgard.beskrivning,
        "ansvarig": atgard.ansvarig_id,
        "forfallodatum": atgard.forfallodatum.isoformat(),
        "forvantad_effekt": atgard.forvantad_effekt,
    }
    data.update(andrat)
    return data


def test_chefen_flyttar_en_forsenad_atgard_och_ger_den_till_en_annan(scen, klient_for):
    """An action that cannot be done in time gets a new date and owner: the timeline says
    what changed, the new owner is told, and it is no longer overdue."""
    from kvalitet.models import Utskick

    atgard = scen.atgard
    Atgard.objects.filter(pk=atgard.pk).update(
        forfallodatum=timezone.localdate() - timedelta(days=3)
    )
    atgard.refresh_from_db()
    assert atgard.ar_forsenad
    ny_frist = timezone.localdate() + timedelta(days=30)
    ny = scen.personas["enhetschef"]
    response = klient_for("avdelningschef").post(
        f"/atgarder/{atgard.pk}/andra/",
        _andring(atgard, forfallodatum=ny_frist.isoformat(), ansvarig=ny.pk),
    )
    assert response.status_code == 302
    assert meddelanden(response)[-1] == "Åtgärden är ändrad."
    atgard.refresh_from_db()
    assert (atgard.forfallodatum, atgard.ansvarig, atgard.status) == (ny_frist, ny, "planerad")
    assert not atgard.ar_forsenad
    text = TimelineEntry.objects.filter(object_id=scen.avv.pk, typ="atgard").latest("pk").text
    gammal = (timezone.localdate() - timedelta(days=3)).isoformat()
    assert text == (
        f"{atgard.titel}: ändrad: klart senast {gammal} → {ny_frist.isoformat()}; "
        f"ansvarig {scen.personas['medarbetare']} → {ny}"
    )
    assert Utskick.objects.filter(mottagare=ny.email, amne__contains=scen.avv.nummer).exists()


def test_en_forsenad_atgard_kan_ges_ny_text_med_sitt_datum(scen, klient_for):
    """Its own past date stands when only the text changes; a new past date does not."""
    atgard = scen.atgard
    forr = timezone.localdate() - timedelta(days=3)
    Atgard.objects.filter(pk=atgard.pk).update(forfallodatum=forr)
    atgard.refresh_from_db()
    chef = klient_for("enhetschef")
    fore = ogonblick()
    response = chef.post(
        f"/atgarder/{atgard.pk}/andra/",
        _andring(atgard, forfallodatum=(forr - timedelta(days=1)).isoformat()),
    )
    har_text(response, "Datumet kan inte ligga i det förflutna.", status=400)
    assert ogonblick() == fore
    response = chef.post(f"/atgarder/{atgard.pk}/andra/", _andring(atgard, titel="Ny rutin 2"))
    assert response.status_code == 302
    atgard.refresh_from_db()
    assert (atgard.titel, atgard.forfallodatum) == ("Ny rutin 2", forr)


def test_andring_utan_nagot_nytt_sager_det_och_skriver_ingenting(scen, klient_for):
    """Saving the form as it was changes nothing, and the user is told so (it said
    "Åtgärden är ändrad.")."""
    fore = ogonblick()
    response = klient_for("enhetschef").post(
        f"/atgarder/{scen.atgard.pk}/andra/", _andring(scen.atgard)
    )
    assert response.status_code == 302
    assert meddelanden(response) == ["Inget ändrades: uppgifterna var desamma som förut."]
    assert ogonblick() == fore


@pytest.mark.parametrize(
    ("andrat", "meddelande"),
    [
        ({"titel": ""}, "Detta fält måste fyllas i."),
        ({"titel": "<script>alert(1)</script>"}, "HTML-kod"),
        ({"titel": "x" * 201}, "som mest 200 tecken"),
        ({"ansvarig": "999999"}, "Välj ett giltigt alternativ"),
        ({"forfallodatum": "imorgon"}, "Fyll i ett giltigt datum."),
        ({"forfallodatum": "2999-01-01"}, "Datumet ligger för långt fram"),
    ],
)
def test_andring_nekar_felaktig_indata(andrat, meddelande, scen, klient_for):
    fore = ogonblick()
    response = klient_for("enhetschef").post(
        f"/atgarder/{scen.atgard.pk}/andra/", _andring(scen.atgard, **andrat)
    )
    har_text(response, meddelande, status=400)
    assert ogonblick() == fore


def test_annan_avdelnings_person_kan_inte_bli_ansvarig(scen, klient_for):
    fore = ogonblick()
    response = klient_for("enhetschef").post(
        f"/atgarder/{scen.atgard.pk}/andra/",
        _andring(scen.atgard, ansvarig=scen.personas["medarbetare_annan"].pk),
    )
    har_text(response, "Välj ett giltigt alternativ", status=400)
    assert ogonblick() == fore


def test_en_genomford_atgard_andras_inte(scen, klient_for):
    _satt(scen.atgard, "genomford")
    fore = ogonblick()
    response = klient_for("enhetschef").post(
        f"/atgarder/{scen.atgard.pk}/andra/", _andring(scen.atgard, titel="Sent")
    )
    assert response.status_code == 302
    assert ogonblick() == fore
    sida = hamta_html(klient_for("enhetschef"), scen.avv.get_absolute_url())
    assert f'action="/atgarder/{scen.atgard.pk}/andra/"' not in sida
