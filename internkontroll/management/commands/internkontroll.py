"""`python manage.py internkontroll ÅR [--plan FIL] [--redovisning FIL]`

Writes the year's internkontrollplan and/or internkontrollredovisning as PDF through the
same code as the browser (`pdf_for`): the version the nämnd decided that is in force
(the latest decided), its archived PDF with the checksum verified (archived now if the
background job has not yet done it); if none is decided, the year's draft as it stands;
otherwise a CommandError.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from internkontroll.models import Internkontrollplan, Internkontrollredovisning


def version_for(modell, ar):
    """The decided version of `ar` in force, else its draft, else None."""
    return modell.objects.i_kraft(ar) or modell.objects.utkast().filter(ar=ar).first()


class Command(BaseCommand):
    help = (
        "Skriver årets internkontrollplan och/eller internkontrollredovisning som PDF: den "
        "fastställda versionen som gäller, annars utkastet."
    )

    def add_arguments(self, parser):
        parser.add_argument("ar", type=int, metavar="ÅR")
        parser.add_argument("--plan", type=Path, metavar="FIL", help="Skriv planen hit.")
        parser.add_argument(
            "--redovisning", type=Path, metavar="FIL", help="Skriv redovisningen hit."
        )

    def handle(self, *args, ar, plan, redovisning, **options):
        if plan is None and redovisning is None:
            raise CommandError("Ange --plan FIL, --redovisning FIL eller båda.")
        # Every version first, so that a missing one writes no file at all.
        uppdrag = []
        for fil, modell, saknas in (
            (
                plan,
                Internkontrollplan,
                f"Det finns ingen internkontrollplan för {ar}: varken en fastställd version "
                "eller ett utkast. Påbörja den under Internkontroll – planer och redovisningar.",
            ),
            (
                redovisning,
                Internkontrollredovisning,
                f"Det finns ingen internkontrollredovisning för {ar}: varken en fastställd "
                "version eller ett utkast. Påbörja den under Internkontroll – planer och "
                "redovisningar när årets plan är fastställd.",
            ),
        ):
            if fil is None:
                continue
            handling = version_for(modell, ar)
            if handling is None:
                raise CommandError(saknas)
            uppdrag.append((fil, handling))
        for fil, handling in uppdrag:
            try:
                innehall = handling.pdf_for()
            except ValidationError as fel:
                raise CommandError(" ".join(fel.messages)) from fel
            try:
                fil.write_bytes(innehall)
            except OSError as fel:
                raise CommandError(f"Kunde inte skriva {fil}: {fel.strerror}.") from fel
            vad = (
                f"fastställd version {handling.version} ({handling.beslut_text})"
                if handling.ar_beslutad
                else f"utkast till version {handling.version}, skapat nu"
            )
            self.stdout.write(f"Skrev {fil} ({len(innehall)} byte): {handling}, {vad}.")
