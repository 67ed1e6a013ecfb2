"""The test harness itself: in CI a missing component fails the run instead of skipping
the tests that need it, whichever truthy value the CI system puts in `CI`."""

import pytest

from tests import hjalp


@pytest.mark.parametrize("varde", ["true", "1", "yes", "on", "TRUE", " True ", "y"])
def test_ci_kanns_igen(varde):
    assert hjalp.ar_sant(varde)


@pytest.mark.parametrize("varde", [None, "", "0", "false", "no", "off", "kanske"])
def test_inte_ci(varde):
    assert not hjalp.ar_sant(varde)


def test_i_ci_fallerar_det_som_saknas(monkeypatch):
    monkeypatch.setattr(hjalp, "I_CI", True)
    with pytest.raises(pytest.fail.Exception, match="CI kräver detta men det saknas: Redis"):
        hjalp.kraver(False, "Redis")


def test_utanfor_ci_hoppas_det_over(monkeypatch):
    monkeypatch.setattr(hjalp, "I_CI", False)
    with pytest.raises(pytest.skip.Exception, match="Redis"):
        hjalp.kraver(False, "Redis")
    hjalp.kraver(True, "finns")  # present: nothing happens
