#!/usr/bin/env python
"""Time `manage.py importera` with a large file, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kvalitet_import \\
        python bench/importera.py [--antal 100000] [--skriv bench/RESULTS.md]

Runs `seed_demo --utan-arenden` (the demo organisation and users), deletes the rows of
an earlier run, writes a `kvalitet-import/1` file with ANTAL records (half avvikelser,
half synpunkter, spread over 2015–2019, all units, categories, statuses) to a temporary
directory, and times four runs of the command in-process:

1. the import itself (every record new),
2. the same file again (every record unchanged: what a repeated migration costs),
3. `--dry-run` of the same file,
4. the file with every description changed (every record updated, with history).

The time is the whole command (reading the JSON, validating every record with the
model's `full_clean`, writing), with DEBUG off. Prints a Markdown table; `--skriv FILE`
appends it with a description of the machine. The target: 100 000 records in well
under a minute.
"""

import argparse
import json
import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "importbench-"
MAL_S = 60
FRO = 2026


def _django():
    sys.path.insert(0, str(ROOT))
    from bench.stod import django_mot_postgresql

    django_mot_postgresql("importera.py", "kvalitet_import")


def parse_args(argv=None):
    """Command-line options."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--antal", type=int, default=100_000, help="records in the file (100000)")
    p.add_argument("--skriv", metavar="FIL", help="append the results to this Markdown file")
    return p.parse_args(argv)


def rensa():
    """Delete the rows of an earlier run with SQL deletes (a model `.delete()` would
    write a deletion record to the change history of every row), then VACUUM ANALYZE
    the tables the import writes."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction

    from avvikelser.models import Avvikelse
    from kvalitet.models import TimelineEntry
    from synpunkter.models import Synpunkt

    with transaction.atomic():
        for modell in (Avvikelse, Synpunkt):
            ct = ContentType.objects.get_for_model(modell)
            rader = modell.objects.filter(extern_id__startswith=PREFIX)
            ids = rader.values("pk")
            TimelineEntry.objects.filter(content_type=ct, object_id__in=ids)._raw_delete("default")
            if modell is Avvikelse:
                modell.orsaksomraden.through.objects.filter(avvikelse__in=ids)._raw_delete(
                    "default"
                )
            modell.history.filter(extern_id__startswith=PREFIX)._raw_delete("default")
            rader._raw_delete("default")
    # As after a real clean-up: the next import does not wade through dead rows.
    with connection.cursor() as c:
        for modell in (Avvikelse, Synpunkt, TimelineEntry, Avvikelse.orsaksomraden.through):
            c.execute(f"VACUUM ANALYZE {connection.ops.quote_name(modell._meta.db_table)}")
            if hasattr(modell, "history"):
                tabell = modell.history.model._meta.db_table
                c.execute(f"VACUUM ANALYZE {connection.ops.quote_name(tabell)}")


