"""Permission matrix over every URL of the processes × every persona, and who sees which
process in the list and its exports (processer/behorighet.py, docs/behorighet.md).

The rules: the kvalitetssamordnare and the förvaltningschef see and work on every
process (`ROLLER_HANTERAR_ALLT`) and alone add processes to the map; the enhetschef and
the avdelningschef see and work on their units' processes (and the units below), and
read those run from the units above (`SER_OVERORDNADE`); the processägare sees and
works on the process while they are staff on its unit's line; the owners of its
improvement actions see it (and comment and attach files). The nämnd is refused every
process page (403): it reads the figures in the kvalitetsberättelse. Not visible → 404;
visible but not allowed → 403; anonymous → login. A refused request changes nothing.
"""

import csv
import io
import re
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import openpyxl
import pytest
from django.utils import timezone

from kvalitet.models import Atgard, Attachment, CaseLink, TimelineEntry, Uppdrag
from kvalitet.workflow import steps_of
from processer.choices import Riktning, Status
from processer.models import Nyckeltal, Nyckeltalsvarde, Process, Processhandelse
from tests.conftest import PERSONAS
from tests.factories import AtgardFactory
from tests.processer.hjalp import nyckeltal, process
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

# Outcomes beyond tests.stod.KODER.
NY = "NY"  # 302 to a process the request added
KODER = {NY: Kod(skapad("/processer/PROC-"), utford=True)}

IDAG = timezone.localdate


@pytest.fixture
def scen(org, personas):
    """The world of the matrix:

    - `s.process`: a process of Ekonomiskt bistånd (under Myndighetsavdelningen), owned
      by `medarbetare` (the processägare), led by the kvalitetssamordnare, with the key
      figure `s.n` and its target and result for last year;
    - `s.process2`: another process of Ekonomiskt bistånd with the same owner (a link
      target);
    - `s.annan`: a process of Kollektivet HVB (Öppenvårdsavdelningen).
    """
    s = SimpleNamespace(org=org, personas=personas)
    forra = IDAG().year - 1
    s.process = process(
        org["EB"],
        namn="Ekonomiskt bistånd",
        handlaggare=personas["medarbetare"],
        processledare=personas["kvalitetssamordnare"],
        syfte="Att hushåll får sin ansökan prövad snabbt och rättssäkert.",
    )
    s.n = nyckeltal(
        s.process,
        "Dagar till beslut",
        matt="dagar",
        riktning=Riktning.LAGRE,
        varden={forra: (10, 12)},
    )
    s.process2 = process(org["EB"], namn="Budget- och skuldrådgivning",
                         handlaggare=personas["medarbetare"])  # fmt: skip
    s.annan = process(org["KOLL"], namn="Vård på HVB")
    return s


def _process(s):
    return Process.objects.get(pk=s.process.pk)


def _avvecklad(s):
    Process.objects.filter(pk=s.process.pk).update(
        status=Status.AVVECKLAD, avvecklad=IDAG(), avvecklad_skal="Sammanslagen"
    )


def _lankad(s):
    """A link as the "lankar" row makes it; its pk, since every cell is rolled back."""
    s.lank = s.process.link(s.process2, CaseLink.Typ.LIKNANDE, av=s.personas["enhetschef"]).pk


def _ny_process(s):
    return {
        "enhet": s.org["EB"].pk,
        "namn": "Budgetrådgivning",
        "typ": "karnprocess",
        "syfte": "Att hushåll med skulder får råd i tid.",
        "mal": "Första samtal inom två veckor",
        "handlaggare": s.personas["enhetschef"].pk,
        "processledare": s.personas["utredare"].pk,
        "inrattad": IDAG().isoformat(),
    }


# Who works on the process: its processägare, its unit's chefs, those who see all. With
# no reporter, those involved (comments, files) are the same people.
ARBETAR = arendesida(medarbetare=OK, chefer=OK, ser_allt=OK)

