"""Bad input on the shared forms: comment, attachment upload, new improvement action,
link to another case, login and password reset, and the date bounds every form and list
filter keeps. Each answer carries a clear Swedish message and nothing changes."""

from datetime import datetime, timedelta

import hypothesis
import pytest
from django import forms
from django.core import mail
from django.utils import timezone
from hypothesis import strategies as st

from avvikelser.filters import AvvikelseFilter
from avvikelser.models import Avvikelse
from kvalitet.forms import Form
from kvalitet.lib.datum import SENAST, TIDIGAST, inom_granserna
from kvalitet.models import Atgard, CaseLink, TimelineEntry
from synpunkter.filters import SynpunktFilter
from synpunkter.models import Synpunkt
from tests.stod import fil, har_text, jpeg_bytes, meddelanden, ogonblick, pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db

KRAVS = "Detta fält måste fyllas i."
HTML = "Texten får inte innehålla HTML-kod som <script> eller andra taggar."
SCRIPT = "<script>alert(1)</script>"
OGILTIGT_VAL = "Välj ett giltigt alternativ. Det valet finns inte bland tillgängliga alternativ."
FILTYP = "Filtypen är inte tillåten. Tillåtna är: docx, heic, jpg, odt, pdf, png, txt, xlsx."


def langd(max_, har):
    return f"Säkerställ att detta värde har som mest {max_} tecken (den har {har})."


def idag(dagar=0):
    return (timezone.localdate() + timedelta(days=dagar)).isoformat()


def innehall(ext):
    return f"Filens innehåll stämmer inte med filändelsen .{ext}."


def _bygg(bas, andringar, s):
    data = dict(bas)
    for nyckel, varde in andringar.items():
        if varde is None:
            data.pop(nyckel, None)
        else:
            data[nyckel] = varde(s) if callable(varde) else varde
    return data


def _ny_atgard(s):
    return {
        "titel": "Informera om adressrutinen",
        "typ": "information",
        "beskrivning": "",
        "ansvarig": s.personas["medarbetare"].pk,
        "forfallodatum": idag(30),
        "forvantad_effekt": "",
    }


def _lank(s):
    return {"nummer": s.team_fall.nummer, "kommentar": ""}


