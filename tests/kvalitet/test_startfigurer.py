"""Issue 11: the start page's figures (`kvalitet.delar.Startfigur`), per role, over what
the user may see, with the numbers a click away and in a fixed number of queries."""

from datetime import datetime, time, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from avvikelser.choices import Status, Typ
from avvikelser.filters import AvvikelseFilter
from avvikelser.models import Avvikelse, Kategori
from kvalitet import delar
from kvalitet.startfigurer import samma_dag_i_fjol
from tests.factories import AtgardFactory, AvvikelseFactory, SynpunktFactory, UppdragFactory

IDAG = timezone.localdate()
FJOL = samma_dag_i_fjol(IDAG)


def kl(dag, timme=12):
    return timezone.make_aware(datetime.combine(dag, time(timme)))


def figur(user, rubrik_borjar):
    return next((f for f in delar.startfigurer(user) if f.rubrik.startswith(rubrik_borjar)), None)


def varden(fig):
    return {r["namn"]: r["varden"] for r in fig.rader}


@pytest.fixture
def avvikelsear(org, personas):
    """This year: two avvikelser in January in Handläggning, one in Bemötande, and a
    tillbud (never an avvikelse figure). Last year, by the same day: one in Handläggning
    in January; and one after that day (outside the compared period) unless today is the
    last of December."""
    handl = Kategori.objects.get_or_create(namn="Handläggning")[0]
    bem = Kategori.objects.get_or_create(namn="Bemötande")[0]
    jan = IDAG.replace(month=1, day=1)
    for kategori in (handl, handl, bem):
        AvvikelseFactory(enhet=org["EB"], rapporterad=kl(jan), kategori=kategori)
    AvvikelseFactory(enhet=org["EB"], rapporterad=kl(jan), kategori=handl, typ=Typ.TILLBUD)
    AvvikelseFactory(enhet=org["KOLL"], rapporterad=kl(jan.replace(year=FJOL.year)), kategori=handl)
    if FJOL.replace(month=12, day=31) != FJOL:
        AvvikelseFactory(enhet=org["EB"], rapporterad=kl(FJOL + timedelta(days=1)), kategori=handl)
    return {"handl": handl, "bem": bem}


def test_kvalitetssamordnaren_far_avvikelser_per_manad_och_kategori(personas, avvikelsear):
    user = personas["kvalitetssamordnare"]
    manad = figur(user, "Avvikelser per månad")
    # January: 3 avvikelser this year (the tillbud not counted), 1 last year by today.
    assert varden(manad)["jan"] == [3, 1]
    assert sum(r["varden"][0] for r in manad.rader) == 3
    assert len(manad.rader) == IDAG.month
    assert "<title>" in manad.diagram
    kategori = varden(figur(user, "Avvikelser per kategori"))
    # Handläggning 2 this year, 1 last year (the one after the same day is outside);
    # Bemötande 1 this year, none last year.
    assert kategori["Handläggning"] == [2, 1]
    assert kategori["Bemötande"] == [1, 0]


def test_siffrorna_stammer_med_den_lankade_listan(personas, avvikelsear):
    user = personas["kvalitetssamordnare"]
    fig = figur(user, "Avvikelser per kategori")
    for rad in fig.rader:
        if not rad["url"]:
            continue
        fraga = QueryDict(urlsplit(rad["url"]).query)
        lista = AvvikelseFilter(fraga, queryset=Avvikelse.objects.for_user(user), user=user)
        assert lista.is_valid()
        assert lista.qs.count() == rad["varden"][0], rad
    jan = figur(user, "Avvikelser per månad").rader[0]
    fraga = QueryDict(urlsplit(jan["url"]).query)
    lista = AvvikelseFilter(fraga, queryset=Avvikelse.objects.for_user(user), user=user)
    assert lista.qs.count() == jan["varden"][0] == 3


def test_startsidan_visar_figurerna_med_tabell_och_lank(client, personas, avvikelsear):
    client.force_login(personas["kvalitetssamordnare"])
    html = client.get("/").content.decode()
    assert "Siffror att agera på" in html
    assert "Avvikelser per månad i år jämfört med i fjol" in html
    assert 'role="img"' in html and "<details>" in html
    kategori = avvikelsear["handl"].pk
    assert f"kategori={kategori}" in html
    assert "Förbättrande åtgärder som är försenade" in html


@pytest.mark.parametrize("persona", ["medarbetare", "enhetschef", "utredare", "registrator"])
def test_andra_roller_far_inte_samordnarens_figurer(client, personas, avvikelsear, persona):
    client.force_login(personas[persona])
    html = client.get("/").content.decode()
    assert "Avvikelser per månad" not in html
    assert "Förbättrande åtgärder som är försenade" not in html
    assert "ställningstagande" not in html


