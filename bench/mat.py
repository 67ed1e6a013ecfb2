#!/usr/bin/env python
"""Measure the server time of the heaviest pages with Django's test client.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kvalitet_bench DEBUG=true \\
        python bench/mat.py [--skriv bench/RESULTS.md] [--explain 20]

Each page is requested as the persona that sees it in real use (`force_login`):
3 warm-up requests, then 25 measured ones (5 for the CSV export, whose streamed body is
read to the end). The time is the whole request in-process: middleware, session, view,
queries and template rendering; no network and no web server. Timed requests run with
DEBUG off (no query log); the query count comes from one extra request under
`CaptureQueriesContext`. Prints a Markdown table; `--skriv FILE` also appends it, with a
description of the machine, to FILE. `--explain MS` prints EXPLAIN ANALYZE of every
query slower than MS milliseconds.
"""

import argparse
import math
import statistics
import sys
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAL_MS = 100  # target median for the list and start pages


@dataclass
class Matning:
    """One page, as one persona."""

    namn: str
    persona: str
    url: str
    params: dict = field(default_factory=dict)
    antal: int = 25
    uppvarmning: int = 3
    mal: bool = True  # has the 100 ms target


def _django():
    sys.path.insert(0, str(ROOT))
    from bench.stod import django_mot_postgresql

    django_mot_postgresql("mat.py", "kvalitet_bench")


def matningar() -> list[Matning]:
    """The measured pages (DOMAIN personas; unit and dates from the database and today)."""
    from django.utils import timezone

    from kvalitet.models import Enhet

    idag = timezone.localdate()
    myn = Enhet.objects.get(kod="MYN")
    ifjol = idag.year - 1
    return [
        Matning("List, no filter", "kvalitetssamordnare", "/avvikelser/"),
        Matning(
            "List, under_utredning in Myndighetsavdelningen, last 365 days",
            "kvalitetssamordnare",
            "/avvikelser/",
            {
                "status": "under_utredning",
                "enhet": myn.pk,
                "fran": (idag - timedelta(days=365)).isoformat(),
                "till": idag.isoformat(),
            },
        ),
        Matning("List, no filter", "enhetschef", "/avvikelser/"),
        Matning("Start page", "enhetschef", "/"),
        Matning("Start page", "kvalitetssamordnare", "/"),
        Matning(
            f"CSV export, all of {ifjol}",
            "kvalitetssamordnare",
            "/avvikelser/export.csv",
            {"fran": f"{ifjol}-01-01", "till": f"{ifjol}-12-31"},
            antal=5,
            mal=False,
        ),
    ]


def hamta(client, m: Matning) -> tuple[float, int]:
    """One request, body read to the end; returns (seconds, bytes)."""
    t = time.perf_counter()
    response = client.get(m.url, m.params)
    if response.streaming:
        storlek = sum(len(c) for c in response.streaming_content)
    else:
        storlek = len(response.content)
    tid = time.perf_counter() - t
    if response.status_code != 200:
        raise SystemExit(f"{m.url} answered {response.status_code} for {m.persona}.")
    return tid, storlek


def p90(varden):
    """90th percentile, nearest rank."""
    s = sorted(varden)
    return s[math.ceil(0.9 * len(s)) - 1]


def mat(m: Matning, explain_ms: float | None):
    """Measure one page; returns a result row."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from kvalitet.models import User

    client = Client()
    client.force_login(User.objects.get(username=m.persona))
    with override_settings(DEBUG=False):
        for _ in range(m.uppvarmning):
            hamta(client, m)
        tider = []
        for _ in range(m.antal):
            tid, storlek = hamta(client, m)
            tider.append(tid * 1000)
    with CaptureQueriesContext(connection) as fragor:
        hamta(client, m)
    if explain_ms is not None:
        forklara(m, fragor.captured_queries, explain_ms)
    return {
        "matning": m,
        "median": statistics.median(tider),
        "p90": p90(tider),
        "fragor": len(fragor.captured_queries),
        "kb": storlek / 1024,
    }


def forklara(m: Matning, fragor, grans_ms):
    """Print EXPLAIN ANALYZE of the slow queries of a page."""
    from django.db import connection

    langsamma = [q for q in fragor if float(q["time"]) * 1000 >= grans_ms]
    print(f"\n--- {m.namn} ({m.persona}): {len(langsamma)} queries over {grans_ms} ms", flush=True)
    for q in sorted(langsamma, key=lambda q: -float(q["time"])):
        print(f"\n[{float(q['time']) * 1000:.1f} ms] {q['sql']}\n")
        with connection.cursor() as c:
            c.execute("EXPLAIN (ANALYZE, BUFFERS) " + q["sql"])
            for (rad,) in c.fetchall():
                print("    " + rad)


def tabell(resultat) -> list[str]:
    """The results as a Markdown table."""
    rader = [
        "| Page | Persona | Median (ms) | p90 (ms) | Queries | Response (kB) | Runs | < 100 ms |",
        "|---|---|---:|---:|---:|---:|---:|:---:|",
    ]
    for r in resultat:
        m = r["matning"]
        mal = ("yes" if r["median"] < MAL_MS else "**no**") if m.mal else "–"
        rader.append(
            f"| {m.namn} | `{m.persona}` | {r['median']:.1f} | {r['p90']:.1f} | {r['fragor']} "
            f"| {r['kb']:.0f} | {m.antal} | {mal} |"
        )
    return rader


def parse_args(argv=None):
    """Command-line options."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--skriv", metavar="FILE", help="also append the results to FILE")
    p.add_argument(
        "--explain",
        type=float,
        metavar="MS",
        help="print EXPLAIN ANALYZE of queries slower than MS ms",
    )
    p.add_argument("--bara", metavar="TEXT", help="measure only pages whose name contains TEXT")
    return p.parse_args(argv)


def main(argv=None):
    """Measure every page and print (and optionally append) the table."""
    args = parse_args(argv)
    _django()
    from django.test.utils import override_settings

    resultat = []
    with override_settings(ALLOWED_HOSTS=["*"]):
        for m in matningar():
            if args.bara and args.bara.lower() not in m.namn.lower():
                continue
            r = mat(m, args.explain)
            print(
                f"{m.namn} ({m.persona}): median {r['median']:.1f} ms, p90 {r['p90']:.1f} ms, "
                f"{r['fragor']} queries",
                file=sys.stderr,
                flush=True,
            )
            resultat.append(r)
    from bench.stod import skriv_resultat

    skriv_resultat("Run", tabell(resultat), args.skriv)


if __name__ == "__main__":
    main()
