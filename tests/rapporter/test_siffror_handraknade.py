"""The report's figures against small fixtures counted by hand from the written rules
(docs/siffror.md, DOMAIN.md §5 "Rules for honest figures"), one fixture per rule:

- Tillbud are not avvikelser: not in the avvikelse totals, categories, units, months or
  trend, but in their own table.
- Answered within N days: klagomål (SYNPUNKT_SVARSTID_TYPER) due by the cut-off,
  answered or not; N and the types from settings.
- Improvement actions: one definition, text and table agree; "1 åtgärd", "2 åtgärder".
- Small numbers: no percentage below 10 cases ("7 av 9"), one at 10.
"""

import re
from datetime import date, datetime

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from avvikelser.models import Avvikelse
from avvikelser.models import Kategori as AvvKategori
from kvalitet import statistik as kv
from kvalitet.lib.svenska import antal_form
from kvalitet.models import Atgard
from rapporter import siffror
from rapporter.choices import Serie
from rapporter.templatetags.rapport import andel_av
from synpunkter import statistik as syn
from synpunkter.models import Synpunkt
from tests.factories import AtgardFactory, AvvikelseFactory, SynpunktFactory

pytestmark = pytest.mark.django_db

AR = 2025
BRYT = date(2025, 12, 31)  # the cut-off of these fixtures


def lokal(*args):
    return timezone.make_aware(datetime(*args))


