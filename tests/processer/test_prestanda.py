"""The process map and a process's page cost as many queries with 30 processes, or 30
key figures with four years of values and 30 revisions, as with 3."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from processer.choices import Riktning
from processer.models import Process, Processhandelse
from tests.factories import UserFactory
from tests.processer.hjalp import nyckeltal, process

pytestmark = pytest.mark.django_db

AR = timezone.localdate().year
# Ceilings: what the pages cost today, with a little room; a page that starts asking per
# row fails the constancy check first.
MAX_LISTA = 10
MAX_DETALJ = 25
NUMMER = re.compile(r'href="/processer/(PROC-\d{4}-\d{4})/"')


def antal_fragor(klient, url):
    klient.get(url)  # warm caches (content types, templates) outside the measurement
    with CaptureQueriesContext(connection) as fragor:
        response = klient.get(url)
    assert response.status_code == 200
    return len(fragor)


def fyll_kartan(org, antal):
    """Processes of Ekonomiskt bistånd with an owner and a leader each, until `antal`."""
    while Process.objects.count() < antal:
        i = Process.objects.count()
        agare = UserFactory(username=f"agare{i}")
        process(org["EB"], namn=f"Process {i}", handlaggare=agare, processledare=agare)


@pytest.mark.parametrize("persona", ["enhetschef", "kvalitetssamordnare"])
def test_listan_kostar_lika_manga_fragor_med_3_och_30_processer(
    persona, org, klient_for, django_assert_num_queries, django_assert_max_num_queries
):
    klient = klient_for(persona)
    fyll_kartan(org, 3)
    med_3 = antal_fragor(klient, "/processer/")
    fyll_kartan(org, 30)
    with django_assert_num_queries(med_3):
        response = klient.get("/processer/")
    assert len(set(NUMMER.findall(response.content.decode()))) == 25  # a page
    with django_assert_max_num_queries(MAX_LISTA):
        klient.get("/processer/")


def fyll_processen(p, agare, antal):
    """Key figures with values for four years, revisions and steps on the timeline, until
    `antal` of each."""
    while p.nyckeltal.count() < antal:
        i = p.nyckeltal.count()
        nyckeltal(
            p,
            f"Nyckeltal {i}",
            matt="%" if i % 2 else "dagar",
            riktning=Riktning.HOGRE if i % 2 else Riktning.LAGRE,
            varden={AR - 3: (90, 80), AR - 2: (90, 91), AR - 1: (90, None), AR: (95, None)},
        )
    while p.handelser.count() < antal:
        p.registrera_handelse(
            av=agare,
            datum=timezone.localdate(),
            typ="reviderad",
            dokument=f"Rutin {p.handelser.count()}",
        )


@pytest.mark.parametrize("persona", ["medarbetare", "enhetschef", "forvaltningschef"])
def test_sidan_kostar_lika_manga_fragor_med_3_och_30_nyckeltal(
    persona, org, personas, klient_for, django_assert_num_queries, django_assert_max_num_queries
):
    p = process(
        org["EB"],
        handlaggare=personas["medarbetare"],
        processledare=personas["kvalitetssamordnare"],
    )
    klient = klient_for(persona)
    fyll_processen(p, personas["medarbetare"], 3)
    med_3 = antal_fragor(klient, p.get_absolute_url())
    fyll_processen(p, personas["medarbetare"], 30)
    with django_assert_num_queries(med_3):
        response = klient.get(p.get_absolute_url())
    html = response.content.decode()
    assert html.count("mål och utfall per år</caption>") == 30
    assert html.count("Rutin ") >= 30
    assert Processhandelse.objects.count() == 30
    with django_assert_max_num_queries(MAX_DETALJ):
        klient.get(p.get_absolute_url())
