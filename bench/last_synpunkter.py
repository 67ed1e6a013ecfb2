"""Load test of the public e-service for synpunkter (`/synpunkter/lamna/`) against a
bare Django view that inserts one row (`/bench/referens/`, see bench/referens.py), on
the same server, with the same client load, in one run; prints their throughput ratio.

N virtual submitters (default 100) each keep two cookie jars (csrftoken and session
cookie, like a browser), one per side. Untimed preparation: every submitter GETs both
forms once (its CSRF token, the units offered) – this also warms up the workers. Then
`--omgangar` rounds (default 2), each `--sekunder / --omgangar` seconds of the bare view
followed by as long of the e-service, every submitter looping as fast as it is answered:

- bare view: POST `text` + CSRF token → 200 with the new row's id. One completed
  submission = one POST answered with an id.
- e-service: POST a realistic submission (multipart, like the browser form with its
  file field and its one-time key) → 200 with the receipt → reference number read from
  `<strong class="referens">`. One completed submission = one POST answered with a
  receipt, because a citizen's submission is done when the receipt shows. The server
  has then saved the submission (`synpunkter.Inlamning`); the Celery worker builds the
  synpunkt from it.

After each e-service phase the client waits, untimed, until the worker has built every
submission of the phase into a synpunkt and delivered its e-mails (`--vanta-bygge`
seconds at most) and reports
how long that took and the CPU it used: the next phase starts on a machine that is not
still building the last one's cases. The worker runs at a lower CPU priority than the
web server (`nice`, as the README recommends for production), so during a burst the
submissions are taken in first and the cases built right after.

With `--med-formular` each loop also GETs the form first, on both sides (a browser loads
the form for every submission). Throughput = completed submissions / seconds of that
side's phases, each phase lasting until the submissions under way when its time was up
have completed; ratio = e-service / bare view (exit status 2 if below `--krav`).

Checks afterwards (any failure → exit status 1): no 5xx answer, no transport error, no
receipt without a reference; every reference in `synpunkter_synpunkt` exactly once and
as many e-service rows received during the run as accepted POSTs; as many
`bench_referens` rows as answered bare POSTs, every id once; the outbox: every row
written during the run delivered by the Celery worker (waits up to `--vanta-utskick`
seconds), each on its first attempt, one acknowledgement per submission that gave an
e-mail address, and – with `--epostkatalog` (the file e-mail backend's directory) –
each row exactly one delivered message, none twice, nothing else.

Normally started by `bench/last_synpunkter.sh`, which starts gunicorn and the Celery
worker on a Redis broker. Submitter n sends `X-Forwarded-For: 10.r.x.y` (its own
address, r random per run; the server runs with `PROXY_COUNT=1`), so the e-service's
per-address rate limit runs for every submission, with a limit high enough not to
refuse the test.
"""

import argparse
import asyncio
import email
import email.policy
import math
import os
import platform
import random
import re
import secrets
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import httpx

FORMULAR = "/synpunkter/lamna/"
REFERENSVY = "/bench/referens/"
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NYCKEL_RE = re.compile(r'name="nyckel" value="([^"]+)"')
ENHET_RE = re.compile(r'<select[^>]*name="enhet"[^>]*>(.*?)</select>', re.S)
OPTION_RE = re.compile(r'<option value="([^"]*)"')
REFERENS_RE = re.compile(r'<strong class="referens">([A-Z0-9-]{9})</strong>')
RAD_RE = re.compile(r'<strong class="referens">([0-9]+)</strong>')
# The acknowledgement's subject (templates/synpunkter/mejl/mottagen.txt) ends with it.
KVITTENS_RE = re.compile(r"referens ([A-Z0-9]{4}-[A-Z0-9]{4})$")

TYPER = ["klagomal"] * 5 + ["synpunkt"] * 2 + ["berom", "forslag", "fraga"]
TEXTER = [
    "Jag har väntat i tre veckor på beslut om ekonomiskt bistånd och ingen svarar i telefon.",
    "Besöket hos min handläggare ställdes in samma dag utan att någon hörde av sig.",
    "Tack till personalen på boendet som har hjälpt min son så mycket under hösten.",
    "Det borde gå att skicka in kvitton och kontoutdrag i e-tjänsten i stället för med post.",
    "Hur lång tid tar det innan man får svar på en ansökan om bistånd till tandvård?",
    "Jag blev otrevligt bemött i receptionen och fick inte lämna mina papper.",
    "Telefontiden är bara en timme om dagen och det är alltid upptaget.",
    "Väntrummet är inte anpassat för barnvagnar och rullatorer.",
]
NAMN = ["Lena Berg", "Hassan Ali", "Marie Lindqvist", "Johan Ek", "Amina Warsame", "Sanna Vik"]


