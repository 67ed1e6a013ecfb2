#!/usr/bin/env python
"""Generate benchmark data with COPY: the demo organisation, N avvikelser and, in
proportion, synpunkter (N/10) and lex Sarah cases (N/100), on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kvalitet_bench \\
        python bench/generera.py [--antal 1000000] [--rensa]

Runs `seed_demo --utan-arenden` (organisation and users) and then writes the cases with
PostgreSQL's COPY, spread evenly over the last five years, all units, statuses and
categories; about 10 % in Ekonomiskt bistånd and 5 % reported by the demo `medarbetare`.
10,000,000 avvikelser take minutes, not hours (bench/README.md).

Bench rows have `extern_id` "bench-…" (avvikelser), "bench-syn-…" and "bench-ls-…".
A second run with the rows present does nothing; a type whose bench rows are incomplete
(an interrupted run) is deleted and written again. Case numbers (PREFIX-YYYY-NNNN, by
year of the case's date) are set here and the `CaseNumberSeries` rows are moved past
them, so later cases continue the series. The data is the same on every run for the
same --antal and day.

Deliberately not written for bench rows: change history (simple_history), timeline
entries, attachments and improvement actions: COPY bypasses `save()` and the history
signals, and the measured pages do not read them.
"""

# ruff: noqa: S608 - the SQL names tables and columns from the models' own _meta, never input

import argparse
import functools
import io
import json
import random
import sys
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHUNK = 250_000  # rows per transaction
AR = 5  # years of history
PREFIX = "bench-"
FRO = 2026


def _django():
    sys.path.insert(0, str(ROOT))
    from bench.stod import django_mot_postgresql

    django_mot_postgresql("generera.py", "kvalitet_bench")


def parse_args(argv=None):
    """Command-line options."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--antal", type=int, default=200_000, help="number of avvikelser (200000)")
    p.add_argument("--rensa", action="store_true", help="delete earlier bench rows first")
    return p.parse_args(argv)


def andelar(antal):
    """How many cases of each type for `antal` avvikelser: (model label, prefix, count)."""
    return [
        ("avvikelser.Avvikelse", PREFIX, antal),
        ("synpunkter.Synpunkt", f"{PREFIX}syn-", antal // 10),
        ("lexsarah.LexSarah", f"{PREFIX}ls-", antal // 100),
    ]


class Organisation:
    """The demo organisation's units, staff and chefs, read once."""

    def __init__(self):
        from kvalitet import behorighet
        from kvalitet.management.commands.seed_demo import PERSONER
        from kvalitet.models import Enhet, Roll, User

        users = {
            u.username: u for u in User.objects.filter(username__in=[p.username for p in PERSONER])
        }
        self.medarbetare = users["medarbetare"].pk
        self.fc = users["forvaltningschef"].pk
        self.kvs = users["kvalitetssamordnare"].pk
        self.enheter = list(Enhet.objects.exclude(overordnad=None).order_by("kod"))
        self.ekb = next(e for e in self.enheter if e.kod == "MYN-EKB")
        self.ovriga = [e for e in self.enheter if e != self.ekb]
        personal = {r.value for r in behorighet.PERSONAL}
        self.rapportorer = {}
        self.chef = {}
        for e in self.enheter:
            # Staff of the unit, of the units above it (in code) and of the units below it.
            nara = [
                users[p.username].pk
                for p in PERSONER
                if p.username != "medarbetare"
                and any(
                    r in personal and (e.kod.startswith(k) or k.startswith(e.kod))
                    for r, k in p.uppdrag
                )
            ]
            self.rapportorer[e.pk] = nara or [users["chef.staben"].pk]
            chefer = behorighet.ansvariga_chefer(e) or behorighet.ansvariga_chefer(
                e, (Roll.AVDELNINGSCHEF,)
            )
            self.chef[e.pk] = chefer[0].pk if chefer else self.fc

    def enhet(self, rng):
        return self.ekb if rng.random() < 0.10 else rng.choice(self.ovriga)

    def rapportor(self, rng, enhet):
        return self.medarbetare if rng.random() < 0.05 else rng.choice(self.rapportorer[enhet.pk])


