"""The demo's kvalitetsberättelse says what its own figures show (rapporter/demo.py).

The demo cases are dated relative to the day `seed_demo` runs, so last year's figures
change with that day: how many avvikelser, which categories lead, whether the year had
any beröm, whether IVO had decided the year's tillsyn by the cut-off. A demo text with
claims of its own contradicted the tables beside it: it said the avvikelser had
increased when the comparison showed fewer, praised beröm in a year without any, called
a control's shortcomings minor when its result was significant and a tillsyn closed
that IVO had not decided. The texts are now chosen from the report's own figures; these
tests seed the demo on days that give different figures and read every chapter against
the figures the decided report froze, and check the choices on figures made by hand.
"""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from rapporter.demo import (
    demotexter,
    text_avvikelser,
    text_egenkontroll,
    text_inledning,
    text_mal,
    text_processer,
    text_synpunkter,
    text_tillsyn,
)
from rapporter.models import Kvalitetsberattelse
from tests.rapporter.conftest import klocka, lokal

CITAT = re.compile(r"”([^”]+)”")
LISTNUMMER = re.compile(r"^\d+\. ", re.MULTILINE)


def namn_i(siffror) -> set[str]:
    """Every text value in a chapter's figures: the names its tables show."""
    if isinstance(siffror, dict):
        return set().union(*(namn_i(v) for v in siffror.values())) if siffror else set()
    if isinstance(siffror, list):
        return set().union(*(namn_i(v) for v in siffror)) if siffror else set()
    return {siffror} if isinstance(siffror, str) else set()


def citerat(text: str, fore: str, efter: str = ".") -> list[str]:
    """The quoted names in `text` from the first `fore` up to the next `efter`."""
    start = text.index(fore)
    return CITAT.findall(text[start : text.index(efter, start + len(fore))])


def storsta(rader, utom=("Ej kategoriserad",)) -> set[str]:
    rader = [r for r in rader if r["namn"] not in utom]
    hogst = max(r["antal"] for r in rader)
    return {r["namn"] for r in rader if r["antal"] == hogst}


def antal(rader, varde) -> int:
    return sum(r["antal"] for r in rader if r["varde"] == varde)


def motsagelser(texter: dict, siffror: dict) -> list[str]:
    """Where the demo texts and the figures of the same report disagree: each claim the
    texts can make, against the figure it is about. Empty when they agree."""
    k = siffror["kapitel"]
    fel = []

    def kraver(villkor, vad, text):
        if not villkor:
            fel.append(f"{vad}: {text}")

    frist = k["synpunkter"]["svar"]["frist_dagar"]
    for kapitel, text in texter.items():
        # No count of its own: the only number is the answer time the chapter's table
        # states (a quoted name, such as a risk's title, may hold one).
        utan_citat = LISTNUMMER.sub("", CITAT.sub("", text))
        tal = set(re.findall(r"\d+", utan_citat)) - {str(frist)}
        kraver(not tal, f"{kapitel}: tal {sorted(tal)} som tabellerna redan visar", text)
        # Nothing named that the chapter's figures do not show.
        okanda = set(CITAT.findall(text)) - {"ja"} - namn_i(k.get(kapitel, {}))
        kraver(not okanda, f"{kapitel}: namn {sorted(okanda)} som siffrorna inte har", text)

    forra, aret = (r["totalt"] for r in k["avvikelser"]["over_tid"][-2:])
    text = texter["inledning"]
    jamforbara = forra is not None and aret is not None
    okat = "Fler avvikelser" in text or "har ökat" in text
    minskat = "Färre avvikelser" in text or "har minskat" in text
    kraver(not okat or (jamforbara and aret > forra), f"ökning, men {forra} → {aret}", text)
    kraver(not minskat or (jamforbara and aret < forra), f"minskning, men {forra} → {aret}", text)

    text = texter["avvikelser"]
    if "gällde" in text:
        namn = set(citerat(text, "gällde"))
        storst = storsta(k["avvikelser"]["per_kategori"])
        kraver(namn <= storst, f"vanligaste kategori {namn}, tabellen {storst}", text)

    text, s = texter["synpunkter"], k["synpunkter"]
    if "klagomål som hade en kategori" in text or "Klagomålen gällde" in text:
        namn = set(citerat(text, "gällde"))
        storst = storsta(s["klagomal_per_kategori_och_vag"])
        kraver(namn <= storst, f"vanligaste klagomål {namn}, tabellen {storst}", text)
    berom = antal(s["per_typ"], "berom")
    inget_berom = "Inget beröm" in text
    kraver(inget_berom == (berom == 0), f"beröm enligt tabellen: {berom}", text)
    via_ivo, direkt = (
        antal(s["direkt_eller_ivo"], "via_ivo"),
        antal(s["direkt_eller_ivo"], "direkt"),
    )
    kraver(("Fler ärenden kom via IVO" in text) == (via_ivo > direkt), "via IVO", text)
    kraver(("Inte alla klagomål" in text) == bool(s["svar"]["ej_i_tid"]), "svar i tid", text)

    text, t = texter["tillsyn"], k["tillsyn"]
    kraver(text.count("inte beslutat") == t["vantar_beslut"], "väntar på IVO:s beslut", text)
    kraver("avslutad" not in text or not t["vantar_beslut"], "avslutad tillsyn", text)
    for rad in t["rader"]:
        kraver(rad["enhet"] in text, f"tillsyn av {rad['enhet']}", text)
        if rad["beslut"]:
            kraver(f"”{rad['utfall']}”" in text, f"IVO:s beslut {rad['utfall']}", text)

    text = texter["egenkontroll"]
    brister = k["egenkontroll"]["med_brister"]
    vasentliga = {r["kontrollmoment"] for r in brister if r["bedomning"] == "vasentliga_brister"}
    if vasentliga:
        namn = set(citerat(text, "Kontroll", "visade")) if "visade" in text else set()
        kraver(
            namn == vasentliga and "visade väsentliga brister" in text,
            f"väsentliga brister i {vasentliga}",
            text,
        )
    else:
        kraver("väsentliga brister" not in text, "inga väsentliga brister", text)

    text = texter["riskhantering"]
    for titel in (r["titel"] for r in k["riskhantering"]["realiserade"]):
        kraver(f"”{titel}”" in text, f"realiserad risk {titel}", text)

    fel += motsagelser_processer(texter["processer"], k["processer"])
    fel += motsagelser_mal(texter["mal"], k["mal"])
    return fel


