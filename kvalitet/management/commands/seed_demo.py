"""Demo data: the demo organisation, one user per role (docs/behorighet.md), and what
each part of the product adds: avvikelser, synpunkter och klagomål, last year's
kvalitetsberättelse.

`python manage.py seed_demo` is idempotent: units are keyed by `kod`, users by
`username`, assignments by (user, role, unit), and each part keys its demo records
("demo-avv-001" ..., "demo-syn-001" ..., the report by year). What already exists is
left untouched, so a second run changes nothing. `--utan-arenden` stops after the
organisation and the users.

The parts' records come from the parts themselves: every app whose AppConfig declares
`demodata` (`kvalitet.delar`) has that function called, in the order of `demoordning`,
with a `kvalitet.demo.Demo` holding the units, the users and one moment for "now". Each
function returns the lines to print. So this command imports no part of the product.
"""

from base64 import b32decode
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from kvalitet import delar
from kvalitet.demo import Demo
from kvalitet.models import Enhet, Enhetstyp, Roll, Uppdrag, User, Verksamhetsomrade

LOSENORD = "demo"  # noqa: S105 - the documented demo password; DEBUG only
# A fixed salt makes the hash, and so the database, identical on every run, and hashes
# the password once instead of once per user.
_LOSENORD_SALT = "kvalitetdemo"
EPOST_DOMAN = "exempelkommun.se"
# The demo administrator must use a second factor (MFA_KRAVS_FOR: administrators always):
# their authenticator app is this known secret, printed by the command and in the README,
# so the demo works without a phone. Base32, as an app takes it (20 bytes).
DEMO_TVASTEGS_ANVANDARE = "admin"
DEMO_TVASTEGS_HEMLIGHET = "KVALITETDEMOADMINTVASTEGS234567Q"

# --- Organisation -----------------------------------------------------------------------

F, A, E, T = Enhetstyp.FORVALTNING, Enhetstyp.AVDELNING, Enhetstyp.ENHET, Enhetstyp.TEAM

# (kod, namn, typ, överordnad kod); parents before children.
ORGANISATION = [
    ("SOC", "Socialförvaltningen", F, None),
    ("STAB", "Staben", A, "SOC"),
    ("MYN", "Myndighetsavdelningen", A, "SOC"),
    ("MYN-BUV", "Bistånd barn, unga och vuxna", E, "MYN"),
    ("MYN-BUV-MOT", "Mottagning barn och unga", T, "MYN-BUV"),
    ("MYN-BUV-UBU", "Utredning barn och unga", T, "MYN-BUV"),
    ("MYN-BUV-UV", "Utredning vuxna", T, "MYN-BUV"),
    ("MYN-BUF", "Bistånd barn, unga och familj", E, "MYN"),
    ("MYN-BUF-ENS", "Ensamkommande barn", T, "MYN-BUF"),
    ("MYN-BUF-FAM", "Familjehem", T, "MYN-BUF"),
    ("MYN-BUF-BH", "Barnhandläggare", T, "MYN-BUF"),
    ("MYN-BUF-FR", "Familjerätt", T, "MYN-BUF"),
    ("MYN-BUF-ADM", "Administration", T, "MYN-BUF"),
    ("MYN-EKB", "Ekonomiskt bistånd", E, "MYN"),
    ("MYN-SOB", "Sociala boenden", E, "MYN"),
    ("MYN-SOB-SK", "Sociala kontrakt", T, "MYN-SOB"),
    ("MYN-SOB-BC", "Boendecoacher", T, "MYN-SOB"),
    ("MYN-SOB-BUS", "Budget- och skuldrådgivning", T, "MYN-SOB"),
    ("OPPEN", "Öppenvårdsavdelningen", A, "SOC"),
    ("OPPEN-OI", "Öppna insatser", E, "OPPEN"),
    ("OPPEN-OI-BF", "Barn och familj", T, "OPPEN-OI"),
    ("OPPEN-OI-UUV", "Ungdom och unga vuxna", T, "OPPEN-OI"),
    ("OPPEN-OI-UM", "Ungdomsmottagningen", T, "OPPEN-OI"),
    ("OPPEN-OI-VNR", "Våld i nära relationer", T, "OPPEN-OI"),
    ("OPPEN-OI-MB", "Missbruksvård", T, "OPPEN-OI"),
    ("OPPEN-KOLL", "Kollektivet HVB", E, "OPPEN"),
    ("OPPEN-VALL", "Vallmovillan HVB", E, "OPPEN"),
]

