"""Sign-in with the municipality's account through OpenID Connect (docs/inloggning.md).

mozilla-django-oidc runs the authorization code flow (state, nonce, PKCE, the RS256
signature checked against the provider's JWKS); this module adds what the product needs
around it:

- the provider's endpoints come from its discovery document, fetched at the first
  sign-in and cached, so an operator configures the issuer and the client only;
- a person is matched on the issuer and a stable claim (`ExternIdentitet`), never on an
  e-mail address or a user name; the first sign-in creates the account, later ones
  bring the name and e-mail address up to date (in the history);
- an inactive account is refused, and so is anything the provider refuses, with a
  Swedish message on the login page;
- with `OIDC_ROLLER_FRAN_GRUPPER`, the roles follow the group claim through the
  administrator's `Gruppmappning`, at every sign-in; assignments given in the product
  are never touched;
- the refresh token, encrypted at rest, lets the periodic check (`kontrollera_alla`,
  task and command `kontrollera_oidc`) close the account of a person the provider no
  longer knows;
- logging out of a session begun here also ends the session at the provider.

A sign-in through the provider does not get the product's own second factor: the
provider does that. Such a session is recognisable by its backend,
`request.session[BACKEND_SESSION_KEY] == "kvalitet.oidc.Inloggning"` (`ar_oidc_session`).
Tokens are never logged.
"""

import base64
import logging
import re
import time
from datetime import timedelta
from urllib.parse import urlencode

import jwt
import requests
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model
from django.contrib.auth import views as auth_views
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from mozilla_django_oidc import auth as oidc_auth
from mozilla_django_oidc import views as oidc_views

from kvalitet.models import ExternIdentitet, Gruppmappning, Uppdrag

log = logging.getLogger(__name__)

BACKEND = "kvalitet.oidc.Inloggning"
# The discovery document is read again after this long (new endpoints, a moved JWKS).
UPPTACKT_SEKUNDER = 3600
# A group claim larger than this is cut (a person in thousands of groups).
MAX_GRUPPER = 1000
ORSAK_UPPGIFTER = "Namn och e-post från identitetsleverantören"
ORSAK_SKAPAD = "Skapad vid första inloggningen med identitetsleverantören"
ORSAK_BORTA = "Inaktiverad: finns inte längre hos identitetsleverantören"


def orsak_fran_grupp(grupp):
    return f"Från gruppen {grupp} i identitetsleverantören"


def orsak_inte_i_grupp(grupp):
    return f"Inte längre i gruppen {grupp} i identitetsleverantören"


def pa() -> bool:
    """Whether sign-in with the provider is configured (OIDC_ISSUER)."""
    return bool(settings.OIDC_ISSUER)


def ar_oidc_session(request) -> bool:
    """Whether the request's session was signed in through the provider."""
    return request.session.get(BACKEND_SESSION_KEY) == BACKEND


def axes_undantag(request, credentials) -> bool:
    """AXES_WHITELIST_CALLABLE: the callback's authentication (its credentials are the
    nonce and the PKCE verifier, which only `SvarView` passes) is neither limited nor
    counted by django-axes, which would key it on a missing user name and store the
    authorization code from the query string."""
    return bool(credentials) and "nonce" in credentials and "code_verifier" in credentials


# --- The provider's discovery document ---------------------------------------------------


class LeverantorFel(Exception):
    """The provider could not be reached, or its discovery document is unusable."""


_upptackt: dict[str, tuple[float, dict]] = {}


