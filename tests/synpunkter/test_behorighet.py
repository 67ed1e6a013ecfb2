"""Permission matrix over every URL of the synpunkt case type × every persona.

The public e-service (form, receipt, status lookup) is the only part open without
login; everything else sends an anonymous visitor to the login page. Not visible →
404; visible but not allowed to act → 403; allowed → 200, or 302 with the change made.
A refused request changes nothing. The registrator sees every synpunkt; the unit's
managers see their units'; nobody else sees a synpunkt from the e-service.
"""

import csv
import io
import re
from datetime import timedelta

import openpyxl
import pytest
from django.utils import timezone

from kvalitet.models import Atgard, Attachment, CaseLink, TimelineEntry
from synpunkter.models import Inlamning, Synpunkt
from tests.conftest import PERSONAS
from tests.factories import SynpunktFactory, UppdragFactory, UserFactory
from tests.stod import (
    OK,
    D,
    L,
    R,
    Rad,
    S,
    Utfall,
    arendesida,
    fil,
    hamta_html,
    kor_rad,
    pdf_bytes,
    rader_param,
)
from tests.synpunkter.hjalp import IN, KODER, KV, NY, innehall, satt_status

pytestmark = pytest.mark.django_db

NUMMER = re.compile(r'href="/synpunkter/(SYN-\d{4}-\d{4})/"')


def _url(mall):
    return lambda s: mall.format(nr=s.syn.nummer, bilaga=s.bilaga.pk)


def _syn(s):
    s.syn.refresh_from_db()
    return s.syn


def _publik(s):
    return {
        "typ": "synpunkt",
        "beskrivning": "Väntrummet är för litet.",
        "enhet": "vet_ej",
        "anonym": "True",
    }


def _personal(s):
    return {
        "kanal": "telefon",
        "avsandare": "narstaende",
        "typ": "klagomal",
        "inkom": timezone.localdate().isoformat(),
        "beskrivning": "Ringde om ett uteblivet besök.",
        "enhet": s.org["EB"].pk,
        "anonym": "False",
        "namn": "Nils Närstående",
        "telefon": "070-111 22 33",
    }


def _fastnad_inlamning(s):
    """A submission whose build failed once (its attachment could not be copied). Its
    pk and reference kept as plain values: each cell's rows are rolled back."""
    inlamning = Inlamning.objects.create(
        nyckel="fastnad-inlamning-" + "x" * 20,
        typ="klagomal",
        beskrivning="Ingen svarade när jag ringde.",
        anonym=True,
        forsok=1,
        senaste_fel="OSError('disken är full')",
    )
    s.inlamning_pk, s.inlamning_referens = inlamning.pk, inlamning.referens


def _registrera(s):
    return {
        "typ": "klagomal",
        "enhet": s.org["EB"].pk,
        "kategori": s.kategori.pk,
        "avsandare": "brukare",
        "diarienummer": "SOCN/2026:25",
    }


def _lankad(s):
    # The pk, not the link: every cell refreshes the scenario's records after a rollback.
    annan = SynpunktFactory(enhet=s.org["EB"])
    s.lank = s.syn.link(annan, CaseLink.Typ.LIKNANDE, av=s.personas["enhetschef"]).pk


def _status_fraga(s):
    return {"referens": s.syn.referens, "datum": timezone.localdate(s.syn.inkom).isoformat()}


