"""IVO's tillsyn as the förvaltning lives it: registered, IVO's requirements and their
answer date as the case's deadline, answers, IVO's decision, closing once the
requirements are answered; and the IVO page that gathers the förvaltning's dealings
with IVO from every part."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from lexsarah.models import LexSarah
from tests.factories import SynpunktFactory
from tests.stod import hamta_html, meddelanden, ogonblick
from tests.tillsyn.hjalp import skapa
from tillsyn.models import Tillsyn

pytestmark = pytest.mark.django_db


@pytest.fixture
def varld(org, personas):
    return SimpleNamespace(org=org, personas=personas)


def _formular(org, **andrat):
    data = {
        "enhet": org["EB"].pk,
        "typ": "planerad",
        "ivo_diarienummer": "3.5.1-77/2026",
        "inleddes": (timezone.localdate() - timedelta(days=2)).isoformat(),
        "omfattning": "Planerad tillsyn av handläggningen.",
    }
    data.update(andrat)
    return {k: v for k, v in data.items() if v is not None}


def test_registrera_tillsyn_ger_arende_med_ivos_svarsdatum_som_tidsfrist(varld, klient_for):
    svar_senast = timezone.localdate() + timedelta(days=14)
    response = klient_for("enhetschef").post(
        "/tillsyn/ny/", _formular(varld.org, svar_senast=svar_senast.isoformat())
    )
    tillsyn = Tillsyn.objects.get(ivo_diarienummer="3.5.1-77/2026")
    assert response.status_code == 302 and response.url == tillsyn.get_absolute_url()
    assert meddelanden(response) == [f"Tillsynen är registrerad som {tillsyn.nummer}."]
    assert tillsyn.nummer.startswith("TIS-")
    assert tillsyn.status == "pagar"
    assert tillsyn.tidsfrist == svar_senast
    assert tillsyn.registrerad_av == varld.personas["enhetschef"]


@pytest.mark.parametrize(
    "andrat,falt,meddelande",
    [
        ({"omfattning": ""}, "omfattning", "Detta fält måste fyllas i."),
        ({"ivo_diarienummer": "x" * 41}, "ivo_diarienummer", "som mest 40 tecken"),
        ({"inleddes": "igår"}, "inleddes", "Fyll i ett giltigt datum."),
        (
            {"inleddes": (timezone.localdate() + timedelta(days=1)).isoformat()},
            "inleddes",
            "Datumet kan inte ligga i framtiden.",
        ),
        (
            {"svar_senast": (timezone.localdate() - timedelta(days=30)).isoformat()},
            "svar_senast",
            "Svarsdatumet kan inte ligga före tillsynens start.",
        ),
        ({"typ": "<script>"}, "typ", "Välj ett giltigt alternativ."),
    ],
)
def test_felaktig_registrering_visar_meddelandet_och_skriver_ingenting(
    andrat, falt, meddelande, varld, klient_for
):
    fore = ogonblick()
    response = klient_for("enhetschef").post("/tillsyn/ny/", _formular(varld.org, **andrat))
    assert response.status_code == 400
    fel = response.context["form"].errors[falt]
    assert any(meddelande in f for f in fel), fel
    assert ogonblick() == fore


def test_annan_avdelnings_enhet_nekas(varld, klient_for):
    fore = ogonblick()
    response = klient_for("enhetschef").post(
        "/tillsyn/ny/", _formular(varld.org, enhet=varld.org["KOLL"].pk)
    )
    assert response.status_code == 400
    assert ogonblick() == fore


def test_text_med_skript_nekas_och_visas_inte(varld, klient_for):
    fore = ogonblick()
    response = klient_for("enhetschef").post(
        "/tillsyn/ny/", _formular(varld.org, omfattning="<script>alert(1)</script>")
    )
    assert response.status_code == 400
    assert response.context["form"].errors["omfattning"] == [
        "Texten får inte innehålla HTML-kod som <script> eller andra taggar."
    ]
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert ogonblick() == fore


def test_krav_forutsatter_redovisning_efter_beslutet_innan_avslut(varld):
    chef = varld.personas["enhetschef"]
    tillsyn = skapa(varld)
    idag = timezone.localdate()
    tillsyn.registrera_beslut(
        av=chef,
        beslut=idag - timedelta(days=1),
        utfall="krav",
        beslut_text="Krav på rutin.",
        aterrapport_senast=idag + timedelta(days=60),
    )
    tillsyn.refresh_from_db()
    assert tillsyn.status == "beslutad"
    assert tillsyn.tidsfrist == idag + timedelta(days=60)
    with pytest.raises(ValidationError, match="redovisning till IVO efter beslutet"):
        tillsyn.avsluta(av=chef)
    tillsyn.svara(av=chef, datum=idag, text="Rutinen är antagen.")
    tillsyn.refresh_from_db()
    tillsyn.avsluta(av=chef)
    tillsyn.refresh_from_db()
    assert tillsyn.status == "avslutad" and tillsyn.tidsfrist is None


def test_krav_utan_aterrapportdatum_nekas(varld):
    tillsyn = skapa(varld)
    with pytest.raises(ValidationError, match="Ange när förvaltningen ska redovisa"):
        tillsyn.registrera_beslut(
            av=varld.personas["enhetschef"],
            beslut=timezone.localdate(),
            utfall="foreleggande",
            beslut_text="Föreläggande.",
        )


def test_svar_i_tid_tar_bort_fristen_tills_ivo_fragar_igen(varld):
    chef = varld.personas["enhetschef"]
    tillsyn = skapa(varld)
    assert tillsyn.tidsfrist == timezone.localdate() + timedelta(days=10)
    tillsyn.svara(av=chef, datum=timezone.localdate(), text="Svar.")
    tillsyn.refresh_from_db()
    # Answered before IVO's date: the date stands until IVO's next question.
    assert tillsyn.tidsfrist == timezone.localdate() + timedelta(days=10)
    senare = timezone.localdate() + timedelta(days=40)
    tillsyn.registrera_krav(av=chef, krav="Nya frågor.", svar_senast=senare)
    tillsyn.refresh_from_db()
    assert tillsyn.tidsfrist == senare


# --- The IVO page ------------------------------------------------------------------------


@pytest.fixture
def ivo_arenden(varld):
    org, p = varld.org, varld.personas
    tillsyn = skapa(varld)
    tillsyn_annan = skapa(varld, enhet="KOLL")
    ls = LexSarah.objects.create(
        enhet=org["EB"],
        vag="rapport",
        kalla="egen",
        beskrivning="Beslut till fel adress.",
        rapporterad_av=p["medarbetare"],
        klassning="allvarligt_missforhallande",
        ivo_anmald=timezone.localdate(),
        ivo_diarienummer="IVO-LS-1",
    )
    syn = SynpunktFactory(
        enhet=org["EB"],
        kanal="via_ivo",
        ivo_diarienummer="IVO-KL-1",
        ivo_skickad=timezone.localdate() - timedelta(days=5),
        ivo_svar_senast=timezone.localdate() - timedelta(days=1),
    )
    return SimpleNamespace(tillsyn=tillsyn, annan=tillsyn_annan, ls=ls, syn=syn)


def test_ivo_sidan_samlar_anmalningar_klagomal_och_tillsyn(ivo_arenden, klient_for):
    sida = hamta_html(klient_for("enhetschef"), "/ivo/")
    for rubrik in ("Anmälningar enligt lex Sarah", "Klagomål som IVO överlämnat", "IVO:s tillsyn"):
        assert rubrik in sida
    assert ivo_arenden.ls.nummer in sida and "IVO-LS-1" in sida
    assert ivo_arenden.syn.nummer in sida and "Försenat" in sida
    assert ivo_arenden.tillsyn.nummer in sida
    # Only what the user may see: another avdelning's tillsyn is not listed.
    assert ivo_arenden.annan.nummer not in sida
    # No free text of the cases on the overview.
    assert "Beslut till fel adress." not in sida


def test_ivo_sidan_for_den_som_ser_allt(ivo_arenden, klient_for):
    sida = hamta_html(klient_for("kvalitetssamordnare"), "/ivo/")
    assert ivo_arenden.annan.nummer in sida and ivo_arenden.tillsyn.nummer in sida


def test_ivo_sidan_kostar_lika_manga_fragor_med_fler_arenden(
    varld, klient_for, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    klient = klient_for("forvaltningschef")
    skapa(varld)
    with CaptureQueriesContext(connection) as fa:
        klient.get("/ivo/")
    for _ in range(10):
        skapa(varld)
    with CaptureQueriesContext(connection) as manga:
        klient.get("/ivo/")
    assert len(manga.captured_queries) == len(fa.captured_queries)


def test_formularet_har_inga_tomma_val_som_ser_ut_som_streck(varld, klient_for):
    """The type is chosen among IVO's kinds of tillsyn, none chosen beforehand; the unit
    list starts with "Välj enhet" (Django's blank "---------" showed as a radio button
    of its own, chosen)."""
    html = klient_for("enhetschef").get("/tillsyn/ny/").content.decode()
    assert "---------" not in html
    assert 'name="typ" value=""' not in html
    assert "Välj enhet" in html
