"""Permission matrix over every URL of the lex Sarah case type × every persona, and who
sees which case where (lexsarah/behorighet.py, docs/behorighet.md).

Lex Sarah cases are the most sensitive records: the enhetschef and avdelningschef of the
unit see them whole, the utredare the cases given to them, the förvaltningschef and the
kvalitetssamordnare all (the kvalitetssamordnare takes no step); the reporter sees the
status, their own rapport and the feedback; the registrator the diarium only; the nämnd
the documents meant for it only. Not visible → 404; visible but not allowed → 403;
anonymous → login. A refused request changes nothing.
"""

import csv
import io
import re
from datetime import timedelta

import openpyxl
import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from avvikelser.models import Avvikelse
from kvalitet.models import Atgard, Attachment, CaseLink, TimelineEntry
from kvalitet.workflow import steps_of
from lexsarah.models import Dokument, LexSarah
from tests.conftest import PERSONAS
from tests.lexsarah.hjalp import BESKRIVNING, LEX_SARAH, satt_status, skapa
from tests.stod import (
    OK,
    Kod,
    L,
    Rad,
    Utfall,
    arendesida,
    fil,
    kor_rad,
    pdf_bytes,
    rader_param,
    skapad,
)

pytestmark = pytest.mark.django_db

NUMMER = re.compile(r'href="/lexsarah/(LS-\d{4}-\d{4})/"')

# Outcomes beyond tests.stod.KODER.
NY = "NY"  # 302 to the page of a lex Sarah case the request created
KODER = {NY: Kod(skapad("/lexsarah/LS-"), utford=True)}


@pytest.fixture
def lss(org, personas):
    """The world of the matrix:

    - `s.ls`: a lex Sarah case of Ekonomiskt bistånd (under Myndighetsavdelningen),
      reported by `medarbetare`, the `utredare` its utredare (tests.lexsarah.hjalp.skapa);
    - `s.beslutat`: a decided case like it, with its stored documents;
    - `s.annan`: a case of Kollektivet HVB (Öppenvårdsavdelningen);
    - `s.avv`: an avvikelse of Ekonomiskt bistånd reported by `medarbetare` that the
      förvaltningschef judged a lex Sarah matter, its case not yet opened;
    - `s.liknande`: an earlier similar avvikelse (a suggestion to link).
    """
    from types import SimpleNamespace

    from tests.factories import AvvikelseFactory
    from tests.lexsarah.hjalp import liknande_handelse

    s = SimpleNamespace(org=org, personas=personas)
    s.ls = skapa(s)
    s.annan = skapa(s, enhet="KOLL")
    s.beslutat = skapa(s, "beslutad")
    for typ in Dokument.Typ:
        Dokument.spara(s.beslutat, typ, pdf_bytes())
    s.avv = AvvikelseFactory(
        enhet=org["EB"],
        rapporterad_av=personas["medarbetare"],
        skapad_av=personas["medarbetare"],
        fc_stallningstagande="lex_sarah",
    )
    s.liknande = liknande_handelse(s)
    return s


def _lankad(s):
    # The pk, not the link: every cell refreshes the scenario's records after a rollback.
    s.lank = s.ls.link(s.beslutat, CaseLink.Typ.LIKNANDE, av=s.personas["enhetschef"]).pk


def _steg(namn):
    return next(t for t in steps_of(LexSarah) if t.name == namn)


def _i_status(status):
    def forbered(s):
        satt_status(s.ls, status)

    return forbered


def _stegdata(namn):
    t = _steg(namn)
    if namn == "lanka_liknande":
        # The suggestion made before the request (the snapshot is taken before the data).
        return lambda s: {"arenden": [s.liknande.nummer], "bekraftad": "ja"}
    return lambda s: LEX_SARAH.stegdata(t, s)


def _steget_gjort(s, user):
    """The step stood on the case's timeline as done by the user."""
    return TimelineEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(LexSarah),
        object_id=s.ls.pk,
        anvandare=user,
    ).exists()


