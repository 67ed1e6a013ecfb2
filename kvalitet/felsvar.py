"""The answers to errors that no view answered itself: Django's handler400, 403, 404
and 500 (set in kvalitet.urls) and the size limit's 413 (kvalitet.middleware).

Pages get the product's own pages, in Swedish. Under /api/ every such answer is in the
API's one error shape (docs/api.md) – a Host header not allowed, an exception in a
middleware or an error before DRF's own handler (api.fel.felsvar) never answers a
program with HTML. The shape and its fixed sentences live here so that the API's handler
and these answers cannot drift apart."""

from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views import defaults

API = "/api/"

OGILTIG_BEGARAN = _("Begäran kunde inte tas emot.")
INGEN_BEHORIGHET = _("Du har inte behörighet att göra detta.")
FINNS_INTE = _("Finns inte, eller så har du inte tillgång till det.")
OVANTAT_FEL = _("Ett oväntat fel inträffade. Försök igen senare.")


def ar_api(request) -> bool:
    """Whether the request is to the API (its path_info: below the path the application
    is served under, if any)."""
    return request.path_info.startswith(API)


def felkropp(kod: str, meddelande, falt: dict | None = None) -> dict:
    """{"error": {"code": ..., "message": ..., "fields": ...}}; `fields` only when given."""
    fel = {"code": kod, "message": str(meddelande)}
    if falt:
        fel["fields"] = falt
    return {"error": fel}


def jsonfel(kod: str, meddelande, status: int) -> JsonResponse:
    return JsonResponse(felkropp(kod, meddelande), status=status)


def fel400(request, exception):
    if ar_api(request):
        return jsonfel("bad_request", OGILTIG_BEGARAN, 400)
    return defaults.bad_request(request, exception)


def fel403(request, exception):
    if ar_api(request):
        return jsonfel("permission_denied", INGEN_BEHORIGHET, 403)
    return defaults.permission_denied(request, exception)


def fel404(request, exception):
    if ar_api(request):
        return jsonfel("not_found", FINNS_INTE, 404)
    return defaults.page_not_found(request, exception)


def fel500(request):
    if ar_api(request):
        return jsonfel("server_error", OVANTAT_FEL, 500)
    return defaults.server_error(request)