# (id, path under the case, persona, valid data, changes, message)
FEL = [
    ("kommentar-tom", "kommentar", "medarbetare", {"text": ""}, {}, KRAVS),
    ("kommentar-blanksteg", "kommentar", "medarbetare", {"text": "  \n "}, {}, KRAVS),
    ("kommentar-for-lang", "kommentar", "medarbetare", {"text": "x" * 5001}, {},
     langd(5000, 5001)),
    ("kommentar-script", "kommentar", "medarbetare", {"text": SCRIPT}, {}, HTML),
    ("kommentar-tagg-stora-bokstaver", "kommentar", "medarbetare",
     {"text": "se <IFRAME src=x>"}, {}, HTML),
    ("bilaga-saknas", "bilagor", "medarbetare", {}, {}, KRAVS),
    ("bilaga-exe", "bilagor", "medarbetare",
     {"fil": lambda s: fil("program.exe", b"MZ\x90\x00" + bytes(300))}, {}, FILTYP),
    ("bilaga-html", "bilagor", "medarbetare",
     {"fil": lambda s: fil("sida.html", b"<html><script>alert(1)</script></html>")}, {}, FILTYP),
    ("bilaga-svg", "bilagor", "medarbetare",
     {"fil": lambda s: fil("bild.svg", b"<svg onload='alert(1)'/>")}, {}, FILTYP),
    ("bilaga-utan-filandelse", "bilagor", "medarbetare",
     {"fil": lambda s: fil("rapport", pdf_bytes())}, {}, FILTYP),
    ("bilaga-dubbel-filandelse", "bilagor", "medarbetare",
     {"fil": lambda s: fil("rapport.pdf.exe", b"MZ" + bytes(100))}, {}, FILTYP),
    ("bilaga-html-som-pdf", "bilagor", "medarbetare",
     {"fil": lambda s: fil("x.pdf", b"<!DOCTYPE html><html><body>hej</body></html>")}, {},
     innehall("pdf")),
    ("bilaga-png-som-pdf", "bilagor", "medarbetare",
     {"fil": lambda s: fil("x.pdf", png_bytes())}, {}, innehall("pdf")),
    ("bilaga-pdf-som-png", "bilagor", "medarbetare",
     {"fil": lambda s: fil("x.png", pdf_bytes())}, {}, innehall("png")),
    ("bilaga-exe-som-jpg", "bilagor", "medarbetare",
     {"fil": lambda s: fil("foto.jpg", b"MZ\x90\x00" + bytes(300))}, {}, innehall("jpg")),
    ("bilaga-text-som-docx", "bilagor", "medarbetare",
     {"fil": lambda s: fil("brev.docx", "Hej på dig".encode())}, {}, innehall("docx")),
    ("bilaga-binar-som-txt", "bilagor", "medarbetare",
     {"fil": lambda s: fil("logg.txt", b"abc\x00def")}, {}, "Filen är inte en textfil."),
    ("bilaga-png-som-txt", "bilagor", "medarbetare",
     {"fil": lambda s: fil("logg.txt", png_bytes())}, {}, "Filen är inte en textfil."),
    ("bilaga-latin1-txt", "bilagor", "medarbetare",
     {"fil": lambda s: fil("anteckning.txt", "Åtgärd på gång, här är mer text.".encode("latin-1"))},
     {}, "Textfilen måste vara sparad som UTF-8."),
    ("bilaga-tom", "bilagor", "medarbetare", {"fil": lambda s: fil("tom.pdf", b"")}, {},
     "Den skickade filen är tom."),
    ("atgard-tom", "atgarder", "enhetschef", {}, {}, "Titel: " + KRAVS),
    ("atgard-titel-for-lang", "atgarder", "enhetschef", _ny_atgard, {"titel": "x" * 201},
     langd(200, 201)),
    ("atgard-beskrivning-for-lang", "atgarder", "enhetschef", _ny_atgard,
     {"beskrivning": "x" * 5001}, langd(5000, 5001)),
    ("atgard-titel-script", "atgarder", "enhetschef", _ny_atgard, {"titel": SCRIPT}, HTML),
    ("atgard-effekt-tagg", "atgarder", "enhetschef", _ny_atgard,
     {"forvantad_effekt": "<b>bättre</b>"}, HTML),
    ("atgard-typ-abc", "atgarder", "enhetschef", _ny_atgard, {"typ": "abc"},
     "Välj ett giltigt alternativ. abc finns inte bland tillgängliga alternativ."),
    ("atgard-ansvarig-abc", "atgarder", "enhetschef", _ny_atgard, {"ansvarig": "abc"},
     OGILTIGT_VAL),
    ("atgard-ansvarig-finns-inte", "atgarder", "enhetschef", _ny_atgard,
     {"ansvarig": 999_999}, OGILTIGT_VAL),
    ("atgard-ansvarig-annan-avdelning", "atgarder", "enhetschef", _ny_atgard,
     {"ansvarig": lambda s: s.personas["medarbetare_annan"].pk}, OGILTIGT_VAL),
    ("atgard-ansvarig-namnd", "atgarder", "enhetschef", _ny_atgard,
     {"ansvarig": lambda s: s.personas["namnd"].pk}, OGILTIGT_VAL),
    ("atgard-datum-abc", "atgarder", "enhetschef", _ny_atgard, {"forfallodatum": "abc"},
     "Fyll i ett giltigt datum."),
    ("atgard-datum-passerat", "atgarder", "enhetschef", _ny_atgard,
     {"forfallodatum": idag(-1)}, "Datumet kan inte ligga i det förflutna."),
    ("atgard-datum-for-langt-fram", "atgarder", "enhetschef", _ny_atgard,
     {"forfallodatum": idag(6 * 366)},
     "Datumet ligger för långt fram. Välj ett datum inom fem år."),
    # The action's own bounds speak before the general range (kvalitet.lib.datum).
    ("atgard-datum-ar-1", "atgarder", "enhetschef", _ny_atgard, {"forfallodatum": "0001-01-01"},
     "Datumet kan inte ligga i det förflutna."),
    ("atgard-datum-ar-9999", "atgarder", "enhetschef", _ny_atgard,
     {"forfallodatum": "9999-12-31"},
     "Datumet ligger för långt fram. Välj ett datum inom fem år."),
    ("lank-tom", "lankar", "enhetschef", {}, {}, "Ärendenummer: " + KRAVS),
    ("lank-for-lang", "lankar", "enhetschef", _lank, {"nummer": "AVV-2026-" + "1" * 12},
     langd(20, 21)),
    ("lank-abc", "lankar", "enhetschef", _lank, {"nummer": "abc"},
     "Hittade inget ärende eller ingen risk med numret ABC."),
    ("lank-finns-inte", "lankar", "enhetschef", _lank, {"nummer": "AVV-2026-9999"},
     "Hittade inget ärende eller ingen risk med numret AVV-2026-9999."),
    ("lank-osynligt-arende", "lankar", "enhetschef", _lank,
     {"nummer": lambda s: s.annan.nummer}, "Hittade inget ärende eller ingen risk med numret "),
    ("lank-till-sig-sjalv", "lankar", "enhetschef", _lank,
     {"nummer": lambda s: s.avv.nummer}, "Ett ärende kan inte länkas till sig självt."),
    ("lank-kommentar-for-lang", "lankar", "enhetschef", _lank, {"kommentar": "x" * 501},
     langd(500, 501)),
    ("lank-kommentar-script", "lankar", "enhetschef", _lank, {"kommentar": SCRIPT}, HTML),
]  # fmt: skip


