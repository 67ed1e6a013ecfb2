"""What every case type states about itself (docs/nytt-arendetyp.md) is consistent: the
facts the shared machinery reads from the model exist and agree with each other."""

import pytest
from django.conf import settings
from django.db import models

from kvalitet import arendetyper
from kvalitet.models import Arende, Roll

TYPER = [pytest.param(t.modell, id=t.modell._meta.label) for t in arendetyper.alla()]


@pytest.mark.parametrize("modell", TYPER)
def test_datumfaltet_finns_och_styr_ordningen(modell):
    falt = modell._meta.get_field(modell.DATUMFALT)
    assert isinstance(falt, models.DateTimeField)
    assert falt.db_index, "listor, filter och statistik söker på fältet"
    assert modell._meta.ordering[0] == f"-{modell.DATUMFALT}"


@pytest.mark.parametrize("modell", TYPER)
def test_kontraktets_ovriga_fakta(modell):
    assert modell.NUMMER_PREFIX.isupper()
    statusar = {k for k, _ in modell._meta.get_field("status").flatchoices}
    assert set(modell.STATUS_OPPNA) < statusar
    if modell.ANMALARE_FALT:
        assert modell._meta.get_field(modell.ANMALARE_FALT).related_model is not None
    if modell.FRIST_DAGAR:
        assert isinstance(getattr(settings, modell.FRIST_DAGAR), int)
    for falt in modell.FRITEXT:
        assert isinstance(modell._meta.get_field(falt), models.CharField | models.TextField)
    assert isinstance(modell._meta.get_field(modell.SAMMANFATTNING), models.TextField)
    for roller in (modell.ROLLER_SER_ALLT, modell.ROLLER_SER_ENHET, modell.ROLLER_HANTERAR):
        assert set(roller) <= set(Roll.values)


def test_prefixen_ar_unika():
    prefix = [t.prefix for t in arendetyper.alla()]
    assert len(prefix) == len(set(prefix)) == 4


def test_basens_standardvarden():
    assert Arende.DATUMFALT == "skapad"
    assert (Arende.ANMALARE_FALT, Arende.FRIST_DAGAR, Arende.FRITEXT) == (None, None, ())


@pytest.mark.parametrize(
    ("text", "sammanfattning"),
    [
        ("", ""),
        ("  Kort.  ", "Kort."),
        ("Första raden.\nAndra raden.", "Första raden. …"),
        ("\n\nEfter tomma rader.", "Efter tomma rader."),
        ("x" * 90, "x" * 90),
        ("x" * 91, "x" * 89 + "…"),
        ("ord " * 40 + "\nmer", "ord " * 22 + "o…"),
    ],
)
def test_sammanfattningen_ar_textens_borjan(text, sammanfattning):
    """What a list shows to recognise a case (issue 10): the first line, cut at 90
    characters; an ellipsis says there is more."""
    from avvikelser.models import Avvikelse

    assert Avvikelse(beskrivning=text).sammanfattning == sammanfattning


def test_varje_steg_sager_vad_som_hant_med_en_egen_mening():
    """Every step declares its own success message (a sentence such as "AVV-2026-0001 är
    avslutad."), not the engine's fallback."""
    from django.apps import apps

    from kvalitet.workflow import Step, steps_of

    standard = Step.__dataclass_fields__["message"].default
    steg = [(m._meta.label, s.name) for m in apps.get_models() for s in steps_of(m)]
    utan = [
        (m._meta.label, s.name)
        for m in apps.get_models()
        for s in steps_of(m)
        if s.message is standard
    ]
    assert len(steg) >= 15
    assert not utan, utan
