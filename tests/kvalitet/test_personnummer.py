"""No personnummer in what is written for the nämnd (DOMAIN.md §5 and §6: no personal
data in any report to the nämnd). Every text of a document the nämnd receives refuses
what looks like a personnummer or samordningsnummer, with a Swedish message: the
kvalitetsberättelse's chapters (tests/rapporter/test_arbetsflode.py), the lex Sarah
tjänsteskrivelse and the anonymised summary, the summaries of the risk register's
version, of the internkontrollplan and of the redovisning; egenkontroll's every text
(tests/internkontroll/test_egen_formular.py)."""

from types import SimpleNamespace

import pytest

from internkontroll.forms import SammanfattningForm as IkSammanfattningForm
from kvalitet.forms import ser_ut_som_personnummer
from lexsarah.forms import SammanfattningForm as LsSammanfattningForm
from lexsarah.forms import TjansteskrivelseForm
from riskregister.forms import ForberedForm
from riskregister.forms import SammanfattningForm as RiskSammanfattningForm

MEDDELANDE = "Texten ser ut att innehålla ett personnummer."
ARENDE = SimpleNamespace(
    sammanfattning_namnd="",
    forslag_till_beslut="",
    handlingar="",
    skickas_till="",
    anonym_sammanfattning="",
    sammanfattning="",
)
TJANSTESKRIVELSE = {
    "sammanfattning_namnd": "Ett beslut om ungdomen skickades till en gammal adress.",
    "forslag_till_beslut": "Nämnden lägger utredningen till handlingarna.",
    "handlingar": "Utredning",
    "skickas_till": "IVO",
}

FORMULAR = [
    (TjansteskrivelseForm, TJANSTESKRIVELSE, "sammanfattning_namnd"),
    (TjansteskrivelseForm, TJANSTESKRIVELSE, "forslag_till_beslut"),
    (TjansteskrivelseForm, TJANSTESKRIVELSE, "handlingar"),
    (LsSammanfattningForm, {"anonym_sammanfattning": "Ändrad rutin."}, "anonym_sammanfattning"),
    (RiskSammanfattningForm, {"sammanfattning": "Två nya risker."}, "sammanfattning"),
    (ForberedForm, {"sammanfattning": "Två nya risker."}, "sammanfattning"),
    (IkSammanfattningForm, {"sammanfattning": "Planen för året."}, "sammanfattning"),
]


def _form(klass, data):
    if klass is ForberedForm:
        return klass(data=data)
    return klass(data=data, arende=ARENDE, user=None)


@pytest.mark.parametrize(("klass", "data", "falt"), FORMULAR)
def test_ett_personnummer_nekas(klass, data, falt):
    assert _form(klass, data).is_valid()  # the text as written is fine
    form = _form(klass, {**data, falt: f"{data.get(falt, '')} Gäller 850312-1234."})
    assert not form.is_valid()
    assert MEDDELANDE in form.errors[falt][0]


@pytest.mark.parametrize(
    ("text", "ser_ut"),
    [
        ("19850312-1234", True),
        ("850312-1234", True),
        ("850312+1234", True),  # over a hundred years old
        ("198503121234", True),
        ("850372-1234", True),  # samordningsnummer: day + 60
        ("851312-1234", False),  # no month 13
        ("850300-1234", False),  # no day 0
        ("SOCN/2018:25 - 759", False),
        ("08-123 456 78", False),
        ("2026-03-12 14.30", False),
        ("AVV-2026-0042", False),
    ],
)
def test_vad_som_ser_ut_som_ett_personnummer(text, ser_ut):
    assert ser_ut_som_personnummer(f"Text {text} text") is ser_ut
