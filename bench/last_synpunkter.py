"""Load test of the public e-service for synpunkter (`/synpunkter/lamna/`).

N virtual submitters (default 50) work concurrently for a fixed time (default 60 s).
Each one has its own cookie jar (csrftoken and session cookie, like a browser) and
loops: GET the form, read the CSRF token and the units offered, POST a submission
(multipart, like the browser form with its file field), follow the redirect to the
receipt and read the reference number from `<strong class="referens">`.

Afterwards every reference collected is looked up in `synpunkter_synpunkt`: it must
be there exactly once, and the number of e-service rows received during the run must
equal the number of accepted submissions. Any 5xx answer, transport error, missing
receipt, or missing/duplicate reference is an error and the exit status is 1.

    .venv/bin/python bench/last_synpunkter.py --bas-url http://127.0.0.1:8765 \\
        --samtidiga 50 --sekunder 60 --dsn postgres://postgres@127.0.0.1:5432/kvalitet_last

Normally started by `bench/last_synpunkter.sh`, which also starts gunicorn. The
server must run with `SYNPUNKT_GRANS_PER_TIMME=0`: all submitters share one address,
and the per-address limit would otherwise turn most submissions away (429).
"""

import argparse
import asyncio
import math
import os
import random
import re
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx

FORMULAR = "/synpunkter/lamna/"
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ENHET_RE = re.compile(r'<select[^>]*name="enhet"[^>]*>(.*?)</select>', re.S)
OPTION_RE = re.compile(r'<option value="([^"]*)"')
REFERENS_RE = re.compile(r'<strong class="referens">([A-Z0-9-]{9})</strong>')

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
class Resultat:
    """What all submitters saw; one event loop, so no locking is needed."""

    status: Counter = field(default_factory=Counter)  # (step, HTTP status) -> count
    transportfel: Counter = field(default_factory=Counter)
    fel: list[str] = field(default_factory=list)  # the first few errors, for the log
    referenser: list[str] = field(default_factory=list)
    latens: list[float] = field(default_factory=list)  # whole submission: GET, POST, receipt
    latens_post: list[float] = field(default_factory=list)
    accepterade: int = 0  # POSTs answered with the redirect to the receipt
    utan_kvitto: int = 0  # accepted, but no reference on the receipt

    def notera_fel(self, text):
        if len(self.fel) < 20:
            self.fel.append(text)

    @property
    def serverfel(self):
        return sum(n for (_, kod), n in self.status.items() if kod >= 500)


