"""Fixtures of the server-side tests; the shared scenario lives in tests/stod.py."""

import pytest

from tests.stod import scen  # noqa: F401  (the permission matrices' scenario)


@pytest.fixture(autouse=True)
def _snabb_hashning(settings):
    """Personas get a password; the default hasher takes ~0.4 s per user."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
