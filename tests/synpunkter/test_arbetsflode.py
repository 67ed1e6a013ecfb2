"""The synpunkt's flow through the web pages: registered and routed by the registrator,
handled by the unit's manager, answered (by e-mail when there is an address), closed
with brustit/förbättring, reopened; the klagomålsdelegation; an avvikelse created from
a synpunkt where the service failed; who sees the contact details; staff entering a
synpunkt received by phone or letter. Every refusal changes nothing."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from avvikelser.models import Avvikelse
from kvalitet.models import CaseLink, TimelineEntry, Utskick
from synpunkter.models import Kontaktuppgifter, Synpunkt
from tests.factories import SynpunktFactory
from tests.stod import hamta_html, har_text, meddelanden, ogonblick
from tests.synpunkter.hjalp import KONTAKT, innehall, overgangsform, satt_status

pytestmark = pytest.mark.django_db


def url(s, steg=""):
    return f"/synpunkter/{s.nummer}/{steg + '/' if steg else ''}"


def registrering(s, **andrat):
    data = {
        "typ": "klagomal",
        "enhet": s.org["EB"].pk,
        "kategori": s.kategori.pk,
        "avsandare": "narstaende",
        "diarienummer": "",
    }
    data.update(andrat)
    return data


def mottagare():
    return sorted(Utskick.objects.values_list("mottagare", flat=True))


# --- Registering and routing ---------------------------------------------------------


def test_registratorn_registrerar_och_enhetschefen_far_besked(syn, klient_for):
    s = syn.syn
    Synpunkt.objects.filter(pk=s.pk).update(typ="synpunkt", enhet=syn.org["SOC"], enhet_okand=True)
    response = klient_for("registrator").post(url(s, "registrera"), registrering(syn))
    assert response.status_code == 302 and response["Location"] == url(s)
    s.refresh_from_db()
    assert s.status == "registrerad"
    assert (s.typ, s.enhet, s.kategori, s.avsandare) == (
        "klagomal",
        syn.org["EB"],
        syn.kategori,
        "narstaende",
    )
    assert s.diarienummer == ""  # optional
    assert s.registrerad is not None
    assert mottagare() == ["enhetschef@exempelkommun.se"]
    mejl = Utskick.objects.get()
    assert s.nummer in mejl.amne and f"svara senast {s.tidsfrist:%Y-%m-%d}" in mejl.amne
    assert KONTAKT["namn"] not in mejl.text and s.beskrivning not in mejl.text
    assert TimelineEntry.objects.filter(
        object_id=s.pk, typ="status", fran_status="inkommen", till_status="registrerad"
    ).exists()


def test_registrering_med_diarienummer_till_annan_enhet(syn, klient_for):
    s = syn.syn
    data = registrering(syn, enhet=syn.org["KOLL"].pk, diarienummer="SOCN/2026:25 - 759")
    assert klient_for("registrator").post(url(s, "registrera"), data).status_code == 302
    s.refresh_from_db()
    assert (s.enhet, s.diarienummer) == (syn.org["KOLL"], "SOCN/2026:25 - 759")
    assert mottagare() == ["enhetschef_annan@exempelkommun.se"]
    # Now the other unit's managers see it, and the first unit's no longer do.
    assert klient_for("enhetschef_annan").get(url(s)).status_code == 200
    assert klient_for("enhetschef").get(url(s)).status_code == 404


def test_enhet_utan_enhetschef_gar_till_avdelningschefen(syn, klient_for):
    data = registrering(syn, enhet=syn.org["BUV"].pk)
    assert klient_for("registrator").post(url(syn.syn, "registrera"), data).status_code == 302
    assert mottagare() == ["avdelningschef@exempelkommun.se"]


FEL_REGISTRERING = [
    ("utan-enhet", {"enhet": ""}, "enhet", "Detta fält måste fyllas i."),
    ("utan-kategori", {"kategori": ""}, "kategori", "Detta fält måste fyllas i."),
    ("okand-typ", {"typ": "hot"}, "typ", "Välj ett giltigt alternativ."),
    ("diarienummer-for-langt", {"diarienummer": "S" * 41}, "diarienummer", "som mest 40 tecken"),
    ("okand-enhet", {"enhet": "999999"}, "enhet", "Välj ett giltigt alternativ."),
]


@pytest.mark.parametrize(
    ("andrat", "falt", "meddelande"), [pytest.param(*f[1:], id=f[0]) for f in FEL_REGISTRERING]
)
def test_felaktig_registrering_andrar_inget(andrat, falt, meddelande, syn, klient_for):
    fore = ogonblick()
    response = klient_for("registrator").post(
        url(syn.syn, "registrera"), registrering(syn, **andrat)
    )
    assert response.status_code == 400
    fel = overgangsform(response, "registrera").errors
    assert meddelande in " ".join(fel[falt]), fel
    assert ogonblick() == fore


def test_anonym_synpunkt_kan_inte_fa_en_avsandare(syn, klient_for):
    anonym = SynpunktFactory(enhet=syn.org["SOC"], anonym=True, avsandare="anonym")
    fore = ogonblick()
    data = registrering(syn, avsandare="brukare")
    response = klient_for("registrator").post(url(anonym, "registrera"), data)
    assert response.status_code == 400
    assert ogonblick() == fore
    data = registrering(syn, avsandare="anonym")
    assert klient_for("registrator").post(url(anonym, "registrera"), data).status_code == 302
    anonym.refresh_from_db()
    assert (anonym.status, anonym.avsandare) == ("registrerad", "anonym")


def test_registrera_tva_ganger_nekas_med_meddelande(syn, klient_for):
    satt_status(syn.syn, "registrerad")
    fore = ogonblick()
    response = klient_for("registrator").post(url(syn.syn, "registrera"), registrering(syn))
    assert response.status_code == 302
    assert meddelanden(response) == [
        "Det går inte att registrera och fördela när status är registrerad."
    ]
    assert ogonblick() == fore


# --- Handling, answering, closing, reopening ---------------------------------------------


@pytest.mark.parametrize("chef", ["enhetschef", "avdelningschef"])
def test_hela_floden_for_enhetens_chefer(chef, syn, klient_for):
    s = syn.syn
    satt_status(s, "registrerad")
    klient = klient_for(chef)
    user = syn.personas[chef]
    assert klient.post(url(s, "paborja")).status_code == 302
    s.refresh_from_db()
    assert (s.status, s.handlaggare) == ("under_handlaggning", user)
    svar = {"svar": "Vi beklagar. Handläggningen har försenats.", "svarssatt": "telefon"}
    assert klient.post(url(s, "besvara"), svar).status_code == 302
    s.refresh_from_db()
    assert (s.status, s.svarssatt, s.svar) == ("besvarad", "telefon", svar["svar"])
    assert s.besvarad is not None and s.besvarad_i_tid is True
    assert Utskick.objects.count() == 0  # not by e-mail: nothing is sent to the submitter
    data = {"brustit": "False", "ledde_till_forbattring": "False"}
    assert klient.post(url(s, "avsluta"), data).status_code == 302
    s.refresh_from_db()
    assert (s.status, s.brustit, s.ledde_till_forbattring) == ("avslutad", False, False)
    assert s.avslutad is not None
    data = {"kommentar": "Klaganden hörde av sig igen."}
    assert klient.post(url(s, "ateroppna"), data).status_code == 302
    s.refresh_from_db()
    assert (s.status, s.avslutad) == ("under_handlaggning", None)
    assert TimelineEntry.objects.filter(
        object_id=s.pk, text="Klaganden hörde av sig igen.", till_status="under_handlaggning"
    ).exists()


def test_besvara_med_epost_skickar_svaret_till_inlamnaren(
    syn, klient_for, mailoutbox, django_capture_on_commit_callbacks
):
    s = satt_status(syn.syn, "under_handlaggning", handlaggare=syn.personas["enhetschef"])
    svar = "Hej Karin! Vi har gått igenom ärendet och beklagar väntetiden."
    klient = klient_for("enhetschef")
    # The answer leaves the system for good: the page shows it with the address first.
    fore = ogonblick()
    with django_capture_on_commit_callbacks(execute=True):
        response = klient.post(url(s, "besvara"), {"svar": svar, "svarssatt": "epost"})
    assert response.status_code == 200
    har_text(response, f"Svaret skickas med e-post till {KONTAKT['epost']}.")
    har_text(response, svar)
    assert mailoutbox == [] and ogonblick() == fore
    with django_capture_on_commit_callbacks(execute=True):
        response = klient.post(
            url(s, "besvara"), {"svar": svar, "svarssatt": "epost", "bekraftad": "ja"}
        )
    assert response.status_code == 302
    assert meddelanden(response) == ["Svaret är skickat med e-post till inlämnaren."]
    assert [m.to for m in mailoutbox] == [[KONTAKT["epost"]]]
    mejl = mailoutbox[0]
    assert svar in mejl.body
    assert s.referens in mejl.subject
    assert "klagomålsdelegation" in mejl.body


def test_besvara_med_epost_utan_adress_nekas(syn, klient_for):
    s = satt_status(syn.syn, "under_handlaggning")
    Kontaktuppgifter.objects.filter(synpunkt=s).update(epost="")
    fore = ogonblick()
    response = klient_for("enhetschef").post(
        url(s, "besvara"), {"svar": "Svar", "svarssatt": "epost"}
    )
    assert response.status_code == 400
    assert "svarssatt" in overgangsform(response, "besvara").errors
    assert ogonblick() == fore
    # The model refuses it too, whatever the caller.
    s.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        s.besvara(av=syn.personas["enhetschef"], svar="Svar", svarssatt="epost")
    assert "Det finns ingen e-postadress att skicka svaret till." in str(exc.value)
    assert ogonblick() == fore


def test_inget_svar_nekas_nar_kontaktuppgifter_finns(syn, klient_for):
    s = satt_status(syn.syn, "under_handlaggning")
    fore = ogonblick()
    response = klient_for("enhetschef").post(
        url(s, "besvara"), {"svar": "Svar", "svarssatt": "inget"}
    )
    assert response.status_code == 400
    assert "svarssatt" in overgangsform(response, "besvara").errors
    with pytest.raises(ValidationError) as exc:
        s.besvara(av=syn.personas["enhetschef"], svar="Svar", svarssatt="inget")
    assert "Inlämnaren har lämnat kontaktuppgifter. Välj hur svaret lämnades." in str(exc.value)
    assert ogonblick() == fore


def test_anonym_besvaras_med_inget_svar(syn, klient_for):
    anonym = SynpunktFactory(enhet=syn.org["EB"], anonym=True, avsandare="anonym")
    satt_status(anonym, "under_handlaggning")
    sida = hamta_html(klient_for("enhetschef"), url(anonym))
    assert 'value="inget"' in sida and 'value="epost"' not in sida
    data = {"svar": "Noterat; rutinen ses över.", "svarssatt": "inget"}
    assert klient_for("enhetschef").post(url(anonym, "besvara"), data).status_code == 302
    anonym.refresh_from_db()
    assert (anonym.status, anonym.svarssatt) == ("besvarad", "inget")
    assert Utskick.objects.count() == 0


FEL_OVERGANG = [
    ("besvara-utan-svar", "under_handlaggning", "besvara", {"svar": "  ", "svarssatt": "brev"},
     "svar", "Detta fält måste fyllas i."),
    ("besvara-for-langt", "under_handlaggning", "besvara",
     {"svar": "x" * 20_001, "svarssatt": "brev"}, "svar", "som mest 20000 tecken"),
    ("besvara-okant-satt", "under_handlaggning", "besvara", {"svar": "Svar", "svarssatt": "fax"},
     "svarssatt", "Välj ett giltigt alternativ."),
    ("avsluta-utan-svar-pa-brustit", "besvarad", "avsluta", {"ledde_till_forbattring": "False"},
     "brustit", "Svara ja eller nej."),
    ("avsluta-forbattring-utan-text", "besvarad", "avsluta",
     {"brustit": "True", "ledde_till_forbattring": "True", "forbattring": " "},
     "forbattring", "Beskriv förbättringen."),
    ("avsluta-forbattring-for-lang", "besvarad", "avsluta",
     {"brustit": "True", "ledde_till_forbattring": "True", "forbattring": "x" * 5001},
     "forbattring", "som mest 5000 tecken"),
    ("avsluta-konstigt-varde", "besvarad", "avsluta",
     {"brustit": "kanske", "ledde_till_forbattring": "False"}, "brustit",
     "Välj ett giltigt alternativ."),
    ("ateroppna-utan-skal", "avslutad", "ateroppna", {"kommentar": ""}, "kommentar",
     "Detta fält måste fyllas i."),
    ("ateroppna-for-langt", "avslutad", "ateroppna", {"kommentar": "x" * 2001}, "kommentar",
     "som mest 2000 tecken"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("status", "steg", "data", "falt", "meddelande"),
    [pytest.param(*f[1:], id=f[0]) for f in FEL_OVERGANG],
)
def test_felaktig_inmatning_i_overgangar_andrar_inget(
    status, steg, data, falt, meddelande, syn, klient_for
):
    s = satt_status(syn.syn, status)
    fore = ogonblick()
    response = klient_for("enhetschef").post(url(s, steg), data)
    assert response.status_code == 400
    fel = overgangsform(response, steg).errors
    assert meddelande in " ".join(fel.get(falt, [])), fel
    har_text(response, meddelande)
    assert ogonblick() == fore


# Every step from every status it is not declared for: tests/test_arbetsfloden.py.


def test_avsluta_med_forbattring(syn, klient_for):
    s = satt_status(syn.syn, "besvarad")
    data = {"brustit": "True", "ledde_till_forbattring": "True", "forbattring": "Ny rutin."}
    assert klient_for("enhetschef").post(url(s, "avsluta"), data).status_code == 302
    s.refresh_from_db()
    assert (s.brustit, s.ledde_till_forbattring, s.forbattring) == (True, True, "Ny rutin.")


# --- An avvikelse from a synpunkt where the service failed --------------------------------

LANK = '/avvikelser/ny/?fran={nr}">Skapa en avvikelse från synpunkten'


def test_brustit_erbjuder_avvikelse_som_fylls_i_och_lankas(syn, klient_for):
    s = satt_status(syn.syn, "avslutad", brustit=True, ledde_till_forbattring=False)
    klient = klient_for("enhetschef")
    assert LANK.format(nr=s.nummer) in hamta_html(klient, url(s))
    ny = klient.get(f"/avvikelser/ny/?fran={s.nummer}")
    assert ny.status_code == 200
    initial = ny.context["form"].initial
    assert initial["enhet"] == syn.org["EB"].pk
    assert initial["beskrivning"].startswith(f"Från {s.nummer} (klagomål): ")
    assert s.beskrivning in ny.content.decode()
    data = {
        "typ": "avvikelse",
        "enhet": syn.org["EB"].pk,
        "handelsedatum": timezone.localdate(s.inkom).isoformat(),
        "beror_enskild": "True",
        "beskrivning": initial["beskrivning"],
        "fran": s.nummer,
    }
    response = klient.post(f"/avvikelser/ny/?fran={s.nummer}", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    avv = Avvikelse.objects.get()
    assert response["Location"] == avv.get_absolute_url()
    lank = CaseLink.objects.get()
    assert (lank.fran, lank.till, lank.typ) == (avv, s, "skapad_fran")
    # Both pages show the link, each read from its own side: the avvikelse was created
    # from the klagomål, the klagomål gave rise to the avvikelse (issue 10).
    avvsida = hamta_html(klient, avv.get_absolute_url())
    assert re.search(rf"Skapad från:\s*<a[^>]*>{s.nummer}</a>", avvsida)
    sida = hamta_html(klient, url(s))
    assert re.search(rf"Gav upphov till:\s*<a[^>]*>{avv.nummer}</a>", sida)
    assert "Skapad från" not in sida
    # So do the timelines.
    assert avv.timeline.get(typ="lank").text == f"Skapad från: {s.nummer}"
    assert s.timeline.get(typ="lank").text == f"Gav upphov till: {avv.nummer}"
    # Offered once: with an avvikelse already created from it, the offer is gone.
    assert "Skapa en avvikelse från synpunkten" not in sida


@pytest.mark.parametrize("brustit", [False, None])
def test_ingen_avvikelselank_nar_verksamheten_inte_brustit(brustit, syn, klient_for):
    s = satt_status(syn.syn, "avslutad", brustit=brustit)
    assert "Skapa en avvikelse från synpunkten" not in hamta_html(klient_for("enhetschef"), url(s))


def test_ingen_avvikelselank_innan_avslut(syn, klient_for):
    s = satt_status(syn.syn, "besvarad", brustit=True)
    assert "Skapa en avvikelse från synpunkten" not in hamta_html(klient_for("enhetschef"), url(s))


def test_fran_ett_arende_man_inte_ser_ignoreras(syn, klient_for):
    s = satt_status(syn.syn, "avslutad", brustit=True)
    klient = klient_for("enhetschef_annan")
    ny = klient.get(f"/avvikelser/ny/?fran={s.nummer}")
    assert ny.status_code == 200
    # Nothing of the case reaches the page (the number is only echoed in the form's own
    # address, which the user typed).
    assert ny.context["kalla"] is None
    sida = ny.content.decode().replace(f'action="/avvikelser/ny/?fran={s.nummer}"', "")
    assert s.beskrivning not in sida and s.nummer not in sida
    assert "beskrivning" not in ny.context["form"].initial
    data = {
        "typ": "avvikelse",
        "enhet": syn.org["KOLL"].pk,
        "handelsedatum": timezone.localdate().isoformat(),
        "beror_enskild": "False",
        "beskrivning": "Något annat.",
        "fran": s.nummer,
    }
    assert klient.post(f"/avvikelser/ny/?fran={s.nummer}", data).status_code == 302
    assert Avvikelse.objects.count() == 1
    assert CaseLink.objects.count() == 0


# --- Klagomålsdelegationen -------------------------------------------------------------


def delegation(status, datum, anteckning=""):
    return {"status": status, "datum": datum.isoformat(), "anteckning": anteckning}


@pytest.mark.parametrize("persona", ["enhetschef", "avdelningschef", "registrator"])
def test_delegationen_begard_och_behandlad(persona, syn, klient_for):
    s = satt_status(syn.syn, "besvarad")
    s.inkom = timezone.now() - timedelta(days=20)
    Synpunkt.objects.filter(pk=s.pk).update(inkom=s.inkom)
    klient = klient_for(persona)
    idag = timezone.localdate()
    begard = idag - timedelta(days=5)
    response = klient.post(url(s, "klagomalsdelegation"), delegation("begard", begard))
    assert response.status_code == 302 and response["Location"] == url(s)
    s.refresh_from_db()
    assert (s.delegation_status, s.delegation_begard) == ("begard", begard)
    response = klient.post(url(s, "klagomalsdelegation"), delegation("behandlad", idag, "Avslag."))
    assert response.status_code == 302
    s.refresh_from_db()
    assert (s.delegation_status, s.delegation_begard, s.delegation_behandlad) == (
        "behandlad",
        begard,
        idag,
    )
    assert s.delegation_anteckning == "Avslag."
    sida = hamta_html(klient, url(s))
    assert f"<dt>Behandlad</dt><dd>{idag:%Y-%m-%d}</dd>" in sida
    assert TimelineEntry.objects.filter(
        object_id=s.pk, typ="beslut", text__startswith="Klagomålsdelegationen: behandlad"
    ).exists()


def _inkom_for(s, dagar):
    Synpunkt.objects.filter(pk=s.pk).update(inkom=timezone.now() - timedelta(days=dagar))
    s.refresh_from_db()


FEL_DELEGATION = [
    ("behandlad-utan-begaran", None, ("behandlad", 0), "status",
     "Registrera först att klagomålsdelegationen har begärts."),
    ("behandlad-fore-begaran", ("begard", 2), ("behandlad", 4), "datum",
     "Delegationen kan inte ha behandlat ärendet före begäran."),
    ("fore-ankomstdagen", None, ("begard", 30), "datum",
     "Datumet kan inte ligga före ankomstdagen."),
    ("i-framtiden", None, ("begard", -1), "datum", "Datumet kan inte ligga i framtiden."),
    ("okand-status", None, ("avgjord", 0), "status", "Välj ett giltigt alternativ."),
]  # fmt: skip


@pytest.mark.parametrize(
    ("fore", "begaran", "falt", "meddelande"),
    [pytest.param(*f[1:], id=f[0]) for f in FEL_DELEGATION],
)
def test_delegationens_datumregler(fore, begaran, falt, meddelande, syn, klient_for):
    s = syn.syn
    _inkom_for(s, 10)
    klient = klient_for("enhetschef")
    idag = timezone.localdate()
    if fore:
        assert (
            klient.post(
                url(s, "klagomalsdelegation"),
                delegation(fore[0], idag - timedelta(days=fore[1])),
            ).status_code
            == 302
        )
    fore_bild = ogonblick()
    status, dagar_sedan = begaran
    response = klient.post(
        url(s, "klagomalsdelegation"), delegation(status, idag - timedelta(days=dagar_sedan))
    )
    assert response.status_code == 400
    fel = overgangsform(response, "registrera_delegation").errors
    assert meddelande in " ".join(fel.get(falt, [])), fel
    har_text(response, meddelande)
    assert ogonblick() == fore_bild


@pytest.mark.parametrize(
    ("datum", "meddelande"),
    [
        ("0001-01-01", "Ange ett datum mellan 1900-01-01 och 2100-12-31."),
        ("1899-12-31", "Ange ett datum mellan 1900-01-01 och 2100-12-31."),
        ("9999-12-31", "Datumet kan inte ligga i framtiden."),
        ("31/12", "Fyll i ett giltigt datum."),
    ],
)
def test_delegationens_datum_inom_granserna(datum, meddelande, syn, klient_for):
    """Security finding 4 (issue 10): every date a form takes lies in 1900..2100."""
    fore = ogonblick()
    response = klient_for("enhetschef").post(
        url(syn.syn, "klagomalsdelegation"), {"status": "begard", "datum": datum}
    )
    assert response.status_code == 400
    fel = overgangsform(response, "registrera_delegation").errors
    assert fel.get("datum") == [meddelande], fel
    assert ogonblick() == fore


def test_delegationen_galler_bara_klagomal(syn, klient_for):
    Synpunkt.objects.filter(pk=syn.syn.pk).update(typ="berom")
    fore = ogonblick()
    response = klient_for("enhetschef").post(
        url(syn.syn, "klagomalsdelegation"), delegation("begard", timezone.localdate())
    )
    assert response.status_code == 403
    assert ogonblick() == fore
    sida = hamta_html(klient_for("enhetschef"), url(syn.syn))
    assert "Klagomålsdelegationen" not in sida


def test_delegationsformularet_visas_bara_for_dem_som_far_registrera(syn, klient_for):
    action = f'action="/synpunkter/{syn.syn.nummer}/klagomalsdelegation/"'
    for persona, visas in [
        ("enhetschef", True),
        ("avdelningschef", True),
        ("registrator", True),
        ("kvalitetssamordnare", False),
        ("forvaltningschef", False),
    ]:
        sida = hamta_html(klient_for(persona), url(syn.syn))
        assert (action in sida) is visas, persona


# --- Contact details ---------------------------------------------------------------------

KONTAKTTEXTER = (KONTAKT["namn"], KONTAKT["epost"], KONTAKT["telefon"])


@pytest.mark.parametrize(
    ("persona", "ser_kontakt"),
    [
        ("registrator", True),
        ("enhetschef", True),
        ("avdelningschef", True),
        ("kvalitetssamordnare", False),
        ("forvaltningschef", False),
    ],
)
def test_kontaktuppgifter_bara_for_dem_som_handlagger(persona, ser_kontakt, syn, klient_for):
    response = klient_for(persona).get(url(syn.syn))
    sida = response.content.decode()
    assert response.status_code == 200
    assert syn.syn.beskrivning in sida  # they see the case ...
    for text in KONTAKTTEXTER:
        assert (text in sida) is ser_kontakt, (persona, text)  # ... but maybe not the contact
    if not ser_kontakt:
        assert "Kontaktuppgifter visas bara för dem som handlägger ärendet." in sida


def test_handlaggaren_ser_kontaktuppgifterna(syn, klient_for):
    """A colleague made handler (no manager role) sees the case and the contact block."""
    satt_status(syn.syn, "under_handlaggning", handlaggare=syn.personas["medarbetare"])
    sida = hamta_html(klient_for("medarbetare"), url(syn.syn))
    for text in KONTAKTTEXTER:
        assert text in sida


@pytest.mark.parametrize("persona", ["registrator", "enhetschef", "kvalitetssamordnare"])
def test_exporter_innehaller_inga_kontaktuppgifter(persona, syn, klient_for):
    import io

    import openpyxl

    klient = klient_for(persona)
    csv_text = innehall(klient.get("/synpunkter/export.csv"))
    assert syn.syn.nummer in csv_text
    bok = openpyxl.load_workbook(io.BytesIO(klient.get("/synpunkter/export.xlsx").getvalue()))
    xlsx_text = " ".join(
        str(c) for rad in bok.active.iter_rows(values_only=True) for c in rad if c is not None
    )
    assert syn.syn.nummer in xlsx_text
    for text in (*KONTAKTTEXTER, "Karin", "example.org", syn.syn.referens):
        assert text not in csv_text and text not in xlsx_text, text


# --- Removal of contact details (gallring) -----------------------------------------------


def test_kontaktuppgifter_gallras_efter_installd_tid_men_arendet_finns_kvar(
    syn, klient_for, settings
):
    from synpunkter.tasks import gallra_kontaktuppgifter

    settings.SYNPUNKT_KONTAKT_GALLRAS_DAGAR = 30
    nu = timezone.now()
    gammal = satt_status(syn.syn, "avslutad", avslutad=nu - timedelta(days=31))
    ny = satt_status(syn.annan, "avslutad", avslutad=nu - timedelta(days=29))
    oppen = SynpunktFactory(enhet=syn.org["EB"], kontakt={"namn": "Öppen Person", "epost": ""})
    Synpunkt.objects.filter(pk=oppen.pk).update(inkom=nu - timedelta(days=400))

    assert gallra_kontaktuppgifter(nu=nu) == 1
    assert not Kontaktuppgifter.objects.filter(synpunkt=gammal).exists()
    assert Kontaktuppgifter.objects.filter(synpunkt=ny).exists()
    assert Kontaktuppgifter.objects.filter(synpunkt=oppen).exists()
    gammal.refresh_from_db()
    assert gammal.kontakt_gallrad is not None
    assert gammal.beskrivning and gammal.status == "avslutad"  # the case remains
    assert gammal.kontakt is None
    sida = hamta_html(klient_for("registrator"), url(gammal))
    assert "Kontaktuppgifterna är gallrade" in sida
    for text in KONTAKTTEXTER:
        assert text not in sida
    # Nor is it left in the case's history.
    for rad in gammal.history.all():
        assert KONTAKT["namn"] not in str(rad.__dict__)
    # Running again removes nothing more; a shorter setting reaches the other one.
    assert gallra_kontaktuppgifter(nu=nu) == 0
    settings.SYNPUNKT_KONTAKT_GALLRAS_DAGAR = 7
    assert gallra_kontaktuppgifter(nu=nu) == 1
    assert Kontaktuppgifter.objects.count() == 1


# --- The 14-day deadline ----------------------------------------------------------------


def test_tidsfristen_raknas_i_svensk_tid(syn):
    # 00:30 on 1 January in Stockholm is still 31 December in UTC.
    inkom = timezone.make_aware(datetime(2026, 1, 1, 0, 30))
    s = SynpunktFactory(enhet=syn.org["EB"], inkom=inkom)
    assert s.tidsfrist.isoformat() == "2026-01-15"
    sent = SynpunktFactory(
        enhet=syn.org["EB"], inkom=timezone.make_aware(datetime(2025, 12, 31, 23, 30))
    )
    assert sent.tidsfrist.isoformat() == "2026-01-14"
    assert sent.nummer.startswith("SYN-2025-")


def test_tidsfristen_visas_pa_arendet_och_i_mina_arenden(syn, klient_for):
    s = satt_status(syn.syn, "under_handlaggning", handlaggare=syn.personas["enhetschef"])
    frist = f"{s.tidsfrist:%Y-%m-%d}"
    sida = hamta_html(klient_for("enhetschef"), url(s))
    assert f"<dt>Svara senast</dt><dd>{frist}" in sida
    start = hamta_html(klient_for("enhetschef"), "/")
    assert "Synpunkter som väntar på dig" in start
    rad = start.split(f'href="{url(s)}"')[1].split("</tr>")[0]
    assert frist in rad


def test_mina_arenden_for_registratorn_och_chefen(syn, klient_for):
    """New submissions wait for the registrator; registered ones for the unit's managers."""
    start = hamta_html(klient_for("registrator"), "/")
    assert url(syn.syn) in start and url(syn.annan) in start
    assert url(syn.syn) not in hamta_html(klient_for("enhetschef"), "/")
    satt_status(syn.syn, "registrerad")
    assert url(syn.syn) in hamta_html(klient_for("enhetschef"), "/")
    assert url(syn.syn) not in hamta_html(klient_for("registrator"), "/")
    assert url(syn.syn) not in hamta_html(klient_for("enhetschef_annan"), "/")


