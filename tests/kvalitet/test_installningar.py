"""Production settings: Django's deploy checks pass, a missing secret stops the start,
and CI runs on PostgreSQL."""

import secrets

import pytest
from django.db import connection

from tests.hjalp import I_CI
from tests.tjanster import kor_manage


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


def test_deploy_kontrollen_fangar_en_svag_nyckel():
    """The check is real: a short key is a warning, and warnings fail."""
    resultat = kor_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY="kort",
        ALLOWED_HOSTS="kvalitet.example.se",
    )
    assert resultat.returncode != 0
    assert "security.W009" in resultat.stdout + resultat.stderr


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
