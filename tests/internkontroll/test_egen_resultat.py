"""The results of a kollegial granskning (internkontroll.granskning), counted by hand:
per checkpoint and per area, the share "ja" of the applicable answers only from 10 of
them ("7 av 9" below), the level in words, and the comparison with the previous round –
the latest earlier egenkontroll of the same unit with the same checklist, in another
version, matched by the checkpoints' codes."""

import pytest

from internkontroll import granskning
from internkontroll.checklistor import KOLLEGIAL_GRANSKNING
from internkontroll.choices import Bedomning, Egenkontrollstatus, Egenkontrolltyp
from internkontroll.models import Checklisteversion, Egenkontroll
from tests.internkontroll.hjalp import checklista_kg, egenkontroll, granska

pytestmark = pytest.mark.django_db


def version_2():
    """Version 2 of the shipped checklist: in Förhandsbedömning, 1.3 reworded (same
    code), 1.4–1.7 dropped, 1.8 new; the other areas as in version 1."""
    v1 = checklista_kg()
    v2 = Checklisteversion.objects.create(checklista=v1.checklista, version=2)
    omraden = [
        (
            "Förhandsbedömning",
            [
                ("1.1", "Har förhandsbedömningen gjorts inom 14 dagar?"),
                ("1.2", "Finns en bedömning av skyddsbehovet?"),
                ("1.3", "Framgår barnets egen uppfattning?"),
                ("1.8", "Har barnet träffat handläggaren?"),
            ],
        ),
        *KOLLEGIAL_GRANSKNING[1:],
    ]
    v2.ersatt_innehall(omraden)
    return v2


@pytest.fixture
def rundor(org, personas):
    """Rounds of Ekonomiskt bistånd: 2024 (older), 2025 (the previous round, version 1),
    2026 (this round, version 2); another unit's 2025 round and a later 2027 round,
    which are not the previous round."""
    ss = personas["medarbetare"]
    v1 = checklista_kg()
    r2024 = egenkontroll(org["EB"], ar=2024, version=v1, status=Egenkontrollstatus.KLAR)
    granska(r2024, 1, "nnnnnnn", av=ss)
    r2025 = egenkontroll(org["EB"], ar=2025, version=v1, status=Egenkontrollstatus.KLAR)
    for svar in ("jjjjjjj", "njejjjj", "dnejjjj"):
        granska(r2025, 1, svar, av=ss)
    for _ in range(9):
        granska(r2025, 2, "jeeeeeee", av=ss)
    granska(r2025, 2, "neeeeeee", av=ss)
    annan = egenkontroll(org["KOLL"], ar=2025, version=v1)
    granska(annan, 1, "jjjjjjj", av=personas["medarbetare_annan"])
    v2 = version_2()
    r2026 = egenkontroll(org["EB"], ar=2026, version=v2)
    # Förhandsbedömning, answers to 1.1, 1.2, 1.3, 1.8 in twelve files:
    # 1.1: 10 ja, 1 nej, 1 delvis; 1.2: 12 ja; 1.3: 5 ja, 3 nej, 4 ej aktuellt;
    # 1.8: 6 nej, 6 ej aktuellt.
    filer = ["jjjn"] * 5 + ["jjne"] * 3 + ["jjee"] * 2 + ["njen", "djee"]
    assert len(filer) == 12
    for svar in filer:
        granska(r2026, 1, svar, av=ss)
    # Utredning, 2.1 in ten files: 7 ja, 3 nej; the rest not applicable.
    for svar in ["jeeeeeee"] * 7 + ["neeeeeee"] * 3:
        granska(r2026, 2, svar, av=ss)
    r2027 = egenkontroll(org["EB"], ar=2027, version=v2, status=Egenkontrollstatus.PLANERAD)
    return {"2024": r2024, "2025": r2025, "2026": r2026, "2027": r2027, "annan": annan}


def _punkt(res, kod):
    return next(r for o in res.omraden for r in o.punkter if r.punkt.kod == kod)


def _antal(a):
    return (a.ja, a.nej, a.delvis, a.ej_aktuellt)


