"""Login and password reset against guessing and probing, behind the reverse proxy.

The lockout of django-axes keys on the user name and the real client address (read from
X-Forwarded-For behind PROXY_COUNT proxies, `kvalitet.begransning.klientadress`): a
client cannot lock a user out of another address, and a completed password reset lifts
the user's locks from every address. Failed logins are also counted per address and
hour, whatever the user name (password spraying), without locking any account. The
reset link goes through the outbox after commit, never during the request, so a known
address is answered like an unknown one; requests for it are limited per address.

Behind the simulated proxy every request comes from REMOTE_ADDR 10.0.0.1 (the proxy),
which appends the client's address to X-Forwarded-For.
"""

import re
import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.test import Client
from django.utils import timezone

from kvalitet.celery import app
from kvalitet.models import Forfragan, Utskick
from kvalitet.tasks import leverera_vantande
from tests.factories import UserFactory
from tests.stod import har_text, nollstall_celery

pytestmark = pytest.mark.django_db

LOGGA_IN = "/konto/logga-in/"
ATERSTALL = "/konto/aterstall/"
PROXY = "10.0.0.1"
ANGRIPARE = "203.0.113.5"
OFFRET = "198.51.100.7"
SPARRAD = "Inloggningen är tillfälligt spärrad"
SPREJAD = "För många misslyckade inloggningar från din adress."
FOR_MANGA_ATERSTALLNINGAR = "För många begäranden om nytt lösenord från din adress."
LANK = re.compile(r"https?://[^/\s]+(/konto/aterstall/[^/\s]+/[^/\s]+/)")


@pytest.fixture
def bakom_proxy(settings):
    settings.PROXY_COUNT = 1
    settings.AXES_FAILURE_LIMIT = 5


