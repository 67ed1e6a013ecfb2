"""Permission matrix over every URL of the reports app × every persona, for a draft and
for a decided version; and the nämnd, who sees decided reports and nothing else.

The kvalitetssamordnare writes, the förvaltningschef reads drafts and decides but does
not write, the nämnd reads decided versions only (a draft is 404 to it). Everyone else is
refused every report page (403); anonymous visitors go to the login page. A refused
request changes nothing; an allowed one takes effect.
"""

import re
from datetime import date

import pytest

from kvalitet.models import Roll
from rapporter.models import Kapiteltext, Kvalitetsberattelse
from tests.factories import AvvikelseFactory, SynpunktFactory, UppdragFactory
from tests.rapporter.hjalp import KODER, NY, TB, skriv_alla_kapitel
from tests.stod import OK, L, Rad, Utfall, hamta_html, kor_rad, rader_param

pytestmark = pytest.mark.django_db


@pytest.fixture
def rapp(org, personas, monkeypatch, django_capture_on_commit_callbacks):
    """The matrices' world: the 2025 draft with a PDF; the decided 2024 version with its
    archived PDF; a case of each type (for the nämnd's refusals)."""
    from types import SimpleNamespace

    monkeypatch.setattr(
        "rapporter.dokument.rendera_pdf",
        lambda b, siffror=None: f"%PDF-1.7 rapport {b.ar}".encode(),
    )
    samordnare = personas["kvalitetssamordnare"]
    beslutad = Kvalitetsberattelse.skapa(ar=2024, brytdatum=date(2025, 1, 31), av=samordnare)
    skriv_alla_kapitel(beslutad, samordnare)
    with django_capture_on_commit_callbacks(execute=True):
        beslutad.faststall(av=personas["forvaltningschef"], diarienummer="SN 2025/12")
    utkast = Kvalitetsberattelse.skapa(ar=2025, brytdatum=date(2026, 1, 31), av=samordnare)
    # Written throughout, so that the matrix's decision can be taken.
    skriv_alla_kapitel(utkast, samordnare)
    with django_capture_on_commit_callbacks(execute=True):
        utkast.begar_pdf(av=samordnare)
    for b in (beslutad, utkast):
        b.refresh_from_db()
        assert b.pdf_status == "klar" and b.pdf
    return SimpleNamespace(
        org=org,
        personas=personas,
        utkast=utkast,
        beslutad=beslutad,
        avv=AvvikelseFactory(enhet=org["EB"], rapporterad_av=personas["medarbetare"]),
        syn=SynpunktFactory(enhet=org["EB"]),
    )


def koder(samordnare, forvaltningschef, namnd):
    """Anonymous → login; every persona without a report role → 403."""
    return Utfall(
        403,
        anonym=L,
        kvalitetssamordnare=samordnare,
        forvaltningschef=forvaltningschef,
        namnd=namnd,
    )


def u(mall):
    return lambda s: mall.format(u=s.utkast.pk, b=s.beslutad.pk)


def _utkast(s):
    s.utkast.refresh_from_db()
    return s.utkast