def tider(rng, antal, nu):
    """`antal` moments over the last AR years, oldest first, evenly per day and mostly
    in office hours, produced day by day (10M moments never sit in memory)."""
    start = (nu - timedelta(days=365 * AR)).replace(hour=0, minute=0, second=0)
    dagar = 365 * AR
    bas, rest = divmod(antal, dagar)
    # The days that get one more, spread over the period.
    extra = set(rng.sample(range(dagar), rest)) if rest else set()
    slut = nu - timedelta(hours=1)
    for d in range(dagar):
        dag = start + timedelta(days=d)
        n = bas + (d in extra)
        sek = sorted(
            rng.randint(7 * 3600, 18 * 3600) if rng.random() < 0.9 else rng.randrange(86_400)
            for _ in range(n)
        )
        for s in sek:
            yield min(dag + timedelta(seconds=s), slut)


def _alder_status(rng, alder, steg):
    """A status for a case `alder` days old: `steg` lists the statuses from first to last;
    recent cases are early in the flow, older ones almost all at its end."""
    r = rng.random()
    if alder < 14:
        return steg[0] if r < 0.6 else steg[1]
    if alder < 60:
        return steg[0] if r < 0.2 else steg[1] if r < 0.6 else steg[-1]
    return steg[-1] if r < 0.96 else steg[1] if r < 0.99 else steg[0]


class Avvikelser:
    """Rows of avvikelser (as the earlier bulk generator made them)."""

    modell = "avvikelser.Avvikelse"

    def __init__(self, org, nu):
        from django.conf import settings

        from avvikelser.choices import Stallningstagande, Upptackt
        from avvikelser.demo import SCENARIER
        from avvikelser.models import Kategori, Orsaksomrade

        self.org, self.nu = org, nu
        self.upptackt = list(Upptackt.values)
        self.stallning = list(Stallningstagande.values[::-1])
        self.frist = timedelta(days=settings.AVVIKELSE_UTREDNINGSTID_DAGAR)
        self.kategorier = list(Kategori.objects.order_by("pk").values_list("pk", flat=True))
        self.orsak_id = dict(Orsaksomrade.objects.values_list("namn", "pk"))
        # The text the database keeps on the row (kvalitet.listkolumn), whose triggers do
        # not run under session_replication_role = replica: the names by their order.
        from kvalitet.listkolumn import kolumnnamn

        # In the cause areas' own order (`Meta.ordering`), as the export and the triggers.
        nyckel = {
            r[0]: r[1:]
            for r in Orsaksomrade.objects.values_list("namn", *Orsaksomrade._meta.ordering)
        }
        self.orsak_kolumn = kolumnnamn("orsaksomraden")
        self.orsak_text = lambda namn: ", ".join(sorted(namn, key=nyckel.__getitem__))
        self.scenarier = {
            (e.pk, typ): [s for s in SCENARIER if s.typ == typ and s.passar(e.kod)]
            for e in org.enheter
            for typ in ("avvikelse", "tillbud")
        }

    def rad(self, rng, tid, dag):
        from avvikelser.choices import Status, Typ

        org = self.org
        enhet = org.enhet(rng)
        typ = Typ.AVVIKELSE if rng.random() < 0.85 else Typ.TILLBUD
        sc = rng.choice(self.scenarier[(enhet.pk, typ)])
        rapportor = org.rapportor(rng, enhet)
        status = _alder_status(
            rng, (self.nu - tid).days, (Status.RAPPORTERAD, Status.UNDER_UTREDNING, Status.AVSLUTAD)
        )
        a = {
            "enhet_id": enhet.pk,
            "typ": typ,
            "status": status,
            "rapporterad": tid,
            "skapad": tid,
            "uppdaterad": tid,
            "rapporterad_av_id": rapportor,
            "skapad_av_id": rapportor,
            "uppdaterad_av_id": rapportor,
            "handelsedatum": dag - timedelta(days=rng.choice((0, 0, 0, 1, 2, 5))),
            "upptackt_datum": dag,
            "upptackt_hur": rng.choice(self.upptackt),
            "beror_enskild": sc.beror_enskild,
            "beskrivning": sc.beskrivning,
            "konsekvenser": sc.konsekvenser,
            "omedelbara_atgarder": sc.omedelbara_atgarder,
            "arbetsskadeanmalan": sc.arbetsskadeanmalan if typ == Typ.TILLBUD else None,
            "kategori_id": rng.choice(self.kategorier) if rng.random() < 0.5 else None,
            "tidsfrist": dag + self.frist,
        }
        orsaker = ()
        if status != Status.RAPPORTERAD:
            a["handlaggare_id"] = a["uppdaterad_av_id"] = org.chef[enhet.pk]
            a["kategori_id"] = a["kategori_id"] or rng.choice(self.kategorier)
            if status == Status.AVSLUTAD or rng.random() < 0.5:
                a["analys"] = sc.analys
                orsaker = [self.orsak_id[o] for o in sc.orsaker]
                if sc.orsaker:
                    a[self.orsak_kolumn] = self.orsak_text(sc.orsaker)
        if status == Status.AVSLUTAD:
            a["vidtagna_atgarder"] = sc.vidtagna_atgarder
            avslutad = min(
                tid + timedelta(days=rng.randint(2, 45), minutes=rng.randint(0, 600)),
                self.nu - timedelta(minutes=30),
            )
            a["avslutad"] = a["uppdaterad"] = avslutad
            if typ == Typ.AVVIKELSE and rng.random() < 0.8:
                a["fc_stallningstagande"] = rng.choices(self.stallning, weights=(65, 28, 2, 5))[0]
                a["fc_mottagen"] = _localdate(avslutad)
                a["fc_datum"] = min(a["fc_mottagen"] + timedelta(days=rng.randint(0, 7)), _idag())
                a["fc_av_id"] = a["uppdaterad_av_id"] = org.fc
        return a, orsaker


