"""Support for the server-side tests: the permission-matrix machinery (personas as
columns, `Utfall` per row, the outcome codes, the one runner `kor_rad`), a database
snapshot to prove that a refused request changed nothing (the shared records plus what
each part registers), and real file contents for upload tests."""

import functools
import importlib
import pkgutil
import struct
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.html import escape

import tests
from tests.conftest import GRUPPER, PERSONAS

# --- Personas as matrix columns --------------------------------------------------------

# The matrix columns: anonymous first, then every persona of tests/conftest.py, in order.
PERSONER = ("anonym", *PERSONAS)

# Expected outcomes that are not a bare status code (checked by KODER below).
L = "L"  # 302 to the login page
A = "A"  # 302 to the admin site's login page
OK = "OK"  # 302 back to the case: the action was carried out
D = "D"  # 302 to the case's detail page (search found it)
S = "S"  # 302 to the start page (search found nothing)
R = "R"  # 302 to the reports: the nämnd's start page (it sees no case records)
UT = "UT"  # 302 to the login page itself: logged out

_INGEN = object()


def forebild(persona):
    """The persona that `persona` is ultimately declared like (`som` in PERSONAS), or
    itself: for tests that single out personas by name."""
    while persona in PERSONAS and PERSONAS[persona].som is not None:
        persona = PERSONAS[persona].som
    return persona


class Utfall(Mapping):
    """The expected outcome of one matrix row for every column of PERSONER (or any other
    table per persona): `Utfall(404, anonym=L, medarbetare=403, chefer=OK)`.

    The positional argument is the default; a keyword names a column (a persona or
    "anonym") or a group of GRUPPER (tests/conftest.py). A persona gets, in this order:
    its own keyword; the keyword of a group it belongs to; what the persona it is
    declared like (`som` in PERSONAS) gets in the same row; the default. Without a
    default a persona nothing covers has no entry (a table that must name everyone).
    """

    def __init__(self, standard=_INGEN, /, **koder):
        okanda = set(koder) - set(PERSONER) - set(GRUPPER)
        if okanda:
            raise TypeError(f"okända personas eller grupper: {', '.join(sorted(okanda))}")
        for persona in PERSONER:
            grupper = [g for g in koder if persona in GRUPPER.get(g, ())]
            if len(grupper) > 1:
                raise TypeError(f"{persona} står i flera grupper av samma rad: {grupper}")
        self.standard = standard
        self.koder = koder

    def __getitem__(self, persona):
        if persona not in PERSONER:
            raise KeyError(persona)
        if persona in self.koder:
            return self.koder[persona]
        for grupp, medlemmar in GRUPPER.items():
            if grupp in self.koder and persona in medlemmar:
                return self.koder[grupp]
        som = PERSONAS[persona].som if persona in PERSONAS else None
        if som is not None:
            return self[som]
        if self.standard is _INGEN:
            raise KeyError(persona)
        return self.standard

    def __iter__(self):
        return (p for p in PERSONER if p in self)

    def __len__(self):
        return sum(1 for _ in self)

    def __repr__(self):
        delar = [] if self.standard is _INGEN else [repr(self.standard)]
        delar += [f"{k}={v!r}" for k, v in self.koder.items()]
        return f"Utfall({', '.join(delar)})"


@dataclass
class Rad:
    """One URL of a permission matrix, with the expected outcome per persona.

    `url` is a template (formatted by the matrix's test) or a function of the scenario;
    `koder` an `Utfall` covering every column of PERSONER. `forbered` puts the scenario
    in the state where the request makes sense (e.g. the case under investigation before
    `avsluta`); `data` builds the POST body; `gjort` tells whether an allowed request
    really took effect; `innehall` is text a 200 or 400 answer must contain.
    """

    namn: str
    metod: str
    url: str | Callable
    koder: Utfall
    forbered: Callable | None = None
    data: Callable | None = None
    gjort: Callable | None = None
    innehall: str = ""


def arendesida(**koder):
    """The outcome of a row for a case's page or action: anonymous → login, the nämnd →
    403 (it sees no case records), whoever does not see the case → 404; `koder` says what
    those who see it get."""
    return Utfall(404, **{"anonym": L, "namnd": 403, **koder})


