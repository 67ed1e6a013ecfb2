"""`python manage.py riskregister --pdf FIL [--datum ÅÅÅÅ-MM-DD]`

Writes the risk register as PDF through the same code as the browser: the version the
nämnd had decided and that was in force on the date (default today), its archived PDF
with the checksum verified; if none was decided by then, the current draft as it
stands.
"""

from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from riskregister.register import for_datum


class Command(BaseCommand):
    help = (
        "Skriver riskregistret som PDF: den fastställda versionen som gällde datumet, "
        "annars utkastet."
    )

    def add_arguments(self, parser):
        parser.add_argument("--pdf", type=Path, required=True, metavar="FIL")
        parser.add_argument("--datum", metavar="ÅÅÅÅ-MM-DD", help="Standard: i dag.")

    def handle(self, *args, pdf, datum, **options):
        if datum:
            try:
                dag = date.fromisoformat(datum)
            except ValueError as fel:
                raise CommandError(f"Ogiltigt datum {datum!r}: skriv ÅÅÅÅ-MM-DD.") from fel
        else:
            dag = timezone.localdate()
        version = for_datum(dag)
        if version is None:
            raise CommandError(
                f"Inget riskregister var fastställt den {dag.isoformat()} och det finns inget "
                "utkast. Förbered en version under Riskregistret – versioner."
            )
        try:
            innehall = version.pdf_for()
        except ValidationError as fel:
            raise CommandError(" ".join(fel.messages)) from fel
        try:
            pdf.write_bytes(innehall)
        except OSError as fel:
            raise CommandError(f"Kunde inte skriva {pdf}: {fel.strerror}.") from fel
        vad = (
            f"fastställd version {version.version} ({version.beslut_text})"
            if version.ar_beslutad
            else f"utkast till version {version.version}, skapat nu"
        )
        self.stdout.write(f"Skrev {pdf} ({len(innehall)} byte): {vad}.")
