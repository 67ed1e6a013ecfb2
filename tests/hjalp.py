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


def rapportera_avvikelse(klient, org, beskrivning):
    """File an avvikelse for Ekonomiskt bistånd through the form, as a member of staff
    would (the unit's enhetschef is told); the saved case, found by its text."""
    from datetime import timedelta

    from django.utils import timezone

    from avvikelser.models import Avvikelse

    response = klient.post(
        "/avvikelser/ny/",
        {
            "typ": "avvikelse",
            "enhet": org["EB"].pk,
            "handelsedatum": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "beror_enskild": "False",
            "beskrivning": beskrivning,
        },
    )
    assert response.status_code == 302, response.content.decode()[:1000]
    avv = Avvikelse.objects.get(beskrivning=beskrivning)
    assert response.headers["Location"] == avv.get_absolute_url()
    return avv
