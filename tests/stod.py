"""Support for the server-side tests: the permission-matrix machinery, a database
snapshot to prove that a refused request changed nothing, and real file contents for
upload tests."""

import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.html import escape

from tests.conftest import PERSONAS

# --- Personas as matrix columns --------------------------------------------------------

# The matrix columns: anonymous first, then every persona of tests/conftest.py, in order.
PERSONER = ("anonym", *PERSONAS)

# Expected outcomes that are not a bare status code.
L = "L"  # 302 to the login page
A = "A"  # 302 to the admin site's login page
OK = "OK"  # 302 back to the case: the action was carried out
D = "D"  # 302 to the case's detail page (search found it)
S = "S"  # 302 to the start page (search found nothing)
R = "R"  # 302 to the reports: the nämnd's start page (it sees no case records)
UT = "UT"  # 302 to the login page itself: logged out


@dataclass
class Rad:
    """One URL of a permission matrix, with the expected outcome per persona.

    `koder` has one entry per column of PERSONER. `forbered` puts the scenario in the
    state where the request makes sense (e.g. the case under investigation before
    `avsluta`); `data` builds the POST body; `gjort` tells whether an allowed request
    really took effect; `innehall` is text a 200 answer must contain.
    """

    namn: str
    metod: str
    url: str
    koder: tuple
    forbered: Callable | None = None
    data: Callable | None = None
    gjort: Callable | None = None
    innehall: str = ""


def rader_param(rader):
    """pytest parameters, one per URL row, named by the row."""
    for rad in rader:
        assert len(rad.koder) == len(PERSONER), f"{rad.namn}: {len(rad.koder)} kolumner"
    return [pytest.param(rad, id=rad.namn) for rad in rader]


def kor_celler(rad, klient_for, cell):
    """Run `cell(persona, kod, klient)` for every persona of a matrix row and compare with
    the expected outcome.

    Each cell runs in a savepoint that is rolled back, so every persona meets the same
    state. Every cell is checked; the failure lists all cells that differ.
    """
    from django.db import transaction

    # Logged in before the savepoints, so the sessions survive the rollbacks.
    klienter = {p: klient_for(None if p == "anonym" else p) for p in PERSONER}
    fel = []
    for persona, kod in zip(PERSONER, rad.koder, strict=True):
        try:
            with transaction.atomic():
                cell(persona, kod, klienter[persona])
                transaction.set_rollback(True)
        except AssertionError as exc:
            fel.append(f"{rad.namn} som {persona} (väntat {kod}): {exc}")
    assert not fel, "\n".join(fel)


def kor_rad(rad, scen, klient_for, *, url, arende_url):
    """Run one case-page matrix row. For a POST, an allowed cell must have taken effect
    (`rad.gjort`) and a refused one must have changed nothing (`ogonblick`)."""
    kor_celler(
        rad,
        klient_for,
        lambda persona, kod, klient: kor_cell(
            rad, persona, kod, scen, klient, url=url, arende_url=arende_url
        ),
    )


def kor_cell(rad, persona, kod, scen, klient, *, url, arende_url):
    for obj in vars(scen).values():
        if hasattr(obj, "refresh_from_db"):
            obj.refresh_from_db()
    if rad.forbered:
        rad.forbered(scen)
    fore = ogonblick()
    user = scen.personas.get(persona)
    data = rad.data(scen) if rad.data else {}
    skicka = klient.get if rad.metod == "GET" else klient.post
    response = skicka(url(scen), data)
    kontrollera_svar(response, kod, arende_url=arende_url(scen, user))
    if kod in (200, 400) and rad.innehall:
        content = b"".join(response) if response.streaming else response.content
        assert rad.innehall in content.decode("utf-8-sig"), f"{rad.innehall!r} saknas"
    if rad.metod == "POST":
        if kod == OK:
            assert rad.gjort(scen, user), "den tillåtna begäran fick ingen effekt"
            assert ogonblick() != fore
        else:
            assert ogonblick() == fore, "en nekad begäran ändrade databasen"


def kontrollera_svar(response, kod, *, arende_url=None):
    """Assert the response matches the matrix code (status, and where it leads)."""
    location = response.headers.get("Location", "")
    if kod == L:
        assert response.status_code == 302, response.status_code
        assert location.startswith("/konto/logga-in/?next="), location
    elif kod == A:
        assert response.status_code == 302, response.status_code
        assert location.startswith("/admin/login/?next="), location
    elif kod in (OK, D):
        assert response.status_code == 302, response.status_code
        assert arende_url is not None
        assert location.split("#")[0] == arende_url, location
    elif kod == S:
        assert response.status_code == 302, response.status_code
        assert location == "/", location
    elif kod == R:
        assert response.status_code == 302, response.status_code
        assert location == "/rapporter/", location
    elif kod == UT:
        assert response.status_code == 302, response.status_code
        assert location == "/konto/logga-in/", location
    else:
        assert response.status_code == kod, (response.status_code, location)
        if kod == 404:
            assert "Sidan finns inte" in response.content.decode()
        elif kod == 403:
            assert "Ingen behörighet" in response.content.decode()


# --- Database snapshot ----------------------------------------------------------------


