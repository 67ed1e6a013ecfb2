"""The API's description: the OpenAPI schema (for programs) and a page for people, both
generated from the views, so neither can drift from what the API does.

Both are public, without a key or a login: they describe the API and hold no data (no
case, no unit, no person), and whoever builds an integration needs them before they have
a key. The page is the product's own layout, rendered on the server from the schema – no
JavaScript renderer, nothing from a CDN."""

import json

from django.conf import settings
from django.urls import get_script_prefix
from django.views.generic import TemplateView
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiYamlRenderer
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny

METODER = ("get", "post", "put", "patch", "delete")


class SchemaView(SpectacularAPIView):
    """`/api/v1/schema/`: OpenAPI 3 as JSON (`?format=yaml` for YAML)."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []
    renderer_classes = [OpenApiJsonRenderer, OpenApiYamlRenderer]


def _los(schema, komponenter, djup=0):
    """A schema with its $ref resolved (a few levels: enough for the page)."""
    if djup > 4 or not isinstance(schema, dict):
        return schema or {}
    if "$ref" in schema:
        namn = schema["$ref"].rsplit("/", 1)[-1]
        return _los(komponenter.get(namn, {}), komponenter, djup + 1)
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return _los(schema["allOf"][0], komponenter, djup + 1)
    return schema


def _typ(schema, komponenter) -> str:
    schema = _los(schema, komponenter)
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"] if v not in ("", None))
    if "oneOf" in schema:
        return " | ".join(_typ(d, komponenter) for d in schema["oneOf"])
    typ = schema.get("type", "object")
    if typ == "array":
        return f"lista av {_typ(schema.get('items', {}), komponenter)}"
    if schema.get("format"):
        typ = f"{typ} ({schema['format']})"
    if schema.get("nullable"):
        typ += ", kan vara null"
    return typ


def _falt(schema, komponenter):
    """[{"namn", "typ", "kravs", "beskrivning"}] of an object schema's properties."""
    schema = _los(schema, komponenter)
    if schema.get("type") == "array":
        schema = _los(schema.get("items", {}), komponenter)
    kravs = set(schema.get("required", []))
    return [
        {
            "namn": namn,
            "typ": _typ(egenskap, komponenter),
            "kravs": namn in kravs,
            "beskrivning": _los(egenskap, komponenter).get("description", "")
            or egenskap.get("description", ""),
        }
        for namn, egenskap in schema.get("properties", {}).items()
    ]


def anrop(schema) -> list[dict]:
    """The schema's operations as the page lists them, in the schema's order."""
    komponenter = schema.get("components", {}).get("schemas", {})
    rader = []
    for vag, metoder in schema.get("paths", {}).items():
        for metod in METODER:
            op = metoder.get(metod)
            if op is None:
                continue
            kropp = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            svar = []
            for kod, innehall in op.get("responses", {}).items():
                json_ = innehall.get("content", {}).get("application/json", {})
                svar.append(
                    {
                        "kod": kod,
                        "beskrivning": innehall.get("description", ""),
                        "falt": _falt(json_.get("schema", {}), komponenter)
                        if kod.startswith("2")
                        else [],
                    }
                )
            rader.append(
                {
                    "id": op.get("operationId", f"{metod}-{vag}"),
                    "metod": metod.upper(),
                    "vag": vag,
                    "sammanfattning": op.get("summary", ""),
                    "beskrivning": op.get("description", ""),
                    "parametrar": [
                        {
                            "namn": p["name"],
                            "var": p["in"],
                            "kravs": p.get("required", False),
                            "typ": _typ(p.get("schema", {}), komponenter),
                            "beskrivning": p.get("description", ""),
                        }
                        for p in op.get("parameters", [])
                    ],
                    "kropp": _falt(kropp.get("schema", {}), komponenter),
                    "svar": svar,
                    "skrivning": metod != "get",
                }
            )
    return rader


class DokumentationView(TemplateView):
    """`/api/v1/dokumentation/`: how to get a key, the errors, the paging, the limits,
    examples, and every endpoint with its parameters and fields, from the schema."""

    template_name = "api/dokumentation.html"

    def get_context_data(self, **kwargs):
        schema = SchemaGenerator().get_schema(request=None, public=True)
        # Through JSON once: lazy translations and other objects become plain text.
        schema = json.loads(json.dumps(schema, default=str))
        return super().get_context_data(
            anrop=anrop(schema),
            titel=schema["info"]["title"],
            bas=f"{settings.SITE_URL}{get_script_prefix()}api/v1",
            per_minut=settings.API_ANROP_PER_MINUT,
            max_dagar=settings.API_NYCKEL_MAX_DAGAR,
            **kwargs,
        )
