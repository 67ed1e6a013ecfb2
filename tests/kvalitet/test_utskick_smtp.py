"""The outbox against a real SMTP server (aiosmtpd on 127.0.0.1) through Django's SMTP
backend: what arrives on the wire, and what the outbox records when the server refuses
a message, fails for a while or is down. Tasks run eagerly (tests/conftest.py), so
`leverera` talks to the server inside the test."""

import email
import email.policy
import email.utils
from datetime import timedelta
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from avvikelser.models import Avvikelse
from kvalitet.models import Utskick
from kvalitet.tasks import MAX_FORSOK, leverera, leverera_vantande
from tests.tjanster import ledig_port

pytestmark = pytest.mark.django_db

BESKRIVNING = "Klientens beslut om placering skickades till fel adress."
KONSEKVENSER = "Känsliga uppgifter om en placerad ungdom kan ha röjts."
CHEFEN = "enhetschef@exempelkommun.se"

# Replies in the form real servers give them (Postfix, greylisting).
PERMANENT = {
    "RCPT": "550 5.1.1 <enhetschef@exempelkommun.se>: Recipient address rejected: User unknown",
    "DATA": "550 5.7.1 Message rejected: policy violation",
}
TILLFALLIGT = {
    "RCPT": "451 4.7.1 <enhetschef@exempelkommun.se>: Greylisted, please try again later",
    "DATA": "451 4.3.0 Temporary local problem, please try again later",
}


class Brevlada:
    """An SMTP server that records what it is sent and answers as it is told.

    `mottagna` holds the accepted messages as (envelope sender, recipients, raw bytes);
    `sessioner` counts client greetings (one per connection); `mottagare_forsok` lists
    every RCPT TO address, accepted or not. `vagra("RCPT"|"DATA", reply)` answers that
    command with the reply instead of 250; `ta_emot()` accepts everything again.
    `stoppa()` closes the port (connection refused), `starta()` opens it again.
    """

    def __init__(self):
        self.port = ledig_port()
        self.mottagna = []
        self.sessioner = 0
        self.mottagare_forsok = []
        self.svar = {}
        self._controller = None

    def starta(self):
        # A stopped Controller has closed its event loop: a restart needs a new one.
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stoppa(self):
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def vagra(self, kommando, svar):
        self.svar[kommando] = svar

    def ta_emot(self):
        self.svar.clear()

    # aiosmtpd handler hooks, called in the server's thread.

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.sessioner += 1
        session.host_name = hostname  # what aiosmtpd does itself when there is no hook
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.mottagare_forsok.append(address)
        if "RCPT" in self.svar:
            return self.svar["RCPT"]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if "DATA" in self.svar:
            return self.svar["DATA"]
        self.mottagna.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp(settings):
    """A running SMTP server, with Django's SMTP backend pointed at it (plain, no login)."""
    brevlada = Brevlada()
    brevlada.starta()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = brevlada.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    yield brevlada
    brevlada.stoppa()


def tiden_gar():
    """As if the back-off had passed: every pending row's next attempt is due now."""
    Utskick.objects.vantande().update(nasta_forsok=timezone.now())


