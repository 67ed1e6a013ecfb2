"""Intake through the API: a case made exactly as through the page (its form, its
creation path: number, timeline, notifications through the outbox), once per caller's
`extern_id` – also when the same call races itself – and every bad input refused with a
Swedish message per field and nothing changed."""

import threading
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

from api.models import Intag
from avvikelser.models import Avvikelse
from kvalitet.models import TimelineEntry, Utskick
from synpunkter.models import Synpunkt
from tests.api.conftest import ApiKlient, fel
from tests.hjalp import kraver
from tests.stod import ogonblick

pytestmark = pytest.mark.django_db

BESKRIVNING = "Ett beslut skickades till fel adress."


def avvikelse(org, **falt):
    return {
        "extern_id": "kc-4711",
        "typ": "avvikelse",
        "enhet": org["EB"].pk,
        "handelsedatum": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "upptackt_datum": timezone.localdate().isoformat(),
        "upptackt_hur": "kollega",
        "beror_enskild": True,
        "beskrivning": BESKRIVNING,
        "konsekvenser": "Uppgifter kunde ha röjts.",
        **falt,
    }


def synpunkt(org, **falt):
    return {
        "extern_id": "kc-4712",
        "kanal": "telefon",
        "avsandare": "narstaende",
        "typ": "klagomal",
        "inkom": timezone.localdate().isoformat(),
        "beskrivning": "Ringde om ett försenat beslut.",
        "enhet": org["EB"].pk,
        "anonym": False,
        "namn": "Greta Medborgare",
        "telefon": "070-123 45 67",
        **falt,
    }


FALT = [
    "typ",
    "enhet_id",
    "handelsedatum",
    "upptackt_datum",
    "upptackt_hur",
    "beror_enskild",
    "beskrivning",
    "konsekvenser",
    "status",
    "tidsfrist",
    "rapporterad_av_id",
    "skapad_av_id",
]


def test_avvikelsen_skapas_som_genom_formularet(api_for, klient_for, org, personas):
    klient = api_for("medarbetare", skriv=True)
    svar = klient.post("/api/v1/avvikelser/", avvikelse(org))
    assert svar.status_code == 201, svar.content
    data = svar.json()
    via_api = Avvikelse.objects.get(nummer=data["nummer"])
    assert svar["Location"] == f"http://testserver/api/v1/avvikelser/{via_api.nummer}/"
    assert data["beskrivning"] == BESKRIVNING and data["status"] == "rapporterad"
    # The same report through the page's form.
    sida = avvikelse(org, beror_enskild="True", beskrivning="Samma via sidan.")
    del sida["extern_id"]
    assert klient_for("medarbetare").post("/avvikelser/ny/", sida).status_code == 302
    via_sidan = Avvikelse.objects.get(beskrivning="Samma via sidan.")
    for falt in FALT:
        if falt != "beskrivning":
            assert getattr(via_api, falt) == getattr(via_sidan, falt), falt
    # Numbered in the same series, one after the other.
    assert via_api.nummer[:9] == via_sidan.nummer[:9] == f"AVV-{timezone.localdate().year}-"
    assert int(via_sidan.nummer[-4:]) == int(via_api.nummer[-4:]) + 1
    # The same timeline entry, the same history reason, the same notification.
    for a in (via_api, via_sidan):
        tidslinje = list(a.timeline.values_list("typ", "till_status", "anvandare"))
        assert tidslinje == [("skapat", "rapporterad", personas["medarbetare"].pk)]
        assert a.history.get().history_change_reason == "Rapporterad"
    mejl = list(Utskick.objects.values_list("mottagare", flat=True))
    assert mejl == [personas["enhetschef"].email] * 2
    assert Intag.objects.get().arende == via_api


