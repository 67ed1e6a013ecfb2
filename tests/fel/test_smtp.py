"""The mail server refusing, failing or timing out, against a real SMTP server
(aiosmtpd, tests/kvalitet/test_utskick_smtp.py) and a real silent TCP listener.

No request fails because of the mail server; a failed delivery is retried with an
exponential back-off (the row's `nasta_forsok`, honoured by `leverera_vantande`); a
message given up (a permanent 5xx refusal, or MAX_FORSOK failures) is shown to the
kvalitetssamordnare with recipient, subject, attempts and the server's reply, and
"Försök igen" delivers it exactly once. Tasks run eagerly (tests/conftest.py)."""

import socket
import threading
import time

import pytest
from django.utils import timezone

from kvalitet.models import Utskick
from kvalitet.tasks import MAX_FORSOK, MAX_VANTAN, leverera_vantande, vantan
from tests.hjalp import rapportera_avvikelse
from tests.kvalitet.test_utskick_smtp import PERMANENT, TILLFALLIGT, Brevlada
from tests.stod import har_text
from tests.tjanster import ledig_port

pytestmark = pytest.mark.django_db

CHEFEN = "enhetschef@exempelkommun.se"
RUBRIK = "Mejl som inte kunde levereras"


def peka_pa(settings, port, timeout=5):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = timeout


@pytest.fixture
def smtp(settings):
    brevlada = Brevlada()
    brevlada.starta()
    peka_pa(settings, brevlada.port)
    yield brevlada
    brevlada.stoppa()


