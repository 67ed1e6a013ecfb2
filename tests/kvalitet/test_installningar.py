"""Production settings: Django's deploy checks pass, a missing or weak secret stops the
start, and CI runs on PostgreSQL."""

import re
import secrets

import pytest
from django.db import connection

from tests.hjalp import I_CI
from tests.tjanster import PROJEKT, kor_manage


def exempelfilens(namn):
    """The value .env.example ships for `namn`."""
    text = (PROJEKT / ".env.example").read_text()
    return re.search(rf"^{namn}=(.*)$", text, re.MULTILINE).group(1).strip()


def test_deploy_kontrollen_passerar_med_produktionsinstallningar():
    resultat = kor_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="kvalitet.example.se",
    )
    assert resultat.returncode == 0, resultat.stdout + resultat.stderr
    assert "System check identified no issues" in resultat.stdout


def test_deploy_kontrollen_fangar_en_varning():
    """The check is real: HSTS turned off is a warning, and warnings fail."""
    resultat = kor_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="kvalitet.example.se",
        SECURE_HSTS_SECONDS="0",
    )
    assert resultat.returncode != 0
    assert "security.W004" in resultat.stdout + resultat.stderr


SVAGA_NYCKLAR = [
    pytest.param(lambda: exempelfilens("SECRET_KEY"), "är platshållaren från .env.example",
                 id="exempelfilens"),
    pytest.param(lambda: "change-me-" + secrets.token_urlsafe(64),
                 "är platshållaren från .env.example", id="platshallare-med-lang-svans"),
    pytest.param(lambda: "kort", "är för kort (4 tecken, minst 50)", id="kort"),
    pytest.param(lambda: secrets.token_urlsafe(64)[:49], "är för kort (49 tecken, minst 50)",
                 id="49-tecken"),
    pytest.param(lambda: "abab" * 20, "har för få olika tecken (minst 5)", id="fa-olika-tecken"),
    pytest.param(lambda: "django-insecure-" + secrets.token_urlsafe(64),
                 "börjar med 'django-insecure-'", id="djangos-utvecklingsnyckel"),
]  # fmt: skip


@pytest.mark.parametrize(("nyckel", "varfor"), SVAGA_NYCKLAR)
@pytest.mark.parametrize("kalla", ["miljo", "fil"])
def test_installningarna_vagrar_starta_med_svag_hemlig_nyckel(nyckel, varfor, kalla, tmp_path):
    """Production refuses the example file's placeholder and keys Django's own check
    calls weak, in the variable or in the file, and says what to do, in Swedish."""
    miljo = {"DEBUG": "false", "ALLOWED_HOSTS": "kvalitet.example.se"}
    if kalla == "fil":
        (tmp_path / "nyckel").write_text(nyckel() + "\n")
        miljo["SECRET_KEY_FILE"] = str(tmp_path / "nyckel")
    else:
        miljo["SECRET_KEY"] = nyckel()
    resultat = kor_manage("check", **miljo)
    assert resultat.returncode != 0
    assert "ImproperlyConfigured" in resultat.stderr
    assert f"SECRET_KEY {varfor}" in resultat.stderr, resultat.stderr[-1000:]
    assert "Skapa en ny nyckel med python3 -c" in resultat.stderr


def test_exempelfilens_nyckel_duger_i_utveckling():
    """DEBUG on (a laptop) is not production: the key is not checked there."""
    resultat = kor_manage("check", DEBUG="true", SECRET_KEY=exempelfilens("SECRET_KEY"))
    assert resultat.returncode == 0, resultat.stderr


@pytest.mark.parametrize("nyckel", [None, ""])
def test_installningarna_vagrar_starta_utan_hemlig_nyckel(nyckel):
    miljo = {"DEBUG": "false", "ALLOWED_HOSTS": "kvalitet.example.se"}
    if nyckel is not None:
        miljo["SECRET_KEY"] = nyckel
    resultat = kor_manage("check", **miljo)
    assert resultat.returncode != 0
    assert "SECRET_KEY" in resultat.stderr
    assert "ImproperlyConfigured" in resultat.stderr


