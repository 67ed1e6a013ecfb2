"""Permission matrix over every URL of the avvikelse case type × every persona.

Not visible → 404; visible but not allowed to act → 403; anonymous → login; allowed →
200, or 302 back to the case with the change made. A refused request changes nothing.
Which cases each persona sees is checked on the list page, the exports and the detail
pages.
"""

import csv
import io
import re
from datetime import timedelta

import openpyxl
import pytest
from django.utils import timezone

from avvikelser.models import Avvikelse
from kvalitet import behorighet
from kvalitet.models import Atgard, Attachment, CaseLink, Roll, TimelineEntry
from tests.conftest import PERSONAS, logga_in_helt
from tests.factories import AtgardFactory, AvvikelseFactory, UppdragFactory, UserFactory
from tests.stod import (
    OK,
    L,
    Rad,
    Utfall,
    arendesida,
    fil,
    hamta_html,
    kor_rad,
    pdf_bytes,
    rader_param,
    satt_status,
)

pytestmark = pytest.mark.django_db

# Case numbers linked from a page (the search box's placeholder is an example number).
NUMMER = re.compile(r'href="/avvikelser/(AVV-\d{4}-\d{4})/"')


def _utredd(s):
    satt_status(s.avv, "under_utredning", kategori=s.kategori, analys="Rutinen var otydlig.")


def _avslutad(s):
    satt_status(s.avv, "avslutad", kategori=s.kategori, analys="Rutinen var otydlig.")


def _ny_rapport(s):
    return {
        "typ": "avvikelse",
        "enhet": s.org["EB"].pk,
        "handelsedatum": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "beror_enskild": "True",
        "beskrivning": "Ett beslut skickades till fel adress.",
    }


def _team_fallet_tidigare(s):
    Avvikelse.objects.filter(pk=s.team_fall.pk).update(
        rapporterad=s.avv.rapporterad - timedelta(days=1)
    )


def _lankad(s):
    # The pk, not the link: every cell refreshes the scenario's records after a rollback.
    s.lank = s.avv.link(s.team_fall, CaseLink.Typ.LIKNANDE, av=s.personas["enhetschef"]).pk


def _status(s):
    s.avv.refresh_from_db()
    return s.avv.status


