"""Fixtures of the server-side tests; the shared scenario lives in tests/stod.py."""

from tests.stod import scen  # noqa: F401  (the permission matrices' scenario)