# Verksamhetsområde (the default list, kvalitet migration 0006) by unit code; a unit not
# named has the nearest unit above's. The förvaltning and the two mixed avdelningar have
# none of their own: their enheter say what they work with.
OMRADEN = {
    "STAB": "Övrigt",
    "MYN-BUV": "Barn och unga",
    "MYN-BUV-UV": "Missbruk och beroende",  # utredningar av vuxna, mest missbruk (LVM)
    "MYN-BUF": "Barn och unga",
    "MYN-BUF-FR": "Familjerätt",
    "MYN-EKB": "Ekonomiskt bistånd",
    "MYN-SOB": "Boende och hemlöshet",
    "MYN-SOB-BUS": "Ekonomiskt bistånd",
    "OPPEN-OI": "Barn och unga",
    "OPPEN-OI-VNR": "Våld i nära relationer",
    "OPPEN-OI-MB": "Missbruk och beroende",
    "OPPEN-KOLL": "Barn och unga",
    "OPPEN-VALL": "Barn och unga",
}


# --- Users ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """A demo user and the roles they hold."""

    username: str
    fornamn: str
    efternamn: str
    titel: str
    uppdrag: tuple[tuple[str, str], ...]  # (roll, enhetskod)
    inloggning: bool = False  # printed as a demo login
    is_staff: bool = False


R = Roll
PERSONER = [
    # One per role, named after the role (the printed demo logins).
    Person("medarbetare", "Elin", "Johansson", "Socialsekreterare",
           ((R.MEDARBETARE, "MYN-EKB"),), inloggning=True),
    Person("enhetschef", "Karin", "Lindberg", "Enhetschef, ekonomiskt bistånd",
           ((R.ENHETSCHEF, "MYN-EKB"),), inloggning=True),
    Person("avdelningschef", "Mikael", "Svensson", "Avdelningschef, myndighet",
           ((R.AVDELNINGSCHEF, "MYN"),), inloggning=True),
    Person("utredare", "Sofia", "Bergström", "Verksamhetsutvecklare",
           ((R.UTREDARE, "STAB"),), inloggning=True),
    Person("registrator", "Lars", "Nyström", "Registrator",
           ((R.REGISTRATOR, "STAB"),), inloggning=True),
    Person("kvalitetssamordnare", "Anna", "Forsberg", "Kvalitetssamordnare",
           ((R.KVALITETSSAMORDNARE, "SOC"),), inloggning=True),
    Person("forvaltningschef", "Per", "Andersson", "Socialchef",
           ((R.FORVALTNINGSCHEF, "SOC"),), inloggning=True),
    Person("namnd", "Birgitta", "Holmgren", "Ordförande, socialnämnden",
           ((R.NAMND, "SOC"),), inloggning=True),
    Person("admin", "Jonas", "Wikström", "Systemförvaltare",
           ((R.ADMIN, "SOC"),), inloggning=True, is_staff=True),
    # Managers of the other units.
    Person("chef.staben", "Helena", "Ek", "Stabschef", ((R.ENHETSCHEF, "STAB"),)),
    Person("chef.buv", "Magnus", "Öberg", "Enhetschef", ((R.ENHETSCHEF, "MYN-BUV"),)),
    Person("chef.buf", "Camilla", "Dahl", "Enhetschef", ((R.ENHETSCHEF, "MYN-BUF"),)),
    Person("chef.boenden", "Tomas", "Hedlund", "Enhetschef", ((R.ENHETSCHEF, "MYN-SOB"),)),
    Person("avdchef.oppen", "Ulrika", "Strand", "Avdelningschef, öppenvård",
           ((R.AVDELNINGSCHEF, "OPPEN"),)),
    Person("chef.oppna", "Eva", "Sandberg", "Enhetschef", ((R.ENHETSCHEF, "OPPEN-OI"),)),
    Person("chef.kollektivet", "Robert", "Lindgren", "Föreståndare",
           ((R.ENHETSCHEF, "OPPEN-KOLL"),)),
    Person("chef.vallmo", "Nadia", "Rahimi", "Föreståndare", ((R.ENHETSCHEF, "OPPEN-VALL"),)),
    # Staff who report.
    Person("ahmed.yusuf", "Ahmed", "Yusuf", "Socialsekreterare", ((R.MEDARBETARE, "MYN-EKB"),)),
    Person("sara.nilsson", "Sara", "Nilsson", "Socialsekreterare",
           ((R.MEDARBETARE, "MYN-BUV-MOT"),)),
    Person("maria.olofsson", "Maria", "Olofsson", "Familjehemssekreterare",
           ((R.MEDARBETARE, "MYN-BUF-FAM"),)),
    Person("peter.ek", "Peter", "Ek", "Familjerättssekreterare", ((R.MEDARBETARE, "MYN-BUF-FR"),)),
    Person("fatima.hassan", "Fatima", "Hassan", "Boendecoach", ((R.MEDARBETARE, "MYN-SOB-BC"),)),
    Person("erik.lund", "Erik", "Lund", "Behandlare", ((R.MEDARBETARE, "OPPEN-OI-MB"),)),
    Person("maja.holm", "Maja", "Holm", "Behandlingsassistent", ((R.MEDARBETARE, "OPPEN-KOLL"),)),
    Person("ali.karimi", "Ali", "Karimi", "Behandlingsassistent", ((R.MEDARBETARE, "OPPEN-VALL"),)),
]  # fmt: skip


