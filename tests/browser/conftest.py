"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live_server.

Playwright's own browser download is never used; without /usr/bin/chromium (or a
`chromium` on PATH) the tests skip on a laptop and fail in CI (`tests.hjalp.kraver`).

The live server runs in a thread of this process, so the test database (transactional,
flushed after each test), settings and `django.core.mail.outbox` are shared with it.
"""

import importlib
import os
import shutil
from pathlib import Path

import pytest

from tests.hjalp import kraver

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-dev-shm-usage",
]
ARTEFAKTER = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
LOSENORD = "demo"

# Viewports: a phone (iPhone 12–15 size, touch) and an ordinary laptop screen.
MOBIL = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}
DATOR = {"viewport": {"width": 1280, "height": 900}}
# WCAG 1.4.10 (reflow): 320 CSS px wide, a small phone or a 1280 px screen at 400 %.
SMAL = {
    "viewport": {"width": 320, "height": 640},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}
# WCAG 1.4.4 (resize text): a 1280 × 900 screen at 200 % zoom is 640 × 450 CSS px.
ZOOM_200 = {"viewport": {"width": 640, "height": 450}, "device_scale_factor": 2}
STORLEKAR = {"mobil": MOBIL, "dator": DATOR, "smal": SMAL, "zoom200": ZOOM_200}


def _chromium():
    if os.path.exists(CHROMIUM):
        return CHROMIUM
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def webblasare():
    """One headless Chromium for the whole session."""
    sokvag = _chromium()
    kraver(bool(sokvag), "Chromium saknas (/usr/bin/chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - dev dependency missing
        kraver(False, "Playwright saknas")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=sokvag, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def _mediaadress_for_live_server():
    """settings.MEDIA_URL is None (attachments have no public address), which Django's
    live server cannot start with: its media handler calls urlparse(MEDIA_URL) and then
    fails on every request ("startswith first arg must be str ..., not bytes"). While
    the server starts, give it an address on another host, which the handler never
    serves; attachments stay reachable only through the permission-checked view."""
    from django.test import override_settings

    andring = override_settings(MEDIA_URL="https://ingen-publik-adress.invalid/")
    andring.enable()
    return andring


@pytest.fixture(scope="session")
def live_server(_mediaadress_for_live_server, live_server):
    """pytest-django's live server, started with the MEDIA_URL work-around above."""
    _mediaadress_for_live_server.disable()
    return live_server


@pytest.fixture
def kodlistor(transactional_db):
    """The default categories and cause areas.

    They come from a data migration, but a transactional test database is flushed
    after every test, so each browser test puts them back itself.
    """
    migration = importlib.import_module("avvikelser.migrations.0003_standardkategorier")
    definitioner = importlib.import_module("avvikelser.migrations.0007_kategoriernas_definitioner")
    from avvikelser.models import Kategori, Orsaksomrade

    for modell, namn, texter in (
        (Kategori, migration.KATEGORIER, definitioner.KATEGORIER),
        (Orsaksomrade, migration.ORSAKSOMRADEN, definitioner.ORSAKSOMRADEN),
    ):
        for i, n in enumerate(namn, start=1):
            modell.objects.get_or_create(
                namn=n, defaults={"ordning": i * 10, "beskrivning": texter.get(n, "")}
            )


@pytest.fixture
def regler(transactional_db):
    """The rules and legal references texts and decisions cite (a data migration,
    flushed like `kodlistor`): a test that needs them must not depend on running first."""
    from django.apps import apps

    migration = importlib.import_module("kvalitet.migrations.0005_regler")
    migration.standardregler(apps, None)


@pytest.fixture
def synpunktskategorier(transactional_db):
    """The default synpunkt categories (a data migration, flushed like `kodlistor`)."""
    migration = importlib.import_module("synpunkter.migrations.0002_standardkategorier")
    definitioner = importlib.import_module("synpunkter.migrations.0004_kategoriernas_definitioner")
    from synpunkter.models import Kategori

    for i, namn in enumerate(migration.KATEGORIER, start=1):
        Kategori.objects.get_or_create(
            namn=namn,
            defaults={"ordning": i * 10, "beskrivning": definitioner.KATEGORIER.get(namn, "")},
        )


class Sidfel(AssertionError):
    pass


def _ar_forvantat(svar):
    """Responses that are not errors of the page: the browser's own favicon request
    (the app has none), and the status codes of rendered pages (400 on an invalid
    form is deliberate)."""
    return svar.url.endswith("/favicon.ico") or svar.request.resource_type == "document"


@pytest.fixture
def ny_sida(webblasare, live_server):
    """Factory: a fresh browser context and page (a key of STORLEKAR: `"mobil"`,
    `"dator"`, `"smal"` (320 px) or `"zoom200"`).

    Each page records uncaught JavaScript errors, console errors (a blocked script or
    style under the Content-Security-Policy is one) and failed requests for static
    files or htmx fragments; the test fails at teardown if any occurred.
    """
    kontexter = []
    fel = []

    def konsol(msg):
        # Failed loads are reported through the responses, with their address.
        if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
            fel.append(f"Konsolfel på {msg.location.get('url')}: {msg.text}")

    def svar(r):
        if r.status >= 500 or (r.status >= 400 and not _ar_forvantat(r)):
            fel.append(f"HTTP {r.status} för {r.request.method} {r.url}")

    def skapa(storlek="mobil"):
        kontext = webblasare.new_context(
            base_url=live_server.url,
            locale="sv-SE",
            timezone_id="Europe/Stockholm",
            **STORLEKAR[storlek],
        )
        kontext.set_default_timeout(10_000)
        kontexter.append(kontext)
        sida = kontext.new_page()
        sida.on("pageerror", lambda exc: fel.append(f"JavaScript-fel: {exc}"))
        sida.on("console", konsol)
        sida.on("response", svar)
        return sida

    yield skapa
    for kontext in kontexter:
        kontext.close()
    if fel:
        raise Sidfel("Fel i webbläsaren:\n" + "\n".join(fel))


@pytest.fixture(scope="session")
def artefakter():
    """Directory for screenshots (git-ignored)."""
    ARTEFAKTER.mkdir(parents=True, exist_ok=True)
    return ARTEFAKTER
