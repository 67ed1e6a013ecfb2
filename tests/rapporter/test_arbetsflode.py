"""The life of a kvalitetsberättelse: a draft is created, its chapters written and its
cut-off set; PDFs are requested, rendered by the (eager) Celery task, fail or are
superseded; the förvaltningschef decides it, which freezes figures, texts and the
archived PDF; reopening makes a new version that later replaces the old. Every refused
input gets a Swedish message and changes nothing."""

import hashlib
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from rapporter import kapitel as kapitelmodul
from rapporter.kapitel import KAPITEL
from rapporter.models import Kapiteltext, Kvalitetsberattelse
from rapporter.siffror import berakna
from rapporter.tasks import skapa_pdf
from tests.factories import AvvikelseFactory, InlamningFactory, KvalitetsberattelseFactory
from tests.rapporter.conftest import AR, BRYTDATUM, klocka, lokal
from tests.rapporter.hjalp import skriv_alla_kapitel
from tests.stod import hamta_html, har_text, meddelanden

pytestmark = pytest.mark.django_db


@pytest.fixture
def falsk_pdf(monkeypatch):
    """Rendering replaced by a fast stand-in; the list holds each rendered report's
    figures (what the PDF was made from)."""
    anrop = []

    def rendera(berattelse, *, siffror=None):
        anrop.append(berattelse.siffror)
        return f"%PDF-1.7 kvalitetsberättelse {berattelse.pk} nr {len(anrop)}".encode()

    monkeypatch.setattr("rapporter.dokument.rendera_pdf", rendera)
    return anrop


@pytest.fixture
def trasig_pdf(monkeypatch):
    def rendera(berattelse, *, siffror=None):
        raise RuntimeError("WeasyPrint gick sönder")

    def slag():
        monkeypatch.setattr("rapporter.dokument.rendera_pdf", rendera)

    return slag


def detalj(b):
    return f"/rapporter/{b.pk}/"


def antal_i_tidslinjen(b):
    return b.timeline.count()


def filer(settings):
    media = Path(settings.MEDIA_ROOT)
    return sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []


# --- A new draft -----------------------------------------------------------------------


def test_nytt_utkast(personas, klient_for):
    response = klient_for("kvalitetssamordnare").post("/rapporter/", {"ar": "2025"})
    b = Kvalitetsberattelse.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detalj(b)
    assert (b.ar, b.version, b.status) == (2025, 1, "utkast")
    assert b.brytdatum == date(2026, 1, 31)  # the end of January after the year
    assert b.skapad_av == personas["kvalitetssamordnare"]
    assert b.timeline.filter(typ="skapat", till_status="utkast").count() == 1
    assert meddelanden(response) == ["Utkastet för 2025 är skapat."]


def test_nytt_utkast_foreslar_aret(personas, klient_for):
    """The form suggests last year (the report is written in the new year), else this
    year, whichever has no version yet; nothing when both have one."""

    def foreslaget():
        # Signed in at the clock's time (a session from another year has expired).
        klient = klient_for("kvalitetssamordnare")
        falt = re.search(r'<input[^>]*name="ar"[^>]*>', klient.get("/rapporter/").text)[0]
        varde = re.search(r'value="(\d+)"', falt)
        return int(varde[1]) if varde else None

    with klocka(lokal(2027, 1, 1, 0, 5)):
        assert foreslaget() == 2026
        KvalitetsberattelseFactory(ar=2025, status="faststalld")
        assert foreslaget() == 2026
        KvalitetsberattelseFactory(ar=2026)
        assert foreslaget() == 2027
        KvalitetsberattelseFactory(ar=2027)
        assert foreslaget() is None
    with klocka(lokal(2027, 12, 31, 23, 55)):
        assert foreslaget() is None


def test_nytt_utkast_for_innevarande_ar_har_dagens_brytdatum(personas, klient_for):
    idag = timezone.localdate()
    klient_for("kvalitetssamordnare").post("/rapporter/", {"ar": str(idag.year)})
    assert Kvalitetsberattelse.objects.get().brytdatum == idag


@pytest.mark.parametrize(
    ("ar", "meddelande"),
    [
        ("", "Ange vilket år berättelsen gäller."),
        ("tjugofem", "Ange året med fyra siffror, t.ex. 2026."),
        ("2025.5", "Ange året med fyra siffror, t.ex. 2026."),
        ("99999999999999999999999", "Året har inte börjat ännu."),
        ("1999", "Året kan inte vara tidigare än 2000."),
        ("-2025", "Året kan inte vara tidigare än 2000."),
        ("framtid", "Ange året med fyra siffror, t.ex. 2026."),
    ],
)
def test_nytt_utkast_med_felaktigt_ar(ar, meddelande, personas, klient_for):
    if ar == "framtid":
        ar, meddelande = str(timezone.localdate().year + 1), "Året har inte börjat ännu."
    response = klient_for("kvalitetssamordnare").post("/rapporter/", {"ar": ar})
    har_text(response, meddelande, status=400)
    assert not Kvalitetsberattelse.objects.exists()


