"""Test helpers shared by the suite."""

import os

import pytest

I_CI = os.environ.get("CI", "").lower() == "true"


def kraver(villkor: bool, varfor: str):
    """Skip when a real component is missing on a laptop; fail in CI, where every
    component must be exercised."""
    if villkor:
        return
    if I_CI:
        pytest.fail(f"CI kräver detta men det saknas: {varfor}")
    pytest.skip(varfor)
