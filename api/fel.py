"""One error shape for every refusal of the API (docs/api.md):

    {"error": {"code": "<stable English code>", "message": "<Swedish sentence>",
               "fields": {"<field>": ["<Swedish message>", ...]}}}

`code` is for programs and never changes with the wording; `message` is for people;
`fields` is there only when input was refused, field by field. An unexpected error is a
500 in the same shape, logged with its traceback, its details never sent. The shape is
kvalitet.felsvar's, which also answers in it what goes wrong under /api/ before DRF."""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response

from kvalitet.felsvar import FINNS_INTE, INGEN_BEHORIGHET, OVANTAT_FEL, felkropp, jsonfel

logger = logging.getLogger(__name__)


class ForStorBegaran(exceptions.APIException):
    """A body larger than the API takes (413)."""

    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"


# The codes, by exception class: stable, English, documented in the schema.
KODER = {
    ForStorBegaran: "request_too_large",
    exceptions.ValidationError: "invalid",
    exceptions.ParseError: "parse_error",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "throttled",
}


def _meddelande(exc) -> str:
    """The Swedish sentence for a refusal: the exception's own where our code gave one,
    else a fixed sentence per kind (DRF's defaults are English)."""
    if isinstance(exc, exceptions.ValidationError):
        return _("Uppgifterna kunde inte tas emot. Se felen per fält.")
    if isinstance(exc, exceptions.NotAuthenticated):
        return _("Ange en API-nyckel: Authorization: Bearer <nyckel>.")
    if isinstance(exc, exceptions.MethodNotAllowed):
        return _("Metoden %(metod)s används inte här.") % {"metod": exc.args[0] if exc.args else ""}
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return _("Skicka JSON, med Content-Type: application/json.")
    if isinstance(exc, exceptions.NotAcceptable):
        return _("Svaren ges bara som JSON (Accept: application/json).")
    if isinstance(exc, exceptions.ParseError):
        return _("Begäran kunde inte läsas som JSON.")
    if isinstance(exc, exceptions.Throttled):
        return _("För många anrop med den här nyckeln. Försök igen om %(s)d sekunder.") % {
            "s": exc.wait or 1
        }
    detalj = exc.detail if isinstance(exc.detail, str) else ""
    if isinstance(exc, exceptions.NotFound):
        return (
            detalj if detalj and detalj != exceptions.NotFound.default_detail else str(FINNS_INTE)
        )
    if isinstance(exc, exceptions.PermissionDenied) and (
        not detalj or detalj == exceptions.PermissionDenied.default_detail
    ):
        return str(INGEN_BEHORIGHET)
    return str(detalj)


def _falt(detail) -> dict[str, list[str]]:
    """A ValidationError's details as {field: [messages]}; errors that belong to no
    field (DRF's non_field_errors, a form's __all__) under "non_field_errors"."""
    if isinstance(detail, list):
        return {"non_field_errors": [str(m) for m in detail]}
    falt = {}
    for namn, fel in detail.items():
        nyckel = "non_field_errors" if namn in ("__all__", "non_field_errors") else namn
        if isinstance(fel, dict):  # a nested object's fields, flattened with a dot
            for under, meddelanden in _falt(fel).items():
                falt[f"{nyckel}.{under}"] = meddelanden
        else:
            lista = fel if isinstance(fel, list) else [fel]
            falt.setdefault(nyckel, []).extend(str(m) for m in lista)
    return falt


def felsvar(exc, context):
    """DRF's EXCEPTION_HANDLER: every refusal in the one shape, in Swedish."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    if not isinstance(exc, exceptions.APIException):
        logger.exception("Oväntat fel i API:t", exc_info=exc)
        return Response(
            felkropp("server_error", OVANTAT_FEL), status=status.HTTP_500_INTERNAL_SERVER_ERROR
        )
    kod = next((k for cls, k in KODER.items() if type(exc) is cls), None)
    if kod is None:
        kod = next((k for cls, k in KODER.items() if isinstance(exc, cls)), "error")
    falt = _falt(exc.detail) if isinstance(exc, exceptions.ValidationError) else None
    headers = {}
    if auth := getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = auth
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        headers["Retry-After"] = str(int(exc.wait))
    return Response(felkropp(kod, _meddelande(exc), falt), status=exc.status_code, headers=headers)


def ingen_sadan_adress(request, *args, **kwargs):
    """Any address under /api/ that is no endpoint: 404 in the API's shape, never the
    HTML page."""
    return jsonfel(
        "not_found",
        _("Adressen finns inte i API:t. Se %(dok)s.") % {"dok": reverse("api:dokumentation")},
        404,
    )
