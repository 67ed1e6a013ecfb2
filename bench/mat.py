#!/usr/bin/env python
"""Measure the server time of the heaviest pages with Django's test client.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kvalitet_bench DEBUG=true \\
        python bench/mat.py [--skriv bench/RESULTS.md] [--explain 20] [--rundor 5]

Each page is requested as the persona that sees it in real use (`force_login`):
3 warm-up requests, then 25 measured ones (5 for the CSV export, whose streamed body is
read to the end). The time is the whole request in-process: middleware, session, view,
queries and template rendering; no network and no web server. Timed requests run with
DEBUG off (no query log); the query count and their SQL time come from one extra
request under `CaptureQueriesContext`. Prints a Markdown table; `--skriv FILE` also
appends it, with a description of the machine, to FILE. `--explain MS` prints EXPLAIN
ANALYZE of every query slower than MS milliseconds. `--rundor N` measures every page in
N rounds (all pages, then all again …), so that a disturbance of the machine lands in
one round of each page rather than in all of one page's requests: the median is then
the median of the rounds' medians, with their range beside it (on the 2-core VM a
page's median moved by 10–30 ms between single runs with nothing else running).

The list search (`?q=`) is measured beside its reference in the same run: Django's
admin changelist searching the same fields for the same text (bench/sokadmin.py), as a
superuser (`bench_sokadmin`, created if missing).
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
MAL_SOK_MS = 50  # target median for the list search
SOKADMIN = "bench_sokadmin"
# Words of the generated texts (the avvikelse scenarios of avvikelser/demo.py): one in
# about a third of the cases, one in a few per cent, and the start of a word.
VANLIGT_ORD = "klienten"
OVANLIGT_ORD = "betalningsanmärkning"
DELORD = "handläg"


@dataclass
class Matning:
    """One page, as one persona."""

    namn: str
    persona: str
    url: str
    params: dict = field(default_factory=dict)
    antal: int = 25
    uppvarmning: int = 3
    mal: bool = True  # has a target median
    mal_ms: float = MAL_MS
    # The reference the row is compared with, measured in the same run (the admin).
    referens: "Matning | None" = None


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
    fran, till = (idag - timedelta(days=365)).isoformat(), idag.isoformat()
    alla = admin("List, no filter", {})
    # The admin has no unit subtree: its reference filters status and dates only (fewer
    # conditions, so if anything a faster reference).
    filtrerad = admin(
        "List, under_utredning, last 365 days",
        {
            "status__exact": "under_utredning",
            "rapporterad__gte": fran,
            "rapporterad__lt": (idag + timedelta(days=1)).isoformat(),
        },
    )
    return [
        Matning("List, no filter", "kvalitetssamordnare", "/avvikelser/", referens=alla),
        Matning(
            "List, under_utredning in Myndighetsavdelningen, last 365 days",
            "kvalitetssamordnare",
            "/avvikelser/",
            {"status": "under_utredning", "enhet": myn.pk, "fran": fran, "till": till},
            referens=filtrerad,
        ),
        Matning("List, no filter", "enhetschef", "/avvikelser/", referens=alla),
        Matning("Start page", "enhetschef", "/"),
        Matning("Start page", "kvalitetssamordnare", "/"),
        *sokningar(),
    ]


def sokningar() -> list[Matning]:
    """The list search: a common word, a rare word, a partial word and a case number
    (the newest case of Ekonomiskt bistånd, which both personas see), each with the
    admin changelist's search for the same text as its reference."""
    from avvikelser.models import Avvikelse
    from bench.sokadmin import URL

    nummer = (
        Avvikelse.objects.filter(enhet__kod="MYN-EKB")
        .order_by("-rapporterad", "-pk")
        .values_list("nummer", flat=True)
        .first()
    )
    texter = [
        ("common word", VANLIGT_ORD),
        ("rare word", OVANLIGT_ORD),
        ("partial word", DELORD),
        ("case number", nummer),
    ]
    rader = []
    for slag, text in texter:
        referens = Matning(
            f"Admin changelist, search {slag} `{text}`",
            SOKADMIN,
            URL,
            {"q": text},
            antal=5,
            uppvarmning=1,
            mal=False,
        )
        for persona in ("kvalitetssamordnare", "enhetschef"):
            rader.append(
                Matning(
                    f"List, search {slag} `{text}`",
                    persona,
                    "/avvikelser/",
                    {"q": text},
                    mal_ms=MAL_SOK_MS,
                    referens=referens,
                )
            )
    return rader


def admin(namn, params):
    """A reference row: the admin changelist of the same table (bench/sokadmin.py)."""
    from bench.sokadmin import URL

    return Matning(
        f"Admin changelist, {namn}", SOKADMIN, URL, params, antal=5, uppvarmning=1, mal=False
    )


def sokadmin():
    """The superuser of the admin reference (bench/sokadmin.py)."""
    from kvalitet.models import User

    User.objects.update_or_create(
        username=SOKADMIN, defaults={"is_superuser": True, "is_staff": True, "is_active": True}
    )


