"""The second factor of local accounts (kvalitet.tvastegs, docs/inloggning.md).

Every login here goes through the real login form with the password (`logga_in`), so
the session is the local-password one the second factor applies to; the OIDC case
simulates the other backend in the session. A code is computed from the device's key
with django-otp's own TOTP, at the current time step or the next (the device accepts
one step either way), as a phone would show it.
"""

import io
import re
import shlex
import subprocess
import time
from base64 import b32decode

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import BACKEND_SESSION_KEY
from django.core.management import call_command
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from kvalitet import tvastegs
from kvalitet.management.commands.seed_demo import DEMO_TVASTEGS_HEMLIGHET
from kvalitet.models import Forfragan, User
from tests.stod import har_text, meddelanden
from tests.tjanster import PROJEKT, kor_manage

pytestmark = pytest.mark.django_db

LOGGA_IN = "/konto/logga-in/"
STEG = "/konto/tvastegs/"
AKTIVERA = "/konto/tvastegs/aktivera/"
HANTERA = "/konto/tvastegs/hantera/"
RESERVKODER = "/konto/tvastegs/reservkoder/"
STANG_AV = "/konto/tvastegs/stang-av/"
SPARRAD = "Inloggningen är tillfälligt spärrad"
SPREJAD = "För många misslyckade inloggningar från din adress."
KOD_FEL = "Koden stämmer inte."
FORMEN = "Skriv de sex siffrorna från autentiseringsappen, eller en reservkod"
OIDC = "kvalitet.oidc.Inloggning"


