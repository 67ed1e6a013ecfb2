"""The public e-service: the form (honeypot, rate limit, size limits on every field and
the attachment, contact rules), the receipt in the POST's answer, the one-time key, the
submission built into a synpunkt (in the request without a broker, by the worker with
one), the e-mail acknowledgement and the status lookup. A refused submission gets a
clear Swedish message and saves nothing."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from kvalitet.models import FILEN_KUNDE_INTE_SPARAS, Attachment, Forfragan, Utskick
from synpunkter.models import Inlamning, Kontaktuppgifter, Synpunkt
from synpunkter.tasks import bygg_inlamningar
from tests.factories import SynpunktFactory
from tests.stod import fil, har_text, ogonblick, pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db

LAMNA = "/synpunkter/lamna/"
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


def kvitto(response):
    """The reference on the receipt the POST answered with."""
    assert response.status_code == 200, response.content.decode()[:2000]
    traff = re.search(
        r'<strong class="referens">([A-Z0-9-]{9})</strong>', response.content.decode()
    )
    assert traff, response.content.decode()[:2000]
    return traff.group(1)


def inget_sparat():
    assert Inlamning.objects.count() == 0
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
    referens = kvitto(response)
    s = Synpunkt.objects.get()
    assert s.referens == referens
    assert (s.kanal, s.typ, s.status, s.anonym) == ("e_tjanst", "klagomal", "inkommen", False)
    assert s.skapad_av is None
    # "Vet inte": the förvaltning itself, marked for the registrator to route.
    assert s.enhet == org["SOC"] and s.enhet_okand is True
    assert s.tidsfrist == timezone.localdate(s.inkom) + timedelta(days=14)
    k = s.kontaktuppgifter
    assert (k.namn, k.epost, k.vill_ha_svar) == ("Maria Medborgare", "maria@example.org", True)

    har_text(response, timezone.localdate(s.inkom).isoformat())
    har_text(response, "Vi skickar en bekräftelse till din e-post inom några minuter.")
    assert "redan skickats" not in response.content.decode()
    # Built in the request (no broker): the row keeps only what a receipt needs.
    rad = Inlamning.objects.get()
    assert (rad.referens, rad.synpunkt, rad.mottagen) == (referens, s, s.inkom)
    assert (rad.beskrivning, rad.kontakt, rad.bilaga.name) == ("", None, "")

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
    kvitto(response)
    assert [m.to for m in mailoutbox] == [["registrator@exempelkommun.se"]]
    text = "Om du har bett om svar är vår riktlinje att höra av oss inom 14 dagar."
    har_text(response, text, 200)


def test_anonym_sparar_inga_kontaktuppgifter_aven_om_falten_fyllts_i(
    publik, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = publik.post(LAMNA, inlamning(anonym="True"))
    kvitto(response)
    s = Synpunkt.objects.get()
    assert s.anonym is True and s.avsandare == "anonym"
    assert Kontaktuppgifter.objects.count() == 0
    assert Inlamning.objects.get().kontakt is None
    assert [m.to for m in mailoutbox] == [["registrator@exempelkommun.se"]]
    har_text(response, "Du är anonym, så vi kan inte svara dig.", 200)


def test_vald_enhet_och_giltig_bilaga(publik, org, django_capture_on_commit_callbacks):
    data = inlamning(enhet=str(org["KOLL"].pk), bilaga=fil("bild.png", png_bytes(), "image/png"))
    with django_capture_on_commit_callbacks(execute=True):
        kvitto(publik.post(LAMNA, data))
    s = Synpunkt.objects.get()
    assert s.enhet == org["KOLL"] and s.enhet_okand is False
    bilaga = Attachment.objects.get()
    assert (bilaga.object_id, bilaga.filnamn, bilaga.innehallstyp) == (
        s.pk,
        "bild.png",
        "image/png",
    )
    with bilaga.fil.open("rb") as f:
        assert f.read() == png_bytes()
    # The submission's own copy is gone once the case has the file: one file in all.
    assert ogonblick()["filer"] == [bilaga.fil.path]


def test_beskrivning_pa_exakt_5000_tecken_tas_emot(publik):
    kvitto(publik.post(LAMNA, inlamning(beskrivning="x" * 5000)))
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


def test_bilaga_som_inte_kan_sparas_ger_meddelande_och_sparar_inget(publik, monkeypatch):
    """A full disk or an unwritable media directory when the submission's file is
    stored: a clear message, no submission, no file, no case."""
    from kvalitet.models.arende import PrivateStorage

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(PrivateStorage, "_save", full)
    response = publik.post(LAMNA, inlamning(bilaga=fil("brev.pdf", pdf_bytes())))
    assert response.status_code == 400
    assert response.context["form"].errors["bilaga"] == [FILEN_KUNDE_INTE_SPARAS]
    inget_sparat()
    assert ogonblick()["filer"] == []


def test_fel_nar_synpunkten_byggs_lamnar_inget_halvsparat_och_forsoks_igen(
    publik, monkeypatch, django_capture_on_commit_callbacks, mailoutbox
):
    """If building the synpunkt fails (here: its attachment cannot be stored), the
    citizen still has the receipt; no half-built case, no e-mail; the submission stays
    waiting with the error noted, and the next run builds it – once."""
    monkeypatch.setattr(Attachment, "store", _trasig)
    with django_capture_on_commit_callbacks(execute=True):
        referens = kvitto(publik.post(LAMNA, inlamning(bilaga=fil("brev.pdf", pdf_bytes()))))
    assert Synpunkt.objects.count() == Kontaktuppgifter.objects.count() == 0
    assert Utskick.objects.count() == 0 and mailoutbox == []
    rad = Inlamning.objects.get()
    assert (rad.referens, rad.byggd, rad.forsok) == (referens, None, 1)
    assert "disken är full" in rad.senaste_fel and rad.bilaga.name

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        assert bygg_inlamningar() == 1
        assert bygg_inlamningar() == 0
    s = Synpunkt.objects.get()
    assert (s.referens, Attachment.objects.get().object_id) == (referens, s.pk)
    assert sorted(m.to[0] for m in mailoutbox) == [
        "maria@example.org",
        "registrator@exempelkommun.se",
    ]
    rad.refresh_from_db()
    assert rad.synpunkt == s and rad.senaste_fel == "" and not rad.bilaga


def _trasig(*args, **kwargs):
    raise OSError("disken är full")


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
        kvitto(publik.post(LAMNA, inlamning(beskrivning=f"{TEXT} ({i})")))
    fore = ogonblick()
    response = publik.post(LAMNA, inlamning(beskrivning=f"{TEXT} (4)"))
    assert response.status_code == 429
    har_text(response, GRANS_TEXT)
    assert ogonblick() == fore
    assert Synpunkt.objects.count() == 3
    # Another client address is not limited.
    annan = Client(REMOTE_ADDR="198.51.100.7")
    kvitto(annan.post(LAMNA, inlamning(beskrivning="Från en annan adress.")))
    # An hour later the first address may send again.
    Forfragan.objects.update(tid=timezone.now() - timedelta(minutes=61))
    kvitto(publik.post(LAMNA, inlamning(beskrivning="En timme senare.")))
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
        kvitto(a.post(LAMNA, inlamning(beskrivning=f"A {i}")))
    assert a.post(LAMNA, inlamning(beskrivning="A 4")).status_code == 429
    # Same proxy, another client behind it: not limited.
    b = Client(**proxy, HTTP_X_FORWARDED_FOR="203.0.113.6")
    kvitto(b.post(LAMNA, inlamning(beskrivning="B 1")))
    # A spoofed first hop does not help: the proxy appends the real address last.
    c = Client(**proxy, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5")
    assert c.post(LAMNA, inlamning(beskrivning="A 5")).status_code == 429
    assert Synpunkt.objects.count() == 4


def test_utan_proxy_hjalper_inte_en_forfalskad_x_forwarded_for(publik, settings):
    settings.SYNPUNKT_GRANS_PER_TIMME = 3
    settings.PROXY_COUNT = 0
    for i in range(3):
        data = inlamning(beskrivning=f"{TEXT} {i}")
        kvitto(publik.post(LAMNA, data, HTTP_X_FORWARDED_FOR=f"203.0.113.{i}"))
    response = publik.post(LAMNA, inlamning(), HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert response.status_code == 429


# --- Receipt ---------------------------------------------------------------------------


def test_samma_formular_tva_ganger_ger_samma_kvitto_och_en_inlamning(
    publik, settings, django_capture_on_commit_callbacks, mailoutbox
):
    """A reload of the receipt (the browser sends the POST again) or a double click:
    the form's one-time key finds the first submission; nothing more is saved, sent or
    counted against the rate limit."""
    data = inlamning(nyckel="engangsnyckel-" + "x" * 20)
    with django_capture_on_commit_callbacks(execute=True):
        forsta = publik.post(LAMNA, data)
    referens = kvitto(forsta)
    fore = ogonblick()
    with django_capture_on_commit_callbacks(execute=True):
        igen = publik.post(LAMNA, {**data, "beskrivning": "Ändrad text, samma formulär."})
    assert kvitto(igen) == referens
    har_text(igen, "Det här formuläret har redan skickats.")
    assert ogonblick() == fore
    assert Inlamning.objects.count() == Synpunkt.objects.count() == Forfragan.objects.count() == 1
    assert Synpunkt.objects.get().beskrivning == TEXT
    assert len(mailoutbox) == 2
    # Also at the rate limit: a reload is not a new submission.
    settings.SYNPUNKT_GRANS_PER_TIMME = 1
    igen = publik.post(LAMNA, data)
    assert kvitto(igen) == referens
    har_text(igen, "Det här formuläret har redan skickats.")
    assert publik.post(LAMNA, inlamning(nyckel="en-tredje-nyckel-" + "z" * 20)).status_code == 429
    settings.SYNPUNKT_GRANS_PER_TIMME = 10
    # Another form (another key) is another submission.
    assert kvitto(publik.post(LAMNA, inlamning(nyckel="en-annan-nyckel-" + "y" * 20))) != referens
    assert Synpunkt.objects.count() == 2


@pytest.mark.parametrize("nyckel", [None, "", "kort", "<script>alert(1)</script>" * 3, "å" * 30])
def test_saknad_eller_felaktig_nyckel_ger_en_ny(nyckel, publik):
    """A missing or malformed key (a stale page, a script) does not refuse the
    submission: it gets a key of its own."""
    kvitto(publik.post(LAMNA, inlamning(nyckel=nyckel)))
    sparad = Inlamning.objects.get().nyckel
    assert sparad != nyckel and re.fullmatch(r"[A-Za-z0-9_-]{32}", sparad)


def test_formularet_far_en_ny_nyckel_varje_gang(publik):
    nycklar = {publik.get(LAMNA).context["form"]["nyckel"].value() for _ in range(3)}
    assert len(nycklar) == 3
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{32}", n) for n in nycklar)


def test_kvittot_sparas_inte_i_nagon_cache_och_ingen_session_eller_kaka(publik, inlamnad):
    """The receipt and the status page show a citizen's reference: no browser or proxy
    may keep a copy. A submission writes no session row and sets no cookie beyond the
    CSRF token the form set."""
    from django.contrib.sessions.models import Session

    publik.get(LAMNA)
    svar = publik.post(LAMNA, inlamning())
    kvitto(svar)
    assert set(svar.cookies) <= {"csrftoken"}
    assert Session.objects.count() == 0
    dag = timezone.localdate(inlamnad.inkom).isoformat()
    for response in [
        svar,
        publik.get(STATUS),
        publik.post(STATUS, {"referens": inlamnad.referens, "datum": dag}),
        publik.post(STATUS, {"referens": "ZZZZ-ZZZZ", "datum": dag}),
    ]:
        assert "no-store" in response.headers.get("Cache-Control", ""), response.status_code
        assert "private" in response.headers["Cache-Control"]


def test_kvittosidan_finns_inte_langre(publik):
    """The receipt is the POST's answer; the old receipt page is gone (404)."""
    assert publik.get("/synpunkter/lamna/kvitto/").status_code == 404


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

    kvitto(publik.post(LAMNA, inlamning(enhet="vet_ej")))
    kvitto(publik.post(LAMNA, inlamning(enhet=str(org["BUV"].pk))))
    vet_ej, buv = Synpunkt.objects.order_by("pk")
    assert (vet_ej.enhet, vet_ej.enhet_okand) == (org["SOC"], True)
    assert (buv.enhet, buv.enhet_okand) == (org["BUV"], False)