STEG = {
    "andra": (
        None,
        lambda s: {
            "namn": "Ekonomiskt bistånd till hushåll",
            "typ": "karnprocess",
            "syfte": s.process.syfte,
            "mal": "Beslut inom tio dagar",
            "handlaggare": s.personas["medarbetare"].pk,
            "processledare": s.personas["kvalitetssamordnare"].pk,
            "inrattad": "2024-01-01",
        },
        lambda s, user: _process(s).namn == "Ekonomiskt bistånd till hushåll",
    ),
    "nytt_nyckeltal": (
        None,
        lambda s: {
            "namn": "Andel beslut inom tio dagar",
            "definition": "Beslut inom tio dagar, delat med alla beslut under året.",
            "matt": "%",
            "riktning": "hogre",
        },
        lambda s, user: Nyckeltal.objects.filter(
            process=s.process, namn="Andel beslut inom tio dagar"
        ).exists(),
    ),
    "andra_nyckeltal": (
        None,
        lambda s: {
            "nyckeltal": s.n.pk,
            "namn": "Dagar från ansökan till beslut",
            "definition": "Medianen av kalenderdagar.",
            "matt": "dagar",
            "riktning": "lagre",
            "aktivt": "ja",
        },
        lambda s, user: Nyckeltal.objects.get(pk=s.n.pk).namn == "Dagar från ansökan till beslut",
    ),
    "registrera_varde": (
        None,
        lambda s: {
            "nyckeltal": s.n.pk,
            "ar": IDAG().year,
            "malvarde": "9",
            "utfall": "",
            "kommentar": "",
        },
        lambda s, user: Nyckeltalsvarde.objects.filter(
            nyckeltal=s.n, ar=IDAG().year, malvarde=Decimal(9), registrerad_av=user
        ).exists(),
    ),
    "registrera_handelse": (
        None,
        lambda s: {
            "datum": IDAG().isoformat(),
            "typ": "reviderad",
            "dokument": "Rutin för ekonomiskt bistånd",
            "beskrivning": "Nya normbelopp.",
        },
        lambda s, user: Processhandelse.objects.filter(
            process=s.process, registrerad_av=user, dokument="Rutin för ekonomiskt bistånd"
        ).exists(),
    ),
    "avveckla": (
        None,
        lambda s: {"datum": IDAG().isoformat(), "kommentar": "Ingår i Myndighetsutövning."},
        lambda s, user: _process(s).status == Status.AVVECKLAD,
    ),
    "ateruppta": (
        _avvecklad,
        lambda s: {},
        lambda s, user: _process(s).status == Status.AKTIV,
    ),
}


def _stegrader():
    rader = []
    for t in steps_of(Process):
        forbered, data, gjort = STEG[t.name]
        rader.append(
            Rad(
                f"steg-{t.slug}",
                "POST",
                f"/processer/{{nr}}/{t.slug}/",
                ARBETAR,
                forbered=forbered,
                data=data,
                gjort=gjort,
            )
        )
    return rader


RADER = [
    # The process map: everyone logged in but the nämnd reaches the list, which shows what
    # they see (nothing, for most).
    Rad("lista", "GET", "/processer/", Utfall(200, anonym=L, namnd=403), innehall="Processer"),
    Rad(
        "export-csv",
        "GET",
        "/processer/export.csv",
        Utfall(200, anonym=L, namnd=403),
        innehall="Nummer;Process;Typ",
    ),
    Rad("export-xlsx", "GET", "/processer/export.xlsx", Utfall(200, anonym=L, namnd=403)),
    Rad("ny-get", "GET", "/processer/ny/", Utfall(403, anonym=L, ser_allt=200)),
    Rad(
        "ny-post",
        "POST",
        "/processer/ny/",
        Utfall(403, anonym=L, ser_allt=NY),
        data=_ny_process,
        gjort=lambda s, user: Process.objects.filter(
            skapad_av=user, namn="Budgetrådgivning", handlaggare=s.personas["enhetschef"]
        ).exists(),
    ),
    Rad(
        "detalj",
        "GET",
        "/processer/{nr}/",
        arendesida(medarbetare=200, chefer=200, ser_allt=200),
        innehall="Att hushåll får sin ansökan prövad snabbt och rättssäkert.",
    ),
    Rad(
        "kommentar",
        "POST",
        "/processer/{nr}/kommentar/",
        ARBETAR,
        data=lambda s: {"text": "Normbeloppen ändras i januari."},
        gjort=lambda s, user: TimelineEntry.objects.filter(
            typ="kommentar", text="Normbeloppen ändras i januari.", anvandare=user
        ).exists(),
    ),
    Rad(
        "bilagor",
        "POST",
        "/processer/{nr}/bilagor/",
        ARBETAR,
        data=lambda s: {"fil": fil("processkarta.pdf", pdf_bytes(), "application/pdf")},
        gjort=lambda s, user: Attachment.objects.filter(
            filnamn="processkarta.pdf", uppladdad_av=user, object_id=s.process.pk
        ).exists(),
    ),
    Rad(
        "atgarder",
        "POST",
        "/processer/{nr}/atgarder/",
        ARBETAR,
        data=lambda s: {
            "titel": "Checklista för komplett ansökan",
            "typ": "rutin",
            "ansvarig": s.personas["enhetschef"].pk,
            "forfallodatum": (IDAG() + timedelta(days=30)).isoformat(),
        },
        gjort=lambda s, user: Atgard.objects.filter(
            titel="Checklista för komplett ansökan", skapad_av=user, object_id=s.process.pk
        ).exists(),
    ),
    Rad(
        "lankar",
        "POST",
        "/processer/{nr}/lankar/",
        ARBETAR,
        data=lambda s: {"nummer": s.process2.nummer, "kommentar": "Samma sökande."},
        gjort=lambda s, user: CaseLink.objects.filter(
            fran_id=s.process.pk, till_id=s.process2.pk, skapad_av=user
        ).exists(),
    ),
    Rad(
        "lank-ta-bort",
        "POST",
        lambda s: f"/processer/{s.process.nummer}/lankar/{s.lank}/ta-bort/",
        ARBETAR,
        forbered=_lankad,
        gjort=lambda s, user: not CaseLink.objects.filter(pk=s.lank).exists(),
    ),
    *_stegrader(),
]


