"""IVO's tillsyn against what every case type promises (tests/arendetyp.py)."""

import pytest

from tests.arendetyp import Arendetypsprov
from tests.tillsyn.hjalp import TILLSYN

pytestmark = pytest.mark.django_db


class TestTillsyn(Arendetypsprov):
    typ = TILLSYN