def rader_param(rader):
    """pytest parameters, one per URL row, named by the row; every row must give an
    outcome for every column."""
    for rad in rader:
        assert isinstance(rad.koder, Utfall), f"{rad.namn}: koder ska vara ett Utfall"
        saknas = [p for p in PERSONER if p not in rad.koder]
        assert not saknas, f"{rad.namn}: inget utfall för {', '.join(saknas)}"
    return [pytest.param(rad, id=rad.namn) for rad in rader]


# --- Checking an answer against its code ------------------------------------------------


@dataclass(frozen=True)
class Svar:
    """An answer to check, with what the check may need to know."""

    response: object
    arende_url: str | None = None  # the page of the scenario's record

    @property
    def location(self):
        return self.response.headers.get("Location", "")


@dataclass(frozen=True)
class Kod:
    """An expected outcome that is not a bare status code: a check of the answer (a
    function of a `Svar` that asserts), and whether it means the request was carried out
    (then a POST must have taken effect; otherwise it must have changed nothing)."""

    kontroll: Callable
    utford: bool = False


def omdirigerad(svar):
    """The Location of a 302 (asserting it is one)."""
    response = svar.response
    if response.status_code != 302:
        innehall = b"" if response.streaming else response.content[:3000]
        raise AssertionError((response.status_code, innehall))
    return svar.location


def till(adress):
    """A check: a 302 to exactly `adress`."""

    def kontroll(svar):
        assert omdirigerad(svar) == adress, svar.location

    return kontroll


def borjar_med(prefix):
    """A check: a 302 to an address starting with `prefix`."""

    def kontroll(svar):
        assert omdirigerad(svar).startswith(prefix), svar.location

    return kontroll


def till_arendet(svar):
    """A check: a 302 to the scenario's record (its page, maybe at an anchor)."""
    plats = omdirigerad(svar)
    assert svar.arende_url is not None
    assert plats.split("#")[0] == svar.arende_url, plats


def skapad(prefix):
    """A check: a 302 to a record the request created, under `prefix` and not the
    scenario's record."""

    def kontroll(svar):
        plats = omdirigerad(svar)
        assert plats.startswith(prefix), plats
        assert plats != svar.arende_url, plats

    return kontroll


# The outcome codes every matrix knows. A matrix adds its own by passing `koder` (code →
# Kod) to `kor_rad`: the synpunkter e-service's receipt, a report's new version ...
KODER = {
    L: Kod(borjar_med("/konto/logga-in/?next=")),
    A: Kod(borjar_med("/admin/login/?next=")),
    OK: Kod(till_arendet, utford=True),
    D: Kod(till_arendet),
    S: Kod(till("/")),
    R: Kod(till("/rapporter/")),
    UT: Kod(till("/konto/logga-in/")),
}


def alla_koder(koder=None):
    """KODER with a matrix's own codes; a matrix cannot redefine a shared code."""
    koder = koder or {}
    krockar = set(koder) & set(KODER)
    assert not krockar, f"koderna finns redan i tests.stod.KODER: {krockar}"
    return {**KODER, **koder}


def kontrollera_svar(response, kod, *, arende_url=None, koder=None):
    """Assert the response matches the matrix code (status, and where it leads)."""
    koder = alla_koder(koder)
    if kod in koder:
        koder[kod].kontroll(Svar(response, arende_url=arende_url))
        return
    location = response.headers.get("Location", "")
    assert response.status_code == kod, (response.status_code, location)
    if kod == 404:
        assert "Sidan finns inte" in response.content.decode()
    elif kod == 403:
        assert "Ingen behörighet" in response.content.decode()


def utford(kod, koder=None):
    """Whether the code means the request was carried out."""
    kod_ = alla_koder(koder).get(kod)
    return kod_ is not None and kod_.utford


# --- Running a matrix row ---------------------------------------------------------------


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
    for persona in PERSONER:
        kod = rad.koder[persona]
        try:
            with transaction.atomic():
                cell(persona, kod, klienter[persona])
                transaction.set_rollback(True)
        except AssertionError as exc:
            fel.append(f"{rad.namn} som {persona} (väntat {kod}): {exc}")
    assert not fel, "\n".join(fel)


