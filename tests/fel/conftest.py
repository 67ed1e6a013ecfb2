"""Fixtures of the fault tests: the Celery app pointed at a broker (tests/kvalitet)."""

from tests.kvalitet.conftest import celery_app  # noqa: F401
from tests.stod import scen  # noqa: F401  (the permission matrices' scenario)
