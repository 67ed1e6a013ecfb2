"""The API's description: the OpenAPI schema generated without a warning and valid by
the OpenAPI 3 specification, with the key, the error shape and the cursor; the page for
people lists every endpoint from it, in the product's layout, with nothing from a CDN."""

import json
import re

import pytest
from django.core.management import call_command
from django.test import Client
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(tmp_path):
    fil = tmp_path / "schema.json"
    # --fail-on-warn: a warning (an unresolved type, an enum name collision) fails.
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", "--file", fil
    )
    return json.loads(fil.read_text())


def test_schemat_ar_giltigt(schema):
    validate(schema)  # raises on anything the OpenAPI 3 specification does not allow
    assert schema["openapi"].startswith("3.")


def test_schemat_beskriver_nyckel_fel_och_sidor(schema):
    assert schema["components"]["securitySchemes"]["nyckel"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schema["components"]["securitySchemes"]["nyckel"]["description"],
    }
    lista = schema["paths"]["/api/v1/avvikelser/"]["get"]
    assert lista["security"] == [{"nyckel": []}]
    parametrar = {p["name"] for p in lista["parameters"]}
    assert {"cursor", "page_size", "status", "enhet", "fran", "till", "q"} <= parametrar
    svar = lista["responses"]
    assert set(svar) >= {"200", "400", "401", "403", "404", "429"}
    fel = svar["401"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert set(schema["components"]["schemas"][fel]["properties"]) == {"error"}
    sida = svar["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert {"next", "previous", "results"} <= set(
        schema["components"]["schemas"][sida]["properties"]
    )
    assert set(schema["paths"]["/api/v1/avvikelser/"]) == {"get", "post"}
    assert "post" not in schema["paths"]["/api/v1/lexsarah/"]


def test_schemat_och_dokumentationen_ar_publika():
    svar = Client().get("/api/v1/schema/")
    assert svar.status_code == 200
    assert svar.json()["paths"]
    assert Client().get("/api/v1/schema/?format=yaml").content.startswith(b"openapi: 3")


def test_dokumentationssidan_listar_varje_anrop(schema):
    svar = Client().get("/api/v1/dokumentation/")
    assert svar.status_code == 200
    html = svar.content.decode()
    for vag, metoder in schema["paths"].items():
        for metod in metoder:
            assert f"<code>{metod.upper()} {vag}</code>" in html, (metod, vag)
    assert "extern_id" in html and "Retry-After" in html and "Authorization: Bearer" in html
    # The product's own layout and static files; nothing loaded from elsewhere.
    assert '<link rel="stylesheet" href="/static/' in html
    assert not re.search(r'(src|href)="(https?:)?//', html)
