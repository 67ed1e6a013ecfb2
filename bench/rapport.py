#!/usr/bin/env python
"""Time the kvalitetsberättelse: its figures and its PDF, over the bench data.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kvalitet_bench DEBUG=true \\
        python bench/rapport.py [--antal 5] [--ar 2025 --ar 2026] [--explain 50] \\
            [--frys] [--skriv bench/RESULTS.md]

For the most recent full year and the current year (or the years given with --ar), the
report is produced as `manage.py kvalitetsberattelse` and the PDF task do it: the year's
draft if there is one, else an unsaved report with the default texts and the default
cut-off date (31 January after the year, or today). Each repetition times
`rapporter.siffror.berakna` (the figures, all queries) and `rapporter.dokument.rendera_pdf`
(template and WeasyPrint) separately; one warm-up run comes first and is not counted.
Timing runs with DEBUG off; the queries are counted in one further run under
`CaptureQueriesContext`, and `--explain MS` prints EXPLAIN (ANALYZE, BUFFERS) of every
query slower than MS ms. Prints a Markdown table with median and max per part and the
ratio of the figures to WeasyPrint's own render time of the same report (the PDF). The
targets: the figures in at most 1 s (issue 15: no more than a quarter of the render
time, at 10 million avvikelser), and a total (figures + PDF) under 10 s.

`--frys` first decides (stores the figures of, as `Kvalitetsberattelse.faststall`
does) the reports of the four years before each measured year that have none, so that
the comparison over years reads them frozen (docs/siffror.md "Frysta år"), as it does
once the nämnd has decided its earlier reports. It writes to the database: use a copy.
"""

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAL_S = 10.0  # target for figures + PDF of one report
MAL_SIFFROR_S = 1.0  # target for the figures of one report (issue 15)


def _django():
    sys.path.insert(0, str(ROOT))
    from bench.stod import django_mot_postgresql

    django_mot_postgresql("rapport.py", "kvalitet_bench")


def berattelse_for(ar: int):
    """The report the command would write for `ar`: the draft, else default texts."""
    from rapporter.choices import Status
    from rapporter.models import Kvalitetsberattelse, standard_brytdatum

    return Kvalitetsberattelse.objects.filter(
        ar=ar, status=Status.UTKAST
    ).first() or Kvalitetsberattelse(ar=ar, brytdatum=standard_brytdatum(ar))


def frys_tidigare_ar(ar: int):
    """Decide the reports of the four years before `ar` that have no decided version:
    a decided version with the figures computed now and the default cut-off, as the
    nämnd's decision stores them. Returns the years decided here."""
    from rapporter.choices import Status
    from rapporter.models import Kvalitetsberattelse, standard_brytdatum
    from rapporter.siffror import JAMFORELSEAR, berakna

    beslutade = []
    for tidigare in range(ar - JAMFORELSEAR + 1, ar):
        if Kvalitetsberattelse.objects.filter(ar=tidigare, status=Status.FASTSTALLD).exists():
            continue
        brytdatum = standard_brytdatum(tidigare)
        version = Kvalitetsberattelse.objects.filter(ar=tidigare).order_by("-version").first()
        Kvalitetsberattelse.objects.create(
            ar=tidigare,
            version=version.version + 1 if version else 1,
            status=Status.FASTSTALLD,
            brytdatum=brytdatum,
            siffror=berakna(tidigare, brytdatum),
        )
        beslutade.append(tidigare)
    return beslutade


def sidor(pdf: bytes):
    """Number of pages, or None without pypdf (a dev dependency)."""
    try:
        from pypdf import PdfReader
    except ImportError:  # pragma: no cover
        return None
    return len(PdfReader(io.BytesIO(pdf)).pages)


def en_korning(berattelse):
    """One report: (seconds for the figures, seconds for the PDF, the PDF)."""
    from rapporter.dokument import rendera_pdf
    from rapporter.siffror import berakna

    t = time.perf_counter()
    data = berakna(berattelse.ar, berattelse.brytdatum)
    t_siffror = time.perf_counter() - t
    t = time.perf_counter()
    pdf = rendera_pdf(berattelse, siffror=data)
    t_pdf = time.perf_counter() - t
    return t_siffror, t_pdf, pdf