# --- Staff entering a synpunkt ------------------------------------------------------------


def personal(s, **andrat):
    data = {
        "kanal": "brev",
        "avsandare": "narstaende",
        "typ": "klagomal",
        "inkom": (timezone.localdate() - timedelta(days=2)).isoformat(),
        "beskrivning": "Brev om bemötandet vid ett hembesök.",
        "enhet": s.org["KOLL"].pk,
        "anonym": "False",
        "namn": "Nora Närstående",
        "epost": "nora@example.org",
        "telefon": "",
    }
    data.update(andrat)
    return {k: v for k, v in data.items() if v is not None}


def test_personal_registrerar_brev_med_kanal_och_avsandare(
    syn, klient_for, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = klient_for("medarbetare").post("/synpunkter/ny/", personal(syn))
    assert response.status_code == 302
    s = Synpunkt.objects.get(kanal="brev")
    assert response["Location"] == url(s)
    dag = timezone.localdate() - timedelta(days=2)
    assert s.inkom == timezone.make_aware(datetime.combine(dag, time(12)))
    assert (s.avsandare, s.enhet, s.enhet_okand, s.status) == (
        "narstaende",
        syn.org["KOLL"],
        False,
        "inkommen",
    )
    assert s.tidsfrist == dag + timedelta(days=14)
    assert s.kontaktuppgifter.namn == "Nora Närstående"
    # Not from the e-service: no automatic acknowledgement; the registrator is told.
    assert [m.to for m in mailoutbox] == [["registrator@exempelkommun.se"]]


def test_personalens_synpunkt_far_en_ledig_referens(syn, klient_for, monkeypatch):
    """A reference another synpunkt has, or a submission waiting to be built, is never
    given again: a new one is drawn."""
    from synpunkter import models
    from synpunkter.models import Inlamning

    Inlamning.objects.create(nyckel="k" * 32, referens="AAAA-AAAA", typ="klagomal", anonym=True)
    tagen = Synpunkt.objects.exclude(referens="").values_list("referens", flat=True).first()
    dragna = iter([tagen, "AAAA-AAAA", "BBBB-BBBB"])
    monkeypatch.setattr(models, "ny_referens", lambda: next(dragna))
    response = klient_for("medarbetare").post("/synpunkter/ny/", personal(syn))
    assert response.status_code == 302
    assert Synpunkt.objects.get(kanal="brev").referens == "BBBB-BBBB"
    assert Synpunkt.objects.filter(referens=tagen).count() == 1


def test_via_ivo_utan_kand_enhet(syn, klient_for):
    data = personal(syn, kanal="via_ivo", avsandare="myndighet", enhet="", anonym="True")
    # Via IVO: IVO's case number and the date IVO sent it (tests/synpunkter/test_ivo.py).
    data.update(ivo_diarienummer="3.5.1-1/2026", ivo_skickad=data["inkom"])
    assert klient_for("registrator").post("/synpunkter/ny/", data).status_code == 302
    s = Synpunkt.objects.get(kanal="via_ivo")
    assert (s.enhet, s.enhet_okand, s.anonym) == (syn.org["SOC"], True, True)
    assert s.ivo_diarienummer == "3.5.1-1/2026"
    assert Kontaktuppgifter.objects.filter(synpunkt=s).count() == 0
    # The registrator entered it: no notification to themself.
    assert Utskick.objects.count() == 0


FEL_PERSONAL = [
    ("inkom-i-framtiden", {"inkom": "2999-01-01"}, "inkom", "Datumet kan inte ligga i framtiden."),
    ("inkom-saknas", {"inkom": ""}, "inkom", "Detta fält måste fyllas i."),
    ("inkom-ogiltigt", {"inkom": "31/12"}, "inkom", "Fyll i ett giltigt datum."),
    # Security finding 4 (issue 10): a synpunkt received in year 1 became SYN-1-0001.
    ("inkom-ar-1", {"inkom": "0001-01-01"}, "inkom",
     "Ange ett datum mellan 1900-01-01 och 2100-12-31."),
    ("inkom-1899", {"inkom": "1899-12-31"}, "inkom",
     "Ange ett datum mellan 1900-01-01 och 2100-12-31."),
    ("inkom-ar-9999", {"inkom": "9999-12-31"}, "inkom", "Datumet kan inte ligga i framtiden."),
    ("e-tjanst-ar-inte-personalens", {"kanal": "e_tjanst"}, "kanal",
     "Välj ett giltigt alternativ."),
    ("avsandare-okand", {"avsandare": "kung"}, "avsandare", "Välj ett giltigt alternativ."),
    ("beskrivning-for-lang", {"beskrivning": "x" * 10_001}, "beskrivning",
     "som mest 10000 tecken"),
    ("namn-for-langt", {"namn": "N" * 201}, "namn", "som mest 200 tecken"),
    ("telefon-ogiltig", {"telefon": "07O-12345", "epost": ""}, "telefon",
     "Skriv telefonnumret med siffror"),
    ("epost-ogiltig", {"epost": "nora@"}, "epost", "Fyll i en giltig e-postadress."),
    ("namn-saknas", {"namn": ""}, "namn",
     "Skriv avsändarens namn, eller svara att kontaktuppgifter saknas."),
    ("ingen-vag-att-svara", {"epost": ""}, "epost",
     "Skriv en e-postadress eller ett telefonnummer så att vi kan svara."),
    ("enhet-okand", {"enhet": "999999"}, "enhet", "Välj ett giltigt alternativ."),
]  # fmt: skip


@pytest.mark.parametrize(
    ("andrat", "falt", "meddelande"), [pytest.param(*f[1:], id=f[0]) for f in FEL_PERSONAL]
)
def test_felaktig_inmatning_i_personalens_formular(andrat, falt, meddelande, syn, klient_for):
    fore = ogonblick()
    response = klient_for("medarbetare").post("/synpunkter/ny/", personal(syn, **andrat))
    assert response.status_code == 400
    fel = response.context["form"].errors
    assert len(fel.get(falt, [])) == 1 and meddelande in fel[falt][0], fel
    assert ogonblick() == fore
    assert Synpunkt.objects.count() == 2


def test_forsta_svaret_raknas_efter_ateroppning(syn):
    """The 14-day figure is measured by the first answer, also after reopening."""
    forsta = timezone.now() - timedelta(days=20)
    s = satt_status(syn.syn, "under_handlaggning", besvarad=forsta, svar="Första svaret.")
    s.besvara(av=syn.personas["enhetschef"], svar="Nytt svar.", svarssatt="brev")
    s.refresh_from_db()
    assert s.svar == "Nytt svar."
    assert s.besvarad == forsta