def inlamning(rng: random.Random, token: str, enheter: list[str]) -> tuple[dict, dict]:
    """Form fields of one realistic submission, and the (empty) file field."""
    anonym = rng.random() < 0.3
    data = {
        "csrfmiddlewaretoken": token,
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


async def inlamnare(nr: int, bas_url: str, slut: float, res: Resultat, timeout: float):
    """One virtual submitter: its own cookie jar, submitting until the time is up."""
    rng = random.Random(nr)
    async with httpx.AsyncClient(
        base_url=bas_url,
        timeout=timeout,
        follow_redirects=False,
        headers={"User-Agent": f"kvalitet-lasttest/{nr}"},
    ) as klient:
        while time.monotonic() < slut:
            start = time.perf_counter()
            steg = "formulär"
            try:
                svar = await klient.get(FORMULAR)
                res.status[(steg, svar.status_code)] += 1
                token = CSRF_RE.search(svar.text) if svar.status_code == 200 else None
                if token is None:
                    res.notera_fel(f"{steg}: HTTP {svar.status_code}, ingen CSRF-token")
                    continue
                block = ENHET_RE.search(svar.text)
                val = OPTION_RE.findall(block.group(1)) if block else []
                enheter = [v for v in val if v.isdigit()]

                steg = "inlämning"
                data, filer = inlamning(rng, token.group(1), enheter)
                t_post = time.perf_counter()
                svar = await klient.post(FORMULAR, data=data, files=filer)
                res.latens_post.append(time.perf_counter() - t_post)
                res.status[(steg, svar.status_code)] += 1
                if svar.status_code != 302:
                    res.notera_fel(f"{steg}: HTTP {svar.status_code}")
                    continue
                res.accepterade += 1

                steg = "kvitto"
                svar = await klient.get(svar.headers["location"])
                res.status[(steg, svar.status_code)] += 1
                referens = REFERENS_RE.search(svar.text) if svar.status_code == 200 else None
                if referens is None:
                    res.utan_kvitto += 1
                    res.notera_fel(f"{steg}: HTTP {svar.status_code}, inget referensnummer")
                    continue
                res.referenser.append(referens.group(1))
                res.latens.append(time.perf_counter() - start)
            except httpx.HTTPError as exc:
                res.transportfel[f"{steg}: {type(exc).__name__}"] += 1
                res.notera_fel(f"{steg}: {type(exc).__name__}: {exc}")


def percentil(varden: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordnade = sorted(varden)
    return ordnade[max(0, math.ceil(p / 100 * len(ordnade)) - 1)]


def kontrollera_databasen(dsn: str, referenser: list[str], fran: datetime, till: datetime):
    """Rows per collected reference, and e-service rows received during the run."""
    import psycopg

    with psycopg.connect(dsn) as conn:
        antal = dict(
            conn.execute(
                "SELECT referens, count(*) FROM synpunkter_synpunkt "
                "WHERE referens = ANY(%s) GROUP BY referens",
                [referenser],
            ).fetchall()
        )
        under_korningen = conn.execute(
            "SELECT count(*) FROM synpunkter_synpunkt "
            "WHERE kanal = 'e_tjanst' AND inkom >= %s AND inkom <= %s",
            [fran, till],
        ).fetchone()[0]
    return antal, under_korningen


async def kor(args) -> Resultat:
    res = Resultat()
    slut = time.monotonic() + args.sekunder
    await asyncio.gather(
        *(
            inlamnare(nr, args.bas_url, slut, res, args.timeout)
            for nr in range(1, args.samtidiga + 1)
        )
    )
    return res


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bas-url", default="http://127.0.0.1:8765")
    parser.add_argument("--samtidiga", type=int, default=50, help="concurrent submitters")
    parser.add_argument("--sekunder", type=float, default=60, help="duration of the run")
    parser.add_argument("--timeout", type=float, default=30, help="per request, seconds")
    parser.add_argument(
        "--dsn",
        default=os.environ.get("DATABASE_URL", ""),
        help="PostgreSQL database to verify against (default: $DATABASE_URL)",
    )
    args = parser.parse_args(argv)
    if not args.dsn.startswith(("postgres://", "postgresql://")):
        parser.error("--dsn (or DATABASE_URL) must be a postgres:// URL")

    print(
        f"{args.samtidiga} samtidiga inlämnare i {args.sekunder:g} s mot {args.bas_url}{FORMULAR}",
        flush=True,
    )
    fran = datetime.now(UTC)
    t0 = time.perf_counter()
    res = asyncio.run(kor(args))
    tid = time.perf_counter() - t0
    till = datetime.now(UTC)

    antal, under_korningen = kontrollera_databasen(args.dsn, res.referenser, fran, till)
    dubbla_i_klienten = [r for r, n in Counter(res.referenser).items() if n > 1]
    saknas = [r for r in set(res.referenser) if antal.get(r, 0) == 0]
    dubbla_i_db = [r for r, n in antal.items() if n > 1]

    print(f"\nTid: {tid:.1f} s. Inlämningar med kvitto: {len(res.referenser)}.")
    print(f"Inlämningar per sekund: {len(res.referenser) / tid:.1f}")
    if res.latens:
        for namn, varden in (("hel inlämning (3 anrop)", res.latens), ("POST", res.latens_post)):
            print(
                f"Latens, {namn}: median {statistics.median(varden) * 1000:.0f} ms, "
                f"p90 {percentil(varden, 90) * 1000:.0f} ms, "
                f"p99 {percentil(varden, 99) * 1000:.0f} ms, max {max(varden) * 1000:.0f} ms"
            )
    per_steg = ", ".join(f"{s} {k}: {n}" for (s, k), n in sorted(res.status.items()))
    print(f"HTTP-status per steg: {per_steg}")
    transport = sum(res.transportfel.values())
    detaljer = f" {dict(res.transportfel)}" if res.transportfel else ""
    print(f"Serverfel (5xx): {res.serverfel}. Transportfel: {transport}{detaljer}.")
    print(
        f"Databasen: {len(antal)} av {len(set(res.referenser))} referenser finns, "
        f"saknas {len(saknas)}, dubbletter {len(dubbla_i_db)} "
        f"(i klienten {len(dubbla_i_klienten)}); "
        f"e-tjänstrader under körningen {under_korningen}, accepterade inlämningar "
        f"{res.accepterade}."
    )
    for fel in res.fel:
        print(f"  fel: {fel}")

    problem = []
    if res.serverfel:
        problem.append(f"{res.serverfel} serverfel")
    if res.transportfel:
        problem.append(f"{sum(res.transportfel.values())} transportfel")
    if res.utan_kvitto:
        problem.append(f"{res.utan_kvitto} kvitton utan referensnummer")
    if saknas or dubbla_i_db or dubbla_i_klienten:
        problem.append("saknade eller dubbla referenser")
    if under_korningen != res.accepterade:
        problem.append(
            f"{under_korningen} rader i databasen men {res.accepterade} accepterade inlämningar"
        )
    if not res.referenser:
        problem.append("inga inlämningar")
    if problem:
        print("FEL: " + "; ".join(problem), file=sys.stderr)
        return 1
    print("OK: inga serverfel, varje referensnummer finns exakt en gång i databasen.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