def test_nytt_utkast_nar_aret_redan_har_ett(personas, klient_for):
    befintligt = KvalitetsberattelseFactory(ar=2025)
    KvalitetsberattelseFactory(ar=2024, status="faststalld")
    klient = klient_for("kvalitetssamordnare")
    har_text(
        klient.post("/rapporter/", {"ar": "2025"}), "Det finns redan ett utkast för 2025.", 400
    )
    har_text(
        klient.post("/rapporter/", {"ar": "2024"}),
        "Kvalitetsberättelsen för 2024 är redan fastställd. Öppna den igen för att göra en "
        "ny version.",
        400,
    )
    assert Kvalitetsberattelse.objects.count() == 2
    assert Kvalitetsberattelse.objects.get(ar=2025) == befintligt


def test_ett_utkast_per_ar_ocksa_i_databasen(personas):
    Kvalitetsberattelse.skapa(ar=2025, brytdatum=BRYTDATUM, av=personas["kvalitetssamordnare"])
    with pytest.raises(ValidationError) as fel:
        Kvalitetsberattelse.skapa(ar=2025, brytdatum=BRYTDATUM, av=None)
    assert "Begränsningen “ett_utkast_per_ar” överträds." in fel.value.messages
    with pytest.raises(IntegrityError), transaction.atomic():
        Kvalitetsberattelse.objects.create(ar=2025, version=2, brytdatum=BRYTDATUM)
    assert Kvalitetsberattelse.objects.count() == 1


def test_modellen_nekar_framtida_ar(personas):
    with pytest.raises(ValidationError) as fel:
        Kvalitetsberattelse.skapa(
            ar=timezone.localdate().year + 1, brytdatum=timezone.localdate(), av=None
        )
    assert fel.value.message_dict["ar"] == ["Året har inte börjat ännu."]


# --- Chapter texts -------------------------------------------------------------------------


def test_kapitelsidan_visar_standardtexten(utkast, klient_for, settings):
    settings.KOMMUN_NAMN = "Testköpings kommun"
    response = klient_for("kvalitetssamordnare").get(f"{detalj(utkast)}kapitel/inledning/")
    har_text(response, "Socialnämnden i Testköpings kommun ansvarar", 200)
    har_text(response, "Förvaltningschefens förord")


def test_kapiteltext_sparas(
    utkast, personas, klient_for, falsk_pdf, django_capture_on_commit_callbacks
):
    samordnare = personas["kvalitetssamordnare"]
    klient = klient_for("kvalitetssamordnare")
    with django_capture_on_commit_callbacks(execute=True):
        utkast.begar_pdf(av=samordnare)
    utkast.refresh_from_db()
    assert utkast.pdf and not utkast.pdf_inaktuell
    andrad, fore = utkast.andrad, antal_i_tidslinjen(utkast)

    response = klient.post(
        f"{detalj(utkast)}kapitel/inledning/", {"text": "Ett **bra** år.\n\n- mål nått"}
    )
    assert response.status_code == 302
    assert response["Location"] == detalj(utkast)
    assert meddelanden(response) == ["Texten i ”Inledning” är sparad."]
    text = Kapiteltext.objects.get(berattelse=utkast, kapitel="inledning")
    assert text.text == "Ett **bra** år.\n\n- mål nått"
    assert text.uppdaterad_av == samordnare
    utkast.refresh_from_db()
    assert utkast.andrad > andrad
    assert antal_i_tidslinjen(utkast) == fore + 1
    assert utkast.timeline.filter(text="Text ändrad: Inledning", anvandare=samordnare).exists()
    # The PDF was made before the change: it is marked stale on the page.
    assert utkast.pdf_inaktuell
    status = hamta_html(klient, f"{detalj(utkast)}pdf/")
    assert "Texten eller brytdatumet har ändrats sedan PDF:en skapades." in status
    # The preview shows the new text.
    forhand = hamta_html(klient, f"{detalj(utkast)}forhandsvisning/")
    assert "Ett <strong>bra</strong> år." in forhand

    # The same text again changes nothing.
    andrad = utkast.andrad
    klient.post(f"{detalj(utkast)}kapitel/inledning/", {"text": "Ett **bra** år.\n\n- mål nått"})
    utkast.refresh_from_db()
    assert utkast.andrad == andrad
    assert antal_i_tidslinjen(utkast) == fore + 1


