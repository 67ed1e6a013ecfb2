"""The lists' free-text search (kvalitet.sok, docs/sok.md): Swedish stemming, partial
words, case numbers, å/ä/ö whatever their case, ranking, access, bad input and query
counts. Runs on SQLite and on PostgreSQL (DATABASE_URL); the `postgres` tests check
the generated column and its index."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from avvikelser.models import Avvikelse
from kvalitet import sok
from tests.factories import AvvikelseFactory, SynpunktFactory
from tests.hjalp import kraver

pytestmark = pytest.mark.django_db

STHLM = ZoneInfo("Europe/Stockholm")
NUMMER = re.compile(r'href="/avvikelser/(AVV-\d{4}-\d{4})/"')


def traffar(klient, q, **params):
    """The case numbers of the avvikelse list for the search `q`, in list order."""
    response = klient.get("/avvikelser/", {"q": q, **params})
    assert response.status_code == 200
    return list(dict.fromkeys(NUMMER.findall(response.content.decode())))


def ny(org, enhet="EB", dagar_sedan=1, **falt):
    return AvvikelseFactory(
        enhet=org[enhet],
        rapporterad=datetime(2026, 3, 1, 12, 0, tzinfo=STHLM) - timedelta(days=dagar_sedan),
        beskrivning=falt.pop("beskrivning", "Inget särskilt."),
        konsekvenser=falt.pop("konsekvenser", ""),
        **falt,
    )


@pytest.fixture
def texter(org, personas):
    return {
        "atgard": ny(org, beskrivning="ÅTGÄRDERNA dröjde i flera veckor."),
        "medicin": ny(org, dagar_sedan=2, beskrivning="Fel vid medicineringen på kvällen."),
        "oversvamning": ny(org, dagar_sedan=3, konsekvenser="en översvämning i källaren"),
        "annan": ny(org, enhet="KOLL", dagar_sedan=4, beskrivning="Åtgärd saknades på HVB."),
        "tom": ny(org, dagar_sedan=5, beskrivning="Brevet kom fram i tid."),
        "sms": ny(org, dagar_sedan=6, analys="Ingen sms-påminnelse om SOCN/2025:99 skickades."),
    }


def nummer(texter, *nycklar):
    return [texter[n].nummer for n in nycklar]


@pytest.mark.parametrize(
    ("q", "vantat"),
    [
        # Swedish stemming: every inflection finds the others.
        ("åtgärd", {"atgard", "annan"}),
        ("åtgärder", {"atgard", "annan"}),
        ("Åtgärdas", {"atgard", "annan"}),
        # å/ä/ö in any case, both ways (SQLite's own LIKE folds ASCII only).
        ("ÅTGÄRD", {"atgard", "annan"}),
        ("ÖVERSVÄMNING", {"oversvamning"}),
        ("översvämningen", {"oversvamning"}),
        # Partial words: the beginning of a word is enough.
        ("medicin", {"medicin"}),
        ("medicinering", {"medicin"}),
        ("översv", {"oversvamning"}),
        # Every word must be there, in any field and order.
        ("källaren översvämning", {"oversvamning"}),
        ("åtgärd HVB", {"annan"}),
        ("åtgärd källaren", set()),
        ("finns ingenstans", set()),
        # Words joined by punctuation are found as they were written, and by their parts.
        ("sms-påminnelse", {"sms"}),
        ("påminnelsen", {"sms"}),
        ("socn/2025:99", {"sms"}),
    ],
)
def test_ord_bojningar_delar_och_versaler(q, vantat, texter, klient_for):
    klient = klient_for("kvalitetssamordnare")
    assert set(traffar(klient, q)) == set(nummer(texter, *vantat))


def test_arendenummer_hittas_exakt_ocksa_utan_prefix(texter, klient_for):
    klient = klient_for("kvalitetssamordnare")
    avv = texter["medicin"]
    ar, lopnr = avv.nummer.split("-")[1:]
    for q in (
        avv.nummer,
        avv.nummer.lower(),
        f" {avv.nummer} ",
        f"{ar}-{lopnr}",
        f"{ar}-{int(lopnr)}",
    ):
        assert traffar(klient, q) == [avv.nummer], q
    assert traffar(klient, f"{int(ar) + 1}-{lopnr}") == []


def test_synpunktens_referens_hittas_exakt(org, personas, klient_for):
    synpunkt = SynpunktFactory(enhet=org["EB"])
    SynpunktFactory(enhet=org["EB"])
    response = klient_for("kvalitetssamordnare").get(
        "/synpunkter/", {"q": synpunkt.referens.lower()}
    )
    assert response.status_code == 200
    hittade = set(re.findall(r'href="/synpunkter/(SYN-\d{4}-\d{4})/"', response.content.decode()))
    assert hittade == {synpunkt.nummer}


def test_rangordning_nummer_relevans_sedan_nyast(org, personas, klient_for):
    """An exact case number first; then a case with the words in its description (the
    first `FRITEXT` field, weighted highest) before newer cases with them only in the
    analysis; among equals the newest first."""
    i_analysen_nyast = ny(org, dagar_sedan=1, analys="Rutinen för tolkbokning följdes inte.")
    i_analysen = ny(org, dagar_sedan=2, analys="Tolkbokning saknades.")
    i_beskrivningen = ny(org, dagar_sedan=30, beskrivning="Tolkbokning missades helt.")
    klient = klient_for("kvalitetssamordnare")
    assert traffar(klient, "tolkbokning") == [
        i_beskrivningen.nummer,
        i_analysen_nyast.nummer,
        i_analysen.nummer,
    ]
    # The number of a case that does not hold the word comes first, then the text matches.
    nummerfall = ny(org, dagar_sedan=60, beskrivning="Annat.")
    assert traffar(klient, nummerfall.nummer)[0] == nummerfall.nummer


def test_utan_text_ar_ordningen_listans(texter, klient_for):
    assert traffar(klient_for("kvalitetssamordnare"), "") == nummer(
        texter, "atgard", "medicin", "oversvamning", "annan", "tom", "sms"
    )


def test_atkomst_galler_aven_sokningen(texter, klient_for):
    """The enhetschef of Ekonomiskt bistånd finds neither the text nor the number of
    a case of another unit."""
    klient = klient_for("enhetschef")
    assert set(traffar(klient, "åtgärd")) == set(nummer(texter, "atgard"))
    assert traffar(klient, texter["annan"].nummer) == []
    assert traffar(klient_for("enhetschef_annan"), "åtgärd") == nummer(texter, "annan")


@pytest.mark.parametrize(
    "q",
    [
        "<script>alert('x')</script>",
        "&|!():*",
        "åtgärd & | ! ( ) : * '",
        "!!! ??? ... ---",
        "a:* | b & !c",
        "'; DROP TABLE avvikelser_avvikelse; --",
        "\\ % _ \" '",
        "ord " * 49,  # 196 characters, many words: the first words count
        "\x00",
    ],
    ids=[
        "script",
        "operatorer",
        "ord-och-operatorer",
        "skiljetecken",
        "tsquery",
        "sql",
        "like",
        "manga-ord",
        "nul",
    ],
)
def test_konstig_text_ger_inget_fel(q, texter, klient_for):
    response = klient_for("kvalitetssamordnare").get("/avvikelser/", {"q": q})
    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()


def test_for_lang_text_visar_felet_och_inga_arenden(texter, klient_for):
    response = klient_for("kvalitetssamordnare").get("/avvikelser/", {"q": "å" * 201})
    assert response.status_code == 200
    html = response.content.decode()
    assert "som mest 200 tecken" in html
    assert NUMMER.findall(html) == []


def test_antalet_fragor_vaxer_inte_med_traffarna(org, texter, klient_for):
    from django.test.utils import CaptureQueriesContext

    klient = klient_for("kvalitetssamordnare")

    def antal():
        with CaptureQueriesContext(connection) as fragor:
            assert klient.get("/avvikelser/", {"q": "åtgärd"}).status_code == 200
        return len(fragor.captured_queries)

    fore = antal()
    for i in range(8):
        ny(org, dagar_sedan=10 + i, beskrivning=f"Åtgärden nummer {i} kom sent.")
    assert antal() == fore


def test_sokord_slapper_bara_igenom_bokstaver_och_siffror():
    assert sok.sokord("Åtgärd & (ÅTGÄRD) | !fel:* 2025-0012") == ["åtgärd", "fel", "2025", "0012"]
    assert sok.sokord("&|!():*'\"\\") == []
    assert len(sok.sokord(" ".join(f"ord{i}" for i in range(50)))) == sok.MAX_ORD
    assert sok.sokord("x" * 100) == ["x" * sok.ORDLANGD]


@pytest.mark.parametrize(
    ("ord_", "stam"),
    [
        ("åtgärderna", "åtgärd"),
        ("åtgärdas", "åtgärd"),
        ("medicineringen", "medicinering"),
        ("översvämningen", "översvämning"),
        ("klienter", "klient"),
        ("tydligt", "tyd"),
        ("kraftfullt", "kraftfull"),
    ],
)
def test_svensk_stam(ord_, stam):
    assert sok.svensk_stam(ord_) == stam


def test_svensk_stam_som_postgresql(db):
    """The SQLite stemmer is PostgreSQL's Swedish Snowball stemmer."""
    kraver(connection.vendor == "postgresql", "jämförelsen kräver PostgreSQL")
    ord_ = [
        "åtgärderna",
        "åtgärdas",
        "medicineringen",
        "översvämningen",
        "klienter",
        "tydligt",
        "kraftfullt",
        "försenades",
        "handläggaren",
        "utredningarna",
        "uppföljningen",
        "tolkbokning",
        "vårdnadshavarna",
        "socialsekreteraren",
        "dokumentationen",
        "placeringarna",
        "kontrollerades",
    ]
    with connection.cursor() as c:
        for w in ord_:
            c.execute("SELECT ts_lexize('swedish_stem', %s)", [w])
            assert c.fetchone()[0] == [sok.svensk_stam(w)], w