# Who may take each step (besides: those who see the case get 403), and the status the
# case is put in first. `chefer`: enhetschef and avdelningschef of the unit; the utredare
# is the case's handler (kvalitet.behorighet.kan_hantera: as the unit's managers, except
# assigning).
HANTERAR = {"chefer": OK, "utredare": OK}
# The immediate actions, the follow-up, closing and reopening: the unit's chefs only.
CHEFER = {"chefer": OK}
UTREDER = {"avdelningschef": OK, "utredare": OK}
BESLUTAR = {"forvaltningschef": OK}
STEG = {
    "registrera_omedelbara": ("rapporterad", CHEFER),
    "inled_utredning": ("rapporterad", BESLUTAR),
    "tilldela": ("rapporterad", {"avdelningschef": OK, "forvaltningschef": OK}),
    "utred": ("under_utredning", UTREDER),
    "lanka_liknande": ("under_utredning", UTREDER),
    "bedom": ("under_utredning", UTREDER),
    "skriv_tjansteskrivelse": ("under_utredning", UTREDER),
    "lamna_forslag": ("under_utredning", {"avdelningschef": OK}),
    "begar_komplettering": ("till_beslut", BESLUTAR),
    "besluta": ("till_beslut", BESLUTAR),
    "anmal_ivo": ("rapporterad", BESLUTAR),
    "ivo_fraga": ("rapporterad", BESLUTAR),
    "registrera_ivo_beslut": ("rapporterad", BESLUTAR),
    "folj_upp": ("beslutad", CHEFER),
    "avsluta": ("beslutad", CHEFER),
    "ateroppna": ("avslutad", CHEFER),
    "sammanfatta": ("beslutad", HANTERAR),
    "godkann_sammanfattning": ("beslutad", BESLUTAR),
}
# Those who see the case but take none of these steps.
SER = {
    "medarbetare": 403,
    "chefer": 403,
    "utredare": 403,
    "ser_allt": 403,
}


def _stegrader():
    rader = []
    for t in steps_of(LexSarah):
        status, far = STEG[t.name]
        rader.append(
            Rad(
                f"steg-{t.slug}",
                "POST",
                f"/lexsarah/{{nr}}/{t.slug}/",
                arendesida(**{**SER, **far}),
                forbered=_i_status(status),
                data=_stegdata(t.name),
                gjort=_steget_gjort,
            )
        )
    return rader


def _ny_rapport(s):
    return {
        "enhet": s.org["EB"].pk,
        "handelsedatum": "",
        "beskrivning": "Ungdomen fick vänta i tre veckor på sin insats.",
        "kalla": "egen",
        "kalla_beskrivning": "",
        "vidtaget_direkt": "",
    }


