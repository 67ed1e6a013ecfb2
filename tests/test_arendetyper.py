"""Every case type is held to the shared tests: it has a conformance suite
(tests/arendetyp.py, subclassed in tests/<app>/test_konformitet.py) and a part in the
database snapshot that proves refused requests change nothing (tests/stod.py). A new
case type fails here until it has both."""

import importlib
import pkgutil

from django.apps import apps

import tests
from kvalitet import arendetyper
from kvalitet.workflow import steps_of
from tests.arendetyp import Arendetypsprov
from tests.stod import ogonblick, ogonblicksdelar


def konformitetsprov():
    """{model label: test class} of every conformance suite under tests/."""
    hittade = {}
    for info in pkgutil.walk_packages(tests.__path__, "tests."):
        if info.name.rsplit(".", 1)[-1] == "test_konformitet":
            modul = importlib.import_module(info.name)
            for namn, varde in vars(modul).items():
                if (
                    isinstance(varde, type)
                    and issubclass(varde, Arendetypsprov)
                    and namn.startswith("Test")
                ):
                    assert varde.typ.label not in hittade, varde.typ.label
                    hittade[varde.typ.label] = varde
    return hittade


def test_varje_arendetyp_har_ett_konformitetsprov():
    typer = {t.modell._meta.label for t in arendetyper.alla()}
    # Not passing by finding none.
    assert typer == {
        "avvikelser.Avvikelse",
        "synpunkter.Synpunkt",
        "lexsarah.LexSarah",
        "tillsyn.Tillsyn",
    }
    assert set(konformitetsprov()) == typer


def test_varje_post_med_steg_har_en_del_i_ogonblicket():
    """Every case type and every other record with steps outside the core (a report) has
    registered the fields a request could change."""
    med_steg = {m._meta.label for m in apps.get_models() if steps_of(m)}
    typer = {t.modell._meta.label for t in arendetyper.alla()}
    assert (typer | med_steg) - {"kvalitet.Atgard"} <= set(ogonblicksdelar())


def test_ogonblicket_ser_delarna(db):
    bild = ogonblick()
    for nyckel in ("tidslinje", "atgarder", "filer", "avvikelser", "synpunkter", "berattelser"):
        assert nyckel in bild, nyckel