def _url(rad):
    if callable(rad.url):
        return rad.url
    return lambda s: rad.url.format(nr=s.process.nummer)


@pytest.mark.parametrize("rad", rader_param(RADER))
def test_matris(rad, scen, klient_for):
    kor_rad(
        rad,
        scen,
        klient_for,
        url=_url(rad),
        arende_url=lambda s, user: s.process.get_absolute_url(),
        koder=KODER,
    )


def test_varje_steg_har_en_rad():
    assert set(STEG) == {t.name for t in steps_of(Process)}
    namn = {r.namn for r in RADER}
    assert {f"steg-{t.slug}" for t in steps_of(Process)} <= namn
    assert {"steg-varde", "steg-avveckla", "steg-ateruppta", "steg-andra-nyckeltal"} <= namn


def test_annan_enhet_far_404_inte_403(scen, klient_for):
    """The process exists, but for a chef of another avdelning it does not: 404 on its
    page and every action, never 403 (which would tell it exists)."""
    klient = klient_for("enhetschef_annan")
    nr = scen.process.nummer
    lank = scen.process.link(
        scen.process2, CaseLink.Typ.LIKNANDE, av=scen.personas["enhetschef"]
    ).pk
    assert klient.get(f"/processer/{nr}/").status_code == 404
    slugs = [t.slug for t in steps_of(Process)]
    for slug in (*slugs, "kommentar", "bilagor", "atgarder", "lankar", f"lankar/{lank}/ta-bort"):
        assert klient.post(f"/processer/{nr}/{slug}/", {}).status_code == 404, slug
    assert klient.get(f"/processer/{scen.annan.nummer}/").status_code == 200


def test_agaren_ser_inte_processen_nar_uppdraget_upphort(scen, klient_for):
    """The processägare sees and works on the process while staff; with the assignment
    ended, no longer (404)."""
    klient = klient_for("medarbetare")
    assert klient.get(scen.process.get_absolute_url()).status_code == 200
    Uppdrag.objects.filter(anvandare=scen.personas["medarbetare"]).update(
        giltig_till=IDAG() - timedelta(days=1)
    )
    assert klient.get(scen.process.get_absolute_url()).status_code == 404


def test_stegen_visas_bara_for_dem_som_far_ta_dem(scen, klient_for):
    """The step forms are on the page for those who work on the process; the action
    owner, who sees it, gets none of them."""
    AtgardFactory(arende=scen.annan, ansvarig=scen.personas["medarbetare"], titel="Ny rutin")
    agaren = klient_for("medarbetare").get(scen.process.get_absolute_url()).content.decode()
    assert f"/processer/{scen.process.nummer}/varde/" in agaren
    sidan = klient_for("medarbetare").get(scen.annan.get_absolute_url()).content.decode()
    for t in steps_of(Process):
        assert f"/processer/{scen.annan.nummer}/{t.slug}/" not in sidan, t.slug


def test_chefen_laser_processen_ovanfor_men_arbetar_inte_pa_den(scen, org, klient_for):
    """A chef reads the processes run from the units above theirs (`SER_OVERORDNADE`):
    the page, with no step form, no comment, file, action or link; every one refused
    (403) and nothing changed. The unit filter offers those units."""
    ovan = process(org["MYN"], namn="Myndighetsutövning")
    klient = klient_for("enhetschef")
    sida = klient.get(ovan.get_absolute_url())
    assert sida.status_code == 200
    html = sida.content.decode()
    slugs = [t.slug for t in steps_of(Process)]
    for slug in (*slugs, "kommentar", "bilagor", "atgarder", "lankar"):
        assert f'action="/processer/{ovan.nummer}/{slug}/"' not in html, slug
        assert klient.post(f"/processer/{ovan.nummer}/{slug}/", {}).status_code == 403, slug
    assert Process.objects.get(pk=ovan.pk).namn == "Myndighetsutövning"
    assert not TimelineEntry.objects.filter(object_id=ovan.pk, typ="kommentar").exists()
    lista = klient.get("/processer/").content.decode()
    assert f'value="{org["MYN"].pk}"' in lista and f'value="{org["OPPEN"].pk}"' not in lista
    filtrerad = klient.get(f"/processer/?enhet={org['MYN'].pk}").content.decode()
    assert ovan.nummer in filtrerad