def upptackt() -> dict:
    """The provider's discovery document (cached for UPPTACKT_SEKUNDER per issuer). Its
    `issuer` must be the configured one: a document that names another issuer would let
    that one's tokens in."""
    issuer = settings.OIDC_ISSUER
    sparad = _upptackt.get(issuer)
    if sparad and time.monotonic() - sparad[0] < UPPTACKT_SEKUNDER:
        return sparad[1]
    try:
        svar = requests.get(
            f"{issuer}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT
        )
        svar.raise_for_status()
        dokument = svar.json()
    except (requests.RequestException, ValueError) as exc:
        raise LeverantorFel(f"discovery-dokumentet kunde inte hämtas: {exc}") from exc
    if not isinstance(dokument, dict) or str(dokument.get("issuer", "")).rstrip("/") != issuer:
        raise LeverantorFel("discovery-dokumentet anger en annan issuer än OIDC_ISSUER")
    saknas = [
        k for k in ("authorization_endpoint", "token_endpoint", "jwks_uri") if not dokument.get(k)
    ]
    if saknas:
        raise LeverantorFel(f"discovery-dokumentet saknar {', '.join(saknas)}")
    _upptackt[issuer] = (time.monotonic(), dokument)
    return dokument


def glom_upptackt():
    """Forget the cached discovery documents (tests; a provider that moved)."""
    _upptackt.clear()


# --- The refresh token, encrypted at rest ------------------------------------------------


def _fernet() -> MultiFernet:
    """Fernet keys derived from SECRET_KEY (and its fallbacks, so a rotated key still
    decrypts what the old one encrypted until the next sign-in or check re-encrypts)."""
    nycklar = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet(
        [
            Fernet(
                base64.urlsafe_b64encode(
                    salted_hmac(
                        "kvalitet.oidc.refresh_token", "fernet", secret=nyckel, algorithm="sha256"
                    ).digest()
                )
            )
            for nyckel in nycklar
        ]
    )


def krypterad(token: str) -> str:
    return _fernet().encrypt(token.encode()).decode() if token else ""


def dekrypterad(text: str) -> str | None:
    """The refresh token, or None when there is none or it cannot be decrypted (the
    SECRET_KEY changed without a fallback)."""
    if not text:
        return None
    try:
        return _fernet().decrypt(text.encode()).decode()
    except InvalidToken:
        return None


# --- The person from the claims ------------------------------------------------------------


def _text(claims, namn, langd):
    varde = claims.get(namn)
    return varde.strip()[:langd] if isinstance(varde, str) else ""


def grupper(claims) -> set[str]:
    """The group claim's values (a list of strings, or one string)."""
    varde = claims.get(settings.OIDC_GRUPPCLAIM)
    if isinstance(varde, str):
        varde = [varde]
    if not isinstance(varde, list):
        return set()
    return {g[:255] for g in varde[:MAX_GRUPPER] if isinstance(g, str) and g}


def for_manga_grupper(claims) -> bool:
    """Whether the provider left the group claim out because the person is in too many
    groups and named another source for it instead (Entra ID's "groups overage": no
    `groups`, but `_claim_names: {"groups": ...}` – more than 200 groups in a token)."""
    namn = claims.get("_claim_names")
    return (
        settings.OIDC_GRUPPCLAIM not in claims
        and isinstance(namn, dict)
        and settings.OIDC_GRUPPCLAIM in namn
    )


def _personuppgifter(claims) -> dict:
    fornamn = _text(claims, "given_name", 150)
    efternamn = _text(claims, "family_name", 150)
    if not fornamn and not efternamn:
        fornamn = _text(claims, "name", 150)
    epost = _text(claims, "email", 254)
    return {
        "first_name": fornamn,
        "last_name": efternamn,
        "email": epost if "@" in epost else "",
    }


def _ledigt_anvandarnamn(claims, subjekt) -> str:
    """A user name from preferred_username (else the e-mail address), in the characters
    Django's user names allow, made unique with a number. Only a label: sign-ins never
    match on it."""
    User = get_user_model()
    onskat = _text(claims, "preferred_username", 150) or _text(claims, "email", 150)
    bas = re.sub(r"[^\w.@+-]", "", onskat)[:140]
    if not bas:
        bas = "oidc-" + re.sub(r"[^\w-]", "", subjekt)[:40]
    namn, n = bas, 1
    while User.objects.filter(username__iexact=namn).exists():
        n += 1
        namn = f"{bas}-{n}"
    return namn


