"""The second factor of local accounts (docs/inloggning.md, "Tvåstegsverifiering").

A person who logs in with the product's own password and has an authenticator app set
up (a confirmed django-otp TOTP device), or who must have one
(`behorighet.kraver_tvastegs`), is not fully logged in after the password: the session
is authenticated but not verified, and `TvastegsMiddleware` lets it reach only the
second step, the enrolment, the login and the logout until a code from the app (or a
recovery code) has verified it. Sign-in through the municipality's account (OIDC) is not
asked: its provider has its own second factor (`inloggad_med_losenord`).

Recovery codes are django-otp static tokens; the token column holds a keyed hash of the
code (`reservkodshash`), never the code, so the database alone gives none away. The
codes are shown once, when they are made.
"""

import re
import secrets
import time
from base64 import b32encode
from contextlib import suppress
from enum import StrEnum
from urllib.parse import urlencode

import segno
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django_htmx.http import HttpResponseClientRedirect
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from kvalitet import behorighet
from kvalitet.begransning import klientadress
from kvalitet.felsvar import ar_api
from kvalitet.middleware import sidan_anvandaren_var_pa, svarar_pa_get

# The one backend that checks the product's own password. Only a session it logged in
# owes the second factor; a session of another backend (the municipality's OIDC sign-in,
# whose provider asks for its own second factor) does not. A new password backend (LDAP,
# say) must be added here to be covered.
LOSENORDSINLOGGNING = "django.contrib.auth.backends.ModelBackend"

ANTAL_RESERVKODER = 10
# A recovery code: ten characters of base32 (50 bits), shown as two groups of five.
RESERVKOD_TECKEN = 10
_RESERVKOD = re.compile(rf"[a-z2-7]{{{RESERVKOD_TECKEN}}}")
_SEXSIFFRIG = re.compile(r"\d{6}")
_RESERVKOD_SALT = "kvalitet.tvastegs.reservkod"
APPENS_NAMN = "Autentiseringsapp"
RESERVKODERNAS_NAMN = "Reservkoder"

# The secret of an enrolment under way, kept in the (server-side) session until the
# first code confirms it; only then is a device saved.
SESSION_NY_HEMLIGHET = "kvalitet_tvastegs_ny_hemlighet"


class Steg(StrEnum):
    """What a session still owes before it is fully logged in."""

    VERIFIERA = "verifiera"  # a code from the app or a recovery code
    AKTIVERA = "aktivera"  # required, but no app set up yet: enrol first


# --- Who is asked -------------------------------------------------------------------------


def inloggad_med_losenord(request) -> bool:
    """Whether the session was logged in with the product's own password (the one backend
    that owes the second factor), not through another sign-in."""
    return request.session.get(BACKEND_SESSION_KEY) == LOSENORDSINLOGGNING


def totp_enhet(user):
    """The person's confirmed authenticator app (TOTP device), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def aterstaende_steg(request) -> Steg | None:
    """The step the session still owes, or None when it owes nothing: not logged in, not
    logged in with the password, already verified, or neither set up nor required."""
    if not inloggad_med_losenord(request):
        return None
    user = request.user
    if not user.is_authenticated or _verifierad(request, user):
        return None
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return Steg.VERIFIERA
    if behorighet.kraver_tvastegs(user):
        return Steg.AKTIVERA
    return None


def _verifierad(request, user) -> bool:
    """Whether a device verified the session: OTPMiddleware's answer, or – for the user
    object that a login has just put on the request, which that middleware never saw –
    the same check of the session's device."""
    if hasattr(user, "is_verified"):
        return user.is_verified()
    persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
    enhet = Device.from_persistent_id(persistent_id) if persistent_id else None
    return enhet is not None and enhet.user_id == user.pk and enhet.confirmed


def steg_url(steg: Steg, nasta: str = "") -> str:
    """The page of a step, with the page to go on to afterwards."""
    namn = "tvastegs" if steg is Steg.VERIFIERA else "tvastegs_aktivera"
    url = reverse(namn)
    return f"{url}?{urlencode({'next': nasta})}" if nasta else url