def _fritextmodeller():
    from django.apps import apps

    return [m for m in apps.get_models() if getattr(m, "FRITEXT", ())]


# Every model with FRITEXT: the case types and the records that are not cases (risks,
# risk analyses, egenkontroller).
TYPER = [pytest.param(m, id=m._meta.label) for m in _fritextmodeller()]


@pytest.mark.postgres
def test_sokkolumnen_foljer_fritext(db):
    """Every model with `FRITEXT` has the generated column over exactly those fields, in
    order, and its GIN index: a changed `FRITEXT` needs a new `Sokkolumn` migration."""
    kraver(connection.vendor == "postgresql", "sökkolumnen finns bara i PostgreSQL")
    modeller = _fritextmodeller()
    assert {m._meta.label for m in modeller} >= {
        "avvikelser.Avvikelse",
        "synpunkter.Synpunkt",
        "lexsarah.LexSarah",
        "riskregister.Risk",
        "riskregister.Riskanalys",
        "internkontroll.Egenkontroll",
        "tillsyn.Tillsyn",
        "processer.Process",
    }
    with connection.cursor() as c:
        for modell in modeller:
            tabell = modell._meta.db_table
            c.execute(
                "SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d "
                "JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum "
                "WHERE d.adrelid = %s::regclass AND a.attname = %s AND a.attgenerated = 's'",
                [tabell, sok.KOLUMN],
            )
            rad = c.fetchone()
            assert rad, f"{tabell} saknar {sok.KOLUMN}"
            kolumner = re.findall(r"COALESCE\(\(?(\w+)\)?(?:::text)?", rad[0])
            assert kolumner == [modell._meta.get_field(f).column for f in modell.FRITEXT], rad[0]
            c.execute(
                "SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexname = %s",
                [tabell, sok.indexnamn(tabell)],
            )
            (indexdef,) = c.fetchone()
            assert f"USING gin ({sok.KOLUMN})" in indexdef