def motsagelser_processer(text: str, pr: dict) -> list[str]:
    """Where chapter 3's text and its figures disagree: the processes named as mapped,
    revised, published, established or discontinued, and "nothing was revised"."""
    fel = []

    def kraver(villkor, vad):
        if not villkor:
            fel.append(f"processer: {vad}: {text}")

    kraver(("Processkartan nedan" in text) == bool(pr["totalt"]), "processer i bruk")
    for varde, fore in (
        ("kartlagd", "kartlades arbetet inom"),
        ("reviderad", "Revideringar gjordes inom"),
        ("publicerad", "Nya versioner publicerades inom"),
    ):
        processer = {h["process"] for h in pr["handelser"] if h["varde"] == varde}
        if f"{fore} ”" in text:
            namn = set(citerat(text, fore, "."))
            kraver(namn == processer, f"{varde} inom {namn}, tabellen {processer}")
        elif f"{fore} flera processer" in text:
            kraver(len(processer) > 1, f"{varde} inom flera, tabellen {processer}")
        else:
            kraver(not processer, f"{varde} inom {processer} utan att det sägs")
    reviderade = any(h["varde"] == "reviderad" for h in pr["handelser"])
    kraver(("inget styrdokument reviderades" in text) != reviderade, "reviderat")
    for nyckel, verb in (("inrattade", "inrättades"), ("avvecklade", "avvecklades")):
        namn = {p["namn"] for p in pr[nyckel]}
        sagt = mening_med(text, f"{verb} under året")
        kraver(bool(sagt) == bool(namn), f"{verb}: {namn}")
        kraver(set(CITAT.findall(sagt)) <= namn, f"{verb}: {namn}")
    return fel


def motsagelser_mal(text: str, m: dict) -> list[str]:
    """Where chapter 10's text and its figures disagree: the key figures named as not
    reached, "all reached", and what was not measured or had no target."""
    fel = []

    def kraver(villkor, vad):
        if not villkor:
            fel.append(f"mal: {vad}: {text}")

    summering = m["summering"]
    ej_nadda = {r["namn"] for p in m["processer"] for r in p["nyckeltal"] if r["uppnatt"] is False}
    if "Målet nåddes inte för" in text:
        namn = set(citerat(text, "Målet nåddes inte för", ";"))
        kraver(namn == ej_nadda, f"mål inte nådda {namn}, tabellen {ej_nadda}")
    kraver(("inte sina mål" in text or "nåddes inte" in text) == bool(ej_nadda), "ej nådda")
    alla = "Alla nyckeltal som mättes nådde sina mål" in text
    kraver(alla == (not ej_nadda and summering["uppnadda"] > 0), "alla nådde målen")
    kraver(("inte mätta" in text) == bool(summering["ej_matta"]), "inte mätta")
    kraver(("utan målvärde" in text) == bool(summering["utan_mal"]), "utan målvärde")
    return fel


