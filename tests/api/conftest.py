"""Fixtures of the API tests: a personal key per persona, and a client that sends it."""

import json

import pytest
from django.test import Client

from api.models import ApiNyckel, Omfang
from tests.stod import scen  # noqa: F401  (the permission matrices' scenario)


class ApiKlient:
    """A test client that sends a key in the Authorization header (or none), and JSON."""

    def __init__(self, nyckel=None, schema="Bearer"):
        self.klient = Client()
        self.headers = {"Authorization": f"{schema} {nyckel}"} if nyckel else {}

    def get(self, url, data=None, **extra):
        return self.klient.get(url, data or {}, headers=self.headers, **extra)

    def post(self, url, data=None, **extra):
        kropp = data if isinstance(data, str | bytes) else json.dumps(data)
        extra.setdefault("content_type", "application/json")
        return self.klient.post(url, kropp, headers=self.headers, **extra)

    def request(self, metod, url, **extra):
        return getattr(self.klient, metod.lower())(url, headers=self.headers, **extra)


@pytest.fixture(autouse=True)
def _api_installningar(settings):
    # High enough that no test but the throttle test meets the limit.
    settings.API_ANROP_PER_MINUT = 10_000


@pytest.fixture
def nyckel_for(personas):
    """nyckel_for(persona, skriv=False) → the key itself (a new key each call)."""

    def skapa(persona, *, skriv=False, dagar=30):
        _rad, text = ApiNyckel.skapa(
            anvandare=personas[persona],
            namn=f"Test {persona}",
            omfang=Omfang.SKRIV if skriv else Omfang.LAS,
            dagar=dagar,
        )
        return text

    return skapa


@pytest.fixture
def api_for(nyckel_for):
    """api_for(persona, skriv=False) → an ApiKlient with a new key of the persona
    (None: no key at all)."""

    def skapa(persona, *, skriv=False):
        if persona is None:
            return ApiKlient()
        return ApiKlient(nyckel_for(persona, skriv=skriv))

    return skapa


def rader(svar):
    """A list's rows by case number, after checking it answered 200."""
    assert svar.status_code == 200, svar.content[:500]
    return {r["nummer"]: r for r in svar.json()["results"]}


def fel(response):
    """The error object of an API refusal, after checking its shape."""
    data = response.json()
    assert set(data) == {"error"}, data
    assert {"code", "message"} <= set(data["error"]), data
    return data["error"]