def _skapa_person(claims, subjekt):
    User = get_user_model()
    user = User(username=_ledigt_anvandarnamn(claims, subjekt), **_personuppgifter(claims))
    user.set_unusable_password()
    user._change_reason = ORSAK_SKAPAD
    user.save()
    return user


def _uppdatera_person(user, claims):
    """Name and e-mail address as the provider has them now; saved (with a history row)
    only when something changed. A claim the provider did not send changes nothing."""
    nya = {k: v for k, v in _personuppgifter(claims).items() if v}
    andrade = [k for k, v in nya.items() if getattr(user, k) != v]
    if andrade:
        for k in andrade:
            setattr(user, k, nya[k])
        user._change_reason = ORSAK_UPPGIFTER
        user.save(update_fields=andrade)


def synka_grupper(user, grupper_nu: set[str]):
    """Make the person's group-given assignments follow their groups: a mapped group
    gives its role for its unit (an ended assignment of the same role and unit is taken
    up again), a group they are no longer in ends what it gave, from yesterday, so access
    ends at once (an assignment holds through its last day). Assignments given in the
    product and still holding are never touched. Every change is in the history with
    the group as the reason."""
    idag = timezone.localdate()
    onskade = {}
    for mappning in Gruppmappning.objects.filter(grupp__in=grupper_nu, enhet__aktiv=True).order_by(
        "grupp", "pk"
    ):
        onskade.setdefault((mappning.roll, mappning.enhet_id), mappning.grupp)
    befintliga = {
        (u.roll, u.enhet_id): u for u in Uppdrag.objects.select_for_update().filter(anvandare=user)
    }
    for (roll, enhet_id), grupp in onskade.items():
        uppdrag = befintliga.get((roll, enhet_id))
        if uppdrag is None:
            uppdrag = Uppdrag(anvandare=user, roll=roll, enhet_id=enhet_id)
        elif not uppdrag.fran_grupp and (
            uppdrag.giltig_till is None or uppdrag.giltig_till >= idag
        ):
            continue  # given in the product and still holding (or to come): theirs
        elif uppdrag.fran_grupp == grupp and (
            uppdrag.giltig_till is None or uppdrag.giltig_till >= idag
        ):
            continue  # already given by this group
        uppdrag.fran_grupp = grupp
        uppdrag.giltig_fran = None
        uppdrag.giltig_till = None
        uppdrag._change_reason = orsak_fran_grupp(grupp)
        uppdrag.save()
    for nyckel, uppdrag in befintliga.items():
        haller = uppdrag.giltig_till is None or uppdrag.giltig_till >= idag
        if uppdrag.fran_grupp and haller and nyckel not in onskade:
            uppdrag.giltig_till = idag - timedelta(days=1)
            uppdrag._change_reason = orsak_inte_i_grupp(uppdrag.fran_grupp)
            uppdrag.save(update_fields=["giltig_till"])
    user.__dict__.pop("_kvalitet_uppdrag", None)


# --- The authentication backend ------------------------------------------------------------

INAKTIVT = gettext_lazy(
    "Ditt konto i Kvalitet är inaktiverat. Kontakta en administratör om du ska ha tillgång."
)
MISSLYCKADES = gettext_lazy("Inloggningen med kommunens konto misslyckades. Försök igen.")
GRUPPERNA_SAKNAS = gettext_lazy(
    "Kommunens inloggning skickade inte dina grupper (du är med i fler grupper än den "
    "skickar), så roller som grupper ger gäller inte nu. Kontakta en administratör."
)
LEVERANTOREN_SVARAR_INTE = gettext_lazy(
    "Kommunens inloggningstjänst svarar inte just nu. Försök igen om en stund."
)


def _avvisa(request, meddelande):
    """Note why the sign-in failed, for the login page (`SvarView.login_failure`)."""
    if request is not None:
        request.oidc_fel = meddelande