def logga_in(client, user):
    """Log the client in as after a completed login: force_login, and for someone who owes
    the second factor (the superuser of the admin reference; kvalitet.tvastegs) a session
    verified by an app of theirs, as after typing its code."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from kvalitet import behorighet

    client.force_login(user)
    if behorighet.kraver_tvastegs(user):
        app, _ = TOTPDevice.objects.get_or_create(user=user, name="Bench", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = app.persistent_id
        session.save()


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
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from kvalitet.models import User

    client = Client()
    logga_in(client, User.objects.get(username=m.persona))
    urlconf = "bench.sokadmin" if m.persona == SOKADMIN else settings.ROOT_URLCONF
    with override_settings(DEBUG=False, ROOT_URLCONF=urlconf):
        for _ in range(m.uppvarmning):
            hamta(client, m)
        tider = []
        for _ in range(m.antal):
            tid, storlek = hamta(client, m)
            tider.append(tid * 1000)
    with override_settings(ROOT_URLCONF=urlconf), CaptureQueriesContext(connection) as fragor:
        hamta(client, m)
    if explain_ms is not None:
        forklara(m, fragor.captured_queries, explain_ms)
    return {
        "matning": m,
        "tider": tider,
        "median": statistics.median(tider),
        "p90": p90(tider),
        "fragor": len(fragor.captured_queries),
        "sql_ms": sum(float(q["time"]) for q in fragor.captured_queries) * 1000,
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


def sammanfoga(rundor):
    """One page's rounds as one result row: the median of the rounds' medians (and the
    rounds' medians, for the range), the 90th percentile of every request; the queries,
    SQL time and size of the first round."""
    forsta = rundor[0]
    if len(rundor) == 1:
        return forsta
    return {
        **forsta,
        "median": statistics.median(r["median"] for r in rundor),
        "p90": p90([t for r in rundor for t in r["tider"]]),
        "rundmedianer": [r["median"] for r in rundor],
    }


def tabell(resultat) -> list[str]:
    """The results as a Markdown table; a list or search row also gives its admin
    reference and its time as a multiple of the reference's."""
    rader = [
        "| Page | Persona | Median (ms) | p90 (ms) | Queries | SQL (ms) | Response (kB) | Runs "
        "| Target (ms) | Met | Admin reference median (ms) | × reference |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|:---:|---:|---:|",
    ]
    for r in resultat:
        m = r["matning"]
        mal = ("yes" if r["median"] < m.mal_ms else "**no**") if m.mal else "–"
        ref = f"{r['referens']['median']:.0f}" if r.get("referens") else "–"
        kvot = f"{r['median'] / r['referens']['median']:.3f}" if r.get("referens") else "–"
        median = f"{r['median']:.1f}"
        if rundmedianer := r.get("rundmedianer"):
            median += f" ({min(rundmedianer):.1f}–{max(rundmedianer):.1f})"
        korningar = m.antal * len(rundmedianer or [1])
        rader.append(
            f"| {m.namn} | `{m.persona}` | {median} | {r['p90']:.1f} | {r['fragor']} "
            f"| {r['sql_ms']:.0f} | {r['kb']:.0f} | {korningar} "
            f"| {m.mal_ms if m.mal else '–'} | {mal} | {ref} | {kvot} |"
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
    p.add_argument(
        "--rundor",
        type=int,
        default=1,
        metavar="N",
        help="measure every page in N rounds; the median of the rounds' medians (1)",
    )
    p.add_argument(
        "--utan-referens",
        action="store_true",
        help="skip the admin reference of the search rows (minutes per text at 10 million)",
    )
    return p.parse_args(argv)


def main(argv=None):
    """Measure every page and print (and optionally append) the table."""
    args = parse_args(argv)
    _django()
    from django.test.utils import override_settings

    resultat = []
    referenser = {}
    with override_settings(ALLOWED_HOSTS=["*"]):
        sidor = [m for m in matningar() if not args.bara or args.bara.lower() in m.namn.lower()]
        rundor = [[] for _ in sidor]
        for runda in range(max(args.rundor, 1)):
            for i, m in enumerate(sidor):
                rundor[i].append(mat(m, args.explain if runda == 0 else None))
                if args.rundor > 1:
                    print(
                        f"round {runda + 1}: {m.namn} ({m.persona}): "
                        f"median {rundor[i][-1]['median']:.1f} ms",
                        file=sys.stderr,
                        flush=True,
                    )
        for m, sidans in zip(sidor, rundor, strict=True):
            r = sammanfoga(sidans)
            if (ref := m.referens) is not None and not args.utan_referens:
                nyckel = (ref.url, tuple(sorted(ref.params.items())))
                if nyckel not in referenser:
                    sokadmin()
                    referenser[nyckel] = mat(ref, args.explain)
                    print(
                        f"{ref.namn}: median {referenser[nyckel]['median']:.1f} ms",
                        file=sys.stderr,
                        flush=True,
                    )
                r["referens"] = referenser[nyckel]
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