# Outcomes per persona: tests.stod.Utfall (a default, then the exceptions; `chefer` and
# `ser_allt` are groups of tests/conftest.py) and `arendesida` (a case's page: login,
# 403 for the nämnd, 404 for whoever does not see the case, unless said otherwise).
#
# The case is `avvikelse`: unit Ekonomiskt bistånd (under Myndighetsavdelningen),
# reported by `medarbetare`.
RADER = [
    Rad(
        "lista",
        "GET",
        "/avvikelser/",
        Utfall(200, anonym=L, namnd=403),
        innehall="<h1>Avvikelser</h1>",
    ),
    Rad(
        "ny-get",
        "GET",
        "/avvikelser/ny/",
        Utfall(200, anonym=L, namnd=403, admin=403, utan_roll=403),
        innehall="Skicka rapporten",
    ),
    # The report is for Ekonomiskt bistånd: only those who work there or above may file it;
    # for the others the unit is not among the choices (400 with the form's message).
    Rad(
        "ny-post",
        "POST",
        "/avvikelser/ny/",
        Utfall(
            400,
            anonym=L,
            medarbetare=OK,
            chefer=OK,
            ser_allt=OK,
            namnd=403,
            admin=403,
            utan_roll=403,
        ),
        data=_ny_rapport,
        gjort=lambda s, user: Avvikelse.objects.filter(
            rapporterad_av=user, beskrivning="Ett beslut skickades till fel adress."
        ).exists(),
        innehall="Välj ett giltigt alternativ. Det valet finns inte bland tillgängliga",
    ),
    Rad(
        "export-csv",
        "GET",
        "/avvikelser/export.csv",
        Utfall(200, anonym=L, namnd=403),
        innehall="Ärendenummer;Typ;Status",
    ),
    Rad("export-xlsx", "GET", "/avvikelser/export.xlsx", Utfall(200, anonym=L, namnd=403)),
    Rad(
        "detalj",
        "GET",
        "/avvikelser/{nr}/",
        arendesida(medarbetare=200, chefer=200, ser_allt=200),
        innehall="Beslut skickades till en gammal adress.",
    ),
    Rad(
        "starta-utredning",
        "POST",
        "/avvikelser/{nr}/starta-utredning/",
        arendesida(medarbetare=403, chefer=OK, ser_allt=403),
        gjort=lambda s, user: _status(s) == "under_utredning" and s.avv.handlaggare == user,
    ),
    Rad(
        "avsluta",
        "POST",
        "/avvikelser/{nr}/avsluta/",
        arendesida(medarbetare=403, chefer=OK, ser_allt=403),
        forbered=_utredd,
        data=lambda s: {"aterkoppling": "Tack! Rutinen är förtydligad.", "bekraftad": "ja"},
        gjort=lambda s, user: _status(s) == "avslutad",
    ),
    Rad(
        "ateroppna",
        "POST",
        "/avvikelser/{nr}/ateroppna/",
        arendesida(medarbetare=403, chefer=OK, ser_allt=403),
        forbered=_avslutad,
        data=lambda s: {"kommentar": "Ny information har kommit in."},
        gjort=lambda s, user: _status(s) == "under_utredning",
    ),
    Rad(
        "utredning",
        "POST",
        "/avvikelser/{nr}/utredning/",
        arendesida(medarbetare=403, chefer=OK, ser_allt=403),
        data=lambda s: {
            "kategori": s.kategori.pk,
            "orsaksomraden": [s.orsak.pk],
            "analys": "Adressen hämtades ur ett gammalt register.",
            "vidtagna_atgarder": "Rutinen gicks igenom.",
        },
        gjort=lambda s, user: Avvikelse.objects.filter(
            pk=s.avv.pk, analys="Adressen hämtades ur ett gammalt register.", kategori=s.kategori
        ).exists(),
    ),
    Rad(
        "tilldela",
        "POST",
        "/avvikelser/{nr}/tilldela/",
        arendesida(medarbetare=403, chefer=OK, ser_allt=403),
        data=lambda s: {"handlaggare": s.personas["utredare"].pk},
        gjort=lambda s, user: Avvikelse.objects.filter(
            pk=s.avv.pk, handlaggare=s.personas["utredare"]
        ).exists(),
    ),
    # The team's earlier case is suggested (the same words, in the avdelning, seen by
    # every chef of the unit); whoever may not investigate is refused before the
    # suggestions.
    Rad(
        "liknande",
        "POST",
        "/avvikelser/{nr}/liknande/",
        arendesida(medarbetare=403, chefer=OK, ser_allt=403),
        forbered=_team_fallet_tidigare,
        data=lambda s: {"arenden": [s.team_fall.nummer]},
        gjort=lambda s, user: CaseLink.objects.filter(
            fran_id=s.avv.pk, till_id=s.team_fall.pk, typ="liknande", skapad_av=user
        ).exists(),
    ),
    Rad(
        "stallningstagande",
        "POST",
        "/avvikelser/{nr}/stallningstagande/",
        arendesida(medarbetare=403, chefer=403, kvalitetssamordnare=403, forvaltningschef=OK),
        data=lambda s: {
            "stallningstagande": "inte_allvarlig",
            "mottagen": timezone.localdate().isoformat(),
            "kommentar": "",
        },
        gjort=lambda s, user: Avvikelse.objects.filter(
            pk=s.avv.pk, fc_stallningstagande="inte_allvarlig", fc_av=user
        ).exists(),
    ),
    Rad(
        "kommentar",
        "POST",
        "/avvikelser/{nr}/kommentar/",
        arendesida(medarbetare=OK, chefer=OK, ser_allt=403),
        data=lambda s: {"text": "Jag har pratat med handläggaren."},
        gjort=lambda s, user: TimelineEntry.objects.filter(
            typ="kommentar", text="Jag har pratat med handläggaren.", anvandare=user
        ).exists(),
    ),
    Rad(
        "bilagor",
        "POST",
        "/avvikelser/{nr}/bilagor/",
        arendesida(medarbetare=OK, chefer=OK, ser_allt=403),
        data=lambda s: {"fil": fil("beslut.pdf", pdf_bytes(), "application/pdf")},
        gjort=lambda s, user: Attachment.objects.filter(
            filnamn="beslut.pdf", uppladdad_av=user, object_id=s.avv.pk
        ).exists(),
    ),
    Rad(
        "atgarder",
        "POST",
        "/avvikelser/{nr}/atgarder/",
        arendesida(medarbetare=403, chefer=OK, ser_allt=403),
        data=lambda s: {
            "titel": "Informera om adressrutinen",
            "typ": "information",
            "ansvarig": s.personas["medarbetare"].pk,
            "forfallodatum": (timezone.localdate() + timedelta(days=30)).isoformat(),
        },
        gjort=lambda s, user: Atgard.objects.filter(
            titel="Informera om adressrutinen", skapad_av=user, object_id=s.avv.pk
        ).exists(),
    ),
    Rad(
        "lankar",
        "POST",
        "/avvikelser/{nr}/lankar/",
        arendesida(medarbetare=403, chefer=OK, ser_allt=403),
        data=lambda s: {"nummer": s.team_fall.nummer, "kommentar": "Samma adressregister."},
        gjort=lambda s, user: CaseLink.objects.filter(
            fran_id=s.avv.pk, till_id=s.team_fall.pk, skapad_av=user
        ).exists(),
    ),
    # A link made by mistake, taken back by those who may link (and see the other case).
    Rad(
        "lank-ta-bort",
        "POST",
        lambda s: f"/avvikelser/{s.avv.nummer}/lankar/{s.lank}/ta-bort/",
        arendesida(medarbetare=403, chefer=OK, ser_allt=403),
        forbered=_lankad,
        gjort=lambda s, user: not CaseLink.objects.filter(pk=s.lank).exists(),
    ),
]