def text_av(html):
    """Rendered HTML as plain text, whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def kapitel(mall, s):
    return text_av(
        render_to_string(f"rapporter/kapitel/{mall}.html", {"s": s, "ar": AR, "brytdatum": BRYT})
    )


# --- Tillbud are not avvikelser ---------------------------------------------------------


@pytest.fixture
def med_tillbud(org):
    """Avvikelser A1 (EB, Handläggning, January), A2 (BUV, Handläggning, March, closed);
    tillbud T1 (KOLL → Öppenvården, Sekretess, February, closed), T2 (KOLL, Sekretess,
    March). A tillbud in 2024 too, for the trend."""
    handl = AvvKategori.objects.get(namn="Handläggning")
    sekretess = AvvKategori.objects.get(namn="Sekretess")

    def gor(typ, enhet, rapporterad, kategori, avslutad=None):
        a = AvvikelseFactory(typ=typ, enhet=org[enhet], rapporterad=rapporterad, kategori=kategori)
        if avslutad:
            Avvikelse.objects.filter(pk=a.pk).update(status="avslutad", avslutad=avslutad)
        return a

    gor("avvikelse", "EB", lokal(2025, 1, 10, 9), handl)
    gor("avvikelse", "BUV", lokal(2025, 3, 10, 9), handl, lokal(2025, 3, 20, 9))
    gor("tillbud", "KOLL", lokal(2025, 2, 10, 9), sekretess, lokal(2025, 2, 12, 9))
    gor("tillbud", "KOLL", lokal(2025, 3, 12, 9), sekretess)
    gor("tillbud", "KOLL", lokal(2024, 6, 1, 9), sekretess)


def test_tillbud_utanfor_avvikelsernas_siffror(med_tillbud):
    s = siffror.avvikelser_siffror(AR, BRYT)
    # Hand count, avvikelser only: A1, A2 → 2; both Handläggning; both Myndighets-
    # avdelningen; January 1, March 1; closed A2 → 1, open A1 → 1.
    assert s["totalt"] == 2
    assert {r["namn"]: r["antal"] for r in s["per_kategori"]} == {"Handläggning": 2}
    assert {r["namn"]: r["antal"] for r in s["per_avdelning"]} == {"Myndighetsavdelningen": 2}
    assert [m["antal"] for m in s["per_manad"]] == [1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    assert (s["handlaggning"]["avslutade"], s["handlaggning"]["oppna"]) == (1, 1)
    assert s["per_typ"] == [{"varde": "avvikelse", "namn": "Avvikelse", "antal": 2}]
    # The trend: 2025 has the 2 avvikelser; 2024 has only a tillbud, so no avvikelse
    # records: missing (no history), never 1.
    trend = {r["ar"]: r["totalt"] for r in s["over_tid"]}
    assert (trend[2025], trend[2024]) == (2, None)
    # Their own table: T1, T2 → 2, both Sekretess; T1 closed.
    assert s["tillbud"] == {
        "totalt": 2,
        "avslutade": 1,
        "oppna": 1,
        "per_kategori": [{"varde": "Sekretess", "namn": "Sekretess", "antal": 2}],
    }


def test_tillbud_i_egen_tabell_i_kapitlet(med_tillbud):
    text = kapitel("avvikelser", siffror.avvikelser_siffror(AR, BRYT))
    assert "2 avvikelser rapporterades under 2025" in text
    assert "avvikelser och tillbud" not in text
    avvikelsedelen, tillbudsdelen = text.split("Tillbud (händelser")
    assert "Sekretess" not in avvikelsedelen
    assert "Öppenvård" not in avvikelsedelen
    assert "Sekretess 2 Tillbud totalt 2 Avslutade vid brytdatum 1" in tillbudsdelen


def test_jamforelsen_over_ar_utan_tillbud(med_tillbud):
    rader = {r["ar"]: r for r in siffror.jamforelse(Serie.AVVIKELSER, AR, BRYT)}
    assert rader[2025]["totalt"] == 2
    assert rader[2024]["kalla"] is None  # a lone tillbud is no avvikelse record


# --- Answered within N days ---------------------------------------------------------------


@pytest.fixture
def svarsfall(org, settings):
    """Cut-off 31 December 2025; N = 14; measured: klagomål.

    nr  typ       inkom (Stockholm)  deadline  besvarad             avslutad
    K1  klagomål  17 Dec 10:00       31 Dec    –  (due on the cut-off day, unanswered)
    K2  klagomål   3 Mar 09:00       17 Mar    17 Mar 16:00 (the deadline day) 20 Mar 09:00
    K3  klagomål   1 Apr 09:00       15 Apr    16 Apr 09:00 (the day after)
    K4  klagomål   5 May 09:00       19 May    –  (overdue, never answered)
    B1  beröm      1 Feb 09:00       15 Feb    –  (not a measured type)
    K5  klagomål  20 Dec 10:00        3 Jan    22 Dec 10:00 (not yet due at the cut-off)
    """
    settings.SYNPUNKT_SVARSTID_DAGAR = 14
    settings.SYNPUNKT_SVARSTID_TYPER = ["klagomal"]

    def gor(typ, inkom, besvarad=None, avslutad=None):
        s = SynpunktFactory(typ=typ, enhet=org["EB"], inkom=inkom)
        falt = {}
        if besvarad:
            falt.update(status="besvarad", besvarad=besvarad, svar="Svar.")
        if avslutad:
            falt.update(status="avslutad", avslutad=avslutad)
        Synpunkt.objects.filter(pk=s.pk).update(**falt)
        return s

    return {
        "K1": gor("klagomal", lokal(2025, 12, 17, 10)),
        "K2": gor("klagomal", lokal(2025, 3, 3, 9), lokal(2025, 3, 17, 16), lokal(2025, 3, 20, 9)),
        "K3": gor("klagomal", lokal(2025, 4, 1, 9), lokal(2025, 4, 16, 9)),
        "K4": gor("klagomal", lokal(2025, 5, 5, 9)),
        "B1": gor("berom", lokal(2025, 2, 1, 9)),
        "K5": gor("klagomal", lokal(2025, 12, 20, 10), lokal(2025, 12, 22, 10)),
    }


def test_svar_i_tid_over_de_forfallna(svarsfall):
    # Hand count. Due by 31 Dec: K1 (on the day), K2, K3, K4 → 4; K5 is due 3 Jan, B1
    # is a beröm. In time: K2 (answered on its deadline day) → 1; K3 (a day late), K4
    # (never), K1 (not answered by the cut-off) are not → 3. 1 of 4: under 10 cases, no
    # percentage. Answered klagomål by the cut-off, in calendar days: K2 (3 → 17 Mar:
    # 14, the hours do not count), K3 (15), K5 (2) → median 14. Closed: K2 (17) → 17.
    assert syn.svarstider(AR, till=BRYT) == {
        "frist_dagar": 14,
        "typer": ["Klagomål"],
        "forfallna": 4,
        "i_tid": 1,
        "ej_i_tid": 3,
        "andel_i_tid": None,
        "besvarade": 3,
        "median_dagar": 14.0,
        "avslutade": 1,
        "median_dagar_avslut": 17.0,
    }


def test_svar_efter_brytdatum_ar_inte_i_tid(svarsfall):
    """K1, due on the cut-off day, answered the day after it: still not in time at the
    cut-off (and a day later it would be late anyway)."""
    Synpunkt.objects.filter(pk=svarsfall["K1"].pk).update(besvarad=lokal(2026, 1, 1, 9))
    svar = syn.svarstider(AR, till=BRYT)
    assert (svar["forfallna"], svar["i_tid"]) == (4, 1)
    # Answered on the cut-off day, its deadline: in time.
    Synpunkt.objects.filter(pk=svarsfall["K1"].pk).update(besvarad=lokal(2025, 12, 31, 23, 0))
    svar = syn.svarstider(AR, till=BRYT)
    assert (svar["forfallna"], svar["i_tid"]) == (4, 2)


def test_n_och_typer_kommer_fran_installningarna(svarsfall, settings):
    # N = 15: K1 is due 1 Jan (out); K3 (15 calendar days) is in time → 2 of 3.
    settings.SYNPUNKT_SVARSTID_DAGAR = 15
    svar = syn.svarstider(AR, till=BRYT)
    assert (svar["frist_dagar"], svar["forfallna"], svar["i_tid"]) == (15, 3, 2)
    # Beröm measured too (N = 14 again): B1, due 15 Feb and never answered, joins the
    # denominator → 1 of 5.
    settings.SYNPUNKT_SVARSTID_DAGAR = 14
    settings.SYNPUNKT_SVARSTID_TYPER = ["klagomal", "berom"]
    svar = syn.svarstider(AR, till=BRYT)
    assert (svar["typer"], svar["forfallna"], svar["i_tid"]) == (["Klagomål", "Beröm"], 5, 1)


def test_kapitlet_visar_n_och_typerna_fran_installningarna(svarsfall, settings):
    text = kapitel("synpunkter", siffror.synpunkter_siffror(AR, BRYT))
    assert (
        "1 av 4 ärenden (klagomål) som skulle ha besvarats senast brytdatum fick svar "
        "inom 14 dagar." in text
    )
    assert "Skulle ha besvarats senast brytdatum 4" in text
    assert "Besvarade senare eller obesvarade vid brytdatum 3" in text
    assert (
        "14,0 dagar var den mittersta tiden till svar (median) för klagomål, och 17,0 dagar "
        "till avslut." in text
    )
    settings.SYNPUNKT_SVARSTID_DAGAR = 15
    text = kapitel("synpunkter", siffror.synpunkter_siffror(AR, BRYT))
    assert "2 av 3 ärenden (klagomål)" in text
    assert "fick svar inom 15 dagar" in text
    assert "Svar inom 15 dagar" in text
    assert "14 dagar" not in text


# --- Improvement actions: one definition, text and table alike ----------------------------


@pytest.fixture
def atgardsfall(org, personas):
    """Actions on one avvikelse, cut-off 31 Dec 2025 (status: as stored today).

    B1 decided Feb 2025, genomförd 1 Jun 2025 → Genomförd at the cut-off
    B2 decided Mar 2025, utvärderad 1 Oct 2025 (done 1 Aug) → Utvärderad
    B3 decided Apr 2025, status genomförd but done 10 Jan 2026 → Pågår at the cut-off
    B4 decided May 2025, planerad → Planerad
    C1 decided Nov 2024, done 1 Mar 2025 → an earlier year's action done this year
    """
    arende = AvvikelseFactory(enhet=org["EB"], rapporterad=lokal(2025, 1, 5, 9))
    ansvarig = personas["medarbetare"]

    def gor(skapad, status, genomford=None, utvarderad=None):
        x = AtgardFactory(arende=arende, ansvarig=ansvarig, forfallodatum=date(2026, 6, 1))
        Atgard.objects.filter(pk=x.pk).update(
            skapad=skapad, status=status, genomford=genomford, utvarderad=utvarderad
        )
        return x

    return {
        "B1": gor(lokal(2025, 2, 1, 9), "genomford", date(2025, 6, 1)),
        "B2": gor(lokal(2025, 3, 1, 9), "utvarderad", date(2025, 8, 1), date(2025, 10, 1)),
        "B3": gor(lokal(2025, 4, 1, 9), "genomford", date(2026, 1, 10)),
        "B4": gor(lokal(2025, 5, 1, 9), "planerad"),
        "C1": gor(lokal(2024, 11, 1, 9), "genomford", date(2025, 3, 1)),
    }


def test_atgarder_text_och_tabell_stammer(atgardsfall):
    s = kv.atgarder(AR, BRYT)
    # Hand count: the year's actions B1–B4 → 4. At the cut-off: Genomförd B1, Utvärderad
    # B2, Pågår B3 (done only after it), Planerad B4. Done by the cut-off: B1, B2 → 2;
    # evaluated: B2 → 1. C1 is an earlier year's, counted apart.
    status = {r["varde"]: r["antal"] for r in s["per_status"]}
    assert status == {"planerad": 1, "pagar": 1, "genomford": 1, "utvarderad": 1}
    assert (s["beslutade"], s["genomforda"], s["utvarderade"]) == (4, 2, 1)
    assert s["tidigare_ars_genomforda"] == 1

    text = kapitel("atgarder", s)
    assert "4 förbättrande åtgärder beslutades under 2025." in text
    assert "2 av dem var genomförda vid brytdatum" in text
    assert "1 av dem hade också fått sin effekt utvärderad" in text
    assert "Dessutom genomfördes under året 1 åtgärd som beslutats tidigare år" in text
    # The status table says the same: Genomförd 1 + Utvärderad 1 = 2, Utvärderad 1.
    tabell = text.split("Årets åtgärder per status vid brytdatum")[1]
    assert "Genomförd 1 1 av 4 Utvärderad 1 1 av 4" in tabell


def test_atgarder_singular_och_plural(atgardsfall):
    Atgard.objects.filter(pk__in=[atgardsfall[k].pk for k in ("B2", "B3", "B4")]).delete()
    text = kapitel("atgarder", kv.atgarder(AR, BRYT))
    assert "1 förbättrande åtgärd beslutades under 2025." in text
    assert "1 av dem var genomförd vid brytdatum" in text
    assert "1 åtgärder" not in text
    assert (antal_form(1, "åtgärd", "åtgärder"), antal_form(0, "åtgärd", "åtgärder")) == (
        "åtgärd",
        "åtgärder",
    )
    assert antal_form(2, "åtgärd", "åtgärder") == "åtgärder"


# --- Small numbers ----------------------------------------------------------------------------


def test_andel_regeln_pa_ett_stalle():
    assert kv.MINSTA_BAS_FOR_PROCENT == 10
    assert andel_av(7, 9) == "7 av 9"
    assert andel_av(9, 9) == "9 av 9"
    assert andel_av(7, 10) == "70,0 %"
    assert andel_av(0, 0) == "–"
    assert kv.andel(7, 9) is None
    assert kv.andel(7, 10) == 70.0


def test_procent_doljs_vid_9_arenden_och_visas_vid_10(org):
    """Nine klagomål: every share in the chapter is "x av 9"; the tenth gives percentages."""
    for i in range(9):
        SynpunktFactory(typ="klagomal", enhet=org["EB"], inkom=lokal(2025, 2, 1 + i, 9))
    text = kapitel("synpunkter", siffror.synpunkter_siffror(AR, BRYT))
    assert "Klagomål 9 9 av 9" in text
    assert "%" not in text
    # 9 due, none answered: "0 av 9".
    assert "0 av 9 ärenden (klagomål) som skulle ha besvarats" in text

    SynpunktFactory(typ="klagomal", enhet=org["EB"], inkom=lokal(2025, 2, 20, 9))
    text = kapitel("synpunkter", siffror.synpunkter_siffror(AR, BRYT))
    assert "Klagomål 10 100,0 %" in text
    assert "0,0 % av de ärenden (klagomål) som skulle ha besvarats" in text
    assert "(0 av 10)" in text


def test_procent_pa_avvikelsernas_handlaggning(org):
    """The share closed in time: 3 closed (under 10) → "x av 3", no percentage."""
    for i in range(3):
        a = AvvikelseFactory(enhet=org["EB"], rapporterad=lokal(2025, 3, 1 + i, 9))
        Avvikelse.objects.filter(pk=a.pk).update(
            status="avslutad", avslutad=lokal(2025, 3, 5 + i, 9)
        )
    s = siffror.avvikelser_siffror(AR, BRYT)
    assert s["handlaggning"]["andel_inom_frist"] is None
    text = kapitel("avvikelser", s)
    assert "3 av 3 avslutade avvikelser utreddes inom tidsfristen" in text
    assert "%" not in text


def test_svarstid_for_en_typ_utan_arenden(svarsfall, settings):
    """Measured types without cases: nothing due, and the chapter leaves the line out
    rather than showing "0 av 0"."""
    settings.SYNPUNKT_SVARSTID_TYPER = ["fraga"]
    svar = syn.svarstider(AR, till=BRYT)
    assert (svar["forfallna"], svar["besvarade"], svar["median_dagar"]) == (0, 0, None)
    text = kapitel("synpunkter", siffror.synpunkter_siffror(AR, BRYT))
    assert "som skulle ha besvarats senast brytdatum fick svar" not in text


def test_installningens_koder_ar_synpunktstyperna():
    """kvalitet/settings.py validates SYNPUNKT_SVARSTID_TYPER against its own list of
    codes (the settings cannot import the models); that list is the model's."""
    from kvalitet import settings as installningar
    from synpunkter.choices import Typ

    assert set(installningar._SYNPUNKT_TYPER) == set(Typ.values)
    assert installningar.SYNPUNKT_SVARSTID_TYPER == ["klagomal"]


