"""Permission matrix over every URL of IVO's tillsyn × every persona.

The shared rules: the unit's managers see and handle its tillsyn, the kvalitetssamordnare
and the förvaltningschef see all and take no step, the nämnd sees no case records.
Registering is for the managers and staben (registrator, kvalitetssamordnare,
förvaltningschef); the one who registered sees what they registered.
"""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from kvalitet.models import Atgard, Attachment, CaseLink, TimelineEntry
from tests.stod import (
    OK,
    L,
    Rad,
    Utfall,
    arendesida,
    fil,
    kor_rad,
    pdf_bytes,
    rader_param,
)
from tests.tillsyn.hjalp import skapa
from tillsyn.models import Tillsyn

pytestmark = pytest.mark.django_db


@pytest.fixture
def scen(org, personas):
    varld = SimpleNamespace(org=org, personas=personas)
    tillsyn = skapa(varld)
    annan = skapa(varld, enhet="KOLL")
    team = skapa(varld, enhet="TEAM")
    return SimpleNamespace(org=org, personas=personas, tillsyn=tillsyn, annan=annan, team=team)


def _status(s):
    s.tillsyn.refresh_from_db()
    return s.tillsyn.status


def _satt(s, status):
    ny = skapa(SimpleNamespace(org=s.org, personas=s.personas), status)
    Tillsyn.objects.filter(pk=s.tillsyn.pk).update(
        **{
            f: getattr(ny, f)
            for f in (
                "status",
                "beslut",
                "utfall",
                "beslut_text",
                "aterrapport_senast",
                "svar",
                "avslutad",
            )
        }
    )


def _ny(s):
    return {
        "enhet": s.org["EB"].pk,
        "typ": "handelsestyrd",
        "ivo_diarienummer": "3.5.1-9/2026",
        "inleddes": (timezone.localdate() - timedelta(days=3)).isoformat(),
        "omfattning": "Tillsyn efter klagomål om handläggningstider.",
    }


def _lankad(s):
    # The pk, not the link: every cell refreshes the scenario's records after a rollback.
    s.lank = s.tillsyn.link(s.team, CaseLink.Typ.LIKNANDE, av=s.personas["enhetschef"]).pk


HANTERAR = arendesida(chefer=OK, ser_allt=403)