def test_enhetschefen_far_enhetens_oppna_arenden_efter_tidsfrist(personas, org):
    # Ekonomiskt bistånd: one open past its deadline, one due in 3 days, one in 30 days,
    # one without a deadline, one closed past its deadline (not open: not counted).
    # Kollektivet HVB (another avdelning): one open past its deadline, not counted.
    for dagar in (-1, 3, 30):
        AvvikelseFactory(enhet=org["EB"], tidsfrist=IDAG + timedelta(days=dagar))
    utan = AvvikelseFactory(enhet=org["EB"])
    Avvikelse.objects.filter(pk=utan.pk).update(tidsfrist=None)  # saving sets the default
    AvvikelseFactory(enhet=org["EB"], tidsfrist=IDAG - timedelta(days=5), status=Status.AVSLUTAD)
    AvvikelseFactory(enhet=org["KOLL"], tidsfrist=IDAG - timedelta(days=1))
    SynpunktFactory(enhet=org["EB"], tidsfrist=IDAG - timedelta(days=2))
    for persona in ("enhetschef", "avdelningschef"):
        user = personas[persona]
        avv = varden(figur(user, "Öppna avvikelser i dina enheter"))
        assert [v[0] for v in avv.values()] == [1, 1, 1, 1], persona
        syn = varden(figur(user, "Öppna synpunkter"))
        assert [v[0] for v in syn.values()] == [1, 0, 0, 0], persona
    annan = varden(figur(personas["enhetschef_annan"], "Öppna avvikelser i dina enheter"))
    assert [v[0] for v in annan.values()] == [1, 0, 0, 0]
    for persona in ("medarbetare", "kvalitetssamordnare", "forvaltningschef"):
        assert figur(personas[persona], "Öppna avvikelser i dina enheter") is None


def test_forvaltningschefen_far_stallningstaganden_och_arenden_over_tidsfrist(personas, org):
    # Without a position: one under investigation, one closed; with a position: one
    # closed (not counted); a tillbud under investigation (never waits for one).
    AvvikelseFactory(enhet=org["EB"], status=Status.UNDER_UTREDNING)
    AvvikelseFactory(enhet=org["KOLL"], status=Status.AVSLUTAD)
    AvvikelseFactory(enhet=org["EB"], status=Status.AVSLUTAD, fc_stallningstagande="ej_allvarligt")
    AvvikelseFactory(enhet=org["EB"], status=Status.UNDER_UTREDNING, typ=Typ.TILLBUD)
    # Past deadline: two open avvikelser (one a tillbud) and one open synpunkt.
    AvvikelseFactory(enhet=org["EB"], tidsfrist=IDAG - timedelta(days=1))
    AvvikelseFactory(enhet=org["KOLL"], tidsfrist=IDAG - timedelta(days=9), typ=Typ.TILLBUD)
    SynpunktFactory(enhet=org["EB"], tidsfrist=IDAG - timedelta(days=2))
    user = personas["forvaltningschef"]
    assert varden(figur(user, "Avvikelser som väntar")) == {
        "Under utredning": [1],
        "Avslutade": [1],
    }
    # The one waiting for a position is the one "väntar på dig" lists (same rule).
    vantar = Avvikelse.objects.for_user(user).vantar_pa(user)
    assert vantar.filter(typ=Typ.AVVIKELSE).exclude(status=Status.RAPPORTERAD).count() == 2
    assert varden(figur(user, "Öppna ärenden efter tidsfristen")) == {
        "Avvikelser": [2],
        "Synpunkter": [1],
        "Lex Sarah-ärenden": [0],
        "Tillsyn av IVO": [0],
    }
    for persona in ("kvalitetssamordnare", "enhetschef", "medarbetare"):
        assert figur(personas[persona], "Avvikelser som väntar") is None
        assert figur(personas[persona], "Öppna ärenden efter tidsfristen") is None


def test_klagomal_besvarade_i_tid_med_regeln_om_sma_tal(personas, org, settings):
    dagar = settings.SYNPUNKT_SVARSTID_DAGAR
    start = IDAG.replace(month=1, day=1)
    if (IDAG - start).days < dagar + 6:
        pytest.skip("för tidigt på året för en förfallen svarsfrist")
    # This year: two klagomål due, one answered the next day (in time), one answered
    # N + 5 days after (late); a beröm (not counted); one received today (not yet due).
    SynpunktFactory(enhet=org["EB"], inkom=kl(start), besvarad=kl(start + timedelta(days=1)))
    SynpunktFactory(
        enhet=org["EB"], inkom=kl(start), besvarad=kl(start + timedelta(days=dagar + 5))
    )
    SynpunktFactory(enhet=org["EB"], inkom=kl(start), typ="berom")
    SynpunktFactory(enhet=org["EB"], inkom=kl(IDAG, 0))
    fig = figur(personas["kvalitetssamordnare"], "Klagomål besvarade inom")
    v = varden(fig)
    assert v["Besvarade i tid"][0] == 1
    assert v["Inte besvarade i tid"][0] == 1
    # Two due: under the threshold of ten, the count only, no percentage.
    assert v["Andel i tid"][0] == "1 av 2"
    assert "%" not in fig.text
    assert figur(personas["forvaltningschef"], "Klagomål besvarade inom") is None