RADER = [
    Rad(
        "lista",
        "GET",
        "/lexsarah/",
        Utfall(200, anonym=L, namnd=403),
        innehall="<h1>Lex Sarah</h1>",
    ),
    Rad(
        "export-csv",
        "GET",
        "/lexsarah/export.csv",
        Utfall(200, anonym=L, namnd=403),
        innehall="Ärendenummer;Status;Enhet",
    ),
    Rad("export-xlsx", "GET", "/lexsarah/export.xlsx", Utfall(200, anonym=L, namnd=403)),
    Rad(
        "ny-get",
        "GET",
        "/lexsarah/ny/",
        Utfall(200, anonym=L, namnd=403, admin=403, utan_roll=403),
        innehall="Din skyldighet att rapportera",
    ),
    # The rapport is for Ekonomiskt bistånd: those who work there or above (and those who
    # see every unit) may file it; for the others the unit is not among the choices.
    Rad(
        "ny-post",
        "POST",
        "/lexsarah/ny/",
        Utfall(
            400,
            anonym=L,
            medarbetare=NY,
            chefer=NY,
            ser_allt=NY,
            namnd=403,
            admin=403,
            utan_roll=403,
        ),
        data=_ny_rapport,
        gjort=lambda s, user: LexSarah.objects.filter(
            rapporterad_av=user, beskrivning="Ungdomen fick vänta i tre veckor på sin insats."
        ).exists(),
        innehall="Välj ett giltigt alternativ.",
    ),
    Rad(
        "diarium",
        "GET",
        "/lexsarah/diarium/",
        Utfall(403, anonym=L, registrator=200),
        innehall="Lex Sarah-diarium",
    ),
    Rad(
        "atkomstlogg",
        "GET",
        "/lexsarah/atkomstlogg/",
        Utfall(403, anonym=L, kvalitetssamordnare=200),
        innehall="Åtkomstlogg för lex Sarah-ärenden",
    ),
    # Opening the case of a marked avvikelse by hand: the förvaltningschef; whoever sees
    # the avvikelse but does not decide gets 403, whoever does not see it 404.
    Rad(
        "fran",
        "POST",
        lambda s: f"/lexsarah/fran/{s.avv.nummer}/",
        arendesida(medarbetare=403, chefer=403, kvalitetssamordnare=403, forvaltningschef=NY),
        gjort=lambda s, user: LexSarah.objects.filter(kalla_id=s.avv.pk).exists(),
    ),
    Rad(
        "detalj",
        "GET",
        "/lexsarah/{nr}/",
        arendesida(medarbetare=200, chefer=200, utredare=200, ser_allt=200),
        innehall=BESKRIVNING,
    ),
    Rad(
        "dokument",
        "GET",
        lambda s: f"/lexsarah/{s.beslutat.nummer}/dokument/utredning.pdf",
        arendesida(medarbetare=403, chefer=200, utredare=200, ser_allt=200),
    ),
    Rad(
        "namnden",
        "GET",
        "/lexsarah/namnden/",
        Utfall(403, anonym=L, namnd=200, ser_allt=200),
    ),
    Rad(
        "namnden-dokument",
        "GET",
        lambda s: f"/lexsarah/namnden/{s.beslutat.nummer}/tjansteskrivelse.pdf",
        Utfall(403, anonym=L, namnd=200, ser_allt=200),
    ),
    # Comments and files: those involved while the case is open – its managers and its
    # utredare; not the reporter, who sees only the case's status.
    Rad(
        "kommentar",
        "POST",
        "/lexsarah/{nr}/kommentar/",
        arendesida(medarbetare=403, chefer=OK, utredare=OK, ser_allt=403),
        data=lambda s: {"text": "Familjehemmet har hört av sig igen."},
        gjort=lambda s, user: TimelineEntry.objects.filter(
            typ="kommentar", text="Familjehemmet har hört av sig igen.", anvandare=user
        ).exists(),
    ),
    Rad(
        "bilagor",
        "POST",
        "/lexsarah/{nr}/bilagor/",
        arendesida(medarbetare=403, chefer=OK, utredare=OK, ser_allt=403),
        data=lambda s: {"fil": fil("underlag.pdf", pdf_bytes(), "application/pdf")},
        gjort=lambda s, user: Attachment.objects.filter(
            filnamn="underlag.pdf", uppladdad_av=user, object_id=s.ls.pk
        ).exists(),
    ),
    Rad(
        "atgarder",
        "POST",
        "/lexsarah/{nr}/atgarder/",
        arendesida(medarbetare=403, chefer=OK, utredare=OK, ser_allt=403),
        data=lambda s: {
            "titel": "Försättsblad i alla utskick",
            "typ": "information",
            "ansvarig": s.personas["enhetschef"].pk,
            "forfallodatum": (timezone.localdate() + timedelta(days=30)).isoformat(),
        },
        gjort=lambda s, user: Atgard.objects.filter(
            titel="Försättsblad i alla utskick", skapad_av=user, object_id=s.ls.pk
        ).exists(),
    ),
    Rad(
        "lankar",
        "POST",
        "/lexsarah/{nr}/lankar/",
        arendesida(medarbetare=403, chefer=OK, utredare=OK, ser_allt=403),
        data=lambda s: {"nummer": s.beslutat.nummer, "kommentar": "Samma adressregister."},
        gjort=lambda s, user: CaseLink.objects.filter(
            fran_id=s.ls.pk, till_id=s.beslutat.pk, skapad_av=user
        ).exists(),
    ),
    # A link made by mistake, taken back by those who may link (and see the other case).
    Rad(
        "lank-ta-bort",
        "POST",
        lambda s: f"/lexsarah/{s.ls.nummer}/lankar/{s.lank}/ta-bort/",
        arendesida(medarbetare=403, chefer=OK, utredare=OK, ser_allt=403),
        forbered=_lankad,
        gjort=lambda s, user: not CaseLink.objects.filter(pk=s.lank).exists(),
    ),
    *_stegrader(),
]


def _url(rad):
    if callable(rad.url):
        return rad.url
    return lambda s: rad.url.format(nr=s.ls.nummer)


@pytest.mark.parametrize("rad", rader_param(RADER))
def test_matris(rad, lss, klient_for):
    kor_rad(
        rad,
        lss,
        klient_for,
        url=_url(rad),
        arende_url=lambda s, user: s.ls.get_absolute_url(),
        koder=KODER,
    )


def test_varje_steg_har_en_rad():
    assert set(STEG) == {t.name for t in steps_of(LexSarah)}


def test_rapportformularet_nekas_utan_personalroll(lss, klient_for):
    for persona in ("namnd", "admin", "utan_roll"):
        response = klient_for(persona).get("/lexsarah/ny/")
        assert response.status_code == 403, persona
        assert "Du har ingen roll i personalen och kan inte rapportera." in (
            response.content.decode()
        )


# --- Who sees which case: list, exports, detail -----------------------------------------


