"""`python manage.py importera FIL.json [--dry-run] [--skapa-kategorier]`

Imports records from other systems in the `kvalitet-import/1` format
(docs/import-format.md; how to use it: docs/importera.md). The whole file is validated
first; if anything is wrong every error is listed and nothing is written (exit status
1). A valid file is written in one transaction, and importing it again changes nothing.
"""

import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kvalitet import importering

# The json module's messages, in Swedish (the common ones; others are shown as they are).
JSON_FEL = {
    "Expecting value": "ett värde väntades",
    "Expecting property name enclosed in double quotes": (
        "ett nyckelnamn inom dubbla citattecken väntades"
    ),
    "Expecting ',' delimiter": "ett kommatecken väntades",
    "Expecting ':' delimiter": "ett kolon väntades",
    "Extra data": "text efter JSON-värdet",
    "Unterminated string starting at": "en text saknar avslutande citattecken",
    "Invalid control character at": "otillåtet styrtecken i en text",
    "Invalid \\escape": "ogiltig \\-sekvens i en text",
    "Illegal trailing comma before end of object": "kommatecken före }",
    "Illegal trailing comma before end of array": "kommatecken före ]",
}


def las_json(sokvag: Path):
    """The parsed file, or CommandError with a Swedish message (and line and column
    for invalid JSON)."""
    try:
        text = sokvag.read_text(encoding="utf-8-sig")  # a BOM from Windows tools is fine
    except FileNotFoundError:
        raise CommandError(_('Kan inte läsa "%s": filen finns inte.') % sokvag) from None
    except IsADirectoryError:
        raise CommandError(
            _('Kan inte läsa "%s": det är en katalog, inte en fil.') % sokvag
        ) from None
    except PermissionError:
        raise CommandError(_('Kan inte läsa "%s": behörighet saknas.') % sokvag) from None
    except UnicodeDecodeError as e:
        raise CommandError(
            _('Kan inte läsa "%(fil)s": filen är inte kodad i UTF-8 (byte %(byte)s).')
            % {"fil": sokvag, "byte": e.start}
        ) from None
    except OSError as e:
        raise CommandError(
            _('Kan inte läsa "%(fil)s": %(fel)s.') % {"fil": sokvag, "fel": e.strerror or e}
        ) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        orsak = JSON_FEL.get(e.msg, e.msg)
        raise CommandError(
            _('"%(fil)s" är inte giltig JSON: rad %(rad)s, kolumn %(kolumn)s: %(orsak)s.')
            % {"fil": sokvag.name, "rad": e.lineno, "kolumn": e.colno, "orsak": orsak}
        ) from None
    except RecursionError:
        raise CommandError(
            _('"%s" är inte giltig JSON: för djupt nästlad.') % sokvag.name
        ) from None


def sammanfattning(namn: str, res: importering.Resultat) -> str:
    """One line per section: "avvikelser: 3 nya, 1 ändrad, 0 oförändrade"."""
    delar = [
        ngettext("%d ny", "%d nya", res.nya) % res.nya,
        ngettext("%d ändrad", "%d ändrade", res.andrade) % res.andrade,
        ngettext("%d oförändrad", "%d oförändrade", res.oforandrade) % res.oforandrade,
    ]
    return f"{namn}: {', '.join(delar)}"


class Command(BaseCommand):
    help = (
        "Importerar enheter, avvikelser, synpunkter, lex Sarah-ärenden, risker, "
        "internkontrollplaner och historik från en JSON-fil i formatet kvalitet-import/1. "
        "Hela filen kontrolleras först; vid fel sparas ingenting."
    )

    def add_arguments(self, parser):
        parser.add_argument("fil", help="JSON-filen som ska importeras")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="kontrollera filen och visa vad som skulle importeras, utan att spara",
        )
        parser.add_argument(
            "--skapa-kategorier",
            action="store_true",
            help="skapa okända kategorier och orsaksområden (inaktiva) i stället för att avbryta",
        )

    def handle(self, *args, fil, dry_run, skapa_kategorier, **options):
        sokvag = Path(fil)
        start = time.monotonic()
        with importering.utan_cyklisk_gc():
            data = las_json(sokvag)
        try:
            resultat = importering.importera(
                data,
                filnamn=sokvag.name,
                skapa_kategorier=skapa_kategorier,
                provkorning=dry_run,
            )
        except importering.Importfel as e:
            for path, meddelande in e.fel:
                self.stderr.write(f"{path}: {meddelande}")
            raise CommandError(
                _("%(antal)s fel i %(fil)s; ingenting har importerats.")
                % {"antal": len(e.fel), "fil": sokvag.name}
            ) from None
        except DatabaseError as e:
            # Validation passed, so this is a conflict with a concurrent change or a
            # database limit; the transaction was rolled back as a whole.
            raise CommandError(
                _("Databasen avbröt importen av %(fil)s; ingenting har sparats. (%(fel)s)")
                % {"fil": sokvag.name, "fel": e}
            ) from None
        for namn, res in resultat:
            self.stdout.write(sammanfattning(namn, res))
            for rad in res.anteckningar:
                self.stdout.write(f"  {namn}: {rad}")
        sekunder = time.monotonic() - start
        if dry_run:
            self.stdout.write(
                _("Provkörning: %(fil)s är giltig; ingenting har sparats (%(s).1f s).")
                % {"fil": sokvag.name, "s": sekunder}
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    _("%(fil)s är importerad (%(s).1f s).") % {"fil": sokvag.name, "s": sekunder}
                )
            )
