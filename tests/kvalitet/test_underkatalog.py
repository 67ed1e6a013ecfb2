"""Served under a path (SITE_URL=https://intranat.example.se/kvalitet): every link, form,
static file, redirect, cookie and e-mail link begins with the path; the two-step guard,
the CSRF page's way back and the API's answers see the application's own addresses
below it; nothing reaches outside it.

The reverse proxy forwards the path below the prefix (or gunicorn strips it with
SCRIPT_NAME), so the test client asks for `/avvikelser/` and Django, with
FORCE_SCRIPT_NAME, knows the page as `/kvalitet/avvikelser/`."""

import re
from urllib.parse import urljoin

import pytest
from django.core import mail
from django.templatetags.static import static
from django.test import Client
from django.urls import reverse, set_script_prefix

from kvalitet.lib.pdf import BAS_URL, StatiskaFiler
from kvalitet.notifieringar import notifiera
from tests.factories import AvvikelseFactory
from tests.kvalitet.test_tvastegs import ge_app, kod
from tests.tjanster import kor_manage

pytestmark = pytest.mark.django_db

SOKVAG = "/kvalitet"
ADRESSER = re.compile(r'(?:href|src|action|hx-get|hx-post|hx-delete|hx-put)="(/[^"]*)"')


@pytest.fixture
def under_sokvag(settings):
    settings.FORCE_SCRIPT_NAME = SOKVAG
    # What the settings make of SITE_URL's path (kvalitet/settings.py).
    settings.STATIC_URL = f"{SOKVAG}/static/"
    settings.SESSION_COOKIE_PATH = settings.CSRF_COOKIE_PATH = f"{SOKVAG}/"
    settings.LANGUAGE_COOKIE_PATH = f"{SOKVAG}/"
    settings.SITE_URL = "https://intranat.example.se"
    # As django.setup() does in every process, the web server's and the worker's.
    set_script_prefix(f"{SOKVAG}/")
    yield
    set_script_prefix("/")


def test_installningen_laser_sokvagen_ur_site_url():
    skript = (
        "from django.conf import settings; from django.urls import reverse; "
        "print(settings.SITE_URL, settings.FORCE_SCRIPT_NAME, settings.STATIC_URL, "
        "settings.SESSION_COOKIE_PATH, settings.CSRF_COOKIE_PATH, reverse('start'), "
        "reverse('avvikelser:lista'), settings.SPECTACULAR_SETTINGS['SERVERS'][0]['url'])"
    )
    for site_url in (
        "https://intranat.example.se/kvalitet",
        "https://intranat.example.se/kvalitet/",
    ):
        resultat = kor_manage("shell", "-c", skript, SITE_URL=site_url, DEBUG="true")
        assert resultat.returncode == 0, resultat.stderr
        assert resultat.stdout.splitlines()[-1].split() == [
            "https://intranat.example.se",
            "/kvalitet",
            "/kvalitet/static/",
            "/kvalitet/",
            "/kvalitet/",
            "/kvalitet/",
            "/kvalitet/avvikelser/",
            "https://intranat.example.se/kvalitet",
        ]
    resultat = kor_manage(
        "shell", "-c", skript, SITE_URL="https://kvalitet.example.se", DEBUG="true"
    )
    assert resultat.stdout.splitlines()[-1].split() == [
        "https://kvalitet.example.se",
        "None",
        "/static/",
        "/",
        "/",
        "/",
        "/avvikelser/",
        "https://kvalitet.example.se",
    ]


@pytest.mark.parametrize(
    "site_url", ["intranat.example.se/kvalitet", "ftp://example.se", "https://x.se/a?b=1"]
)
def test_en_felaktig_site_url_stoppar_starten(site_url):
    resultat = kor_manage("check", SITE_URL=site_url, DEBUG="true")
    assert resultat.returncode != 0
    assert "SITE_URL ska vara en adress som https://kvalitet.example.se" in resultat.stderr


@pytest.mark.parametrize("persona", ["kvalitetssamordnare", "enhetschef", "medarbetare"])
def test_sidornas_adresser_ligger_under_sokvagen(under_sokvag, klient_for, persona):
    klient = klient_for(persona)
    sidor = ["/", "/avvikelser/", "/avvikelser/ny/", "/synpunkter/", "/risker/", "/lexsarah/ny/"]
    if persona == "kvalitetssamordnare":
        sidor += ["/rapporter/", "/internkontroll/", "/ivo/"]
    for sida in sidor:
        svar = klient.get(sida)
        assert svar.status_code == 200, sida
        adresser = ADRESSER.findall(svar.content.decode())
        assert f"{SOKVAG}/static/" in " ".join(adresser), sida
        utanfor = [a for a in adresser if not a.startswith(f"{SOKVAG}/")]
        assert utanfor == [], (sida, utanfor)


def test_administrationens_adresser_ligger_under_sokvagen(under_sokvag, personas):
    """Signed in with the second step, the administrator's pages – the product's and
    Django's admin, its "Visa sida" included – stay under the path."""
    klient = Client()
    enhet = ge_app(personas["admin"])
    svar = klient.post("/konto/logga-in/", {"username": "admin", "password": "demo"})
    assert svar["Location"].startswith(f"{SOKVAG}/konto/tvastegs/?")
    svar = klient.post("/konto/tvastegs/", {"kod": kod(enhet)})
    assert svar["Location"] == f"{SOKVAG}/"
    for sida in ("/administration/personer/", "/admin/", "/admin/kvalitet/enhet/"):
        svar = klient.get(sida)
        assert svar.status_code == 200, sida
        adresser = ADRESSER.findall(svar.content.decode())
        assert adresser, sida
        utanfor = [a for a in adresser if not a.startswith(f"{SOKVAG}/")]
        assert utanfor == [], (sida, utanfor)
    assert f'<a href="{SOKVAG}/">Visa sida</a>' in klient.get("/admin/").content.decode()