def mening_med(text: str, ord_: str) -> str:
    """The sentence of `text` that holds `ord_`, or ""."""
    for mening in re.split(r"(?<=\.)\s+", text):
        if ord_ in mening:
            return mening
    return ""


# Two days half a year apart: the demo year's figures differ between them (more
# avvikelser than the year before on one, fewer on the other; a tillsyn decided or not).
DAGAR = [lokal(2026, 12, 2, 13), lokal(2026, 6, 15, 13)]


@pytest.mark.django_db
@pytest.mark.parametrize("nu", DAGAR, ids=lambda t: t.date().isoformat())
def test_demons_text_stammer_med_rapportens_siffror(nu, settings):
    settings.DEBUG = True
    with klocka(nu):
        call_command("seed_demo", stdout=StringIO())
    berattelse = Kvalitetsberattelse.objects.get()
    assert berattelse.ar == nu.year - 1
    texter = {t.kapitel: t.text for t in berattelse.texter.all()}
    # Written from the figures the decision froze: the same records and cut-off.
    assert texter == demotexter(berattelse.siffror, svarstid=settings.SYNPUNKT_SVARSTID_DAGAR)
    assert motsagelser(texter, berattelse.siffror) == []


# --- The choices, on figures made by hand ------------------------------------------------


def rad(namn, n, varde=None):
    return {"varde": varde or namn, "namn": namn, "antal": n}


def avvikelser(forra, aret, *, delar="2025-03-01", kategorier=(), orsaker=(), tillbud=0):
    over_tid = [
        {"ar": 2024, "kalla": "historik", "totalt": forra},
        {"ar": 2025, "kalla": "register", "totalt": aret}
        | ({"delar_fran": delar} if delar else {}),
    ]
    return {
        "totalt": aret,
        "per_kategori": [rad(n, a) for n, a in kategorier],
        "per_orsaksomrade": [rad(n, a) for n, a in orsaker],
        "over_tid": over_tid,
        "tillbud": {"totalt": tillbud},
    }


@pytest.mark.parametrize(
    ("forra", "aret", "delar", "sagt", "inte"),
    [
        (24, 27, "2025-03-01", "Fler avvikelser", "Färre"),
        (24, 20, "2025-03-01", "Färre avvikelser", "Fler"),
        (24, 20, None, "Färre avvikelser", "delår"),
        (24, 24, None, "Lika många avvikelser", "Fler"),
        (None, 24, None, "ledningssystem", "avvikelser rapporterades"),
    ],
)
def test_inledningen_foljer_jamforelsen_med_aret_innan(forra, aret, delar, sagt, inte):
    text = text_inledning(avvikelser(forra, aret, delar=delar))
    assert sagt in text
    assert inte not in text
    assert ("delår" in text) == (aret < (forra or 0) and delar is not None)


def test_avvikelsernas_vanligaste_kategori_och_orsak():
    text = text_avvikelser(
        avvikelser(
            24,
            27,
            kategorier=[("Ej kategoriserad", 9), ("Sekretess", 5), ("Handläggning", 1)],
            orsaker=[("Samverkan", 4), ("Processer och rutiner", 4), ("Kompetens", 1)],
            tillbud=2,
        )
    )
    assert "Av de avvikelser som hade en kategori gällde flest kategorin ”Sekretess”." in text
    assert "orsaksområdena ”Samverkan” och ”Processer och rutiner”." in text
    assert "Tillbuden redovisas för sig" in text
    fa_utan = [("Sekretess", 5), ("Handläggning", 2), ("Ej kategoriserad", 1)]
    text = text_avvikelser(avvikelser(24, 27, kategorier=fa_utan))
    assert "Avvikelserna gällde oftast kategorin ”Sekretess”." in text
    # Everything alike: nothing stands out, so nothing is named as most common.
    lika = text_avvikelser(avvikelser(24, 3, kategorier=[("A", 1), ("B", 1), ("C", 1)]))
    assert "spridda över flera kategorier" in lika
    assert "”" not in lika
    assert "Tillbuden" not in lika