def test_samma_extern_id_igen_ger_samma_arende(api_for, org):
    klient = api_for("medarbetare", skriv=True)
    forsta = klient.post("/api/v1/avvikelser/", avvikelse(org))
    assert forsta.status_code == 201
    fore = ogonblick()
    andra = klient.post("/api/v1/avvikelser/", avvikelse(org, beskrivning="Annan text"))
    assert andra.status_code == 200
    assert andra.json() == forsta.json()
    assert andra["Location"] == forsta["Location"]
    assert Avvikelse.objects.count() == 1 and Intag.objects.count() == 1
    assert ogonblick() == fore  # no second case, entry or e-mail


def test_extern_id_galler_per_anropare_och_typ(api_for, nyckel_for, org):
    a = api_for("medarbetare", skriv=True).post("/api/v1/avvikelser/", avvikelse(org))
    b = api_for("enhetschef", skriv=True).post("/api/v1/avvikelser/", avvikelse(org))
    c = api_for("medarbetare", skriv=True).post(
        "/api/v1/synpunkter/", synpunkt(org, extern_id="kc-4711")
    )
    assert (a.status_code, b.status_code, c.status_code) == (201, 201, 201)
    assert a.json()["nummer"] != b.json()["nummer"]
    assert Intag.objects.count() == 3


def test_synpunkten_skapas_som_genom_formularet(api_for, org, personas):
    svar = api_for("enhetschef", skriv=True).post("/api/v1/synpunkter/", synpunkt(org))
    assert svar.status_code == 201, svar.content
    syn = Synpunkt.objects.get(nummer=svar.json()["nummer"])
    assert (syn.kanal, syn.typ, syn.avsandare, syn.enhet, syn.status) == (
        "telefon",
        "klagomal",
        "narstaende",
        org["EB"],
        "inkommen",
    )
    assert syn.skapad_av == personas["enhetschef"] and not syn.anonym
    assert syn.kontakt.namn == "Greta Medborgare"  # stored, as the form stores it ...
    assert "Greta" not in svar.content.decode()  # ... never shown by the API
    assert list(syn.timeline.values_list("typ", "text")) == [("skapat", "Telefon")]
    # The registrators are told, through the outbox.
    assert list(Utskick.objects.values_list("mottagare", flat=True)) == [
        personas["registrator"].email
    ]


def test_synpunkt_utan_enhet_gar_till_registratorn(api_for, org):
    svar = api_for("enhetschef", skriv=True).post(
        "/api/v1/synpunkter/", synpunkt(org, enhet=None, anonym=True, namn="", telefon="")
    )
    assert svar.status_code == 201, svar.content
    syn = Synpunkt.objects.get()
    assert syn.enhet == org["SOC"] and syn.enhet_okand and syn.anonym
    assert svar.json()["enhet"] is None


# --- Bad input: a Swedish message per field, nothing changed -----------------------------


def _idag(dagar=0):
    return (timezone.localdate() + timedelta(days=dagar)).isoformat()


