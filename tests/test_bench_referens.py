"""The load test's bare reference view (bench/referens.py): reachable only with the
benchmark's URLconf, never in the product, and behind the same CSRF check as every
form; a POST inserts exactly one row and answers its id."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.urls import Resolver404, resolve

from tests.hjalp import kraver

pytestmark = pytest.mark.django_db

URL = "/bench/referens/"


def test_referensvyn_finns_inte_i_produkten():
    with pytest.raises(Resolver404):
        resolve(URL)
    assert Client().get(URL).status_code == 404
    assert Client().post(URL, {"text": "x"}).status_code in (403, 404)


@pytest.mark.postgres
def test_referensvyn_i_benchmarkens_urlconf_sparar_en_rad_per_post(settings):
    kraver(connection.vendor == "postgresql", "tabellen skapas med PostgreSQL-syntax")
    from bench.referens import TABELL_SQL

    settings.ROOT_URLCONF = "bench.referens"
    with connection.cursor() as c:
        c.execute(TABELL_SQL)
    klient = Client(enforce_csrf_checks=True)
    # The product's pages are there too, with the same middleware.
    assert klient.get("/synpunkter/lamna/").status_code == 200
    assert klient.post(URL, {"text": "utan token"}).status_code == 403

    sidan = klient.get(URL)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', sidan.content.decode())
    svar = klient.post(URL, {"csrfmiddlewaretoken": token.group(1), "text": "en rad"})
    assert svar.status_code == 200
    pk = int(re.search(r'<strong class="referens">([0-9]+)</strong>', svar.content.decode())[1])
    with connection.cursor() as c:
        c.execute("SELECT id, text FROM bench_referens")
        assert c.fetchall() == [(pk, "en rad")]