def mat(ar: int, antal: int, explain_ms: float | None):
    """Measure one year; returns a result row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings

    from rapporter.siffror import berakna

    berattelse = berattelse_for(ar)
    siffror, pdf_tider, totalt = [], [], []
    with override_settings(DEBUG=False):
        en_korning(berattelse)  # warm-up: templates, fonts, PostgreSQL's cache
        for _ in range(antal):
            s, p, pdf = en_korning(berattelse)
            siffror.append(s)
            pdf_tider.append(p)
            totalt.append(s + p)
    with CaptureQueriesContext(connection) as fragor:
        berakna(berattelse.ar, berattelse.brytdatum)
    if explain_ms is not None:
        forklara(ar, fragor.captured_queries, explain_ms)
    return {
        "ar": ar,
        "brytdatum": berattelse.brytdatum,
        "kalla": f"utkast v{berattelse.version}" if berattelse.pk else "standardtexter",
        "siffror": siffror,
        "pdf": pdf_tider,
        "totalt": totalt,
        "fragor": len(fragor.captured_queries),
        "sql_ms": sum(float(q["time"]) for q in fragor.captured_queries) * 1000,
        "sidor": sidor(pdf),
        "kb": len(pdf) / 1024,
    }


def forklara(ar, fragor, grans_ms):
    """Print EXPLAIN ANALYZE of the slow queries of the figures."""
    from django.db import connection

    langsamma = [q for q in fragor if float(q["time"]) * 1000 >= grans_ms]
    print(f"\n--- Figures for {ar}: {len(langsamma)} queries over {grans_ms} ms", flush=True)
    for q in sorted(langsamma, key=lambda q: -float(q["time"])):
        print(f"\n[{float(q['time']) * 1000:.1f} ms] {q['sql']}\n")
        with connection.cursor() as c:
            c.execute("EXPLAIN (ANALYZE, BUFFERS) " + q["sql"])
            for (rad,) in c.fetchall():
                print("    " + rad)


def kvot(r) -> float:
    """The figures' time as a share of WeasyPrint's render time of the same report
    (medians)."""
    return statistics.median(r["siffror"]) / statistics.median(r["pdf"])


def tabell(resultat, antal) -> list[str]:
    rader = [
        "| Year | Cut-off | Figures median / max (s) | PDF (WeasyPrint) median / max (s) "
        "| Figures / PDF | Total median / max (s) | Queries (SQL ms) | Pages | PDF (kB) "
        "| Figures ≤ 1 s | Total < 10 s |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|:---:|:---:|",
    ]
    for r in resultat:

        def mm(tider):
            return f"{statistics.median(tider):.2f} / {max(tider):.2f}"

        mal = "yes" if max(r["totalt"]) < MAL_S else "**no**"
        mal_siffror = "yes" if max(r["siffror"]) <= MAL_SIFFROR_S else "**no**"
        rader.append(
            f"| {r['ar']} ({r['kalla']}) | {r['brytdatum']} | {mm(r['siffror'])} | {mm(r['pdf'])} "
            f"| {kvot(r):.2f} | {mm(r['totalt'])} | {r['fragor']} ({r['sql_ms']:.0f}) "
            f"| {r['sidor'] or '?'} | {r['kb']:.0f} | {mal_siffror} | {mal} |"
        )
    rader.append("")
    rader.append(
        f"{antal} runs per year after one warm-up run; the targets apply to the max: the "
        f"figures in at most {MAL_SIFFROR_S:.0f} s (issue 15, at 10 million avvikelser; "
        '"Figures / PDF" is their share of WeasyPrint\'s render time of the same report), '
        f"figures and PDF together under {MAL_S:.0f} s."
    )
    if any(r.get("frysta") for r in resultat):
        rader.append(
            "Earlier years frozen (`--frys`): "
            + ", ".join(f"{r['ar']}: {', '.join(map(str, r['frysta']))}" for r in resultat)
            + "."
        )
    return rader


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--antal", type=int, default=5, help="runs per year (5)")
    p.add_argument(
        "--ar",
        type=int,
        action="append",
        help="year to measure (repeatable; default: last year and this year)",
    )
    p.add_argument("--explain", type=float, metavar="MS", help="EXPLAIN queries slower than MS")
    p.add_argument(
        "--frys",
        action="store_true",
        help="first decide the four earlier years' reports (writes to the database)",
    )
    p.add_argument("--skriv", metavar="FILE", help="also append the results to FILE")
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    _django()
    from django.utils import timezone

    idag = timezone.localdate()
    resultat = []
    for ar in args.ar or [idag.year - 1, idag.year]:
        frysta = frys_tidigare_ar(ar) if args.frys else []
        r = mat(ar, args.antal, args.explain)
        r["frysta"] = frysta
        med = {k: statistics.median(r[k]) for k in ("siffror", "pdf", "totalt")}
        print(
            f"Kvalitetsberättelse {ar}: figures {med['siffror']:.2f} s (target ≤ "
            f"{MAL_SIFFROR_S:.0f} s), PDF {med['pdf']:.2f} s, figures/PDF {kvot(r):.2f}, "
            f"total {med['totalt']:.2f} s (median; max {max(r['totalt']):.2f} s), "
            f"{r['fragor']} queries",
            file=sys.stderr,
            flush=True,
        )
        resultat.append(r)
    from bench.stod import skriv_resultat

    skriv_resultat("Kvalitetsberättelse, run", tabell(resultat, args.antal), args.skriv)


if __name__ == "__main__":
    main()