@pytest.mark.parametrize(("namn", "varde"), [("DEBUG", "ture"), ("SECURE_SSL_REDIRECT", "nja")])
def test_felstavat_sant_eller_falskt_stoppar_starten(namn, varde):
    """A typo must not silently turn a security switch off."""
    miljo = {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "kvalitet.example.se",
        namn: varde,
    }
    resultat = kor_manage("check", **miljo)
    assert resultat.returncode != 0
    assert f"{namn} måste vara true eller false, inte '{varde}'." in resultat.stderr


@pytest.mark.parametrize(
    ("namn", "varde", "minst"),
    [
        ("PROXY_COUNT", "-1", 0),
        ("INLOGGNING_MISSLYCKADE_PER_TIMME", "-5", 0),
        ("ATERSTALLNING_PER_TIMME", "-1", 0),
        ("BILAGA_MAX_MB", "0", 1),
    ],
)
def test_orimliga_granser_stoppar_starten(namn, varde, minst):
    resultat = kor_manage("check", DEBUG="true", **{namn: varde})
    assert resultat.returncode != 0
    assert f"{namn} måste vara minst {minst}, inte {varde}." in resultat.stderr


@pytest.mark.parametrize(
    ("miljo", "meddelande"),
    [
        ({"RISK_SANNOLIKHET": "Bara ett steg"}, "RISK_SANNOLIKHET ska ha 2–10 steg"),
        ({"RISK_NIVAER": "3:Låg,2:Hög,16:Mycket hög"}, "stigande högsta värden"),
        ({"RISK_NIVAER": "3:Låg,9:Hög"}, "den sista minst 16"),
        ({"RISK_NIVAER": "Låg,Hög"}, "RISK_NIVAER skrivs som 3:Låg"),
        ({"RISK_KONSEKVENS": "A,B,C,D,E", "RISK_NIVAER": "3:Låg,16:Hög"}, "den sista minst 20"),
    ],
    ids=["ett-steg", "fallande", "for-kort", "utan-tak", "storre-skala"],
)
def test_en_orimlig_riskskala_stoppar_starten(miljo, meddelande):
    """The risk scale is a setting (DOMAIN.md §4.4); one that cannot make a matrix stops
    the start with a Swedish message, rather than drawing a wrong one."""
    resultat = kor_manage("check", DEBUG="true", **miljo)
    assert resultat.returncode != 0
    assert meddelande in resultat.stderr


@pytest.mark.parametrize(
    ("varde", "meddelande"),
    [
        ("28 feb", "INTERNKONTROLL_REDOVISNING_SENAST skrivs som MM-DD"),
        ("02-30", "INTERNKONTROLL_REDOVISNING_SENAST skrivs som MM-DD"),
        ("02-29", "kan inte vara 02-29"),
    ],
)
def test_ett_orimligt_redovisningsdatum_stoppar_starten(varde, meddelande):
    resultat = kor_manage("check", DEBUG="true", INTERNKONTROLL_REDOVISNING_SENAST=varde)
    assert resultat.returncode != 0
    assert meddelande in resultat.stderr


def test_en_annan_riskskala_godtas():
    resultat = kor_manage(
        "check",
        DEBUG="true",
        RISK_SANNOLIKHET="Låg,Medel,Hög",
        RISK_KONSEKVENS="Liten,Stor,Mycket stor",
        RISK_NIVAER="2:Låg,4:Medel,9:Hög",
    )
    assert resultat.returncode == 0, resultat.stderr


def test_hemlig_nyckel_kan_lasas_fran_fil(tmp_path):
    fil = tmp_path / "secret_key"
    fil.write_text(secrets.token_urlsafe(64) + "\n")
    resultat = kor_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY_FILE=str(fil),
        ALLOWED_HOSTS="kvalitet.example.se",
    )
    assert resultat.returncode == 0, resultat.stdout + resultat.stderr


def test_ci_kor_mot_postgresql(db):
    if not I_CI:
        pytest.skip("bara i CI, där DATABASE_URL pekar på PostgreSQL")
    assert connection.vendor == "postgresql"
