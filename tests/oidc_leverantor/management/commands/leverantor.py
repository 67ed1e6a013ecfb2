"""The test provider's people and its one client, changed while it runs:

leverantor klient <client_id> <secret> <redirect_uri> <post_logout_uri>
leverantor person <username> <password> <groups,comma> [--fornamn --efternamn --epost]
leverantor grupper <username> <groups,comma,separated>
leverantor sparra <username>
leverantor ta-bort <username>
"""

from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand
from oauth2_provider.models import Application


def _grupper(text):
    return [Group.objects.get_or_create(name=n.strip())[0] for n in text.split(",") if n.strip()]


class Command(BaseCommand):
    help = "Testleverantörens personer och klient."

    def add_arguments(self, parser):
        parser.add_argument(
            "handling", choices=["klient", "person", "grupper", "sparra", "ta-bort"]
        )
        parser.add_argument("argument", nargs="*")
        parser.add_argument("--fornamn", default="")
        parser.add_argument("--efternamn", default="")
        parser.add_argument("--epost", default="")

    def handle(self, handling, argument, **options):
        if handling == "klient":
            client_id, secret, redirect_uri, utloggning = argument
            Application.objects.filter(client_id=client_id).delete()
            Application.objects.create(
                name="Kvalitet",
                client_id=client_id,
                client_secret=secret,
                client_type=Application.CLIENT_CONFIDENTIAL,
                authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
                redirect_uris=redirect_uri,
                post_logout_redirect_uris=utloggning,
                algorithm=Application.RS256_ALGORITHM,
                skip_authorization=True,
            )
        elif handling == "person":
            namn, losenord, grupper = argument
            user = User.objects.create_user(
                namn,
                email=options["epost"],
                password=losenord,
                first_name=options["fornamn"],
                last_name=options["efternamn"],
            )
            user.groups.set(_grupper(grupper))
        elif handling == "grupper":
            namn, grupper = argument
            User.objects.get(username=namn).groups.set(_grupper(grupper))
        elif handling == "sparra":
            User.objects.filter(username=argument[0]).update(is_active=False)
        else:
            User.objects.filter(username=argument[0]).delete()
