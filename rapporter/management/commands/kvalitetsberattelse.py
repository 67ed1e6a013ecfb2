"""`python manage.py kvalitetsberattelse 2026 --pdf rapport.pdf [--siffror siffror.json]`

Writes a year's kvalitetsberättelse through the same code as the browser: the year's
draft if there is one (figures from the records now), else its decided version (the
archived PDF as it is, checksum verified), else a report with the default texts.
"""

import hashlib
import json
import time
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rapporter.choices import Status
from rapporter.dokument import rendera_pdf
from rapporter.models import FORSTA_AR, Kvalitetsberattelse, standard_brytdatum
from rapporter.siffror import berakna


class Command(BaseCommand):
    help = "Skriver kvalitetsberättelsen för ett år som PDF (och siffrorna som JSON)."

    def add_arguments(self, parser):
        parser.add_argument("ar", type=int, help="Året berättelsen gäller, t.ex. 2026.")
        parser.add_argument("--pdf", type=Path, help="Fil att skriva PDF:en till.")
        parser.add_argument("--siffror", type=Path, help="Fil att skriva siffrorna till (JSON).")
        parser.add_argument(
            "--brytdatum",
            type=date.fromisoformat,
            help="Brytdatum ÅÅÅÅ-MM-DD (förval: utkastets, annars 31 januari året efter).",
        )

    def handle(self, *args, ar, pdf, siffror, brytdatum, **options):
        if not pdf and not siffror:
            raise CommandError("Ange --pdf FIL och/eller --siffror FIL.")
        if ar < FORSTA_AR or ar > date.today().year:
            raise CommandError(f"Året måste ligga mellan {FORSTA_AR} och i år.")
        berattelse = (
            Kvalitetsberattelse.objects.filter(ar=ar, status=Status.UTKAST).first()
            or Kvalitetsberattelse.objects.filter(ar=ar, status=Status.FASTSTALLD).first()
            or Kvalitetsberattelse(ar=ar, brytdatum=standard_brytdatum(ar))
        )
        beslutad = berattelse.ar_beslutad
        if brytdatum is not None:
            if beslutad:
                raise CommandError(
                    f"Kvalitetsberättelsen för {ar} är fastställd; dess brytdatum ändras inte."
                )
            berattelse.brytdatum = brytdatum
        start = time.perf_counter()
        data = berattelse.siffror if beslutad else berakna(ar, berattelse.brytdatum)
        tid_siffror = time.perf_counter() - start
        beskrivning = (
            f"version {berattelse.version}, {berattelse.get_status_display().lower()}"
            if berattelse.pk
            else "standardtexter, inget utkast finns"
        )
        self.stdout.write(
            f"Kvalitetsberättelse {ar} ({beskrivning}), brytdatum {berattelse.brytdatum}."
        )
        self.stdout.write(f"Siffror: {tid_siffror:.2f} s")
        if siffror:
            siffror.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
            self.stdout.write(f"Siffrorna skrivna till {siffror}.")
        if pdf:
            start = time.perf_counter()
            if beslutad and berattelse.pdf:
                innehall = berattelse.pdf.read()
                if hashlib.sha256(innehall).hexdigest() != berattelse.pdf_sha256:
                    raise CommandError("Den arkiverade PDF:ens kontrollsumma stämmer inte.")
                kalla = "arkiverad PDF"
            else:
                innehall = rendera_pdf(berattelse, siffror=data)
                kalla = "skapad nu"
            tid_pdf = time.perf_counter() - start
            pdf.write_bytes(innehall)
            self.stdout.write(f"PDF ({kalla}): {tid_pdf:.2f} s")
            sha = hashlib.sha256(innehall).hexdigest()
            self.stdout.write(f"Skrev {pdf} ({len(innehall)} byte, SHA-256 {sha}).")