FEL = [
    # (name, change of the body, field, the message or its beginning)
    ("tom-kropp", lambda o: {}, "extern_id", "Ange extern_id"),
    ("utan-extern-id", lambda o: avvikelse(o, extern_id=None), "extern_id", "Ange extern_id"),
    ("tomt-extern-id", lambda o: avvikelse(o, extern_id="  "), "extern_id", "Ange extern_id"),
    (
        "langt-extern-id",
        lambda o: avvikelse(o, extern_id="x" * 101),
        "extern_id",
        "extern_id får vara högst 100 tecken.",
    ),
    (
        "extern-id-tal",
        lambda o: avvikelse(o, extern_id=4711),
        "extern_id",
        "extern_id ska vara text (en JSON-sträng).",
    ),
    (
        "utan-beskrivning",
        lambda o: avvikelse(o, beskrivning=""),
        "beskrivning",
        "Detta fält måste fyllas i.",
    ),
    (
        "for-lang-text",
        lambda o: avvikelse(o, beskrivning="å" * 10_001),
        "beskrivning",
        "Säkerställ att detta värde har som mest 10000 tecken (den har 10001).",
    ),
    (
        "tal-som-text",
        lambda o: avvikelse(o, beskrivning=123),
        "beskrivning",
        "Ange värdet som text (en JSON-sträng).",
    ),
    (
        "lista-som-text",
        lambda o: avvikelse(o, beskrivning=["a", "b"]),
        "beskrivning",
        "Ange ett enda värde, inte en lista eller ett objekt.",
    ),
    ("sant-som-enhet", lambda o: avvikelse(o, enhet=True), "enhet", "Ange id:t som ett heltal."),
    (
        "text-som-ja-nej",
        lambda o: avvikelse(o, beror_enskild="ja"),
        "beror_enskild",
        "Svara true eller false.",
    ),
    (
        "annan-enhet",
        lambda o: avvikelse(o, enhet=o["KOLL"].pk),
        "enhet",
        "Välj ett giltigt alternativ.",
    ),
    (
        "enhet-finns-inte",
        lambda o: avvikelse(o, enhet=999_999),
        "enhet",
        "Välj ett giltigt alternativ.",
    ),
    (
        "skripttagg",
        lambda o: avvikelse(o, beskrivning="<script>alert('x')</script>"),
        "beskrivning",
        "",
    ),
    (
        "framtida-datum",
        lambda o: avvikelse(o, handelsedatum=_idag(1), upptackt_datum=None),
        "handelsedatum",
        "Datumet kan inte ligga i framtiden.",
    ),
    (
        "upptackt-fore-handelse",
        lambda o: avvikelse(o, upptackt_datum=_idag(-5)),
        "upptackt_datum",
        "Det kan inte ha upptäckts innan det hände. Kontrollera datumen.",
    ),
    ("felaktigt-datum", lambda o: avvikelse(o, handelsedatum="2026-13-40"), "handelsedatum", ""),
    ("okant-falt", lambda o: avvikelse(o, status="avslutad"), "status", "Okänt fält."),
    ("bilaga", lambda o: avvikelse(o, bilaga="JVBERi0xLjQK"), "bilaga", "Okänt fält."),
    (
        "arbetsskada-avvikelse",
        lambda o: avvikelse(o, arbetsskadeanmalan=True),
        "arbetsskadeanmalan",
        "Arbetsskadeanmälan gäller bara tillbud.",
    ),
]


@pytest.mark.parametrize(("namn", "kropp", "falt", "meddelande"), FEL, ids=[f[0] for f in FEL])
def test_felaktiga_uppgifter_ger_400_och_andrar_inget(namn, kropp, falt, meddelande, api_for, org):
    klient = api_for("medarbetare", skriv=True)
    fore = ogonblick()
    svar = klient.post("/api/v1/avvikelser/", kropp(org))
    assert svar.status_code == 400, svar.content
    fel_ = fel(svar)
    assert fel_["code"] == "invalid"
    assert fel_["message"] == "Uppgifterna kunde inte tas emot. Se felen per fält."
    assert falt in fel_["fields"], fel_
    assert fel_["fields"][falt][0].startswith(meddelande), fel_["fields"][falt]
    assert ogonblick() == fore
    assert not Avvikelse.objects.exists()


def test_skripttaggen_nekas_med_meddelande(api_for, org):
    """Markup is refused, as by the page's form (kvalitet.forms.ingen_html): it is never
    stored, so never shown; the message is JSON, never HTML."""
    svar = api_for("medarbetare", skriv=True).post(
        "/api/v1/avvikelser/", avvikelse(org, beskrivning="<script>alert('x')</script>")
    )
    assert fel(svar)["fields"]["beskrivning"] == [
        "Texten får inte innehålla HTML-kod som <script> eller andra taggar."
    ]
    assert svar["Content-Type"] == "application/json"  # never rendered as HTML


