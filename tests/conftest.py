"""Personas per role and unit, shared by every test.

The organisation: Socialförvaltningen → Staben; Myndighetsavdelningen → Ekonomiskt
bistånd → team Mottagning; Myndighetsavdelningen → Bistånd barn och unga;
Öppenvårdsavdelningen → Kollektivet HVB. "Same unit" personas work in Ekonomiskt
bistånd / Myndighetsavdelningen; "annan" personas in Öppenvårdsavdelningen.
"""

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


# persona key → (role, unit key)
PERSONAS = {
    "medarbetare": (Roll.MEDARBETARE, "EB"),
    "medarbetare_annan": (Roll.MEDARBETARE, "KOLL"),
    "enhetschef": (Roll.ENHETSCHEF, "EB"),
    "enhetschef_annan": (Roll.ENHETSCHEF, "KOLL"),
    "avdelningschef": (Roll.AVDELNINGSCHEF, "MYN"),
    "avdelningschef_annan": (Roll.AVDELNINGSCHEF, "OPPEN"),
    "utredare": (Roll.UTREDARE, "STAB"),
    "registrator": (Roll.REGISTRATOR, "STAB"),
    "kvalitetssamordnare": (Roll.KVALITETSSAMORDNARE, "STAB"),
    "forvaltningschef": (Roll.FORVALTNINGSCHEF, "SOC"),
    "namnd": (Roll.NAMND, "SOC"),
    "admin": (Roll.ADMIN, "SOC"),
    "utan_roll": (None, None),
}


@pytest.fixture
def personas(org):
    """One user per persona key, with the role for the unit given in PERSONAS."""
    users = {}
    for key, (roll, enhet) in PERSONAS.items():
        user = UserFactory(username=key, first_name=key.replace("_", " ").title())
        if roll:
            UppdragFactory(anvandare=user, roll=roll, enhet=org[enhet])
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


@pytest.fixture
def klient_for(client, personas):
    """A logged-in test client for a persona key (None = anonymous)."""
    from django.test import Client

    def make(key):
        c = Client()
        if key is not None:
            c.force_login(personas[key])
        return c

    return make