class Synpunkter:
    """Rows of synpunkter: all channels and senders, mostly klagomål, answered when old."""

    modell = "synpunkter.Synpunkt"

    def __init__(self, org, nu):
        from django.conf import settings

        from synpunkter.choices import Avsandare, Kanal, Svarssatt
        from synpunkter.demo import SYNPUNKTSMALLAR
        from synpunkter.models import Kategori

        self.org, self.nu = org, nu
        self.kanaler = list(Kanal.values)
        self.avsandare = list(Avsandare.values)
        self.svarssatt = list(Svarssatt.values)
        self.frist = timedelta(days=settings.SYNPUNKT_SVARSTID_DAGAR)
        self.mallar = list(SYNPUNKTSMALLAR.values())
        self.kategorier = dict(Kategori.objects.values_list("namn", "pk"))

    def rad(self, rng, tid, dag, i):
        from synpunkter.choices import Status

        org = self.org
        enhet = org.enhet(rng)
        mall = rng.choice(self.mallar)
        status = _alder_status(
            rng,
            (self.nu - tid).days,
            (Status.INKOMMEN, Status.UNDER_HANDLAGGNING, Status.AVSLUTAD),
        )
        s = {
            "enhet_id": enhet.pk,
            "typ": mall.typ,
            "status": status,
            "kanal": rng.choices(self.kanaler, weights=(50, 20, 10, 12, 5, 1, 2))[0],
            "avsandare": rng.choice(self.avsandare),
            "inkom": tid,
            "skapad": tid,
            "uppdaterad": tid,
            "beskrivning": mall.beskrivning,
            "anonym": rng.random() < 0.3,
            "referens": _referens(i),
            "kategori_id": self.kategorier.get(mall.kategori),
            "tidsfrist": dag + self.frist,
        }
        if status != Status.INKOMMEN:
            s["registrerad"] = tid + timedelta(hours=rng.randint(1, 48))
            s["handlaggare_id"] = org.chef[enhet.pk]
        if status == Status.AVSLUTAD:
            besvarad = min(tid + timedelta(days=rng.randint(1, 30)), self.nu - timedelta(hours=1))
            s["registrerad"] = min(s["registrerad"], besvarad)
            s.update(
                svar=mall.svar,
                svarssatt=rng.choice(self.svarssatt),
                besvarad=besvarad,
                avslutad=besvarad,
                uppdaterad=besvarad,
                brustit=mall.typ == "klagomal" and rng.random() < 0.6,
                ledde_till_forbattring=bool(mall.forbattring),
                forbattring=mall.forbattring,
            )
        return s, ()