def ogonblick():
    """Everything a request could change: rows, fields that transitions set, files."""
    from avvikelser.models import Avvikelse
    from kvalitet.models import Atgard, Attachment, CaseLink, TimelineEntry, Utskick

    media = Path(settings.MEDIA_ROOT)
    return {
        "avvikelser": sorted(
            Avvikelse.objects.values_list(
                "pk",
                "status",
                "kategori_id",
                "analys",
                "vidtagna_atgarder",
                "atgardstext_avslut",
                "fc_stallningstagande",
                "fc_mottagen",
                "handlaggare_id",
                "avslutad",
            )
        ),
        "orsaksomraden": sorted(
            Avvikelse.orsaksomraden.through.objects.values_list("avvikelse_id", "orsaksomrade_id")
        ),
        "historik": Avvikelse.history.count(),
        "tidslinje": TimelineEntry.objects.count(),
        "bilagor": Attachment.objects.count(),
        "atgarder": sorted(
            Atgard.objects.values_list("pk", "status", "effekt_kort_sikt", "genomford")
        ),
        "atgardshistorik": Atgard.history.count(),
        "lankar": CaseLink.objects.count(),
        "utskick": Utskick.objects.count(),
        "filer": sorted(str(p) for p in media.rglob("*") if p.is_file()) if media.exists() else [],
    }


def hamta_html(klient, url, data=None, *, status=200):
    """GET a page and return its HTML, after checking its status: a check that something
    is absent from a page proves nothing if the page is an error page."""
    response = klient.get(url, data or {})
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def har_text(response, text, status=None):
    """Assert the (HTML-escaped) text is in the response; optionally the status too."""
    if status is not None:
        assert response.status_code == status, response.status_code
    body = response.content.decode()
    assert escape(text) in body, f"{text!r} saknas i svaret"


def meddelanden(response):
    """The texts of the Django messages set during the request."""
    return [str(m) for m in response.wsgi_request._messages]


# --- Real file contents ----------------------------------------------------------------


def pdf_bytes():
    """A minimal but well-formed one-page PDF."""
    objekt = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, o in enumerate(objekt, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objekt) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objekt) + 1,
        xref,
    )
    return out


def png_bytes():
    """A valid 1×1 RGB PNG, written with zlib."""

    def chunk(typ, data):
        crc = zlib.crc32(typ + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + typ + data + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00\xff\x80\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def jpeg_bytes():
    """The start of a JFIF JPEG (what content sniffing looks at)."""
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + bytes(64)


def fil(namn, innehall, content_type="application/octet-stream"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(namn, innehall, content_type=content_type)


# --- The scenario of the permission matrices --------------------------------------------


@pytest.fixture
def scen(org, personas, avvikelse, avvikelse_annan):
    """The matrices' world: `avvikelse` (Ekonomiskt bistånd, reported by medarbetare)
    with an action owned by its reporter and an attachment; a second case in the team
    Mottagning below it (the link target); `avvikelse_annan` in Kollektivet HVB."""
    from types import SimpleNamespace

    from avvikelser.models import Kategori, Orsaksomrade
    from kvalitet.models import Attachment, Roll
    from tests.factories import AtgardFactory, AvvikelseFactory, UppdragFactory, UserFactory

    kollega = UserFactory(username="kollega", first_name="Kollega")
    UppdragFactory(anvandare=kollega, roll=Roll.MEDARBETARE, enhet=org["TEAM"])
    team_fall = AvvikelseFactory(enhet=org["TEAM"], rapporterad_av=kollega, skapad_av=kollega)
    kategori, _ = Kategori.objects.get_or_create(namn="Handläggning")
    orsak, _ = Orsaksomrade.objects.get_or_create(namn="Processer och rutiner")
    atgard = AtgardFactory(arende=avvikelse, ansvarig=personas["medarbetare"], titel="Ny rutin")
    bilaga = Attachment.spara(
        avvikelse, fil("underlag.pdf", pdf_bytes()), "application/pdf", personas["medarbetare"]
    )
    return SimpleNamespace(
        org=org,
        personas=personas,
        avv=avvikelse,
        annan=avvikelse_annan,
        team_fall=team_fall,
        kollega=kollega,
        kategori=kategori,
        orsak=orsak,
        atgard=atgard,
        bilaga=bilaga,
    )


def satt_status(avvikelse, status, **falt):
    """Put a case in a status directly (test setup; bypasses the workflow)."""
    from django.utils import timezone

    from avvikelser.models import Avvikelse

    if status == "avslutad":
        falt.setdefault("avslutad", timezone.now())
    falt = {k: v for k, v in falt.items() if v is not None}
    Avvikelse.objects.filter(pk=avvikelse.pk).update(status=status, **falt)
    avvikelse.refresh_from_db()
    return avvikelse


# --- Celery ----------------------------------------------------------------------------------


def nollstall_celery(app, *, broker_url, eager):
    """Point the Celery app at another broker, dropping pooled connections to the old one."""
    from kombu import pools

    pools.reset()  # closes kombu's process-wide connection and producer pools
    app._pool = None
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None
    app.conf.broker_url = broker_url
    app.conf.task_always_eager = eager
