"""Reading cases through the API: the list page's filters, cursor pages, the same
visibility as the pages, the nämnd, lex Sarah as its page shows it and every reading
logged, no contact details, the figures and decided reports, and a constant number of
queries per page whatever the number of cases."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from internkontroll.models import Internkontrollplan
from kvalitet.models import Atkomstlogg, Beslutsstatus
from lexsarah.models import LexSarah
from tests.api.conftest import fel
from tests.factories import AvvikelseFactory, KvalitetsberattelseFactory, SynpunktFactory
from tests.internkontroll.hjalp import kontroll, plan, tillfalle
from tests.lexsarah.hjalp import skapa as skapa_lexsarah
from tests.processer.hjalp import process
from tests.riskregister.hjalp import risk
from tests.stod import satt_status

pytestmark = pytest.mark.django_db


def nummer(svar):
    assert svar.status_code == 200, svar.content[:500]
    return [r["nummer"] for r in svar.json()["results"]]


def fall_i(org, personas, enhet, antal, **falt):
    return [
        AvvikelseFactory(enhet=org[enhet], rapporterad_av=personas["medarbetare"], **falt)
        for _ in range(antal)
    ]


def test_listan_visar_bara_synliga_arenden(api_for, avvikelse, avvikelse_annan):
    assert nummer(api_for("enhetschef").get("/api/v1/avvikelser/")) == [avvikelse.nummer]
    assert nummer(api_for("enhetschef_annan").get("/api/v1/avvikelser/")) == [
        avvikelse_annan.nummer
    ]
    assert set(nummer(api_for("forvaltningschef").get("/api/v1/avvikelser/"))) == {
        avvikelse.nummer,
        avvikelse_annan.nummer,
    }
    assert nummer(api_for("utredare").get("/api/v1/avvikelser/")) == []


def test_annan_enhets_arende_finns_inte(api_for, avvikelse_annan):
    klient = api_for("enhetschef")
    for nyckel in (avvikelse_annan.nummer, avvikelse_annan.pk, avvikelse_annan.nummer.lower()):
        svar = klient.get(f"/api/v1/avvikelser/{nyckel}/")
        assert svar.status_code == 404
        assert fel(svar)["code"] == "not_found"


def test_arendet_nas_med_nummer_eller_id(api_for, avvikelse):
    klient = api_for("enhetschef")
    for nyckel in (avvikelse.nummer, avvikelse.pk, avvikelse.nummer.lower()):
        svar = klient.get(f"/api/v1/avvikelser/{nyckel}/")
        assert svar.status_code == 200
        assert svar.json()["nummer"] == avvikelse.nummer
        assert svar.json()["beskrivning"] == avvikelse.beskrivning


def test_listans_filter(api_for, org, personas):
    nya = fall_i(org, personas, "EB", 2)
    utredd = fall_i(org, personas, "TEAM", 1)[0]
    satt_status(utredd, "under_utredning")
    tillbud = fall_i(org, personas, "EB", 1, typ="tillbud")[0]
    gammal = fall_i(org, personas, "EB", 1, rapporterad=timezone.now() - timedelta(days=40))[0]
    klient = api_for("avdelningschef")
    assert nummer(klient.get("/api/v1/avvikelser/", {"status": "under_utredning"})) == [
        utredd.nummer
    ]
    assert nummer(klient.get("/api/v1/avvikelser/", {"typ": "tillbud"})) == [tillbud.nummer]
    assert nummer(klient.get("/api/v1/avvikelser/", {"enhet": org["TEAM"].pk})) == [utredd.nummer]
    sedan = (timezone.localdate() - timedelta(days=10)).isoformat()
    assert gammal.nummer not in nummer(klient.get("/api/v1/avvikelser/", {"fran": sedan}))
    assert set(nummer(klient.get("/api/v1/avvikelser/", {"fran": sedan}))) == {
        *(a.nummer for a in nya),
        utredd.nummer,
        tillbud.nummer,
    }
    assert nummer(klient.get("/api/v1/avvikelser/", {"q": utredd.nummer})) == [utredd.nummer]
    # What waits for the key's owner, as on the start page: the open ones of their units.
    satt_status(gammal, "avslutad")
    vantar = set(nummer(klient.get("/api/v1/avvikelser/", {"vantar": "true"})))
    assert vantar == {*(a.nummer for a in nya), utredd.nummer, tillbud.nummer}
    assert len(nummer(klient.get("/api/v1/avvikelser/", {"vantar": "false"}))) == 5


@pytest.mark.parametrize(
    ("parametrar", "falt"),
    [
        ({"status": "finns_inte"}, "status"),
        ({"fran": "igår"}, "fran"),
        ({"enhet": "abc"}, "enhet"),
        ({"q": "x" * 201}, "q"),
    ],
)
def test_ogiltigt_filter_ger_400_per_falt(parametrar, falt, api_for, avvikelse):
    svar = api_for("enhetschef").get("/api/v1/avvikelser/", parametrar)
    assert svar.status_code == 400
    fel_ = fel(svar)
    assert fel_["code"] == "invalid"
    assert list(fel_["fields"]) == [falt]


def test_annan_enhet_som_filter_ger_400(api_for, org, avvikelse):
    """The unit filter offers the units of one's own roles (as the list page): another
    avdelning's unit is refused, not answered with an empty list."""
    svar = api_for("enhetschef").get("/api/v1/avvikelser/", {"enhet": org["KOLL"].pk})
    assert svar.status_code == 400
    assert "Välj ett giltigt alternativ" in fel(svar)["fields"]["enhet"][0]