def _arende_url(rad):
    def url(scen, user):
        if rad.namn == "ny-post" and user is not None:
            # The new report's page; only looked up when one was created.
            nya = Avvikelse.objects.filter(
                rapporterad_av=user, beskrivning="Ett beslut skickades till fel adress."
            )
            return nya[0].get_absolute_url() if nya else None
        return scen.avv.get_absolute_url()

    return url


@pytest.mark.parametrize("rad", rader_param(RADER))
def test_matris(rad, scen, klient_for):
    kor_rad(
        rad,
        scen,
        klient_for,
        url=lambda s: rad.url(s) if callable(rad.url) else rad.url.format(nr=s.avv.nummer),
        arende_url=_arende_url(rad),
    )


# That every step's and shared action's address takes POST only (405 to a GET) is checked
# for every case type by tests/arendetyp.py (tests/avvikelser/test_konformitet.py).


def test_rapportformularet_nekas_utan_rapporterande_roll(scen, klient_for):
    response = klient_for("namnd").get("/avvikelser/ny/")
    assert response.status_code == 403
    assert "Du har ingen roll som rapporterar avvikelser." in response.content.decode()


# --- Who sees which case: list, exports, detail ------------------------------------------


@pytest.fixture
def fall(org, personas):
    """One case per situation; the key names the case in SYNLIGA below."""
    kollega = UserFactory(username="kollega")
    UppdragFactory(anvandare=kollega, roll=Roll.MEDARBETARE, enhet=org["TEAM"])
    bistand = UserFactory(username="handlaggare_buv")
    UppdragFactory(anvandare=bistand, roll=Roll.MEDARBETARE, enhet=org["BUV"])

    def ny(enhet, av, **kw):
        return AvvikelseFactory(enhet=org[enhet], rapporterad_av=av, skapad_av=av, **kw)

    return {
        "eb": ny("EB", personas["medarbetare"]),
        "team": ny("TEAM", kollega),
        "buv": ny("BUV", bistand),
        "koll": ny("KOLL", personas["medarbetare_annan"]),
        "stab": ny("STAB", personas["utredare"]),
    }


# Every persona by name (no default): a new persona is covered only by being declared
# like one of these.
SYNLIGA = Utfall(
    medarbetare={"eb"},
    medarbetare_annan={"koll"},
    enhetschef={"eb", "team"},
    enhetschef_annan={"koll"},
    avdelningschef={"eb", "team", "buv"},
    avdelningschef_annan={"koll"},
    utredare={"stab"},
    registrator=set(),
    kvalitetssamordnare={"eb", "team", "buv", "koll", "stab"},
    forvaltningschef={"eb", "team", "buv", "koll", "stab"},
    # The nämnd sees reports only: every case page is refused (403), not just empty.
    namnd=None,
    admin=set(),
    utan_roll=set(),
)


def test_synlighetstabellen_tacker_alla_personas():
    assert [p for p in PERSONAS if p not in SYNLIGA] == []


def _csv_nummer(response):
    text = b"".join(response).decode("utf-8-sig")
    rader = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rader[0][0] == "Ärendenummer"
    return {r[0] for r in rader[1:]}