@pytest.mark.parametrize(
    ("slug", "persona", "giltig", "andringar", "meddelande"),
    [pytest.param(*rad[1:], id=rad[0]) for rad in FEL],
)
def test_formularen_nekar_felaktig_indata(
    slug, persona, giltig, andringar, meddelande, scen, klient_for
):
    bas = giltig(scen) if callable(giltig) else giltig
    data = _bygg(bas, andringar, scen)
    data = {k: (v(scen) if callable(v) else v) for k, v in data.items()}
    fore = ogonblick()
    response = klient_for(persona).post(f"/avvikelser/{scen.avv.nummer}/{slug}/", data)
    har_text(response, meddelande, status=400)
    assert ogonblick() == fore


# --- Date bounds (security finding 4, issue 10) ------------------------------------------

DATUMGRANS = "Ange ett datum mellan 1900-01-01 och 2100-12-31."


class _Datumform(Form):
    dag = forms.DateField()
    tid = forms.DateTimeField(required=False)


@hypothesis.given(dag=st.dates())
def test_varje_formular_haller_datumgranserna(dag):
    """Every form built on KvalitetFormMixin takes a date (or a date and time) within
    TIDIGAST..SENAST and refuses any other with the one message."""
    form = _Datumform({"dag": dag.isoformat(), "tid": f"{dag.isoformat()} 12:00"})
    if inom_granserna(dag):
        assert form.is_valid(), form.errors
    else:
        assert form.errors == {"dag": [DATUMGRANS], "tid": [DATUMGRANS]}


def test_datumgranserna_ar_ratt_satta():
    assert (TIDIGAST.isoformat(), SENAST.isoformat()) == ("1900-01-01", "2100-12-31")
    # The filters' arithmetic at the bounds stays within what Python can represent.
    timezone.make_aware(datetime.combine(TIDIGAST, datetime.min.time()))
    timezone.make_aware(datetime.combine(SENAST + timedelta(days=1), datetime.min.time()))


@pytest.mark.parametrize(
    ("filter_klass", "modell"), [(AvvikelseFilter, Avvikelse), (SynpunktFilter, Synpunkt)]
)
@hypothesis.settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture],
)
@hypothesis.given(dag=st.dates(), falt=st.sampled_from(["fran", "till"]))
def test_listfiltret_svarar_for_varje_datum(filter_klass, modell, dag, falt, scen):
    """Any date in a list filter either filters (the query runs) or is refused with the
    message, an empty result and the errors an export refuses it with."""
    user = scen.personas["kvalitetssamordnare"]
    filtret = filter_klass(
        {falt: dag.isoformat()}, queryset=modell.objects.for_user(user), user=user
    )
    resultat = list(filtret.qs)  # an overflow in the date arithmetic would raise here
    if inom_granserna(dag):
        assert filtret.form.is_valid(), filtret.form.errors
    else:
        assert filtret.form.errors == {falt: [DATUMGRANS]}
        assert resultat == []
        assert filtret.fel() == [f"{filtret.form[falt].label}: {DATUMGRANS}"]