def test_menyn_visar_processer_for_dem_som_ser_dem_genom_sin_roll(personas, klient_for):
    for persona, synlig in [
        ("kvalitetssamordnare", True),
        ("forvaltningschef", True),
        ("enhetschef", True),
        ("avdelningschef", True),
        ("medarbetare", False),
        ("namnd", False),
    ]:
        sida = klient_for(persona).get("/", follow=True).content.decode()
        assert ('href="/processer/"' in sida) is synlig, persona


# --- Who sees which process: list, exports, detail --------------------------------------

NUMMER = re.compile(r'href="/processer/(PROC-\d{4}-\d{4})/"')


@pytest.fixture
def processer(org, personas):
    """One process per situation; the key names it in SYNLIGA below."""
    p = {
        "eb": process(org["EB"], namn="eb"),
        "team": process(org["TEAM"], namn="team"),
        "buv": process(org["BUV"], namn="buv"),
        "koll": process(org["KOLL"], namn="koll"),
        # The förvaltning's own, with no owner: those who see all, and the chefs below it
        # to read (`SER_OVERORDNADE`).
        "soc": process(org["SOC"], namn="soc"),
        # Myndighetsavdelningen's: its chefs, and the chefs of its units to read; not the
        # chefs of another avdelning.
        "myn": process(org["MYN"], namn="myn"),
        # The förvaltning's, owned by a medarbetare of Kollektivet HVB (on its line).
        "soc_agd": process(org["SOC"], namn="soc2", handlaggare=personas["medarbetare_annan"]),
        # Staben's, owned by the registrator.
        "stab_agd": process(org["STAB"], namn="stab", handlaggare=personas["registrator"]),
        # Discontinued, of Ekonomiskt bistånd: still in the map, marked.
        "eb_avvecklad": process(org["EB"], namn="eb2", status=Status.AVVECKLAD),
        # An action on it owned by medarbetare: they see it through the action.
        "koll_atgard": process(org["KOLL"], namn="koll2"),
    }
    AtgardFactory(arende=p["koll_atgard"], ansvarig=personas["medarbetare"], titel="Ny rutin")
    return p


ALLA = {
    *("eb", "team", "buv", "koll", "soc", "myn", "soc_agd", "stab_agd", "eb_avvecklad"),
    "koll_atgard",
}
SYNLIGA = Utfall(
    medarbetare={"koll_atgard"},
    medarbetare_annan={"soc_agd"},
    enhetschef={"eb", "team", "eb_avvecklad", "myn", "soc", "soc_agd"},
    enhetschef_annan={"koll", "koll_atgard", "soc", "soc_agd"},
    avdelningschef={"eb", "team", "buv", "eb_avvecklad", "myn", "soc", "soc_agd"},
    avdelningschef_annan={"koll", "koll_atgard", "soc", "soc_agd"},
    utredare=set(),
    registrator={"stab_agd"},
    kvalitetssamordnare=ALLA,
    forvaltningschef=ALLA,
    namnd=None,  # refused every process page (403)
    admin=set(),
    utan_roll=set(),
)


def test_tabellen_tacker_alla_personas():
    assert [p for p in PERSONAS if p not in SYNLIGA] == []


def _csv(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rader = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rader[0][:3] == ["Nummer", "Process", "Typ"]
    return {r[0] for r in rader[1:]}


def _xlsx(response):
    bok = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rader = list(bok.active.iter_rows(values_only=True))
    assert rader[0][:3] == ("Nummer", "Process", "Typ")
    return {r[0] for r in rader[1:]}


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_listan_exporterna_och_sidan_visar_bara_synliga_processer(persona, processer, klient_for):
    """The list, both exports and the process's page show exactly the visible processes;
    the others are 404."""
    klient = klient_for(persona)
    if SYNLIGA[persona] is None:
        for url in ("/processer/", "/processer/export.csv", "/processer/export.xlsx"):
            assert klient.get(url).status_code == 403, url
        for p in processer.values():
            assert klient.get(p.get_absolute_url()).status_code == 403
        return
    vantat = {processer[k].nummer for k in SYNLIGA[persona]}
    lista = klient.get("/processer/")
    assert lista.status_code == 200
    assert set(NUMMER.findall(lista.content.decode())) == vantat
    assert _csv(klient.get("/processer/export.csv")) == vantat
    assert _xlsx(klient.get("/processer/export.xlsx")) == vantat
    for nyckel, p in processer.items():
        svar = klient.get(p.get_absolute_url())
        assert svar.status_code == (200 if nyckel in SYNLIGA[persona] else 404), nyckel