def synpunkter(*, berom=0, direkt=3, via_ivo=5, ej_i_tid=2, forfallna=7, klagomal=()):
    return {
        "totalt": direkt + via_ivo,
        "per_typ": [rad("Klagomål", 7, "klagomal"), rad("Beröm", berom, "berom")],
        "klagomal_per_kategori_och_vag": [rad(n, a) for n, a in klagomal],
        "direkt_eller_ivo": [rad("Direkt", direkt, "direkt"), rad("Via IVO", via_ivo, "via_ivo")],
        "svar": {"frist_dagar": 21, "forfallna": forfallna, "ej_i_tid": ej_i_tid},
        "utfall": {"brustit": 0},
    }


def test_synpunkternas_text_foljer_berom_vag_och_svarstid():
    klagomal = [("Handläggning", 2), ("Tillgänglighet", 2), ("Information", 1)]
    text = text_synpunkter(synpunkter(klagomal=klagomal))
    assert "kategorierna ”Handläggning” och ”Tillgänglighet”" in text
    assert "Inget beröm registrerades" in text
    assert "Fler ärenden kom via IVO" in text
    assert "Inte alla klagomål besvarades inom riktlinjens 21 dagar" in text

    text = text_synpunkter(synpunkter(berom=3, direkt=6, via_ivo=2, ej_i_tid=0))
    assert "Inget beröm" not in text
    assert "De flesta ärenden kom direkt" in text
    assert "Alla klagomål som skulle ha besvarats fick svar inom riktlinjens 21 dagar" in text


def test_tillsynen_sags_avslutad_bara_nar_ivo_har_beslutat():
    vantar = {"enhet": "Kollektivet HVB", "typ": "Planerad tillsyn", "inleddes": "2025-10-28"}
    beslutad = {"enhet": "Vallmovillan HVB", "typ": "Händelsestyrd tillsyn"}
    rader = [
        vantar | {"beslut": "", "utfall": ""},
        beslutad | {"inleddes": "2025-03-02", "beslut": "2025-09-01", "utfall": "Kritik"},
    ]
    text = text_tillsyn({"rader": rader})
    assert "i oktober en planerad tillsyn av Kollektivet HVB" in text
    assert "i mars en händelsestyrd tillsyn av Vallmovillan HVB" in text
    assert text.count("inte beslutat") == 1
    assert "(”Kritik”)" in text
    assert text_tillsyn({"rader": []}).startswith("IVO inledde ingen tillsyn")


def egenkontroll(brister, *, forsenade=0, atgarder=0):
    return {
        "plan": {"version": 1},
        "tillfallen": {"klara": 14, "forsenade": forsenade},
        "med_brister": [{"kontrollmoment": k, "bedomning": b} for k, b in brister],
        "resultat_totalt": 14,
        "atgarder": [{"antal": atgarder}],
        "egenkontroll": {"kollegiala_granskningar": []},
    }


def test_kontrollernas_brister_med_sin_bedomning():
    text = text_egenkontroll(
        egenkontroll(
            [
                ("Att beslut fattas enligt delegation", "vasentliga_brister"),
                ("B", "mindre_brister"),
            ],
            atgarder=1,
        )
    )
    assert "Kontrollen ”Att beslut fattas enligt delegation” visade väsentliga brister" in text
    assert "övriga brister var mindre" in text
    assert "ledde till en förbättrande åtgärd" in text
    assert "genomfördes enligt planen" in text

    text = text_egenkontroll(egenkontroll([("B", "mindre_brister")], forsenade=1))
    assert "Kontrollen ”B” visade mindre brister." in text
    assert "väsentliga" not in text
    assert "Inte alla kontrolltillfällen" in text
    assert "Ingen kontroll visade brister." in text_egenkontroll(egenkontroll([]))


def processer(*, i_bruk=3, inrattade=(), avvecklade=(), handelser=()):
    """Chapter 3's figures as the text reads them: `handelser` (process, kind)."""
    return {
        "totalt": i_bruk,
        "inrattade": [{"nummer": "P", "namn": n, "datum": "2025-05-01"} for n in inrattade],
        "avvecklade": [{"nummer": "P", "namn": n, "datum": "2025-08-31"} for n in avvecklade],
        "handelser": [
            {"datum": "2025-03-10", "process": p, "typ": t.title(), "varde": t, "dokument": "D"}
            for p, t in handelser
        ],
    }