@dataclass
class Sida:
    """What all submitters saw on one side; one event loop, so no locking is needed."""

    namn: str
    status: Counter = field(default_factory=Counter)  # (step, HTTP status) -> count
    transportfel: Counter = field(default_factory=Counter)
    fel: list[str] = field(default_factory=list)  # the first few errors, for the log
    referenser: list[str] = field(default_factory=list)
    med_epost: set[str] = field(default_factory=set)  # references that gave an address
    latens: list[float] = field(default_factory=list)  # one completed submission
    latens_post: list[float] = field(default_factory=list)
    accepterade: int = 0  # POSTs answered as a success (302 / 200)
    utan_kvitto: int = 0  # accepted, but no reference on the answer or the receipt
    sekunder: float = 0.0  # this side's phases, each until its last submission completed
    bygge_sekunder: float = 0.0  # after its phases, until the worker had built them all
    bygge_kvar: int = 0  # submissions still not built when --vanta-bygge ran out
    bygge_cpu: Counter = field(default_factory=Counter)  # CPU seconds while building
    per_sekund_i_fasen: list[Counter] = field(default_factory=list)  # for --tidslinje
    cpu: Counter = field(default_factory=Counter)  # process group -> CPU seconds

    def notera_fel(self, text):
        if len(self.fel) < 20:
            self.fel.append(text)

    @property
    def serverfel(self):
        return sum(n for (_, kod), n in self.status.items() if kod >= 500)

    @property
    def per_sekund(self):
        return len(self.referenser) / self.sekunder if self.sekunder else 0.0


@dataclass
class Inlamnare:
    """One virtual submitter: a browser (cookie jar) per side, and its form state."""

    nr: int
    rng: random.Random
    e_tjanst: httpx.AsyncClient
    bar: httpx.AsyncClient
    token: dict = field(default_factory=dict)  # side -> CSRF token
    enheter: list[str] = field(default_factory=list)
    nyckel: str | None = None  # the one-time key of the form just fetched, if any


def inlamning(
    rng: random.Random, token: str, enheter: list[str], nyckel: str | None
) -> tuple[dict, dict]:
    """Form fields of one realistic submission, and the (empty) file field. `nyckel` is
    the form's one-time key: the one the form carried when the form was fetched for
    this submission, otherwise a new one made here as the form makes it
    (`secrets.token_urlsafe(24)`) – a browser submits every form it loads once."""
    anonym = rng.random() < 0.3
    data = {
        "csrfmiddlewaretoken": token,
        "nyckel": nyckel or secrets.token_urlsafe(24),
        "typ": rng.choice(TYPER),
        "beskrivning": rng.choice(TEXTER) + f" (lasttest {rng.getrandbits(32):08x})",
        "enhet": "vet_ej" if rng.random() < 0.4 or not enheter else rng.choice(enheter),
        "anonym": "True" if anonym else "False",
        "hemsida": "",  # the honeypot, left empty as a person would
    }
    if not anonym:
        namn = rng.choice(NAMN)
        data["namn"] = namn
        if rng.random() < 0.8:
            data["epost"] = namn.lower().replace(" ", ".") + "@example.se"
        else:
            data["telefon"] = f"070-174 06 {rng.randint(5, 99):02d}"
        if rng.random() < 0.85:
            data["vill_ha_svar"] = "on"
    # A browser sends the file part even when no file was chosen.
    filer = {"bilaga": ("", b"", "application/octet-stream")}
    return data, filer


def multipart(data: dict, filer: dict) -> tuple[bytes, str]:
    """The multipart/form-data body a browser sends for the form, and its Content-Type.
    Encoded here in a few joins rather than by httpx's general multipart encoder
    (streams, headers per part), which cost the client about twice the CPU of the
    whole request otherwise: the client shares the machine with the server, and a
    browser does this in native code."""
    grans = "----kvalitetlasttest" + secrets.token_hex(8)
    delar = [
        f'--{grans}\r\nContent-Disposition: form-data; name="{namn}"\r\n\r\n{varde}\r\n'.encode()
        for namn, varde in data.items()
    ]
    for namn, (filnamn, innehall, typ) in filer.items():
        delar.append(
            f'--{grans}\r\nContent-Disposition: form-data; name="{namn}"; '
            f'filename="{filnamn}"\r\nContent-Type: {typ}\r\n\r\n'.encode()
            + innehall
            + b"\r\n"
        )
    delar.append(f"--{grans}--\r\n".encode())
    return b"".join(delar), f"multipart/form-data; boundary={grans}"