def arkivera(klient, org):
    """File an avvikelse for Ekonomiskt bistånd through the form; the unit's enhetschef
    is notified."""
    response = klient.post(
        "/avvikelser/ny/",
        {
            "typ": "avvikelse",
            "enhet": org["EB"].pk,
            "handelsedatum": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "beror_enskild": "True",
            "beskrivning": BESKRIVNING,
            "konsekvenser": KONSEKVENSER,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    avv = Avvikelse.objects.get(beskrivning=BESKRIVNING)
    assert response.headers["Location"] == avv.get_absolute_url()
    return avv


def test_rapportens_mejl_kommer_fram_till_smtp_servern(
    org, personas, klient_for, smtp, django_capture_on_commit_callbacks, settings
):
    """The notification reaches the server with the right envelope, a subject whose
    Swedish characters survive encoding, and a body with number and link only."""
    with django_capture_on_commit_callbacks(execute=True):
        avv = arkivera(klient_for("medarbetare"), org)
        assert smtp.mottagna == []  # nothing leaves before the commit

    assert len(smtp.mottagna) == 1
    avsandare, mottagare, innehall = smtp.mottagna[0]
    assert avsandare == email.utils.parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    assert mottagare == [CHEFEN]

    mejl = email.message_from_bytes(innehall, policy=email.policy.default)
    assert mejl["To"] == CHEFEN
    # The subject as sent is RFC 2047 encoded words; Django folds them onto a continuation
    # line, and the modern parser keeps that folding space as a leading " ". Decoding the
    # encoded words themselves gives the subject exactly.
    amne = str(make_header(decode_header(email.message_from_bytes(innehall)["Subject"])))
    assert amne == f"[Kvalitet] Ny avvikelse {avv.nummer} – Ekonomiskt bistånd"
    text = mejl.get_content()
    assert avv.nummer in text
    assert f"{settings.SITE_URL}/avvikelser/{avv.nummer}/" in text
    assert "väntar på att utredas" in text  # the body's Swedish characters, decoded
    for hemligt in (BESKRIVNING, KONSEKVENSER, "placering", "röjts"):
        assert hemligt not in amne + text, hemligt

    rad = Utskick.objects.get()
    assert rad.mottagare == CHEFEN
    assert rad.skickad is not None
    assert rad.forsok == 1
    assert rad.senaste_fel == ""


@pytest.mark.parametrize("kommando", ["RCPT", "DATA"])
def test_permanent_vagran_registreras_och_rapporten_sparas(
    org, personas, klient_for, smtp, django_capture_on_commit_callbacks, kommando
):
    """A 550 gives the row up at once with the server's reply (another attempt would get
    the same answer; tests/fel/test_smtp.py shows it to the kvalitetssamordnare); the
    report is filed."""
    smtp.vagra(kommando, PERMANENT[kommando])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        avv = arkivera(klient_for("medarbetare"), org)
    assert len(callbacks) == 1  # delivery was attempted, and raised nothing

    assert Avvikelse.objects.filter(pk=avv.pk).exists()
    assert smtp.mottagare_forsok == [CHEFEN]
    assert smtp.mottagna == []
    rad = Utskick.objects.get()
    assert rad.skickad is None
    assert rad.forsok == 1
    assert rad.nasta_forsok is None
    kod, _, text = PERMANENT[kommando].partition(" ")
    assert kod in rad.senaste_fel
    assert text in rad.senaste_fel


@pytest.mark.parametrize("kommando", ["RCPT", "DATA"])
def test_tillfalligt_fel_levereras_en_gang_av_den_periodiska_uppgiften(
    org, personas, klient_for, smtp, django_capture_on_commit_callbacks, kommando
):
    """A 451 on the first attempt; the periodic task delivers the message exactly once."""
    smtp.vagra(kommando, TILLFALLIGT[kommando])
    with django_capture_on_commit_callbacks(execute=True):
        avv = arkivera(klient_for("medarbetare"), org)
    rad = Utskick.objects.get()
    assert (rad.skickad, rad.forsok) == (None, 1)
    assert "451" in rad.senaste_fel
    assert smtp.mottagna == []

    smtp.ta_emot()
    assert leverera_vantande() == 0  # the back-off: not yet
    tiden_gar()
    assert leverera_vantande() == 1
    assert leverera_vantande() == 0  # nothing left: no second copy

    assert len(smtp.mottagna) == 1
    assert smtp.mottagna[0][1] == [CHEFEN]
    assert avv.nummer.encode() in smtp.mottagna[0][2]
    rad.refresh_from_db()
    assert rad.skickad is not None
    assert rad.forsok == 2


def test_server_nere_inget_forloras_och_levereras_nar_den_ar_tillbaka(
    org, personas, klient_for, smtp, django_capture_on_commit_callbacks
):
    """Connection refused is recorded on the row; the message goes out once the server
    is back, exactly once."""
    smtp.stoppa()
    with django_capture_on_commit_callbacks(execute=True):
        avv = arkivera(klient_for("medarbetare"), org)
    rad = Utskick.objects.get()
    assert (rad.skickad, rad.forsok) == (None, 1)
    assert "Connection refused" in rad.senaste_fel

    # Still down: another failed run is counted, the row is kept.
    tiden_gar()
    assert leverera_vantande() == 0
    rad.refresh_from_db()
    assert (rad.skickad, rad.forsok) == (None, 2)

    smtp.starta()
    tiden_gar()
    assert leverera_vantande() == 1
    assert leverera_vantande() == 0
    assert smtp.sessioner == 1
    assert len(smtp.mottagna) == 1
    assert smtp.mottagna[0][1] == [CHEFEN]
    assert avv.nummer.encode() in smtp.mottagna[0][2]
    rad.refresh_from_db()
    assert rad.skickad is not None
    assert rad.forsok == 3


def test_efter_max_forsok_forsoker_den_periodiska_uppgiften_inte_igen(smtp):
    """The attempt that reaches MAX_FORSOK is the last: later runs do not contact the
    server for that row, while a new row is still delivered."""
    uttjant = Utskick.objects.create(
        mottagare="slutat@exempelkommun.se", amne="Gammal", text="x", forsok=MAX_FORSOK - 1
    )
    smtp.vagra("RCPT", TILLFALLIGT["RCPT"])
    assert leverera_vantande() == 0
    uttjant.refresh_from_db()
    assert (uttjant.skickad, uttjant.forsok) == (None, MAX_FORSOK)
    assert smtp.mottagare_forsok == ["slutat@exempelkommun.se"]

    # The server accepts everything now; only the new row is attempted.
    smtp.ta_emot()
    Utskick.objects.create(mottagare="ny@exempelkommun.se", amne="Ny", text="x")
    assert leverera_vantande() == 1
    assert leverera_vantande() == 0
    assert smtp.mottagare_forsok == ["slutat@exempelkommun.se", "ny@exempelkommun.se"]
    assert smtp.sessioner == 2
    assert [m[1] for m in smtp.mottagna] == [["ny@exempelkommun.se"]]
    uttjant.refresh_from_db()
    assert (uttjant.skickad, uttjant.forsok) == (None, MAX_FORSOK)


def test_levererad_rad_skickas_inte_igen(smtp):
    """`leverera` on a delivered row does not even connect to the server."""
    rad = Utskick.objects.create(mottagare=CHEFEN, amne="Påminnelse", text="Öppna ärendet.")
    assert leverera(rad.pk) is True
    rad.refresh_from_db()
    skickad = rad.skickad
    assert skickad is not None
    assert (smtp.sessioner, len(smtp.mottagna)) == (1, 1)

    assert leverera(rad.pk) is False
    assert (smtp.sessioner, len(smtp.mottagna)) == (1, 1)
    rad.refresh_from_db()
    assert (rad.skickad, rad.forsok) == (skickad, 1)