def kor_rad(rad, scen, klient_for, *, arende_url, url=None, koder=None):
    """Run one matrix row for every persona, each cell in a rolled-back savepoint.

    - `url(scen)` gives the address (default: the row's `url`, a function of the
      scenario);
    - `arende_url(scen, user)` the page of the record the codes OK and D (and the
      matrix's own) lead to, looked up after the request;
    - `koder` the matrix's own outcome codes (code → Kod) beside KODER.

    A POST whose code means "carried out" must have taken effect (`rad.gjort`, and the
    snapshot changed); any other request – a refused POST, any GET – must have changed
    nothing.
    """
    if url is None:
        url = rad.url if callable(rad.url) else (lambda scen: rad.url)
    kor_celler(
        rad,
        klient_for,
        lambda persona, kod, klient: kor_cell(
            rad, persona, kod, scen, klient, url=url, arende_url=arende_url, koder=koder
        ),
    )


def kor_cell(rad, persona, kod, scen, klient, *, url, arende_url, koder=None):
    for obj in vars(scen).values():
        if hasattr(obj, "refresh_from_db"):
            obj.refresh_from_db()
    if rad.forbered:
        rad.forbered(scen)
    fore = ogonblick()
    user = scen.personas.get(persona)
    data = rad.data(scen) if rad.data else {}
    adress = url(scen)
    skicka = klient.get if rad.metod == "GET" else klient.post
    response = skicka(adress, data)
    kontrollera_svar(response, kod, arende_url=arende_url(scen, user), koder=koder)
    if kod in (200, 400) and rad.innehall:
        content = b"".join(response) if response.streaming else response.content
        assert rad.innehall in content.decode("utf-8-sig"), f"{rad.innehall!r} saknas"
    if rad.metod == "POST" and utford(kod, koder):
        assert rad.gjort(scen, user), "den tillåtna begäran fick ingen effekt"
        assert ogonblick() != fore
    elif rad.metod == "POST":
        assert ogonblick() == fore, "en nekad begäran ändrade databasen"
    else:
        assert ogonblick() == fore, "en GET ändrade databasen"


# --- Database snapshot ----------------------------------------------------------------

# model label → function() returning a dict of what a request could change in that part
# of the product (its rows and the fields its steps set, its history). The apps register
# theirs in tests/<app>/hjalp.py with `ogonblicksdel`; `ogonblick` loads them all.
OGONBLICKSDELAR: dict[str, Callable[[], dict]] = {}


def ogonblicksdel(modell):
    """Register a function as the snapshot's part for a model ("avvikelser.Avvikelse")."""

    def registrera(funktion):
        OGONBLICKSDELAR[modell] = funktion
        return funktion

    return registrera


@functools.cache
def _ladda_hjalpmoduler():
    for modul in pkgutil.iter_modules(tests.__path__):
        if modul.ispkg and (Path(modul.module_finder.path) / modul.name / "hjalp.py").exists():
            importlib.import_module(f"tests.{modul.name}.hjalp")


def ogonblicksdelar():
    """Every registered part, after importing each tests/<app>/hjalp.py (once), so the
    snapshot is the same whichever tests run."""
    _ladda_hjalpmoduler()
    return OGONBLICKSDELAR


def ogonblick():
    """Everything a request could change: the shared records (timeline, attachments,
    improvement actions, links, outbox, reminders, files) and every part's rows."""
    from kvalitet.models import Atgard, Attachment, CaseLink, Paminnelse, TimelineEntry, Utskick

    media = Path(settings.MEDIA_ROOT)
    bild = {
        "tidslinje": TimelineEntry.objects.count(),
        "bilagor": Attachment.objects.count(),
        "atgarder": sorted(
            Atgard.objects.values_list("pk", "status", "effekt_kort_sikt", "genomford")
        ),
        "atgardshistorik": Atgard.history.count(),
        "lankar": CaseLink.objects.count(),
        "utskick": sorted(Utskick.objects.values_list("pk", "skickad", "forsok", "nasta_forsok")),
        "paminnelser": Paminnelse.objects.count(),
        "filer": sorted(str(p) for p in media.rglob("*") if p.is_file()) if media.exists() else [],
    }
    for modell, funktion in sorted(ogonblicksdelar().items()):
        for nyckel, varde in funktion().items():
            assert nyckel not in bild, f"{modell}: nyckeln {nyckel!r} finns redan i ögonblicket"
            bild[nyckel] = varde
    return bild


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
    bilaga = Attachment.store(
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
