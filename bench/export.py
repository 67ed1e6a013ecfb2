#!/usr/bin/env python
"""Time the CSV export job over a year of avvikelser, beside PostgreSQL's own COPY.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kvalitet_bench DEBUG=true \\
        python bench/export.py [--antal 3] [--dagar 365] [--python 20000] [--skriv FILE]

The export is the avvikelse list's CSV for the demo kvalitetssamordnare (who sees every
case) filtered to the last `--dagar` days (`fran`, `till`): an `Export` row run by
`kvalitet.exporter.kor` exactly as the Celery task runs it (access check, filter, count,
COPY with every column as an SQL expression, the file written under a temporary
MEDIA_ROOT and renamed into place, the job row updated). Measured beside it, in the same
run and read the same way (psycopg's copy, every row to a file):

- "PostgreSQL's own COPY": `COPY (SELECT * FROM avvikelser_avvikelse WHERE <the same
  dates>) TO STDOUT (FORMAT csv)` – the raw rows without labels, joins, local times or
  the formula guard: the floor of what any CSV export of these rows can cost;
- the Python path (model instances, `csv.writer`) on the first `--python` rows, the way
  exports were written before (and still are for XLSX, on SQLite and for lists with a
  column computed in Python).

Each is run `--antal` times after one warm-up; the table gives the median and rows/s.
The target is at least 100 000 rows/s for the job (issue 15).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAL_RADER_PER_S = 100_000


def _django():
    sys.path.insert(0, str(ROOT))
    from bench.stod import django_mot_postgresql

    django_mot_postgresql("export.py", "kvalitet_bench")


def _serverns_cpu():
    """CPU seconds (user + system) used so far by this connection's PostgreSQL backend,
    read from /proc (the server runs on this machine); None if it cannot be read."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        falt = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(falt[11]) + int(falt[12])) / os.sysconf("SC_CLK_TCK")


CPU = {}  # what the last `_tid` measured: {"server": s, "klient": s}


def _tid(funktion):
    """Wall-clock seconds of `funktion()` and its result; the CPU time of this process
    and of the PostgreSQL backend in CPU. On a loaded machine the wall clock measures
    the load as much as the export; the CPU seconds do not."""
    server = _serverns_cpu()
    klient = time.process_time()
    start = time.perf_counter()
    resultat = funktion()
    sekunder = time.perf_counter() - start
    CPU["klient"] = time.process_time() - klient
    efter = _serverns_cpu()
    CPU["server"] = efter - server if None not in (server, efter) else float("nan")
    return sekunder, resultat


def mat_jobbet(user, filter_text, media):
    """One run of the export job; (seconds, rows, bytes)."""
    from django.conf import settings

    from avvikelser.views import ListaView
    from kvalitet import exporter
    from kvalitet.models import Export, Exportstatus

    settings.MEDIA_ROOT = media
    jobb = Export.objects.create(
        anvandare=user,
        lista=f"{ListaView.__module__}.{ListaView.__qualname__}",
        rubrik="Avvikelser",
        filter=filter_text,
        format="csv",
        filnamn="avvikelser.csv",
    )
    sekunder, status = _tid(lambda: exporter.kor(jobb.pk))
    jobb.refresh_from_db()
    if status != Exportstatus.KLAR:
        raise SystemExit(f"Exporten misslyckades: {jobb.fel}")
    storlek = jobb.sokvag.stat().st_size
    jobb.ta_bort_fil()
    jobb.delete()
    return sekunder, jobb.rader_klara, storlek


def mat_referens(fran, till, media):
    """PostgreSQL's own COPY of the same rows; (seconds, rows, bytes)."""
    from django.db import connection
    from django.utils import timezone

    from avvikelser.models import Avvikelse

    tabell = Avvikelse._meta.db_table
    start = timezone.make_aware(timezone.datetime.combine(fran, timezone.datetime.min.time()))
    slut = timezone.make_aware(
        timezone.datetime.combine(till + timedelta(days=1), timezone.datetime.min.time())
    )
    sql = (
        f"COPY (SELECT * FROM {tabell} WHERE rapporterad >= %s AND rapporterad < %s) "  # noqa: S608
        "TO STDOUT (FORMAT csv)"
    )

    def kor():
        antal = 0
        with (
            open(Path(media) / "referens.csv", "wb") as fil,
            connection.cursor() as cursor,
            cursor.cursor.copy(sql, (start, slut)) as copy,
        ):
            for data in copy:
                fil.write(data)
                antal += 1
        return antal

    sekunder, antal = _tid(kor)
    storlek = (Path(media) / "referens.csv").stat().st_size
    os.remove(Path(media) / "referens.csv")
    return sekunder, antal, storlek


