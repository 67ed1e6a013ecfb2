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
                svar[nr] = (response.status_code, response.headers.get("Location"))
        except Exception as exc:  # noqa: BLE001 - reported below
            svar[nr] = exc

    tradar = [threading.Thread(target=medborgare, args=(nr,)) for nr in range(SAMTIDIGA)]
    for t in tradar:
        t.start()
    for t in tradar:
        t.join(120)

    kvitto = (302, "/synpunkter/lamna/kvitto/")
    fel = {nr: s for nr, s in svar.items() if s != kvitto}
    serverlogg = logg.read_text()
    assert len(svar) == SAMTIDIGA and not fel, f"{fel}\n{serverlogg[-3000:]}"
    assert "database is locked" not in serverlogg
    with sqlite3.connect(databas) as c:
        (antal,) = c.execute(
            "SELECT count(*) FROM synpunkter_synpunkt WHERE kanal = 'e_tjanst'"
        ).fetchone()
        (journal,) = c.execute("PRAGMA journal_mode").fetchone()
    assert antal == SAMTIDIGA
    assert journal == "wal"
