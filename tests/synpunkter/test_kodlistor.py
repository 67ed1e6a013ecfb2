"""The synpunkt categories' definitions where the registrator chooses one (issue 11)."""

import pytest

from tests.kvalitet.test_kodlistor import _definitioner
from tests.stod import hamta_html
from tests.synpunkter.hjalp import satt_status

pytestmark = pytest.mark.django_db


def test_registreringen_visar_synpunktskategoriernas_definitioner(syn, klient_for):
    s = satt_status(syn.syn, "inkommen")
    html = hamta_html(klient_for("registrator"), s.get_absolute_url())
    (kategorier,) = _definitioner(html)
    assert kategorier["Myndighetsutövning"].startswith("Ett beslut i den enskildes ärende.")