# Outcomes per persona: tests.stod.Utfall (a default, then the exceptions; `chefer` and
# `ser_allt` are groups of tests/conftest.py) and `arendesida` (a case's page: login,
# 403 for the nämnd, 404 for whoever does not see the case, unless said otherwise).
#
# The case is `s.syn`: a klagomål from the e-service for Ekonomiskt bistånd (under
# Myndighetsavdelningen); nobody reported it from inside.
RADER = [
    # --- The public e-service: open to all, logged in or not ---------------------------
    Rad("lamna-get", "GET", _url("/synpunkter/lamna/"), Utfall(200), innehall="Vad gäller det?"),
    Rad(
        "lamna-post",
        "POST",
        _url("/synpunkter/lamna/"),
        Utfall(KV),
        data=_publik,
        gjort=lambda s, user: Synpunkt.objects.filter(
            beskrivning="Väntrummet är för litet.", kanal="e_tjanst", anonym=True
        ).exists(),
    ),
    Rad(
        "status-get",
        "GET",
        _url("/synpunkter/lamna/status/"),
        Utfall(200),
        innehall="Referensnummer",
    ),
    Rad(
        "status-post",
        "POST",
        _url("/synpunkter/lamna/status/"),
        Utfall(200),
        data=_status_fraga,
        innehall="Status: Inkommen",
    ),
    # --- Staff pages ------------------------------------------------------------------
    Rad(
        "lista",
        "GET",
        _url("/synpunkter/"),
        Utfall(200, anonym=L, namnd=403),
        innehall="Synpunkter och klagomål",
    ),
    Rad(
        "ny-get",
        "GET",
        _url("/synpunkter/ny/"),
        Utfall(200, anonym=L, namnd=403, admin=403, utan_roll=403),
        innehall="Hur kom den in?",
    ),
    Rad(
        "ny-post",
        "POST",
        _url("/synpunkter/ny/"),
        Utfall(NY, anonym=L, namnd=403, admin=403, utan_roll=403),
        data=_personal,
        gjort=lambda s, user: Synpunkt.objects.filter(
            skapad_av=user, kanal="telefon", kontaktuppgifter__namn="Nils Närstående"
        ).exists(),
    ),
    Rad(
        "inkorg",
        "GET",
        _url("/synpunkter/inkorg/"),
        Utfall(403, anonym=L, registrator=200),
        innehall="Inkorg – att registrera",
    ),
    # E-service submissions not built into synpunkter (a failed build): reference, time
    # and error only, for the registrator and the administrator.
    Rad(
        "inlamningar",
        "GET",
        _url("/synpunkter/inlamningar/"),
        Utfall(403, anonym=L, registrator=200, admin=200),
        forbered=_fastnad_inlamning,
        innehall="OSError(&#x27;disken är full&#x27;)",
    ),
    Rad(
        "inlamning-forsok-igen",
        "POST",
        lambda s: f"/synpunkter/inlamningar/{s.inlamning_pk}/forsok-igen/",
        Utfall(403, anonym=L, registrator=IN, admin=IN),
        forbered=_fastnad_inlamning,
        gjort=lambda s, user: Synpunkt.objects.filter(
            referens=s.inlamning_referens, beskrivning="Ingen svarade när jag ringde."
        ).exists(),
    ),
    Rad(
        "export-csv",
        "GET",
        _url("/synpunkter/export.csv"),
        Utfall(200, anonym=L, namnd=403),
        innehall="Ärendenummer;Diarienummer;Typ",
    ),
    Rad("export-xlsx", "GET", _url("/synpunkter/export.xlsx"), Utfall(200, anonym=L, namnd=403)),
    Rad(
        "detalj",
        "GET",
        _url("/synpunkter/{nr}/"),
        arendesida(chefer=200, registrator=200, ser_allt=200),
        innehall="Jag har väntat i sex veckor på ett beslut om bistånd.",
    ),
    Rad(
        "sok",
        "GET",
        _url("/sok/?nummer={nr}"),
        Utfall(S, anonym=L, chefer=D, registrator=D, ser_allt=D, namnd=403),
    ),
    Rad(
        "bilaga",
        "GET",
        _url("/bilagor/{bilaga}/"),
        Utfall(404, anonym=L, chefer=200, registrator=200, ser_allt=200),
    ),
    # --- Transitions ------------------------------------------------------------------
    Rad(
        "registrera",
        "POST",
        _url("/synpunkter/{nr}/registrera/"),
        arendesida(chefer=403, registrator=OK, ser_allt=403),
        data=_registrera,
        gjort=lambda s, user: (
            _syn(s).status == "registrerad"
            and s.syn.diarienummer == "SOCN/2026:25"
            and s.syn.kategori == s.kategori
        ),
    ),
    Rad(
        "paborja",
        "POST",
        _url("/synpunkter/{nr}/paborja/"),
        arendesida(chefer=OK, registrator=403, ser_allt=403),
        forbered=lambda s: satt_status(s.syn, "registrerad"),
        gjort=lambda s, user: _syn(s).status == "under_handlaggning" and s.syn.handlaggare == user,
    ),
    Rad(
        "besvara",
        "POST",
        _url("/synpunkter/{nr}/besvara/"),
        arendesida(chefer=OK, registrator=403, ser_allt=403),
        forbered=lambda s: satt_status(s.syn, "under_handlaggning"),
        data=lambda s: {"svar": "Vi beklagar och har ändrat rutinen.", "svarssatt": "brev"},
        gjort=lambda s, user: (
            _syn(s).status == "besvarad" and s.syn.svar == "Vi beklagar och har ändrat rutinen."
        ),
    ),
    Rad(
        "avsluta",
        "POST",
        _url("/synpunkter/{nr}/avsluta/"),
        arendesida(chefer=OK, registrator=403, ser_allt=403),
        forbered=lambda s: satt_status(s.syn, "besvarad"),
        data=lambda s: {"brustit": "False", "ledde_till_forbattring": "False"},
        gjort=lambda s, user: _syn(s).status == "avslutad" and s.syn.brustit is False,
    ),
    Rad(
        "ateroppna",
        "POST",
        _url("/synpunkter/{nr}/ateroppna/"),
        arendesida(chefer=OK, registrator=403, ser_allt=403),
        forbered=lambda s: satt_status(s.syn, "avslutad", brustit=False),
        data=lambda s: {"kommentar": "Klaganden hörde av sig igen."},
        gjort=lambda s, user: _syn(s).status == "under_handlaggning" and s.syn.avslutad is None,
    ),
    Rad(
        "tilldela",
        "POST",
        _url("/synpunkter/{nr}/tilldela/"),
        arendesida(chefer=OK, registrator=403, ser_allt=403),
        forbered=lambda s: satt_status(s.syn, "registrerad"),
        data=lambda s: {"handlaggare": s.personas["utredare"].pk},
        gjort=lambda s, user: _syn(s).handlaggare == s.personas["utredare"],
    ),
    Rad(
        "svar-till-ivo",
        "POST",
        _url("/synpunkter/{nr}/svar-till-ivo/"),
        arendesida(chefer=OK, registrator=403, ser_allt=403),
        forbered=lambda s: Synpunkt.objects.filter(pk=s.syn.pk).update(
            kanal="via_ivo", ivo_diarienummer="3.5.1-999/2026", ivo_skickad=timezone.localdate()
        ),
        data=lambda s: {"svar": "Svar till IVO.", "datum": timezone.localdate().isoformat()},
        gjort=lambda s, user: _syn(s).ivo_svar == "Svar till IVO.",
    ),
    Rad(
        "klagomalsdelegation",
        "POST",
        _url("/synpunkter/{nr}/klagomalsdelegation/"),
        arendesida(chefer=OK, registrator=OK, ser_allt=403),
        forbered=lambda s: satt_status(s.syn, "besvarad"),
        data=lambda s: {"status": "begard", "datum": timezone.localdate().isoformat()},
        gjort=lambda s, user: (
            _syn(s).delegation_status == "begard"
            and s.syn.delegation_begard == timezone.localdate()
        ),
    ),
    # --- Shared case parts ------------------------------------------------------------
    Rad(
        "kommentar",
        "POST",
        _url("/synpunkter/{nr}/kommentar/"),
        arendesida(chefer=OK, registrator=OK, ser_allt=403),
        data=lambda s: {"text": "Jag har ringt klaganden."},
        gjort=lambda s, user: TimelineEntry.objects.filter(
            typ="kommentar", text="Jag har ringt klaganden.", anvandare=user
        ).exists(),
    ),
    Rad(
        "bilagor",
        "POST",
        _url("/synpunkter/{nr}/bilagor/"),
        arendesida(chefer=OK, registrator=OK, ser_allt=403),
        data=lambda s: {"fil": fil("svar.pdf", pdf_bytes(), "application/pdf")},
        gjort=lambda s, user: Attachment.objects.filter(
            filnamn="svar.pdf", uppladdad_av=user, object_id=s.syn.pk
        ).exists(),
    ),
    Rad(
        "atgarder",
        "POST",
        _url("/synpunkter/{nr}/atgarder/"),
        arendesida(chefer=OK, registrator=403, ser_allt=403),
        data=lambda s: {
            "titel": "Informera om handläggningstiderna",
            "typ": "information",
            "ansvarig": s.personas["medarbetare"].pk,
            "forfallodatum": (timezone.localdate() + timedelta(days=30)).isoformat(),
        },
        gjort=lambda s, user: Atgard.objects.filter(
            object_id=s.syn.pk, titel="Informera om handläggningstiderna"
        ).exists(),
    ),
    Rad(
        "lankar",
        "POST",
        _url("/synpunkter/{nr}/lankar/"),
        arendesida(chefer=OK, registrator=403, ser_allt=403),
        forbered=lambda s: setattr(s, "lankmal", SynpunktFactory(enhet=s.org["EB"]).nummer),
        data=lambda s: {"nummer": s.lankmal, "kommentar": "Samma väntetid."},
        gjort=lambda s, user: CaseLink.objects.filter(fran_id=s.syn.pk, typ="liknande").exists(),
    ),
    # A link made by mistake, taken back by those who may link (and see the other case).
    Rad(
        "lank-ta-bort",
        "POST",
        lambda s: f"/synpunkter/{s.syn.nummer}/lankar/{s.lank}/ta-bort/",
        arendesida(chefer=OK, registrator=403, ser_allt=403),
        forbered=_lankad,
        gjort=lambda s, user: not CaseLink.objects.filter(pk=s.lank).exists(),
    ),
    Rad("start", "GET", _url("/"), Utfall(200, anonym=L, namnd=R), innehall="Mina ärenden"),
]