@pytest.mark.parametrize("varde", ["klagomol", "klagomal,", ",", "klagomal,okand"])
def test_felaktig_svarstidstyp_stoppar_starten(varde):
    """An unknown code (or none) in SYNPUNKT_SVARSTID_TYPER stops the start, like the
    other settings in kvalitet/settings.py; a trailing comma alone is harmless."""
    from tests.tjanster import kor_manage

    resultat = kor_manage("check", DEBUG="true", SYNPUNKT_SVARSTID_TYPER=varde)
    if varde == "klagomal,":
        assert resultat.returncode == 0, resultat.stderr
    else:
        assert resultat.returncode != 0
        assert "SYNPUNKT_SVARSTID_TYPER måste vara en eller flera av" in resultat.stderr


def test_siffror_fran_en_aldre_faststalld_version_renderas():
    """Figures frozen by a version decided before these rules lack the new keys
    (`forfallna`, `genomforda`, `tillbud` …): the chapters still render, with a dash for
    a missing figure, never an error."""
    gammal_svar = {"totalt": 3, "besvarade": 1, "i_tid": 1, "andel_i_tid": 100.0}
    text = kapitel("synpunkter", {"totalt": 3, "svar": gammal_svar, "per_typ": []})
    assert "Skulle ha besvarats senast brytdatum –" in text
    text = kapitel("atgarder", {"beslutade": 5, "genomforda_under_aret": 2, "per_status": []})
    assert "5 förbättrande åtgärder beslutades under 2025." in text
    assert "– av dem" in text
    text = kapitel("avvikelser", {"totalt": 7, "handlaggning": {"avslutade": 5}})
    assert "7 avvikelser rapporterades" in text
    assert "Tillbud 2025" not in text