async def hamta_formular(inl: Inlamnare, sida: Sida, e_tjanst: bool) -> bool:
    """GET the side's form; keep its CSRF token (and the units offered)."""
    klient, url = (inl.e_tjanst, FORMULAR) if e_tjanst else (inl.bar, REFERENSVY)
    svar = await klient.get(url)
    sida.status[("formulär", svar.status_code)] += 1
    token = CSRF_RE.search(svar.text) if svar.status_code == 200 else None
    if token is None:
        sida.notera_fel(f"formulär: HTTP {svar.status_code}, ingen CSRF-token")
        return False
    inl.token[sida.namn] = token.group(1)
    if e_tjanst:
        block = ENHET_RE.search(svar.text)
        val = OPTION_RE.findall(block.group(1)) if block else []
        inl.enheter = [v for v in val if v.isdigit()]
        nyckel = NYCKEL_RE.search(svar.text)
        inl.nyckel = nyckel.group(1) if nyckel else None
    return True


async def en_inlamning(inl: Inlamnare, sida: Sida, e_tjanst: bool, med_formular: bool) -> bool:
    """One submission on one side; records what happened in `sida`. True if completed."""
    start = time.perf_counter()
    steg = "formulär"
    try:
        if (med_formular or sida.namn not in inl.token) and not await hamta_formular(
            inl, sida, e_tjanst
        ):
            return False
        steg = "inlämning"
        token = inl.token[sida.namn]
        if e_tjanst:
            data, filer = inlamning(inl.rng, token, inl.enheter, inl.nyckel)
            inl.nyckel = None  # used: the next submission needs another
            kropp, typ = multipart(data, filer)
            t_post = time.perf_counter()
            svar = await inl.e_tjanst.post(FORMULAR, content=kropp, headers={"Content-Type": typ})
        else:
            data = {"csrfmiddlewaretoken": token, "text": f"referens {inl.rng.getrandbits(32):08x}"}
            t_post = time.perf_counter()
            svar = await inl.bar.post(REFERENSVY, data=data)
        sida.latens_post.append(time.perf_counter() - t_post)
        sida.status[(steg, svar.status_code)] += 1
        if svar.status_code != 200:
            sida.notera_fel(f"{steg}: HTTP {svar.status_code}")
            return False
        sida.accepterade += 1
        # The receipt is the POST's answer on both sides.
        traff = (REFERENS_RE if e_tjanst else RAD_RE).search(svar.text)
        if traff is None:
            sida.utan_kvitto += 1
            sida.notera_fel(f"{steg}: HTTP {svar.status_code}, inget referensnummer")
            return False
        sida.referenser.append(traff.group(1))
        if e_tjanst and data.get("epost"):
            sida.med_epost.add(traff.group(1))
        sida.latens.append(time.perf_counter() - start)
        return True
    except httpx.HTTPError as exc:
        sida.transportfel[f"{steg}: {type(exc).__name__}"] += 1
        sida.notera_fel(f"{steg}: {type(exc).__name__}: {exc}")
        return False


async def fas(inlamnare, sida: Sida, e_tjanst: bool, sekunder: float, med_formular: bool):
    """Every submitter submits on one side until `sekunder` have passed; a submission
    under way then is finished, and the phase lasts until the last one is. Every
    completed submission counts, over the whole phase.

    (Not "only those completed within the `sekunder`": the e-service's submitters
    fall into step – 100 POSTs queue, then their 100 receipts – and complete in bursts
    of about 100 every other second, so a fixed window would gain or lose a whole
    burst at its edge. Whole phases count whole bursts; the cost is a short tail.)"""

    async def loop(inl):
        while time.monotonic() < slut:
            if await en_inlamning(inl, sida, e_tjanst, med_formular):
                tidslinje[int(time.monotonic() - start)] += 1

    start = time.monotonic()
    slut = start + sekunder
    tidslinje = Counter()
    sida.per_sekund_i_fasen.append(tidslinje)
    await asyncio.gather(*(loop(inl) for inl in inlamnare))
    sida.sekunder += time.monotonic() - start