class Inloggning(oidc_auth.OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend, with the endpoints from the discovery document, the
    ID token's issuer and audience checked too, and the person matched on the issuer and
    the stable claim (`ExternIdentitet`)."""

    def __init__(self, *args, **kwargs):
        # Not the library's __init__: it reads fixed endpoints from the settings, and
        # Django builds the backend on every request of a signed-in person (`get_user`),
        # which must not reach for the network. The endpoints are properties below.
        self.UserModel = get_user_model()
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        self.refresh_token = ""

    @property
    def OIDC_RP_CLIENT_ID(self):  # noqa: N802 - the library's attribute name
        return settings.OIDC_RP_CLIENT_ID

    @property
    def OIDC_RP_CLIENT_SECRET(self):  # noqa: N802
        return settings.OIDC_RP_CLIENT_SECRET

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self):  # noqa: N802
        return upptackt()["token_endpoint"]

    @property
    def OIDC_OP_USER_ENDPOINT(self):  # noqa: N802
        return upptackt().get("userinfo_endpoint")

    @property
    def OIDC_OP_JWKS_ENDPOINT(self):  # noqa: N802
        return upptackt()["jwks_uri"]

    def authenticate(self, request, **kwargs):
        # Only the callback view passes a nonce: a local login's username and password,
        # with whatever query string, never start a token exchange here.
        if not pa() or request is None or "nonce" not in kwargs:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except LeverantorFel as exc:
            log.warning("OIDC-inloggning: %s", exc)
            _avvisa(request, LEVERANTOREN_SVARAR_INTE)
        except requests.RequestException as exc:
            # The exception's text may hold the token endpoint's answer: not logged.
            svar = getattr(exc, "response", None)
            log.warning(
                "OIDC-inloggning: leverantören svarade med fel (%s)",
                svar.status_code if svar is not None else type(exc).__name__,
            )
            _avvisa(request, MISSLYCKADES)
        except (SuspiciousOperation, jwt.PyJWTError) as exc:
            log.warning("OIDC-inloggning: ID-token underkänd: %s", type(exc).__name__)
            _avvisa(request, MISSLYCKADES)
        return None

    def _verify_jws(self, payload, key):
        """The library's check, plus the issuer and the audience (this client), which it
        leaves out."""
        claims = super()._verify_jws(payload, key)
        try:
            jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=upptackt()["issuer"],
            )
        except jwt.PyJWTError as exc:
            raise SuspiciousOperation(f"ID-token: {type(exc).__name__}") from exc
        return claims

    def get_token(self, payload):
        svar = super().get_token(payload)
        self.refresh_token = svar.get("refresh_token") or ""
        return svar

    def get_userinfo(self, access_token, id_token, payload):
        """The ID token's claims, completed by the userinfo endpoint's (which must be
        about the same subject)."""
        if not self.OIDC_OP_USER_ENDPOINT:
            return dict(payload)
        info = super().get_userinfo(access_token, id_token, payload)
        if not isinstance(info, dict) or info.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("userinfo gäller en annan person än ID-token")
        return {**payload, **info}

    def verify_claims(self, claims):
        subjekt = claims.get(settings.OIDC_ANVANDARCLAIM)
        return isinstance(subjekt, str | int) and str(subjekt).strip() != ""

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        if not self.verify_claims(claims):
            log.warning("OIDC-inloggning: claimet %s saknas", settings.OIDC_ANVANDARCLAIM)
            _avvisa(self.request, MISSLYCKADES)
            return None
        subjekt = str(claims[settings.OIDC_ANVANDARCLAIM]).strip()[:255]
        try:
            with transaction.atomic():
                identitet = (
                    ExternIdentitet.objects.select_for_update()
                    .select_related("user")
                    .filter(issuer=settings.OIDC_ISSUER, subjekt=subjekt)
                    .first()
                )
                if identitet is not None and not identitet.user.is_active:
                    _avvisa(self.request, INAKTIVT)
                    return None
                if identitet is None:
                    user = _skapa_person(claims, subjekt)
                    identitet = ExternIdentitet(
                        user=user, issuer=settings.OIDC_ISSUER, subjekt=subjekt
                    )
                else:
                    user = identitet.user
                    _uppdatera_person(user, claims)
                if self.refresh_token:
                    identitet.refresh_token = krypterad(self.refresh_token)
                identitet.senast_inloggad = timezone.now()
                identitet.save()
                if settings.OIDC_ROLLER_FRAN_GRUPPER:
                    # Groups the provider did not send give nothing: what groups gave
                    # ends, as if the person were in none (said below).
                    synka_grupper(user, grupper(claims))
        except IntegrityError:
            # The same person's first sign-in in two browsers at once: the other one
            # made the account (the unique identity); this one is undone and may retry.
            log.warning("OIDC-inloggning: samtidig inloggning av samma person")
            _avvisa(self.request, MISSLYCKADES)
            return None
        if settings.OIDC_ROLLER_FRAN_GRUPPER and for_manga_grupper(claims):
            log.warning(
                "OIDC-inloggning: inget gruppclaim för %s (för många grupper hos "
                "leverantören); roller från grupper gäller inte",
                user.username,
            )
            if self.request is not None:
                messages.warning(self.request, GRUPPERNA_SAKNAS)
        return user

    def get_user(self, user_id):
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None


# --- The views ---------------------------------------------------------------------------


class OidcPa:
    """The addresses exist only while sign-in with the provider is configured."""

    def dispatch(self, request, *args, **kwargs):
        if not pa():
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class LoggaInView(OidcPa, oidc_views.OIDCAuthenticationRequestView):
    """The login page's button: to the provider, with state, nonce and PKCE kept in the
    session, and the page to go on to (a page of this site only)."""

    def __init__(self, **kwargs):
        # The library reads the endpoint when the view is built: here it is read from
        # the discovery document when the request needs it.
        View.__init__(self, **kwargs)

    @property
    def OIDC_RP_CLIENT_ID(self):  # noqa: N802
        return settings.OIDC_RP_CLIENT_ID

    @property
    def OIDC_OP_AUTH_ENDPOINT(self):  # noqa: N802
        return upptackt()["authorization_endpoint"]

    def get(self, request):
        try:
            upptackt()
        except LeverantorFel as exc:
            log.warning("OIDC-inloggning: %s", exc)
            messages.error(request, LEVERANTOREN_SVARAR_INTE)
            return redirect("login")
        return super().get(request)


# The provider's error codes (RFC 6749 §4.1.2.1, OpenID Connect Core §3.1.2.6) with what
# the person is told; any other code gets the general message.
LEVERANTORENS_FEL = {
    "access_denied": gettext_lazy("Kommunens inloggningstjänst nekade inloggningen i Kvalitet."),
    "login_required": gettext_lazy("Du behöver logga in hos kommunens inloggningstjänst först."),
    "consent_required": gettext_lazy(
        "Du behöver godkänna inloggningen i Kvalitet hos kommunens inloggningstjänst."
    ),
    "temporarily_unavailable": LEVERANTOREN_SVARAR_INTE,
    "server_error": LEVERANTOREN_SVARAR_INTE,
}


class SvarView(OidcPa, oidc_views.OIDCAuthenticationCallbackView):
    """Where the provider sends the person back. Whatever goes wrong ends on the login
    page with a Swedish message, never a 500 or a loop back to the provider."""

    def get(self, request):
        fel = request.GET.get("error")
        if fel:
            log.info("OIDC-inloggning: leverantören svarade %s", re.sub(r"[^\w.-]", "", fel)[:64])
            _avvisa(request, LEVERANTORENS_FEL.get(fel, MISSLYCKADES))
        try:
            return super().get(request)
        except SuspiciousOperation:
            # A state this browser did not start (an old tab, a forged link).
            log.warning("OIDC-inloggning: okänt state i svaret")
            _avvisa(request, _("Inloggningen hade gått ut eller startades i en annan flik. "
                               "Försök igen."))  # fmt: skip
            return self.login_failure()

    def login_failure(self):
        messages.error(self.request, getattr(self.request, "oidc_fel", None) or MISSLYCKADES)
        return redirect("login")


class LoggaUtView(auth_views.LogoutView):
    """Django's logout; a session begun at the provider is also ended there
    (RP-initiated logout with the ID token as hint, back to the login page).

    The page's Content-Security-Policy allows forms to post to this site only
    (form-action 'self'), and browsers apply that to the redirects that follow a form
    too: the way on to the provider is a page that sends the browser there itself
    (a meta refresh, with a link for a browser that does not follow it)."""

    def post(self, request, *args, **kwargs):
        id_token = request.session.get("oidc_id_token") if ar_oidc_session(request) else None
        response = super().post(request, *args, **kwargs)
        if not id_token or not pa():
            return response
        try:
            slut = upptackt().get("end_session_endpoint")
        except LeverantorFel as exc:
            log.warning("OIDC-utloggning: %s", exc)
            slut = None
        if not slut:
            return response
        parametrar = {
            "id_token_hint": id_token,
            "client_id": settings.OIDC_RP_CLIENT_ID,
            "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
        }
        sep = "&" if "?" in slut else "?"
        adress = f"{slut}{sep}{urlencode(parametrar)}"
        return render(request, "registration/oidc_utloggning.html", {"adress": adress})


# --- Does the provider still know the person? -----------------------------------------------


def kontrollera(identitet) -> str:
    """Ask the provider for new tokens with the person's refresh token: "finns" (they
    exist; the new refresh token is kept), "borta" (invalid_grant: deleted or disabled
    at the provider; the account is deactivated, never deleted) or "okant" (no token, a
    network error, any other answer: nothing changes, it is logged)."""
    token = dekrypterad(identitet.refresh_token)
    if token is None:
        return "okant"
    try:
        svar = requests.post(
            upptackt()["token_endpoint"],
            data={
                "grant_type": "refresh_token",
                "refresh_token": token,
                "client_id": settings.OIDC_RP_CLIENT_ID,
                "client_secret": settings.OIDC_RP_CLIENT_SECRET,
            },
            timeout=settings.OIDC_TIMEOUT,
        )
    except (requests.RequestException, LeverantorFel) as exc:
        log.warning(
            "kontrollera_oidc: %s nåddes inte (%s)", settings.OIDC_ISSUER, type(exc).__name__
        )
        return "okant"
    try:
        data = svar.json()
    except ValueError:
        data = {}
    if not isinstance(data, dict):
        data = {}
    if svar.status_code == 200:
        identitet.senast_kontrollerad = timezone.now()
        if data.get("refresh_token"):
            identitet.refresh_token = krypterad(data["refresh_token"])
        identitet.save(update_fields=["refresh_token", "senast_kontrollerad"])
        return "finns"
    if svar.status_code in (400, 401) and data.get("error") == "invalid_grant":
        with transaction.atomic():
            identitet.user.inaktivera(orsak=ORSAK_BORTA)
            identitet.refresh_token = ""
            identitet.senast_kontrollerad = timezone.now()
            identitet.save(update_fields=["refresh_token", "senast_kontrollerad"])
        log.info("kontrollera_oidc: användare %s inaktiverad (invalid_grant)", identitet.user_id)
        return "borta"
    log.warning(
        "kontrollera_oidc: oväntat svar %s (%s) för användare %s",
        svar.status_code,
        str(data.get("error", ""))[:64],
        identitet.user_id,
    )
    return "okant"


def kontrollera_alla() -> dict[str, int]:
    """Check every active person who signed in through the configured provider and has
    a refresh token; counts per outcome."""
    antal = {"finns": 0, "borta": 0, "okant": 0}
    if not pa():
        return antal
    identiteter = (
        ExternIdentitet.objects.filter(issuer=settings.OIDC_ISSUER, user__is_active=True)
        .filter(~Q(refresh_token=""))
        .select_related("user")
        .order_by("pk")
    )
    for identitet in identiteter.iterator():
        antal[kontrollera(identitet)] += 1
    return antal