def test_forra_omgangen_ar_enhetens_senaste_tidigare_med_samma_checklista(rundor):
    assert granskning.forra_omgangen(rundor["2026"]) == rundor["2025"]
    assert granskning.forra_omgangen(rundor["2025"]) == rundor["2024"]
    assert granskning.forra_omgangen(rundor["2024"]) is None
    assert granskning.forra_omgangen(rundor["annan"]) is None


def test_per_fraga(rundor):
    res = granskning.resultat(rundor["2026"])
    # 1.1: 10 + 1 + 1 = 12 applicable, 10/12 = 83.3 % → mindre brister.
    r = _punkt(res, "1.1")
    assert _antal(r.antal) == (10, 1, 1, 0)
    assert r.antal.tillampliga == 12
    assert r.antal.andel == 83.3
    assert r.antal.text == "83 %"
    assert r.antal.bedomning == Bedomning.MINDRE_BRISTER
    # The previous round answered 1.1 in three files: 1 ja, 1 nej, 1 delvis – too few
    # for a share, so no change in percentage points.
    assert _antal(r.forra) == (1, 1, 1, 0)
    assert r.forra.text == "1 av 3"
    assert r.forandring is None
    # 1.2: 12 of 12 → 100 %, utan anmärkning.
    r = _punkt(res, "1.2")
    assert (r.antal.text, r.antal.bedomning) == ("100 %", Bedomning.UTAN_ANMARKNING)
    assert r.forra.text == "2 av 3"
    # 1.3: 5 ja, 3 nej, 4 ej aktuellt: 8 applicable, under 10 → "5 av 8", no level.
    r = _punkt(res, "1.3")
    assert _antal(r.antal) == (5, 3, 0, 4)
    assert r.antal.andel is None
    assert r.antal.text == "5 av 8"
    assert r.antal.bedomning is None
    # Reworded in version 2 but the same code: compared (1 ja, 2 ej aktuellt then).
    assert r.forra.text == "1 av 1"
    # 1.8 is new in version 2: nothing to compare with.
    r = _punkt(res, "1.8")
    assert (_antal(r.antal), r.antal.text, r.forra) == ((0, 6, 0, 6), "0 av 6", None)
    # 2.1: 7 of 10 = 70 % (exactly the lower bound: mindre brister); the previous round
    # 9 of 10 = 90 %: −20 percentage points.
    r = _punkt(res, "2.1")
    assert (r.antal.text, r.antal.bedomning) == ("70 %", Bedomning.MINDRE_BRISTER)
    assert (r.forra.text, r.forandring) == ("90 %", -20)
    # 2.2: only "ej aktuellt": no applicable answer.
    r = _punkt(res, "2.2")
    assert (r.antal.tillampliga, r.antal.text) == (0, "–")


def test_per_omrade_och_totalt(rundor):
    res = granskning.resultat(rundor["2026"])
    fb, utr, *ovriga = res.omraden
    assert [o.namn for o in res.omraden] == [n for n, _p in KOLLEGIAL_GRANSKNING]
    # Förhandsbedömning: ja 10+12+5+0, nej 1+0+3+6, delvis 1, ej aktuellt 4+6.
    assert fb.akter == 12
    assert _antal(fb.antal) == (27, 10, 1, 10)
    assert fb.antal.text == "71 %"  # 27 / 38
    assert fb.antal.bedomning == Bedomning.MINDRE_BRISTER
    # Compared over the codes both rounds asked (1.1–1.3): 4 ja, 2 nej, 1 delvis.
    assert _antal(fb.forra) == (4, 2, 1, 2)
    assert fb.forra.text == "4 av 7"
    assert fb.forandring is None
    # Utredning: 7 ja, 3 nej, 70 ej aktuellt; before 9 ja, 1 nej, 70 ej aktuellt.
    assert (utr.akter, _antal(utr.antal), utr.antal.text) == (10, (7, 3, 0, 70), "70 %")
    assert (_antal(utr.forra), utr.forra.text, utr.forandring) == ((9, 1, 0, 70), "90 %", -20)
    # Areas nobody reviewed this round: no files, no answers, "–".
    for o in ovriga:
        assert (o.akter, o.antal.totalt, o.antal.text) == (0, 0, "–")
    # All areas: 34 ja of 48 applicable = 70.8 %; before 13 of 17 = 76.5 %: −6.
    assert res.akter == 22
    assert _antal(res.totalt) == (34, 13, 1, 80)
    assert res.totalt.andel == 70.8
    assert _antal(res.forra_totalt) == (13, 3, 1, 72)
    assert res.forra_totalt.andel == 76.5
    assert res.forandring == -6
    assert res.forra_omgangen == rundor["2025"]


