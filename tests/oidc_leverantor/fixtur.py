"""The test identity provider as a process of its own (tests/oidc_leverantor: Django with
django-oauth-toolkit's OpenID Connect provider) and the product's settings that point at it.

`Leverantor.starta()` makes an RS256 key, migrates a fresh SQLite file in a temporary
directory, registers the product as a client and runs the provider on a free port;
`person`, `grupper`, `sparra` and `ta_bort` change its people while it runs. Nothing
needs Node or a network outside the machine.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.tjanster import PROJEKT, ledig_port, stoppa, vanta_pa

KLIENT_ID = "kvalitet"
KLIENT_HEMLIGHET = "testklientens-hemlighet-som-inte-ar-hemlig"
LEVERANTOR_LOSENORD = "kommunen"


def rsa_nyckel() -> str:
    nyckel = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return nyckel.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


class Leverantor:
    """The provider process. `issuer` is its issuer address (also where discovery is)."""

    def __init__(self):
        self.katalog = Path(tempfile.mkdtemp(prefix="kvalitet-oidc-"))
        self.port = ledig_port()
        self.issuer = f"http://127.0.0.1:{self.port}/o"
        self.logg = self.katalog / "leverantor.log"
        self.process = None
        self.miljo = {
            k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))
        }
        self.miljo.update(
            DJANGO_SETTINGS_MODULE="tests.oidc_leverantor.settings",
            LEVERANTOR_SECRET_KEY="testleverantorens-nyckel-" + "x" * 40,
            LEVERANTOR_DB=str(self.katalog / "leverantor.sqlite3"),
            LEVERANTOR_ISSUER=self.issuer,
            LEVERANTOR_RSA_NYCKEL=rsa_nyckel(),
        )

    def kommando(self, *args):
        """A management command of the provider's project (its own database)."""
        resultat = subprocess.run(  # noqa: S603 - our own test project, fixed arguments
            [sys.executable, "-m", "django", *args],
            cwd=PROJEKT,
            env=self.miljo,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if resultat.returncode != 0:
            raise RuntimeError(f"{args}: {resultat.stdout}{resultat.stderr}")
        return resultat.stdout

    def starta(self, redirect_uri, utloggning_uri):
        self.kommando("migrate", "--verbosity", "0")
        self.kommando("leverantor", "klient", KLIENT_ID, KLIENT_HEMLIGHET, redirect_uri,
                      utloggning_uri)  # fmt: skip
        with open(self.logg, "a") as ut:
            self.process = subprocess.Popen(  # noqa: S603 - our own test project
                [
                    sys.executable,
                    "-m",
                    "django",
                    "runserver",
                    f"127.0.0.1:{self.port}",
                    "--noreload",
                    "--nothreading",
                ],  # fmt: skip
                cwd=PROJEKT,
                env=self.miljo,
                stdout=ut,
                stderr=subprocess.STDOUT,
            )
        if not vanta_pa(self.svarar, 30):
            self.stoppa()
            raise RuntimeError(f"testleverantören startade inte: {self.logg.read_text()[-2000:]}")

    def svarar(self):
        try:
            return requests.get(self.discovery, timeout=1).status_code == 200
        except requests.RequestException:
            return False

    @property
    def discovery(self):
        return f"{self.issuer}/.well-known/openid-configuration"

    def person(self, namn, grupper=(), fornamn="", efternamn="", epost=""):
        self.kommando("leverantor", "person", namn, LEVERANTOR_LOSENORD, ",".join(grupper),
                      "--fornamn", fornamn, "--efternamn", efternamn, "--epost", epost)  # fmt: skip

    def grupper(self, namn, grupper):
        self.kommando("leverantor", "grupper", namn, ",".join(grupper))

    def sparra(self, namn):
        self.kommando("leverantor", "sparra", namn)

    def ta_bort(self, namn):
        self.kommando("leverantor", "ta-bort", namn)

    def stoppa(self):
        if self.process is not None:
            stoppa(self.process)
            self.process = None
        shutil.rmtree(self.katalog, ignore_errors=True)


def oidc_pa(settings, issuer, *, roller_fran_grupper=True):
    """The product's settings with sign-in through `issuer` (the `settings` fixture)."""
    from kvalitet import oidc

    settings.OIDC_ISSUER = issuer
    settings.OIDC_RP_CLIENT_ID = KLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = KLIENT_HEMLIGHET
    settings.OIDC_ROLLER_FRAN_GRUPPER = roller_fran_grupper
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, oidc.BACKEND]
    oidc.glom_upptackt()