def test_processernas_text_foljer_handelserna():
    figurer = processer(
        inrattade=["Öppenvård"],
        avvecklade=["IT-system", "Ekonomi"],
        handelser=[
            ("Myndighetsutövning", "reviderad"),
            ("Myndighetsutövning", "publicerad"),
            ("IT-system", "reviderad"),
            ("Öppenvård", "kartlagd"),
        ],
    )
    text = text_processer(figurer)
    assert motsagelser_processer(text, figurer) == []
    # The check finds a text that names a process the figures do not have.
    fel = text.replace("inom ”Myndighetsutövning” och ”IT-system”.", "inom ”Ekonomi”.")
    assert fel != text and motsagelser_processer(fel, figurer)
    assert "Processkartan nedan" in text
    assert "Processen ”Öppenvård” inrättades under året." in text
    assert "Processerna ”IT-system” och ”Ekonomi” avvecklades under året." in text
    assert "Under året kartlades arbetet inom ”Öppenvård”." in text
    assert "Revideringar gjordes inom ”Myndighetsutövning” och ”IT-system”." in text
    assert "Nya versioner publicerades inom ”Myndighetsutövning”" in text
    assert "inget styrdokument reviderades" not in text

    # Many: no names, the table has them.
    manga = [(f"P{i}", "reviderad") for i in range(4)]
    figurer = processer(inrattade=["A", "B", "C", "D"], handelser=manga)
    text = text_processer(figurer)
    assert motsagelser_processer(text, figurer) == []
    assert "Flera processer inrättades under året; de står i tabellen nedan." in text
    assert "Revideringar gjordes inom flera processer; de står i tabellen nedan." in text
    assert "kartlades" not in text and "publicerades" not in text
    assert "”" not in text


def test_processernas_text_sager_arligt_att_inget_reviderades():
    figurer = processer(handelser=[("A", "publicerad")])
    text = text_processer(figurer)
    assert "Ingen process och inget styrdokument reviderades under året" in text
    assert "inrättades" not in text and "avvecklades" not in text
    assert motsagelser_processer(text, figurer) == []
    tom = processer(i_bruk=0)
    text = text_processer(tom)
    assert "Inga processer var i bruk" in text
    assert "Ingen process och inget styrdokument reviderades under året" in text
    assert motsagelser_processer(text, tom) == []


def mal(rader, *, utan_mal=0, processer_=True):
    """Chapter 10's figures: `rader` (name, reached True/False/None) in one process."""
    nyckeltal = [{"namn": n, "uppnatt": u} for n, u in rader]
    uppnadda = sum(1 for _n, u in rader if u is True)
    ej = sum(1 for _n, u in rader if u is False)
    return {
        "processer": [{"nyckeltal": nyckeltal}] if processer_ else [],
        "summering": {
            "antal": len(rader),
            "uppnadda": uppnadda,
            "ej_uppnadda": ej,
            "ej_matta": len(rader) - uppnadda - ej,
            "utan_mal": utan_mal,
        },
    }


@pytest.mark.parametrize(
    ("figurer", "sagt", "inte"),
    [
        (
            mal([("A", True), ("B", False), ("C", None)], utan_mal=1),
            [
                "Målet nåddes inte för nyckeltalet ”B”;",
                "Övriga nyckeltal som mättes nådde sina mål.",
                "redovisas som inte mätta",
                "Nyckeltal utan målvärde för året",
            ],
            ["Alla nyckeltal"],
        ),
        (
            mal([("A", True), ("B", True)]),
            ["Alla nyckeltal som mättes nådde sina mål."],
            ["inte mätta", "utan målvärde", "nåddes inte"],
        ),
        (
            mal([(f"N{i}", False) for i in range(4)]),
            ["Flera nyckeltal nådde inte sina mål"],
            ["Övriga", "”", "Alla nyckeltal"],
        ),
        (
            mal([("A", None)]),
            ["redovisas som inte mätta"],
            ["Alla nyckeltal", "nåddes inte", "Övriga"],
        ),
        (
            mal([], utan_mal=2),
            ["Inget av processernas nyckeltal hade ett målvärde", "utan målvärde"],
            ["Alla nyckeltal"],
        ),
        (mal([], processer_=False), ["Inga processer med mål"], ["nyckeltal som mättes"]),
    ],
)
def test_malens_text_foljer_utfallen(figurer, sagt, inte):
    text = text_mal(figurer)
    for s in sagt:
        assert s in text, s
    for s in inte:
        assert s not in text, s
    assert motsagelser_mal(text, figurer) == []