def _xlsx_nummer(response):
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rader = list(wb.active.iter_rows(values_only=True))
    assert rader[0][0] == "Ärendenummer"
    return {r[0] for r in rader[1:]}


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_listan_och_exporterna_visar_bara_synliga_arenden(persona, fall, klient_for):
    klient = klient_for(persona)
    if SYNLIGA[persona] is None:
        for url in ("/avvikelser/", "/avvikelser/export.csv", "/avvikelser/export.xlsx"):
            assert klient.get(url).status_code == 403, url
        return
    vantat = {fall[k].nummer for k in SYNLIGA[persona]}

    lista = klient.get("/avvikelser/")
    assert lista.status_code == 200
    assert set(NUMMER.findall(lista.content.decode())) == vantat
    assert _csv_nummer(klient.get("/avvikelser/export.csv")) == vantat
    assert _xlsx_nummer(klient.get("/avvikelser/export.xlsx")) == vantat


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_detaljsidan_och_sokningen_foljer_synligheten(persona, fall, klient_for):
    klient = klient_for(persona)
    for nyckel, avv in fall.items():
        if SYNLIGA[persona] is None:
            assert klient.get(avv.get_absolute_url()).status_code == 403, nyckel
            assert klient.get("/sok/", {"nummer": avv.nummer}).status_code == 403, nyckel
            continue
        synlig = nyckel in SYNLIGA[persona]
        response = klient.get(avv.get_absolute_url())
        assert response.status_code == (200 if synlig else 404), nyckel
        sok = klient.get("/sok/", {"nummer": avv.nummer.lower()})
        assert sok.headers["Location"] == (avv.get_absolute_url() if synlig else "/"), nyckel


def test_handlaggare_och_atgardsansvarig_ser_arendet(org, personas, fall, klient_for):
    """Besides their own reports, staff see the cases they handle (of a unit on the line of
    their assignment: here the team below their unit) or hold an action on."""
    medarbetare = personas["medarbetare"]
    klient = klient_for("medarbetare")
    assert klient.get(fall["team"].get_absolute_url()).status_code == 404
    assert klient.get(fall["koll"].get_absolute_url()).status_code == 404

    Avvikelse.objects.filter(pk=fall["team"].pk).update(handlaggare=medarbetare)
    AtgardFactory(arende=fall["koll"], ansvarig=medarbetare)

    lista = klient.get("/avvikelser/")
    assert set(NUMMER.findall(lista.content.decode())) == {
        fall["eb"].nummer,
        fall["team"].nummer,
        fall["koll"].nummer,
    }
    assert klient.get(fall["team"].get_absolute_url()).status_code == 200
    assert klient.get(fall["koll"].get_absolute_url()).status_code == 200
    # Seeing is not handling: the action holder may not start the investigation.
    response = klient.post(f"/avvikelser/{fall['koll'].nummer}/starta-utredning/")
    assert response.status_code == 403
    fall["koll"].refresh_from_db()
    assert fall["koll"].status == "rapporterad"


def test_utgangen_roll_ger_ingen_atkomst(org, personas, fall, klient_for):
    """A role whose validity has ended no longer shows the unit's cases."""
    chef = UserFactory(username="tidigare_chef")
    UppdragFactory(
        anvandare=chef,
        roll=Roll.ENHETSCHEF,
        enhet=org["EB"],
        giltig_till=timezone.localdate() - timedelta(days=1),
    )
    klient = klient_for(None)
    klient.force_login(chef)
    assert klient.get(fall["eb"].get_absolute_url()).status_code == 404
    assert NUMMER.findall(hamta_html(klient, "/avvikelser/")) == []


def test_inaktiv_enhet_ger_ingen_atkomst(org, personas, fall, klient_for):
    """An assignment for a deactivated unit gives no access."""
    org["EB"].aktiv = False
    org["EB"].save()
    response = klient_for("enhetschef").get(fall["eb"].get_absolute_url())
    assert response.status_code == 404


# --- Access follows valid assignments (issue 10) ----------------------------------------------

IDAG = timezone.localdate()
GILTIGHET = {
    # (giltig_fran, giltig_till) of the person's only assignment → do they see the case?
    "giltigt": ((None, None), True),
    "utgatt": ((None, IDAG - timedelta(days=1)), False),
    "framtida": ((IDAG + timedelta(days=1), None), False),
}