def test_forsenade_atgarder_over_synliga_arenden(personas, org):
    fall = AvvikelseFactory(enhet=org["EB"])
    AtgardFactory(arende=fall, ansvarig=personas["medarbetare"], forfallodatum=IDAG - timedelta(1))
    AtgardFactory(arende=fall, ansvarig=personas["medarbetare"], forfallodatum=IDAG + timedelta(1))
    AtgardFactory(
        arende=fall,
        ansvarig=personas["medarbetare"],
        forfallodatum=IDAG - timedelta(5),
        status="genomford",
    )
    # One open and past due; one not yet due; one done: 1.
    assert varden(figur(personas["kvalitetssamordnare"], "Förbättrande åtgärder"))[
        "Avvikelser"
    ] == [1]


def _fall(org, antal):
    handl = Kategori.objects.get_or_create(namn="Handläggning")[0]
    jan = IDAG.replace(month=1, day=1)
    for i in range(antal):
        enhet = org["EB"] if i % 2 else org["KOLL"]
        fall = AvvikelseFactory(
            enhet=enhet,
            rapporterad=kl(jan.replace(year=jan.year - i % 2)),
            kategori=handl if i % 3 else None,
            tidsfrist=IDAG + timedelta(days=i - 5),
        )
        AtgardFactory(arende=fall, forfallodatum=IDAG - timedelta(days=1))
        SynpunktFactory(enhet=enhet, inkom=kl(jan), tidsfrist=IDAG + timedelta(days=i - 5))


@pytest.mark.parametrize(
    "persona", ["kvalitetssamordnare", "enhetschef", "avdelningschef", "forvaltningschef"]
)
def test_antalet_fragor_ar_detsamma_med_mer_data(client, personas, org, persona):
    client.force_login(personas[persona])
    _fall(org, 3)
    client.get("/")  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as fa:
        assert client.get("/").status_code == 200
    _fall(org, 27)
    with CaptureQueriesContext(connection) as manga:
        assert client.get("/").status_code == 200
    assert len(manga) == len(fa), [q["sql"] for q in manga.captured_queries]


def test_lankarna_ar_listans_egna_filter(personas, avvikelsear):
    fig = figur(personas["kvalitetssamordnare"], "Avvikelser per kategori")
    for rad in fig.rader:
        if rad["url"]:
            fraga = parse_qs(urlsplit(rad["url"]).query)
            assert set(fraga) <= {"typ", "kategori", "fran", "till"}
            assert fraga["typ"] == ["avvikelse"]


@pytest.fixture
def med_cache(settings):
    from django.core.cache import cache

    settings.STARTFIGURER_SEKUNDER = 300
    cache.clear()
    yield
    cache.clear()


def test_forvaltningens_figurer_halls_kvar_och_raknas_om_vid_ny_roll(
    personas, avvikelsear, org, med_cache
):
    """Who sees everything gets the förvaltning-wide figures kept a while: a new case does
    not count until they expire, but a changed role counts anew at once."""
    from kvalitet.models import Roll

    user = personas["kvalitetssamordnare"]
    assert varden(figur(user, "Avvikelser per månad"))["jan"] == [3, 1]
    AvvikelseFactory(enhet=org["EB"], rapporterad=kl(IDAG.replace(month=1, day=2)))
    user = type(user).objects.get(pk=user.pk)  # a new request
    with CaptureQueriesContext(connection) as fragor:
        assert varden(figur(user, "Avvikelser per månad"))["jan"] == [3, 1]
    assert not any("avvikelser_avvikelse" in q["sql"] for q in fragor.captured_queries)
    UppdragFactory(anvandare=user, roll=Roll.ENHETSCHEF, enhet=org["EB"])
    user = type(user).objects.get(pk=user.pk)
    assert varden(figur(user, "Avvikelser per månad"))["jan"] == [4, 1]


def test_chefens_figurer_raknas_vid_varje_besok(personas, org, med_cache):
    """A chef's figures follow the cases they see, which also follow cases they handle:
    never kept."""
    user = personas["enhetschef"]
    rubrik = "Öppna avvikelser i dina enheter"
    AvvikelseFactory(enhet=org["EB"], tidsfrist=IDAG - timedelta(days=1))
    assert [v[0] for v in varden(figur(user, rubrik)).values()] == [1, 0, 0, 0]
    AvvikelseFactory(enhet=org["EB"], tidsfrist=IDAG - timedelta(days=1))
    user = type(user).objects.get(pk=user.pk)
    assert [v[0] for v in varden(figur(user, rubrik)).values()] == [2, 0, 0, 0]


@pytest.mark.parametrize(
    ("antal", "forsenade", "text"),
    [
        (1, 0, "1 öppen, ingen efter tidsfristen."),
        (1, 1, "1 öppen, varav 1 efter tidsfristen."),
        (4, 0, "4 öppna, ingen efter tidsfristen."),
        (4, 2, "4 öppna, varav 2 efter tidsfristen."),
        (0, 0, "0 öppna, ingen efter tidsfristen."),
    ],
)
def test_oppna_i_ord(antal, forsenade, text):
    from kvalitet.startfigurer import oppna_text

    assert oppna_text(antal, forsenade) == text