# Outcomes per persona: `koder` above (a tests.stod.Utfall).
RADER = [
    Rad("lista", "GET", u("/rapporter/"), koder(200, 200, 200), innehall="Kvalitetsberättelser"),
    Rad(
        "lista-post",
        "POST",
        u("/rapporter/"),
        koder(NY, 403, 403),
        data=lambda s: {"ar": "2023"},
        gjort=lambda s, user: Kvalitetsberattelse.objects.filter(
            ar=2023, status="utkast", skapad_av=user
        ).exists(),
    ),
    # --- The draft ----------------------------------------------------------------------
    Rad(
        "utkast-detalj",
        "GET",
        u("/rapporter/{u}/"),
        koder(200, 200, 404),
        innehall="Kvalitetsberättelse 2025",
    ),
    Rad(
        "utkast-kapitel-get",
        "GET",
        u("/rapporter/{u}/kapitel/inledning/"),
        koder(200, 403, 404),
        innehall="Förvaltningschefens förord",
    ),
    Rad(
        "utkast-kapitel-post",
        "POST",
        u("/rapporter/{u}/kapitel/inledning/"),
        koder(OK, 403, 404),
        data=lambda s: {"text": "Matrisens förord."},
        gjort=lambda s, user: Kapiteltext.objects.filter(
            berattelse=s.utkast, kapitel="inledning", text="Matrisens förord.", uppdaterad_av=user
        ).exists(),
    ),
    Rad(
        "utkast-brytdatum",
        "POST",
        u("/rapporter/{u}/brytdatum/"),
        koder(OK, 403, 404),
        data=lambda s: {"brytdatum": "2026-01-15"},
        gjort=lambda s, user: _utkast(s).brytdatum == date(2026, 1, 15),
    ),
    Rad(
        "utkast-forhandsvisning",
        "GET",
        u("/rapporter/{u}/forhandsvisning/"),
        koder(200, 200, 404),
        innehall="Förhandsvisning av utkastet.",
    ),
    Rad(
        "utkast-pdf-get",
        "GET",
        u("/rapporter/{u}/pdf/"),
        koder(200, 200, 404),
        innehall="Ladda ner PDF",
    ),
    Rad(
        "utkast-pdf-post",
        "POST",
        u("/rapporter/{u}/pdf/"),
        koder(OK, 403, 404),
        gjort=lambda s, user: _utkast(s).pdf_status == "koad",
    ),
    Rad(
        "utkast-pdf-hamta",
        "GET",
        u("/rapporter/{u}/pdf/hamta/"),
        koder(200, 200, 404),
        innehall="%PDF-1.7 rapport 2025",
    ),
    Rad(
        "utkast-faststall",
        "POST",
        u("/rapporter/{u}/faststall/"),
        koder(403, OK, 404),
        data=lambda s: {"diarienummer": "SN 2026/1", "kommentar": "SN § 1", "bekraftad": "ja"},
        gjort=lambda s, user: _utkast(s).status == "faststalld" and s.utkast.faststalld_av == user,
    ),
    Rad(
        "utkast-ny-version",
        "POST",
        u("/rapporter/{u}/ny-version/"),
        koder(400, 400, 404),
        data=lambda s: {"kommentar": "Rättelse."},
        innehall="Bara en fastställd kvalitetsberättelse kan öppnas igen.",
    ),
    # --- The decided version ------------------------------------------------------------
    Rad(
        "beslutad-detalj",
        "GET",
        u("/rapporter/{b}/"),
        koder(200, 200, 200),
        innehall="Fastställd av förvaltningschefen",
    ),
    Rad(
        "beslutad-kapitel-get", "GET", u("/rapporter/{b}/kapitel/inledning/"), koder(403, 403, 403)
    ),
    Rad(
        "beslutad-kapitel-post",
        "POST",
        u("/rapporter/{b}/kapitel/inledning/"),
        koder(403, 403, 403),
        data=lambda s: {"text": "Ändrad i efterhand."},
    ),
    Rad(
        "beslutad-brytdatum",
        "POST",
        u("/rapporter/{b}/brytdatum/"),
        koder(403, 403, 403),
        data=lambda s: {"brytdatum": "2025-01-15"},
    ),
    Rad(
        "beslutad-forhandsvisning",
        "GET",
        u("/rapporter/{b}/forhandsvisning/"),
        koder(200, 200, 200),
        innehall="Fastställd version med låsta siffror.",
    ),
    Rad(
        "beslutad-pdf-get",
        "GET",
        u("/rapporter/{b}/pdf/"),
        koder(200, 200, 200),
        innehall="SHA-256",
    ),
    Rad("beslutad-pdf-post", "POST", u("/rapporter/{b}/pdf/"), koder(403, 403, 403)),
    Rad(
        "beslutad-pdf-hamta",
        "GET",
        u("/rapporter/{b}/pdf/hamta/"),
        koder(200, 200, 200),
        innehall="%PDF-1.7 rapport 2024",
    ),
    # Deciding again: the förvaltningschef is told it is already decided; nobody else
    # may decide at all.
    Rad(
        "beslutad-faststall",
        "POST",
        u("/rapporter/{b}/faststall/"),
        koder(403, TB, 403),
        data=lambda s: {"diarienummer": "SN 2025/12", "kommentar": "Igen.", "bekraftad": "ja"},
    ),
    Rad(
        "beslutad-ny-version",
        "POST",
        u("/rapporter/{b}/ny-version/"),
        koder(NY, NY, 403),
        data=lambda s: {"kommentar": "Fel siffra i kapitel 4."},
        gjort=lambda s, user: Kvalitetsberattelse.objects.filter(
            ar=2024, version=2, status="utkast", skapad_av=user
        ).exists(),
    ),
    # Without a reason the nämnd is still refused, not asked for one.
    Rad(
        "beslutad-ny-version-tom",
        "POST",
        u("/rapporter/{b}/ny-version/"),
        koder(400, 400, 403),
        data=lambda s: {"kommentar": ""},
        innehall="Ange varför kvalitetsberättelsen öppnas igen.",
    ),
]