def test_en_inlamning_laser_en_referens_och_skriver_tva_rader(publik, org, settings):
    """What accepting a submission costs the database (with a broker, the worker builds
    the case): the rate limit's count-and-record, one look whether the new reference is
    free, and the submission's row – nothing else read, not the units (kept a minute per
    process, forgotten when one changes)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.CELERY_TASK_ALWAYS_EAGER = False
    publik.get(LAMNA)  # the units offered are read with the form
    with CaptureQueriesContext(connection) as fragor:
        kvitto(publik.post(LAMNA, inlamning(enhet=str(org["EB"].pk))))
    sql = [q["sql"] for q in fragor.captured_queries]
    sql = [q for q in sql if "pg_advisory_xact_lock" not in q]  # PostgreSQL's key lock
    sql = [q for q in sql if not q.startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]
    assert len(sql) == 3, sql
    assert sql[0].startswith("INSERT INTO kvalitet_forfragan")
    assert 'FROM "synpunkter_synpunkt" WHERE' in sql[1] and 'FROM "synpunkter_inlamning"' in sql[1]
    assert sql[2].startswith('INSERT INTO "synpunkter_inlamning"')
    assert Inlamning.objects.get().enhet == org["EB"]
    assert Synpunkt.objects.count() == 0


def test_inlamningen_far_en_ledig_referens(publik, org, settings, monkeypatch):
    """The receipt never gives a reference that a synpunkt has (one made years ago, an
    imported one) or that a submission waiting to be built has: that submission could
    never be built, and the status page would show another's case."""
    from synpunkter import models

    settings.CELERY_TASK_ALWAYS_EAGER = False
    gammal = SynpunktFactory(referens="AAAA-AAAA")
    kvitto(publik.post(LAMNA, inlamning()))
    vantar = Inlamning.objects.get()
    dragna = iter(["AAAA-AAAA", vantar.referens, "CCCC-CCCC"])
    monkeypatch.setattr(models, "ny_referens", lambda: next(dragna))
    assert kvitto(publik.post(LAMNA, inlamning())) == "CCCC-CCCC"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    Inlamning.bygg_vantande()
    assert not Inlamning.objects.vantande().exists()
    assert Synpunkt.objects.get(referens="CCCC-CCCC").beskrivning == TEXT
    assert Synpunkt.objects.get(referens="AAAA-AAAA") == gammal


