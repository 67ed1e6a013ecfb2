"""The avvikelse case type against what every case type promises (tests/arendetyp.py)."""

import pytest

from tests.arendetyp import Arendetypsprov
from tests.avvikelser.hjalp import AVVIKELSE

pytestmark = pytest.mark.django_db


class TestAvvikelse(Arendetypsprov):
    typ = AVVIKELSE
