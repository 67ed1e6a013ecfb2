"""Personas per role and unit, shared by every test.

The organisation: Socialförvaltningen → Staben; Myndighetsavdelningen → Ekonomiskt
bistånd → team Mottagning; Myndighetsavdelningen → Bistånd barn och unga;
Öppenvårdsavdelningen → Kollektivet HVB. "Same unit" personas work in Ekonomiskt
bistånd / Myndighetsavdelningen; "annan" personas in Öppenvårdsavdelningen.
"""

from typing import NamedTuple

import pytest
from django.core.cache import cache

from kvalitet.models import Roll
from tests.factories import AvvikelseFactory, EnhetFactory, UppdragFactory, UserFactory


@pytest.fixture(autouse=True)
def _media_och_cache(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SECURE_SSL_REDIRECT = False
    settings.ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
    # The personas get a password; 13 PBKDF2 hashes per test would cost seconds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from kvalitet.celery import app

    app.conf.task_always_eager = True
    cache.clear()
    yield


@pytest.fixture
def org(db):
    """The test organisation, by unit code."""
    soc = EnhetFactory(kod="SOC", namn="Socialförvaltningen", typ="forvaltning")
    stab = EnhetFactory(kod="STAB", namn="Staben", typ="avdelning", overordnad=soc)
    myn = EnhetFactory(kod="MYN", namn="Myndighetsavdelningen", typ="avdelning", overordnad=soc)
    eb = EnhetFactory(kod="MYN-EB", namn="Ekonomiskt bistånd", typ="enhet", overordnad=myn)
    team = EnhetFactory(kod="MYN-EB-MOT", namn="Mottagning", typ="team", overordnad=eb)
    buv = EnhetFactory(kod="MYN-BUV", namn="Bistånd barn och unga", typ="enhet", overordnad=myn)
    oppen = EnhetFactory(kod="OPPEN", namn="Öppenvårdsavdelningen", typ="avdelning", overordnad=soc)
    koll = EnhetFactory(kod="OPPEN-KOLL", namn="Kollektivet HVB", typ="enhet", overordnad=oppen)
    return {
        "SOC": soc,
        "STAB": stab,
        "MYN": myn,
        "EB": eb,
        "TEAM": team,
        "BUV": buv,
        "OPPEN": oppen,
        "KOLL": koll,
    }


class Persona(NamedTuple):
    """A persona: its role for a unit (a key of `org`), and optionally the persona it is
    declared like (`som`): wherever a permission matrix or a per-persona table does not
    name it, it is expected to fare as that one does (tests.stod.Utfall)."""

    roll: str | None
    enhet: str | None
    som: str | None = None


# persona key → Persona. A new persona is one line, e.g. a stand-in manager of the unit:
#     "enhetschef_vikarie": Persona(Roll.ENHETSCHEF, "EB", som="enhetschef"),
# A persona declared like another that fares otherwise somewhere (a manager of the team
# Mottagning does not see the cases of Ekonomiskt bistånd) is named in those rows only.
PERSONAS = {
    "medarbetare": Persona(Roll.MEDARBETARE, "EB"),
    "medarbetare_annan": Persona(Roll.MEDARBETARE, "KOLL"),
    "enhetschef": Persona(Roll.ENHETSCHEF, "EB"),
    "enhetschef_annan": Persona(Roll.ENHETSCHEF, "KOLL"),
    "avdelningschef": Persona(Roll.AVDELNINGSCHEF, "MYN"),
    "avdelningschef_annan": Persona(Roll.AVDELNINGSCHEF, "OPPEN"),
    "utredare": Persona(Roll.UTREDARE, "STAB"),
    "registrator": Persona(Roll.REGISTRATOR, "STAB"),
    "kvalitetssamordnare": Persona(Roll.KVALITETSSAMORDNARE, "STAB"),
    "forvaltningschef": Persona(Roll.FORVALTNINGSCHEF, "SOC"),
    "namnd": Persona(Roll.NAMND, "SOC"),
    "admin": Persona(Roll.ADMIN, "SOC"),
    "utan_roll": Persona(None, None),
}

# Personas that many matrix rows treat alike: a row may name the group instead of each
# member (tests.stod.Utfall). A persona named in the row itself overrides its group.
GRUPPER = {
    # The managers of the scenarios' unit, Ekonomiskt bistånd, and of its avdelning.
    "chefer": ("enhetschef", "avdelningschef"),
    # The roles that see every case of the förvaltning.
    "ser_allt": ("kvalitetssamordnare", "forvaltningschef"),
}


@pytest.fixture
def personas(org):
    """One user per persona key, with the role for the unit given in PERSONAS."""
    users = {}
    for key, persona in PERSONAS.items():
        user = UserFactory(username=key, first_name=key.replace("_", " ").title())
        if persona.roll:
            UppdragFactory(anvandare=user, roll=persona.roll, enhet=org[persona.enhet])
        users[key] = user
    return users


@pytest.fixture
def avvikelse(personas, org):
    """An avvikelse reported by `medarbetare` for Ekonomiskt bistånd."""
    return AvvikelseFactory(
        enhet=org["EB"], rapporterad_av=personas["medarbetare"], skapad_av=personas["medarbetare"]
    )


@pytest.fixture
def avvikelse_annan(personas, org):
    """An avvikelse of another avdelning (Kollektivet HVB)."""
    return AvvikelseFactory(
        enhet=org["KOLL"],
        rapporterad_av=personas["medarbetare_annan"],
        skapad_av=personas["medarbetare_annan"],
    )


def logga_in_helt(klient, user):
    """Log the test client in as `user` the way a completed login leaves the session.
    force_login records the password backend (the first backend with get_user), so a
    person with a second factor, or who must have one (an administrator;
    kvalitet.tvastegs), would still owe the second step: they get an app, and the session
    is verified by it, as after typing its code."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from kvalitet import behorighet
    from kvalitet.models import User

    klient.force_login(user)
    app = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    # A fresh copy: the access module caches the roles on the object it is given.
    if app is None and behorighet.kraver_tvastegs(User.objects.get(pk=user.pk)):
        app = TOTPDevice.objects.create(user=user, name="Testapp", confirmed=True)
    if app is not None:
        session = klient.session
        session[DEVICE_ID_SESSION_KEY] = app.persistent_id
        session.save()
    return klient


@pytest.fixture
def klient_for(client, personas):
    """A logged-in test client for a persona key (None = anonymous); fully logged in, the
    second factor included where the persona has one (`logga_in_helt`)."""
    from django.test import Client

    def make(key):
        c = Client()
        if key is not None:
            logga_in_helt(c, personas[key])
        return c

    return make
