"""What the benchmark scripts share: Django set up from this repository against
PostgreSQL, and writing a result table to the terminal and to a Markdown file."""

import os
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def django_mot_postgresql(skript: str, exempel: str = "kvalitet_bench"):
    """Set up Django (DEBUG on: the seed command needs it); stop unless the database is
    PostgreSQL, which is what the benchmarks measure."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kvalitet.settings")
    os.environ.setdefault("DEBUG", "true")
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit(
            f"bench/{skript} measures PostgreSQL: set DATABASE_URL to a PostgreSQL database, "
            f"e.g. postgres://postgres@127.0.0.1:5432/{exempel} (now: {connection.vendor})."
        )


def maskin() -> list[str]:
    """A description of the machine and the software versions."""
    import django
    from django.db import connection
    from django.utils import timezone

    from avvikelser.models import Avvikelse

    def proc(fil, nyckel):
        try:
            for rad in Path(fil).read_text().splitlines():
                if rad.startswith(nyckel):
                    return rad.split(":", 1)[1].strip()
        except OSError:
            pass
        return "unknown"

    cpu = proc("/proc/cpuinfo", "model name")
    familj, modell = proc("/proc/cpuinfo", "cpu family"), proc("/proc/cpuinfo", "model\t")
    cpu += f" (family {familj}, model {modell})"
    if " hypervisor" in proc("/proc/cpuinfo", "flags"):
        cpu += ", virtual machine"
    minne = proc("/proc/meminfo", "MemTotal")
    if minne.endswith("kB"):
        minne = f"{int(minne.split()[0]) / 1024 / 1024:.1f} GiB"
    with connection.cursor() as c:
        c.execute("SHOW server_version")
        pg = c.fetchone()[0]
        c.execute("SHOW shared_buffers")
        sb = c.fetchone()[0]
        c.execute("SHOW work_mem")
        wm = c.fetchone()[0]
    antal = Avvikelse.objects.count()
    return [
        f"- Date: {timezone.localtime():%Y-%m-%d %H:%M} ({timezone.get_current_timezone_name()})",
        f"- CPU: {cpu}, {len(os.sched_getaffinity(0))} cores (`nproc`)",
        f"- Memory: {minne}",
        f"- PostgreSQL {pg} (shared_buffers {sb}, work_mem {wm}), same machine, over TCP",
        f"- Python {platform.python_version()}, Django {django.get_version()}, "
        f"{platform.system()} {platform.release()}",
        f"- Data: {antal:,} avvikelser",
    ]


def skriv_resultat(rubrik: str, tabell: list[str], fil: str | None):
    """Print a run's heading (with the time), the machine and the table, and append them
    to `fil` (Markdown) if given."""
    from django.utils import timezone

    rader = [f"## {rubrik} {timezone.localtime():%Y-%m-%d %H:%M}", "", *maskin(), "", *tabell, ""]
    text = "\n".join(rader)
    print(text)
    if fil:
        with open(fil, "a", encoding="utf-8") as f:
            f.write("\n" + text)