def test_en_andrad_enhet_glomms_genast(publik, org):
    publik.get(LAMNA)
    org["BUV"].aktiv = False
    org["BUV"].save()
    erbjudna = [v for v, _ in publik.get(LAMNA).context["form"].fields["enhet"].choices]
    assert str(org["BUV"].pk) not in erbjudna and str(org["EB"].pk) in erbjudna


# --- Built by the worker (a broker configured) ----------------------------------------


@pytest.fixture
def med_broker(settings, monkeypatch):
    """The view as with a broker: it only wakes the worker (recorded here), which
    the test then plays by calling the task."""
    from synpunkter import tasks

    settings.CELERY_TASK_ALWAYS_EAGER = False
    vackningar = []
    monkeypatch.setattr(tasks, "_senast_vackt", float("-inf"))
    monkeypatch.setattr(tasks.bygg_inlamningar, "delay", lambda: vackningar.append(1))
    return vackningar


def test_med_broker_tas_inlamningen_emot_och_byggs_av_workern_en_gang(
    publik, org, med_broker, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        referens = kvitto(publik.post(LAMNA, inlamning(enhet=str(org["EB"].pk))))
    # Saved and the worker woken after the commit; no case, no e-mail yet.
    assert med_broker == [1]
    assert Synpunkt.objects.count() == Utskick.objects.count() == 0
    rad = Inlamning.objects.get()
    assert (rad.referens, rad.byggd, rad.typ, rad.beskrivning) == (referens, None, "klagomal", TEXT)
    assert rad.kontakt == {
        "namn": "Maria Medborgare",
        "epost": "maria@example.org",
        "telefon": "",
        "vill_ha_svar": True,
    }

    # The citizen can already ask about it: received, with the deadline it will get.
    dag = timezone.localdate(rad.mottagen)
    svar = publik.post(STATUS, {"referens": referens, "datum": dag.isoformat()})
    har_text(svar, "Status: Inkommen", 200)
    har_text(svar, f"Vi svarar senast {dag + timedelta(days=14):%Y-%m-%d}")

    with django_capture_on_commit_callbacks(execute=True):
        assert bygg_inlamningar() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert bygg_inlamningar() == 0  # run again (beat): nothing twice
    s = Synpunkt.objects.get()
    assert (s.referens, s.inkom, s.enhet, s.enhet_okand) == (
        referens,
        rad.mottagen,
        org["EB"],
        False,
    )
    assert (s.kanal, s.skapad_av, s.kontaktuppgifter.epost) == (
        "e_tjanst",
        None,
        "maria@example.org",
    )
    assert sorted(m.to[0] for m in mailoutbox) == [
        "maria@example.org",
        "registrator@exempelkommun.se",
    ]
    rad.refresh_from_db()
    assert rad.synpunkt == s and rad.byggd is not None
    assert (rad.beskrivning, rad.kontakt) == ("", None)  # they left with the synpunkt
    # The status page now reads the synpunkt.
    har_text(
        publik.post(STATUS, {"referens": referens, "datum": dag.isoformat()}), "Status: Inkommen"
    )

    # A day later the row is removed by the next run; the synpunkt stays.
    Inlamning.objects.update(byggd=timezone.now() - timedelta(days=1, minutes=1))
    bygg_inlamningar()
    assert Inlamning.objects.count() == 0 and Synpunkt.objects.count() == 1


def test_vackningen_skickas_hogst_en_gang_per_sekund(
    publik, med_broker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(3):
            kvitto(publik.post(LAMNA, inlamning(beskrivning=f"{TEXT} {i}")))
    assert med_broker == [1]  # the first woke the worker; its run builds all three


def test_en_enhet_som_stangts_innan_bygget_gar_till_forvaltningen(publik, org, med_broker):
    kvitto(publik.post(LAMNA, inlamning(enhet=str(org["BUV"].pk))))
    org["BUV"].aktiv = False
    org["BUV"].save()
    bygg_inlamningar()
    s = Synpunkt.objects.get()
    assert (s.enhet, s.enhet_okand) == (org["SOC"], True)


def test_tva_workers_bygger_samma_inlamning_en_gang(publik, med_broker):
    """The row is taken under a lock and marked built in the case's transaction: a
    second builder finds nothing to do."""
    kvitto(publik.post(LAMNA, inlamning()))
    pk = Inlamning.objects.get().pk
    assert Inlamning.bygg(pk) is not None
    assert Inlamning.bygg(pk) is None
    assert Synpunkt.objects.count() == 1


def test_ett_ovantat_fel_rullar_tillbaka_aven_begransningens_rad(publik, monkeypatch):
    """The rate limit's row is written in the submission's transaction: a submission
    that fails with a server error leaves nothing, not even that row. (A refused or
    invalid one keeps it: test_ogiltiga_forsok_raknas_ocksa.)"""

    def trasig(*args, **kwargs):
        raise RuntimeError("oväntat")

    monkeypatch.setattr(Inlamning, "ta_emot", trasig)
    klient = Client(raise_request_exception=False)
    assert klient.post(LAMNA, inlamning()).status_code == 500
    inget_sparat()
    assert Forfragan.objects.count() == 0


def test_fastnade_inlamningar_visas_for_registratorn_och_kan_forsokas_igen(
    publik, med_broker, klient_for, monkeypatch, django_capture_on_commit_callbacks
):
    """A submission whose build failed, and one waiting longer than ten minutes (no
    worker running?): on the registrator's and the administrator's start page and
    their list, by reference, time and error – never what the citizen wrote; "Försök
    igen" builds it at once. Nobody else sees them."""
    kvitto(publik.post(LAMNA, inlamning(bilaga=fil("brev.pdf", pdf_bytes()))))
    kvitto(publik.post(LAMNA, inlamning(beskrivning="Den andra.", anonym="True")))
    kvitto(publik.post(LAMNA, inlamning(beskrivning="Den tredje, alldeles ny.")))
    misslyckad, gammal, ny = Inlamning.objects.order_by("pk")
    Inlamning.objects.filter(pk=gammal.pk).update(mottagen=timezone.now() - timedelta(minutes=11))
    monkeypatch.setattr(Attachment, "store", _trasig)
    Inlamning.forsok_bygga(misslyckad.pk)
    monkeypatch.undo()

    registrator = klient_for("registrator")
    start = registrator.get("/")
    har_text(start, "Inlämningar från e-tjänsten som inte blivit synpunkter", 200)
    har_text(start, "Försök igen (1 misslyckade försök)")
    har_text(start, "Kontrollera bakgrundsjobben")
    lista = registrator.get("/synpunkter/inlamningar/")
    sida = lista.content.decode()
    assert misslyckad.referens in sida and gammal.referens in sida
    assert ny.referens not in sida  # waiting a moment is normal
    assert "disken är full" in sida
    for hemligt in (TEXT, "Den andra.", "Maria", "maria@example.org"):
        assert hemligt not in sida and hemligt not in start.content.decode(), hemligt
    for persona in ("enhetschef", "medarbetare", "kvalitetssamordnare"):
        assert "Inlämningar från e-tjänsten" not in klient_for(persona).get("/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        svar = registrator.post(
            f"/synpunkter/inlamningar/{misslyckad.pk}/forsok-igen/", follow=True
        )
    s = Synpunkt.objects.get(referens=misslyckad.referens)
    har_text(svar, f"{misslyckad.referens} är nu {s.nummer} och väntar i inkorgen.")
    assert Attachment.objects.get().object_id == s.pk
    svar = registrator.post(f"/synpunkter/inlamningar/{misslyckad.pk}/forsok-igen/", follow=True)
    har_text(svar, f"{misslyckad.referens} är redan registrerad.")
    assert Synpunkt.objects.count() == 1
    assert misslyckad.referens not in registrator.get("/synpunkter/inlamningar/").content.decode()