def test_sparad_standardtext_eller_instruktion_sags_direkt(utkast, klient_for, settings):
    """Saving a chapter as it stands (its default text) or with an instruction left is
    allowed, but the writer is told at once that the report cannot be decided with it –
    it used to say only "sparad" while the chapter stayed "Inte skriven ännu"."""
    from rapporter.kapitel import hamta

    klient = klient_for("kvalitetssamordnare")
    standard = hamta("syfte").standardtext(utkast.ar, settings.KOMMUN_NAMN)
    response = klient.post(f"{detalj(utkast)}kapitel/syfte/", {"text": standard})
    assert response.status_code == 302
    (meddelande,) = meddelanden(response)
    assert "är sparad men är fortfarande standardtexten" in meddelande
    response = klient.post(
        f"{detalj(utkast)}kapitel/syfte/", {"text": "Vårt år. [[Beskriv målen här.]]"}
    )
    meddelande = meddelanden(response)[-1]
    assert "är sparad men har kvar skrivinstruktioner inom [[ och ]]" in meddelande


def test_kapiteltext_forhandsvisas_utan_att_sparas(utkast, klient_for):
    response = klient_for("kvalitetssamordnare").post(
        f"{detalj(utkast)}kapitel/fokus/?forhandsvisa",
        {"text": "# Fokus\n\n*Kortare* väntetider"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h3>Fokus</h3>" in html and "<em>Kortare</em>" in html
    assert "<html" not in html  # a fragment
    assert not utkast.texter.exists()


def test_okant_kapitel_ger_404(utkast, klient_for):
    klient = klient_for("kvalitetssamordnare")
    assert klient.get(f"{detalj(utkast)}kapitel/finns-inte/").status_code == 404
    assert klient.post(f"{detalj(utkast)}kapitel/finns-inte/", {"text": "x"}).status_code == 404
    assert not utkast.texter.exists()


def test_for_lang_kapiteltext_nekas(utkast, klient_for):
    response = klient_for("kvalitetssamordnare").post(
        f"{detalj(utkast)}kapitel/syfte/", {"text": "a" * 50_001}
    )
    assert response.status_code == 400
    assert "50000" in response.content.decode()
    assert not utkast.texter.exists()


@pytest.mark.parametrize(
    "personnummer", ["19850312-1234", "850312-1234", "198503121234", "850372+1234"]
)
def test_kapiteltext_med_personnummer_nekas(personnummer, utkast, klient_for):
    """The report goes to the nämnd and is published: no personal data (DOMAIN.md §5)
    – a personnummer or samordningsnummer (day + 60) in any form is refused."""
    response = klient_for("kvalitetssamordnare").post(
        f"{detalj(utkast)}kapitel/inledning/", {"text": f"Klienten {personnummer} fick fel brev."}
    )
    har_text(response, "Texten ser ut att innehålla ett personnummer.", status=400)
    assert not utkast.texter.exists()


def test_kapiteltext_med_andra_nummer_sparas(utkast, klient_for):
    """A diarienummer, a phone number, a date with a time are not personnummer."""
    text = "Dnr SOCN/2018:25 - 759, tfn 08-123 456 78, möte 2026-03-12 kl. 14.30, 1 234 kr."
    response = klient_for("kvalitetssamordnare").post(
        f"{detalj(utkast)}kapitel/inledning/", {"text": text}
    )
    assert response.status_code == 302
    assert utkast.texter.get(kapitel="inledning").text == text


# --- The cut-off date ----------------------------------------------------------------------


def test_brytdatum_andras(utkast, personas, klient_for):
    andrad = utkast.andrad
    response = klient_for("kvalitetssamordnare").post(
        f"{detalj(utkast)}brytdatum/", {"brytdatum": "2026-01-15"}
    )
    assert response.status_code == 302
    assert meddelanden(response) == ["Brytdatumet är ändrat."]
    utkast.refresh_from_db()
    assert utkast.brytdatum == date(2026, 1, 15)
    assert utkast.andrad > andrad
    assert utkast.timeline.filter(text="Brytdatum: 2026-01-15").exists()


@pytest.mark.parametrize(
    ("varde", "meddelande"),
    [
        ("imorgon", "Datumet kan inte ligga i framtiden."),
        ("2024-12-31", "Brytdatumet kan inte ligga före årets början."),
        ("0001-01-01", "Ange ett datum mellan 1900-01-01 och 2100-12-31."),
        ("9999-12-31", "Datumet kan inte ligga i framtiden."),
        ("31/1", "Ange ett datum, t.ex. 2027-01-31."),
        ("2026-02-30", "Ange ett datum, t.ex. 2027-01-31."),
        ("", "Ange ett brytdatum."),
    ],
)
def test_felaktigt_brytdatum(varde, meddelande, utkast, klient_for):
    if varde == "imorgon":
        varde = (timezone.localdate() + timedelta(days=1)).isoformat()
    fore = (utkast.brytdatum, utkast.andrad, antal_i_tidslinjen(utkast))
    response = klient_for("kvalitetssamordnare").post(
        f"{detalj(utkast)}brytdatum/", {"brytdatum": varde}
    )
    har_text(response, meddelande, status=400)
    utkast.refresh_from_db()
    assert (utkast.brytdatum, utkast.andrad, antal_i_tidslinjen(utkast)) == fore


def test_brytdatum_styr_siffrorna_i_forhandsvisningen(ar2025, utkast, klient_for):
    klient = klient_for("kvalitetssamordnare")
    sida = hamta_html(klient, f"{detalj(utkast)}forhandsvisning/")
    # The avvikelser 1, 2, 4, 5, 7; the tillbud 3 and 6 are not among them.
    assert "5</span> avvikelser rapporterades" in sida
    klient.post(f"{detalj(utkast)}brytdatum/", {"brytdatum": "2025-05-31"})
    sida = hamta_html(klient, f"{detalj(utkast)}forhandsvisning/")
    assert "3</span> avvikelser rapporterades" in sida


def test_utkastet_sager_hur_manga_inlamningar_som_inte_raknas_an(
    utkast, personas, klient_for, faststalld, falsk_pdf
):
    """The e-service's submissions not yet built into synpunkter are in no figure
    (docs/siffror.md): a draft's author is told how many from its period, twice where the
    report is decided; a decided version's locked figures and the nämnd are not."""
    from synpunkter.models import Inlamning

    forsta = InlamningFactory(mottagen=lokal(2025, 3, 10, 12))
    # 2026: another year, within the cut-off but not the report's.
    InlamningFactory(mottagen=lokal(2026, 1, 31, 23, 59))
    InlamningFactory(mottagen=lokal(2025, 12, 31, 23, 30))
    skriv_alla_kapitel(utkast, personas["kvalitetssamordnare"])

    sida = hamta_html(klient_for("kvalitetssamordnare"), detalj(utkast))
    assert 'id="ej-registrerade"' in sida
    assert "2 inlämningar via e-tjänsten från perioden har inte blivit synpunkter än" in sida
    sida = hamta_html(klient_for("forvaltningschef"), detalj(utkast))
    assert "2 inlämningar via e-tjänsten räknas inte i dem än" in sida

    Inlamning.objects.filter(pk=forsta.pk).update(byggd=timezone.now())
    sida = hamta_html(klient_for("kvalitetssamordnare"), detalj(utkast))
    assert "1 inlämning via e-tjänsten från perioden har inte blivit en synpunkt än" in sida

    Inlamning.objects.filter(mottagen__year=2025).update(byggd=timezone.now())
    sida = hamta_html(klient_for("kvalitetssamordnare"), detalj(utkast))
    assert "ej-registrerade" not in sida
    assert "räknas inte i dem än" not in hamta_html(klient_for("forvaltningschef"), detalj(utkast))

    # A decided version's figures are locked: a submission from its year waiting now
    # changes nothing in them, and nobody is told it does.
    Inlamning.objects.filter(mottagen__year=2025).update(byggd=None)
    b = faststalld(utkast)
    for persona in ("kvalitetssamordnare", "forvaltningschef", "namnd"):
        assert "ej-registrerade" not in hamta_html(klient_for(persona), detalj(b))


# --- The PDF -----------------------------------------------------------------------------


def test_pdf_skapas_i_bakgrunden(
    ar2025, utkast, personas, klient_for, settings, django_capture_on_commit_callbacks
):
    """The real renderer, through the Celery task (eager in tests)."""
    klient = klient_for("kvalitetssamordnare")
    with django_capture_on_commit_callbacks(execute=True):
        response = klient.post(f"{detalj(utkast)}pdf/", HTTP_HX_REQUEST="true")
        # While queued the fragment polls for news.
        assert response.status_code == 200
        html = response.content.decode()
        assert "PDF:en väntar på att skapas" in html
        assert 'hx-trigger="every 1s"' in html
    utkast.refresh_from_db()
    assert utkast.pdf_status == "klar"
    assert utkast.pdf_fel == ""
    innehall = Path(utkast.pdf.path).read_bytes()
    assert innehall.startswith(b"%PDF-")
    assert hashlib.sha256(innehall).hexdigest() == utkast.pdf_sha256
    assert utkast.pdf_skapad is not None
    assert utkast.timeline.filter(text=f"PDF skapad (SHA-256 {utkast.pdf_sha256})").exists()
    assert filer(settings) == [Path(utkast.pdf.path)]

    status = hamta_html(klient, f"{detalj(utkast)}pdf/")
    assert "Ladda ner PDF" in status
    assert "every 1s" not in status

    hamtad = klient.get(f"{detalj(utkast)}pdf/hamta/")
    assert hamtad.status_code == 200
    assert b"".join(hamtad.streaming_content) == innehall
    assert hamtad["X-Content-SHA256"] == utkast.pdf_sha256
    assert hamtad["Content-Type"] == "application/pdf"
    assert 'filename="kvalitetsberattelse-2025-version-1.pdf"' in hamtad["Content-Disposition"]
    assert hamtad["Content-Disposition"].startswith("attachment")
    assert "no-store" in hamtad["Cache-Control"]


def test_ny_pdf_ersatter_utkastets_gamla_fil(
    utkast, personas, falsk_pdf, settings, django_capture_on_commit_callbacks
):
    samordnare = personas["kvalitetssamordnare"]
    with django_capture_on_commit_callbacks(execute=True):
        utkast.begar_pdf(av=samordnare)
    utkast.refresh_from_db()
    forsta = Path(utkast.pdf.path)
    with django_capture_on_commit_callbacks(execute=True):
        utkast.begar_pdf(av=samordnare)
    utkast.refresh_from_db()
    assert Path(utkast.pdf.path) != forsta
    assert filer(settings) == [Path(utkast.pdf.path)]
    assert utkast.pdf.read().endswith(b"nr 2")


def test_misslyckad_pdf_visar_fel_och_behaller_forra_filen(
    utkast, personas, klient_for, falsk_pdf, trasig_pdf, settings,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    klient = klient_for("kvalitetssamordnare")
    with django_capture_on_commit_callbacks(execute=True):
        klient.post(f"{detalj(utkast)}pdf/")
    utkast.refresh_from_db()
    forra = (utkast.pdf.name, utkast.pdf_sha256, utkast.pdf.read())

    trasig_pdf()
    with django_capture_on_commit_callbacks(execute=True):
        response = klient.post(f"{detalj(utkast)}pdf/")
    assert response.status_code == 302
    utkast.refresh_from_db()
    assert utkast.pdf_status == "fel"
    assert utkast.pdf_fel == (
        "PDF:en kunde inte skapas. Försök igen, eller kontakta administratören."
    )
    assert (utkast.pdf.name, utkast.pdf_sha256) == forra[:2]
    assert Path(utkast.pdf.path).read_bytes() == forra[2]
    assert filer(settings) == [Path(utkast.pdf.path)]
    status = hamta_html(klient, f"{detalj(utkast)}pdf/")
    assert "PDF:en kunde inte skapas. Försök igen, eller kontakta administratören." in status
    assert "Ladda ner PDF" in status  # the earlier file is still offered
    assert "every 1s" not in status


def test_misslyckad_forsta_pdf_lamnar_ingen_fil(
    utkast, klient_for, trasig_pdf, settings, django_capture_on_commit_callbacks
):
    trasig_pdf()
    klient = klient_for("kvalitetssamordnare")
    with django_capture_on_commit_callbacks(execute=True):
        klient.post(f"{detalj(utkast)}pdf/")
    utkast.refresh_from_db()
    assert utkast.pdf_status == "fel"
    assert not utkast.pdf and utkast.pdf_sha256 == ""
    assert filer(settings) == []
    status = hamta_html(klient, f"{detalj(utkast)}pdf/")
    assert "PDF:en kunde inte skapas." in status
    assert "Försök igen" in status
    assert klient.get(f"{detalj(utkast)}pdf/hamta/").status_code == 404


def test_ersatt_begaran_slangs(utkast, personas, falsk_pdf, django_capture_on_commit_callbacks):
    """A worker finishing an older request stores nothing and marks nothing."""
    samordnare = personas["kvalitetssamordnare"]
    with django_capture_on_commit_callbacks(execute=False):
        gammal = utkast.begar_pdf(av=samordnare)
        ny = utkast.begar_pdf(av=samordnare)
    assert gammal != ny
    assert utkast.spara_pdf(b"%PDF-1.7 gammal", gammal) is False
    utkast.pdf_misslyckades(gammal, "gammalt fel")
    utkast.refresh_from_db()
    assert (utkast.pdf_status, utkast.pdf_fel, bool(utkast.pdf)) == ("koad", "", False)
    skapa_pdf(utkast.pk, str(gammal))
    assert falsk_pdf == []  # the old job did not even render
    utkast.refresh_from_db()
    assert utkast.pdf_status == "koad"

    assert utkast.spara_pdf(b"%PDF-1.7 ny", ny) is True
    utkast.refresh_from_db()
    assert utkast.pdf.read() == b"%PDF-1.7 ny"
    assert utkast.pdf_sha256 == hashlib.sha256(b"%PDF-1.7 ny").hexdigest()


def test_pdf_som_redan_ar_i_ko_begars_inte_igen(utkast, personas, klient_for):
    gammal = utkast.begar_pdf(av=personas["kvalitetssamordnare"])
    response = klient_for("kvalitetssamordnare").post(f"{detalj(utkast)}pdf/")
    assert response.status_code == 302
    utkast.refresh_from_db()
    assert utkast.pdf_jobb == gammal


# --- Deciding ------------------------------------------------------------------------------


def faststall_via_webben(klient, b, django_capture_on_commit_callbacks, **data):
    with django_capture_on_commit_callbacks(execute=True):
        response = klient.post(f"{detalj(b)}faststall/", {**data, "bekraftad": "ja"})
    b.refresh_from_db()
    return response


def test_faststall_laser_siffror_texter_och_arkiverar_pdf(
    ar2025, utkast, personas, klient_for, settings, django_capture_on_commit_callbacks
):
    samordnare = personas["kvalitetssamordnare"]
    utkast.spara_text("inledning", "Förordet.", av=samordnare)
    skriv_alla_kapitel(utkast, samordnare)
    skrivna = {t.kapitel: t.text for t in utkast.texter.all()}
    with django_capture_on_commit_callbacks(execute=True):
        utkast.begar_pdf(av=samordnare)
    utkast.refresh_from_db()
    utkastets_pdf = Path(utkast.pdf.path)
    vantat = berakna(AR, BRYTDATUM)

    response = faststall_via_webben(
        klient_for("forvaltningschef"),
        utkast,
        django_capture_on_commit_callbacks,
        diarienummer="SN 2026/12",
        kommentar="SN 2026-02-20 § 14",
    )
    b = utkast
    assert response.status_code == 302
    assert response["Location"] == detalj(b)
    assert meddelanden(response) == [
        "Kvalitetsberättelsen för 2025 är fastställd. PDF:en arkiveras."
    ]
    assert b.status == "faststalld"
    assert b.faststalld_av == personas["forvaltningschef"]
    assert b.faststalld is not None
    assert b.beslutsanteckning == "SN 2026-02-20 § 14"
    assert b.timeline.filter(typ="status", till_status="faststalld").exists()
    # The figures, frozen.
    b.siffror.pop("beraknad"), vantat.pop("beraknad")
    assert b.siffror == vantat
    assert b.diarienummer == "SN 2026/12"
    # Every chapter's text is stored as written; deciding adds none (all are written).
    texter = {t.kapitel: t.text for t in b.texter.all()}
    assert set(texter) == {k.slug for k in KAPITEL}
    assert texter == skrivna
    assert texter["inledning"] == "Förordet."
    # The draft's PDF is gone; the archived one was made from the frozen figures.
    assert not utkastets_pdf.exists()
    assert b.pdf_status == "klar"
    arkiv = Path(b.pdf.path).read_bytes()
    assert hashlib.sha256(arkiv).hexdigest() == b.pdf_sha256
    assert filer(settings) == [Path(b.pdf.path)]
    from tests.rapporter.test_pdf import all_text, las

    text = all_text(las(arkiv))
    idag = timezone.localdate().isoformat()
    assert f"Fastställd av förvaltningschefen {idag}, dnr SN 2026/12" in text
    assert "5 avvikelser rapporterades under 2025" in text  # without the 2 tillbud
    assert "Förordet." in text


def test_faststalld_ar_last_for_senare_registreringar(
    ar2025, utkast, personas, klient_for, falsk_pdf, faststalld, org, monkeypatch
):
    b = faststalld(utkast)
    frysta = b.siffror
    klient = klient_for("kvalitetssamordnare")
    # Later: more 2025 cases are registered, one is closed, the default texts change.
    AvvikelseFactory(enhet=org["EB"], rapporterad=lokal(2025, 11, 1, 12))
    AvvikelseFactory(enhet=org["KOLL"], rapporterad=lokal(2025, 12, 1, 12))
    type(ar2025.avv[4]).objects.filter(pk=ar2025.avv[4].pk).update(
        status="avslutad", avslutad=lokal(2026, 1, 10, 12)
    )
    monkeypatch.setattr(kapitelmodul.Kapitel, "standardtext", lambda self, ar, kommun: "NY TEXT")
    assert berakna(AR, BRYTDATUM)["kapitel"]["avvikelser"]["totalt"] == 7  # 5 + 2

    b.refresh_from_db()
    assert b.siffror == frysta
    sida = hamta_html(klient, f"{detalj(b)}forhandsvisning/")
    assert "5</span> avvikelser rapporterades" in sida
    assert "7</span> avvikelser" not in sida
    assert "NY TEXT" not in sida
    assert "Fastställd version med låsta siffror." in sida
    # The archived PDF was rendered from the frozen figures, and any later rendering is too.
    assert falsk_pdf == [frysta]
    from rapporter.dokument import html_for_pdf

    html = html_for_pdf(Kvalitetsberattelse.objects.get(pk=b.pk))
    assert "5</span> avvikelser rapporterades" in html
    assert "NY TEXT" not in html


def test_faststalld_version_kan_inte_andras(utkast, personas, klient_for, falsk_pdf, faststalld):
    b = faststalld(utkast)
    fore = (
        b.brytdatum,
        b.andrad,
        b.pdf.name,
        b.pdf_sha256,
        sorted(b.texter.values_list("kapitel", "text")),
    )
    for persona in ("kvalitetssamordnare", "forvaltningschef"):
        klient = klient_for(persona)
        assert klient.get(f"{detalj(b)}kapitel/inledning/").status_code == 403
        assert klient.post(f"{detalj(b)}kapitel/inledning/", {"text": "Ändrad"}).status_code == 403
        assert klient.post(f"{detalj(b)}brytdatum/", {"brytdatum": "2026-01-10"}).status_code == 403
        # The archived PDF is never made again.
        assert klient.post(f"{detalj(b)}pdf/").status_code == 403
    with pytest.raises(ValidationError, match="En fastställd kvalitetsberättelse kan inte ändras."):
        b.spara_text("inledning", "Ändrad", av=personas["kvalitetssamordnare"])
    with pytest.raises(ValidationError, match="En fastställd kvalitetsberättelse kan inte ändras."):
        b.satt_brytdatum(date(2026, 1, 10), av=personas["kvalitetssamordnare"])
    with pytest.raises(ValidationError, match="arkiverad och skapas inte om"):
        b.begar_pdf(av=personas["forvaltningschef"])
    assert b.spara_pdf(b"%PDF-1.7 ersattning", b.pdf_jobb) is False
    b = Kvalitetsberattelse.objects.get(pk=b.pk)
    assert (
        b.brytdatum,
        b.andrad,
        b.pdf.name,
        b.pdf_sha256,
        sorted(b.texter.values_list("kapitel", "text")),
    ) == fore
    assert len(falsk_pdf) == 1


def test_faststalla_tva_ganger_gar_inte(utkast, klient_for, falsk_pdf, faststalld):
    b = faststalld(utkast)
    faststalld_nar = b.faststalld
    response = klient_for("forvaltningschef").post(
        f"{detalj(b)}faststall/", {"diarienummer": "SN 2026/12", "kommentar": ""}
    )
    assert response.status_code == 302
    assert meddelanden(response) == ["Det går inte att fastställa när status är fastställd."]
    b.refresh_from_db()
    assert b.faststalld == faststalld_nar
    assert len(falsk_pdf) == 1


def test_arkiverad_pdf_som_misslyckades_kan_goras_om(
    utkast, personas, klient_for, trasig_pdf, monkeypatch, django_capture_on_commit_callbacks
):
    trasig_pdf()
    skriv_alla_kapitel(utkast, personas["kvalitetssamordnare"])
    faststall_via_webben(
        klient_for("forvaltningschef"),
        utkast,
        django_capture_on_commit_callbacks,
        diarienummer="SN 2026/12",
    )
    b = utkast
    assert b.status == "faststalld"
    assert b.pdf_status == "fel" and not b.pdf
    assert klient_for("namnd").get(f"{detalj(b)}pdf/hamta/").status_code == 404
    assert klient_for("namnd").post(f"{detalj(b)}pdf/").status_code == 403

    monkeypatch.setattr(
        "rapporter.dokument.rendera_pdf", lambda berattelse, siffror=None: b"%PDF-1.7 arkiv"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = klient_for("forvaltningschef").post(f"{detalj(b)}pdf/")
    assert response.status_code == 302
    b.refresh_from_db()
    assert b.pdf_status == "klar"
    assert b.pdf.read() == b"%PDF-1.7 arkiv"
    assert b.pdf_sha256 == hashlib.sha256(b"%PDF-1.7 arkiv").hexdigest()
    assert klient_for("namnd").get(f"{detalj(b)}pdf/hamta/").status_code == 200


# --- New versions --------------------------------------------------------------------------


def test_ny_version_kraver_skal(utkast, klient_for, falsk_pdf, faststalld):
    b = faststalld(utkast)
    response = klient_for("kvalitetssamordnare").post(f"{detalj(b)}ny-version/", {"kommentar": " "})
    har_text(response, "Ange varför kvalitetsberättelsen öppnas igen.", status=400)
    assert Kvalitetsberattelse.objects.count() == 1


@pytest.mark.parametrize("persona", ["kvalitetssamordnare", "forvaltningschef"])
def test_ny_version_kopierar_texterna(persona, utkast, personas, klient_for, falsk_pdf, faststalld):
    utkast.spara_text("fokus", "1. Väntetider", av=personas["kvalitetssamordnare"])
    gammal = faststalld(utkast)
    gamla_texter = sorted(gammal.texter.values_list("kapitel", "text"))
    assert len(gamla_texter) == len(KAPITEL)

    response = klient_for(persona).post(
        f"{detalj(gammal)}ny-version/", {"kommentar": "Fel siffra i kapitel 4."}
    )
    ny = Kvalitetsberattelse.objects.get(ar=AR, version=2)
    assert response.status_code == 302
    assert response["Location"] == detalj(ny)
    assert meddelanden(response) == ["Version 2 är skapad som utkast."]
    assert (ny.status, ny.brytdatum, ny.siffror, bool(ny.pdf)) == ("utkast", BRYTDATUM, None, False)
    assert sorted(ny.texter.values_list("kapitel", "text")) == gamla_texter
    assert ny.timeline.filter(
        text="Ny version av version 1: Fel siffra i kapitel 4.", anvandare=personas[persona]
    ).exists()
    gammal.refresh_from_db()
    assert gammal.status == "faststalld"
    assert gammal.pdf and gammal.pdf_sha256
    assert sorted(gammal.texter.values_list("kapitel", "text")) == gamla_texter
    assert gammal.timeline.filter(
        text="Öppnad igen som version 2: Fel siffra i kapitel 4."
    ).exists()
    # Only one draft per year.
    response = klient_for(persona).post(
        f"{detalj(gammal)}ny-version/", {"kommentar": "En gång till."}
    )
    har_text(response, "Det finns redan ett utkast för 2025.", status=400)
    assert Kvalitetsberattelse.objects.count() == 2


def test_ny_version_av_ett_utkast_gar_inte(utkast, klient_for):
    response = klient_for("kvalitetssamordnare").post(
        f"{detalj(utkast)}ny-version/", {"kommentar": "Varför inte."}
    )
    har_text(response, "Bara en fastställd kvalitetsberättelse kan öppnas igen.", status=400)
    assert Kvalitetsberattelse.objects.count() == 1


def test_andra_faststallda_versionen_ersatter_den_forsta(
    utkast, personas, klient_for, falsk_pdf, faststalld
):
    forsta = faststalld(utkast)
    andra = forsta.ny_version(av=personas["kvalitetssamordnare"], kommentar="Rättelse.")
    andra.spara_text("inledning", "Rättat förord.", av=personas["kvalitetssamordnare"])
    andra = faststalld(andra)
    forsta.refresh_from_db()
    assert (forsta.status, andra.status) == ("ersatt", "faststalld")
    assert forsta.pdf and andra.pdf and forsta.pdf.name != andra.pdf.name
    # The nämnd sees both decided versions; the older says it was replaced.
    namnd = klient_for("namnd")
    lista = hamta_html(namnd, "/rapporter/")
    assert "Kvalitetsberättelse 2025, version 1" in lista
    assert "Kvalitetsberättelse 2025, version 2" in lista
    assert "Ersatt av senare version" in lista
    sida = hamta_html(namnd, detalj(forsta))
    assert "Den här versionen har ersatts av en senare." in sida
    assert namnd.get(f"{detalj(forsta)}pdf/hamta/").status_code == 200


def test_handelserna_visar_faststallandet(utkast, klient_for, falsk_pdf, faststalld):
    """The decision is on the report's timeline by name, with its note and who took it."""
    b = faststalld(utkast)
    response = klient_for("kvalitetssamordnare").get(f"/rapporter/{b.pk}/")
    html = response.content.decode()
    assert "Statusändring: Fastställd – KS 2025-02-20 § 12" in html