RADER = [
    Rad(
        "lista",
        "GET",
        "/tillsyn/",
        Utfall(200, anonym=L, namnd=403),
        innehall="<h1>IVO:s tillsyn</h1>",
    ),
    Rad(
        "ny-get",
        "GET",
        "/tillsyn/ny/",
        Utfall(
            403,
            anonym=L,
            chefer=200,
            enhetschef_annan=200,
            avdelningschef_annan=200,
            ser_allt=200,
            registrator=200,
        ),
        innehall="Registrera IVO:s tillsyn",
    ),
    # For Ekonomiskt bistånd: those whose units do not reach it get the form again (400).
    Rad(
        "ny-post",
        "POST",
        "/tillsyn/ny/",
        Utfall(
            403,
            anonym=L,
            chefer=OK,
            enhetschef_annan=400,
            avdelningschef_annan=400,
            ser_allt=OK,
            registrator=400,
        ),
        data=_ny,
        gjort=lambda s, user: Tillsyn.objects.filter(
            registrerad_av=user, ivo_diarienummer="3.5.1-9/2026"
        ).exists(),
        innehall="Välj ett giltigt alternativ",
    ),
    Rad(
        "export-csv",
        "GET",
        "/tillsyn/export.csv",
        Utfall(200, anonym=L, namnd=403),
        innehall="Ärendenummer;Status",
    ),
    Rad("export-xlsx", "GET", "/tillsyn/export.xlsx", Utfall(200, anonym=L, namnd=403)),
    Rad(
        "detalj",
        "GET",
        "/tillsyn/{nr}/",
        arendesida(chefer=200, ser_allt=200, enhetschef=200),
        innehall="Genomförandeplaner och journalföring på HVB.",
    ),
    Rad(
        "krav",
        "POST",
        "/tillsyn/{nr}/krav/",
        HANTERAR,
        data=lambda s: {"krav": "IVO begär in schemat.", "svar_senast": ""},
        gjort=lambda s, user: Tillsyn.objects.filter(
            pk=s.tillsyn.pk, krav="IVO begär in schemat."
        ).exists(),
    ),
    Rad(
        "svar",
        "POST",
        "/tillsyn/{nr}/svar/",
        HANTERAR,
        data=lambda s: {"datum": timezone.localdate().isoformat(), "text": "Schemat skickat."},
        gjort=lambda s, user: "Schemat skickat." in str(Tillsyn.objects.get(pk=s.tillsyn.pk).svar),
    ),
    Rad(
        "beslut",
        "POST",
        "/tillsyn/{nr}/beslut/",
        HANTERAR,
        data=lambda s: {
            "beslut": timezone.localdate().isoformat(),
            "utfall": "kritik",
            "beslut_text": "IVO riktar kritik.",
        },
        gjort=lambda s, user: _status(s) == "beslutad",
    ),
    Rad(
        "avsluta",
        "POST",
        "/tillsyn/{nr}/avsluta/",
        HANTERAR,
        forbered=lambda s: _satt(s, "beslutad"),
        data=lambda s: {"bekraftad": "ja"},
        gjort=lambda s, user: _status(s) == "avslutad",
    ),
    Rad(
        "ateroppna",
        "POST",
        "/tillsyn/{nr}/ateroppna/",
        HANTERAR,
        forbered=lambda s: _satt(s, "avslutad"),
        data=lambda s: {"kommentar": "IVO har frågat igen."},
        gjort=lambda s, user: _status(s) == "beslutad",
    ),
    Rad(
        "tilldela",
        "POST",
        "/tillsyn/{nr}/tilldela/",
        HANTERAR,
        data=lambda s: {"handlaggare": s.personas["utredare"].pk},
        gjort=lambda s, user: Tillsyn.objects.filter(
            pk=s.tillsyn.pk, handlaggare=s.personas["utredare"]
        ).exists(),
    ),
    Rad(
        "kommentar",
        "POST",
        "/tillsyn/{nr}/kommentar/",
        HANTERAR,
        data=lambda s: {"text": "IVO ringde."},
        gjort=lambda s, user: TimelineEntry.objects.filter(
            typ="kommentar", text="IVO ringde.", anvandare=user
        ).exists(),
    ),
    Rad(
        "bilagor",
        "POST",
        "/tillsyn/{nr}/bilagor/",
        HANTERAR,
        data=lambda s: {"fil": fil("ivo-beslut.pdf", pdf_bytes(), "application/pdf")},
        gjort=lambda s, user: Attachment.objects.filter(
            filnamn="ivo-beslut.pdf", uppladdad_av=user
        ).exists(),
    ),
    Rad(
        "atgarder",
        "POST",
        "/tillsyn/{nr}/atgarder/",
        HANTERAR,
        data=lambda s: {
            "titel": "Genomförandeplan inom fyra veckor",
            "typ": "rutin",
            "ansvarig": s.personas["enhetschef"].pk,
            "forfallodatum": (timezone.localdate() + timedelta(days=30)).isoformat(),
        },
        gjort=lambda s, user: Atgard.objects.filter(
            titel="Genomförandeplan inom fyra veckor", skapad_av=user
        ).exists(),
    ),
    Rad(
        "lankar",
        "POST",
        "/tillsyn/{nr}/lankar/",
        HANTERAR,
        data=lambda s: {"nummer": s.team.nummer, "kommentar": "Samma brister."},
        gjort=lambda s, user: CaseLink.objects.filter(
            fran_id=s.tillsyn.pk, skapad_av=user
        ).exists(),
    ),
    # A link made by mistake, taken back by those who may link (and see the other case).
    Rad(
        "lank-ta-bort",
        "POST",
        lambda s: f"/tillsyn/{s.tillsyn.nummer}/lankar/{s.lank}/ta-bort/",
        HANTERAR,
        forbered=_lankad,
        gjort=lambda s, user: not CaseLink.objects.filter(pk=s.lank).exists(),
    ),
]


@pytest.mark.parametrize("rad", rader_param(RADER))
def test_matris(rad, scen, klient_for):
    kor_rad(
        rad,
        scen,
        klient_for,
        url=lambda s: rad.url(s) if callable(rad.url) else rad.url.format(nr=s.tillsyn.nummer),
        arende_url=lambda s, user: (
            Tillsyn.objects.filter(registrerad_av=user, ivo_diarienummer="3.5.1-9/2026")
            .first()
            .get_absolute_url()
            if rad.namn == "ny-post"
            and user is not None
            and Tillsyn.objects.filter(
                registrerad_av=user, ivo_diarienummer="3.5.1-9/2026"
            ).exists()
            else s.tillsyn.get_absolute_url()
        ),
    )