@pytest.fixture
def fall(org, personas):
    """One case per situation; the key names the case in SYNLIGA below. Every case has
    the utredare as handler except `eb_utan`, which has none."""
    from types import SimpleNamespace

    v = SimpleNamespace(org=org, personas=personas)
    return {
        "eb": skapa(v),
        "eb_utan": skapa(v, handlaggare=None),
        "team": skapa(v, enhet="TEAM", rapporterad_av=None, skapad_av=None),
        "buv": skapa(v, enhet="BUV", rapporterad_av=None, skapad_av=None, handlaggare=None),
        "koll": skapa(v, enhet="KOLL", handlaggare=None),
    }


# Every persona by name (no default). The utredare sees the cases given to them only.
SYNLIGA = Utfall(
    medarbetare={"eb", "eb_utan"},  # their own rapporter: status and feedback only
    medarbetare_annan={"koll"},
    enhetschef={"eb", "eb_utan", "team"},
    enhetschef_annan={"koll"},
    avdelningschef={"eb", "eb_utan", "team", "buv"},
    avdelningschef_annan={"koll"},
    utredare={"eb", "team"},
    registrator=set(),
    kvalitetssamordnare={"eb", "eb_utan", "team", "buv", "koll"},
    forvaltningschef={"eb", "eb_utan", "team", "buv", "koll"},
    namnd=None,  # every case page refused (403)
    admin=set(),
    utan_roll=set(),
)
# Who sees those cases whole (the rest of SYNLIGA see the rapportör's page).
HELA = Utfall(
    medarbetare=set(),
    medarbetare_annan=set(),
    enhetschef={"eb", "eb_utan", "team"},
    enhetschef_annan={"koll"},
    avdelningschef={"eb", "eb_utan", "team", "buv"},
    avdelningschef_annan={"koll"},
    utredare={"eb", "team"},
    registrator=set(),
    kvalitetssamordnare={"eb", "eb_utan", "team", "buv", "koll"},
    forvaltningschef={"eb", "eb_utan", "team", "buv", "koll"},
    namnd=None,
    admin=set(),
    utan_roll=set(),
)
# Who handles them: the free-text columns of the exports are filled for these rows only.
HANTERAR_FALL = Utfall(
    medarbetare=set(),
    medarbetare_annan=set(),
    enhetschef={"eb", "eb_utan", "team"},
    enhetschef_annan={"koll"},
    avdelningschef={"eb", "eb_utan", "team", "buv"},
    avdelningschef_annan={"koll"},
    utredare={"eb", "team"},
    registrator=set(),
    kvalitetssamordnare=set(),
    forvaltningschef=set(),
    namnd=None,
    admin=set(),
    utan_roll=set(),
)


def test_tabellerna_tacker_alla_personas():
    for tabell in (SYNLIGA, HELA, HANTERAR_FALL):
        assert [p for p in PERSONAS if p not in tabell] == []


def _text(response):
    return b"".join(response).decode("utf-8-sig")


def _csv(response):
    rader = list(csv.reader(io.StringIO(_text(response)), delimiter=";"))
    assert rader[0][0] == "Ärendenummer"
    return [dict(zip(rader[0], r, strict=True)) for r in rader[1:]]


def _xlsx(response):
    bok = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rader = list(bok.active.iter_rows(values_only=True))
    assert rader[0][0] == "Ärendenummer"
    return [dict(zip(rader[0], r, strict=True)) for r in rader[1:]]