def test_listfiltrets_slutdatum_fore_startdatum_sags(scen, klient_for):
    """A range ending before it starts is said (list page, export, API), not answered
    with an empty list that looks like no cases; the same day at both ends is a day."""
    user = scen.personas["kvalitetssamordnare"]
    filtret = AvvikelseFilter(
        {"fran": "2026-05-01", "till": "2026-04-30"},
        queryset=Avvikelse.objects.for_user(user),
        user=user,
    )
    assert list(filtret.qs) == []
    assert filtret.form.errors == {"till": ["Slutdatumet ligger före startdatumet."]}
    assert filtret.fel() == [f"{filtret.form['till'].label}: Slutdatumet ligger före startdatumet."]
    sida = klient_for("kvalitetssamordnare").get("/avvikelser/?fran=2026-05-01&till=2026-04-30")
    assert "Slutdatumet ligger före startdatumet." in sida.content.decode()
    samma = AvvikelseFilter(
        {"fran": "2026-05-01", "till": "2026-05-01"},
        queryset=Avvikelse.objects.for_user(user),
        user=user,
    )
    assert samma.form.is_valid()


def test_lank_till_osynligt_arende_avslojar_inte_att_det_finns(scen, klient_for):
    """The message for a case the user cannot see is the same as for a missing one."""
    response = klient_for("enhetschef").post(
        f"/avvikelser/{scen.avv.nummer}/lankar/", {"nummer": scen.annan.nummer}
    )
    har_text(
        response,
        f"Hittade inget ärende eller ingen risk med numret {scen.annan.nummer}.",
        status=400,
    )


def test_giltig_kommentar_atgard_och_lank_sparas(scen, klient_for, mailoutbox):
    bas = f"/avvikelser/{scen.avv.nummer}"
    chef = klient_for("enhetschef")
    assert chef.post(f"{bas}/kommentar/", {"text": "Ringt enheten."}).status_code == 302
    assert chef.post(f"{bas}/atgarder/", _ny_atgard(scen)).status_code == 302
    assert chef.post(f"{bas}/lankar/", {"nummer": scen.team_fall.nummer.lower()}).status_code == 302

    atgard = Atgard.objects.get(titel="Informera om adressrutinen")
    assert (atgard.enhet, atgard.status, atgard.skapad_av) == (
        scen.org["EB"],
        "planerad",
        scen.personas["enhetschef"],
    )
    lank = CaseLink.objects.get()
    assert (lank.fran_id, lank.till_id, lank.typ) == (scen.avv.pk, scen.team_fall.pk, "liknande")
    # The link is noted on both cases' timelines.
    assert TimelineEntry.objects.filter(
        object_id=scen.team_fall.pk, typ="lank", text=f"Liknande händelse: {scen.avv.nummer}"
    ).exists()
    # Linking the same case again adds nothing, and says so (from either end, with a
    # comment that would otherwise have been dropped without a word).
    fore = ogonblick()
    for fran, till in ((scen.avv, scen.team_fall), (scen.team_fall, scen.avv)):
        response = chef.post(
            f"/avvikelser/{fran.nummer}/lankar/",
            {"nummer": till.nummer, "kommentar": "Samma adressregister."},
        )
        har_text(response, f"{till.nummer} är redan länkat hit.", status=400)
        assert ogonblick() == fore


@pytest.mark.parametrize("status", ["avslutad"])
def test_avslutat_arende_tar_inte_emot_kommentarer_bilagor_eller_atgarder(status, scen, klient_for):
    from tests.stod import satt_status

    satt_status(scen.avv, status, kategori=scen.kategori, analys="Klart.")
    fore = ogonblick()
    bas = f"/avvikelser/{scen.avv.nummer}"
    chef = klient_for("enhetschef")
    assert chef.post(f"{bas}/kommentar/", {"text": "Sent tillägg."}).status_code == 403
    bilaga = {"fil": fil("sent.pdf", pdf_bytes())}
    assert chef.post(f"{bas}/bilagor/", bilaga).status_code == 403
    assert chef.post(f"{bas}/atgarder/", _ny_atgard(scen)).status_code == 403
    assert ogonblick() == fore


