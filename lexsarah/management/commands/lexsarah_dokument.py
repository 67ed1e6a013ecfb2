"""`python manage.py lexsarah_dokument LS-2026-0001 --utredning u.pdf --tjansteskrivelse t.pdf`

Writes a lex Sarah case's documents through the same code as the browser: the stored
decided version if the case is decided (checksum verified), else the draft rendered from
the case now.
"""

import hashlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lexsarah import dokument
from lexsarah.models import Dokument, LexSarah


class Command(BaseCommand):
    help = "Skriver utredningen och/eller tjänsteskrivelsen i ett lex Sarah-ärende som PDF."

    def add_arguments(self, parser):
        parser.add_argument("nummer", help="Ärendenumret, t.ex. LS-2026-0001.")
        parser.add_argument(
            "--utredning", type=Path, metavar="FIL", help="Fil att skriva utredningen till."
        )
        parser.add_argument(
            "--tjansteskrivelse",
            type=Path,
            metavar="FIL",
            help="Fil att skriva tjänsteskrivelsen till.",
        )

    def handle(self, *args, nummer, utredning, tjansteskrivelse, **options):
        if not utredning and not tjansteskrivelse:
            raise CommandError("Ange --utredning FIL och/eller --tjansteskrivelse FIL.")
        nummer = nummer.strip().upper()
        ls = LexSarah.objects.select_related("enhet", "handlaggare").filter(nummer=nummer).first()
        if ls is None:
            raise CommandError(f"Det finns inget lex Sarah-ärende med numret {nummer}.")
        for typ, fil in (
            (Dokument.Typ.UTREDNING, utredning),
            (Dokument.Typ.TJANSTESKRIVELSE, tjansteskrivelse),
        ):
            if fil is None:
                continue
            dok = dokument.lagrad(ls, typ)
            if dok is not None:
                innehall = dokument.las(dok)
                if hashlib.sha256(innehall).hexdigest() != dok.sha256:
                    raise CommandError(
                        f"Det lagrade dokumentets kontrollsumma stämmer inte ({typ.label})."
                    )
                kalla = f"beslutad version {dok.skapad:%Y-%m-%d %H:%M}"
            else:
                innehall = dokument.pdf_for(ls, typ)
                kalla = "utkast skapat nu" if dokument.ar_utkast(ls) else "skapad nu"
            try:
                fil.write_bytes(innehall)
            except OSError as fel:
                raise CommandError(f"Kunde inte skriva {fil}: {fel.strerror}.") from fel
            self.stdout.write(
                f"{ls.nummer} {typ.label} ({kalla}): skrev {fil} ({len(innehall)} byte)."
            )