@pytest.mark.postgres
def test_sokningen_anvander_indexet(org, personas, texter):
    """With sequential scans made expensive, the match is found through the GIN index
    (a plan that cannot use it would read the whole table at 10 million cases)."""
    kraver(connection.vendor == "postgresql", "planen gäller PostgreSQL")
    qs = Avvikelse.objects.filter(sok.textvillkor(Avvikelse, "åtgärd"))
    with connection.cursor() as c:
        c.execute("SET LOCAL enable_seqscan = off")
        sql, params = qs.values("pk").query.sql_with_params()
        c.execute("EXPLAIN " + sql, params)
        plan = "\n".join(r[0] for r in c.fetchall())
    assert sok.indexnamn(Avvikelse._meta.db_table) in plan, plan


@pytest.mark.parametrize("modell", TYPER)
def test_varje_typs_lista_soker(modell, personas):
    """Every case type's text condition compiles and runs on this database, also inside
    a subquery (where the table has another alias)."""
    traffar = modell.objects.filter(sok.textvillkor(modell, "åtgärd & x:*"))
    assert list(traffar.values("pk")) == []
    assert not modell.objects.filter(pk__in=traffar.values("pk")).exists()


def test_listan_visar_de_basta_bland_de_nyaste_exporten_allt(org, texter, klient_for, monkeypatch):
    """The list of a search stops at `MAX_TRAFFAR` ("Fler än …"); the export takes every
    match, in the list's order."""
    monkeypatch.setattr(sok, "MAX_TRAFFAR", 2)
    monkeypatch.setattr(sok, "MAX_KANDIDATER", 3)
    aldre = [ny(org, dagar_sedan=20 + i, beskrivning=f"Åtgärd nummer {i}.") for i in range(3)]
    klient = klient_for("kvalitetssamordnare")
    response = klient.get("/avvikelser/", {"q": "åtgärd"})
    html = response.content.decode()
    assert "Fler än 2" in html
    # The best of the three newest matches: the older cases are not among them.
    assert set(NUMMER.findall(html)) <= set(nummer(texter, "atgard", "annan")) | {aldre[0].nummer}
    assert len(set(NUMMER.findall(html))) == 2
    export = klient.get("/avvikelser/export.csv", {"q": "åtgärd"})
    rader = b"".join(export.streaming_content).decode("utf-8-sig").splitlines()[1:]
    assert [r.split(";")[0] for r in rader] == [
        *nummer(texter, "atgard", "annan"),
        *(a.nummer for a in aldre),
    ]