# --- The command ------------------------------------------------------------------------


class Command(BaseCommand):
    help = (
        "Skapar demodata: organisationen, en användare per roll (lösenord demo) och "
        "ett sextiotal avvikelser och ett fyrtiotal synpunkter och klagomål. Kan köras "
        "flera gånger utan att skapa dubbletter."
    )

    def add_arguments(self, parser):
        """`--utan-arenden`: organisation and users only."""
        parser.add_argument(
            "--utan-arenden",
            action="store_true",
            help="Skapa bara organisationen och användarna (används av bench/generera.py).",
        )

    def handle(self, *args, **options):
        """Refuse without DEBUG; otherwise create everything in one transaction."""
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo skapar användare med kända lösenord och får bara köras när "
                "DEBUG är påslaget (DEBUG=true). Kör den aldrig mot en produktionsdatabas."
            )
        rader = []
        with transaction.atomic():
            enheter = skapa_organisation()
            anvandare = skapa_anvandare(enheter)
            skapa_demoapp(anvandare[DEMO_TVASTEGS_ANVANDARE])
            demo = Demo(
                enheter=enheter,
                anvandare=anvandare,
                uppdrag={p.username: p.uppdrag for p in PERSONER},
                nu=timezone.now(),
                idag=timezone.localdate(),
            )
            if not options["utan_arenden"]:
                for steg in delar.demosteg():
                    rader += steg(demo)
        self.stdout.write(
            f"Organisation: {len(enheter)} enheter. Användare: {len(anvandare)}. "
            + " ".join(demo.nya)
        )
        for rad in rader:
            self.stdout.write(rad)
        self.skriv_inloggningar(enheter)

    def skriv_inloggningar(self, enheter):
        """Print the demo logins as a small table."""
        rader = [
            (p.username, Roll(p.uppdrag[0][0]).label, enheter[p.uppdrag[0][1]].namn)
            for p in PERSONER
            if p.inloggning
        ]
        bredd = [
            max(len(str(r[i])) for r in [("Användare", "Roll", "Enhet"), *rader]) for i in range(3)
        ]
        rad = "  ".join(f"{{:<{b}}}" for b in bredd)
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(f"Demoinloggningar (lösenord: {LOSENORD})"))
        self.stdout.write(rad.format("Användare", "Roll", "Enhet").rstrip())
        self.stdout.write(rad.format(*("-" * b for b in bredd)))
        for r in rader:
            self.stdout.write(rad.format(*(str(v) for v in r)).rstrip())
        self.stdout.write("")
        self.skriv_demoapp()
        self.stdout.write(self.style.SUCCESS("Öppna http://127.0.0.1:8000/"))

    def skriv_demoapp(self):
        """How the demo administrator passes the second step without a phone."""
        hemlighet = DEMO_TVASTEGS_HEMLIGHET
        if not TOTPDevice.objects.filter(
            user__username=DEMO_TVASTEGS_ANVANDARE, key=b32decode(hemlighet).hex()
        ).exists():
            return  # the demo administrator has set up an app of their own
        self.stdout.write(
            f"{DEMO_TVASTEGS_ANVANDARE} har tvåstegsverifiering. Lägg in demohemligheten "
            f"{hemlighet} i en autentiseringsapp, eller räkna fram koden:"
        )
        self.stdout.write(
            '  .venv/bin/python -c "import base64; from django_otp.oath import totp; '
            f"print('%06d' % totp(base64.b32decode('{hemlighet}')))\""
        )
        self.stdout.write("")