class LexSarahRapporter:
    """Rows of lex Sarah cases: reported by staff, investigated, classified, decided, and
    the serious ones reported to IVO."""

    modell = "lexsarah.LexSarah"

    def __init__(self, org, nu):
        from lexsarah.choices import Klassning
        from lexsarah.demo import RAPPORTER

        self.org, self.nu = org, nu
        self.klassningar = list(Klassning.values)
        self.rapporter = RAPPORTER

    def rad(self, rng, tid, dag, i):
        from lexsarah.choices import Klassning, Status

        org = self.org
        enhet = org.enhet(rng)
        r = rng.choice(self.rapporter)
        rapportor = org.rapportor(rng, enhet)
        status = _alder_status(
            rng, (self.nu - tid).days, (Status.RAPPORTERAD, Status.UNDER_UTREDNING, Status.AVSLUTAD)
        )
        ls = {
            "enhet_id": enhet.pk,
            "status": status,
            "vag": "rapport",
            "rapporterad": tid,
            "skapad": tid,
            "uppdaterad": tid,
            "rapporterad_av_id": rapportor,
            "skapad_av_id": rapportor,
            "uppdaterad_av_id": rapportor,
            "handelsedatum": dag - timedelta(days=r.handelse_dagar_fore),
            "beskrivning": r.beskrivning,
            "kalla": r.kalla,
            "vidtaget_direkt": r.vidtaget_direkt,
            "tidsfrist": dag + timedelta(days=14),
            "handelseforlopp": "[]",
            "ivo_fragor": "[]",
        }
        if status != Status.RAPPORTERAD:
            ls["handlaggare_id"] = org.chef[enhet.pk]
            ls["utredning_inledd"] = min(dag + timedelta(days=rng.randint(0, 3)), _idag())
        if status == Status.AVSLUTAD:
            klass = rng.choices(self.klassningar, weights=(30, 25, 25, 12, 8))[0]
            beslutad = min(dag + timedelta(days=rng.randint(20, 60)), _idag())
            ls.update(
                klassning=klass,
                utredning_klar=beslutad,
                bedomd=beslutad,
                beslutad=beslutad,
                beslutsfattare="forvaltningschef",
                avslutad=min(tid + timedelta(days=rng.randint(30, 90)), self.nu),
            )
            ls["uppdaterad"] = ls["avslutad"]
            if klass in (Klassning.PATAGLIG_RISK_ALLVARLIGT, Klassning.ALLVARLIGT):
                ls["ivo_anmald"] = min(beslutad + timedelta(days=rng.randint(0, 10)), _idag())
        return ls, ()


def _referens(i):
    """A unique, deterministic synpunkt reference (the e-service's format ABCD-EFGH)."""
    from synpunkter.models import REFERENS_TECKEN

    bas = len(REFERENS_TECKEN)
    tecken = []
    n = i + 7_919 * 104_729  # away from the smallest codes
    for _ in range(8):
        n, r = divmod(n, bas)
        tecken.append(REFERENS_TECKEN[r])
    kod = "".join(tecken)
    return f"{kod[:4]}-{kod[4:]}"


def _localdate(tid):
    return tid.astimezone(_TZ()).date()


@functools.cache
def _TZ():  # noqa: N802 - a constant, read once
    from django.utils import timezone

    return timezone.get_current_timezone()


def _nu():
    from django.utils import timezone

    return timezone.now().replace(microsecond=0)


def _idag():
    from django.utils import timezone

    return timezone.localdate()


def _kolumner(modell):
    """The table's columns and each one's value when a row does not give it (the field's
    default; blank text ''), for COPY."""
    from django.db import models

    standard = {}
    for f in modell._meta.concrete_fields:
        if f.primary_key:
            continue
        if f.has_default():
            varde = f.get_default()
        elif f.null:
            varde = None
        elif isinstance(f, models.CharField | models.TextField):
            varde = ""
        else:
            varde = None
        if isinstance(f, models.JSONField):
            varde = json.dumps(varde)
        standard[f.attname] = varde
    return standard


def _bench(modell, prefix):
    qs = modell.objects.filter(extern_id__startswith=prefix)
    if prefix == PREFIX:  # avvikelser: "bench-" but not another type's "bench-syn-"
        qs = qs.exclude(extern_id__startswith=f"{PREFIX}syn-").exclude(
            extern_id__startswith=f"{PREFIX}ls-"
        )
    return qs


