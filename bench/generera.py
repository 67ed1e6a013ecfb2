#!/usr/bin/env python
"""Generate benchmark data: the demo organisation and N avvikelser, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kvalitet_bench \\
        python bench/generera.py [--antal 200000] [--rensa]

Runs `seed_demo --utan-arenden` (organisation and users) and then bulk-inserts the
avvikelser, spread over the last five years, all units, statuses and categories;
about 10 % in Ekonomiskt bistånd and 5 % reported by the demo `medarbetare`.

Bench rows have `extern_id` "bench-000000" ... and are never inserted twice: rows that
already exist are skipped, so a second run does nothing (`--rensa` deletes them
first). Case numbers (AVV-YYYY-NNNN, by year of `rapporterad`) are set here in bulk
and the `CaseNumberSeries` rows are moved past them, so later reports continue the
series. The data is the same on every run for the same --antal and day.

Deliberately not written for bench rows: change history (simple_history), timeline
entries, attachments and improvement actions. `bulk_create` bypasses `save()` and the
history signals, and the measured pages do not read them.
"""

import argparse
import io
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BATCH = 5_000
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


class Generator:
    """Builds the bench rows from one seeded generator."""

    def __init__(self, antal):
        from avvikelser.demo import SCENARIER
        from avvikelser.models import Kategori
        from kvalitet import behorighet
        from kvalitet.management.commands.seed_demo import PERSONER
        from kvalitet.models import Enhet, Roll, User

        self.antal = antal
        self.rng = random.Random(FRO)
        self.nu = _nu()
        users = {
            u.username: u for u in User.objects.filter(username__in=[p.username for p in PERSONER])
        }
        self.medarbetare = users["medarbetare"].pk
        self.fc = users["forvaltningschef"].pk
        self.kategorier = list(Kategori.objects.order_by("pk").values_list("pk", flat=True))
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
        self.scenarier = {
            (e.pk, typ): [s for s in SCENARIER if s.typ == typ and s.passar(e.kod)]
            for e in self.enheter
            for typ in ("avvikelse", "tillbud")
        }

    def tider(self):
        """The `rapporterad` moments, oldest first, during (mostly) office hours."""
        start = self.nu - timedelta(days=365 * AR)
        dagar = (self.nu - start).days
        tider = []
        for _ in range(self.antal):
            dag = start + timedelta(days=self.rng.randrange(dagar))
            sek = self.rng.randint(7 * 3600, 18 * 3600) if self.rng.random() < 0.9 else 0
            tider.append(
                dag.replace(hour=0, minute=0, second=0, microsecond=0)
                + timedelta(seconds=sek or self.rng.randrange(86_400))
            )
        tider = sorted(min(t, self.nu - timedelta(hours=1)) for t in tider)
        return tider

    def rad(self, i, rapporterad):
        """One avvikelse (unsaved; no number yet) and its cause-area ids."""
        from django.conf import settings
        from django.utils import timezone

        from avvikelser.choices import Stallningstagande, Status, Typ, Upptackt
        from avvikelser.models import Avvikelse

        rng = self.rng
        enhet = self.ekb if rng.random() < 0.10 else rng.choice(self.ovriga)
        typ = Typ.AVVIKELSE if rng.random() < 0.85 else Typ.TILLBUD
        sc = rng.choice(self.scenarier[(enhet.pk, typ)])
        rapportor = (
            self.medarbetare if rng.random() < 0.05 else rng.choice(self.rapportorer[enhet.pk])
        )
        dag = timezone.localdate(rapporterad)
        alder = (self.nu - rapporterad).days
        r = rng.random()
        if alder < 14:
            status = Status.RAPPORTERAD if r < 0.6 else Status.UNDER_UTREDNING
        elif alder < 60:
            status = (
                Status.RAPPORTERAD
                if r < 0.2
                else Status.UNDER_UTREDNING
                if r < 0.6
                else Status.AVSLUTAD
            )
        else:
            status = (
                Status.AVSLUTAD
                if r < 0.96
                else Status.UNDER_UTREDNING
                if r < 0.99
                else Status.RAPPORTERAD
            )
        handelsedatum = dag - timedelta(days=rng.choice((0, 0, 0, 1, 2, 5)))
        a = Avvikelse(
            extern_id=f"{PREFIX}{i:06d}",
            enhet_id=enhet.pk,
            typ=typ,
            status=status,
            rapporterad=rapporterad,
            skapad=rapporterad,
            rapporterad_av_id=rapportor,
            skapad_av_id=rapportor,
            uppdaterad_av_id=rapportor,
            handelsedatum=handelsedatum,
            upptackt_datum=dag,
            upptackt_hur=rng.choice(Upptackt.values),
            beror_enskild=sc.beror_enskild,
            beskrivning=sc.beskrivning,
            konsekvenser=sc.konsekvenser,
            omedelbara_atgarder=sc.omedelbara_atgarder,
            arbetsskadeanmalan=sc.arbetsskadeanmalan if typ == Typ.TILLBUD else None,
            kategori_id=rng.choice(self.kategorier) if rng.random() < 0.5 else None,
            tidsfrist=dag + timedelta(days=settings.AVVIKELSE_UTREDNINGSTID_DAGAR),
        )
        orsaker = []
        if status != Status.RAPPORTERAD:
            a.handlaggare_id = a.uppdaterad_av_id = self.chef[enhet.pk]
            a.kategori_id = a.kategori_id or rng.choice(self.kategorier)
            if status == Status.AVSLUTAD or rng.random() < 0.5:
                a.analys = sc.analys
                orsaker = sc.orsaker
        if status == Status.AVSLUTAD:
            a.vidtagna_atgarder = sc.vidtagna_atgarder
            a.avslutad = min(
                rapporterad + timedelta(days=rng.randint(2, 45), minutes=rng.randint(0, 600)),
                self.nu - timedelta(minutes=30),
            )
            if typ == Typ.AVVIKELSE and rng.random() < 0.8:
                a.fc_stallningstagande = rng.choices(
                    Stallningstagande.values[::-1], weights=(65, 33, 2)
                )[0]
                a.fc_mottagen = timezone.localdate(a.avslutad)
                a.fc_datum = min(a.fc_mottagen + timedelta(days=rng.randint(0, 7)), _idag())
                a.fc_av_id = self.fc
                a.uppdaterad_av_id = self.fc
        return a, orsaker