class Tyst:
    """A TCP server that accepts connections and never says a word: an SMTP server
    hanging (a full queue, a broken firewall). Counts connections."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.anslutningar = []
        self._trad = threading.Thread(target=self._ta_emot, daemon=True)
        self._trad.start()

    def _ta_emot(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.anslutningar.append(conn)  # kept open, never answered

    def stang(self):
        for c in self.anslutningar:
            c.close()
        self.sock.close()


def forfaller_nu(rad):
    """As if the back-off had passed for this row (the clock is not ours to move)."""
    Utskick.objects.filter(pk=rad.pk).update(nasta_forsok=timezone.now())


def test_backoff_vaxer_exponentiellt_och_varje_vantan_respekteras(
    org, personas, klient_for, smtp, django_capture_on_commit_callbacks, settings
):
    """Greylisting (451) on every attempt: the filing succeeds; each failure sets the
    next attempt further off (1, 2, 4 ... minutes with the default interval, at most
    MAX_VANTAN); a run before that time does not contact the server; the MAX_FORSOK:th
    failure gives up."""
    settings.UTSKICK_INTERVALL_SEKUNDER = 60
    smtp.vagra("RCPT", TILLFALLIGT["RCPT"])
    with django_capture_on_commit_callbacks(execute=True):
        rapportera_avvikelse(klient_for("medarbetare"), org, "Beslut skickat till fel adress.")
    rad = Utskick.objects.get()
    vantningar = []
    for forsok in range(1, MAX_FORSOK + 1):
        rad.refresh_from_db()
        assert (rad.skickad, rad.forsok) == (None, forsok)
        assert "451" in rad.senaste_fel
        if forsok == MAX_FORSOK:
            break
        vantningar.append(rad.nasta_forsok)
        # Not yet due: the periodic task leaves it alone and the server hears nothing.
        sessioner = smtp.sessioner
        assert leverera_vantande() == 0
        assert smtp.sessioner == sessioner
        forfaller_nu(rad)
        fore = timezone.now()
        assert leverera_vantande() == 0
        assert smtp.sessioner == sessioner + 1
        rad.refresh_from_db()
        if rad.forsok == MAX_FORSOK:
            continue  # the last attempt: checked at the top of the loop
        # The wait after this failure, measured from when the attempt ran.
        vantan_s = (rad.nasta_forsok - fore).total_seconds()
        assert vantan(forsok + 1).total_seconds() <= vantan_s
        assert vantan_s < vantan(forsok + 1).total_seconds() + 5
    assert [vantan(n).total_seconds() / 60 for n in range(1, MAX_FORSOK)] == [
        1,
        2,
        4,
        8,
        16,
        32,
        64,
        128,
        256,
    ]
    assert vantan(20) == MAX_VANTAN
    # Given up: never attempted again, however long one waits.
    assert rad.nasta_forsok is None
    assert list(Utskick.objects.misslyckade()) == [rad]
    sessioner = smtp.sessioner
    assert leverera_vantande() == 0
    assert smtp.sessioner == sessioner
    assert smtp.mottagna == []


def test_permanent_vagran_visas_for_kvalitetssamordnaren_och_kan_forsokas_igen(
    org, personas, klient_for, smtp, django_capture_on_commit_callbacks
):
    """A 550 (unknown recipient) gives up at once; the kvalitetssamordnare sees it on
    the start page and on the list with the server's reply, corrects the cause and
    presses "Försök igen": delivered exactly once, and the list is empty."""
    smtp.vagra("RCPT", PERMANENT["RCPT"])
    with django_capture_on_commit_callbacks(execute=True):
        avv = rapportera_avvikelse(klient_for("medarbetare"), org, "Fel mottagare av ett beslut.")
    rad = Utskick.objects.get()
    assert (rad.skickad, rad.forsok, rad.nasta_forsok) == (None, 1, None)
    assert f"{CHEFEN}: 550 5.1.1" in rad.senaste_fel
    assert leverera_vantande() == 0  # permanent: not retried by the periodic task
    assert smtp.mottagare_forsok == [CHEFEN]

    samordnare = klient_for("kvalitetssamordnare")
    start = samordnare.get("/")
    har_text(start, RUBRIK, 200)
    har_text(start, CHEFEN)
    har_text(start, f"Ny avvikelse {avv.nummer}")
    lista = samordnare.get("/utskick/")
    for text in (RUBRIK, CHEFEN, f"Ny avvikelse {avv.nummer}", "Recipient address rejected"):
        har_text(lista, text, 200)
    assert f"/utskick/{rad.pk}/forsok-igen/" in lista.content.decode()
    # Others do not see the section.
    assert RUBRIK not in klient_for("enhetschef").get("/").content.decode()
    assert klient_for("enhetschef").get("/utskick/").status_code == 403

    smtp.ta_emot()  # the address was corrected at the mail server
    with django_capture_on_commit_callbacks(execute=True):
        svar = samordnare.post(f"/utskick/{rad.pk}/forsok-igen/")
    assert svar.status_code == 302 and svar["Location"] == "/utskick/"
    rad.refresh_from_db()
    assert rad.skickad is not None
    assert len(smtp.mottagna) == 1 and smtp.mottagna[0][1] == [CHEFEN]
    # Pressed again (a second tab): nothing is sent twice.
    with django_capture_on_commit_callbacks(execute=True):
        samordnare.post(f"/utskick/{rad.pk}/forsok-igen/")
    assert leverera_vantande() == 0
    assert len(smtp.mottagna) == 1
    har_text(samordnare.get("/utskick/"), "Alla aviseringar har levererats", 200)
    assert RUBRIK not in samordnare.get("/").content.decode()


def test_server_som_inte_svarar_faller_ingen_begaran(
    org, personas, klient_for, settings, django_capture_on_commit_callbacks
):
    """A server that accepts the connection and never answers: the filing still
    succeeds (the delivery after commit times out after EMAIL_TIMEOUT and is recorded),
    the row waits for its next attempt, and a server that works later gets it once."""
    tyst = Tyst()
    try:
        peka_pa(settings, tyst.port, timeout=1)
        start = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            rapportera_avvikelse(klient_for("medarbetare"), org, "Journalanteckning i fel akt.")
        tid = time.monotonic() - start
        assert tid < 10, tid
        assert len(tyst.anslutningar) == 1
    finally:
        tyst.stang()
    rad = Utskick.objects.get()
    assert (rad.skickad, rad.forsok) == (None, 1)
    assert "timed out" in rad.senaste_fel
    assert rad.nasta_forsok > timezone.now()

    brevlada = Brevlada()
    brevlada.starta()
    try:
        peka_pa(settings, brevlada.port)
        forfaller_nu(rad)
        assert leverera_vantande() == 1
        assert leverera_vantande() == 0
    finally:
        brevlada.stoppa()
    assert [m[1] for m in brevlada.mottagna] == [[CHEFEN]]


def test_server_nere_anslutning_vagras_ingen_begaran_fallerar(
    org, personas, klient_for, settings, django_capture_on_commit_callbacks
):
    """Nothing listens (connection refused): the filing succeeds and the row waits."""
    peka_pa(settings, ledig_port())
    with django_capture_on_commit_callbacks(execute=True):
        rapportera_avvikelse(
            klient_for("medarbetare"), org, "Ett samtal spelades in utan samtycke."
        )
    rad = Utskick.objects.get()
    assert (rad.skickad, rad.forsok) == (None, 1)
    assert "refused" in rad.senaste_fel.lower()
    assert rad.nasta_forsok is not None
