"""The lex Sarah case type against what every case type promises (tests/arendetyp.py)."""

import pytest

from tests.arendetyp import Arendetypsprov
from tests.lexsarah.hjalp import LEX_SARAH

pytestmark = pytest.mark.django_db


class TestLexSarah(Arendetypsprov):
    typ = LEX_SARAH
