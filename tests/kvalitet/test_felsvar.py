"""Errors that no view answers itself (kvalitet.felsvar): a Host header that is not
allowed, and an exception raised in a middleware – before any view, DRF's error handler
included, has run. Under /api/ they answer in the API's JSON error shape (docs/api.md),
never HTML and never the error's details; elsewhere with the product's Swedish pages."""

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.test import Client

from tests.api.conftest import fel
from tests.stod import ogonblick

pytestmark = pytest.mark.django_db

KASTAS = {
    "400": SuspiciousOperation("hemlig detalj 400"),
    "403": PermissionDenied("hemlig detalj 403"),
    "404": Http404("hemlig detalj 404"),
    "500": RuntimeError("hemlig detalj 500"),
}


class KastarMiddleware:
    """Raises the exception the request names in X-Kasta, before the view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if kod := request.headers.get("X-Kasta"):
            raise KASTAS[kod]
        return self.get_response(request)


@pytest.fixture
def kastande(settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.KastarMiddleware"]
    return Client(raise_request_exception=False)


def test_otillaten_host_under_api_ger_400_i_apits_form():
    svar = Client().get("/api/v1/avvikelser/", headers={"host": "angripare.example"})
    assert svar.status_code == 400
    assert svar["Content-Type"] == "application/json"
    assert fel(svar) == {"code": "bad_request", "message": "Begäran kunde inte tas emot."}
    assert "angripare" not in svar.content.decode()


def test_otillaten_host_pa_en_sida_ger_400_pa_svenska():
    svar = Client().get("/avvikelser/", headers={"host": "angripare.example"})
    assert svar.status_code == 400
    text = svar.content.decode()
    assert svar["Content-Type"].startswith("text/html")
    assert "<h1>Begäran kunde inte tas emot</h1>" in text
    assert "Bad Request" not in text and "angripare" not in text


@pytest.mark.parametrize(
    ("kod", "felkod", "meddelande"),
    [
        ("400", "bad_request", "Begäran kunde inte tas emot."),
        ("403", "permission_denied", "Du har inte behörighet att göra detta."),
        ("404", "not_found", "Finns inte, eller så har du inte tillgång till det."),
        ("500", "server_error", "Ett oväntat fel inträffade. Försök igen senare."),
    ],
)
def test_fel_i_en_middleware_under_api_ger_apits_form(kastande, kod, felkod, meddelande):
    for adress in ("/api/v1/avvikelser/", "/api/v1/finns-inte/", "/api/"):
        svar = kastande.get(adress, headers={"X-Kasta": kod})
        assert svar.status_code == int(kod), adress
        assert svar["Content-Type"] == "application/json", adress
        assert fel(svar) == {"code": felkod, "message": meddelande}, adress
        assert "hemlig" not in svar.content.decode()


@pytest.mark.parametrize(
    ("kod", "rubrik"),
    [
        ("400", "<h1>Begäran kunde inte tas emot</h1>"),
        ("403", "<h1>Ingen behörighet</h1>"),
        ("404", "<h1>Sidan finns inte</h1>"),
        ("500", "<h1>Något gick fel</h1>"),
    ],
)
def test_fel_i_en_middleware_pa_en_sida_ger_svensk_sida(kastande, kod, rubrik):
    # /apihjalp/ is no API address: only /api/ and below are.
    for adress in ("/", "/avvikelser/", "/apihjalp/"):
        svar = kastande.get(adress, headers={"X-Kasta": kod})
        assert svar.status_code == int(kod), adress
        assert svar["Content-Type"].startswith("text/html"), adress
        assert rubrik in svar.content.decode(), adress


# --- An action's address opened as a page (kvalitet.middleware.SidaFor405Middleware) ----


def test_ett_stegs_adress_oppnad_som_sida_ger_en_sida_med_vag_tillbaka(scen, klient_for):
    """A step's address stays in the address bar when its form comes back with errors;
    opened again it answers 405 (with Allow), with a Swedish page leading to the case
    – not an empty answer the browser shows as its own English error."""
    fore = ogonblick()
    svar = klient_for("enhetschef").get(f"/avvikelser/{scen.avv.nummer}/utredning/")
    assert svar.status_code == 405
    assert "POST" in svar["Allow"]
    html = svar.content.decode()
    assert "<h1>Adressen går inte att öppna</h1>" in html
    assert f'<a href="/avvikelser/{scen.avv.nummer}/">Till sidan formuläret hör till</a>' in html
    assert ogonblick() == fore


def test_en_atgards_adress_leder_till_startsidan(scen, klient_for):
    """/atgarder/<id>/ is no page: the way back is the start page. (The API answers its
    own 405 in its shape: tests/api/test_nycklar.py.)"""
    svar = klient_for("medarbetare").get(f"/atgarder/{scen.atgard.pk}/genomfor/")
    assert svar.status_code == 405
    assert '<a href="/">Till startsidan</a>' in svar.content.decode()