FRITEXT = ("Vad har hänt (handläggare)", "Bakomliggande orsaker (handläggare)")


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_listan_och_exporterna_visar_bara_synliga_arenden(persona, fall, klient_for):
    """The list and both exports hold exactly the visible cases; the free-text columns
    are filled only on the rows the user handles (the kvalitetssamordnare and the
    förvaltningschef get them empty)."""
    klient = klient_for(persona)
    if SYNLIGA[persona] is None:
        for url in ("/lexsarah/", "/lexsarah/export.csv", "/lexsarah/export.xlsx"):
            assert klient.get(url).status_code == 403, url
        return
    nummer = {k: ls.nummer for k, ls in fall.items()}
    vantat = {nummer[k] for k in SYNLIGA[persona]}
    hanterade = {nummer[k] for k in HANTERAR_FALL[persona]}

    lista = klient.get("/lexsarah/")
    assert lista.status_code == 200
    assert set(NUMMER.findall(lista.content.decode())) == vantat
    for rader in (
        _csv(klient.get("/lexsarah/export.csv")),
        _xlsx(klient.get("/lexsarah/export.xlsx")),
    ):
        assert {r["Ärendenummer"] for r in rader} == vantat
        for rad in rader:
            fyllda = {bool(rad[k]) for k in FRITEXT}
            assert fyllda == {rad["Ärendenummer"] in hanterade}, (rad["Ärendenummer"], rad)


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_detaljsidan_och_sokningen_foljer_synligheten(persona, fall, klient_for):
    """Whoever sees the case gets its page – whole, or the reporter's page without the
    investigation; the others 404 (the nämnd 403); the search finds visible cases only."""
    klient = klient_for(persona)
    for nyckel, ls in fall.items():
        response = klient.get(ls.get_absolute_url())
        if SYNLIGA[persona] is None:
            assert response.status_code == 403, nyckel
            continue
        synlig = nyckel in SYNLIGA[persona]
        assert response.status_code == (200 if synlig else 404), nyckel
        sok = klient.get("/sok/", {"nummer": ls.nummer.lower()})
        assert sok.headers["Location"] == (ls.get_absolute_url() if synlig else "/"), nyckel
        if not synlig:
            continue
        hela = nyckel in HELA[persona]
        mallar = {t.name for t in response.templates}
        assert ("lexsarah/rapportor.html" in mallar) is not hela, nyckel
        assert ("lexsarah/detalj.html" in mallar) is hela, nyckel


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_diarienumren_hittar_bara_arenden_som_syns_hela(persona, fall, klient_for):
    """IVO's case number and the kommun's diarienummer belong to the handling: the
    header's search (IVO's number) and the list's (both) find a case by them only for
    whoever sees the case whole – not its reporter, who finds their report by its own
    number (above) and may not learn either."""
    dnr = {nyckel: f"3.4.1-{900 + i}/2026" for i, nyckel in enumerate(fall)}
    kommunens = {nyckel: f"SOCN/2026:{100 + i}" for i, nyckel in enumerate(fall)}
    for nyckel, ls in fall.items():
        LexSarah.objects.filter(pk=ls.pk).update(
            ivo_diarienummer=f"IVO {dnr[nyckel]}", diarienummer=kommunens[nyckel]
        )
    klient = klient_for(persona)
    if SYNLIGA[persona] is None:  # the nämnd: no case pages, no search
        assert klient.get("/sok/", {"nummer": dnr["eb"]}).status_code == 403
        return
    for nyckel, ls in fall.items():
        hittas = nyckel in HELA[persona]
        sok = klient.get("/sok/", {"nummer": dnr[nyckel]})
        assert sok.headers["Location"] == (ls.get_absolute_url() if hittas else "/"), nyckel
        for q in (f"ivo {dnr[nyckel]}", kommunens[nyckel]):
            lista = klient.get("/lexsarah/", {"q": q}).content.decode()
            assert set(NUMMER.findall(lista)) == ({ls.nummer} if hittas else set()), (nyckel, q)


# Texts of the investigation, the bedömning, the tjänsteskrivelse, IVO and the immediate
# actions that `skapa` writes: none may reach the reporter's page.
UTREDNINGENS_TEXTER = (
    "Ungdomen är placerad i ett familjehem sedan 2025.",  # bakgrund
    "Journalen; samtal med handläggaren och enhetschefen.",  # metod
    "Adressen hämtades ur ett inaktuellt adressregister.",  # orsaker
    "Beslutet hämtades tillbaka samma dag.",  # vidtagna åtgärder
    "Familjehemmet ringde.",  # händelseförloppet
    "En påtaglig risk för missförhållande: rutinen brast.",  # bedömningen
    "Påtaglig risk för missförhållande",  # klassningen
    "Ett beslut om ungdomen skickades till en gammal adress.",  # tjänsteskrivelsen
    "Nämnden lägger utredningen till handlingarna.",  # förslag till beslut
    "3.4.1-1111/2026",  # IVO:s diarienummer
    "Beslutet hämtades tillbaka från mottagaren.",  # omedelbara åtgärder
    "Telefonsamtal med familjehemmet.",
    "Ett beslut skickades till fel adress; rutinen är ändrad.",  # sammanfattningen
)


def test_rapportoren_ser_status_sin_rapport_och_aterkopplingen(lss, klient_for):
    satt_status(lss.ls, "avslutad", aterkoppling="Tack! Rutinen för utskick är ändrad.")
    response = klient_for("medarbetare").get(lss.ls.get_absolute_url())
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "lexsarah/rapportor.html"
    html = response.content.decode()
    assert "Avslutad" in html
    assert BESKRIVNING in html  # their own rapport
    assert "Tack! Rutinen för utskick är ändrad." in html
    for text in UTREDNINGENS_TEXTER:
        assert text not in html, text
    # The same texts are on the whole page (so their absence above means something).
    hela = klient_for("enhetschef").get(lss.ls.get_absolute_url()).content.decode()
    for text in UTREDNINGENS_TEXTER:
        assert text in hela, text


