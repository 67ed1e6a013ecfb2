"""PostgreSQL restarted under load. The app runs as in production (gunicorn, DEBUG off,
persistent connections with CONN_HEALTH_CHECKS) against a private PostgreSQL cluster
(initdb on a free port, tests.tjanster.PrivatPostgres) holding a copy of this test's
database; threads file avvikelser through the real form while the cluster is restarted
(`pg_ctl restart -m fast`: every connection cut, transactions in flight rolled back).

- requests in flight fail cleanly: the 500 page, no traceback, none longer than the
  client's timeout;
- the app recovers by itself: every request started after the restart succeeds;
- nothing committed is lost: every request answered with a redirect to a case page has
  its row afterwards."""

import re
import secrets
import subprocess
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx
import psycopg
import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.utils import timezone

from kvalitet.models import User
from tests.hjalp import kraver
from tests.tjanster import (
    PG_BIN,
    PROJEKT,
    PrivatPostgres,
    ledig_port,
    produktionsmiljo,
    stoppa,
    vanta_pa,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

LOSENORD = "Felprov-" + secrets.token_urlsafe(12)
TIDSGRANS = 15.0  # the client's timeout: no request may hang longer
TRADAR = 4
ARENDE = re.compile(r"^/avvikelser/(AVV-\d{4}-\d{4,})/$")


@dataclass
class Svar:
    text: str
    start: float
    slut: float
    status: int | None = None
    plats: str = ""
    kropp: str = ""
    fel: str = ""


def kopiera_testdatabasen(till):
    """This test's database (migrated, with the organisation and personas) into the
    private cluster, by pg_dump | pg_restore."""
    s = connection.settings_dict
    dump = subprocess.run(  # noqa: S603 - PostgreSQL's pg_dump, fixed arguments
        [str(PG_BIN / "pg_dump"), "-Fc", "-h", s["HOST"] or "127.0.0.1"]
        + ["-p", str(s["PORT"] or 5432), "-U", s["USER"] or "postgres", s["NAME"]],
        capture_output=True,
        check=True,
        timeout=120,
    ).stdout
    with psycopg.connect(till.url(), autocommit=True) as c:
        c.execute("CREATE DATABASE kvalitet")
    subprocess.run(  # noqa: S603 - PostgreSQL's pg_restore, fixed arguments
        [str(PG_BIN / "pg_restore"), "--no-owner", "-d", till.url("kvalitet")],
        input=dump,
        capture_output=True,
        check=True,
        timeout=120,
    )


def logga_in(bas, anvandare):
    klient = httpx.Client(base_url=bas, timeout=TIDSGRANS, follow_redirects=False)
    klient.get("/konto/logga-in/")
    svar = klient.post(
        "/konto/logga-in/",
        data={
            "username": anvandare,
            "password": LOSENORD,
            "csrfmiddlewaretoken": klient.cookies["csrftoken"],
        },
    )
    assert svar.status_code == 302, svar.text[:2000]
    return klient


def arkivera(klient, enhet, text) -> Svar:
    svar = Svar(text=text, start=time.monotonic(), slut=0)
    try:
        r = klient.post(
            "/avvikelser/ny/",
            data={
                "typ": "avvikelse",
                "enhet": enhet,
                "handelsedatum": (timezone.localdate() - timedelta(days=1)).isoformat(),
                "beror_enskild": "False",
                "beskrivning": text,
                "csrfmiddlewaretoken": klient.cookies["csrftoken"],
            },
        )
        svar.status, svar.plats, svar.kropp = r.status_code, r.headers.get("location", ""), r.text
    except httpx.HTTPError as exc:
        svar.fel = repr(exc)
    svar.slut = time.monotonic()
    return svar


def test_postgresql_startas_om_under_last(org, personas, tmp_path):
    kraver(connection.vendor == "postgresql", "testet kopierar testdatabasen: PostgreSQL")
    kraver(PrivatPostgres.finns(), f"PostgreSQL-programmen saknas i {PG_BIN}")
    medarbetare = personas["medarbetare"]
    User.objects.filter(pk=medarbetare.pk).update(
        password=PBKDF2PasswordHasher().encode(LOSENORD, "felprovsalt", iterations=1000)
    )
    enhet = org["EB"].pk

    pg = PrivatPostgres()
    app = None
    try:
        pg.starta()
        kopiera_testdatabasen(pg)
        port = ledig_port()
        bas = f"http://127.0.0.1:{port}"
        logg = open(tmp_path / "gunicorn.log", "w")  # noqa: SIM115 - closed below
        app = subprocess.Popen(  # noqa: S603 - the virtualenv's gunicorn, fixed arguments
            [str(Path(PROJEKT) / ".venv/bin/gunicorn"), "kvalitet.wsgi:application"]
            + ["-b", f"127.0.0.1:{port}", "-w", "2", "--threads", "4", "--timeout", "30"]
            + ["--graceful-timeout", "5"],
            cwd=PROJEKT,
            env=produktionsmiljo(
                DJANGO_SETTINGS_MODULE="tests.fel.installningar",
                DATABASE_URL=pg.url("kvalitet"),
                DEBUG="false",
                SECRET_KEY=secrets.token_urlsafe(50),
                ALLOWED_HOSTS="127.0.0.1",
                SECURE_SSL_REDIRECT="false",
                SESSION_COOKIE_SECURE="false",
                CSRF_COOKIE_SECURE="false",
                MEDIA_ROOT=str(tmp_path / "media"),
                EMAIL_URL="dummymail://",
                CELERY_BROKER_URL="",
            ),
            stdout=logg,
            stderr=subprocess.STDOUT,
        )

        def svarar():
            try:
                return httpx.get(f"{bas}/konto/logga-in/", timeout=2).status_code == 200
            except httpx.HTTPError:
                return False

        assert vanta_pa(svarar, 30), (tmp_path / "gunicorn.log").read_text()[-3000:]
        inloggad = logga_in(bas, medarbetare.username)

        svar: list[Svar] = []
        stopp = threading.Event()

        def last(nr):
            with httpx.Client(base_url=bas, timeout=TIDSGRANS, cookies=inloggad.cookies) as k:
                i = 0
                while not stopp.is_set():
                    svar.append(arkivera(k, enhet, f"Lastprov tråd {nr} nr {i}"))
                    i += 1

        tradar = [threading.Thread(target=last, args=(n,)) for n in range(TRADAR)]
        for t in tradar:
            t.start()
        time.sleep(1.5)
        omstart_borjar = time.monotonic()
        pg.starta_om()
        omstart_klar = time.monotonic()
        time.sleep(3)
        stopp.set()
        for t in tradar:
            t.join(TIDSGRANS + 5)
        # Afterwards, one at a time: the app is itself again without anyone's help.
        efterat = [arkivera(inloggad, enhet, f"Efter omstarten nr {i}") for i in range(5)]

        # A restart while the app is idle: every server thread holds a persistent
        # connection that the restart broke. CONN_HEALTH_CHECKS replaces it before the
        # next request uses it, so not even the first request after the restart fails.
        def samtidigt(etikett, antal=8):
            resultat = [None] * antal

            def en(i):
                with httpx.Client(base_url=bas, timeout=TIDSGRANS, cookies=inloggad.cookies) as k:
                    resultat[i] = arkivera(k, enhet, f"{etikett} nr {i}")

            t = [threading.Thread(target=en, args=(i,)) for i in range(antal)]
            for x in t:
                x.start()
            for x in t:
                x.join(TIDSGRANS + 5)
            return resultat

        for varv in range(3):
            assert all(s.status == 302 for s in samtidigt(f"Uppvärmning {varv}"))
        pg.starta_om()
        vilande = samtidigt("Efter en omstart i vila", 16)
        inloggad.close()
    finally:
        if app is not None:
            stoppa(app)
        databas = {}
        try:
            with psycopg.connect(pg.url("kvalitet")) as c:
                databas = dict(c.execute("SELECT nummer, beskrivning FROM avvikelser_avvikelse"))
        finally:
            pg.stoppa()

    assert [s.status for s in vilande] == [302] * len(vilande), [(s.status, s.fel) for s in vilande]
    alla = svar + efterat + vilande
    under = [s for s in svar if s.start < omstart_klar and s.slut > omstart_borjar]
    assert under, "ingen begäran pågick medan PostgreSQL startades om"
    lyckade = [s for s in alla if s.status == 302]
    misslyckade = [s for s in alla if s.status != 302]
    print(
        f"{len(alla)} begäranden, {len(lyckade)} lyckade, {len(misslyckade)} misslyckade "
        f"(statusar {sorted({s.status for s in misslyckade}, key=str)}), {len(under)} pågick "
        f"under omstarten ({omstart_klar - omstart_borjar:.2f} s), längsta "
        f"{max(s.slut - s.start for s in alla):.2f} s"
    )
    # Failures are clean: the 500 page, never a traceback, a hang or a dropped connection.
    for s in misslyckade:
        assert s.fel == "", s.fel
        assert s.status == 500, (s.status, s.kropp[:500])
        assert "Något gick fel" in s.kropp and "Traceback" not in s.kropp
    assert max(s.slut - s.start for s in alla) < TIDSGRANS
    # Recovered without a hand: everything started after the restart succeeded.
    efter_omstart = [s for s in alla if s.start > omstart_klar]
    assert len(efter_omstart) >= len(efterat)
    assert all(s.status == 302 for s in efter_omstart), [
        (s.status, s.fel) for s in efter_omstart if s.status != 302
    ]
    # Nothing committed is lost: each redirect to a case page has its row.
    for s in lyckade:
        nummer = ARENDE.match(s.plats)
        assert nummer, s.plats
        assert databas.get(nummer.group(1)) == s.text, (s.plats, s.text)
    # And nothing was saved that the user was not told about twice over.
    assert len(databas) >= len(lyckade)