def skapa_organisation() -> dict[str, Enhet]:
    """Create or update the demo units; returns them by code."""
    enheter: dict[str, Enhet] = {}
    # An område the administrator removed from the list is left off, not recreated.
    omrade_pk = dict(Verksamhetsomrade.objects.values_list("namn", "pk"))
    for kod, namn, typ, overordnad in ORGANISATION:
        forald = enheter[overordnad] if overordnad else None
        omrade = omrade_pk.get(OMRADEN.get(kod))
        enhet = Enhet.objects.filter(kod=kod).first()
        if enhet is None:
            enhet = Enhet(kod=kod)
        elif (
            enhet.namn,
            enhet.typ,
            enhet.overordnad_id,
            enhet.aktiv,
            enhet.verksamhetsomrade_id,
        ) == (
            namn,
            typ,
            forald.pk if forald else None,
            True,
            omrade,
        ):
            enheter[kod] = enhet
            continue
        enhet.namn, enhet.typ, enhet.overordnad, enhet.aktiv = namn, typ, forald, True
        enhet.verksamhetsomrade_id = omrade
        enhet.save()  # a full save: the materialised path follows the parent
        enheter[kod] = enhet
    return enheter


def skapa_demoapp(user: User):
    """The demo administrator's authenticator app with the known demo secret, unless they
    have one already (one they set up themselves is left alone). No recovery codes: the
    secret itself is printed."""
    if not TOTPDevice.objects.filter(user=user).exists():
        TOTPDevice.objects.create(
            user=user,
            name="Demoapp",
            key=b32decode(DEMO_TVASTEGS_HEMLIGHET).hex(),
            confirmed=True,
        )


def skapa_anvandare(enheter: dict[str, Enhet]) -> dict[str, User]:
    """Create or update the demo users and their assignments; returns them by username."""
    losenord = make_password(LOSENORD, salt=_LOSENORD_SALT)
    anvandare = {}
    for p in PERSONER:
        user, _ = User.objects.update_or_create(
            username=p.username,
            defaults={
                "first_name": p.fornamn,
                "last_name": p.efternamn,
                "titel": p.titel,
                "email": f"{p.username}@{EPOST_DOMAN}",
                "password": losenord,
                "is_active": True,
                "is_staff": p.is_staff,
                "is_superuser": False,
            },
        )
        for roll, kod in p.uppdrag:
            Uppdrag.objects.update_or_create(
                anvandare=user,
                roll=roll,
                enhet=enheter[kod],
                defaults={"giltig_fran": None, "giltig_till": None},
            )
        anvandare[p.username] = user
    return anvandare
