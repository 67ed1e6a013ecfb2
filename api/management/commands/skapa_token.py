"""`manage.py skapa_token USERNAME [--namn N] [--skriv] [--dagar D]`: a new personal API
key for a person, printed alone on stdout (so a script can take it: `K=$(… skapa_token
kc)`); everything else goes to stderr. For setting up an integration from the server."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from api.models import ApiNyckel, Omfang
from kvalitet import behorighet


class Command(BaseCommand):
    help = "Skapar en personlig API-nyckel och skriver ut den (bara nyckeln, på stdout)."

    def add_arguments(self, parser):
        parser.add_argument("username", help="Användarnamnet som nyckeln ska tillhöra.")
        parser.add_argument("--namn", default="Skapad från kommandoraden", help="Nyckelns namn.")
        parser.add_argument(
            "--skriv", action="store_true", help="Nyckeln får också skriva (lämna ärenden)."
        )
        parser.add_argument(
            "--dagar",
            type=int,
            default=settings.API_NYCKEL_STANDARD_DAGAR,
            help=f"Giltig i antal dagar (1–{settings.API_NYCKEL_MAX_DAGAR}).",
        )

    def handle(self, *args, username, namn, skriv, dagar, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Det finns ingen användare {username!r}.")
        if not user.is_active:
            raise CommandError(f"Användaren {username!r} är inaktiverad och får ingen nyckel.")
        if not behorighet.uppdrag(user):
            raise CommandError(
                f"Användaren {username!r} har ingen giltig roll; en nyckel skulle inte ge "
                "tillgång till något."
            )
        if not 1 <= dagar <= settings.API_NYCKEL_MAX_DAGAR:
            raise CommandError(
                f"--dagar måste vara 1–{settings.API_NYCKEL_MAX_DAGAR}, inte {dagar}."
            )
        namn = namn.strip()[:100]
        if not namn:
            raise CommandError("--namn får inte vara tomt.")
        rad, nyckel = ApiNyckel.skapa(
            anvandare=user, namn=namn, omfang=Omfang.SKRIV if skriv else Omfang.LAS, dagar=dagar
        )
        self.stderr.write(
            f"Nyckel {rad.prefix}… för {username} ({rad.get_omfang_display().lower()}), "
            f"giltig till {rad.giltig_till:%Y-%m-%d}. Den visas bara nu."
        )
        self.stdout.write(nyckel)