def _nu():
    from django.utils import timezone

    return timezone.now().replace(microsecond=0)


def _idag():
    from django.utils import timezone

    return timezone.localdate()


def rensa():
    """Delete the bench rows (their numbers are not reused, as in real life).

    A plain `.delete()` would write a deletion record to the change history for every
    row (simple_history's post_delete signal), which takes minutes; bench rows have no
    history to keep, so they are removed with SQL deletes, together with anything
    attached to them since (timeline entries, attachments, actions, links).
    """
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.db.models import Q

    from avvikelser.models import Avvikelse
    from kvalitet.models import Atgard, Attachment, CaseLink, TimelineEntry

    t = time.perf_counter()
    ct = ContentType.objects.get_for_model(Avvikelse)
    bench = Avvikelse.objects.filter(extern_id__startswith=PREFIX)
    ids = bench.values("pk")
    with transaction.atomic():
        for modell in (TimelineEntry, Attachment, Atgard):
            modell.objects.filter(content_type=ct, object_id__in=ids).delete()
        CaseLink.objects.filter(
            Q(fran_typ=ct, fran_id__in=ids) | Q(till_typ=ct, till_id__in=ids)
        ).delete()
        Avvikelse.orsaksomraden.through.objects.filter(avvikelse__in=ids)._raw_delete("default")
        Avvikelse.history.filter(extern_id__startswith=PREFIX)._raw_delete("default")
        antal = bench._raw_delete("default")
    print(f"Deleted {antal} bench avvikelser in {time.perf_counter() - t:.1f} s.")


def generera(antal):
    """Insert the bench avvikelser that do not exist yet, in batches of BATCH."""
    from django.db import transaction
    from django.test.utils import override_settings

    from avvikelser.models import Avvikelse, Orsaksomrade
    from kvalitet.models import CaseNumberSeries

    finns = set(
        Avvikelse.objects.filter(extern_id__startswith=PREFIX).values_list("extern_id", flat=True)
    )
    onskade = {f"{PREFIX}{i:06d}" for i in range(antal)}
    if onskade <= finns:
        print(f"Bench data already present ({len(finns)} avvikelser); nothing to do.")
        return 0

    t0 = time.perf_counter()
    gen = Generator(antal)
    tider = gen.tider()
    orsak_id = dict(Orsaksomrade.objects.values_list("namn", "pk"))
    Genom = Avvikelse.orsaksomraden.through
    skapade = 0
    # DEBUG would keep every multi-megabyte INSERT in connection.queries.
    with override_settings(DEBUG=False):
        for start in range(0, antal, BATCH):
            rader = [gen.rad(i, tider[i]) for i in range(start, min(start + BATCH, antal))]
            rader = [(a, o) for a, o in rader if a.extern_id not in finns]
            if not rader:
                continue
            with transaction.atomic():
                serier = {}
                for a, _ in rader:
                    ar = a.rapporterad.astimezone(_tz()).year
                    if ar not in serier:
                        serier[ar], _skapad = (
                            CaseNumberSeries.objects.select_for_update().get_or_create(
                                prefix=Avvikelse.NUMMER_PREFIX, ar=ar
                            )
                        )
                    serie = serier[ar]
                    serie.senaste += 1
                    a.nummer = f"{Avvikelse.NUMMER_PREFIX}-{ar}-{serie.senaste:04d}"
                Avvikelse.objects.bulk_create([a for a, _ in rader], batch_size=BATCH)
                Genom.objects.bulk_create(
                    [
                        Genom(avvikelse_id=a.pk, orsaksomrade_id=orsak_id[o])
                        for a, orsaker in rader
                        for o in orsaker
                    ],
                    batch_size=BATCH * 3,
                )
                for serie in serier.values():
                    serie.save(update_fields=["senaste"])
            skapade += len(rader)
            if (start // BATCH) % 10 == 9 or start + BATCH >= antal:
                tid = time.perf_counter() - t0
                print(
                    f"  {skapade:>8} avvikelser, {tid:6.1f} s ({skapade / tid:,.0f}/s)", flush=True
                )
    tid = time.perf_counter() - t0
    print(f"Created {skapade} avvikelser in {tid:.1f} s ({skapade / max(tid, 1e-9):,.0f}/s).")
    return skapade


def _tz():
    from django.utils import timezone

    return timezone.get_current_timezone()


def main(argv=None):
    """Entry point: organisation and users, then the bench rows."""
    args = parse_args(argv)
    _django()
    from django.core.management import call_command

    t = time.perf_counter()
    call_command("seed_demo", "--utan-arenden", stdout=io.StringIO())
    print(f"Organisation and users ready in {time.perf_counter() - t:.1f} s.")
    if args.rensa:
        rensa()
    generera(args.antal)


if __name__ == "__main__":
    main()