@pytest.mark.parametrize("rad", rader_param(RADER))
def test_behorighetsmatris(rad, rapp, klient_for):
    # OK, TB and NY are measured against the report the row's URL is about.
    rapportens = "/".join(rad.url(rapp).split("/")[:3]) + "/"  # "", "rapporter", pk
    kor_rad(rad, rapp, klient_for, arende_url=lambda s, user: rapportens, koder=KODER)


@pytest.mark.parametrize("slug", ["brytdatum", "faststall", "ny-version"])
def test_atgardsadresser_tar_bara_emot_post(slug, rapp, klient_for):
    response = klient_for("kvalitetssamordnare").get(f"/rapporter/{rapp.utkast.pk}/{slug}/")
    assert response.status_code == 405


@pytest.mark.parametrize("persona", ["kvalitetssamordnare", "forvaltningschef", "namnd"])
@pytest.mark.parametrize(
    "slug", ["", "kapitel/inledning/", "forhandsvisning/", "pdf/", "pdf/hamta/"]
)
def test_okand_rapport_ger_404(persona, slug, rapp, klient_for):
    response = klient_for(persona).get(f"/rapporter/999999/{slug}")
    assert response.status_code == 404


# --- What each reader sees -------------------------------------------------------------------


def test_namnden_ser_bara_beslutade_versioner_i_listan(rapp, klient_for):
    html = hamta_html(klient_for("namnd"), "/rapporter/")
    assert f'href="/rapporter/{rapp.beslutad.pk}/"' in html
    assert f'href="/rapporter/{rapp.utkast.pk}/"' not in html
    assert "Kvalitetsberättelse 2025" not in html
    assert "Nytt utkast" not in html


def test_samordnaren_ser_alla_och_kan_skapa_forvaltningschefen_bara_lasa(rapp, klient_for):
    for persona, kan_skapa in (("kvalitetssamordnare", True), ("forvaltningschef", False)):
        html = hamta_html(klient_for(persona), "/rapporter/")
        assert f'href="/rapporter/{rapp.beslutad.pk}/"' in html
        assert f'href="/rapporter/{rapp.utkast.pk}/"' in html
        assert ("Nytt utkast" in html) is kan_skapa


def test_namnden_ser_inte_arbetsytan(rapp, klient_for):
    """The nämnd's view of a decided report: the download, not the staff's timeline,
    chapter list or the names of who wrote what."""
    html = hamta_html(klient_for("namnd"), f"/rapporter/{rapp.beslutad.pk}/")
    assert "Ladda ner PDF" in html
    assert "Händelser" not in html
    assert "Siffrornas underlag" not in html
    assert "Förhandsvisa i webbläsaren" not in html
    assert rapp.personas["kvalitetssamordnare"].first_name not in html
    assert "Skapa ny version" not in html
    assert "Fastställ</button>" not in html


def test_forvaltningschefen_ser_fastall_men_inte_skrivknappar(rapp, klient_for):
    html = hamta_html(klient_for("forvaltningschef"), f"/rapporter/{rapp.utkast.pk}/")
    assert f'action="/rapporter/{rapp.utkast.pk}/faststall/"' in html
    assert "/kapitel/" not in html
    assert "Ändra brytdatum" not in html
    assert "Skapa ny PDF" not in html and "Skapa PDF" not in html
    html = hamta_html(klient_for("kvalitetssamordnare"), f"/rapporter/{rapp.utkast.pk}/")
    assert f'action="/rapporter/{rapp.utkast.pk}/faststall/"' not in html
    assert f'href="/rapporter/{rapp.utkast.pk}/kapitel/inledning/"' in html
    assert "Ändra brytdatum" in html