# --- Klagomål per category, directly and via IVO (issue 11) -----------------------------


def test_klagomal_per_kategori_direkt_och_via_ivo(org):
    """Hand count: Handläggning – one by e-mail, one via IVO; Bemötande – one via IVO; a
    beröm via the e-service is not a klagomål; a klagomål of 2024 is another year.
    → Handläggning 1 + 1 = 2, Bemötande och service 0 + 1 = 1."""
    from synpunkter.models import Kategori

    handl = Kategori.objects.get(namn="Handläggning")
    bem = Kategori.objects.get(namn="Bemötande och service")
    for kanal, kat, inkom in [
        ("epost", handl, lokal(2025, 3, 1, 10)),
        ("via_ivo", handl, lokal(2025, 4, 1, 10)),
        ("via_ivo", bem, lokal(2025, 5, 1, 10)),
        ("via_ivo", bem, lokal(2024, 5, 1, 10)),
    ]:
        s = SynpunktFactory(enhet=org["EB"], kanal=kanal, inkom=inkom)
        Synpunkt.objects.filter(pk=s.pk).update(kategori=kat)
    SynpunktFactory(enhet=org["EB"], typ="berom", inkom=lokal(2025, 6, 1, 10))
    rader = syn.klagomal_per_kategori_och_vag(AR, till=BRYT)
    assert rader == [
        {"namn": "Handläggning", "direkt": 1, "via_ivo": 1, "antal": 2},
        {"namn": "Bemötande och service", "direkt": 0, "via_ivo": 1, "antal": 1},
    ]
    text = kapitel("synpunkter", siffror.synpunkter_siffror(AR, BRYT))
    assert "Klagomål per kategori, direkt till förvaltningen och via IVO" in text
    assert "Handläggning 1 1 2" in text