@pytest.fixture(autouse=True)
def _regler(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.INLOGGNING_MISSLYCKADE_PER_TIMME = 50
    # django-otp's own pause after a wrong code (1, 2, 4 … s) is tested on its own below;
    # elsewhere the tests type their codes faster than a person can.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def logga_in(klient, anvandare, losenord="demo"):
    return klient.post(LOGGA_IN, {"username": anvandare, "password": losenord})


def kod(enhet, steg=0):
    """The code the app shows now (steg=0) or at the next time step (steg=1)."""
    totp = TOTP(enhet.bin_key, enhet.step, enhet.t0, enhet.digits, enhet.drift)
    totp.time = time.time() + steg * enhet.step
    return f"{totp.token():06d}"


def fel_kod(enhet, n=0):
    """A well-formed code the app does not show now (nor one step either way): the n-th."""
    giltiga = {kod(enhet, steg) for steg in (-1, 0, 1)}
    return [k for k in (f"{i:06d}" for i in range(10)) if k not in giltiga][n]


def ge_app(user):
    return TOTPDevice.objects.create(user=user, name="Telefon", confirmed=True)


def ny_klient():
    return Client()


def inloggad(klient, user):
    return klient.session.get("_auth_user_id") == str(user.pk)


def vantar_pa_steget(klient, user):
    """Logged in with the password, and the second step asked for."""
    response = logga_in(klient, user.username)
    assert response.status_code == 302
    assert response.headers["Location"].startswith(STEG), response.headers["Location"]
    return response


def verifierad(klient, user, enhet):
    vantar_pa_steget(klient, user)
    response = klient.post(STEG, {"kod": kod(enhet)})
    assert response.status_code == 302, response.content[:2000]
    return response


def aktivera(klient):
    """Enrol through the page as a person would: read the secret from the page, type
    the app's code; returns (device, the recovery codes shown)."""
    sida = klient.get(AKTIVERA)
    assert sida.status_code == 200
    text = re.search(r"data-hemlighet>([A-Z2-7 ]+)<", sida.content.decode()).group(1)
    nyckel = b32decode(text.replace(" ", "") + "=" * (-len(text.replace(" ", "")) % 8))
    totp = TOTP(nyckel)
    totp.time = time.time()
    response = klient.post(AKTIVERA, {"kod": f"{totp.token():06d}"})
    assert response.status_code == 200, response.content[:2000]
    koder = re.findall(
        r"<li><code>([a-z2-7]{5}-[a-z2-7]{5})</code></li>", response.content.decode()
    )
    enhet = TOTPDevice.objects.get(key=nyckel.hex())
    return enhet, koder


# --- Who is asked ----------------------------------------------------------------------------


def test_administratoren_maste_aktivera_innan_nagon_sida_nas(personas):
    admin = personas["admin"]
    k = ny_klient()
    response = logga_in(k, "admin")
    assert response.headers["Location"] == f"{AKTIVERA}?next=%2F"
    # Logged in, but no page, action or fragment is reached before the enrolment.
    for adress in ("/", "/avvikelser/", "/administration/personer/", "/admin/", HANTERA):
        svar = k.get(adress)
        assert svar.status_code == 302, adress
        assert svar.headers["Location"].startswith(AKTIVERA), (adress, svar.headers["Location"])
    svar = k.post("/administration/personer/ny/", {"username": "x"})
    assert svar.headers["Location"].startswith(AKTIVERA)
    assert not User.objects.filter(username="x").exists()
    svar = k.get("/avvikelser/", HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="http://testserver/")
    assert svar.headers["HX-Redirect"].startswith(AKTIVERA)
    # The step page itself sends on to the enrolment: there is no app to ask a code of.
    assert k.get(STEG).headers["Location"].startswith(AKTIVERA)
    # The enrolment page hides the menu and shows the secret; nothing is saved by looking.
    sida = k.get(AKTIVERA)
    har_text(sida, "Ditt konto måste ha tvåstegsverifiering.", status=200)
    assert 'href="/administration/personer/"' not in sida.content.decode()
    assert not TOTPDevice.objects.exists()
    enhet, koder = aktivera(k)
    assert enhet.user == admin and enhet.confirmed
    assert len(koder) == 10 and len(set(koder)) == 10
    # Stored as keyed hashes only: no code is in the database.
    lagrade = set(StaticToken.objects.values_list("token", flat=True))
    assert len(lagrade) == 10
    assert not lagrade & {k_.replace("-", "") for k_ in koder}
    assert k.get("/administration/personer/").status_code == 200


def test_den_som_inte_maste_loggar_in_med_losenordet_och_kan_sla_pa_sjalv(personas):
    medarbetare = personas["medarbetare"]
    k = ny_klient()
    assert logga_in(k, "medarbetare").headers["Location"] == "/"
    assert k.get("/").status_code == 200
    har_text(k.get(HANTERA), "avstängd", status=200)
    enhet, koder = aktivera(k)
    assert enhet.user == medarbetare and len(koder) == 10
    assert k.get("/").status_code == 200  # the first code verified this session
    k.post("/konto/logga-ut/")
    k2 = ny_klient()
    vantar_pa_steget(k2, medarbetare)
    assert k2.get("/").headers["Location"].startswith(STEG)


def test_med_alla_maste_varje_lokalt_konto_aktivera(personas, settings):
    settings.MFA_KRAVS_FOR = "alla"
    k = ny_klient()
    assert logga_in(k, "medarbetare").headers["Location"].startswith(AKTIVERA)
    assert k.get("/avvikelser/").headers["Location"].startswith(AKTIVERA)


@pytest.mark.parametrize("varde", ["ingen", "nagra", ""])
def test_installningen_tar_bara_admin_eller_alla(varde):
    resultat = kor_manage("check", DEBUG="true", MFA_KRAVS_FOR=varde)
    if varde == "":
        assert resultat.returncode == 0, resultat.stderr  # unset: admin
        return
    assert resultat.returncode != 0
    assert "MFA_KRAVS_FOR måste vara admin eller alla" in resultat.stderr


def test_oidc_inloggning_fragas_inte_om_andra_steget(personas, settings):
    """A session of another backend than the local password (the municipality's OIDC
    sign-in) is not asked, even for an administrator with an app."""
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, OIDC]
    admin = personas["admin"]
    ge_app(admin)
    k = ny_klient()
    k.force_login(admin, backend=OIDC)
    assert k.session[BACKEND_SESSION_KEY] == OIDC
    assert k.get("/administration/personer/").status_code == 200
    # The same administrator with the password is asked.
    k2 = ny_klient()
    vantar_pa_steget(k2, admin)
    assert k2.get("/administration/personer/").headers["Location"].startswith(STEG)