def test_atgardsansvarig_ser_bara_status_och_sina_atgarder(lss, klient_for):
    """The owner of an action of the action plan sees the case's status and their
    action, not the investigation, nor the rapport they did not write."""
    from tests.factories import AtgardFactory

    AtgardFactory(arende=lss.ls, ansvarig=lss.personas["medarbetare_annan"], titel="Ny rutin")
    response = klient_for("medarbetare_annan").get(lss.ls.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ny rutin" in html
    assert BESKRIVNING not in html
    for text in UTREDNINGENS_TEXTER:
        assert text not in html, text


@pytest.mark.parametrize("persona", ["medarbetare", "medarbetare_annan"])
def test_listan_och_exporten_visar_inte_klassningen_for_den_som_inte_ser_hela(
    persona, lss, klient_for
):
    """The reporter and an action's owner see the status and the feedback only: the list
    and the exports do not give them the classification, the decision or IVO's outcome
    either."""
    from tests.factories import AtgardFactory

    AtgardFactory(arende=lss.ls, ansvarig=lss.personas["medarbetare_annan"])
    satt_status(lss.ls, "beslutad")
    klient = klient_for(persona)
    lista = klient.get("/lexsarah/").content.decode()
    rad = re.search(rf">{lss.ls.nummer}</a>.*?</tr>", lista, re.S).group(0)
    assert "Påtaglig risk för missförhållande" not in rad
    for rader in (
        _csv(klient.get("/lexsarah/export.csv")),
        _xlsx(klient.get("/lexsarah/export.xlsx")),
    ):
        (rad,) = [r for r in rader if r["Ärendenummer"] == lss.ls.nummer]
        for kolumn in ("Klassning", "Diarienummer", "IVO:s diarienummer", "IVO:s utfall"):
            assert not rad[kolumn], (kolumn, rad[kolumn])


def test_utredaren_ser_bara_arenden_hen_utreder(lss, klient_for):
    """The utredare sees no lex Sarah case but those given to them; once another is
    given the case, it is gone from their list."""
    klient = klient_for("utredare")
    assert set(NUMMER.findall(klient.get("/lexsarah/").content.decode())) == {
        lss.ls.nummer,
        lss.annan.nummer,
        lss.beslutat.nummer,
    }
    LexSarah.objects.filter(pk=lss.ls.pk).update(handlaggare=lss.personas["medarbetare"])
    assert klient.get(lss.ls.get_absolute_url()).status_code == 404
    assert lss.ls.nummer not in klient.get("/lexsarah/").content.decode()


def test_registratorn_ser_diariet_men_inga_arenden(lss, klient_for):
    klient = klient_for("registrator")
    diarium = klient.get("/lexsarah/diarium/").content.decode()
    for ls in (lss.ls, lss.annan, lss.beslutat):
        assert ls.nummer in diarium
        assert klient.get(ls.get_absolute_url()).status_code == 404
    assert "SOCN/2026:25" in diarium  # the decided case's diarienummer
    # Metadata only: no text of the cases.
    assert BESKRIVNING not in diarium
    assert "Påtaglig risk" not in diarium
    assert NUMMER.findall(klient.get("/lexsarah/").content.decode()) == []


def test_fran_oppnar_inget_fran_ett_lex_sarah_nummer_eller_en_omarkerad_avvikelse(lss, klient_for):
    klient = klient_for("forvaltningschef")
    antal = LexSarah.objects.count()
    assert klient.post(f"/lexsarah/fran/{lss.ls.nummer}/").status_code == 404
    Avvikelse.objects.filter(pk=lss.avv.pk).update(fc_stallningstagande="inte_allvarlig")
    response = klient.post(f"/lexsarah/fran/{lss.avv.nummer}/")
    assert response.status_code == 302
    assert response.headers["Location"] == lss.avv.get_absolute_url()
    assert LexSarah.objects.count() == antal


# --- The access log (kvalitet.models.Atkomstlogg) ----------------------------------------


def _logg(**villkor):
    from kvalitet.models import Atkomstlogg

    return list(
        Atkomstlogg.objects.filter(**villkor).values_list(
            "anvandare__username", "nummer", "handelse", "object_id", "content_type__model"
        )
    )


def test_detaljsidan_loggas_for_var_och_en_som_ser_den(lss, klient_for):
    """Every view of the case page is logged – the whole page and the reporter's page –
    with who, which case and how; a refused request (404, 403) logs nothing."""
    for persona in ("enhetschef", "medarbetare", "kvalitetssamordnare"):
        assert klient_for(persona).get(lss.ls.get_absolute_url()).status_code == 200
    for persona in ("enhetschef_annan", "registrator", "namnd"):
        assert klient_for(persona).get(lss.ls.get_absolute_url()).status_code in (403, 404)
    assert sorted(_logg()) == sorted(
        (persona, lss.ls.nummer, "visning", lss.ls.pk, "lexsarah")
        for persona in ("enhetschef", "medarbetare", "kvalitetssamordnare")
    )


def test_nedladdad_bilaga_loggas(lss, klient_for):
    bilaga = Attachment.store(
        lss.ls,
        fil("anmalan.pdf", pdf_bytes(), "application/pdf"),
        "application/pdf",
        lss.personas["enhetschef"],
    )
    response = klient_for("utredare").get(f"/bilagor/{bilaga.pk}/")
    assert response.status_code == 200
    assert _logg() == [("utredare", lss.ls.nummer, "nedladdning", lss.ls.pk, "lexsarah")]
    from kvalitet.models import Atkomstlogg

    assert Atkomstlogg.objects.get().detalj == "anmalan.pdf"
    # Someone who does not see the case gets no file, and nothing is logged.
    assert klient_for("enhetschef_annan").get(f"/bilagor/{bilaga.pk}/").status_code == 404
    assert len(_logg()) == 1


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_exporten_loggar_varje_exporterat_arende(format, lss, klient_for):
    """An export logs each case in it (and only those): the enhetschef of Ekonomiskt
    bistånd exports its two cases, not the one of Kollektivet HVB."""
    response = klient_for("enhetschef").get(f"/lexsarah/export.{format}", {"status": ""})
    assert response.status_code == 200
    b"".join(response.streaming_content)  # the rows (and the log) are written as streamed
    assert sorted(_logg()) == sorted(
        ("enhetschef", ls.nummer, "export", ls.pk, "lexsarah") for ls in (lss.ls, lss.beslutat)
    )
    from kvalitet.models import Atkomstlogg

    assert {r.detalj.split()[0] for r in Atkomstlogg.objects.all()} == {format.upper()}


def test_hamtat_dokument_loggas(lss, klient_for):
    response = klient_for("avdelningschef").get(
        f"/lexsarah/{lss.beslutat.nummer}/dokument/utredning.pdf"
    )
    assert response.status_code == 200
    assert _logg() == [
        ("avdelningschef", lss.beslutat.nummer, "dokument", lss.beslutat.pk, "lexsarah")
    ]


def test_avvikelser_loggas_inte(lss, klient_for):
    """Only the types that log reads (`LOGGA_LASNING`) write the log: an avvikelse's
    page, export and attachment do not."""
    bilaga = Attachment.store(
        lss.avv, fil("underlag.pdf", pdf_bytes(), "application/pdf"), "application/pdf", None
    )
    klient = klient_for("enhetschef")
    assert klient.get(lss.avv.get_absolute_url()).status_code == 200
    assert klient.get(f"/bilagor/{bilaga.pk}/").status_code == 200
    for url in ("/avvikelser/export.csv", "/avvikelser/export.xlsx"):
        response = klient.get(url)
        assert response.status_code == 200
        b"".join(response.streaming_content)
    assert _logg() == []


def test_loggsidan_visar_atkomsterna_och_filtrerar_pa_nummer(lss, klient_for):
    klient_for("enhetschef").get(lss.ls.get_absolute_url())
    klient_for("forvaltningschef").get(lss.beslutat.get_absolute_url())
    klient = klient_for("kvalitetssamordnare")
    html = klient.get("/lexsarah/atkomstlogg/").content.decode()
    rader = re.findall(r"<tr><td>.*?</tr>", html)
    assert len(rader) == 2
    assert any(lss.ls.nummer in r and "Enhetschef" in r and "Visade ärendet" in r for r in rader)
    assert any(lss.beslutat.nummer in r and "Forvaltningschef" in r for r in rader)
    html = klient.get("/lexsarah/atkomstlogg/", {"nummer": lss.ls.nummer.lower()}).content.decode()
    rader = re.findall(r"<tr><td>.*?</tr>", html)
    assert len(rader) == 1 and lss.ls.nummer in rader[0]
    # Reading the log is not itself a reading of a case.
    assert len(_logg()) == 2
    assert klient_for("forvaltningschef").get("/lexsarah/atkomstlogg/").status_code == 403


def test_sidan_som_visas_igen_efter_ett_nekat_steg_loggas(lss, klient_for):
    """A step refused for its input shows the whole case page again (400): that is a
    view of the case too, and is logged."""
    satt_status(lss.ls, "under_utredning")
    response = klient_for("utredare").post(
        f"/lexsarah/{lss.ls.nummer}/utredning/", {"handelseforlopp": "igår hände något"}
    )
    assert response.status_code == 400
    assert lss.ls.bakgrund in response.content.decode()
    assert _logg() == [("utredare", lss.ls.nummer, "visning", lss.ls.pk, "lexsarah")]


def test_rapportoren_hamtar_sin_egen_bilaga_men_inga_andra(lss, klient_for):
    """Files are part of the whole case: the reporter downloads the file they attached
    to their rapport, not the ones added in the investigation (not even by number)."""
    egen = Attachment.store(
        lss.ls,
        fil("foto.pdf", pdf_bytes(), "application/pdf"),
        "application/pdf",
        lss.personas["medarbetare"],
    )
    utredningens = Attachment.store(
        lss.ls,
        fil("anmalan-ivo.pdf", pdf_bytes(), "application/pdf"),
        "application/pdf",
        lss.personas["forvaltningschef"],
    )
    klient = klient_for("medarbetare")
    assert klient.get(f"/bilagor/{egen.pk}/").status_code == 200
    assert klient.get(f"/bilagor/{utredningens.pk}/").status_code == 404
    assert "anmalan-ivo.pdf" not in klient.get(lss.ls.get_absolute_url()).content.decode()
    assert klient_for("enhetschef").get(f"/bilagor/{utredningens.pk}/").status_code == 200


def test_utredaren_vars_uppdrag_upphort_ser_inte_arendet(lss, klient_for):
    """Being the utredare opens the case only while the utredare assignment holds."""
    from kvalitet.models import Uppdrag

    klient = klient_for("utredare")
    assert klient.get(lss.ls.get_absolute_url()).status_code == 200
    Uppdrag.objects.filter(anvandare=lss.personas["utredare"]).update(
        giltig_till=timezone.localdate() - timedelta(days=1)
    )
    assert klient.get(lss.ls.get_absolute_url()).status_code == 404
    satt_status(lss.ls, "under_utredning")
    fore = LexSarah.objects.filter(pk=lss.ls.pk).values().get()
    response = klient.post(f"/lexsarah/{lss.ls.nummer}/utredning/", LEX_SARAH.data["utred"](lss))
    assert response.status_code == 404
    assert LexSarah.objects.filter(pk=lss.ls.pk).values().get() == fore


def test_namndens_hamtade_dokument_loggas(lss, klient_for):
    response = klient_for("namnd").get(
        f"/lexsarah/namnden/{lss.beslutat.nummer}/tjansteskrivelse.pdf"
    )
    assert response.status_code == 200
    assert _logg() == [("namnd", lss.beslutat.nummer, "dokument", lss.beslutat.pk, "lexsarah")]
    # The nämnd's list shows the decided case, never the undecided ones.
    lista = klient_for("namnd").get("/lexsarah/namnden/").content.decode()
    assert lss.beslutat.nummer in lista
    assert lss.ls.nummer not in lista


@pytest.mark.parametrize(
    "filtret",
    [
        {"q": "inaktuellt adressregister"},  # words of the orsaker only
        {"q": "rutinen brast"},  # words of the bedömning only
        {"klassning": "pataglig_risk_for_missforhallande"},
        {"anmald": "true"},
    ],
    ids=["orsaker", "bedomning", "klassning", "anmald"],
)
def test_rapportoren_kan_inte_soka_fram_det_hen_inte_ser(filtret, lss, klient_for):
    """The list's search and filters do not let the reporter test what the investigation
    says: a filter on what they do not see does not find their case (while it does for
    the enhetschef, so the filter itself works)."""
    assert NUMMER.findall(klient_for("enhetschef").get("/lexsarah/", filtret).content.decode())
    lista = klient_for("medarbetare").get("/lexsarah/", filtret).content.decode()
    assert lss.ls.nummer not in NUMMER.findall(lista)
    export = _csv(klient_for("medarbetare").get("/lexsarah/export.csv", filtret))
    assert lss.ls.nummer not in {r["Ärendenummer"] for r in export}
