"""The list of egenkontroller and its filters (type, initiative, unit, status, period),
and its export: a bad filter shows nothing and the export is refused (400)."""

import re
from datetime import date

import pytest

from internkontroll.choices import Egenkontrollstatus
from tests.internkontroll.hjalp import egenkontroll

pytestmark = pytest.mark.django_db

EK = "/internkontroll/egenkontroll/"
NUMMER = re.compile(r'href="/internkontroll/egenkontroll/(EK-\d{4}-\d{4})/"')


@pytest.fixture
def ekar(org):
    return {
        "kg25": egenkontroll(org["EB"], ar=2025, status=Egenkontrollstatus.KLAR),
        "kg26": egenkontroll(org["EB"], ar=2026),
        "oj": egenkontroll(
            org["TEAM"],
            ar=2026,
            typ="oppna_jamforelser",
            initiativ="annan_myndighet",
            status=Egenkontrollstatus.PLANERAD,
        ),  # fmt: skip
        "koll": egenkontroll(org["KOLL"], ar=2026),
    }


def _nummer(ekar, *nycklar):
    return {ekar[n].nummer for n in nycklar}


@pytest.mark.parametrize(
    ("filter", "vantat"),
    [
        ({}, ("kg25", "kg26", "oj")),
        ({"typ": "oppna_jamforelser"}, ("oj",)),
        ({"initiativ": "annan_myndighet"}, ("oj",)),
        ({"status": "klar"}, ("kg25",)),
        ({"enhet": "TEAM"}, ("oj",)),
        ({"fran": "2026-01-01"}, ("kg26", "oj")),
        ({"till": "2025-12-31"}, ("kg25",)),
        ({"q": "Kollegial granskning 2025"}, ("kg25",)),
        ({"typ": "kaffe"}, ()),
        ({"fran": "2026-02-30"}, ()),
    ],
)
def test_filter(filter, vantat, ekar, org, klient_for):
    filter = dict(filter)
    if "enhet" in filter:
        filter["enhet"] = org[filter["enhet"]].pk
    html = klient_for("avdelningschef").get(EK, filter).content.decode()
    assert set(NUMMER.findall(html)) == _nummer(ekar, *vantat)


def test_felaktigt_filter_ger_ingen_export(ekar, klient_for):
    klient = klient_for("kvalitetssamordnare")
    assert klient.get(f"{EK}export.csv", {"typ": "kaffe"}).status_code == 400
    svar = klient.get(f"{EK}export.csv", {"status": "pagar"})
    text = b"".join(svar.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Nummer;Titel;Typ;Initiativ")
    assert {r.split(";")[0] for r in text.splitlines()[1:]} == _nummer(ekar, "kg26", "koll")


def test_personalen_ser_sin_enhets_egenkontroller(ekar, klient_for):
    html = klient_for("medarbetare").get(EK).content.decode()
    # Ekonomiskt bistånd's, not the team's below it nor another avdelning's.
    assert set(NUMMER.findall(html)) == _nummer(ekar, "kg25", "kg26")
    assert date(2026, 1, 1).isoformat() in html
