"""Request size: a body larger than REQUEST_MAX_BYTES (one attachment plus room for the
other fields) is refused with 413 before anything reads it – ahead of the honeypot, the
rate limit, CSRF and the view – and an uploaded file larger than BILAGA_MAX_MB stops the
reading of the request there, whatever length the request declared.

The request body is a stream that fails the test if it is read past a given point, so
"refused before it is read" is checked, not assumed."""

import pytest
from django.test import Client

from kvalitet.models import Attachment, Forfragan
from synpunkter.models import Synpunkt
from synpunkter.views import LamnaView
from tests.stod import fil, ogonblick, pdf_bytes

pytestmark = pytest.mark.django_db

LAMNA = "/synpunkter/lamna/"
MB = 1024 * 1024
GRANS = "boundary-kvalitet-test"
FOR_STORT = "Det du skickade är för stort. En bilaga får vara högst"


class LastForbi(AssertionError):
    pass


class Kropp:
    """A request body of `langd` bytes, made on demand (`borjan`, then filler); reading
    beyond `far_lasas` bytes fails the test."""

    def __init__(self, borjan, langd, far_lasas):
        self.borjan = borjan
        self.langd = langd
        self.far_lasas = far_lasas
        self.last = 0

    def read(self, size=-1):
        kvar = self.langd - self.last
        size = kvar if size is None or size < 0 else min(size, kvar)
        if self.last + size > self.far_lasas:
            raise LastForbi(f"kroppen lästes förbi byte {self.far_lasas}")
        start, self.last = self.last, self.last + size
        ut = self.borjan[start : self.last]
        return ut + b"x" * (size - len(ut))

    def readline(self, size=-1):
        return self.read(size)


def multipart_borjan():
    """The form's fields, then the start of an attachment that runs on to the end."""
    falt = {
        "typ": "klagomal",
        "beskrivning": "Ingen svarade på min ansökan.",
        "enhet": "vet_ej",
        "anonym": "True",
        "hemsida": "",
    }
    delar = [
        f'--{GRANS}\r\nContent-Disposition: form-data; name="{namn}"\r\n\r\n{varde}\r\n'
        for namn, varde in falt.items()
    ]
    delar.append(
        f'--{GRANS}\r\nContent-Disposition: form-data; name="bilaga"; filename="stor.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    )
    return "".join(delar).encode() + pdf_bytes()


def skicka(klient, langd, far_lasas):
    kropp = Kropp(multipart_borjan(), langd, far_lasas)
    response = klient.generic(
        "POST",
        LAMNA,
        **{
            "wsgi.input": kropp,
            "CONTENT_LENGTH": str(langd),
            "CONTENT_TYPE": f"multipart/form-data; boundary={GRANS}",
        },
    )
    return response, kropp


@pytest.fixture
def vyn_nas_inte(monkeypatch):
    """The public form's view fails the test if a request reaches it."""

    def nadd(self, request, *args, **kwargs):
        raise AssertionError("vyn nåddes")

    monkeypatch.setattr(LamnaView, "dispatch", nadd)


def nekad_utan_spar(response):
    assert response.status_code == 413, response.status_code
    text = response.content.decode()
    assert FOR_STORT in text, text
    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")


def test_en_begaran_pa_200_mb_nekas_utan_att_kroppen_lases(org, personas, vyn_nas_inte):
    fore = ogonblick()
    response, kropp = skicka(Client(), 200 * MB, far_lasas=0)
    nekad_utan_spar(response)
    assert kropp.last == 0
    assert ogonblick() == fore
    assert Forfragan.objects.count() == 0  # not even counted by the rate limit


def test_gransen_ar_en_bilaga_plus_utrymme_for_ovriga_falt(settings):
    assert settings.REQUEST_MAX_BYTES == (settings.BILAGA_MAX_MB + 3) * MB


@pytest.mark.parametrize(("langd", "nekas"), [(5000, False), (5001, True)])
def test_exakt_vid_gransen(langd, nekas, org, personas, settings):
    """The limit is the declared Content-Length, to the byte."""
    settings.REQUEST_MAX_BYTES = 5000
    response = Client(raise_request_exception=False).generic(
        "POST",
        LAMNA,
        b"typ=klagomal&" + b"x" * (langd - 13),
        content_type="application/x-www-form-urlencoded",
    )
    assert (response.status_code == 413) is nekas, response.status_code


def test_en_for_stor_fil_avbryter_lasningen_vad_begaran_an_uppger(
    org, personas, settings, vyn_nas_inte
):
    """A request that declares a length within the limit (a client can say anything)
    but carries a file larger than BILAGA_MAX_MB: reading stops at the file's limit,
    not at the declared length, and the request is refused."""
    settings.BILAGA_MAX_MB = 1
    settings.REQUEST_MAX_BYTES = 8 * MB
    fore = ogonblick()
    response, kropp = skicka(Client(), 8 * MB, far_lasas=MB + 256 * 1024)
    nekad_utan_spar(response)
    assert "högst 1 MB" in response.content.decode()
    assert MB < kropp.last <= MB + 256 * 1024
    assert ogonblick() == fore
    assert Forfragan.objects.count() == 0


def test_vanliga_inlamningar_paverkas_inte(org, personas):
    """Below the limits nothing changes: a submission with an attachment is received."""

    response = Client().post(
        LAMNA,
        {
            "typ": "klagomal",
            "beskrivning": "Ingen svarade.",
            "enhet": "vet_ej",
            "anonym": "True",
            "hemsida": "",
            "bilaga": fil("brev.pdf", pdf_bytes(), "application/pdf"),
        },
    )
    assert response.status_code == 200, response.status_code
    text = response.content.decode()
    assert "Tack! Vi har tagit emot det du skickade" in text
    synpunkt = Synpunkt.objects.get()
    assert f'<strong class="referens">{synpunkt.referens}</strong>' in text
    assert Attachment.objects.count() == 1
    assert Attachment.objects.get().arende == synpunkt