@pytest.mark.parametrize("rad", rader_param(RADER))
def test_behorighetsmatris(rad, syn, klient_for):
    kor_rad(rad, syn, klient_for, arende_url=lambda s, user: s.syn.get_absolute_url(), koder=KODER)


# --- Which synpunkter each persona sees --------------------------------------------------

# persona → (sees s.syn (EB), sees s.annan (KOLL)); every persona by name (no default): a
# new persona is covered only by being declared like one of these.
SER = Utfall(
    medarbetare=(False, False),
    medarbetare_annan=(False, False),
    enhetschef=(True, False),
    enhetschef_annan=(False, True),
    avdelningschef=(True, False),
    avdelningschef_annan=(False, True),
    utredare=(False, False),
    registrator=(True, True),
    kvalitetssamordnare=(True, True),
    forvaltningschef=(True, True),
    # The nämnd sees reports only: every case page is refused (403), not just empty.
    namnd=None,
    admin=(False, False),
    utan_roll=(False, False),
)


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_lista_och_export_visar_bara_synliga(persona, syn, klient_for):
    klient = klient_for(persona)
    if SER[persona] is None:
        urls = ["/synpunkter/", "/synpunkter/export.csv", "/synpunkter/export.xlsx"]
        for url in urls + [syn.syn.get_absolute_url(), syn.annan.get_absolute_url()]:
            assert klient.get(url).status_code == 403, url
        return
    nummer = (syn.syn.nummer, syn.annan.nummer)
    vantat = {n for n, ser in zip(nummer, SER[persona], strict=True) if ser}
    assert set(NUMMER.findall(hamta_html(klient, "/synpunkter/"))) == vantat
    rader = list(
        csv.reader(io.StringIO(innehall(klient.get("/synpunkter/export.csv"))), delimiter=";")
    )
    assert {r[0] for r in rader[1:]} == vantat
    bok = openpyxl.load_workbook(io.BytesIO(innehall_bytes(klient.get("/synpunkter/export.xlsx"))))
    assert {r[0] for r in bok.active.iter_rows(min_row=2, values_only=True)} == vantat
    for synpunkt, ser in zip((syn.syn, syn.annan), SER[persona], strict=True):
        assert klient.get(synpunkt.get_absolute_url()).status_code == (200 if ser else 404)


