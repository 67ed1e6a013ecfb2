"""The public e-service: the form (honeypot, rate limit, size limits on every field and
the attachment, contact rules), the receipt, the e-mail acknowledgement and the status
lookup. A refused submission gets a clear Swedish message and saves nothing."""

from datetime import datetime, time, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from kvalitet.models import Attachment, Forfragan, Utskick
from synpunkter.models import Kontaktuppgifter, Synpunkt
from tests.factories import SynpunktFactory
from tests.stod import fil, har_text, ogonblick, pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db

LAMNA = "/synpunkter/lamna/"
KVITTO = "/synpunkter/lamna/kvitto/"
STATUS = "/synpunkter/lamna/status/"
TEXT = "Min son fick inget svar på sin ansökan på två månader."


def inlamning(**andrat):
    data = {
        "typ": "klagomal",
        "beskrivning": TEXT,
        "enhet": "vet_ej",
        "anonym": "False",
        "namn": "Maria Medborgare",
        "epost": "maria@example.org",
        "telefon": "",
        "vill_ha_svar": "on",
        "hemsida": "",
    }
    data.update(andrat)
    return {k: v for k, v in data.items() if v is not None}


def inget_sparat():
    assert Synpunkt.objects.count() == 0
    assert Kontaktuppgifter.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert Utskick.objects.count() == 0


@pytest.fixture
def publik(org, personas):
    """An anonymous browser, and the organisation with a registrator to notify."""
    return Client()


# --- Accepted ------------------------------------------------------------------------