@pytest.mark.parametrize(
    ("kropp", "kod"),
    [
        ("{inte json", "parse_error"),
        ("[1, 2]", "invalid"),
        ('"text"', "invalid"),
    ],
)
def test_kropp_som_inte_ar_ett_objekt(kropp, kod, api_for):
    klient = api_for("medarbetare", skriv=True)
    fore = ogonblick()
    svar = klient.post("/api/v1/avvikelser/", kropp)
    assert svar.status_code == 400
    assert fel(svar)["code"] == kod
    assert ogonblick() == fore


def test_synpunkt_via_ivo_kraver_ivos_uppgifter(api_for, org):
    klient = api_for("enhetschef", skriv=True)
    fore = ogonblick()
    svar = klient.post("/api/v1/synpunkter/", synpunkt(org, kanal="via_ivo"))
    assert svar.status_code == 400
    assert fel(svar)["fields"]["ivo_diarienummer"] == ["Fyll i uppgiften från IVO:s överlämnande."]
    assert ogonblick() == fore


# --- Concurrent repeats ---------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_samtidiga_upprepningar_ger_ett_arende(nyckel_for, org, monkeypatch):
    """Two calls with the same extern_id at the same moment: both pass the look-up for an
    earlier call before either has committed (held at a barrier there), both make the
    case; the unique constraint lets one commit, the other's case is rolled back and it
    answers 200 with the winner's case."""
    kraver(connection.vendor == "postgresql", "samtidigheten prövas mot PostgreSQL")
    from api.views import IntagMixin

    text = nyckel_for("medarbetare", skriv=True)
    sparr = threading.Barrier(2, timeout=15)
    forsta_gangen = threading.local()
    original = IntagMixin._befintlig

    def befintlig(self, extern_id):
        if not getattr(forsta_gangen, "klar", False):
            forsta_gangen.klar = True
            svar = original(self, extern_id)
            sparr.wait()  # both have looked and found nothing
            return svar
        return original(self, extern_id)

    monkeypatch.setattr(IntagMixin, "_befintlig", befintlig)
    svar = {}

    def anrop(namn):
        try:
            svar[namn] = ApiKlient(text).post("/api/v1/avvikelser/", avvikelse(org))
        finally:
            connection.close()

    tradar = [threading.Thread(target=anrop, args=(n,)) for n in "AB"]
    for t in tradar:
        t.start()
    for t in tradar:
        t.join(30)
    assert sorted(s.status_code for s in svar.values()) == [200, 201]
    assert svar["A"].json()["nummer"] == svar["B"].json()["nummer"]
    assert Avvikelse.objects.count() == 1
    assert Intag.objects.count() == 1
    avv = Avvikelse.objects.get()
    ct = ContentType.objects.get_for_model(Avvikelse)
    assert TimelineEntry.objects.filter(content_type=ct).count() == 1
    assert Utskick.objects.count() == 1  # the loser's notification was rolled back
    assert avv.nummer.endswith("-0001")  # and so was its number


def test_for_stor_kropp_ger_413_json(api_for, org, settings):
    klient = api_for("medarbetare", skriv=True)
    fore = ogonblick()
    # Larger than the intake takes (1 MB), within what the server takes at all.
    svar = klient.post("/api/v1/avvikelser/", avvikelse(org, konsekvenser="x" * 1_100_000))
    assert svar.status_code == 413
    assert fel(svar)["code"] == "request_too_large"
    assert fel(svar)["message"] == "Begäran är för stor: högst 1000 kB."
    # Larger than the server takes at all (REQUEST_MAX_BYTES): refused before any view,
    # still in the API's shape.
    settings.REQUEST_MAX_BYTES = 1000
    svar = klient.post("/api/v1/avvikelser/", avvikelse(org, konsekvenser="x" * 2000))
    assert svar.status_code == 413
    assert fel(svar) == {"code": "request_too_large", "message": "Begäran är för stor."}
    assert ogonblick() == fore