def innehall_bytes(response):
    return b"".join(response) if response.streaming else response.content


def test_medarbetaren_ser_det_den_sjalv_registrerat_men_inte_kontakten_efter_fordelning(
    syn, klient_for
):
    """Staff who entered a synpunkt (received by phone) see their own entry."""
    klient = klient_for("medarbetare")
    data = {
        "kanal": "telefon",
        "avsandare": "brukare",
        "typ": "klagomal",
        "inkom": timezone.localdate().isoformat(),
        "beskrivning": "Klienten ringde om sitt beslut.",
        "anonym": "False",
        "namn": "Kim Klient",
        "telefon": "070-999 88 77",
    }
    response = klient.post("/synpunkter/ny/", data)
    assert response.status_code == 302
    ny = Synpunkt.objects.get(beskrivning="Klienten ringde om sitt beslut.")
    assert response["Location"] == ny.get_absolute_url()
    assert ny.skapad_av == syn.personas["medarbetare"]
    sida = hamta_html(klient, ny.get_absolute_url())
    assert "Klienten ringde om sitt beslut." in sida
    # Not handling it: the contact block is closed to them.
    assert "Kim Klient" not in sida
    assert "Kontaktuppgifter visas bara för dem som handlägger ärendet." in sida


# --- Access follows valid assignments (issue 10) ----------------------------------------------

