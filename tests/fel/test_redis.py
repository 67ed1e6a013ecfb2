"""Redis (the broker) down while staff file avvikelser and citizens submit synpunkter
through the public e-service: every filing succeeds, and every e-mail is delivered once
Redis is back – none twice. A private redis-server on a free port is started, stopped
and started again on the same port; a real Celery worker (tests.tjanster.worker)
delivers. Needs the `redis-server` binary (skips on a laptop without it, fails in CI)."""

import shutil
from collections import Counter

import pytest
from django.test import Client

from kvalitet.models import Utskick
from kvalitet.tasks import leverera_vantande
from synpunkter.models import Synpunkt
from tests.hjalp import kraver, rapportera_avvikelse
from tests.tjanster import PrivatRedis, vanta_pa, worker

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def avvikelse(klient, org, i):
    return rapportera_avvikelse(
        klient, org, f"Avvikelse {i}: ett beslut skickades till fel adress."
    )


def synpunkt(i):
    """A citizen's klagomål through the public form, with an e-mail address: an
    acknowledgement to the citizen and a notice to the registrator."""
    text = f"Synpunkt {i}: ingen ringde tillbaka."
    response = Client().post(
        "/synpunkter/lamna/",
        {
            "typ": "klagomal",
            "beskrivning": text,
            "enhet": "vet_ej",
            "anonym": "False",
            "namn": f"Medborgare {i}",
            "epost": f"medborgare{i}@example.org",
            "telefon": "",
            "vill_ha_svar": "on",
            "hemsida": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:1000]
    assert response["Location"] == "/synpunkter/lamna/kvitto/"
    return Synpunkt.objects.get(beskrivning=text)


def nycklar(mailoutbox):
    return Counter((tuple(m.to), m.subject) for m in mailoutbox)


def test_redis_nere_och_tillbaka_varje_mejl_levereras_en_gang(
    org, personas, klient_for, mailoutbox, celery_app, settings, tmp_path
):
    kraver(shutil.which("redis-server") is not None, "redis-server saknas")
    settings.SYNPUNKT_GRANS_PER_TIMME = 100
    redis = PrivatRedis(tmp_path)
    medarbetare = klient_for("medarbetare")

    # 1. Redis up, a worker running: filings are delivered at once.
    redis.starta()
    try:
        celery_app(redis.url)
        with worker():
            forsta = [avvikelse(medarbetare, org, 0), synpunkt(0)]
            assert vanta_pa(lambda: len(mailoutbox) >= 3, 20), len(mailoutbox)

        # 2. Redis stopped: staff and citizens go on filing, interleaved. Every request
        # succeeds; the e-mail waits in the outbox (the broker cannot be reached).
        redis.stoppa()
        celery_app(redis.url)
        under = []
        for i in range(1, 4):
            under.append(avvikelse(medarbetare, org, i))
            under.append(synpunkt(i))
        assert len(mailoutbox) == 3
        vantande = Utskick.objects.filter(skickad__isnull=True)
        # Per avvikelse the enhetschef; per synpunkt the citizen and the registrator.
        assert vantande.count() == 3 + 3 * 2

        # 3. Redis back on the same port: the periodic task's run delivers them all.
        redis.starta()
        celery_app(redis.url)  # drop the connection state left by the failed publishes
        with worker():
            leverera_vantande.delay()
            assert vanta_pa(lambda: len(mailoutbox) >= 3 + 9, 30), len(mailoutbox)
            # Another run (beat fires every minute): nothing is sent again. The solo
            # worker takes tasks in order, so when the marker is out the run is done.
            leverera_vantande.delay()
            Utskick.objects.create(mottagare="kontroll@exempelkommun.se", amne="Kontroll", text="x")
            leverera_vantande.delay()
            assert vanta_pa(lambda: any(m.to == ["kontroll@exempelkommun.se"] for m in mailoutbox))
    finally:
        redis.stoppa()

    assert not Utskick.objects.filter(skickad__isnull=True).exists()
    assert set(Utskick.objects.values_list("forsok", flat=True)) == {1}
    raknade = nycklar(mailoutbox)
    assert max(raknade.values()) == 1, raknade  # none twice
    assert len(mailoutbox) == Utskick.objects.count() == 13
    for avv in [forsta[0], *under[0::2]]:
        assert [
            m
            for m in mailoutbox
            if avv.nummer in m.body and m.to == ["enhetschef@exempelkommun.se"]
        ], avv.nummer
    for i, syn in enumerate([forsta[1], *under[1::2]]):
        till_medborgaren = [m for m in mailoutbox if m.to == [f"medborgare{i}@example.org"]]
        assert len(till_medborgaren) == 1 and syn.referens in till_medborgaren[0].body
        assert [
            m
            for m in mailoutbox
            if m.to == ["registrator@exempelkommun.se"] and syn.nummer in m.body
        ]
