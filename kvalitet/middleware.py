"""Request and response handling not covered by Django's own middleware."""

from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.contrib.auth import user_logged_out
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.template.loader import render_to_string
from django.urls import Resolver404, get_script_prefix, resolve
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from kvalitet.felsvar import ar_api, jsonfel

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)


def for_stor(request):
    """413 with a short Swedish page; built without the request's session or user (the
    middleware that would load them has not run). Under /api/ in the API's JSON error
    shape (docs/api.md), never a page."""
    if ar_api(request):
        return jsonfel("request_too_large", _("Begäran är för stor."), 413)
    response = HttpResponse(
        render_to_string("413.html", {"mb": settings.BILAGA_MAX_MB}),
        status=413,
        content_type="text/html; charset=utf-8",
    )
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response


class RequestSizeLimitMiddleware:
    """First in MIDDLEWARE: a body larger than REQUEST_MAX_BYTES is refused with 413
    before anything reads it (Django reads no more than Content-Length, and nothing of a
    body without one); the honeypot, the rate limits, CSRF and the views never see it.

    Within that limit, a multipart body is parsed here, first (CsrfViewMiddleware would
    parse it next anyway): a file larger than an attachment may be stops the parse
    (kvalitet.uploads.SizeLimitUploadHandler) and the request gets the same 413."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            langd = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            langd = 0
        if langd > settings.REQUEST_MAX_BYTES:
            return for_stor(request)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method == "POST" and request.content_type == "multipart/form-data":
            request.FILES  # noqa: B018 - parse now, before CSRF and the view
            if getattr(request, "upload_too_large", False):
                return for_stor(request)
        return None


class SecurityHeadersMiddleware:
    """A strict Content-Security-Policy (no inline scripts), and no caching of pages
    that show confidential records."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            response.headers.setdefault("Cache-Control", "private, no-store")
        return response


# --- A session that ended -----------------------------------------------------------------

# Set while a user is logged in, removed at logout: a visitor of the login page who has
# it and is no longer logged in did not log out – the session expired (or was ended on
# the server). It holds nothing (no user, no time), no script reads it (HttpOnly), and
# it lasts as long as the browser is open.
INLOGGAD_MARKOR = "kvalitet_inloggad"


@receiver(user_logged_out)
def _utloggad(sender, request, **kwargs):
    if request is not None:
        request.kvalitet_utloggad = True


def sessionen_gick_ut(request) -> bool:
    """Whether this browser was logged in and is no longer, without having logged out."""
    user = getattr(request, "user", None)
    inloggad = user is not None and user.is_authenticated
    return not inloggad and request.COOKIES.get(INLOGGAD_MARKOR) == "1"


def svarar_pa_get(sokvag: str) -> bool:
    """Whether the page at `sokvag` (a request's path_info: without the path the
    application is served under) is one to open (answers GET), not a POST-only address
    of an action."""
    try:
        match = resolve(sokvag)
    except Resolver404:
        return False
    vy = getattr(match.func, "view_class", None)
    if vy is None:
        return True
    metoder = match.func.view_initkwargs.get("http_method_names", vy.http_method_names)
    return "get" in metoder and hasattr(vy, "get")


def sidan_anvandaren_var_pa(request, adress):
    """The path of `adress` (a Referer, an HX-Current-URL) if it is a page of this
    application to open, else None. Under a path (FORCE_SCRIPT_NAME) only addresses
    below it are this application's."""
    if not adress or not url_has_allowed_host_and_scheme(
        adress, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    delar = urlsplit(adress)
    prefix = get_script_prefix()
    if not delar.path.startswith(prefix):
        return None
    sokvag = delar.path + (f"?{delar.query}" if delar.query else "")
    return sokvag if svarar_pa_get("/" + delar.path[len(prefix) :]) else None


class InloggningMiddleware:
    """After AuthenticationMiddleware and HtmxMiddleware: where a request that needs a
    login is sent, and the marker of a logged-in browser (`INLOGGAD_MARKOR`).

    Django's redirect to the login page names the address requested as the next page.
    For a form sent after the session expired that is the address the form posts to
    – for a comment, an action or a step, one that takes POST only (405 to the GET after
    the login) – so the next page becomes the page the form was on (the Referer, if it
    is a page of this site to open); the browser fills in what was typed there
    (static/js/utkast.js). An htmx request follows a redirect itself and would swap
    the login page into the part of the page it updates: it is told (HX-Redirect) to
    load the login page instead, with the page the user is on as the next page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response = self.till_inloggningen(request, response)
        user = getattr(request, "user", None)
        if getattr(request, "kvalitet_utloggad", False):
            response.delete_cookie(
                INLOGGAD_MARKOR, path=settings.SESSION_COOKIE_PATH, samesite="Lax"
            )
        elif (
            user is not None
            and user.is_authenticated
            and request.COOKIES.get(INLOGGAD_MARKOR) != "1"
        ):
            response.set_cookie(
                INLOGGAD_MARKOR,
                "1",
                path=settings.SESSION_COOKIE_PATH,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def till_inloggningen(self, request, response):
        if response.status_code != 302:
            return response
        inloggning = resolve_url(settings.LOGIN_URL)
        plats = urlsplit(response.get("Location", ""))
        if plats.path != inloggning or plats.netloc or "next" not in parse_qs(plats.query):
            return response
        htmx = getattr(request, "htmx", None)
        sida = None
        if htmx:
            sida = sidan_anvandaren_var_pa(request, request.headers.get("HX-Current-URL"))
        if sida is None and request.method not in ("GET", "HEAD"):
            sida = sidan_anvandaren_var_pa(request, request.headers.get("Referer"))
        if sida is None and not htmx:
            return response
        url = redirect_to_login(sida or request.get_full_path(), inloggning)["Location"]
        return HttpResponseClientRedirect(url) if htmx else HttpResponseRedirect(url)


class SidaFor405Middleware:
    """A page, not an empty answer, when an address that takes only POST is opened.

    The address a step's form posts to stays in the address bar when the form comes back
    with its errors; opened again later (a reload, a bookmark, a shared link) it used to
    answer an empty 405, which the browser shows as its own English error. It still
    answers 405 (with Allow): a page in the product's look saying that the address is an
    action's, with the way to the page it belongs to (one level up, when that is a page
    to open) or the start page. The API answers its own 405 in its shape."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code != 405
            or request.method not in ("GET", "HEAD")
            or response.content
            or ar_api(request)
        ):
            return response
        upp = request.path_info.rstrip("/").rsplit("/", 1)[0] + "/"
        sida = f"{get_script_prefix().rstrip('/')}{upp}" if svarar_pa_get(upp) else None
        svar = HttpResponse(
            render_to_string("405.html", {"sida": sida}, request=request), status=405
        )
        if response.has_header("Allow"):
            svar["Allow"] = response["Allow"]
        return svar