def mat_python(user, filter_text, gräns):
    """The Python path on the first `gräns` rows; (seconds, rows, bytes)."""
    from django.http import QueryDict
    from django.test import RequestFactory

    from avvikelser.views import ListaView
    from kvalitet.export import csv_text

    request = RequestFactory().get("/", QueryDict(filter_text))
    request.user = user
    vy = ListaView()
    vy.setup(request)
    qs = vy.filterset().qs[:gräns]

    def kor():
        storlek = 0
        for text in csv_text(qs, vy.exportkolumner()):
            storlek += len(text.encode())
        return storlek

    sekunder, storlek = _tid(kor)
    return sekunder, min(gräns, qs.count()), storlek


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--antal", type=int, default=3, help="runs of each (3)")
    p.add_argument("--dagar", type=int, default=365, help="days back from today (365)")
    p.add_argument("--python", type=int, default=20_000, help="rows for the Python path")
    p.add_argument("--skriv", metavar="FILE", help="also append the results to FILE")
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    _django()
    from django.utils import timezone

    from kvalitet.models import User

    user = User.objects.get(username="kvalitetssamordnare")
    till = timezone.localdate()
    fran = till - timedelta(days=args.dagar - 1)
    filter_text = f"fran={fran:%Y-%m-%d}&till={till:%Y-%m-%d}"
    resultat = {"jobb": [], "referens": [], "python": []}
    with tempfile.TemporaryDirectory() as media:
        for varv in range(args.antal + 1):
            for namn, matning in (
                ("jobb", lambda: mat_jobbet(user, filter_text, media)),
                ("referens", lambda: mat_referens(fran, till, media)),
                ("python", lambda: mat_python(user, filter_text, args.python)),
            ):
                sekunder, rader, storlek = matning()
                print(
                    f"{'uppvärmning' if varv == 0 else varv}: {namn} {rader} rader "
                    f"{sekunder:.2f} s ({rader / sekunder:,.0f} rader/s, {storlek:,} byte; "
                    f"CPU server {CPU['server']:.2f} s, klient {CPU['klient']:.2f} s)",
                    file=sys.stderr,
                    flush=True,
                )
                if varv:
                    resultat[namn].append((sekunder, rader, storlek, dict(CPU)))
    from bench.stod import skriv_resultat

    skriv_resultat("Export (CSV job), run", tabell(resultat, filter_text), args.skriv)


def tabell(resultat, filter_text):
    rubriker = {
        "jobb": "Export job, CSV (`kvalitet.exporter.kor`, COPY)",
        "referens": "PostgreSQL's own `COPY … TO STDOUT (FORMAT csv)`, same rows",
        "python": "Python path (model instances, `csv.writer`)",
    }
    rader = [
        f"Filter `{filter_text}` as the demo kvalitetssamordnare; median of "
        f"{len(resultat['jobb'])} runs.",
        "",
        "| What | Rows | Median s | Rows/s | CPU s server | CPU s client | Rows/CPU-s | File |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for namn, rubrik in rubriker.items():
        sekunder = statistics.median(r[0] for r in resultat[namn])
        server = statistics.median(r[3]["server"] for r in resultat[namn])
        klient = statistics.median(r[3]["klient"] for r in resultat[namn])
        antal = resultat[namn][0][1]
        storlek = resultat[namn][0][2]
        rader.append(
            f"| {rubrik} | {antal:,} | {sekunder:.2f} | {antal / sekunder:,.0f} | "
            f"{server:.2f} | {klient:.2f} | {antal / (server + klient):,.0f} | "
            f"{storlek / 1024 / 1024:.1f} MiB |"
        )
    jobb = statistics.median(r[0] for r in resultat["jobb"])
    antal = resultat["jobb"][0][1]
    rader += [
        "",
        "Rows/CPU-s: rows per CPU second of the PostgreSQL backend and this process together "
        "(what the wall clock would approach on an idle machine with the two in series).",
        f"Target: at least {MAL_RADER_PER_S:,} rows/s for the job (wall clock): "
        f"{'met' if antal / jobb >= MAL_RADER_PER_S else 'NOT met'}.",
    ]
    return rader


if __name__ == "__main__":
    main()