def test_for_stor_bilaga_nekas(scen, klient_for, settings):
    """Reading stops once the file passes BILAGA_MAX_MB (kvalitet.uploads): the request
    is refused as too large (413) before the view, and nothing changes."""
    settings.BILAGA_MAX_MB = 1
    stor = pdf_bytes() + b"0" * (1024 * 1024)
    fore = ogonblick()
    response = klient_for("medarbetare").post(
        f"/avvikelser/{scen.avv.nummer}/bilagor/", {"fil": fil("stor.pdf", stor)}
    )
    har_text(response, "Det du skickade är för stort. En bilaga får vara högst 1 MB.", status=413)
    assert ogonblick() == fore


def test_for_stor_bilaga_som_anda_nar_formularet_nekas(scen, settings):
    """The form's own size check stays, for a file that reaches it some other way."""
    from kvalitet.forms import AttachmentForm

    settings.BILAGA_MAX_MB = 1
    form = AttachmentForm(files={"fil": fil("stor.pdf", pdf_bytes() + b"0" * (1024 * 1024))})
    assert form.errors["fil"] == ["Filen är för stor. Den får vara högst 1 MB."]


def test_bilaga_precis_under_gransen_godtas(scen, klient_for, settings):
    settings.BILAGA_MAX_MB = 1
    data = jpeg_bytes()
    data += b"\x00" * (1024 * 1024 - len(data))
    response = klient_for("medarbetare").post(
        f"/avvikelser/{scen.avv.nummer}/bilagor/", {"fil": fil("foto.jpg", data)}
    )
    assert response.status_code == 302
    assert scen.avv.attachments.filter(filnamn="foto.jpg", storlek=1024 * 1024).exists()


# --- Login and password reset ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "meddelande"),
    [
        ({}, KRAVS),
        ({"username": "medarbetare", "password": ""}, KRAVS),
        ({"username": "", "password": "demo"}, KRAVS),
        (
            {"username": "medarbetare", "password": "fel"},
            "Ange ett korrekt användarnamn och lösenord.",
        ),
        (
            {"username": "finns_inte", "password": "demo"},
            "Ange ett korrekt användarnamn och lösenord.",
        ),
        (
            {"username": "x" * 151, "password": "demo"},
            "Ange ett korrekt användarnamn och lösenord.",
        ),
        (
            {"username": SCRIPT, "password": "demo"},
            "Ange ett korrekt användarnamn och lösenord.",
        ),
    ],
)
def test_inloggning_med_felaktiga_uppgifter(data, meddelande, scen, client):
    response = client.post("/konto/logga-in/", data)
    har_text(response, meddelande, status=200)
    assert "_auth_user_id" not in client.session
    if data.get("username") == SCRIPT:
        assert SCRIPT not in response.content.decode()


def test_inloggning_med_ratt_uppgifter(scen, client):
    response = client.post(
        "/konto/logga-in/", {"username": "medarbetare", "password": "demo", "next": "/avvikelser/"}
    )
    assert response.headers["Location"] == "/avvikelser/"
    assert client.session["_auth_user_id"] == str(scen.personas["medarbetare"].pk)


def test_inloggning_foljer_inte_extern_next(scen, client):
    response = client.post(
        "/konto/logga-in/",
        {"username": "medarbetare", "password": "demo", "next": "https://angripare.example/"},
    )
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize(
    ("email", "meddelande"),
    [
        ("", KRAVS),
        ("abc", "Fyll i en giltig e-postadress."),
        ("<script>@x.se", "Fyll i en giltig e-postadress."),
        ("a" * 250 + "@x.se", langd(254, 255)),
    ],
)
def test_losenordsaterstallning_med_felaktig_adress(email, meddelande, scen, client):
    response = client.post("/konto/aterstall/", {"email": email})
    har_text(response, meddelande, status=200)
    assert mail.outbox == []