def test_inlamning_sparas_kvitteras_och_registratorn_far_besked(
    publik, org, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = publik.post(LAMNA, inlamning())
    assert response.status_code == 302
    assert response["Location"] == KVITTO
    s = Synpunkt.objects.get()
    assert (s.kanal, s.typ, s.status, s.anonym) == ("e_tjanst", "klagomal", "inkommen", False)
    assert s.skapad_av is None
    # "Vet inte": the förvaltning itself, marked for the registrator to route.
    assert s.enhet == org["SOC"] and s.enhet_okand is True
    assert s.tidsfrist == timezone.localdate(s.inkom) + timedelta(days=14)
    k = s.kontaktuppgifter
    assert (k.namn, k.epost, k.vill_ha_svar) == ("Maria Medborgare", "maria@example.org", True)

    kvitto = publik.get(KVITTO)
    har_text(kvitto, s.referens, 200)
    har_text(kvitto, timezone.localdate(s.inkom).isoformat())
    har_text(kvitto, "Vi har skickat en bekräftelse till din e-post.")

    till = {m.to[0]: m for m in mailoutbox}
    assert set(till) == {"maria@example.org", "registrator@exempelkommun.se"}
    bekraftelse = till["maria@example.org"]
    assert s.referens in bekraftelse.subject + bekraftelse.body
    # Mail is not a safe channel: no case text, neither to the citizen nor to staff.
    for m in mailoutbox:
        assert TEXT not in m.body and "Maria" not in m.body
    assert s.nummer in till["registrator@exempelkommun.se"].body


def test_bekraftelse_bara_nar_epost_lamnats(publik, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        response = publik.post(LAMNA, inlamning(epost="", telefon="070-123 45 67"))
    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [["registrator@exempelkommun.se"]]
    kvitto = "Om du har bett om svar är vår riktlinje att höra av oss inom 14 dagar."
    har_text(publik.get(KVITTO), kvitto, 200)


def test_anonym_sparar_inga_kontaktuppgifter_aven_om_falten_fyllts_i(
    publik, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = publik.post(LAMNA, inlamning(anonym="True"))
    assert response.status_code == 302
    s = Synpunkt.objects.get()
    assert s.anonym is True and s.avsandare == "anonym"
    assert Kontaktuppgifter.objects.count() == 0
    assert [m.to for m in mailoutbox] == [["registrator@exempelkommun.se"]]
    har_text(publik.get(KVITTO), "Du är anonym, så vi kan inte svara dig.", 200)


def test_vald_enhet_och_giltig_bilaga(publik, org):
    data = inlamning(enhet=str(org["KOLL"].pk), bilaga=fil("bild.png", png_bytes(), "image/png"))
    assert publik.post(LAMNA, data).status_code == 302
    s = Synpunkt.objects.get()
    assert s.enhet == org["KOLL"] and s.enhet_okand is False
    bilaga = Attachment.objects.get()
    assert (bilaga.object_id, bilaga.filnamn, bilaga.innehallstyp) == (
        s.pk,
        "bild.png",
        "image/png",
    )


def test_beskrivning_pa_exakt_5000_tecken_tas_emot(publik):
    assert publik.post(LAMNA, inlamning(beskrivning="x" * 5000)).status_code == 302
    assert len(Synpunkt.objects.get().beskrivning) == 5000


# --- Refused: nothing saved ------------------------------------------------------------

FELAKTIGT = [
    ("beskrivning-for-lang", {"beskrivning": "x" * 5001}, "beskrivning",
     "Säkerställ att detta värde har som mest 5000 tecken (den har 5001)."),
    ("beskrivning-saknas", {"beskrivning": "   "}, "beskrivning", "Skriv vad det gäller."),
    ("typ-saknas", {"typ": None}, "typ", "Välj vad du vill lämna."),
    ("namn-for-langt", {"namn": "N" * 201}, "namn",
     "Säkerställ att detta värde har som mest 200 tecken (den har 201)."),
    ("telefon-bokstaver", {"telefon": "ring mig", "epost": ""}, "telefon",
     "Skriv telefonnumret med siffror, till exempel 070-123 45 67."),
    ("telefon-for-langt", {"telefon": "070 " * 6}, "telefon",
     "Säkerställ att detta värde har som mest 20 tecken (den har 23)."),
    ("epost-ogiltig", {"epost": "maria.example.org"}, "epost",
     "Fyll i en giltig e-postadress."),
    ("epost-for-lang", {"epost": "m" * 250 + "@example.org"}, "epost",
     "Säkerställ att detta värde har som mest 254 tecken (den har 262)."),
    ("typ-okand", {"typ": "hot"}, "typ", "Välj ett giltigt alternativ."),
    ("enhet-okand", {"enhet": "999999"}, "enhet", "Välj ett giltigt alternativ."),
    ("anonym-saknas", {"anonym": None}, "anonym", "Välj om du vill vara anonym eller inte."),
    ("namn-saknas", {"namn": ""}, "namn", "Skriv ditt namn, eller välj att vara anonym."),
    ("ingen-vag-att-svara", {"epost": "", "telefon": ""}, "epost",
     "Skriv en e-postadress eller ett telefonnummer så att vi kan svara."),
    ("bilaga-fel-typ", {"bilaga": fil("program.exe", b"MZ" + bytes(100))}, "bilaga",
     "Filtypen är inte tillåten."),
    ("bilaga-html-som-pdf", {"bilaga": fil("brev.pdf", b"<html><script>x</script></html>")},
     "bilaga", "Filens innehåll stämmer inte med filändelsen .pdf."),
    ("bilaga-tom", {"bilaga": fil("tom.pdf", b"")}, "bilaga", "Den skickade filen är tom."),
]  # fmt: skip


@pytest.mark.parametrize(
    ("andrat", "falt", "meddelande"), [pytest.param(*f[1:], id=f[0]) for f in FELAKTIGT]
)
def test_felaktig_inmatning_ger_meddelande_och_sparar_inget(
    andrat, falt, meddelande, publik, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = publik.post(LAMNA, inlamning(**andrat))
    assert response.status_code == 400
    fel = response.context["form"].errors
    # The field's own message, and only that one (no misleading "write your name" when
    # the name was too long).
    assert len(fel.get(falt, [])) == 1, fel
    assert meddelande in fel[falt][0], fel
    har_text(response, meddelande.split("(")[0].strip())
    inget_sparat()
    assert mailoutbox == []


def test_for_stor_bilaga_sparar_inget(publik, settings):
    """Refused as too large (413) as soon as the file passes the limit, before the view
    (tests/kvalitet/test_begaransstorlek.py); not counted by the rate limit."""
    settings.BILAGA_MAX_MB = 1
    stor = pdf_bytes() + b"%" + b"x" * (1024 * 1024)
    response = publik.post(LAMNA, inlamning(bilaga=fil("stor.pdf", stor, "application/pdf")))
    har_text(response, "Det du skickade är för stort. En bilaga får vara högst 1 MB.", 413)
    inget_sparat()
    assert ogonblick()["filer"] == []
    assert Forfragan.objects.count() == 0


def test_fel_nar_bilagan_sparas_lamnar_inget_halvsparat(publik, monkeypatch):
    """If storing the attachment fails after the case row was written, the whole
    submission is rolled back: no synpunkt, no contact details, no outbox rows."""

    def trasig(*args, **kwargs):
        raise OSError("disken är full")

    monkeypatch.setattr(Attachment, "store", trasig)
    klient = Client(raise_request_exception=False)
    response = klient.post(LAMNA, inlamning(bilaga=fil("brev.pdf", pdf_bytes())))
    assert response.status_code == 500
    inget_sparat()


def test_honungsfalla_ger_tydligt_meddelande_och_sparar_inget(publik, mailoutbox):
    response = publik.post(LAMNA, inlamning(hemsida="http://spam.example"))
    assert response.status_code == 400
    har_text(response, "Ditt meddelande kunde inte skickas. Försök igen.")
    inget_sparat()
    # A bot does not even count towards the rate limit's records.
    assert Forfragan.objects.count() == 0


# --- Rate limit ------------------------------------------------------------------------

GRANS_TEXT = "Du har skickat många meddelanden på kort tid."


def test_fjarde_inlamningen_inom_en_timme_nekas(publik, settings):
    settings.SYNPUNKT_GRANS_PER_TIMME = 3
    for i in range(3):
        response = publik.post(LAMNA, inlamning(beskrivning=f"{TEXT} ({i})"))
        assert response.status_code == 302, i
    fore = ogonblick()
    response = publik.post(LAMNA, inlamning(beskrivning=f"{TEXT} (4)"))
    assert response.status_code == 429
    har_text(response, GRANS_TEXT)
    assert ogonblick() == fore
    assert Synpunkt.objects.count() == 3
    # Another client address is not limited.
    annan = Client(REMOTE_ADDR="198.51.100.7")
    assert annan.post(LAMNA, inlamning(beskrivning="Från en annan adress.")).status_code == 302
    # An hour later the first address may send again.
    Forfragan.objects.update(tid=timezone.now() - timedelta(minutes=61))
    assert publik.post(LAMNA, inlamning(beskrivning="En timme senare.")).status_code == 302
    assert Synpunkt.objects.count() == 5


def test_ogiltiga_forsok_raknas_ocksa(publik, settings):
    """Hammering the form with invalid data also hits the limit."""
    settings.SYNPUNKT_GRANS_PER_TIMME = 3
    for _ in range(3):
        assert publik.post(LAMNA, inlamning(namn="")).status_code == 400
    response = publik.post(LAMNA, inlamning())
    assert response.status_code == 429
    inget_sparat()


def test_bakom_proxy_raknas_adressen_i_x_forwarded_for(org, personas, settings):
    settings.SYNPUNKT_GRANS_PER_TIMME = 3
    settings.PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    a = Client(**proxy, HTTP_X_FORWARDED_FOR="203.0.113.5")
    for i in range(3):
        assert a.post(LAMNA, inlamning(beskrivning=f"A {i}")).status_code == 302
    assert a.post(LAMNA, inlamning(beskrivning="A 4")).status_code == 429
    # Same proxy, another client behind it: not limited.
    b = Client(**proxy, HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert b.post(LAMNA, inlamning(beskrivning="B 1")).status_code == 302
    # A spoofed first hop does not help: the proxy appends the real address last.
    c = Client(**proxy, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5")
    assert c.post(LAMNA, inlamning(beskrivning="A 5")).status_code == 429
    assert Synpunkt.objects.count() == 4


def test_utan_proxy_hjalper_inte_en_forfalskad_x_forwarded_for(publik, settings):
    settings.SYNPUNKT_GRANS_PER_TIMME = 3
    settings.PROXY_COUNT = 0
    for i in range(3):
        data = inlamning(beskrivning=f"{TEXT} {i}")
        assert publik.post(LAMNA, data, HTTP_X_FORWARDED_FOR=f"203.0.113.{i}").status_code == 302
    response = publik.post(LAMNA, inlamning(), HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert response.status_code == 429


# --- Receipt ---------------------------------------------------------------------------


def test_kvittot_utan_session_leder_till_formularet(publik):
    response = publik.get(KVITTO)
    assert response.status_code == 302 and response["Location"] == LAMNA


def test_kvittot_och_statussidan_sparas_inte_i_nagon_cache(publik, inlamnad):
    """Both show a citizen's reference: no browser or proxy may keep a copy."""
    assert publik.post(LAMNA, inlamning()).status_code == 302
    kvitto = publik.get(KVITTO)
    assert kvitto.status_code == 200
    dag = timezone.localdate(inlamnad.inkom).isoformat()
    svar = [
        kvitto,
        publik.get(STATUS),
        publik.post(STATUS, {"referens": inlamnad.referens, "datum": dag}),
        publik.post(STATUS, {"referens": "ZZZZ-ZZZZ", "datum": dag}),
    ]
    for response in svar:
        assert "no-store" in response.headers.get("Cache-Control", ""), response.status_code
        assert "private" in response.headers["Cache-Control"]


def test_kvittot_visas_bara_for_den_som_skickade(publik):
    assert publik.post(LAMNA, inlamning()).status_code == 302
    referens = Synpunkt.objects.get().referens
    har_text(publik.get(KVITTO), referens, 200)
    annan = Client()
    response = annan.get(KVITTO)
    assert response.status_code == 302
    assert referens not in response.content.decode()


# --- Status lookup ---------------------------------------------------------------------


@pytest.fixture
def inlamnad(org, personas):
    """A klagomål received three days ago at 23:30 Swedish time, with contact details."""
    dag = timezone.localdate() - timedelta(days=3)
    inkom = timezone.make_aware(datetime.combine(dag, time(23, 30)))
    return SynpunktFactory(
        enhet=org["EB"],
        inkom=inkom,
        beskrivning=TEXT,
        kontakt={"namn": "Maria Medborgare", "epost": "maria@example.org"},
    )


def test_status_visar_bara_status(publik, inlamnad):
    dag = timezone.localdate(inlamnad.inkom)
    response = publik.post(STATUS, {"referens": inlamnad.referens, "datum": dag.isoformat()})
    har_text(response, "Status: Inkommen", 200)
    har_text(response, f"Vi svarar senast {inlamnad.tidsfrist:%Y-%m-%d}")
    sida = response.content.decode()
    for hemligt in (TEXT, "Maria", "maria@example.org", inlamnad.nummer, "Ekonomiskt bistånd"):
        assert hemligt not in sida, hemligt


@pytest.mark.parametrize(
    "skriv",
    [
        lambda r: f" {r.lower()} ",
        lambda r: r.replace("-", ""),
        lambda r: r.replace("-", " ").lower(),  # as read out over the phone
    ],
    ids=["gemener", "utan-bindestreck", "med-mellanslag"],
)
def test_status_normaliserar_referensen(skriv, publik, inlamnad):
    dag = timezone.localdate(inlamnad.inkom).isoformat()
    response = publik.post(STATUS, {"referens": skriv(inlamnad.referens), "datum": dag})
    har_text(response, "Status: Inkommen", 200)


def test_status_efter_svar(publik, inlamnad):
    Synpunkt.objects.filter(pk=inlamnad.pk).update(status="besvarad", besvarad=timezone.now())
    dag = timezone.localdate(inlamnad.inkom).isoformat()
    response = publik.post(STATUS, {"referens": inlamnad.referens, "datum": dag})
    har_text(response, "Status: Besvarad", 200)
    har_text(response, f"Besvarad {timezone.localdate():%Y-%m-%d}")


HITTAR_INGET = "Vi hittar inget med det referensnumret och datumet. Kontrollera uppgifterna."


@pytest.mark.parametrize(
    "fraga",
    [
        pytest.param(lambda s: {"referens": s.referens, "datum": _dag(s, 1)}, id="dagen-efter"),
        pytest.param(lambda s: {"referens": s.referens, "datum": _dag(s, -1)}, id="dagen-fore"),
        pytest.param(lambda s: {"referens": "ABCD-EFGH", "datum": _dag(s)}, id="okand-referens"),
        # Nothing else identifies a submission: not the case number, not the e-mail.
        pytest.param(lambda s: {"referens": s.nummer[:9], "datum": _dag(s)}, id="arendenummer"),
        pytest.param(
            lambda s: {"referens": "", "datum": _dag(s), "epost": "maria@example.org"},
            id="epost-i-stallet",
        ),
    ],
)
def test_status_hittar_inget_med_fel_uppgifter(fraga, publik, inlamnad):
    response = publik.post(STATUS, fraga(inlamnad))
    assert response.status_code in (400, 404)
    sida = response.content.decode()
    assert "Status:" not in sida
    if response.status_code == 404:
        har_text(response, HITTAR_INGET)


def _dag(s, tillagg=0):
    return (timezone.localdate(s.inkom) + timedelta(days=tillagg)).isoformat()


def test_svaret_ar_detsamma_for_fel_datum_och_okand_referens(publik, inlamnad):
    """The answer does not reveal whether a reference exists."""
    fel_datum = publik.post(STATUS, {"referens": inlamnad.referens, "datum": _dag(inlamnad, 1)})
    okand = publik.post(STATUS, {"referens": "ZZZZ-ZZZZ", "datum": _dag(inlamnad)})
    assert fel_datum.status_code == okand.status_code == 404
    assert fel_datum.context["form"].non_field_errors() == okand.context["form"].non_field_errors()


def test_status_datum_i_framtiden(publik, inlamnad):
    response = publik.post(STATUS, {"referens": inlamnad.referens, "datum": _dag(inlamnad, 10)})
    assert response.status_code == 400
    assert "Datumet kan inte ligga i framtiden." in response.context["form"].errors["datum"]


@pytest.mark.parametrize(
    ("datum", "meddelande"),
    [
        ("0001-01-01", "Ange ett datum mellan 1900-01-01 och 2100-12-31."),
        ("1899-12-31", "Ange ett datum mellan 1900-01-01 och 2100-12-31."),
        ("9999-12-31", "Datumet kan inte ligga i framtiden."),
        ("31/12-2025", "Fyll i ett giltigt datum."),
    ],
)
def test_status_med_orimligt_datum_ger_meddelande(datum, meddelande, publik, inlamnad):
    """Security finding 4 (issue 10): year 1 overflowed the time-zone conversion (500)."""
    fore = ogonblick()
    response = publik.post(STATUS, {"referens": inlamnad.referens, "datum": datum})
    har_text(response, meddelande, status=400)
    assert response.context["form"].errors["datum"] == [meddelande]
    assert "Status:" not in response.content.decode()
    assert ogonblick() == fore


def test_statusfragor_begransas(publik, inlamnad):
    for _ in range(30):
        publik.post(STATUS, {"referens": "ZZZZ-ZZZZ", "datum": _dag(inlamnad)})
    response = publik.post(STATUS, {"referens": inlamnad.referens, "datum": _dag(inlamnad)})
    assert response.status_code == 429
    har_text(response, "För många försök. Vänta en stund och försök igen.")
    assert "Status:" not in response.content.decode()


# --- What a submission reads and writes (bench/README.md, the load test) --------------


def test_vet_inte_gar_till_forvaltningen_och_bara_publika_enheter_erbjuds(publik, org):
    org["KOLL"].aktiv = False
    org["KOLL"].save()
    formular = publik.get(LAMNA).context["form"]
    erbjudna = [v for v, _ in formular.fields["enhet"].choices]
    assert erbjudna[0] == "vet_ej"
    # Departments and units that are active, in the tree's order; not the förvaltning
    # itself, not a team, not an inactive unit.
    publika = sorted(
        (org[k] for k in ("STAB", "MYN", "EB", "BUV", "OPPEN")), key=lambda e: e.sokvag
    )
    assert erbjudna[1:] == [str(e.pk) for e in publika]
    for ej in ("SOC", "TEAM", "KOLL"):
        response = publik.post(LAMNA, inlamning(enhet=str(org[ej].pk)))
        assert response.status_code == 400, ej
        assert "Välj ett giltigt alternativ." in response.context["form"].errors["enhet"][0]
    inget_sparat()

    assert publik.post(LAMNA, inlamning(enhet="vet_ej")).status_code == 302
    assert publik.post(LAMNA, inlamning(enhet=str(org["BUV"].pk))).status_code == 302
    vet_ej, buv = Synpunkt.objects.order_by("pk")
    assert (vet_ej.enhet, vet_ej.enhet_okand) == (org["SOC"], True)
    assert (buv.enhet, buv.enhet_okand) == (org["BUV"], False)


def test_enheterna_lases_en_gang_per_inlamning(publik, org):
    """The units offered are read once, with the form; the chosen one is not read
    again (the model's own check that the unit exists is a separate `SELECT 1`)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as fragor:
        assert publik.post(LAMNA, inlamning(enhet=str(org["EB"].pk))).status_code == 302
    enhetslistor = [
        q["sql"] for q in fragor.captured_queries if 'FROM "kvalitet_enhet"' in q["sql"]
    ]
    assert len([q for q in enhetslistor if not q.startswith("SELECT 1 AS")]) == 1, enhetslistor
    assert Synpunkt.objects.get().enhet == org["EB"]


def test_kvittot_ligger_i_en_signerad_kaka_och_ingen_session_sparas(publik):
    from django.contrib.sessions.models import Session

    from synpunkter.views import KVITTO_COOKIE

    response = publik.post(LAMNA, inlamning())
    assert response.status_code == 302
    kaka = response.cookies[KVITTO_COOKIE]
    assert kaka["path"] == KVITTO and kaka["httponly"] and kaka["samesite"] == "Lax"
    assert int(kaka["max-age"]) == 8 * 3600
    har_text(publik.get(KVITTO), Synpunkt.objects.get().referens, 200)
    # A citizen's submission and receipt leave no session row behind.
    assert Session.objects.count() == 0


def test_andrad_forfalskad_eller_for_gammal_kvittokaka_leder_till_formularet(
    publik, settings, monkeypatch
):
    import json
    import time

    from django.core import signing

    from synpunkter.views import KVITTO_COOKIE, KVITTO_SALT

    assert publik.post(LAMNA, inlamning()).status_code == 302
    akta = publik.cookies[KVITTO_COOKIE].value
    innehall = json.dumps({"referens": "ABCD-EFGH", "datum": "2026-01-01", "anonym": True})
    signerare = signing.get_cookie_signer(salt=KVITTO_COOKIE + KVITTO_SALT)
    gammal = signerare.sign(innehall)
    monkeypatch.setattr(
        signerare,
        "timestamp",
        lambda: signing.b62_encode(int(time.time()) - settings.SESSION_COOKIE_AGE - 60),
    )
    for varde in (
        akta[:-1] + ("A" if akta[-1] != "A" else "B"),  # changed
        innehall,  # not signed at all
        signing.get_cookie_signer(salt="annat").sign(innehall),  # signed for another use
        signerare.sign(innehall),  # older than a session may be
    ):
        publik.cookies[KVITTO_COOKIE] = varde
        response = publik.get(KVITTO)
        assert response.status_code == 302 and response["Location"] == LAMNA, varde
        assert "ABCD-EFGH" not in response.content.decode()
    publik.cookies[KVITTO_COOKIE] = gammal  # signed now: still valid
    har_text(publik.get(KVITTO), "ABCD-EFGH", 200)


def test_ett_ovantat_fel_rullar_tillbaka_aven_begransningens_rad(publik, monkeypatch):
    """The rate limit's row is written in the submission's transaction: a submission
    that fails with a server error leaves nothing, not even that row. (A refused or
    invalid one keeps it: test_ogiltiga_forsok_raknas_ocksa.)"""

    def trasig(*args, **kwargs):
        raise RuntimeError("oväntat")

    monkeypatch.setattr(Synpunkt, "ta_emot", trasig)
    klient = Client(raise_request_exception=False)
    assert klient.post(LAMNA, inlamning()).status_code == 500
    inget_sparat()
    assert Forfragan.objects.count() == 0
