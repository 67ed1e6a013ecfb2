"""Frozen years (docs/siffror.md "Frysta år"): in the comparison over years, an earlier
year whose kvalitetsberättelse the nämnd has decided is shown with the figures the
decided version stored – at the decision exactly the live count – and a case of that
year changed afterwards does not change it; everything else is counted live."""

from dataclasses import replace
from datetime import date
from unittest import mock

import pytest

from avvikelser import statistik as avv
from avvikelser.models import Avvikelse
from lexsarah import statistik as lex
from lexsarah.models import LexSarah
from rapporter import siffror
from rapporter.choices import Serie
from rapporter.models import Driftstart
from synpunkter import statistik as syn
from synpunkter.models import Synpunkt
from tests.factories import (
    AvvikelseFactory,
    HistorikFactory,
    KvalitetsberattelseFactory,
    SynpunktFactory,
)
from tests.rapporter.conftest import AR, BRYTDATUM, lokal

pytestmark = pytest.mark.django_db

SERIER = (Serie.AVVIKELSER, Serie.SYNPUNKTER, Serie.LEXSARAH)


def lexsarah(enhet, rapporterad):
    """A lex Sarah rapport with the required fields only."""
    return LexSarah.objects.create(
        enhet=enhet, vag="rapport", kalla="egen", rapporterad=rapporterad
    )


@pytest.fixture
def fem_ar(org, personas):
    """Cases in every year of the comparison 2021–2025: 2 + year-index avvikelser (one
    a tillbud), synpunkter of two types, lex Sarah rapporter."""
    for i, ar in enumerate(range(AR - 4, AR + 1)):
        for n in range(2 + i):
            AvvikelseFactory(
                enhet=org["EB"],
                typ="tillbud" if n == 0 else "avvikelse",
                rapporterad=lokal(ar, 1 + n, 10, 12),
            )
            SynpunktFactory(
                enhet=org["KOLL"],
                typ="klagomal" if n % 2 else "berom",
                inkom=lokal(ar, 2 + n, 3, 9),
            )
        for n in range(1 + i % 2):
            lexsarah(org["EB"], lokal(ar, 3, 5 + n, 10))


def faststall(ar, **kw):
    """A decided report of `ar` as `Kvalitetsberattelse.faststall` stores it: the
    figures computed at the decision."""
    brytdatum = kw.pop("brytdatum", date(ar + 1, 1, 31))
    return KvalitetsberattelseFactory(
        ar=ar,
        status=kw.pop("status", "faststalld"),
        brytdatum=brytdatum,
        siffror=siffror.berakna(ar, brytdatum),
        **kw,
    )


def jamfor(serie):
    return siffror.jamforelse(serie, AR, BRYTDATUM)


def test_faststallda_ar_ger_samma_jamforelse_som_rakningen(fem_ar):
    levande = {serie: jamfor(serie) for serie in SERIER}
    assert [r["totalt"] for r in levande[Serie.AVVIKELSER]] == [1, 2, 3, 4, 5]
    assert [r["totalt"] for r in levande[Serie.LEXSARAH]] == [1, 2, 1, 2, 1]
    for ar in range(AR - 4, AR):
        faststall(ar)
    for serie in SERIER:
        assert jamfor(serie) == levande[serie], serie


def test_de_faststallda_aren_raknas_inte_om(fem_ar):
    for ar in (AR - 4, AR - 2, AR - 1):
        faststall(ar)
    lasta = []
    original = avv.ARENDEN.per_ar

    def per_ar(arslista, **kw):
        lasta.append(sorted(arslista))
        return original(arslista, **kw)

    info = replace(siffror.SERIER[Serie.AVVIKELSER], per_ar=per_ar)
    with mock.patch.dict(siffror.SERIER, {Serie.AVVIKELSER: info}):
        jamfor(Serie.AVVIKELSER)
    assert lasta == [[AR - 3, AR]]