def test_api_lamnas_at_sin_egen_inloggning(personas):
    """/api/ is never sent to the step: it authenticates each call with a key."""
    ge_app(personas["medarbetare"])
    k = ny_klient()
    vantar_pa_steget(k, personas["medarbetare"])
    svar = k.get("/api/v1/")
    assert not svar.headers.get("Location", "").startswith(STEG)


# --- The second step -----------------------------------------------------------------------


def test_ratt_kod_loggar_in_och_gar_vidare_till_sidan(personas):
    enhet = ge_app(personas["medarbetare"])
    k = ny_klient()
    svar = k.get("/avvikelser/")
    k.post(svar.headers["Location"], {"username": "medarbetare", "password": "demo"})
    sida = k.get("/avvikelser/")
    assert sida.headers["Location"] == f"{STEG}?next=%2Favvikelser%2F"
    steg = k.get(sida.headers["Location"])
    har_text(steg, "Lösenordet stämde.", status=200)
    assert 'href="/avvikelser/"' not in steg.content.decode()  # no menu yet
    nyckel = k.session.session_key
    response = k.post(STEG, {"kod": kod(enhet), "next": "/avvikelser/"})
    assert response.headers["Location"] == "/avvikelser/"
    assert k.get("/avvikelser/").status_code == 200
    assert k.session.session_key != nyckel  # a new session key once fully logged in


def test_fel_kod_raknas_som_misslyckad_inloggning_och_andrar_inget_annat(personas):
    enhet = ge_app(personas["medarbetare"])
    k = ny_klient()
    vantar_pa_steget(k, personas["medarbetare"])
    response = k.post(STEG, {"kod": fel_kod(enhet)})
    har_text(response, KOD_FEL, status=400)
    assert AccessAttempt.objects.get(username="medarbetare").failures_since_start == 1
    assert Forfragan.objects.count() == 1
    assert k.get("/").headers["Location"].startswith(STEG)  # still owes the step


def test_samma_kod_kan_inte_anvandas_igen(personas):
    medarbetare = personas["medarbetare"]
    enhet = ge_app(medarbetare)
    k = ny_klient()
    vantar_pa_steget(k, medarbetare)
    anvand = kod(enhet)
    assert k.post(STEG, {"kod": anvand}).status_code == 302
    k.post("/konto/logga-ut/")
    k2 = ny_klient()
    vantar_pa_steget(k2, medarbetare)
    # The code that was just used (and the one before it) are refused: the app's next
    # code is needed.
    har_text(k2.post(STEG, {"kod": anvand}), KOD_FEL, status=400)
    assert k2.post(STEG, {"kod": kod(enhet, 1)}).status_code == 302


def test_en_reservkod_fungerar_en_gang(personas):
    medarbetare = personas["medarbetare"]
    k = ny_klient()
    logga_in(k, "medarbetare")
    _enhet, koder = aktivera(k)
    k.post("/konto/logga-ut/")
    k2 = ny_klient()
    vantar_pa_steget(k2, medarbetare)
    response = k2.post(STEG, {"kod": koder[3].upper().replace("-", " ")})
    assert response.status_code == 302
    assert any("9 kvar" in m for m in meddelanden(response))
    assert k2.get("/").status_code == 200
    k2.post("/konto/logga-ut/")
    k3 = ny_klient()
    vantar_pa_steget(k3, medarbetare)
    har_text(k3.post(STEG, {"kod": koder[3]}), KOD_FEL, status=400)
    assert k3.post(STEG, {"kod": koder[4]}).status_code == 302


# --- Lockout and limits ---------------------------------------------------------------------


def test_sparren_efter_for_manga_fel_koder_loggar_ut_med_samma_besked(personas):
    medarbetare = personas["medarbetare"]
    enhet = ge_app(medarbetare)
    k = ny_klient()
    vantar_pa_steget(k, medarbetare)
    assert k.post(STEG, {"kod": fel_kod(enhet, 0)}).status_code == 400
    assert k.post(STEG, {"kod": fel_kod(enhet, 1)}).status_code == 400
    response = k.post(STEG, {"kod": fel_kod(enhet, 2)})  # the third: AXES_FAILURE_LIMIT
    har_text(response, SPARRAD, status=429)
    assert not inloggad(k, medarbetare)
    # Locked: the right password is refused as well, with the same page.
    har_text(logga_in(ny_klient(), "medarbetare"), SPARRAD, status=429)
    assert TOTPDevice.objects.get(pk=enhet.pk).last_t == -1