IDAG = timezone.localdate()
GILTIGHET = {
    # (giltig_fran, giltig_till) of the handler's assignment → do they see the synpunkt?
    "giltigt": ((None, None), True),
    "utgatt": ((None, IDAG - timedelta(days=1)), False),
    "framtida": ((IDAG + timedelta(days=1), None), False),
}


def _ser(klient, synpunkt, namn="Karin Kontaktsson"):
    """Whether the synpunkt is visible on the detail page, the list, the search and both
    exports (the answers must agree), and whether its contact details are shown."""
    detalj = klient.get(synpunkt.get_absolute_url())
    assert detalj.status_code in (200, 404), detalj.status_code
    sok = klient.get("/sok/", {"nummer": synpunkt.nummer}).headers["Location"]
    csv_rader = csv.reader(
        io.StringIO(innehall(klient.get("/synpunkter/export.csv"))), delimiter=";"
    )
    bok = openpyxl.load_workbook(io.BytesIO(innehall_bytes(klient.get("/synpunkter/export.xlsx"))))
    svar = {
        "detalj": detalj.status_code == 200,
        "lista": synpunkt.nummer in NUMMER.findall(hamta_html(klient, "/synpunkter/")),
        "sok": sok == synpunkt.get_absolute_url(),
        "csv": synpunkt.nummer in {r[0] for r in csv_rader},
        "xlsx": synpunkt.nummer in {r[0] for r in bok.active.iter_rows(values_only=True)},
    }
    assert len(set(svar.values())) == 1, svar
    kontakt = detalj.status_code == 200 and namn in detalj.content.decode()
    return svar["detalj"], kontakt


@pytest.mark.parametrize("giltighet", list(GILTIGHET))
def test_handlaggaren_ser_synpunkten_och_kontakten_bara_med_giltigt_uppdrag(
    giltighet, syn, klient_for
):
    """A handler whose assignment has ended, or not yet begun, neither opens the synpunkt
    (with the citizen's contact details) nor finds or exports it; with a valid one they do."""
    user = UserFactory(username="handlaggare_syn")
    (fran, till), ser = GILTIGHET[giltighet]
    UppdragFactory(
        anvandare=user, roll="medarbetare", enhet=syn.org["EB"], giltig_fran=fran, giltig_till=till
    )
    satt_status(syn.syn, "under_handlaggning", handlaggare=user)
    klient = klient_for(None)
    klient.force_login(user)
    assert _ser(klient, syn.syn) == (ser, ser)


def test_handlaggare_som_bytt_enhet_ser_inte_synpunkten(syn, klient_for):
    """Moved to another avdelning (the old assignment ended, a new valid one elsewhere):
    the synpunkt and its contact details are closed to the former handler."""
    user = UserFactory(username="flyttad")
    UppdragFactory(
        anvandare=user, roll="enhetschef", enhet=syn.org["EB"], giltig_till=IDAG - timedelta(days=1)
    )
    UppdragFactory(anvandare=user, roll="enhetschef", enhet=syn.org["KOLL"])
    satt_status(syn.syn, "under_handlaggning", handlaggare=user)
    klient = klient_for(None)
    klient.force_login(user)
    assert _ser(klient, syn.syn) == (False, False)
    assert _ser(klient, syn.annan, "Olle Annansson") == (True, True)  # the new unit's