# --- The nämnd sees reports only -------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "meddelande"),
    [
        ("/avvikelser/", "Nämnden ser rapporterna, inte enskilda ärenden."),
        ("/avvikelser/export.csv", "Nämnden ser rapporterna, inte enskilda ärenden."),
        ("/synpunkter/", "Nämnden ser rapporterna, inte enskilda ärenden."),
        ("/synpunkter/export.xlsx", "Nämnden ser rapporterna, inte enskilda ärenden."),
        ("/sok/?nummer={avv}", "Nämnden ser rapporterna, inte enskilda ärenden."),
        ("/avvikelser/{avv}/", "Nämnden ser rapporterna, inte enskilda ärenden."),
        ("/synpunkter/{syn}/", "Nämnden ser rapporterna, inte enskilda ärenden."),
        ("/avvikelser/ny/", "Du har ingen roll som rapporterar avvikelser."),
        ("/synpunkter/ny/", "Du har ingen roll som registrerar synpunkter."),
        ("/synpunkter/inkorg/", "Ingen behörighet"),
    ],
)
def test_namnden_oppnar_inga_arendesidor(url, meddelande, rapp, klient_for):
    url = url.format(avv=rapp.avv.nummer, syn=rapp.syn.nummer)
    response = klient_for("namnd").get(url)
    assert response.status_code == 403
    assert meddelande in response.content.decode()
    assert rapp.avv.nummer not in response.content.decode()


def test_namnden_kan_inte_skriva_i_arenden(rapp, klient_for):
    from kvalitet.models import TimelineEntry

    klient = klient_for("namnd")
    fore = TimelineEntry.objects.count()
    response = klient.post(f"/avvikelser/{rapp.avv.nummer}/kommentar/", {"text": "Hej"})
    assert response.status_code == 403
    response = klient.post("/avvikelser/ny/", {"beskrivning": "x"})
    assert response.status_code == 403
    assert TimelineEntry.objects.count() == fore


def test_namndens_startsida_ar_rapporterna(rapp, klient_for):
    response = klient_for("namnd").get("/")
    assert response.status_code == 302
    assert response["Location"] == "/rapporter/"


MENY = re.compile(r'<ul class="meny" id="huvudmeny">(.*?)</ul>', re.S)
LANK = re.compile(r'<a href="([^"]+)"[^>]*>([^<]+)</a>')


@pytest.mark.parametrize(
    ("persona", "lankar"),
    [
        (
            "namnd",
            [
                ("/rapporter/", "Rapporter"),
                ("/risker/register/", "Riskregistret – fastställda versioner"),
                ("/lexsarah/namnden/", "Lex Sarah – nämndhandlingar"),
                ("/internkontroll/planer/", "Internkontroll – fastställda handlingar"),
            ],
        ),
        (
            "kvalitetssamordnare",
            [
                ("/", "Mina ärenden"),
                ("/avvikelser/", "Avvikelser"),
                ("/synpunkter/", "Synpunkter"),
                ("/lexsarah/", "Lex Sarah-ärenden"),
                ("/risker/", "Riskregister"),
                ("/internkontroll/", "Kontroller"),
                ("/processer/", "Processer"),
                ("/ivo/", "IVO"),
                ("/rapporter/", "Rapporter"),
            ],
        ),
        (
            "medarbetare",
            [
                ("/", "Mina ärenden"),
                ("/avvikelser/", "Avvikelser"),
                ("/synpunkter/", "Synpunkter"),
                ("/lexsarah/", "Lex Sarah-ärenden"),
                ("/risker/", "Riskregister"),
                ("/internkontroll/", "Kontroller"),
            ],
        ),
    ],
)
def test_menyn(persona, lankar, rapp, klient_for):
    sida = "/rapporter/" if persona != "medarbetare" else "/"
    html = hamta_html(klient_for(persona), sida)
    meny = MENY.search(html).group(1)
    assert [(h, t.strip()) for h, t in LANK.findall(meny)] == lankar
    assert ('role="search"' in html) is (persona != "namnd")


def test_namnd_som_ocksa_ar_personal_ser_arenden(rapp, klient_for):
    """The restriction is for nämnd-only accounts: a politician who also works in the
    förvaltning keeps their staff access."""
    namnd = rapp.personas["namnd"]
    UppdragFactory(anvandare=namnd, roll=Roll.MEDARBETARE, enhet=rapp.org["EB"])
    klient = klient_for("namnd")
    assert klient.get("/avvikelser/").status_code == 200
    assert klient.get("/").status_code == 200
    assert klient.get("/rapporter/").status_code == 200
    # Still no drafts: the nämnd role does not open them, staff roles neither.
    assert klient.get(f"/rapporter/{rapp.utkast.pk}/").status_code == 404
