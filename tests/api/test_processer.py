"""The process map through the API (docs/api.md, "Processerna"): the list as the process
list gives it, with its filters; one process with its goals, its key figures' targets and
results year by year (oldest first, reached counted by the figure's direction) and what
was mapped, revised and published; no names of people; visibility as on the pages (the
units' processes and the units' above for a chef, staben all)."""

import json
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from processer.choices import Handelsetyp, Processtyp, Riktning
from processer.models import Processhandelse
from tests.api.conftest import fel, rader
from tests.processer.hjalp import nyckeltal, process

pytestmark = pytest.mark.django_db

AR = timezone.localdate().year
# Recorded newest first; the API gives them oldest first.
HANDELSER = (
    (date(AR - 1, 9, 1), Handelsetyp.REVIDERAD),
    (date(AR - 1, 3, 1), Handelsetyp.KARTLAGD),
)


@pytest.fixture
def karta(org, personas):
    """Written by hand:

    - `myn`: Myndighetsavdelningen's kärnprocess owned by the avdelningschef, led by the
      kvalitetssamordnare; two key figures – "Andel i tid" (higher is better, %): last
      year 90 → 92 reached, the year before 90 → 85 not, this year 92 unmeasured;
      "Dagar till beslut" (lower is better): last year 30 → 31 not reached and a
      comment, no longer measured – and two events, recorded the newer one first (the API
      gives them oldest first);
    - `soc`: the förvaltning's stödprocess, no key figure;
    - `koll`: Kollektivet HVB's kärnprocess, another avdelning's, its key figure
      lacking last year's result.
    """
    myn = process(
        org["MYN"],
        namn="Myndighetsutövning",
        mal="Beslut i tid\nDen enskilde är delaktig",
        handlaggare=personas["avdelningschef"],
        processledare=personas["kvalitetssamordnare"],
    )
    nyckeltal(myn, "Andel i tid", varden={AR: (92, None), AR - 1: (90, 92), AR - 2: (90, 85)})
    dagar = nyckeltal(
        myn,
        "Dagar till beslut",
        matt="dagar",
        riktning=Riktning.LAGRE,
        aktivt=False,
        varden={AR - 1: (30, 31)},
    )
    dagar.varden.update(kommentar="Två långa utredningar.")
    for datum, typ in HANDELSER:
        Processhandelse.objects.create(
            process=myn, datum=datum, typ=typ, dokument="Rutin för utredning"
        )
    soc = process(org["SOC"], namn="Ekonomi", typ=Processtyp.STODPROCESS)
    koll = process(org["KOLL"], namn="Vård på HVB")
    nyckeltal(koll, varden={AR - 1: (80, None)})
    return {"myn": myn, "soc": soc, "koll": koll}


def test_en_process_med_mal_nyckeltal_och_handelser(api_for, karta):
    svar = api_for("enhetschef").get(f"/api/v1/processer/{karta['myn'].nummer}/")
    assert svar.status_code == 200, svar.content[:500]
    p = svar.json()
    assert (p["namn"], p["typ"], p["typ_namn"]) == (
        "Myndighetsutövning",
        "karnprocess",
        "Kärnprocess",
    )
    assert p["enhet"]["kod"] == "MYN" and p["status"] == "aktiv"
    assert p["mal"] == ["Beslut i tid", "Den enskilde är delaktig"]
    assert p["inrattad"] == "2024-01-01" and p["avvecklad"] is None
    assert p["sida"].endswith(f"/processer/{karta['myn'].nummer}/")
    andel, dagar = p["nyckeltal"]  # by name
    assert (andel["namn"], andel["matt"], andel["riktning"], andel["mats"]) == (
        "Andel i tid",
        "%",
        "hogre",
        True,
    )
    assert [(v["ar"], v["malvarde"], v["utfall"], v["uppnatt"]) for v in andel["varden"]] == [
        (AR - 2, 90, 85, False),
        (AR - 1, 90, 92, True),
        (AR, 92, None, None),
    ]
    assert andel["riktning_namn"] == "Minst målvärdet (högre är bättre)"
    assert (dagar["riktning"], dagar["riktning_namn"], dagar["mats"]) == (
        "lagre",
        "Högst målvärdet (lägre är bättre)",
        False,
    )
    assert dagar["varden"] == [
        {
            "ar": AR - 1,
            "malvarde": 30,
            "utfall": 31,
            "uppnatt": False,
            "kommentar": "Två långa utredningar.",
        }
    ]
    assert [(h["datum"], h["typ"], h["typ_namn"]) for h in p["handelser"]] == [
        (f"{AR - 1}-03-01", "kartlagd", "Kartlagd"),
        (f"{AR - 1}-09-01", "reviderad", "Reviderad"),
    ]
    assert p["handelser"][0]["dokument"] == "Rutin för utredning"