def inloggningen_fullbordad(request, user, enhet=None):
    """The login is complete (after the password when nothing more is owed, else after
    the second factor): the session is marked verified by `enhet`, gets a new key, and
    the user's failed logins from this address are forgiven, as a login resets them."""
    if enhet is not None:
        otp_login(request, enhet)
        request.session.cycle_key()
    axes_reset(ip=klientadress(request), username=user.get_username())


# --- The guard ----------------------------------------------------------------------------

# Pages a session that owes a step may still reach: the steps, logging in (as someone
# else, or through the municipality's account, which replaces the session) and out.
FRIA_SIDOR = ("tvastegs", "tvastegs_aktivera", "login", "logout", "oidc_logga_in", "oidc_svar")


def fria_sidor() -> set[str]:
    sidor = set()
    for namn in FRIA_SIDOR:
        with suppress(NoReverseMatch):  # a sign-in this installation does not serve
            sidor.add(reverse(namn))
    return sidor


class TvastegsMiddleware:
    """After django-otp's OTPMiddleware: a session that owes a step (`aterstaende_steg`)
    is sent to that step's page, whatever it asked for – no other page, action or htmx
    fragment is reached before it. Left alone: the step pages themselves, the login and
    the logout, static files, and the API (`/api/`, which authenticates each call with a
    key, never with the session)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The free pages are looked up only for a session that owes a step: reversing
        # their names (a sign-in not served raises) cost every request half a millisecond.
        # STATIC_URL and the reversed free pages begin with the path the application is
        # served under (FORCE_SCRIPT_NAME), as request.path does; path_info does not.
        if not (request.path.startswith(settings.STATIC_URL) or ar_api(request)):
            steg = aterstaende_steg(request)
            if steg is not None and request.path not in fria_sidor():
                return self.till_steget(request, steg)
        return self.get_response(request)

    @staticmethod
    def till_steget(request, steg):
        """Redirect to the step, with the page asked for (a page to open; for a form or
        an htmx request, the page it was sent from) as the page after it."""
        htmx = getattr(request, "htmx", None)
        if htmx:
            nasta = sidan_anvandaren_var_pa(request, request.headers.get("HX-Current-URL"))
        elif request.method in ("GET", "HEAD") and svarar_pa_get(request.path_info):
            nasta = request.get_full_path()
        else:
            nasta = sidan_anvandaren_var_pa(request, request.headers.get("Referer"))
        url = steg_url(steg, nasta or "")
        return HttpResponseClientRedirect(url) if htmx else HttpResponseRedirect(url)


# --- The authenticator app ----------------------------------------------------------------


def ny_hemlighet() -> str:
    """A new TOTP secret (20 random bytes, hex: django-otp's form)."""
    return random_hex(20)


def hemlighet_att_skriva(hemlighet: str) -> str:
    """The secret as base32 in groups of four, the way apps take it when typed."""
    text = b32encode(bytes.fromhex(hemlighet)).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_svg(user, hemlighet: str) -> str:
    """The enrolment's otpauth:// address as an inline SVG QR code (no image file, so
    the secret is never in a URL or a cache)."""
    enhet = TOTPDevice(user=user, key=hemlighet)
    return segno.make(enhet.config_url, error="m").svg_inline(
        scale=4, dark="#000", light="#fff", omitsize=True, title="QR-kod med hemligheten"
    )


def bekrafta_ny_app(user, hemlighet: str, kod: str):
    """The app's first code for a new secret: the confirmed device, saved, or None when
    the code does not match. The code's time step is recorded, so it cannot be used
    again (django-otp refuses a step not after `last_t`)."""
    totp = TOTP(bytes.fromhex(hemlighet), step=30, t0=0, digits=6, drift=0)
    totp.time = time.time()
    if not totp.verify(int(kod), tolerance=1):
        return None
    with transaction.atomic():
        # One app per person: a second tab confirming at the same moment finds the first.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        befintlig = totp_enhet(user)
        if befintlig is not None:
            return befintlig
        return TOTPDevice.objects.create(
            user=user,
            name=APPENS_NAMN,
            key=hemlighet,
            confirmed=True,
            last_t=totp.t(),
            drift=totp.drift,
        )


# --- Recovery codes -----------------------------------------------------------------------


def normaliserad(kod: str) -> str:
    """A code as typed, without spaces and hyphens, in lower case."""
    return re.sub(r"[\s-]", "", kod).lower()


def ar_appkod(kod: str) -> bool:
    return bool(_SEXSIFFRIG.fullmatch(kod))


def ar_reservkod(kod: str) -> bool:
    return bool(_RESERVKOD.fullmatch(kod))


def _nycklar():
    return [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]


def reservkodshash(kod: str, nyckel: str | None = None) -> str:
    """What is stored of a recovery code: a keyed hash (HMAC-SHA256 with the secret key,
    64 bits, the 16 characters django-otp's token column holds). Someone with a copy of
    the database but not the key cannot test guesses against it."""
    return salted_hmac(
        _RESERVKOD_SALT, kod, secret=nyckel or settings.SECRET_KEY, algorithm="sha256"
    ).hexdigest()[:16]


def nya_reservkoder(user) -> list[str]:
    """New recovery codes for the person, replacing every earlier one; returns the codes
    (shown once: only their hashes are kept)."""
    koder = [
        "".join(secrets.choice("abcdefghijklmnopqrstuvwxyz234567") for _ in range(10))
        for _ in range(ANTAL_RESERVKODER)
    ]
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        enhet = StaticDevice.objects.create(user=user, name=RESERVKODERNAS_NAMN, confirmed=True)
        enhet.token_set.bulk_create(
            [enhet.token_set.model(device=enhet, token=reservkodshash(k)) for k in koder]
        )
    return [f"{k[:5]}-{k[5:]}" for k in koder]


def reservkoder_kvar(user) -> int:
    enhet = StaticDevice.objects.filter(user=user).first()
    return enhet.token_set.count() if enhet else 0


# --- Checking a code ----------------------------------------------------------------------


class Provning(StrEnum):
    RATT = "ratt"
    FEL = "fel"
    VANTA = "vanta"  # django-otp's pause after wrong codes: the code was not checked


def prova(user, kod: str):
    """Check a normalised code (`normaliserad`; the form has checked its shape): six
    digits against the app, ten characters against the recovery codes. Returns
    (Provning, the device that accepted it or None, seconds to wait or 0).

    A used app code cannot be used again (its time step is then past `last_t`) and a
    used recovery code is deleted. After a wrong code django-otp makes the device wait
    1, 2, 4 … seconds before it checks another, whatever the address: a guesser spread
    over many addresses, each under the lockout's limit, still gets few tries."""
    if ar_appkod(kod):
        enhet_typ, token = TOTPDevice, kod
    else:
        enhet_typ, token = StaticDevice, None
    with transaction.atomic():
        enhet = (
            enhet_typ.objects.select_for_update()
            .filter(user=user, confirmed=True)
            .order_by("pk")
            .first()
        )
        if enhet is None:
            return Provning.FEL, None, 0
        tillatet, info = enhet.verify_is_allowed()
        if not tillatet:
            kvar = (info or {}).get("locked_until")
            sekunder = max(1, int((kvar - timezone.now()).total_seconds()) + 1) if kvar else 1
            return Provning.VANTA, None, sekunder
        if token is None:
            # The hash under the current key, or under a previous one (SECRET_KEY_FALLBACKS)
            # for codes made before the key was rotated.
            kandidater = [reservkodshash(kod, n) for n in _nycklar()]
            hittad = (
                enhet.token_set.filter(token__in=kandidater).values_list("token", flat=True).first()
            )
            token = hittad or kandidater[0]
        if enhet.verify_token(token):
            return Provning.RATT, enhet, 0
    return Provning.FEL, None, 0


def ta_bort(user) -> bool:
    """Remove the person's app and recovery codes (turned off, or reset by an
    administrator); returns whether there was anything to remove."""
    with transaction.atomic():
        appar = TOTPDevice.objects.filter(user=user).delete()[0]
        reserv = StaticDevice.objects.filter(user=user).delete()[0]
    return bool(appar or reserv)


def glom_verifieringen(request):
    """The session is no longer verified by a device (the device was removed)."""
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