def test_markorsidor_over_flera_sidor(api_for, org, personas):
    fall = fall_i(org, personas, "EB", 7)
    klient = api_for("enhetschef")
    sett, adress, sidor = [], "/api/v1/avvikelser/?page_size=3", 0
    while adress:
        svar = klient.get(adress)
        assert svar.status_code == 200
        data = svar.json()
        sett += [r["id"] for r in data["results"]]
        adress = data["next"]
        sidor += 1
    assert sidor == 3
    assert sett == sorted((a.pk for a in fall), reverse=True)
    # A case added meanwhile does not move the pages that follow.
    forsta = klient.get("/api/v1/avvikelser/?page_size=3").json()
    fall_i(org, personas, "EB", 1)
    andra = klient.get(forsta["next"]).json()
    assert [r["id"] for r in andra["results"]] == sett[3:6]


def test_ogiltig_markor_ger_404_json(api_for, avvikelse):
    svar = api_for("enhetschef").get("/api/v1/avvikelser/", {"cursor": "inte-en-markor"})
    assert svar.status_code == 404
    assert fel(svar) == {
        "code": "not_found",
        "message": "Markören (cursor) är ogiltig. Använd länken next eller previous.",
    }


def test_namnden_ser_inga_arenden_men_rapporterna(api_for, avvikelse):
    klient = api_for("namnd")
    for adress in (
        "/api/v1/avvikelser/",
        f"/api/v1/avvikelser/{avvikelse.nummer}/",
        "/api/v1/synpunkter/",
        "/api/v1/lexsarah/",
        "/api/v1/tillsyn/",
    ):
        svar = klient.get(adress)
        assert svar.status_code == 403, adress
        assert fel(svar)["message"] == "Nämnden ser rapporterna, inte enskilda ärenden."
    beslutad = KvalitetsberattelseFactory(ar=2025, status="faststalld", faststalld=timezone.now())
    ersatt = KvalitetsberattelseFactory(ar=2024, status="ersatt", faststalld=timezone.now())
    KvalitetsberattelseFactory(ar=2026, brytdatum=date(2026, 1, 31))  # a draft
    rader = klient.get("/api/v1/rapporter/").json()["results"]
    assert [(r["id"], r["status"]) for r in rader] == [
        (ersatt.pk, "ersatt"),
        (beslutad.pk, "faststalld"),
    ]
    assert rader[1]["sida"].endswith(f"/rapporter/{beslutad.pk}/")
    assert rader[1]["pdf_sida"] is None  # no PDF archived in this test


def test_kvalitetssamordnaren_ser_inga_utkast_i_api(api_for):
    utkast = KvalitetsberattelseFactory(ar=2026, brytdatum=date(2026, 1, 31))
    klient = api_for("kvalitetssamordnare")
    assert klient.get("/api/v1/rapporter/").json()["results"] == []
    assert klient.get(f"/api/v1/rapporter/{utkast.pk}/").status_code == 404


def test_synpunktens_kontaktuppgifter_visas_aldrig(api_for, org):
    syn = SynpunktFactory(
        enhet=org["EB"],
        kontakt={"namn": "Greta Medborgare", "epost": "greta@example.se", "telefon": "070-1"},
    )
    for persona in ("enhetschef", "registrator", "kvalitetssamordnare"):
        klient = api_for(persona)
        for adress in ("/api/v1/synpunkter/", f"/api/v1/synpunkter/{syn.nummer}/"):
            text = klient.get(adress).content.decode()
            assert syn.nummer in text
            assert "Greta" not in text and "greta@example.se" not in text


# --- Lex Sarah ------------------------------------------------------------------------


@pytest.fixture
def ls(org, personas):
    return skapa_lexsarah(SimpleNamespace(org=org, personas=personas))


def test_lex_sarah_som_sidan_visar_det(api_for, ls):
    LexSarah.objects.filter(pk=ls.pk).update(klassning="missforhallande")
    hela = api_for("enhetschef").get(f"/api/v1/lexsarah/{ls.nummer}/").json()
    assert hela["visas_hela"] is True
    assert hela["klassning"] == "missforhallande"
    assert hela["beskrivning"] == ls.beskrivning
    # The reporter: the status, their own rapport and the feedback only.
    rapportor = api_for("medarbetare").get(f"/api/v1/lexsarah/{ls.nummer}/").json()
    assert rapportor["visas_hela"] is False
    assert rapportor["klassning"] is None and rapportor["vag"] is None
    assert rapportor["beskrivning"] == ls.beskrivning
    assert rapportor["status"] == ls.status
    lista = api_for("medarbetare").get("/api/v1/lexsarah/").json()["results"]
    assert lista[0]["klassning"] is None and lista[0]["visas_hela"] is False


