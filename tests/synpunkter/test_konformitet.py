"""The synpunkt case type against what every case type promises (tests/arendetyp.py)."""

import pytest

from tests.arendetyp import Arendetypsprov
from tests.synpunkter.hjalp import SYNPUNKT

pytestmark = pytest.mark.django_db


class TestSynpunkt(Arendetypsprov):
    typ = SYNPUNKT