def test_ett_ratt_losenord_nollstaller_inte_felen_med_koden(personas):
    """A guesser who knows the password cannot log in again before each new round of
    codes to wipe the count: only a completed login forgives failures."""
    medarbetare = personas["medarbetare"]
    enhet = ge_app(medarbetare)
    k = ny_klient()
    vantar_pa_steget(k, medarbetare)
    assert k.post(STEG, {"kod": fel_kod(enhet, 0)}).status_code == 400
    assert k.post(STEG, {"kod": fel_kod(enhet, 1)}).status_code == 400
    k.post("/konto/logga-ut/")
    k2 = ny_klient()
    vantar_pa_steget(k2, medarbetare)
    har_text(k2.post(STEG, {"kod": fel_kod(enhet, 2)}), SPARRAD, status=429)


def test_ratt_kod_nollstaller_som_en_inloggning(personas):
    medarbetare = personas["medarbetare"]
    enhet = ge_app(medarbetare)
    k = ny_klient()
    vantar_pa_steget(k, medarbetare)
    k.post(STEG, {"kod": fel_kod(enhet, 0)})
    k.post(STEG, {"kod": fel_kod(enhet, 1)})
    assert k.post(STEG, {"kod": kod(enhet)}).status_code == 302
    assert not AccessAttempt.objects.filter(username="medarbetare").exists()


def test_sparrad_sida_provar_inte_koden(personas):
    """While the user name is locked from this address, the step page answers with the
    lockout page and logs the waiting session out without checking the code: the right
    code is not used up."""
    medarbetare = personas["medarbetare"]
    enhet = ge_app(medarbetare)
    k = ny_klient()
    vantar_pa_steget(k, medarbetare)
    angripare = ny_klient()  # the same address (the test client's)
    for _ in range(3):
        angripare.post(LOGGA_IN, {"username": "medarbetare", "password": "fel"})
    response = k.post(STEG, {"kod": kod(enhet)})
    har_text(response, SPARRAD, status=429)
    assert TOTPDevice.objects.get(pk=enhet.pk).last_t == -1
    assert not inloggad(k, medarbetare)


def test_granser_per_adress_galler_koderna_ocksa(personas, settings):
    settings.INLOGGNING_MISSLYCKADE_PER_TIMME = 2
    settings.AXES_FAILURE_LIMIT = 10
    medarbetare = personas["medarbetare"]
    enhet = ge_app(medarbetare)
    k = ny_klient()
    vantar_pa_steget(k, medarbetare)
    k.post(STEG, {"kod": fel_kod(enhet, 0)})
    k.post(STEG, {"kod": fel_kod(enhet, 1)})
    response = k.post(STEG, {"kod": kod(enhet)})
    har_text(response, SPREJAD, status=429)
    assert TOTPDevice.objects.get(pk=enhet.pk).last_t == -1  # not checked
    assert Forfragan.objects.count() == 2  # and not counted