def _ser_via_alla_vagar(klient, avv):
    """Whether the case is visible on the detail page, the list, the search and both
    exports – the answers must agree, so one boolean comes back."""
    detalj = klient.get(avv.get_absolute_url()).status_code
    assert detalj in (200, 404), detalj
    i_listan = avv.nummer in NUMMER.findall(hamta_html(klient, "/avvikelser/"))
    sok = klient.get("/sok/", {"nummer": avv.nummer}).headers["Location"]
    svar = {
        "detalj": detalj == 200,
        "lista": i_listan,
        "sok": sok == avv.get_absolute_url(),
        "csv": avv.nummer in _csv_nummer(klient.get("/avvikelser/export.csv")),
        "xlsx": avv.nummer in _xlsx_nummer(klient.get("/avvikelser/export.xlsx")),
    }
    assert len(set(svar.values())) == 1, svar
    return svar["detalj"]


@pytest.fixture
def tidigare(org, klient_for):
    """A person and a logged-in client; their one assignment is made by the test."""
    user = UserFactory(username="tidigare")
    klient = klient_for(None)
    klient.force_login(user)
    return user, klient


@pytest.mark.parametrize("giltighet", list(GILTIGHET))
@pytest.mark.parametrize("som", ["handlaggare", "rapportor", "atgardsansvarig"])
def test_atkomsten_foljer_giltiga_uppdrag(som, giltighet, org, personas, tidigare):
    """Being the case's handler, its reporter or an action's owner opens the case only while
    the person holds a valid assignment: an ended one (giltig_till in the past) or one that
    has not begun (giltig_fran in the future) gives no access anywhere."""
    user, klient = tidigare
    (fran, till), ser = GILTIGHET[giltighet]
    UppdragFactory(
        anvandare=user, roll=Roll.MEDARBETARE, enhet=org["EB"], giltig_fran=fran, giltig_till=till
    )
    if som == "handlaggare":
        avv = AvvikelseFactory(enhet=org["EB"], handlaggare=user, status="under_utredning")
    elif som == "rapportor":
        avv = AvvikelseFactory(enhet=org["KOLL"], rapporterad_av=user, skapad_av=user)
    else:
        avv = AvvikelseFactory(enhet=org["BUV"])
        AtgardFactory(arende=avv, ansvarig=user)
    assert _ser_via_alla_vagar(klient, avv) is ser


@pytest.mark.parametrize(
    ("roll", "enhet", "ser"),
    [
        (Roll.MEDARBETARE, "EB", True),  # the case's unit
        (Roll.MEDARBETARE, "MYN", True),  # a unit above it
        (Roll.MEDARBETARE, "TEAM", True),  # a unit below it
        (Roll.MEDARBETARE, "BUV", False),  # a sibling unit: not on the case's line
        (Roll.MEDARBETARE, "KOLL", False),  # another avdelning: moved on
        (Roll.UTREDARE, "STAB", True),  # investigates across the förvaltning
        (Roll.NAMND, "SOC", False),  # not a staff role
        (Roll.ADMIN, "SOC", False),
    ],
)
def test_handlaggaren_ser_arendet_med_uppdrag_pa_dess_linje(roll, enhet, ser, org, tidigare):
    """The handler sees the case while they hold a valid assignment for its unit, a unit
    above or below it, or as an utredare (who investigates across the förvaltning)."""
    user, klient = tidigare
    UppdragFactory(anvandare=user, roll=roll, enhet=org[enhet])
    # An administrator must have a second factor: logged in again as after its code.
    logga_in_helt(klient, user)
    avv = AvvikelseFactory(enhet=org["EB"], handlaggare=user, status="under_utredning")
    # The same rule where one case is at hand (contact details, comments): no query.
    assert behorighet.ar_handlaggare(user, avv) is ser
    if roll in (Roll.NAMND, Roll.ADMIN):
        assert klient.get(avv.get_absolute_url()).status_code in (403, 404)
        assert not Avvikelse.objects.for_user(user).exists()
        return
    assert _ser_via_alla_vagar(klient, avv) is ser


@pytest.mark.parametrize("giltighet", list(GILTIGHET))
def test_startsidans_atgarder_foljer_giltiga_uppdrag(giltighet, org, tidigare):
    """ "Mina åtgärder" on the start page lists an owner's actions only while they hold a
    valid staff assignment (the titles are part of the case)."""
    user, klient = tidigare
    (fran, till), ser = GILTIGHET[giltighet]
    UppdragFactory(
        anvandare=user, roll=Roll.MEDARBETARE, enhet=org["EB"], giltig_fran=fran, giltig_till=till
    )
    avv = AvvikelseFactory(enhet=org["BUV"])
    AtgardFactory(arende=avv, ansvarig=user, titel="Se över adressregistret")
    assert ("Se över adressregistret" in hamta_html(klient, "/")) is ser
