"""Redis (the broker) down while staff file avvikelser and citizens submit synpunkter
through the public e-service: every filing succeeds, and once Redis is back every
citizen's submission is built into a synpunkt once and every e-mail is delivered once –
none twice. A private redis-server on a free port is started, stopped and started again
on the same port; a real Celery worker (tests.tjanster.worker) builds and delivers.
Needs the `redis-server` binary (skips on a laptop without it, fails in CI).

The e-service answers with the receipt as soon as the submission's row (`Inlamning`)
is saved; with a broker the view only wakes the worker (`synpunkter.tasks.vacka`), so
while Redis is down the rows wait, unbuilt, for the periodic run
(`synpunkter.tasks.bygg_inlamningar`)."""

import logging
import re
import shutil
from collections import Counter
from contextlib import contextmanager

import pytest
from django.conf import settings as django_settings
from django.test import Client

from kvalitet.models import Utskick
from kvalitet.tasks import leverera_vantande
from synpunkter import tasks as synpunkt_tasks
from synpunkter.models import Inlamning, Synpunkt
from synpunkter.tasks import bygg_inlamningar
from tests.hjalp import kraver, rapportera_avvikelse
from tests.tjanster import PrivatRedis, vanta_pa, worker

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

REFERENS = re.compile(r'<strong class="referens">([A-Z0-9]{4}-[A-Z0-9]{4})</strong>')
NYCKEL = re.compile(r'name="nyckel" value="([^"]+)"')
VACKNING_MISSLYCKADES = "Kunde inte väcka byggandet av inlämningar"


def avvikelse(klient, org, i):
    return rapportera_avvikelse(
        klient, org, f"Avvikelse {i}: ett beslut skickades till fel adress."
    )


def synpunkt(i):
    """A citizen's klagomål through the public form, with an e-mail address (an
    acknowledgement to the citizen and a notice to the registrator once it is built).
    The answer is the receipt itself; returns its reference number."""
    klient = Client()
    formular = klient.get("/synpunkter/lamna/")
    assert formular.status_code == 200
    response = klient.post(
        "/synpunkter/lamna/",
        {
            "nyckel": NYCKEL.search(formular.content.decode()).group(1),
            "typ": "klagomal",
            "beskrivning": f"Synpunkt {i}: ingen ringde tillbaka.",
            "enhet": "vet_ej",
            "anonym": "False",
            "namn": f"Medborgare {i}",
            "epost": f"medborgare{i}@example.org",
            "telefon": "",
            "vill_ha_svar": "on",
            "hemsida": "",
        },
    )
    text = response.content.decode()
    assert response.status_code == 200, text[:1000]
    assert "Tack! Vi har tagit emot det du skickade" in text
    assert "Vi skickar en bekräftelse till din e-post inom några minuter." in text
    assert "redan skickats" not in text
    referens = REFERENS.search(text).group(1)
    # What the receipt promises is saved before it is shown.
    assert Inlamning.objects.filter(referens=referens).exists()
    return referens


@contextmanager
def loggat(namn):
    """The records logged to `namn` meanwhile. A handler on the logger itself: the
    worker's start configures Django's logging again, which drops pytest's caplog
    handler from the root logger."""
    poster = []
    hanterare = logging.Handler(logging.WARNING)
    hanterare.emit = poster.append
    logger = logging.getLogger(namn)
    logger.addHandler(hanterare)
    try:
        yield poster
    finally:
        logger.removeHandler(hanterare)


def nycklar(mailoutbox):
    return Counter((tuple(m.to), m.subject) for m in mailoutbox)


