"""Test helpers shared by the suite."""

import os

import pytest

# The values CI systems set (GitHub Actions and GitLab: "true"; others "1", "yes"...).
SANNA = frozenset({"1", "true", "yes", "on", "y", "t"})


def ar_sant(varde: str | None) -> bool:
    """Whether an environment value such as CI's means yes."""
    return (varde or "").strip().lower() in SANNA


I_CI = ar_sant(os.environ.get("CI"))


def kraver(villkor: bool, varfor: str):
    """Skip when a real component is missing on a laptop; fail in CI, where every
    component must be exercised."""
    if villkor:
        return
    if I_CI:
        pytest.fail(f"CI kräver detta men det saknas: {varfor}")
    pytest.skip(varfor)
