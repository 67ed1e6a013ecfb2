"""`python manage.py kontrollera_oidc`: what the hourly task does (kvalitet.tasks), run by
hand – ask the identity provider, with each active person's refresh token, whether they
still exist there, and deactivate those it answers invalid_grant for."""

from django.core.management.base import BaseCommand, CommandError

from kvalitet import oidc


class Command(BaseCommand):
    help = "Inaktiverar konton för personer som inte längre finns hos identitetsleverantören."

    def handle(self, *args, **options):
        if not oidc.pa():
            raise CommandError("Inloggning med OIDC är inte påslagen (OIDC_ISSUER saknas).")
        antal = oidc.kontrollera_alla()
        self.stdout.write(
            f"Finns kvar: {antal['finns']}. Inaktiverade: {antal['borta']}. "
            f"Kunde inte kontrolleras: {antal['okant']}."
        )