def test_redis_nere_och_tillbaka_varje_mejl_levereras_en_gang(
    org, personas, klient_for, mailoutbox, celery_app, settings, tmp_path, monkeypatch
):
    kraver(shutil.which("redis-server") is not None, "redis-server saknas")
    settings.SYNPUNKT_GRANS_PER_TIMME = 100
    # Every submission tries to wake the worker (no per-process hold-back left over
    # from an earlier test or submission), so each one below meets the broker as it is.
    monkeypatch.setattr(synpunkt_tasks, "VACK_INTERVALL", 0)
    monkeypatch.setattr(synpunkt_tasks, "_senast_vackt", float("-inf"))
    # The broker's path: the view publishes a wake-up instead of building in the request.
    assert django_settings.CELERY_TASK_ALWAYS_EAGER is False
    redis = PrivatRedis(tmp_path)
    medarbetare = klient_for("medarbetare")

    # 1. Redis up, a worker running: the submission is built and everything delivered
    # at once.
    redis.starta()
    try:
        celery_app(redis.url)
        with worker():
            forsta = [avvikelse(medarbetare, org, 0), synpunkt(0)]
            # (The outbox is watched, not the database: SQLite's shared in-memory test
            # database refuses a read while the worker's thread writes.) The citizen's
            # acknowledgement is sent only once the synpunkt is built.
            assert vanta_pa(lambda: len(mailoutbox) >= 3, 20), len(mailoutbox)
        assert Synpunkt.objects.filter(referens=forsta[1]).exists()
        assert not Inlamning.objects.vantande().exists()

        # 2. Redis stopped: staff and citizens go on filing, interleaved. Every request
        # succeeds (the citizens get their receipt); each wake-up fails, so the
        # submissions wait unbuilt and the e-mail waits in the outbox.
        redis.stoppa()
        celery_app(redis.url)
        under = []
        with loggat("synpunkter.tasks") as poster:
            for i in range(1, 4):
                under.append(avvikelse(medarbetare, org, i))
                under.append(synpunkt(i))
        misslyckade = [p for p in poster if VACKNING_MISSLYCKADES in p.getMessage()]
        assert len(misslyckade) == 3, [p.getMessage() for p in poster]
        assert len(mailoutbox) == 3
        vantande = Inlamning.objects.vantande()
        assert sorted(vantande.values_list("referens", flat=True)) == sorted(under[1::2])
        assert not vantande.filter(synpunkt__isnull=False).exists()
        assert Synpunkt.objects.count() == 1
        assert not Synpunkt.objects.filter(referens__in=under[1::2]).exists()
        # Per avvikelse the enhetschef; the synpunkter's e-mail comes with their build.
        assert Utskick.objects.filter(skickad__isnull=True).count() == 3

        # 3. Redis back on the same port: the periodic tasks' runs build every waiting
        # submission and deliver everything.
        redis.starta()
        celery_app(redis.url)  # drop the connection state left by the failed publishes
        with worker():
            bygg_inlamningar.delay()
            leverera_vantande.delay()
            assert vanta_pa(lambda: len(mailoutbox) >= 3 + 9, 30), len(mailoutbox)
            # Another run of each (beat fires them again): nothing is built or sent
            # again. The solo worker takes tasks in order, so when the marker is out
            # the runs before it are done.
            bygg_inlamningar.delay()
            leverera_vantande.delay()
            Utskick.objects.create(mottagare="kontroll@exempelkommun.se", amne="Kontroll", text="x")
            leverera_vantande.delay()
            assert vanta_pa(lambda: any(m.to == ["kontroll@exempelkommun.se"] for m in mailoutbox))
    finally:
        redis.stoppa()

    # Every submission built exactly once, into the synpunkt under its receipt's number.
    referenser = [forsta[1], *under[1::2]]
    assert Synpunkt.objects.count() == 4
    assert sorted(Synpunkt.objects.values_list("referens", flat=True)) == sorted(referenser)
    assert Inlamning.objects.count() == 4
    for inlamning in Inlamning.objects.select_related("synpunkt"):
        assert inlamning.byggd is not None and inlamning.synpunkt is not None, inlamning
        assert inlamning.synpunkt.referens == inlamning.referens
        assert (inlamning.forsok, inlamning.senaste_fel) == (0, ""), inlamning

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
    for i, referens in enumerate(referenser):
        syn = Synpunkt.objects.get(referens=referens)
        assert syn.kontakt.epost == f"medborgare{i}@example.org"
        till_medborgaren = [m for m in mailoutbox if m.to == [f"medborgare{i}@example.org"]]
        assert len(till_medborgaren) == 1 and referens in till_medborgaren[0].body
        assert [
            m
            for m in mailoutbox
            if m.to == ["registrator@exempelkommun.se"] and syn.nummer in m.body
        ]
