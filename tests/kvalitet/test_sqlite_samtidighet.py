"""The zero-setup default – SQLite in a file, served by `make run`'s threaded runserver –
under concurrent writers: twenty citizens who submit at the same moment are all
received, none gets a server error ("database is locked").

Every transaction begins IMMEDIATE (it takes SQLite's write lock at once, waiting up to
the timeout for it) instead of reading first and asking for the lock later, which SQLite
refuses at once when another connection writes; WAL lets readers go on meanwhile.

The suite's own database is in memory, so this test builds the file-based case itself:
a fresh database file, migrated and seeded with the demo organisation, and a real server
process on it, reached over HTTP by twenty threads released together."""

import re
import sqlite3
import subprocess
import sys
import threading

import httpx
import pytest

from tests.tjanster import PROJEKT, kor_manage, ledig_port, produktionsmiljo, stoppa, vanta_pa

SAMTIDIGA = 20
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NYCKEL = re.compile(r'name="nyckel" value="([^"]+)"')
REFERENS = re.compile(r'<strong class="referens">([A-Z0-9]{4}-[A-Z0-9]{4})</strong>')


@pytest.fixture
def server(tmp_path):
    """runserver (threaded, as `make run`) on a new SQLite file; its base URL and file."""
    databas = tmp_path / "db.sqlite3"
    miljo = {
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{databas}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        # Every submitter comes from 127.0.0.1; the limit's own writes still take part.
        "SYNPUNKT_GRANS_PER_TIMME": "1000",
    }
    for kommando in (["migrate", "--noinput", "-v", "0"], ["seed_demo", "--utan-arenden"]):
        resultat = kor_manage(*kommando, **miljo)
        assert resultat.returncode == 0, resultat.stdout + resultat.stderr
    port = ledig_port()
    logg = tmp_path / "server.log"
    with logg.open("w") as ut:
        process = subprocess.Popen(  # noqa: S603 - our own manage.py with fixed arguments
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=PROJEKT,
            env=produktionsmiljo(**miljo),
            stdout=ut,
            stderr=subprocess.STDOUT,
        )
    bas = f"http://127.0.0.1:{port}"

    def svarar():
        try:
            return httpx.get(f"{bas}/synpunkter/lamna/", timeout=1).status_code == 200
        except httpx.TransportError:
            return False

    try:
        assert vanta_pa(svarar, 30), logg.read_text()[-3000:]
        yield bas, databas, logg
    finally:
        stoppa(process)


def test_tjugo_samtidiga_inlamningar_tas_alla_emot(server):
    bas, databas, logg = server
    start = threading.Barrier(SAMTIDIGA, timeout=30)
    svar = {}

    def medborgare(nr):
        try:
            with httpx.Client(base_url=bas, timeout=60) as klient:
                formular = klient.get("/synpunkter/lamna/")
                token = TOKEN.search(formular.text).group(1)
                data = {
                    "csrfmiddlewaretoken": token,
                    "nyckel": NYCKEL.search(formular.text).group(1),
                    "typ": "klagomal",
                    "beskrivning": f"Inlämning nummer {nr}: ingen har svarat på min ansökan.",
                    "enhet": "vet_ej",
                    "anonym": "False",
                    "namn": f"Medborgare {nr}",
                    "epost": f"medborgare{nr}@example.org",
                    "telefon": "",
                    "vill_ha_svar": "on",
                    "hemsida": "",
                }
                start.wait()
                response = klient.post("/synpunkter/lamna/", data=data)
                # The answer is the receipt itself, with the submission's reference.
                referens = REFERENS.search(response.text)
                svar[nr] = (response.status_code, referens and referens.group(1))
        except Exception as exc:  # noqa: BLE001 - reported below
            svar[nr] = exc

    tradar = [threading.Thread(target=medborgare, args=(nr,)) for nr in range(SAMTIDIGA)]
    for t in tradar:
        t.start()
    for t in tradar:
        t.join(120)

    fel = {nr: s for nr, s in svar.items() if not (isinstance(s, tuple) and s[0] == 200 and s[1])}
    serverlogg = logg.read_text()
    assert len(svar) == SAMTIDIGA and not fel, f"{fel}\n{serverlogg[-3000:]}"
    assert "database is locked" not in serverlogg
    kvitton = {referens for _, referens in svar.values()}
    assert len(kvitton) == SAMTIDIGA  # twenty receipts, each its own reference
    with sqlite3.connect(databas) as c:
        referenser = {
            r
            for (r,) in c.execute(
                "SELECT referens FROM synpunkter_synpunkt WHERE kanal = 'e_tjanst'"
            ).fetchall()
        }
        (antal,) = c.execute(
            "SELECT count(*) FROM synpunkter_synpunkt WHERE kanal = 'e_tjanst'"
        ).fetchone()
        (vantande,) = c.execute(
            "SELECT count(*) FROM synpunkter_inlamning WHERE byggd IS NULL"
        ).fetchone()
        (journal,) = c.execute("PRAGMA journal_mode").fetchone()
    # Without a broker (`make run`) the synpunkter are built within the requests: every
    # receipt's reference is a synpunkt, none waits, none twice.
    assert antal == SAMTIDIGA
    assert referenser == kvitton
    assert vantande == 0
    assert journal == "wal"