def test_appens_egen_paus_efter_fel_kod(personas, settings):
    """django-otp's pause after a wrong code holds whatever the address: the next code
    within the pause is not checked (nor counted)."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 30
    medarbetare = personas["medarbetare"]
    enhet = ge_app(medarbetare)
    k = ny_klient()
    vantar_pa_steget(k, medarbetare)
    k.post(STEG, {"kod": fel_kod(enhet, 0)})
    response = k.post(STEG, {"kod": kod(enhet)})
    har_text(response, "För många felaktiga koder i rad. Vänta", status=429)
    assert AccessAttempt.objects.get(username="medarbetare").failures_since_start == 1
    assert TOTPDevice.objects.get(pk=enhet.pk).last_t == -1


# --- Bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kod_", "besked"),
    [
        ("", "Skriv koden."),
        ("abcdef", FORMEN),
        ("12345", FORMEN),
        ("1234567", FORMEN),
        ("9" * 5000, "Koden är för lång"),
        ("<script>alert(1)</script>", "HTML-kod"),
    ],
)
def test_felaktig_kod_far_ett_besked_och_andrar_inget(personas, kod_, besked):
    medarbetare = personas["medarbetare"]
    enhet = ge_app(medarbetare)
    k = ny_klient()
    vantar_pa_steget(k, medarbetare)
    response = k.post(STEG, {"kod": kod_})
    har_text(response, besked, status=400)
    assert "<script>alert" not in response.content.decode()
    assert not AccessAttempt.objects.exists()
    assert not Forfragan.objects.exists()
    enhet.refresh_from_db()
    assert (enhet.last_t, enhet.throttling_failure_count) == (-1, 0)


@pytest.mark.parametrize("kod_", ["", "abcdef", "abcde-fghij", "<b>1</b>", "1" * 100])
def test_felaktig_kod_vid_aktivering_sparar_ingen_app(personas, kod_):
    k = ny_klient()
    logga_in(k, "admin")
    k.get(AKTIVERA)
    response = k.post(AKTIVERA, {"kod": kod_})
    assert response.status_code == 400
    assert "Fel:" in response.content.decode()
    assert not TOTPDevice.objects.exists()
    assert k.get("/").headers["Location"].startswith(AKTIVERA)


def test_fel_kod_vid_aktivering_sparar_ingen_app(personas):
    k = ny_klient()
    logga_in(k, "admin")
    k.get(AKTIVERA)
    har_text(k.post(AKTIVERA, {"kod": "000000"}), KOD_FEL, status=400)
    assert not TOTPDevice.objects.exists()


# --- The account page ------------------------------------------------------------------------


def test_nya_reservkoder_ersatter_de_gamla(personas):
    medarbetare = personas["medarbetare"]
    k = ny_klient()
    logga_in(k, "medarbetare")
    enhet, gamla = aktivera(k)
    response = k.post(RESERVKODER, {"kod": kod(enhet, 1)})
    assert response.status_code == 200
    nya = re.findall(r"<li><code>([a-z2-7]{5}-[a-z2-7]{5})</code></li>", response.content.decode())
    assert len(nya) == 10 and not set(nya) & set(gamla)
    assert StaticDevice.objects.filter(user=medarbetare).count() == 1
    k.post("/konto/logga-ut/")
    k2 = ny_klient()
    vantar_pa_steget(k2, medarbetare)
    har_text(k2.post(STEG, {"kod": gamla[0]}), KOD_FEL, status=400)
    assert k2.post(STEG, {"kod": nya[0]}).status_code == 302


def test_avstangning_nekas_nar_den_kravs(personas):
    admin = personas["admin"]
    k = ny_klient()
    logga_in(k, "admin")
    enhet, _koder = aktivera(k)
    sida = k.get(HANTERA)
    har_text(sida, "krävs för ditt konto och kan inte stängas av", status=200)
    response = k.post(STANG_AV, {"kod": kod(enhet, 1)})
    assert response.headers["Location"] == HANTERA
    assert any("kan inte stängas av" in m for m in meddelanden(response))
    assert TOTPDevice.objects.filter(user=admin).exists()
    assert StaticToken.objects.filter(device__user=admin).count() == 10


def test_avstangning_med_kod_for_den_som_valt_sjalv(personas):
    medarbetare = personas["medarbetare"]
    k = ny_klient()
    logga_in(k, "medarbetare")
    enhet, _koder = aktivera(k)
    response = k.post(STANG_AV, {"kod": fel_kod(enhet, 0)})
    har_text(response, KOD_FEL, status=400)
    assert TOTPDevice.objects.filter(user=medarbetare).exists()
    response = k.post(STANG_AV, {"kod": kod(enhet, 1)})
    assert response.headers["Location"] == HANTERA
    assert not TOTPDevice.objects.filter(user=medarbetare).exists()
    assert not StaticDevice.objects.filter(user=medarbetare).exists()
    assert k.get("/").status_code == 200
    k.post("/konto/logga-ut/")
    assert logga_in(ny_klient(), "medarbetare").headers["Location"] == "/"


def test_hantering_utan_app_andrar_inget(personas):
    k = ny_klient()
    logga_in(k, "medarbetare")
    for adress in (RESERVKODER, STANG_AV):
        response = k.post(adress, {"kod": "123456"})
        assert response.headers["Location"] == HANTERA
        assert any("inte påslagen" in m for m in meddelanden(response))
    assert not StaticDevice.objects.exists()
    assert not AccessAttempt.objects.exists()


# --- The administrator's reset ---------------------------------------------------------------


def test_administratoren_aterstaller_en_persons_tvastegsverifiering(personas):
    admin, medarbetare = personas["admin"], personas["medarbetare"]
    adminapp = ge_app(admin)
    k = ny_klient()
    verifierad(k, admin, adminapp)
    # The person's own verified session, before the reset.
    personens = ny_klient()
    logga_in(personens, "medarbetare")
    aktivera(personens)
    assert personens.get("/").status_code == 200
    sida = k.get(f"/administration/personer/{medarbetare.pk}/")
    har_text(sida, "Återställ tvåstegsverifieringen", status=200)
    response = k.post(f"/administration/personer/{medarbetare.pk}/tvastegs/aterstall/")
    assert response.headers["Location"] == f"/administration/personer/{medarbetare.pk}/"
    assert not TOTPDevice.objects.filter(user=medarbetare).exists()
    assert not StaticDevice.objects.filter(user=medarbetare).exists()
    senaste = medarbetare.history.latest("history_date")
    assert senaste.history_change_reason == "Tvåstegsverifiering återställd"
    assert senaste.history_user == admin
    har_text(k.get(f"/administration/personer/{medarbetare.pk}/"), "Tvåstegsverifiering återställd")
    # Not required for the person: their session goes on without a second factor.
    assert personens.get("/").status_code == 200
    # Nothing left to reset: a message, no new history.
    antal = medarbetare.history.count()
    response = k.post(f"/administration/personer/{medarbetare.pk}/tvastegs/aterstall/")
    assert any("ingen tvåstegsverifiering" in m for m in meddelanden(response))
    assert medarbetare.history.count() == antal


def test_administratoren_aterstaller_inte_sin_egen(personas):
    admin = personas["admin"]
    adminapp = ge_app(admin)
    k = ny_klient()
    verifierad(k, admin, adminapp)
    response = k.post(f"/administration/personer/{admin.pk}/tvastegs/aterstall/")
    assert any("din egen" in m for m in meddelanden(response))
    assert TOTPDevice.objects.filter(user=admin).exists()


def test_efter_aterstallning_maste_en_administrator_aktivera_igen(personas):
    admin = personas["admin"]
    enhet = ge_app(admin)
    k = ny_klient()
    verifierad(k, admin, enhet)
    tvastegs.ta_bort(admin)
    assert k.get("/").headers["Location"].startswith(AKTIVERA)


# --- The demo --------------------------------------------------------------------------------


def test_demons_administrator_loggar_in_med_den_utskrivna_koden(settings):
    """seed_demo gives the demo administrator the documented secret and prints a command
    that computes the code; that very command's code passes the second step, and a
    second run leaves the app alone."""
    settings.DEBUG = True
    ut = io.StringIO()
    call_command("seed_demo", "--utan-arenden", stdout=ut)
    text = ut.getvalue()
    assert DEMO_TVASTEGS_HEMLIGHET in text
    app = TOTPDevice.objects.get(user__username="admin")
    assert app.key == b32decode(DEMO_TVASTEGS_HEMLIGHET).hex() and app.confirmed
    kommando = next(r.strip() for r in text.splitlines() if "django_otp.oath" in r)
    assert DEMO_TVASTEGS_HEMLIGHET in (PROJEKT / "README.md").read_text(encoding="utf-8")
    kod_ = subprocess.run(  # noqa: S603 - the command seed_demo prints, run as printed
        shlex.split(kommando), cwd=PROJEKT, capture_output=True, text=True, check=True
    ).stdout.strip()
    k = ny_klient()
    vantar_pa_steget(k, User.objects.get(username="admin"))
    assert k.post(STEG, {"kod": kod_}).headers["Location"] == "/"
    call_command("seed_demo", "--utan-arenden", stdout=io.StringIO())
    assert list(TOTPDevice.objects.values_list("pk", flat=True)) == [app.pk]
