"""What the OpenAPI schema says beyond what drf-spectacular reads from the views: the
key as the security scheme, and the one error shape (api.fel) of every refusal."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers


class NyckelSchema(OpenApiAuthenticationExtension):
    """`Authorization: Bearer <nyckel>` (api.auth.NyckelAuthentication)."""

    target_class = "api.auth.NyckelAuthentication"
    name = "nyckel"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "En personlig API-nyckel, skapad på /konto/api-nycklar/. "
            "Skickas som Authorization: Bearer <nyckel> (eller Token <nyckel>).",
        }


FEL = inline_serializer(
    "Fel",
    {
        "error": inline_serializer(
            "Feldetaljer",
            {
                "code": serializers.CharField(
                    help_text="Stabil kod på engelska: invalid, parse_error, "
                    "not_authenticated, authentication_failed, permission_denied, not_found, "
                    "method_not_allowed, not_acceptable, request_too_large, "
                    "unsupported_media_type, throttled, bad_request, server_error."
                ),
                "message": serializers.CharField(help_text="Meddelande på svenska."),
                "fields": serializers.DictField(
                    child=serializers.ListField(child=serializers.CharField()),
                    required=False,
                    help_text="Fel per fält (bara när uppgifter inte kunde tas emot).",
                ),
            },
        )
    },
)

FELSVAR = {
    400: OpenApiResponse(FEL, description="Ogiltiga uppgifter eller filter."),
    401: OpenApiResponse(FEL, description="Ingen, okänd, utgången eller återkallad nyckel."),
    403: OpenApiResponse(FEL, description="Nyckelns ägare får inte göra detta."),
    404: OpenApiResponse(FEL, description="Finns inte, eller syns inte för nyckelns ägare."),
    429: OpenApiResponse(FEL, description="För många anrop; se Retry-After."),
}
