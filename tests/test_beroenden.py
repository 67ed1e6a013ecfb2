"""The one-way dependencies between apps are checked by import-linter (`lint-imports`
in CI, contracts in pyproject.toml). These tests keep the contracts in step with the
product: a new part or case type that is not in them fails here, so it cannot slip past
the check by being unknown to it."""

import tomllib

from django.conf import settings

from kvalitet import arendetyper, delar


def kontrakt():
    with open(settings.BASE_DIR / "pyproject.toml", "rb") as f:
        linter = tomllib.load(f)["tool"]["importlinter"]
    return linter["root_packages"], {k["id"]: k for k in linter["contracts"]}


# Apps on top of the parts, which no part imports: the REST API (api/).
OVERST = {"api"}


def test_kontrakten_omfattar_varje_del_och_arendetyp():
    paket, k = kontrakt()
    delarna = {d.name for d in delar.delar()}
    # The parts that keep records: the case types and the registers that are not cases
    # (the risk register). They never import each other; rapporter reads their figures.
    postappar = delarna - {"kvalitet", "rapporter"}
    assert {t.namespace for t in arendetyper.alla()} <= postappar
    assert set(paket) == delarna | OVERST
    assert set(k["karnan"]["source_modules"]) == {"kvalitet"}
    assert set(k["karnan"]["forbidden_modules"]) == (delarna - {"kvalitet"}) | OVERST
    # No part imports the API; it reads the parts as the pages do.
    assert set(k["api"]["source_modules"]) == delarna - {"kvalitet"}
    assert set(k["api"]["forbidden_modules"]) == OVERST
    assert set(k["arendetyper"]["modules"]) == postappar
    assert set(k["rapporter"]["forbidden_modules"]) == postappar
    # rapporter may read each part's statistik module, nothing else of it.
    assert set(k["rapporter"]["ignore_imports"]) == {
        f"rapporter.siffror -> {app}.statistik" for app in postappar
    }


def test_delarna_och_arendetyperna_hittas():
    """The comparison above cannot pass by finding nothing."""
    assert {d.name for d in delar.delar()} == {
        "kvalitet",
        "avvikelser",
        "synpunkter",
        "lexsarah",
        "tillsyn",
        "riskregister",
        "internkontroll",
        "processer",
        "rapporter",
    }
    assert [t.namespace for t in arendetyper.alla()] == [
        "avvikelser",
        "synpunkter",
        "lexsarah",
        "tillsyn",
    ]