def klient(adress):
    """A browser at `adress`, reaching the app through the proxy."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=adress)


def logga_in(klient, anvandare, losenord):
    return klient.post(LOGGA_IN, {"username": anvandare, "password": losenord})


def inloggad(klient, user):
    return klient.session.get("_auth_user_id") == str(user.pk)


def las(anvandare, adress):
    """Fail AXES_FAILURE_LIMIT (5) times for `anvandare` from `adress`: the fifth
    failure locks it there, and then the right password is refused too."""
    k = klient(adress)
    for _ in range(4):
        assert logga_in(k, anvandare, "fel-losenord").status_code == 200
    har_text(logga_in(k, anvandare, "fel-losenord"), SPARRAD, status=429)
    har_text(logga_in(k, anvandare, "demo"), SPARRAD, status=429)
    return k


# --- The lockout keys on the real client address -------------------------------------------


def test_en_klient_kan_inte_sparra_en_anvandare_pa_en_annan_adress(bakom_proxy, personas):
    """Five wrong passwords from one client behind the proxy lock the user name from
    that client only; the user logs in from their own address."""
    medarbetare = personas["medarbetare"]
    angripare = las("medarbetare", ANGRIPARE)
    assert not inloggad(angripare, medarbetare)
    assert set(AccessAttempt.objects.values_list("username", "ip_address")) == {
        ("medarbetare", ANGRIPARE)
    }

    offret = klient(OFFRET)
    response = logga_in(offret, "medarbetare", "demo")
    assert response.status_code == 302, response.status_code
    assert inloggad(offret, medarbetare)
    # The attacker's address stays locked, also for the right password.
    har_text(logga_in(angripare, "medarbetare", "demo"), SPARRAD, status=429)


def test_forfalskad_forsta_adress_hjalper_inte_angriparen(bakom_proxy, personas):
    """The proxy appends the address it sees: a made-up earlier hop is not the client."""
    las("medarbetare", ANGRIPARE)
    forfalskad = klient(f"{OFFRET}, {ANGRIPARE}")
    har_text(logga_in(forfalskad, "medarbetare", "demo"), SPARRAD, status=429)


def test_ett_aterstallt_losenord_haver_sparren_fran_alla_adresser(
    bakom_proxy, personas, django_capture_on_commit_callbacks
):
    medarbetare = personas["medarbetare"]
    angripare = las("medarbetare", ANGRIPARE)
    offret = las("medarbetare", OFFRET)

    lank = begar_lank(offret, "medarbetare@exempelkommun.se", django_capture_on_commit_callbacks)
    byt_losenord(offret, lank, "Ett-nytt-langt-losenord-42")

    assert not AccessAttempt.objects.filter(username="medarbetare").exists()
    response = logga_in(offret, "medarbetare", "Ett-nytt-langt-losenord-42")
    assert response.status_code == 302, response.status_code
    assert inloggad(offret, medarbetare)
    # Lifted from the other address too; the old password no longer works there.
    response = logga_in(angripare, "medarbetare", "demo")
    assert response.status_code == 200
    assert not inloggad(angripare, medarbetare)


# --- Password spraying ------------------------------------------------------------------------


def test_losenordssprejning_fran_en_adress_begransas_utan_att_konton_sparras(
    bakom_proxy, personas, settings
):
    """One password tried on many user names from one address: each user name fails
    once (no account is locked), but after INLOGGNING_MISSLYCKADE_PER_TIMME failures the
    address may not try at all for an hour – not even with a right password."""
    settings.INLOGGNING_MISSLYCKADE_PER_TIMME = 8
    namn = [*list(personas)[:6], "finns_inte", "inte_heller"]
    sprejare = klient(ANGRIPARE)
    for anvandare in namn:
        response = logga_in(sprejare, anvandare, "Sommar2026")
        har_text(response, "Ange ett korrekt användarnamn och lösenord.", status=200)

    rader = Forfragan.objects.count()
    response = logga_in(sprejare, "medarbetare", "demo")
    har_text(response, SPREJAD, status=429)
    assert not inloggad(sprejare, personas["medarbetare"])
    assert Forfragan.objects.count() == rader  # a refused attempt changes nothing
    assert AccessAttempt.objects.filter(failures_since_start__gt=1).count() == 0

    # No account is locked: the same users log in from elsewhere.
    annan = klient(OFFRET)
    assert logga_in(annan, "medarbetare", "demo").status_code == 302
    assert inloggad(annan, personas["medarbetare"])

    # An hour later the address may try again.
    Forfragan.objects.update(tid=timezone.now() - timedelta(minutes=61))
    assert logga_in(klient(ANGRIPARE), "enhetschef", "demo").status_code == 302


def test_ett_kontor_bakom_en_adress_stoppas_inte_av_nagra_felskrivningar(bakom_proxy, personas):
    """The per-address limit is far above the lockout's: with the default, twenty
    colleagues behind one NAT address may each mistype their password once."""
    kontoret = klient(ANGRIPARE)
    kollegor = [UserFactory(username=f"kollega{i}") for i in range(20)]
    for kollega in kollegor:
        assert logga_in(kontoret, kollega.username, "fel").status_code == 200
    for kollega in kollegor[:3]:
        k = klient(ANGRIPARE)
        assert logga_in(k, kollega.username, "demo").status_code == 302
        assert inloggad(k, kollega)


# --- Password reset: through the outbox, never during the request ----------------------------


def begar_lank(klient, adress, django_capture_on_commit_callbacks):
    """Ask for a reset link and return its path, from the delivered mail."""
    with django_capture_on_commit_callbacks(execute=True):
        response = klient.post(ATERSTALL, {"email": adress})
    assert response.headers["Location"] == "/konto/aterstall/skickat/"
    mejl = [m for m in mail.outbox if m.to == [adress]][-1]
    return LANK.search(mejl.body).group(1)


def byt_losenord(klient, lank, losenord):
    response = klient.get(lank)
    assert response.status_code == 302, response.status_code  # to the set-password page
    response = klient.post(
        response.headers["Location"], {"new_password1": losenord, "new_password2": losenord}
    )
    assert response.headers["Location"] == "/konto/aterstall/klart/", response.status_code


class LangsamPost(EmailBackend):
    """A slow mail server (a second a message) that notes every message it is handed
    while a request is being answered: a send in the request would hold the answer up,
    and so tell a known address from an unknown one."""

    under_begaran = False
    under_begaran_till = []

    def send_messages(self, messages):
        if LangsamPost.under_begaran:
            LangsamPost.under_begaran_till.extend(m.to for m in messages)
            time.sleep(1)
        return super().send_messages(messages)


@pytest.fixture
def posten(settings):
    settings.EMAIL_BACKEND = f"{__name__}.LangsamPost"
    LangsamPost.under_begaran_till = []
    yield LangsamPost
    LangsamPost.under_begaran = False


@pytest.fixture
def broker_nere(settings):
    """As in production (a broker, not tasks run in the request), with the broker down:
    delivery waits in the outbox for the periodic task. Restored afterwards."""
    broker_url, eager = app.conf.broker_url, app.conf.task_always_eager
    settings.CELERY_TASK_ALWAYS_EAGER = False
    nollstall_celery(app, broker_url="redis://127.0.0.1:6390/0", eager=False)
    yield
    nollstall_celery(app, broker_url=broker_url, eager=eager)


def begar(klient, posten, adress):
    """Ask for a reset link; the answer and the seconds it took."""
    posten.under_begaran = True
    start = time.monotonic()
    try:
        response = klient.post(ATERSTALL, {"email": adress})
    finally:
        posten.under_begaran = False
    return response, time.monotonic() - start


@pytest.mark.django_db(transaction=True)
def test_aterstallning_svarar_lika_for_kand_och_okand_adress_och_skickar_inget_under_begaran(
    personas, posten, broker_nere
):
    """Committed for real (a transactional test), with a broker as in production: the
    request writes the link to the outbox and answers; the mail server is reached only
    afterwards, by the outbox delivery, and the link works."""
    # A first round, not compared: the first request of a process loads templates and
    # the like.
    for adress in ("enhetschef@exempelkommun.se", "ingen@exempelkommun.se"):
        begar(Client(), posten, adress)
    Utskick.objects.all().delete()

    kand, tid_kand = begar(Client(), posten, "medarbetare@exempelkommun.se")
    rader_efter_kand = list(Utskick.objects.values_list("mottagare", "skickad"))
    okand, tid_okand = begar(Client(), posten, "okand@exempelkommun.se")

    assert posten.under_begaran_till == []
    assert abs(tid_kand - tid_okand) < 0.5, (tid_kand, tid_okand)
    for response in (kand, okand):
        assert response.status_code == 302
        assert response.headers["Location"] == "/konto/aterstall/skickat/"
    assert kand.content == okand.content
    assert sorted(kand.headers) == sorted(okand.headers)
    # The only difference: the known address's row, committed and not yet sent.
    assert rader_efter_kand == [("medarbetare@exempelkommun.se", None)]
    assert list(Utskick.objects.values_list("mottagare", "skickad")) == rader_efter_kand
    assert mail.outbox == []

    # The periodic delivery sends it, outside any request; the link works.
    assert leverera_vantande() == 1
    assert [m.to for m in mail.outbox] == [["medarbetare@exempelkommun.se"]]
    assert mail.outbox[0].subject == "[Kvalitet] Återställ ditt lösenord"
    lank = LANK.search(mail.outbox[0].body).group(1)
    webblasare = Client()
    byt_losenord(webblasare, lank, "Ett-nytt-langt-losenord-42")
    assert logga_in(webblasare, "medarbetare", "Ett-nytt-langt-losenord-42").status_code == 302


def test_aterstallning_begransas_per_adress(personas, settings):
    settings.ATERSTALLNING_PER_TIMME = 3
    settings.PROXY_COUNT = 1
    k = klient(ANGRIPARE)
    for adress in ("a@exempelkommun.se", "b@exempelkommun.se", "medarbetare@exempelkommun.se"):
        assert k.post(ATERSTALL, {"email": adress}).status_code == 302
    fore = (Utskick.objects.count(), Forfragan.objects.count())
    response = k.post(ATERSTALL, {"email": "medarbetare@exempelkommun.se"})
    har_text(response, FOR_MANGA_ATERSTALLNINGAR, status=429)
    assert (Utskick.objects.count(), Forfragan.objects.count()) == fore
    # Another client behind the same proxy is not limited.
    assert klient(OFFRET).post(ATERSTALL, {"email": "c@exempelkommun.se"}).status_code == 302


# --- A session that expired: the login page says why, and leads back to the form -------------
#
# The browser keeps what was typed (static/js/utkast.js, tests/browser/test_utgangen_session.py);
# the server's part: the login page tells an expired session from a first visit (a marker
# cookie set while logged in, removed at logout), a form sent after the session expired
# leads back, after the login, to the page the form was on (not to the POST-only address
# it was sent to), and an htmx request sends the whole page to the login instead of
# swapping the login page into a fragment.

INLOGGAD = "kvalitet_inloggad"
GICK_UT = "Du har loggats ut eftersom sessionen gick ut."
FORTSATT = "Logga in för att fortsätta till sidan du försökte öppna."


def inloggad_klient(anvandare="medarbetare"):
    k = Client()
    assert logga_in(k, anvandare, "demo").status_code == 302
    return k


def session_gar_ut():
    """The session ends on the server, as when it expires (the browser still holds the
    session cookie: the most that a client can hold on to)."""
    Session.objects.all().delete()


def test_inloggning_satter_en_markor_som_utloggningen_tar_bort(personas):
    k = Client()
    kaka = logga_in(k, "medarbetare", "demo").cookies[INLOGGAD]
    assert kaka.value == "1"
    # Nothing in it, readable by no script, gone when the browser closes.
    assert kaka["httponly"] and kaka["samesite"] == "Lax" and kaka["path"] == "/"
    assert kaka["max-age"] == "" and kaka["expires"] == ""

    kaka = k.post("/konto/logga-ut/").cookies[INLOGGAD]
    assert kaka.value == "" and kaka["max-age"] == 0


def test_inloggningssidan_sager_att_sessionen_gick_ut(personas):
    k = inloggad_klient()
    session_gar_ut()
    response = k.get("/avvikelser/ny/", follow=True)
    assert response.redirect_chain == [("/konto/logga-in/?next=/avvikelser/ny/", 302)]
    har_text(response, GICK_UT, status=200)
    assert FORTSATT not in response.content.decode()
    # The login leads on to the page; the marker stays.
    response = k.post(
        "/konto/logga-in/?next=/avvikelser/ny/",
        {"username": "medarbetare", "password": "demo", "next": "/avvikelser/ny/"},
    )
    assert response.headers["Location"] == "/avvikelser/ny/"
    assert INLOGGAD not in response.cookies and k.cookies[INLOGGAD].value == "1"


def test_inloggningssidan_sager_varfor_till_den_som_inte_var_inloggad(personas):
    response = Client().get("/avvikelser/ny/", follow=True)
    har_text(response, FORTSATT, status=200)
    assert GICK_UT not in response.content.decode()


def test_efter_utloggning_sags_inte_att_sessionen_gick_ut(personas):
    k = inloggad_klient()
    k.post("/konto/logga-ut/")
    response = k.get("/avvikelser/ny/", follow=True)
    har_text(response, FORTSATT, status=200)
    assert GICK_UT not in response.content.decode()


def test_inloggningssidan_utan_nasta_sida_sager_ingenting(personas):
    k = Client()
    k.cookies[INLOGGAD] = "1"
    innehall = k.get("/konto/logga-in/").content.decode()
    assert GICK_UT not in innehall and FORTSATT not in innehall


def test_ett_formular_skickat_efter_att_sessionen_gick_ut_leder_tillbaka_till_sidan(avvikelse):
    """The comment form posts to …/kommentar/, which takes POST only: after the login
    the user comes back to the case's page, where the form is (and the browser fills in
    what was typed)."""
    sidan = avvikelse.get_absolute_url()
    k = inloggad_klient()
    session_gar_ut()
    response = k.post(
        f"{sidan}kommentar/",
        {"text": "Klienten har ringt igen."},
        HTTP_REFERER=f"http://testserver{sidan}",
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/konto/logga-in/?next={sidan}"
    assert not avvikelse.timeline.filter(text="Klienten har ringt igen.").exists()

    response = k.post(
        response.headers["Location"], {"username": "medarbetare", "password": "demo", "next": sidan}
    )
    assert response.headers["Location"] == sidan
    innehall = k.get(sidan).content.decode()
    assert f'action="{sidan}kommentar/"' in innehall


def test_en_annan_webbplats_som_hanvisare_blir_inte_nasta_sida(avvikelse):
    """Only a page of this site is a way back; otherwise the address that was posted to
    stays (as Django gives it)."""
    sidan = avvikelse.get_absolute_url()
    for hanvisare in ("https://angripare.example/", "http://testserver.angripare.example/"):
        response = Client().post(
            f"{sidan}kommentar/", {"text": "x"}, HTTP_REFERER=f"{hanvisare}{sidan}"
        )
        assert response.headers["Location"] == f"/konto/logga-in/?next={sidan}kommentar/"


def test_en_begaran_fran_htmx_skickar_hela_sidan_till_inloggningen(avvikelse):
    """htmx follows a redirect itself and would swap the login page into the list's
    results (or a preview): it is told to load the login page instead, with the page
    the user is on as the next page."""
    k = inloggad_klient()
    session_gar_ut()
    htmx = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": "http://testserver/avvikelser/"}
    response = k.get("/avvikelser/", {"status": "rapporterad"}, HTTP_HX_TARGET="resultat", **htmx)
    assert response.status_code == 200
    assert response.headers["HX-Redirect"] == "/konto/logga-in/?next=/avvikelser/"
    assert "Location" not in response.headers
    assert b"Logga in" not in response.content

    sidan = avvikelse.get_absolute_url()
    htmx["HTTP_HX_CURRENT_URL"] = f"http://testserver{sidan}"
    response = k.post(f"{sidan}kommentar/", {"text": "x"}, **htmx)
    assert response.headers["HX-Redirect"] == f"/konto/logga-in/?next={sidan}"


def test_sidorna_bar_det_skriptet_behover_for_utkasten(personas):
    """The draft script knows whose drafts a page may fill in (the user's id on
    <body>), the login form and the logout form."""
    medarbetare = personas["medarbetare"]
    k = inloggad_klient()
    innehall = k.get("/avvikelser/ny/").content.decode()
    assert f'<body data-anvandare="{medarbetare.pk}">' in innehall
    assert re.search(
        r'<form method="post" action="/konto/logga-ut/"[^>]* data-utloggning', innehall
    )
    innehall = Client().get("/konto/logga-in/?next=/avvikelser/ny/").content.decode()
    assert "<body>" in innehall
    assert re.search(r"<form [^>]*data-inloggning", innehall)
    assert re.search(r"<p [^>]*data-utkast-kvar[^>]* hidden", innehall)