def test_inga_namn_pa_personer(api_for, karta, personas):
    """The processägare (the avdelningschef) and the processledare (the
    kvalitetssamordnare) are people: neither their names nor their ids are given."""
    klient = api_for("kvalitetssamordnare")
    texter = [
        klient.get("/api/v1/processer/").content.decode(),
        klient.get(f"/api/v1/processer/{karta['myn'].nummer}/").content.decode(),
    ]
    for text in texter:
        data = json.loads(text)
        for person in (personas["avdelningschef"], personas["kvalitetssamordnare"]):
            for namn in (person.get_full_name(), person.username):
                assert namn and namn not in text
        assert "handlaggare" not in text and "processledare" not in text, data


def test_synligheten_som_pa_sidorna(api_for, karta):
    """A chef reads their units' processes and those of the units above (the
    förvaltning's), not another avdelning's; staben reads all; a medarbetare who owns
    none reads none."""
    myn, soc, koll = (karta[k].nummer for k in ("myn", "soc", "koll"))
    assert set(rader(api_for("enhetschef").get("/api/v1/processer/"))) == {myn, soc}
    assert set(rader(api_for("kvalitetssamordnare").get("/api/v1/processer/"))) == {
        myn,
        soc,
        koll,
    }
    assert rader(api_for("medarbetare").get("/api/v1/processer/")) == {}
    svar = api_for("enhetschef").get(f"/api/v1/processer/{koll}/")
    assert svar.status_code == 404
    assert fel(svar)["code"] == "not_found"


def test_listans_filter(api_for, karta):
    klient = api_for("kvalitetssamordnare")
    myn, soc, koll = (karta[k].nummer for k in ("myn", "soc", "koll"))

    def urval(**parametrar):
        return set(rader(klient.get("/api/v1/processer/", parametrar)))

    assert urval(typ="stodprocess") == {soc}
    assert urval(enhet=karta["myn"].enhet_id) == {myn}
    assert urval(q="HVB") == {koll}
    # Last year's result missing: only Kollektivet's key figure lacks it.
    assert urval(saknar_utfall="true") == {koll}
    assert urval(saknar_utfall="false") == {myn, soc, koll}


@pytest.mark.parametrize(
    ("parametrar", "falt"),
    [({"typ": "karn"}, "typ"), ({"status": "stangd"}, "status"), ({"enhet": "x"}, "enhet")],
)
def test_ogiltigt_filter_ger_400(parametrar, falt, api_for, karta):
    svar = api_for("kvalitetssamordnare").get("/api/v1/processer/", parametrar)
    assert svar.status_code == 400
    assert fel(svar)["fields"][falt]


def test_en_process_kostar_lika_manga_fragor_med_1_och_6_nyckeltal(api_for, karta):
    klient = api_for("kvalitetssamordnare")
    adress = f"/api/v1/processer/{karta['soc'].nummer}/"

    def fragor():
        with CaptureQueriesContext(connection) as c:
            assert klient.get(adress).status_code == 200
        return len(c)

    def fler(n):
        for _ in range(n):
            i = karta["soc"].nyckeltal.count()
            nyckeltal(karta["soc"], f"Nyckeltal {i}", varden={AR - 1: (1, 1), AR: (1, None)})
            Processhandelse.objects.create(
                process=karta["soc"], datum=date(AR - 1, 1, 1 + i), typ=Handelsetyp.PUBLICERAD
            )

    klient.get(adress)  # the key's first use is written once
    fler(1)
    ett = fragor()
    fler(5)
    assert fragor() == ett


def test_listan_ger_varje_process_nyckeltal_som_den_enskilda(api_for, karta):
    """A dashboard reads the key figures of every process it sees in one call: the list
    gives each process's key figures as its own address does, years oldest first."""
    klient = api_for("kvalitetssamordnare")
    lista = rader(klient.get("/api/v1/processer/"))
    for p in karta.values():
        enskild = klient.get(f"/api/v1/processer/{p.nummer}/").json()
        assert lista[p.nummer]["nyckeltal"] == enskild["nyckeltal"], p.nummer
    myn = lista[karta["myn"].nummer]["nyckeltal"]
    assert [(n["namn"], [v["ar"] for v in n["varden"]]) for n in myn] == [
        ("Andel i tid", [AR - 2, AR - 1, AR]),
        ("Dagar till beslut", [AR - 1]),
    ]
    assert lista[karta["soc"].nummer]["nyckeltal"] == []
    assert "mal" not in lista[karta["myn"].nummer] and "handelser" not in lista[karta["myn"].nummer]


def test_listan_kostar_lika_manga_fragor_med_fler_processer_och_nyckeltal(api_for, karta, org):
    klient = api_for("kvalitetssamordnare")

    def fragor():
        with CaptureQueriesContext(connection) as c:
            assert klient.get("/api/v1/processer/").status_code == 200
        return len(c)

    klient.get("/api/v1/processer/")  # the key's first use is written once
    fore = fragor()
    for i in range(4):
        ny = process(org["EB"], namn=f"Process {i}")
        for j in range(3):
            nyckeltal(ny, f"Nyckeltal {j}", varden={AR - 1: (1, 1), AR: (1, None)})
    assert fragor() == fore
