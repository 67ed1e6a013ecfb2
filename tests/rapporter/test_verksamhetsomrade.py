"""Figures per verksamhetsområde (issue 11, docs/siffror.md), counted by hand from the
rule: a case counts under its unit's område, or the nearest unit above's that has one,
as the units stand when the figures are made; cases of units without one count as
"Utan verksamhetsområde". Tillbud are never in the avvikelse figures."""

import re

import pytest
from django.template.loader import render_to_string

from avvikelser import statistik as avv
from kvalitet.models import Enhet, Verksamhetsomrade, omraden_per_enhet
from rapporter import siffror
from synpunkter import statistik as syn
from tests.factories import AvvikelseFactory, SynpunktFactory
from tests.rapporter.conftest import AR, BRYTDATUM, lokal

pytestmark = pytest.mark.django_db

UTAN = "Utan verksamhetsområde"


@pytest.fixture
def omraden(org):
    """The tree of the test organisation (tests/conftest.py) with:

    SOC (none) → MYN avdelning: Barn och unga
                   → MYN-EB enhet (none: inherits Barn och unga)
                       → MYN-EB-MOT team (none: inherits Barn och unga via MYN)
                   → MYN-BUV enhet: Familjerätt (its own, over MYN's)
               → STAB, OPPEN → OPPEN-KOLL (none anywhere up: without område)
    """
    barn = Verksamhetsomrade.objects.get(namn="Barn och unga")
    familj = Verksamhetsomrade.objects.get(namn="Familjerätt")
    for kod, omrade in (("MYN", barn), ("BUV", familj)):
        org[kod].verksamhetsomrade = omrade
        org[kod].save()
    return {"barn": barn, "familj": familj}


def test_narmaste_ovanfor_galler(org, omraden, django_assert_num_queries):
    with django_assert_num_queries(1):
        karta = omraden_per_enhet()
    namn = {kod: (karta[e.pk] or (None, None))[1] for kod, e in org.items()}
    assert namn == {
        "SOC": None,
        "STAB": None,
        "MYN": "Barn och unga",  # its own
        "EB": "Barn och unga",  # from MYN, one level up
        "TEAM": "Barn och unga",  # from MYN, two levels up
        "BUV": "Familjerätt",  # its own, over MYN's
        "OPPEN": None,
        "KOLL": None,
    }
    team = Enhet.objects.get(pk=org["TEAM"].pk)
    with django_assert_num_queries(1):
        assert team.omrade() == omraden["barn"]
    assert org["BUV"].omrade() == omraden["familj"]
    assert org["KOLL"].omrade() is None


@pytest.fixture
def arenden(org, omraden):
    """Avvikelser of AR: A1 MYN, A2 EB, A3 TEAM (Barn och unga); A4, A5 BUV
    (Familjerätt); A6 KOLL (no område). Not counted: tillbud T1 at BUV, and A7 at BUV
    in the year before. Synpunkter of AR: S1 EB, S2 BUV, S3 STAB (no område)."""
    for kod, manad in (("MYN", 1), ("EB", 2), ("TEAM", 3), ("BUV", 4), ("BUV", 5), ("KOLL", 6)):
        AvvikelseFactory(enhet=org[kod], rapporterad=lokal(AR, manad, 10, 9))
    AvvikelseFactory(typ="tillbud", enhet=org["BUV"], rapporterad=lokal(AR, 7, 10, 9))
    AvvikelseFactory(enhet=org["BUV"], rapporterad=lokal(AR - 1, 7, 10, 9))
    for kod in ("EB", "BUV", "STAB"):
        SynpunktFactory(enhet=org[kod], inkom=lokal(AR, 3, 3, 9))


def test_avvikelser_per_verksamhetsomrade(arenden):
    s = siffror.avvikelser_siffror(AR, BRYTDATUM)
    # By hand: Barn och unga A1 + A2 + A3 = 3; Familjerätt A4 + A5 = 2 (T1 is a tillbud,
    # A7 another year); without område A6 = 1. Sum 6 = the year's avvikelser.
    assert [(r["namn"], r["antal"]) for r in s["per_verksamhetsomrade"]] == [
        ("Barn och unga", 3),
        ("Familjerätt", 2),
        (UTAN, 1),
    ]
    assert s["totalt"] == 6


def test_synpunkter_per_verksamhetsomrade(arenden):
    s = siffror.synpunkter_siffror(AR, BRYTDATUM)
    # By hand: S1 (EB → MYN) Barn och unga 1; S2 (BUV) Familjerätt 1; S3 (STAB) without
    # område 1, shown last whatever its count.
    assert [(r["namn"], r["antal"]) for r in s["per_verksamhetsomrade"]] == [
        ("Barn och unga", 1),
        ("Familjerätt", 1),
        (UTAN, 1),
    ]


def test_omradet_som_enheterna_star_nu(org, arenden):
    """The rule as docs/siffror.md says it: the units' områden when the figures are
    made, not when the case was reported. BUV loses its own: its cases move to MYN's."""
    org["BUV"].verksamhetsomrade = None
    org["BUV"].save()
    assert [(r["namn"], r["antal"]) for r in avv.per_verksamhetsomrade(AR, till=BRYTDATUM)] == [
        ("Barn och unga", 5),
        (UTAN, 1),
    ]


def test_en_fraga_per_enhet_och_en_over_tradet(arenden, django_assert_num_queries):
    with django_assert_num_queries(2):
        syn.per_verksamhetsomrade(AR, till=BRYTDATUM)


def test_utan_arenden_ingen_rad(org, omraden, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert avv.per_verksamhetsomrade(AR, till=BRYTDATUM) == []


def test_tabell_i_kapitlen(arenden):
    for mall, s in (
        ("avvikelser", siffror.avvikelser_siffror(AR, BRYTDATUM)),
        ("synpunkter", siffror.synpunkter_siffror(AR, BRYTDATUM)),
    ):
        html = render_to_string(
            f"rapporter/kapitel/{mall}.html", {"s": s, "ar": AR, "brytdatum": BRYTDATUM}
        )
        text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
        assert "Per verksamhetsområde" in text
        assert text.index("Per avdelning") < text.index("Per verksamhetsområde")
        assert "Familjerätt" in text and UTAN in text


def test_kapitel_fran_fore_omradena(arenden):
    """Figures frozen before områden existed have no such key: no empty heading."""
    s = siffror.avvikelser_siffror(AR, BRYTDATUM)
    del s["per_verksamhetsomrade"]
    html = render_to_string(
        "rapporter/kapitel/avvikelser.html", {"s": s, "ar": AR, "brytdatum": BRYTDATUM}
    )
    assert "Per verksamhetsområde" not in html


def test_listan_i_admin(klient_for):
    klient = klient_for("admin")
    svar = klient.get("/admin/kvalitet/verksamhetsomrade/")
    assert svar.status_code == 200
    assert "Våld i nära relationer" in svar.content.decode()
    assert (
        klient_for("kvalitetssamordnare").get("/admin/kvalitet/verksamhetsomrade/").status_code
        != 200
    )