def test_ett_andrat_arende_andrar_inte_ett_faststallt_ar(fem_ar):
    faststall(AR - 1)
    fore = jamfor(Serie.AVVIKELSER)
    # A 2024 avvikelse is made a tillbud, another 2024 one deleted, a synpunkt moved from
    # 2024 into 2023 and a lex Sarah rapport of 2024 deleted – after the decision.
    fjol = Avvikelse.objects.filter(rapporterad__year=AR - 1, typ="avvikelse")
    Avvikelse.objects.filter(pk=fjol[0].pk).update(typ="tillbud")
    Avvikelse.objects.filter(pk=fjol[1].pk).delete()
    Synpunkt.objects.filter(pk=Synpunkt.objects.filter(inkom__year=AR - 1)[0].pk).update(
        inkom=lokal(AR - 2, 6, 1, 9)
    )
    LexSarah.objects.filter(rapporterad__year=AR - 1).first().delete()

    assert avv.antal(AR - 1) == 2  # live: 4 − 2
    rader = {r["ar"]: r for r in jamfor(Serie.AVVIKELSER)}
    assert rader[AR - 1]["totalt"] == 4  # as decided
    assert rader[AR - 1]["per_typ"] == [{"varde": "avvikelse", "namn": "Avvikelse", "antal": 4}]
    assert jamfor(Serie.AVVIKELSER) == fore
    # Synpunkter: 2024 as decided (5), 2023 – not decided – counted live with the moved
    # case (4 + 1).
    rader = {r["ar"]: r for r in jamfor(Serie.SYNPUNKTER)}
    assert (rader[AR - 1]["totalt"], rader[AR - 2]["totalt"]) == (5, 5)
    assert syn.antal(AR - 1) == 4
    rader = {r["ar"]: r for r in jamfor(Serie.LEXSARAH)}
    assert (rader[AR - 1]["totalt"], lex.antal(AR - 1)) == (2, 1)


def test_utkast_ersatt_och_kort_brytdatum_fryser_inte(fem_ar):
    """Only the version in force with the whole year counted freezes a year."""
    faststall(AR - 1, status="utkast")
    faststall(AR - 2, status="ersatt")
    faststall(AR - 3, brytdatum=date(AR - 3, 6, 30))
    AvvikelseFactory(rapporterad=lokal(AR - 1, 12, 1, 9))
    AvvikelseFactory(rapporterad=lokal(AR - 2, 12, 1, 9))
    AvvikelseFactory(rapporterad=lokal(AR - 3, 12, 1, 9))
    totalt = {r["ar"]: r["totalt"] for r in jamfor(Serie.AVVIKELSER)}
    assert totalt == {AR - 4: 1, AR - 3: 3, AR - 2: 4, AR - 1: 5, AR: 5}
    assert siffror.faststallda(Serie.AVVIKELSER, range(AR - 4, AR)) == {}


def test_ett_nytt_beslut_ger_de_nya_siffrorna(fem_ar):
    gammal = faststall(AR - 1, version=1)
    AvvikelseFactory(rapporterad=lokal(AR - 1, 12, 1, 9))
    assert {r["ar"]: r["totalt"] for r in jamfor(Serie.AVVIKELSER)}[AR - 1] == 4
    gammal.status = "ersatt"
    gammal.save(update_fields=["status"])
    faststall(AR - 1, version=2)
    assert {r["ar"]: r["totalt"] for r in jamfor(Serie.AVVIKELSER)}[AR - 1] == 5


def test_utan_kapitlet_i_de_faststallda_siffrorna_raknas_aret(fem_ar):
    """A report decided before the lex Sarah chapter existed has no lex Sarah figures:
    that year is counted from the records."""
    b = faststall(AR - 1)
    del b.siffror["kapitel"]["lexsarah"]
    b.save(update_fields=["siffror"])
    lexsarah(Avvikelse.objects.first().enhet, lokal(AR - 1, 9, 1, 9))
    assert siffror.faststallda(Serie.LEXSARAH, [AR - 1]) == {}
    assert {r["ar"]: r["totalt"] for r in jamfor(Serie.LEXSARAH)}[AR - 1] == 3
    assert siffror.faststallda(Serie.AVVIKELSER, [AR - 1])[AR - 1]["totalt"] == 4


def test_rapportaret_fryses_aldrig(fem_ar):
    faststall(AR)
    AvvikelseFactory(rapporterad=lokal(AR, 12, 1, 9))
    assert {r["ar"]: r["totalt"] for r in jamfor(Serie.AVVIKELSER)}[AR] == 6


def test_fore_driftstart_galler_historiken_aven_for_ett_faststallt_ar(fem_ar):
    faststall(AR - 3)
    Driftstart.objects.create(serie=Serie.AVVIKELSER, fran=date(AR - 2, 1, 1))
    HistorikFactory(ar=AR - 3, serie="avvikelser", dimension="total", antal=77)
    rader = {r["ar"]: r for r in jamfor(Serie.AVVIKELSER)}
    assert (rader[AR - 3]["kalla"], rader[AR - 3]["totalt"]) == ("historik", 77)
    assert (rader[AR - 2]["kalla"], rader[AR - 2]["totalt"]) == ("register", 3)