def rensa(etikett, prefix):
    """Delete one type's bench rows (their numbers are not reused, as in real life).

    A plain `.delete()` would write a deletion record to the change history for every
    row (simple_history's post_delete signal); bench rows have no history to keep, so
    they are removed with SQL deletes, together with anything attached to them since
    (timeline entries, attachments, actions, links, read log)."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction

    modell = apps.get_model(etikett)
    t = time.perf_counter()
    ct = ContentType.objects.get_for_model(modell)
    tabell = modell._meta.db_table
    villkor, varden = "extern_id LIKE %s", [f"{prefix}%"]
    if prefix == PREFIX:
        villkor += " AND extern_id NOT LIKE %s AND extern_id NOT LIKE %s"
        varden += [f"{PREFIX}syn-%", f"{PREFIX}ls-%"]
    ids = f"SELECT id FROM {tabell} WHERE {villkor}"
    with transaction.atomic(), connection.cursor() as c:
        # The rows go: no trigger need recompute their list columns (kvalitet.listkolumn)
        # as their links are deleted first.
        c.execute("SET LOCAL session_replication_role = replica")
        for relaterad in ("kvalitet_timelineentry", "kvalitet_attachment", "kvalitet_atgard"):
            c.execute(
                f"DELETE FROM {relaterad} WHERE content_type_id = %s AND object_id IN ({ids})",
                [ct.pk, *varden],
            )
        c.execute(
            f"DELETE FROM kvalitet_caselink WHERE (fran_typ_id = %s AND fran_id IN ({ids}))"
            f" OR (till_typ_id = %s AND till_id IN ({ids}))",
            [ct.pk, *varden, ct.pk, *varden],
        )
        for m2m in modell._meta.many_to_many:
            genom = m2m.remote_field.through._meta
            kolumn = m2m.m2m_column_name()
            c.execute(f"DELETE FROM {genom.db_table} WHERE {kolumn} IN ({ids})", varden)
        for rel in modell._meta.related_objects:
            if rel.one_to_many or rel.one_to_one:
                if rel.related_model._meta.db_table.startswith("kvalitet_"):
                    continue
                rt = rel.related_model._meta.db_table
                c.execute(f"DELETE FROM {rt} WHERE {rel.field.column} IN ({ids})", varden)
        c.execute(f"DELETE FROM {modell.history.model._meta.db_table} WHERE {villkor}", varden)
        c.execute(f"DELETE FROM {tabell} WHERE {villkor}", varden)
        antal = c.rowcount
    print(f"Deleted {antal} bench rows of {etikett} in {time.perf_counter() - t:.1f} s.")


@contextmanager
def utan_index(tabell, antal):
    """Drop the table's secondary indexes while a large number of rows is copied in, and
    build them again afterwards (also if the copy fails): building an index once is far
    cheaper than updating ~20 indexes row by row. Indexes behind constraints (the primary
    key, unique numbers) stay."""
    from django.db import connection

    if antal < 100_000:
        yield
        return
    with connection.cursor() as c:
        c.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conname = i.indexname)",
            [tabell],
        )
        index = c.fetchall()
        for namn, _def in index:
            c.execute(f'DROP INDEX "{namn}"')
    try:
        yield
    finally:
        t = time.perf_counter()
        with connection.cursor() as c:
            c.execute("SET maintenance_work_mem = '512MB'")
            for _namn, definition in index:
                c.execute(definition)
        print(f"  {tabell}: {len(index)} indexes built in {time.perf_counter() - t:.1f} s.")


def generera(etikett, prefix, antal, org, nu):
    """COPY `antal` rows of one case type (nothing if they are all there)."""
    from django.apps import apps
    from django.db import connection, transaction

    from kvalitet.listkolumn import kolumnnamn
    from kvalitet.models import CaseNumberSeries

    modell = apps.get_model(etikett)
    finns = _bench(modell, prefix).count()
    if finns == antal:
        print(f"{etikett}: {finns} bench rows already present; nothing to do.")
        return 0
    if finns:
        print(f"{etikett}: {finns} of {antal} bench rows present (an interrupted run); again.")
        rensa(etikett, prefix)
    if not antal:
        return 0
    typ = {
        "avvikelser.Avvikelse": Avvikelser,
        "synpunkter.Synpunkt": Synpunkter,
        "lexsarah.LexSarah": LexSarahRapporter,
    }[etikett](org, nu)
    rng = random.Random(f"{FRO}-{etikett}")
    standard = _kolumner(modell)
    for falt in getattr(modell, "LISTKOLUMNER", ()):
        standard[kolumnnamn(falt)] = None  # in the database only (kvalitet.listkolumn)
    kolumner = [
        "id",
        "nummer",
        "extern_id",
        *[k for k in standard if k not in ("nummer", "extern_id")],
    ]
    tabell = modell._meta.db_table
    m2m = next(iter(modell._meta.many_to_many), None) if etikett == "avvikelser.Avvikelse" else None
    t0 = time.perf_counter()
    with connection.cursor() as c:
        c.execute(f"SELECT coalesce(max(id), 0) FROM {tabell}")
        nasta_id = c.fetchone()[0] + 1
    # The series of every year the rows can fall in, read before COPY holds the connection.
    serier = {
        ar: CaseNumberSeries.objects.get_or_create(prefix=modell.NUMMER_PREFIX, ar=ar)[0].senaste
        for ar in range(_localdate(nu - timedelta(days=365 * AR)).year, nu.year + 1)
    }
    skrivna = 0
    rader = enumerate(tider(rng, antal, nu))
    t0 = time.perf_counter()  # the index rebuild is part of the time
    with utan_index(tabell, antal):
        while skrivna < antal:
            with transaction.atomic():
                connection.ensure_connection()
                pg = connection.connection
                # Bench rows refer to rows read above: skip the per-row foreign-key triggers
                # (the largest cost of COPY into a table with ten foreign keys).
                with pg.cursor() as cur:
                    cur.execute("SET LOCAL session_replication_role = replica")
                genom = []
                with (
                    pg.cursor() as cur,
                    cur.copy(f"COPY {tabell} ({', '.join(kolumner)}) FROM STDIN") as cp,
                ):
                    for i, tid in rader:
                        dag = _localdate(tid)
                        if isinstance(typ, Avvikelser):
                            rad, orsaker = typ.rad(rng, tid, dag)
                        else:
                            rad, orsaker = typ.rad(rng, tid, dag, i)
                        ar = dag.year
                        serier[ar] += 1
                        pk = nasta_id
                        nasta_id += 1
                        varden = {**standard, **rad}
                        cp.write_row(
                            [
                                pk,
                                f"{modell.NUMMER_PREFIX}-{ar}-{serier[ar]:04d}",
                                f"{prefix}{i:08d}",
                                *(varden[k] for k in kolumner[3:]),
                            ]
                        )
                        genom.extend((pk, o) for o in orsaker)
                        skrivna += 1
                        if skrivna % CHUNK == 0:
                            break
                if genom:
                    through = m2m.remote_field.through._meta
                    with (
                        pg.cursor() as cur,
                        cur.copy(
                            f"COPY {through.db_table} ({m2m.m2m_column_name()}, "
                            f"{m2m.m2m_reverse_name()}) FROM STDIN"
                        ) as cp,
                    ):
                        for rad in genom:
                            cp.write_row(rad)
                for ar, senaste in serier.items():
                    CaseNumberSeries.objects.filter(prefix=modell.NUMMER_PREFIX, ar=ar).update(
                        senaste=senaste
                    )
            tid = time.perf_counter() - t0
            print(
                f"  {etikett}: {skrivna:>10,} rows, {tid:6.1f} s ({skrivna / tid:,.0f}/s)",
                flush=True,
            )
    with connection.cursor() as c:
        c.execute(
            f"SELECT setval(pg_get_serial_sequence('{tabell}', 'id'), "
            f"(SELECT max(id) FROM {tabell}))"
        )
    tid = time.perf_counter() - t0
    print(f"Created {skrivna:,} {etikett} in {tid:.1f} s ({skrivna / max(tid, 1e-9):,.0f}/s).")
    return skrivna


def main(argv=None):
    """Entry point: organisation and users, then the bench rows of each type."""
    args = parse_args(argv)
    _django()
    from django.core.management import call_command
    from django.test.utils import override_settings

    t = time.perf_counter()
    call_command("seed_demo", "--utan-arenden", stdout=io.StringIO())
    print(f"Organisation and users ready in {time.perf_counter() - t:.1f} s.")
    if args.rensa:
        for etikett, prefix, _antal in andelar(args.antal):
            rensa(etikett, prefix)
    org = Organisation()
    nu = _nu()
    with override_settings(DEBUG=False):
        skrivna = [
            generera(etikett, prefix, antal, org, nu)
            for etikett, prefix, antal in andelar(args.antal)
        ]
    if not (args.rensa or any(skrivna)):
        return
    # The rows came and went with the triggers off: count the summaries the database
    # keeps (kvalitet.summering) afresh from them.
    from kvalitet import summering

    t = time.perf_counter()
    summering.bygg_om()
    print(f"Summaries counted afresh in {time.perf_counter() - t:.1f} s.")


if __name__ == "__main__":
    main()