class Processtid:
    """CPU seconds used so far by the processes of the test, by group: the gunicorn
    master and workers, the Celery worker, the PostgreSQL backends of the test's
    database, and this client. Read from /proc (Linux); a process that has exited is
    counted with its last reading. Approximate, but it shows what a submission costs on
    each side and how much of the machine the test got (other load shares it)."""

    def __init__(self, args):
        self.args = args
        self.senast = {}  # pid -> (group, seconds)
        self.conn = None
        if args.dsn:
            import psycopg

            self.conn = psycopg.connect(args.dsn, autocommit=True)
        self.hz = os.sysconf("SC_CLK_TCK")

    def _tid(self, pid):
        try:
            with open(f"/proc/{pid}/stat") as f:
                falt = f.read().rsplit(")", 1)[1].split()
        except OSError:
            return None, None
        return int(falt[1]), (int(falt[11]) + int(falt[12])) / self.hz  # ppid, utime+stime

    def _barn(self, foraldrar):
        pids = set(foraldrar)
        for pid in os.listdir("/proc"):
            if pid.isdigit():
                ppid, _ = self._tid(pid)
                if ppid in foraldrar:
                    pids.add(int(pid))
        return pids

    def las(self) -> Counter:
        grupper = {}
        for namn, pid in (("gunicorn", self.args.gunicorn_pid), ("celery", self.args.worker_pid)):
            if pid:
                grupper.update(dict.fromkeys(self._barn({pid}), namn))
        if self.conn is not None:
            rader = self.conn.execute(
                "SELECT pid FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            ).fetchall()
            grupper.update({pid: "postgresql" for (pid,) in rader})
        for pid, namn in grupper.items():
            _, sekunder = self._tid(pid)
            if sekunder is not None:
                self.senast[pid] = (namn, sekunder)
        summa = Counter()
        for namn, sekunder in self.senast.values():
            summa[namn] += sekunder
        t = os.times()
        summa["klient"] = t.user + t.system
        return summa


async def kor(args, bar: Sida, e_tjanst: Sida):
    processtid = Processtid(args)
    kornings_oktett = random.randrange(256)

    def klient(nr):
        return httpx.AsyncClient(
            base_url=args.bas_url,
            timeout=args.timeout,
            follow_redirects=False,
            headers={
                "User-Agent": f"kvalitet-lasttest/{nr}",
                # Its own client address (the server trusts one proxy: PROXY_COUNT=1),
                # new in every run, so the limit counts only this run's submissions.
                "X-Forwarded-For": f"10.{kornings_oktett}.{nr // 256}.{nr % 256}",
            },
            limits=httpx.Limits(max_connections=2, max_keepalive_connections=2),
        )

    inlamnare = [
        Inlamnare(nr, random.Random(nr), klient(nr), klient(nr))
        for nr in range(1, args.samtidiga + 1)
    ]
    try:
        # Untimed: each submitter's tokens and the units (warms up every worker too).
        for sida, ar_e in ((bar, False), (e_tjanst, True)):
            await asyncio.gather(*(hamta_formular(i, sida, ar_e) for i in inlamnare))
        for inl in inlamnare:
            inl.nyckel = None  # warming up: that form is not submitted
        del_sekunder = args.sekunder / args.omgangar
        for omgang in range(1, args.omgangar + 1):
            for sida, ar_e in ((bar, False), (e_tjanst, True)):
                fore, t0, cpu0 = len(sida.referenser), time.perf_counter(), processtid.las()
                await fas(inlamnare, sida, ar_e, del_sekunder, args.med_formular)
                sida.cpu.update(processtid.las() - cpu0)
                print(
                    f"  omgång {omgang}, {sida.namn}: {len(sida.referenser) - fore} "
                    f"inlämningar på {time.perf_counter() - t0:.1f} s",
                    flush=True,
                )
                if args.tidslinje:
                    linje = sida.per_sekund_i_fasen[-1]
                    sekunder = range(max(linje, default=0) + 1)
                    print("    per sekund: " + " ".join(str(linje[i]) for i in sekunder))
                if ar_e:
                    await asyncio.to_thread(vanta_pa_bygget, args, sida, processtid)
    finally:
        for inl in inlamnare:
            await inl.e_tjanst.aclose()
            await inl.bar.aclose()
        if processtid.conn is not None:
            processtid.conn.close()


def vanta_pa_bygget(args, sida: Sida, processtid):
    """Untimed: wait until the worker has built every submission into a synpunkt and
    delivered the e-mails that queued."""
    import psycopg

    t0, cpu0 = time.perf_counter(), processtid.las()
    gans = time.monotonic() + args.vanta_bygge
    with psycopg.connect(args.dsn, autocommit=True) as conn:
        while True:
            # The submissions not built, and the e-mails their synpunkter queued.
            kvar = conn.execute(
                "SELECT (SELECT count(*) FROM synpunkter_inlamning WHERE byggd IS NULL) "
                "+ (SELECT count(*) FROM kvalitet_utskick WHERE skickad IS NULL "
                "AND nasta_forsok IS NOT NULL)"
            ).fetchone()[0]
            if not kvar or time.monotonic() > gans:
                break
            time.sleep(0.2)
    sida.bygge_sekunder += time.perf_counter() - t0
    sida.bygge_cpu.update(processtid.las() - cpu0)
    sida.bygge_kvar = kvar
    print(
        f"    workern byggde synpunkterna på {time.perf_counter() - t0:.1f} s"
        + (f"; {kvar} kvar efter {args.vanta_bygge:g} s" if kvar else ""),
        flush=True,
    )


GRUPPER = ("gunicorn", "celery", "postgresql", "klient")


def cpu_tabell(bar: Sida, e_tjanst: Sida) -> list[str]:
    """CPU milliseconds per completed submission, by process group, on each side; the
    ratio of the totals (what the throughput ratio tends to when the test has the
    machine to itself); and the share of the cores the test's processes used."""
    karnor = len(os.sched_getaffinity(0))
    rader = [
        "| Side | CPU ms per submission: gunicorn | Celery worker | PostgreSQL | client "
        "| total | Share of the cores used by the test |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    totalt = {}
    for sida in (bar, e_tjanst):
        n = len(sida.referenser) or 1
        totalt[sida.namn] = sum(sida.cpu[g] for g in GRUPPER) * 1000 / n
        andel = sum(sida.cpu.values()) / (sida.sekunder * karnor) if sida.sekunder else 0
        rader.append(
            f"| {sida.namn} | "
            + " | ".join(f"{sida.cpu[g] * 1000 / n:.1f}" for g in GRUPPER)
            + f" | {totalt[sida.namn]:.1f} | {andel:.0%} of {karnor} |"
        )
    if e_tjanst.bygge_sekunder:
        n = len(e_tjanst.referenser) or 1
        bygge = sum(e_tjanst.bygge_cpu[g] for g in GRUPPER) * 1000 / n
        andel = sum(e_tjanst.bygge_cpu.values()) / (e_tjanst.bygge_sekunder * karnor)
        rader.append(
            f"| e-tjänsten, then the worker building the synpunkter "
            f"({e_tjanst.bygge_sekunder:.0f} s, untimed) | "
            + " | ".join(f"{e_tjanst.bygge_cpu[g] * 1000 / n:.1f}" for g in GRUPPER)
            + f" | {bygge:.1f} | {andel:.0%} of {karnor} |"
        )
    if totalt.get(e_tjanst.namn):
        rader += [
            "",
            f"CPU per submission, referensvyn / e-tjänsten: "
            f"{totalt[bar.namn] / totalt[e_tjanst.namn]:.2f}.",
        ]
    return rader


def percentil(varden: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordnade = sorted(varden)
    return ordnade[max(0, math.ceil(p / 100 * len(ordnade)) - 1)]


def ms(varden):
    if not varden:
        return "–"
    return (
        f"{statistics.median(varden) * 1000:.0f} / {percentil(varden, 90) * 1000:.0f} / "
        f"{percentil(varden, 99) * 1000:.0f}"
    )


def kontrollera_databasen(dsn, e_tjanst: Sida, bar: Sida, fran, till, args) -> list[str]:
    """Compare what the client saw with the database and the outbox; print and return
    the problems found."""
    import psycopg

    problem = []
    with psycopg.connect(dsn, autocommit=True) as conn:
        antal = dict(
            conn.execute(
                "SELECT referens, count(*) FROM synpunkter_synpunkt "
                "WHERE referens = ANY(%s) GROUP BY referens",
                [e_tjanst.referenser],
            ).fetchall()
        )
        e_rader = conn.execute(
            "SELECT count(*) FROM synpunkter_synpunkt "
            "WHERE kanal = 'e_tjanst' AND inkom >= %s AND inkom <= %s",
            [fran, till],
        ).fetchone()[0]
        # Each accepted submission saved once, and built into the synpunkt it names.
        inlamningar = dict(
            conn.execute(
                "SELECT i.referens, count(*) FROM synpunkter_inlamning i "
                "JOIN synpunkter_synpunkt s ON s.id = i.synpunkt_id AND s.referens = i.referens "
                "WHERE i.mottagen >= %s AND i.mottagen <= %s GROUP BY i.referens",
                [fran, till],
            ).fetchall()
        )
        i_rader = conn.execute(
            "SELECT count(*) FROM synpunkter_inlamning WHERE mottagen >= %s AND mottagen <= %s",
            [fran, till],
        ).fetchone()[0]
        saknas = [r for r in set(e_tjanst.referenser) if antal.get(r, 0) == 0]
        saknas += [r for r in set(e_tjanst.referenser) if inlamningar.get(r, 0) == 0]
        dubbla = [r for r, n in [*antal.items(), *inlamningar.items()] if n > 1]
        dubbla_klient = [r for r, n in Counter(e_tjanst.referenser).items() if n > 1]
        print(
            f"E-tjänsten i databasen: {len(antal)} av {len(set(e_tjanst.referenser))} "
            f"referenser finns, saknas {len(saknas)}, dubbletter {len(dubbla)} (i klienten "
            f"{len(dubbla_klient)}); inlämningar under körningen {i_rader}, byggda till "
            f"synpunkter {e_rader}, accepterade POST {e_tjanst.accepterade}."
        )
        if saknas or dubbla or dubbla_klient:
            problem.append("e-tjänsten: saknade eller dubbla referenser")
        if e_rader != e_tjanst.accepterade or i_rader != e_tjanst.accepterade:
            problem.append(
                f"e-tjänsten: {i_rader} inlämningar och {e_rader} synpunkter men "
                f"{e_tjanst.accepterade} accepterade"
            )
        if e_tjanst.bygge_kvar:
            problem.append(f"e-tjänsten: {e_tjanst.bygge_kvar} inlämningar aldrig byggda")

        b_rader = conn.execute(
            "SELECT count(*), count(DISTINCT id) FROM bench_referens "
            "WHERE skapad >= %s AND skapad <= %s AND id = ANY(%s)",
            [fran, till, [int(r) for r in bar.referenser]],
        ).fetchone()
        b_totalt = conn.execute(
            "SELECT count(*) FROM bench_referens WHERE skapad >= %s AND skapad <= %s",
            [fran, till],
        ).fetchone()[0]
        print(
            f"Referensvyn i databasen: {b_rader[1]} av {len(set(bar.referenser))} id finns; "
            f"rader under körningen {b_totalt}, besvarade POST {bar.accepterade}."
        )
        if b_rader[1] != len(bar.referenser) or b_totalt != bar.accepterade:
            problem.append("referensvyn: rader och svar stämmer inte")

        # The outbox: wait for the worker to deliver what the run queued.
        gans = time.monotonic() + args.vanta_utskick
        while True:
            vantande, totalt = conn.execute(
                "SELECT count(*) FILTER (WHERE skickad IS NULL), count(*) "
                "FROM kvalitet_utskick WHERE skapad >= %s AND skapad <= %s",
                [fran, till],
            ).fetchone()
            if not vantande or time.monotonic() > gans:
                break
            time.sleep(0.5)
        rader = conn.execute(
            "SELECT mottagare, amne, forsok FROM kvalitet_utskick "
            "WHERE skapad >= %s AND skapad <= %s",
            [fran, till],
        ).fetchall()
    kvittenser = Counter()
    for _, amne, _ in rader:
        traff = KVITTENS_RE.search(amne)
        if traff:
            kvittenser[traff.group(1)] += 1
    fel_kvittens = [r for r in e_tjanst.med_epost if kvittenser[r] != 1]
    fel_kvittens += [r for r in kvittenser if r not in e_tjanst.med_epost]
    fler_forsok = sum(1 for *_, forsok in rader if forsok != 1)
    print(
        f"Utkorgen: {totalt} utskick under körningen, {vantande} ej levererade efter "
        f"{args.vanta_utskick:g} s, {fler_forsok} med fler än ett försök; kvittenser "
        f"{sum(kvittenser.values())} för {len(e_tjanst.med_epost)} inlämningar med e-post "
        f"({len(fel_kvittens)} avvikande)."
    )
    if vantande:
        problem.append(f"{vantande} utskick inte levererade av workern")
    if fler_forsok:
        problem.append(f"{fler_forsok} utskick behövde fler än ett försök")
    if fel_kvittens:
        problem.append(f"{len(fel_kvittens)} referenser utan exakt en kvittens")
    if args.epostkatalog:
        problem += kontrollera_epost(Path(args.epostkatalog), rader)
    return problem


def enkla_mellanrum(text) -> str:
    """A header without its folding: an encoded subject is folded over lines, and the
    parsed value keeps the whitespace (a leading space too)."""
    return " ".join(str(text).split())


def kontrollera_epost(katalog: Path, rader) -> list[str]:
    """Every outbox row delivered as exactly one message (the file e-mail backend
    writes each connection's messages to a file, separated by a line of 79 '-')."""
    skilje = b"\n" + b"-" * 79 + b"\n"
    skickade = Counter()
    for fil in katalog.glob("*.log"):
        for del_ in fil.read_bytes().split(skilje):
            if del_.strip():
                med = email.message_from_bytes(del_, policy=email.policy.default)
                skickade[(str(med["To"]), enkla_mellanrum(med["Subject"]))] += 1
    # EMAIL_SUBJECT_PREFIX is put in front of the outbox row's subject.
    vantade = Counter((m, enkla_mellanrum(f"[Kvalitet] {a}")) for m, a, _ in rader)
    dubbla = sum(n - vantade[k] for k, n in skickade.items() if k in vantade and n > vantade[k])
    saknade = sum(max(0, n - skickade.get(k, 0)) for k, n in vantade.items())
    okanda = sum(n for k, n in skickade.items() if k not in vantade)
    print(
        f"Levererade meddelanden: {sum(skickade.values())} för {len(rader)} utskick; "
        f"saknade {saknade}, dubbla {dubbla}, okända {okanda}."
    )
    if saknade or dubbla or okanda:
        return [f"e-post: {saknade} saknade, {dubbla} dubbla, {okanda} okända meddelanden"]
    return []


def skriv(fil: str, rader: list[str], args):
    """Append the run to a Markdown file, with the machine and the software versions."""
    import psycopg

    def proc(namn, nyckel):
        try:
            for rad in Path(namn).read_text().splitlines():
                if rad.startswith(nyckel):
                    return rad.split(":", 1)[1].strip()
        except OSError:
            pass
        return "unknown"

    with psycopg.connect(args.dsn) as conn:
        pg = conn.execute("SHOW server_version").fetchone()[0]
    versioner = ", ".join(
        f"{p} {metadata.version(p)}" for p in ("Django", "gunicorn", "celery", "httpx")
    )
    text = [
        f"## Load test: e-service against the bare view {datetime.now():%Y-%m-%d %H:%M}",
        "",
        f"- CPU: {proc('/proc/cpuinfo', 'model name')}, {len(os.sched_getaffinity(0))} cores; "
        f"load average before the run {args.last_fore}",
        f"- PostgreSQL {pg}, same machine, over TCP; Python {platform.python_version()}, "
        f"{versioner}",
        *(f"- {m}" for m in args.miljo),
        f"- Client: {args.samtidiga} submitters, {args.sekunder:g} s per side in "
        f"{args.omgangar} alternating rounds"
        + (", form GET in every loop" if args.med_formular else ""),
        "",
        *rader,
        "",
    ]
    with open(fil, "a", encoding="utf-8") as f:
        f.write("\n" + "\n".join(text))
    print(f"Skrivet till {fil}.")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bas-url", default="http://127.0.0.1:8765")
    parser.add_argument("--samtidiga", type=int, default=100, help="concurrent submitters")
    parser.add_argument("--sekunder", type=float, default=30, help="seconds per side")
    parser.add_argument("--omgangar", type=int, default=2, help="alternating rounds")
    parser.add_argument("--timeout", type=float, default=60, help="per request, seconds")
    parser.add_argument(
        "--med-formular", action="store_true", help="GET the form in every loop, both sides"
    )
    parser.add_argument("--krav", type=float, default=0.7, help="the ratio required")
    parser.add_argument(
        "--tidslinje", action="store_true", help="print completions per second of each phase"
    )
    parser.add_argument("--vanta-utskick", type=float, default=120, help="seconds, at most")
    parser.add_argument("--vanta-bygge", type=float, default=900, help="seconds per phase, at most")
    parser.add_argument("--epostkatalog", help="EMAIL_FILE_PATH of the worker, to verify")
    parser.add_argument("--skriv", metavar="FIL", help="append the result to this file")
    parser.add_argument("--gunicorn-pid", type=int, help="for the CPU accounting")
    parser.add_argument("--worker-pid", type=int, help="the Celery worker, likewise")
    parser.add_argument("--miljo", action="append", default=[], help="a line for --skriv")
    parser.add_argument(
        "--dsn",
        default=os.environ.get("DATABASE_URL", ""),
        help="PostgreSQL database to verify against (default: $DATABASE_URL)",
    )
    args = parser.parse_args(argv)
    if not args.dsn.startswith(("postgres://", "postgresql://")):
        parser.error("--dsn (or DATABASE_URL) must be a postgres:// URL")
    if args.omgangar < 1 or args.sekunder <= 0:
        parser.error("--omgangar must be at least 1 and --sekunder positive")
    args.last_fore = " ".join(f"{x:.1f}" for x in os.getloadavg())

    print(
        f"{args.samtidiga} samtidiga inlämnare, {args.sekunder:g} s per sida i "
        f"{args.omgangar} omgångar: {args.bas_url}{REFERENSVY} och {args.bas_url}{FORMULAR}",
        flush=True,
    )
    bar = Sida("referensvyn")
    e_tjanst = Sida("e-tjänsten")
    fran = datetime.now(UTC)
    asyncio.run(kor(args, bar, e_tjanst))
    till = datetime.now(UTC)

    kvot = e_tjanst.per_sekund / bar.per_sekund if bar.per_sekund else 0.0
    tabell = [
        "| Side | Completed submissions | Seconds | Per second | Requests per submission "
        "| Submission, median / p90 / p99 (ms) | POST, median / p90 / p99 (ms) |",
        "|---|---:|---:|---:|---:|---|---|",
    ]
    for sida, anrop in ((bar, 1), (e_tjanst, 1)):
        anrop += 1 if args.med_formular else 0
        tabell.append(
            f"| {sida.namn} | {len(sida.referenser)} | {sida.sekunder:.1f} | "
            f"{sida.per_sekund:.1f} | {anrop} | {ms(sida.latens)} | {ms(sida.latens_post)} |"
        )
    print()
    print("\n".join(tabell))
    print(f"\nKvot e-tjänsten / referensvyn: {kvot:.2f} (krav {args.krav:g}).")
    cpu_rader = cpu_tabell(bar, e_tjanst)
    print("\n".join(["", *cpu_rader]))

    problem = []
    for sida in (bar, e_tjanst):
        per_steg = ", ".join(f"{s} {k}: {n}" for (s, k), n in sorted(sida.status.items()))
        transport = sum(sida.transportfel.values())
        detaljer = f" {dict(sida.transportfel)}" if sida.transportfel else ""
        print(
            f"{sida.namn}: {per_steg}; serverfel (5xx) {sida.serverfel}, "
            f"transportfel {transport}{detaljer}."
        )
        for fel in sida.fel:
            print(f"  fel: {fel}")
        if sida.serverfel:
            problem.append(f"{sida.namn}: {sida.serverfel} serverfel")
        if transport:
            problem.append(f"{sida.namn}: {transport} transportfel")
        if sida.utan_kvitto:
            problem.append(f"{sida.namn}: {sida.utan_kvitto} svar utan referens")
        if not sida.referenser:
            problem.append(f"{sida.namn}: inga inlämningar")
    problem += kontrollera_databasen(args.dsn, e_tjanst, bar, fran, till, args)

    uppfyllt = kvot >= args.krav
    if args.skriv:
        slutsats = "met" if uppfyllt else "**not met**"
        kontroller = "all checks passed" if not problem else "FAILED: " + "; ".join(problem)
        skriv(
            args.skriv,
            [
                *tabell,
                "",
                *cpu_tabell(bar, e_tjanst),
                "",
                f"**Ratio e-service / bare view: {kvot:.2f}** (requirement {args.krav:g}: "
                f"{slutsats}); {kontroller}.",
            ],
            args,
        )
    if problem:
        print("FEL: " + "; ".join(problem), file=sys.stderr)
        return 1
    print("OK: inga serverfel, varje referens finns exakt en gång, workern levererade allt.")
    if not uppfyllt:
        print(f"Kvoten {kvot:.2f} når inte kravet {args.krav:g}.", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