def generera(antal: int) -> dict:
    """The file: `antal` records, the same for the same `antal`."""
    from avvikelser.models import Kategori, Orsaksomrade
    from kvalitet.models import Enhet
    from synpunkter.models import Kategori as SynKategori

    rng = random.Random(FRO)
    enheter = list(Enhet.objects.values_list("kod", flat=True))
    kategorier = list(Kategori.objects.values_list("namn", flat=True))
    orsaker = list(Orsaksomrade.objects.values_list("namn", flat=True))
    synkategorier = list(SynKategori.objects.values_list("namn", flat=True))
    start, dagar = date(2015, 1, 1), (date(2019, 12, 31) - date(2015, 1, 1)).days

    def dag():
        return start + timedelta(days=rng.randrange(dagar))

    avvikelser, synpunkter = [], []
    for i in range(antal // 2):
        rapporterad = dag()
        avslutad = rapporterad + timedelta(days=rng.randrange(1, 60))
        post = {
            "extern_id": f"{PREFIX}avv-{i:06d}",
            "typ": "avvikelse" if rng.random() < 0.85 else "tillbud",
            "enhet": rng.choice(enheter),
            "handelsedatum": (rapporterad - timedelta(days=rng.randrange(0, 7))).isoformat(),
            "rapporterad": datetime(
                rapporterad.year, rapporterad.month, rapporterad.day, rng.randrange(7, 18), 15
            ).isoformat()
            + "+01:00",
            "kategori": rng.choice(kategorier),
            "orsaksomraden": rng.sample(orsaker, rng.randrange(0, 3)),
            "beskrivning": "Beslut skickat till fel adress; uppgifter kunde ha röjts.",
            "beror_enskild": rng.random() < 0.6,
            "status": "avslutad",
            "avslutad": avslutad.isoformat(),
            "analys": "Rutinen för adresskontroll följdes inte.",
        }
        if rng.random() < 0.05:
            post["status"] = "under_utredning"
            del post["avslutad"]
        avvikelser.append(post)
    for i in range(antal - antal // 2):
        inkom = dag()
        besvarad = inkom + timedelta(days=rng.randrange(1, 25))
        synpunkter.append(
            {
                "extern_id": f"{PREFIX}syn-{i:06d}",
                "typ": rng.choice(["klagomal", "klagomal", "synpunkt", "berom", "forslag"]),
                "kanal": rng.choice(["e_tjanst", "epost", "brev", "telefon", "via_ivo"]),
                "avsandare": rng.choice(["brukare", "narstaende", "myndighet", "ovrig"]),
                "inkom": inkom.isoformat(),
                "enhet": rng.choice(enheter),
                "kategori": rng.choice(synkategorier),
                "beskrivning": "Missnöjd med bemötandet vid besök.",
                "status": "avslutad",
                "besvarad": besvarad.isoformat(),
                "avslutad": (besvarad + timedelta(days=rng.randrange(0, 5))).isoformat(),
                "diarienummer": f"SOCN/{inkom.year}:{i % 9000 + 1}",
                "svar": "Vi beklagar och har gått igenom rutinen.",
            }
        )
    historik = [
        {"ar": ar, "serie": serie, "dimension": "total", "antal": rng.randrange(20, 80)}
        for ar in range(2010, 2015)
        for serie in ("avvikelser", "synpunkter", "lexsarah")
    ]
    return {
        "format": "kvalitet-import/1",
        "avvikelser": avvikelser,
        "synpunkter": synpunkter,
        "historik": historik,
    }


def kor(sokvag: Path, *flaggor) -> tuple[float, str]:
    """Run the command; (seconds, its output)."""
    from django.core.management import call_command

    ut = StringIO()
    t = time.perf_counter()
    call_command("importera", str(sokvag), *flaggor, stdout=ut, stderr=sys.stderr)
    return time.perf_counter() - t, ut.getvalue()


def main(argv=None):
    args = parse_args(argv)
    _django()
    from django.conf import settings
    from django.core.management import call_command

    from bench.stod import maskin

    call_command("seed_demo", "--utan-arenden", stdout=StringIO())
    t = time.perf_counter()
    rensa()
    print(f"Deleted earlier import bench rows and vacuumed in {time.perf_counter() - t:.1f} s.")

    with tempfile.TemporaryDirectory() as katalog:
        sokvag = Path(katalog) / "importbench.json"
        data = generera(args.antal)
        sokvag.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        storlek = sokvag.stat().st_size / 1024 / 1024
        print(f"Wrote {args.antal:,} records ({storlek:.0f} MB) to {sokvag}.")

        # The same records with every description corrected: each one is updated.
        andrad = Path(katalog) / "importbench-andrad.json"
        for post in (*data["avvikelser"], *data["synpunkter"]):
            post["beskrivning"] += " (rättad)"
        andrad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

        settings.DEBUG = False  # no query log while timing, as in production
        resultat = []
        for namn, fil, flaggor in (
            ("First import (all new)", sokvag, ()),
            ("Same file again (all unchanged)", sokvag, ()),
            ("Same file, --dry-run", sokvag, ("--dry-run",)),
            ("Every record changed (all updated)", andrad, ()),
        ):
            sekunder, ut = kor(fil, *flaggor)
            rader = [r for r in ut.splitlines() if r.startswith(("avvikelser:", "synpunkter:"))]
            resultat.append((namn, sekunder, "; ".join(rader)))
            print(f"{namn}: {sekunder:.1f} s")

    tabell = [
        f"| Run ({args.antal:,} records, {storlek:.0f} MB file) | Seconds | Records/s | Summary |",
        "|---|---:|---:|---|",
        *(
            f"| {namn} | {s:.1f} | {args.antal / s:,.0f} | {sammanfattning} |"
            for namn, s, sammanfattning in resultat
        ),
    ]
    print("\n".join(tabell))
    forsta = resultat[0][1]
    print(f"Target (< {MAL_S} s for the first import): {'met' if forsta < MAL_S else 'MISSED'}")
    if args.skriv:
        from django.utils import timezone

        from kvalitet.models import Enhet

        rubrik = f"\n## Import benchmark {timezone.localtime():%Y-%m-%d %H:%M}\n\n"
        # mat.py's description ends with the avvikelser in the database; say what was
        # imported instead.
        beskrivning = [r for r in maskin() if not r.startswith("- Data:")]
        beskrivning.append(
            f"- Data: the demo organisation ({Enhet.objects.count()} units); "
            f"{args.antal:,} records in the file"
        )
        text = rubrik + "\n".join([*beskrivning, "", *tabell]) + "\n"
        with open(args.skriv, "a", encoding="utf-8") as f:
            f.write(text)
        print(f"Appended to {args.skriv}.")


if __name__ == "__main__":
    main()