def test_inloggningen_och_kakorna_under_sokvagen(under_sokvag, personas):
    klient = Client()
    svar = klient.get("/avvikelser/")
    assert svar.status_code == 302
    assert svar["Location"] == f"{SOKVAG}/konto/logga-in/?next={SOKVAG}/avvikelser/"
    svar = klient.post(
        "/konto/logga-in/",
        {"username": "medarbetare", "password": "demo", "next": f"{SOKVAG}/avvikelser/"},
    )
    assert svar.status_code == 302
    assert svar["Location"] == f"{SOKVAG}/avvikelser/"
    for kaka in ("sessionid", "csrftoken", "kvalitet_inloggad"):
        assert klient.cookies[kaka]["path"] == f"{SOKVAG}/", kaka
    svar = klient.post("/konto/logga-ut/")
    assert svar["Location"].startswith(f"{SOKVAG}/")
    markor = svar.cookies["kvalitet_inloggad"]
    assert (markor.value, markor["path"], markor["max-age"]) == ("", f"{SOKVAG}/", 0)


def test_tvastegsskyddet_under_sokvagen(under_sokvag, personas):
    """The administrator must enrol first: every page sends to the enrolment – under the
    path – and the enrolment page itself is reached (no redirect to itself)."""
    aktivera = reverse("tvastegs_aktivera")
    assert aktivera.startswith(f"{SOKVAG}/")
    klient = Client()
    svar = klient.post("/konto/logga-in/", {"username": "admin", "password": "demo"})
    assert svar["Location"] == f"{aktivera}?next=%2Fkvalitet%2F"
    for sida in ("/", "/avvikelser/", "/administration/personer/"):
        svar = klient.get(sida)
        assert svar.status_code == 302, sida
        assert svar["Location"] == f"{aktivera}?next=%2Fkvalitet{sida.replace('/', '%2F')}"
    assert klient.get(aktivera.removeprefix(SOKVAG)).status_code == 200
    # A form sent from a page of the application: after the step, back to that page.
    svar = klient.post(
        "/avvikelser/ny/", {}, headers={"referer": f"http://testserver{SOKVAG}/avvikelser/"}
    )
    assert svar["Location"] == f"{aktivera}?next=%2Fkvalitet%2Favvikelser%2F"
    # An address on the same host outside the path is not the application's page.
    svar = klient.post("/avvikelser/ny/", {}, headers={"referer": "http://testserver/avvikelser/"})
    assert svar["Location"] == aktivera


@pytest.mark.parametrize(
    ("referer", "tillbaka"),
    [
        (f"http://testserver{SOKVAG}/avvikelser/?typ=tillbud", f"{SOKVAG}/avvikelser/?typ=tillbud"),
        # Outside the path, on the same host: the address posted to, which answers GET.
        ("http://testserver/annat/avvikelser/", f"{SOKVAG}/avvikelser/ny/"),
        (None, f"{SOKVAG}/avvikelser/ny/"),
    ],
)
def test_csrf_sidans_vag_tillbaka_under_sokvagen(under_sokvag, personas, referer, tillbaka):
    klient = Client(enforce_csrf_checks=True)
    klient.force_login(personas["medarbetare"])
    headers = {"referer": referer} if referer else {}
    svar = klient.post("/avvikelser/ny/", {"sammanfattning": "x"}, headers=headers)
    assert svar.status_code == 403
    assert f'<a href="{tillbaka}" role="button">Tillbaka till sidan</a>' in svar.content.decode()


def test_apit_under_sokvagen(under_sokvag, personas):
    svar = Client().get("/api/v1/finns-inte/")
    assert svar.status_code == 404
    assert svar.json()["error"]["message"] == (
        f"Adressen finns inte i API:t. Se {SOKVAG}/api/v1/dokumentation/."
    )
    # The API answers for itself: no redirect to the login or to a step.
    svar = Client().get("/api/v1/avvikelser/")
    assert svar.status_code == 401
    assert svar.json()["error"]["code"] == "not_authenticated"


def test_mejlens_lankar_under_sokvagen(
    under_sokvag, org, personas, django_capture_on_commit_callbacks
):
    avv = AvvikelseFactory(enhet=org["EB"])
    with django_capture_on_commit_callbacks(execute=True):
        notifiera(
            [personas["enhetschef"]],
            "kvalitet/mejl/arende_tilldelat.txt",
            {"arende": avv, "av": personas["kvalitetssamordnare"]},
        )
    (meddelande,) = mail.outbox
    assert f"https://intranat.example.se{SOKVAG}/avvikelser/{avv.nummer}/" in meddelande.body


def test_pdfernas_statiska_filer_under_sokvagen(under_sokvag):
    """A document's stylesheets and logo are linked under the path; the PDF renderer
    finds them among the static files, and still nothing outside them."""
    adress = urljoin(BAS_URL, static("rapporter/rapport.css"))
    assert adress == f"{BAS_URL}kvalitet/static/rapporter/rapport.css"
    assert b"@page" in StatiskaFiler().fetch(adress).read()
    with pytest.raises(ValueError, match="utanför projektets statiska filer"):
        StatiskaFiler().fetch(f"{BAS_URL}static/rapporter/rapport.css")