def test_losenordsaterstallning_avslojar_inte_okand_adress(
    scen, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/konto/aterstall/", {"email": "okand@exempelkommun.se"})
    assert response.headers["Location"] == "/konto/aterstall/skickat/"
    assert mail.outbox == []

    # The link goes through the outbox, delivered after commit (tests/kvalitet/
    # test_inloggning.py: never during the request).
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/konto/aterstall/", {"email": "medarbetare@exempelkommun.se"})
    assert response.headers["Location"] == "/konto/aterstall/skickat/"
    assert [m.to for m in mail.outbox] == [["medarbetare@exempelkommun.se"]]
    assert "/konto/aterstall/" in mail.outbox[0].body


def test_felsammanfattningen_satter_kolon_efter_etiketten_men_inte_efter_en_fraga():
    """ "Titel: Detta fält …", but "Vad hände? Detta fält …" (it read "Vad hände?: …")."""
    from django import forms

    from kvalitet.forms import Form

    class Prov(Form):
        titel = forms.CharField(label="Titel")
        vad = forms.CharField(label="Vad hände?")

    rader = Prov(data={}).felsammanfattning()
    assert [(etikett, str(fel)) for _id, etikett, fel in rader] == [
        ("Titel: ", "Detta fält måste fyllas i."),
        ("Vad hände? ", "Detta fält måste fyllas i."),
    ]


def test_en_felaktig_lank_tas_bort_och_det_noteras_pa_bada_arendena(scen, klient_for):
    """A link made by mistake is taken back by whoever may link the case (it stayed for
    ever, and in a lex Sarah investigation's document); both timelines say so."""
    avv, team = scen.avv, scen.team_fall
    lank = avv.link(team, CaseLink.Typ.LIKNANDE, av=scen.personas["enhetschef"])
    url = f"/avvikelser/{avv.nummer}/lankar/{lank.pk}/ta-bort/"
    sida = klient_for("enhetschef").get(avv.get_absolute_url()).content.decode()
    assert f'action="{url}"' in sida
    assert f'aria-label="Ta bort länken till {team.nummer}"' in sida
    assert (
        f'action="{url}"'
        not in klient_for("medarbetare").get(avv.get_absolute_url()).content.decode()
    )

    fore = ogonblick()
    assert klient_for("medarbetare").post(url).status_code == 403
    assert ogonblick() == fore
    response = klient_for("enhetschef").post(url)
    assert response.status_code == 302
    assert meddelanden(response) == [f"Länken till {team.nummer} är borttagen."]
    assert not CaseLink.objects.exists()
    assert TimelineEntry.objects.filter(
        object_id=avv.pk, typ="lank", text=f"Länk borttagen: Liknande händelse: {team.nummer}"
    ).exists()
    assert TimelineEntry.objects.filter(
        object_id=team.pk, typ="lank", text=f"Länk borttagen: Liknande händelse: {avv.nummer}"
    ).exists()
    # Gone: a second click finds nothing.
    assert klient_for("enhetschef").post(url).status_code == 404


def test_lankar_som_visar_ursprunget_eller_ett_dolt_arende_tas_inte_bort(scen, klient_for):
    """A link that records where a case came from stays; so does one to a case the user
    cannot see (they cannot judge it); another case's link is not found through this one."""
    avv, team, annan = scen.avv, scen.team_fall, scen.annan
    chef = scen.personas["avdelningschef"]
    ursprung = team.link(avv, CaseLink.Typ.SKAPAD_FRAN, av=chef)
    dold = avv.link(annan, CaseLink.Typ.LIKNANDE, av=scen.personas["forvaltningschef"])
    fore = ogonblick()
    response = klient_for("enhetschef").post(
        f"/avvikelser/{avv.nummer}/lankar/{ursprung.pk}/ta-bort/"
    )
    har_text(response, "Länken visar var ärendet kommer ifrån och kan inte tas bort.", status=403)
    assert (
        klient_for("enhetschef")
        .post(f"/avvikelser/{avv.nummer}/lankar/{dold.pk}/ta-bort/")
        .status_code
        == 403
    )
    assert ogonblick() == fore
    annans = team.link(annan, CaseLink.Typ.LIKNANDE, av=scen.personas["forvaltningschef"])
    fore = ogonblick()
    assert (
        klient_for("enhetschef")
        .post(f"/avvikelser/{avv.nummer}/lankar/{annans.pk}/ta-bort/")
        .status_code
        == 404
    )
    assert ogonblick() == fore
    sida = klient_for("enhetschef").get(avv.get_absolute_url()).content.decode()
    assert f"/lankar/{ursprung.pk}/ta-bort/" not in sida
    assert f"/lankar/{dold.pk}/ta-bort/" not in sida