def test_lex_sarah_lasning_loggas(api_for, ls, personas):
    klient = api_for("enhetschef")
    assert nummer(klient.get("/api/v1/lexsarah/", {"status": "rapporterad"})) == [ls.nummer]
    assert klient.get(f"/api/v1/lexsarah/{ls.nummer}/").status_code == 200
    loggen = list(
        Atkomstlogg.objects.filter(nummer=ls.nummer)
        .order_by("pk")
        .values_list("anvandare", "handelse", "detalj")
    )
    assert loggen == [
        (personas["enhetschef"].pk, "visning", "API-lista status=rapporterad"),
        (personas["enhetschef"].pk, "visning", "API"),
    ]
    # A refused reading logs nothing.
    assert api_for("enhetschef_annan").get(f"/api/v1/lexsarah/{ls.nummer}/").status_code == 404
    assert Atkomstlogg.objects.count() == 2


def test_andra_arendetyper_loggas_inte(api_for, avvikelse):
    api_for("enhetschef").get(f"/api/v1/avvikelser/{avvikelse.nummer}/")
    assert not Atkomstlogg.objects.exists()


# --- Figures ------------------------------------------------------------------------------


def test_arets_siffror_ar_rapportens(api_for, avvikelse, avvikelse_annan):
    from rapporter import siffror
    from rapporter.models import standard_brytdatum

    ar = timezone.localdate().year
    svar = api_for("forvaltningschef").get(f"/api/v1/siffror/{ar}/")
    assert svar.status_code == 200
    data = svar.json()
    brytdatum = standard_brytdatum(ar)
    assert data["brytdatum"] == brytdatum.isoformat()
    assert data["avvikelser"]["totalt"] == 2
    assert data["avvikelser"] == _json(siffror.avvikelser_siffror(ar, brytdatum))
    # Small numbers: fewer than three lex Sarah rapporter give no breakdown.
    assert data["lexsarah"]["visa_fordelningar"] is False
    assert data["lexsarah"]["per_klassning"] is None
    assert "sammanfattningar" not in data["lexsarah"]


def _json(varde):
    import json

    from rest_framework.utils.encoders import JSONEncoder

    return json.loads(json.dumps(varde, cls=JSONEncoder))


@pytest.mark.parametrize("ar", [1999, 2999])
def test_siffror_for_ar_utan_siffror_ger_404(ar, api_for):
    svar = api_for("kvalitetssamordnare").get(f"/api/v1/siffror/{ar}/")
    assert svar.status_code == 404
    assert "Det finns inga siffror för" in fel(svar)["message"]


# --- Queries per page --------------------------------------------------------------------


def _ik(enhet):
    """An occasion of a control of its own in the decided plan, with a risk (each a
    query more if not joined)."""
    p = Internkontrollplan.objects.first() or plan(status=Beslutsstatus.FASTSTALLD)
    k = kontroll(p, enhet, kod=f"SN {p.kontroller.count() + 1}", risk=risk(enhet))
    return tillfalle(k)


def _fragor(klient, adress):
    klient.get(adress)  # the key's last use is written at most once a minute: not below
    with CaptureQueriesContext(connection) as fragor:
        svar = klient.get(adress)
    assert svar.status_code == 200
    return len(fragor), len(svar.json()["results"])


@pytest.mark.parametrize(
    ("adress", "skapa"),
    [
        ("/api/v1/avvikelser/", lambda v, n: fall_i(v.org, v.personas, "EB", n)),
        (
            "/api/v1/synpunkter/",
            lambda v, n: [SynpunktFactory(enhet=v.org["EB"]) for _ in range(n)],
        ),
        ("/api/v1/lexsarah/", lambda v, n: [skapa_lexsarah(v) for _ in range(n)]),
        ("/api/v1/risker/", lambda v, n: [risk(v.org["EB"]) for _ in range(n)]),
        ("/api/v1/kontroller/", lambda v, n: [_ik(v.org["EB"]) for _ in range(n)]),
        (
            "/api/v1/processer/",
            lambda v, n: [process(v.org["EB"], namn=f"Process {i}") for i in range(n)],
        ),
    ],
)
def test_antalet_fragor_ar_detsamma_for_5_och_50_arenden(
    adress, skapa, api_for, org, personas, django_assert_max_num_queries
):
    varld = SimpleNamespace(org=org, personas=personas)
    klient = api_for("enhetschef")
    skapa(varld, 5)
    fem, rader = _fragor(klient, adress)
    assert rader == 5
    skapa(varld, 45)
    femtio, rader = _fragor(klient, adress)
    assert rader == 50
    assert femtio == fem
    with django_assert_max_num_queries(12):
        klient.get(adress)