def test_utan_tidigare_omgang_och_utan_granskningar(rundor):
    res = granskning.resultat(rundor["2024"])
    assert res.forra_omgangen is None and res.forra_totalt is None
    assert all(r.forra is None for o in res.omraden for r in o.punkter)
    # 1 file in Förhandsbedömning, all nej: 0 av 7.
    assert res.omraden[0].antal.text == "0 av 7"
    # The planned 2027 round: no reviews yet, compared with nothing answered.
    tom = granskning.resultat(rundor["2027"])
    assert (tom.akter, tom.totalt.totalt) == (0, 0)
    assert tom.forra_omgangen == rundor["2026"]


def test_utan_checklista_inget_resultat(org):
    ek = egenkontroll(org["EB"], typ=Egenkontrolltyp.OPPNA_JAMFORELSER, version=checklista_kg())
    Egenkontroll.objects.filter(pk=ek.pk).update(checklista_version=None)
    ek.refresh_from_db()
    assert granskning.resultat(ek) is None


def test_antalet_fragor_vaxer_inte_med_granskningarna(
    rundor, org, personas, django_assert_max_num_queries
):
    """Five queries whatever the number of reviews and rounds."""
    ek = Egenkontroll.objects.select_related("checklista_version").get(pk=rundor["2026"].pk)
    with django_assert_max_num_queries(5):
        granskning.resultat(ek)
    for _ in range(20):
        granska(rundor["2026"], 3, "jjjjjjj", av=personas["medarbetare"])
    ek = Egenkontroll.objects.select_related("checklista_version").get(pk=rundor["2026"].pk)
    with django_assert_max_num_queries(5):
        res = granskning.resultat(ek)
    assert res.omraden[2].akter == 20
    assert res.omraden[2].antal.text == "100 %"


def test_sidan_visar_resultatet_i_text_och_farg(rundor, klient_for):
    sida = klient_for("enhetschef").get(rundor["2026"].get_absolute_url())
    assert sida.status_code == 200
    html = sida.content.decode()
    assert "22 granskade akter" in html
    assert '<span class="riskvarde niva-gul"><strong>83 %</strong> Mindre brister</span>' in html
    assert '<span class="riskvarde niva-gron"><strong>100 %</strong> Utan anmärkning</span>' in html
    assert "5 av 8" in html and "5 ja, 3 nej, 0 delvis, 4 ej aktuellt" in html
    # The change in percentage points: "p.e." on screen, the word for screen readers.
    pe = '<span aria-hidden="true">p.e.</span><span class="visually-hidden">procentenheter</span>'
    assert f"(−20 {pe})" in html
    assert rundor["2025"].get_absolute_url() in html


def test_sidan_kostar_lika_manga_fragor_med_fler_granskningar(org, personas, klient_for):
    """The egenkontroll's page with 3 reviews and with 33: the same number of queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ek = egenkontroll(org["EB"], handlaggare=personas["enhetschef"])
    forra = egenkontroll(org["EB"], ar=2025)
    for _ in range(3):
        granska(ek, 1, "jjjjjjj", av=personas["medarbetare"])
        granska(forra, 1, "jnjnjnj", av=personas["medarbetare"])
    klient = klient_for("enhetschef")

    def fragor():
        with CaptureQueriesContext(connection) as ctx:
            assert klient.get(ek.get_absolute_url()).status_code == 200
        return len(ctx.captured_queries)

    fragor()  # caches warmed (content types, the session)
    fore = fragor()
    for nr in range(30):
        granska(ek, 1 + nr % 5, "j" * ek.checklista_version.omraden.get(ordning=1 + nr % 5)
                .punkter.count(), av=personas["enhetschef"])  # fmt: skip
    assert fragor() == fore
