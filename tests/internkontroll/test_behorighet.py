"""Permission matrices of internkontroll × every persona (internkontroll/behorighet.py,
docs/behorighet.md).

The plan side: the control occasions, the internkontrollplaner and the
redovisningar (rules in the section below).

Egenkontroll: an egenkontroll goes through the one access door – its unit's chefs (and
units above) and its owner see and manage it, staben (kvalitetssamordnaren,
förvaltningschefen) sees and manages all – and the staff of its unit and the units
below see it and enter file reviews while it is under way. Only staben keeps the
checklists. The nämnd sees no egenkontroll (403); whoever does not see it gets 404;
anonymous visitors are sent to log in. A refused request changes nothing.
"""

import csv
import hashlib
import io
import re
from datetime import date, timedelta
from types import SimpleNamespace

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from internkontroll.choices import Bedomning, Egenkontrollstatus, Tillfallestatus
from internkontroll.models import (
    Checklista,
    Checklisteversion,
    Egenkontroll,
    Granskning,
    Internkontrollplan,
    Internkontrollredovisning,
    Kontroll,
    Kontrolltillfalle,
)
from kvalitet.models import Atgard, Attachment, Beslutsstatus, CaseLink, TimelineEntry
from kvalitet.workflow import steps_of
from riskregister.models import Risk
from tests.conftest import PERSONAS
from tests.internkontroll.hjalp import checklista_kg, egenkontroll, granska
from tests.internkontroll.hjalp import kontroll as ikkontroll
from tests.internkontroll.hjalp import plan as ikplan
from tests.internkontroll.hjalp import tillfalle as iktillfalle
from tests.riskregister.hjalp import risk
from tests.stod import (
    OK,
    Kod,
    L,
    Rad,
    Utfall,
    arendesida,
    borjar_med,
    fil,
    hamta_html,
    kor_rad,
    pdf_bytes,
    rader_param,
    skapad,
)

pytestmark = pytest.mark.django_db

IDAG = timezone.localdate

# --- The plan side: occasions, plans, redovisningar ----------------------------------------
#
# A control occasion (IK-…) goes through the one access door: the performing unit's chefs
# (and units above), the named performer while staff, and staben (kvalitetssamordnaren,
# förvaltningschefen) see it and record its result; whoever does not see it gets 404, the
# nämnd 403 (it sees no case records), anonymous visitors log in. The plans and
# redovisningar: staben prepares them, records the nämnd's decisions and reads every
# version; the chefs and the nämnd read the decided versions (and their PDFs) – a draft
# is 404 for them; everyone else is refused (403). A refused request changes nothing.

IK = "/internkontroll/"

# Outcomes beyond tests.stod.KODER.
NYPLAN = "NYPLAN"  # 302 to a plan (draft) the request started
NYRED = "NYRED"  # 302 to a redovisning (draft) the request started
KODER_PLAN = {
    NYPLAN: Kod(skapad(f"{IK}planer/"), utford=True),
    NYRED: Kod(skapad(f"{IK}redovisningar/"), utford=True),
}


def _stand_in_pdf(handling):
    """A decided version's archived PDF: stand-in bytes with their checksum, so no request
    renders or stores one."""
    handling.pdf.save(f"{handling.pdf_namn()}.pdf", ContentFile(pdf_bytes()), save=False)
    handling.pdf_sha256 = hashlib.sha256(pdf_bytes()).hexdigest()
    handling.save()


@pytest.fixture
def ik(org, personas):
    """The plan side's world:

    - `s.plan`: the internkontrollplan 2026, version 1, decided (PDF archived);
      its control `s.k` (SN 1) performed by Ekonomiskt bistånd, named performer
      `medarbetare`, answering to the risk `s.risk` of Ekonomiskt bistånd; the control
      `s.k_annan` (SN 2) performed by Kollektivet HVB;
    - `s.t`: SN 1's first occasion, waiting for its result; `s.t2` its second (a link
      target); `s.annan`: SN 2's first occasion (Kollektivet HVB);
    - `s.utkast`: the draft plan 2027 with its control `s.uk` (SN 1);
    - `s.red`: the redovisning 2025, decided (PDF archived), with its decided plan 2025;
      no redovisning of 2026 yet.
    """
    p = personas
    s = SimpleNamespace(org=org, personas=p)
    s.risk = risk(org["EB"], (date(2025, 1, 10), 3, 4), titel="Fel belopp betalas ut")
    s.plan = ikplan(2026, status=Beslutsstatus.FASTSTALLD)
    _stand_in_pdf(s.plan)
    s.k = ikkontroll(s.plan, org["EB"], kod="SN 1", utforare=p["medarbetare"], risk=s.risk)
    s.t = iktillfalle(s.k, 1)
    s.t2 = iktillfalle(s.k, 2, forfaller=date(2026, 8, 31))
    s.k_annan = ikkontroll(s.plan, org["KOLL"], kod="SN 2", process="Placeringar")
    s.annan = iktillfalle(s.k_annan, 1)
    s.utkast = ikplan(2027)
    s.uk = ikkontroll(s.utkast, org["EB"], kod="SN 1")
    ikplan(2025, status=Beslutsstatus.FASTSTALLD)
    s.red = Internkontrollredovisning.objects.create(
        ar=2025,
        status=Beslutsstatus.FASTSTALLD,
        sammantradesdatum=date(2026, 2, 19),
        paragraf="7",
        diarienummer="SN 2026/3",
        innehall={"ar": 2025, "plan": None, "kontroller": [], "antal": {}},
    )
    _stand_in_pdf(s.red)
    s.red_utkast_pk = None
    return s


def _red_utkast(s):
    """The redovisning 2026's draft, prepared by the kvalitetssamordnare (its id kept on
    the scenario: each cell is rolled back)."""
    s.red_utkast_pk = Internkontrollredovisning.skapa(
        ar=2026, av=s.personas["kvalitetssamordnare"]
    ).pk


def _t(s):
    return Kontrolltillfalle.objects.get(pk=s.t.pk)


def _ik_lankad(s):
    # The pk, not the link: every cell refreshes the scenario's records after a rollback.
    s.lank = s.t.link(s.t2, CaseLink.Typ.LIKNANDE, av=s.personas["enhetschef"]).pk


def _klar(s):
    Kontrolltillfalle.objects.filter(pk=s.t.pk).update(
        status=Tillfallestatus.KLAR,
        kontrollerad=date(2026, 4, 20),
        vad="20 utbetalningar",
        antal=20,
        avvikelser=0,
        bedomning=Bedomning.UTAN_ANMARKNING,
    )


def _resultat(s):
    return {
        "kontrollerad": IDAG().isoformat(),
        "vad": "20 slumpvis valda utbetalningar",
        "antal": 20,
        "avvikelser": 2,
        "bedomning": "vasentliga_brister",
        "kommentar": "Två utbetalningar saknade beslut.",
    }


def _kontrolldata(prefix, s, kod="SN 2"):
    falt = {
        "kod": kod,
        "process": "Delegationer",
        "kontrollmoment": "Att beslut fattas av rätt delegat",
        "metod": "stickprov",
        "periodicitet": "halvarsvis",
        "utforare_enhet": s.org["EB"].pk,
        "ordning": 2,
    }
    return {f"{prefix}-{k}": v for k, v in falt.items()}


def _beslut(s):
    return {
        "sammantradesdatum": IDAG().isoformat(),
        "paragraf": "§ 14",
        "diarienummer": "SN 2026/112",
        "bekraftad": "ja",
    }


# The occasion of Ekonomiskt bistånd: its chefs, its named performer, staben.
TILLFALLE_SER = arendesida(medarbetare=200, chefer=200, ser_allt=200)
TILLFALLE_ARBETAR = arendesida(medarbetare=OK, chefer=OK, ser_allt=OK)
# The plans and redovisningar: those who see them read the decided versions.
HANDLING_LAS = Utfall(
    403,
    anonym=L,
    chefer=200,
    enhetschef_annan=200,
    avdelningschef_annan=200,
    ser_allt=200,
    namnd=200,
)
# A draft: staben only; the chefs and the nämnd do not see it (404).
UTKAST_SER = {
    "anonym": L,
    "chefer": 404,
    "enhetschef_annan": 404,
    "avdelningschef_annan": 404,
    "namnd": 404,
}
UTKAST_LAS = Utfall(403, ser_allt=200, **UTKAST_SER)
UTKAST_ARBETAR = Utfall(403, ser_allt=OK, **UTKAST_SER)
# Starting a plan or a redovisning: staben.
FORBEREDER = Utfall(403, anonym=L)

PLANSTEG = {
    "skriv_sammanfattning": (
        lambda s: {"sammanfattning": "Två nya kontroller."},
        lambda s, user: (
            Internkontrollplan.objects.get(pk=s.utkast.pk).sammanfattning == "Två nya kontroller."
        ),
    ),
    "faststall": (
        _beslut,
        lambda s, user: (
            Internkontrollplan.objects.get(pk=s.utkast.pk).status == Beslutsstatus.FASTSTALLD
        ),
    ),
}
REDOVISNINGSSTEG = {
    "skriv_sammanfattning": (
        lambda s: {"sammanfattning": "Inga väsentliga brister."},
        lambda s, user: (
            Internkontrollredovisning.objects.get(pk=s.red_utkast_pk).sammanfattning
            == "Inga väsentliga brister."
        ),
    ),
    "faststall": (
        _beslut,
        lambda s, user: (
            Internkontrollredovisning.objects.get(pk=s.red_utkast_pk).status
            == Beslutsstatus.FASTSTALLD
        ),
    ),
}
TILLFALLESTEG = {
    "registrera": (
        None,
        lambda s, user: _t(s).status == Tillfallestatus.KLAR and _t(s).registrerad_av == user,
    ),
    "andra": (
        _klar,
        lambda s, user: _t(s).bedomning == Bedomning.VASENTLIGA_BRISTER,
    ),
}


def _planstegrader():
    rader = []
    for t in steps_of(Kontrolltillfalle):
        forbered, gjort = TILLFALLESTEG[t.name]
        rader.append(
            Rad(
                f"ik-{t.slug}",
                "POST",
                lambda s, slug=t.slug: f"{IK}{s.t.nummer}/{slug}/",
                TILLFALLE_ARBETAR,
                forbered=forbered,
                data=_resultat,
                gjort=gjort,
            )
        )
    for t in steps_of(Internkontrollplan):
        data, gjort = PLANSTEG[t.name]
        rader.append(
            Rad(
                f"plan-{t.slug}",
                "POST",
                lambda s, slug=t.slug: f"{IK}planer/{s.utkast.pk}/{slug}/",
                UTKAST_ARBETAR,
                data=data,
                gjort=gjort,
            )
        )
    for t in steps_of(Internkontrollredovisning):
        data, gjort = REDOVISNINGSSTEG[t.name]
        rader.append(
            Rad(
                f"redovisning-{t.slug}",
                "POST",
                lambda s, slug=t.slug: f"{IK}redovisningar/{s.red_utkast_pk}/{slug}/",
                UTKAST_ARBETAR,
                forbered=_red_utkast,
                data=data,
                gjort=gjort,
            )
        )
    return rader


RADER_PLAN = [
    # --- Control occasions ---
    Rad(
        "ik-lista",
        "GET",
        IK,
        Utfall(200, anonym=L, namnd=403),
        innehall="Internkontroll – kontrolltillfällen",
    ),
    Rad(
        "ik-export-csv",
        "GET",
        f"{IK}export.csv",
        Utfall(200, anonym=L, namnd=403),
        innehall="Nummer;År;Kontroll;Process",
    ),
    Rad("ik-export-xlsx", "GET", f"{IK}export.xlsx", Utfall(200, anonym=L, namnd=403)),
    Rad(
        "ik-detalj",
        "GET",
        lambda s: f"{IK}{s.t.nummer}/",
        TILLFALLE_SER,
        innehall="Att rätt belopp betalas ut",
    ),
    Rad(
        "ik-kommentar",
        "POST",
        lambda s: f"{IK}{s.t.nummer}/kommentar/",
        TILLFALLE_ARBETAR,
        data=lambda s: {"text": "Stickprovet tas i maj."},
        gjort=lambda s, user: TimelineEntry.objects.filter(
            typ="kommentar", text="Stickprovet tas i maj.", anvandare=user
        ).exists(),
    ),
    Rad(
        "ik-bilagor",
        "POST",
        lambda s: f"{IK}{s.t.nummer}/bilagor/",
        TILLFALLE_ARBETAR,
        data=lambda s: {"fil": fil("stickprov.pdf", pdf_bytes(), "application/pdf")},
        gjort=lambda s, user: Attachment.objects.filter(
            filnamn="stickprov.pdf", uppladdad_av=user, object_id=s.t.pk
        ).exists(),
    ),
    Rad(
        "ik-atgarder",
        "POST",
        lambda s: f"{IK}{s.t.nummer}/atgarder/",
        TILLFALLE_ARBETAR,
        data=lambda s: {
            "titel": "Checklista för utbetalningar",
            "typ": "rutin",
            "ansvarig": s.personas["enhetschef"].pk,
            "forfallodatum": (IDAG() + timedelta(days=30)).isoformat(),
        },
        gjort=lambda s, user: Atgard.objects.filter(
            titel="Checklista för utbetalningar", skapad_av=user, object_id=s.t.pk
        ).exists(),
    ),
    Rad(
        "ik-lankar",
        "POST",
        lambda s: f"{IK}{s.t.nummer}/lankar/",
        TILLFALLE_ARBETAR,
        data=lambda s: {"nummer": s.t2.nummer, "kommentar": "Samma kontroll."},
        gjort=lambda s, user: CaseLink.objects.filter(
            fran_id=s.t.pk, till_id=s.t2.pk, skapad_av=user
        ).exists(),
    ),
    # A link made by mistake, taken back by those who may link (and see the other case).
    Rad(
        "ik-lank-ta-bort",
        "POST",
        lambda s: f"{IK}{s.t.nummer}/lankar/{s.lank}/ta-bort/",
        TILLFALLE_ARBETAR,
        forbered=_ik_lankad,
        gjort=lambda s, user: not CaseLink.objects.filter(pk=s.lank).exists(),
    ),
    # The performer records the result but does not work on the risk (its chefs and
    # staben do): refused.
    Rad(
        "ik-bedom-risk",
        "POST",
        lambda s: f"{IK}{s.t.nummer}/bedom-risk/",
        arendesida(medarbetare=403, chefer=OK, ser_allt=OK),
        forbered=_klar,
        data=lambda s: {"sannolikhet": 4, "konsekvens": 4, "kommentar": "Fler fel än väntat."},
        gjort=lambda s, user: Risk.objects.get(pk=s.risk.pk).riskvarde == 16,
    ),
    # --- Plans ---
    Rad(
        "planer",
        "GET",
        f"{IK}planer/",
        HANDLING_LAS,
        innehall="2026, version 1",
    ),
    Rad(
        "plan-ny",
        "POST",
        f"{IK}planer/ny/",
        Utfall(403, anonym=L, ser_allt=NYPLAN),
        data=lambda s: {"ar": 2026, "fran": "tom"},
        gjort=lambda s, user: Internkontrollplan.objects.filter(
            ar=2026, version=2, status=Beslutsstatus.UTKAST, skapad_av=user
        ).exists(),
    ),
    Rad(
        "plan",
        "GET",
        lambda s: f"{IK}planer/{s.plan.pk}/",
        HANDLING_LAS,
        innehall="SN 2025/1",
    ),
    Rad("plan-pdf", "GET", lambda s: f"{IK}planer/{s.plan.pk}/pdf/", HANDLING_LAS),
    Rad(
        "plan-utkast",
        "GET",
        lambda s: f"{IK}planer/{s.utkast.pk}/",
        UTKAST_LAS,
        innehall="Att rätt belopp betalas ut",
    ),
    Rad("plan-utkast-pdf", "GET", lambda s: f"{IK}planer/{s.utkast.pk}/pdf/", UTKAST_LAS),
    # The chefs and the nämnd see the decided plan, but only staben opens it again.
    Rad(
        "plan-ny-version",
        "POST",
        lambda s: f"{IK}planer/{s.plan.pk}/ny-version/",
        Utfall(
            403,
            anonym=L,
            ser_allt=NYPLAN,
        ),
        data=lambda s: {"kommentar": "En ny kontroll av delegationerna."},
        gjort=lambda s, user: Internkontrollplan.objects.filter(
            ar=2026, version=2, status=Beslutsstatus.UTKAST, skapad_av=user
        ).exists(),
    ),
    Rad(
        "plan-kontroll-ny",
        "POST",
        lambda s: f"{IK}planer/{s.utkast.pk}/kontroller/",
        UTKAST_ARBETAR,
        data=lambda s: _kontrolldata("ny", s),
        gjort=lambda s, user: Kontroll.objects.filter(
            plan=s.utkast, kod="SN 2", process="Delegationer"
        ).exists(),
    ),
    Rad(
        "plan-kontroll",
        "POST",
        lambda s: f"{IK}planer/{s.utkast.pk}/kontroller/{s.uk.pk}/",
        UTKAST_ARBETAR,
        data=lambda s: _kontrolldata(f"k{s.uk.pk}", s, kod="SN 1"),
        gjort=lambda s, user: Kontroll.objects.get(pk=s.uk.pk).process == "Delegationer",
    ),
    Rad(
        "plan-kontroll-ta-bort",
        "POST",
        lambda s: f"{IK}planer/{s.utkast.pk}/kontroller/{s.uk.pk}/ta-bort/",
        UTKAST_ARBETAR,
        gjort=lambda s, user: not Kontroll.objects.filter(pk=s.uk.pk).exists(),
    ),
    # --- Redovisningar ---
    Rad(
        "redovisning-ny",
        "POST",
        f"{IK}redovisningar/ny/",
        Utfall(403, anonym=L, ser_allt=NYRED),
        data=lambda s: {"ar": 2026},
        gjort=lambda s, user: Internkontrollredovisning.objects.filter(
            ar=2026, status=Beslutsstatus.UTKAST, skapad_av=user
        ).exists(),
    ),
    Rad(
        "redovisning",
        "GET",
        lambda s: f"{IK}redovisningar/{s.red.pk}/",
        HANDLING_LAS,
        innehall="SN 2026/3",
    ),
    Rad("redovisning-pdf", "GET", lambda s: f"{IK}redovisningar/{s.red.pk}/pdf/", HANDLING_LAS),
    Rad(
        "redovisning-utkast",
        "GET",
        lambda s: f"{IK}redovisningar/{s.red_utkast_pk}/",
        UTKAST_LAS,
        forbered=_red_utkast,
        innehall="Att rätt belopp betalas ut",
    ),
    Rad(
        "redovisning-utkast-pdf",
        "GET",
        lambda s: f"{IK}redovisningar/{s.red_utkast_pk}/pdf/",
        UTKAST_LAS,
        forbered=_red_utkast,
    ),
    *_planstegrader(),
]


def _ik_arende_url(rad):
    if rad.namn.startswith("plan"):
        return lambda s, user: s.utkast.get_absolute_url()
    if rad.namn.startswith("redovisning"):
        return lambda s, user: f"{IK}redovisningar/{s.red_utkast_pk}/"
    return lambda s, user: s.t.get_absolute_url()


@pytest.mark.parametrize("rad", rader_param(RADER_PLAN))
def test_plan_matris(rad, ik, klient_for):
    kor_rad(rad, ik, klient_for, arende_url=_ik_arende_url(rad), koder=KODER_PLAN)


def test_varje_plansteg_och_adress_har_en_rad():
    """Every step of the plan side and every URL of internkontroll/urls.py outside
    egenkontroll has a row of RADER_PLAN."""
    from django.urls import URLPattern, resolve

    from internkontroll import urls
    from tests.test_url_tackning import konkret

    assert set(TILLFALLESTEG) == {t.name for t in steps_of(Kontrolltillfalle)}
    assert set(PLANSTEG) == {t.name for t in steps_of(Internkontrollplan)}
    assert set(REDOVISNINGSSTEG) == {t.name for t in steps_of(Internkontrollredovisning)}
    assert len({r.namn for r in RADER_PLAN}) == len(RADER_PLAN)
    tackta = {resolve(konkret(r.url)).url_name for r in RADER_PLAN}
    alla = {p.name for p in urls.urlpatterns if isinstance(p, URLPattern)}
    assert tackta == alla
    assert len(alla) == 27


def test_annan_enhets_folk_far_404_pa_tillfallet(ik, klient_for):
    """The occasion of Ekonomiskt bistånd exists, but not for another avdelning's people
    nor for staff who do not perform it: 404 on its page and every action, never 403;
    the nämnd is refused (403)."""
    nr = ik.t.nummer
    # A link that exists, so a 404 for taking it back comes from the occasion, not the link.
    lank = ik.t.link(ik.t2, CaseLink.Typ.LIKNANDE, av=ik.personas["enhetschef"]).pk
    slugs = (
        "kommentar",
        "bilagor",
        "atgarder",
        "lankar",
        f"lankar/{lank}/ta-bort",
        "registrera",
        "andra",
        "bedom-risk",
    )
    for persona in ("enhetschef_annan", "avdelningschef_annan", "medarbetare_annan", "utredare"):
        klient = klient_for(persona)
        assert klient.get(f"{IK}{nr}/").status_code == 404, persona
        for slug in slugs:
            assert klient.post(f"{IK}{nr}/{slug}/", {}).status_code == 404, (persona, slug)
    namnd = klient_for("namnd")
    assert namnd.get(f"{IK}{nr}/").status_code == 403
    for slug in slugs:
        assert namnd.post(f"{IK}{nr}/{slug}/", {}).status_code == 403, slug
    # And their own unit's occasion they do see.
    assert klient_for("enhetschef_annan").get(ik.annan.get_absolute_url()).status_code == 200


def test_utforaren_ser_inte_tillfallet_nar_uppdraget_upphort(ik, klient_for):
    """The named performer sees and records while staff; with the assignment ended, no
    longer (404)."""
    from kvalitet.models import Uppdrag

    klient = klient_for("medarbetare")
    assert klient.get(ik.t.get_absolute_url()).status_code == 200
    Uppdrag.objects.filter(anvandare=ik.personas["medarbetare"]).update(
        giltig_till=IDAG() - timedelta(days=1)
    )
    assert klient.get(ik.t.get_absolute_url()).status_code == 404


def test_namnden_och_cheferna_ser_bara_beslutade_handlingar(ik, klient_for):
    """The list of plans and redovisningar: the decided versions for the chefs and the
    nämnd, the drafts too for staben."""
    _red_utkast(ik)
    utkast = (f"{IK}planer/{ik.utkast.pk}/", f"{IK}redovisningar/{ik.red_utkast_pk}/")
    beslutade = (f"{IK}planer/{ik.plan.pk}/", f"{IK}redovisningar/{ik.red.pk}/")
    for persona in ("namnd", "enhetschef", "avdelningschef_annan"):
        sida = hamta_html(klient_for(persona), f"{IK}planer/")
        assert all(f'href="{u}"' in sida for u in beslutade), persona
        assert not any(f'href="{u}"' in sida for u in utkast), persona
    sida = hamta_html(klient_for("kvalitetssamordnare"), f"{IK}planer/")
    assert all(f'href="{u}"' in sida for u in (*beslutade, *utkast))


# --- Who sees which occasion: list, exports, detail ------------------------------------------

IKNUMMER = re.compile(r'href="/internkontroll/(IK-\d{4}-\d{4})/"')


@pytest.fixture
def tillfallen(org, personas):
    """One occasion per situation of the decided plan 2026; the key names it in
    SYNLIGA_TILLFALLEN below."""
    p = ikplan(2026, status=Beslutsstatus.FASTSTALLD)
    t = {
        "eb": iktillfalle(ikkontroll(p, org["EB"], kod="A1")),
        "team": iktillfalle(ikkontroll(p, org["TEAM"], kod="A2")),
        "buv": iktillfalle(ikkontroll(p, org["BUV"], kod="A3")),
        "koll": iktillfalle(ikkontroll(p, org["KOLL"], kod="A4")),
        # Performed by the registrator (staff of Staben) for Staben.
        "stab_utford": iktillfalle(
            ikkontroll(p, org["STAB"], kod="CENT 1", utforare=personas["registrator"])
        ),
        # Performed by medarbetare_annan in Kollektivet HVB.
        "koll_utford": iktillfalle(
            ikkontroll(p, org["KOLL"], kod="A5", utforare=personas["medarbetare_annan"])
        ),
    }
    return t


ALLA_TILLFALLEN = {"eb", "team", "buv", "koll", "stab_utford", "koll_utford"}
SYNLIGA_TILLFALLEN = Utfall(
    medarbetare=set(),
    medarbetare_annan={"koll_utford"},
    enhetschef={"eb", "team"},
    enhetschef_annan={"koll", "koll_utford"},
    avdelningschef={"eb", "team", "buv"},
    avdelningschef_annan={"koll", "koll_utford"},
    utredare=set(),
    registrator={"stab_utford"},
    kvalitetssamordnare=ALLA_TILLFALLEN,
    forvaltningschef=ALLA_TILLFALLEN,
    namnd=None,  # refused every occasion's page (403)
    admin=set(),
    utan_roll=set(),
)


def test_tillfalletabellen_tacker_alla_personas():
    assert [p for p in PERSONAS if p not in SYNLIGA_TILLFALLEN] == []


def _csv_nummer(response):
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rader = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rader[0][:3] == ["Nummer", "År", "Kontroll"]
    return {r[0] for r in rader[1:]}


def _xlsx_nummer(response):
    assert response.status_code == 200
    bok = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rader = list(bok.active.iter_rows(values_only=True))
    assert rader[0][:3] == ("Nummer", "År", "Kontroll")
    return {r[0] for r in rader[1:]}


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_listan_exporterna_och_sidan_visar_bara_synliga_tillfallen(persona, tillfallen, klient_for):
    """The list, both exports and the occasion's page show exactly the visible occasions;
    the others are 404 (the nämnd: 403 everywhere)."""
    klient = klient_for(persona)
    if SYNLIGA_TILLFALLEN[persona] is None:
        for url in (IK, f"{IK}export.csv", f"{IK}export.xlsx"):
            assert klient.get(url).status_code == 403, url
        for t in tillfallen.values():
            assert klient.get(t.get_absolute_url()).status_code == 403
        return
    vantat = {tillfallen[k].nummer for k in SYNLIGA_TILLFALLEN[persona]}
    assert set(IKNUMMER.findall(hamta_html(klient, IK))) == vantat
    assert _csv_nummer(klient.get(f"{IK}export.csv")) == vantat
    assert _xlsx_nummer(klient.get(f"{IK}export.xlsx")) == vantat
    for nyckel, t in tillfallen.items():
        svar = klient.get(t.get_absolute_url())
        assert svar.status_code == (200 if nyckel in SYNLIGA_TILLFALLEN[persona] else 404), nyckel


# --- Egenkontroll -------------------------------------------------------------------------

EK = "/internkontroll/egenkontroll/"

# Outcomes beyond tests.stod.KODER.
NYEK = "NYEK"  # 302 to an egenkontroll the request planned
GRANSKAD = "GRANSKAD"  # 302 back to the review page for the next file
NYCL = "NYCL"  # 302 to a checklist the request created
CLSPARAD = "CLSPARAD"  # 302 to the checklist, its questions saved
KODER_EGEN = {
    NYEK: Kod(skapad(f"{EK}EK-"), utford=True),
    GRANSKAD: Kod(borjar_med(f"{EK}EK-"), utford=True),
    NYCL: Kod(skapad(f"{EK}checklistor/"), utford=True),
    CLSPARAD: Kod(borjar_med(f"{EK}checklistor/"), utford=True),
}


@pytest.fixture
def egen(org, personas):
    """The egenkontroll matrix's world:

    - `s.ek`: a kollegial granskning of Ekonomiskt bistånd, pågår, owned and planned by
      `enhetschef`, one file reviewed by `medarbetare` (staff of the unit);
    - `s.ek2`: a planned egenkontroll of the same unit (a link target);
    - `s.annan`: one of Kollektivet HVB (Öppenvårdsavdelningen);
    - `s.checklista`: the shipped checklist (its version 1 used by `s.ek`'s review);
    - `s.omrade`: its area Utredning.
    """
    p = personas
    s = SimpleNamespace(org=org, personas=p)
    s.ek = egenkontroll(
        org["EB"],
        handlaggare=p["enhetschef"],
        skapad_av=p["enhetschef"],
        titel="Kollegial granskning av akter 2026",
        period_fran=date(2026, 1, 1),
        period_till=date(2026, 6, 30),
    )
    granska(s.ek, 1, "jjjjnjj", av=p["medarbetare"])
    s.ek2 = egenkontroll(
        org["EB"], status=Egenkontrollstatus.PLANERAD, titel="Öppna jämförelser", version=None
    )
    Egenkontroll.objects.filter(pk=s.ek2.pk).update(
        checklista_version=None, typ="oppna_jamforelser"
    )
    s.annan = egenkontroll(org["KOLL"], titel="HVB-granskning")
    s.checklista = checklista_kg().checklista
    s.omrade = _omrade(s)  # Utredning: the area reviewed in the matrix
    return s


def _ek(s):
    return Egenkontroll.objects.get(pk=s.ek.pk)


def _ek_lankad(s):
    # The pk, not the link: every cell refreshes the scenario's records after a rollback.
    s.lank = s.ek.link(s.ek2, CaseLink.Typ.LIKNANDE, av=s.personas["enhetschef"]).pk


def _status(status, **falt):
    def forbered(s):
        Egenkontroll.objects.filter(pk=s.ek.pk).update(status=status, **falt)

    return forbered


_ANALYSERAD = _status(
    Egenkontrollstatus.ANALYSERAD,
    analysforum_datum=date(2026, 9, 1),
    slutsatser="Vårdplaner saknas.",
)


def _analys(s):
    return {"analysforum_datum": IDAG().isoformat(), "slutsatser": "Barnets röst saknas ofta."}


EGENSTEG = {
    "starta": (
        _status(Egenkontrollstatus.PLANERAD),
        lambda s: {},
        lambda s, user: _ek(s).status == Egenkontrollstatus.PAGAR,
    ),
    "andra": (
        None,
        lambda s: {
            "titel": "Kollegial granskning våren 2026",
            "initiativ": "eget",
            "syfte": "",
            "metod": "",
            "urval": "",
            "period_fran": "2026-01-01",
            "period_till": "2026-06-30",
            "handlaggare": s.personas["enhetschef"].pk,
        },
        lambda s, user: _ek(s).titel == "Kollegial granskning våren 2026",
    ),
    "analysera": (
        None,
        _analys,
        lambda s, user: _ek(s).status == Egenkontrollstatus.ANALYSERAD,
    ),
    "skriv_analys": (
        _ANALYSERAD,
        _analys,
        lambda s, user: _ek(s).slutsatser == "Barnets röst saknas ofta.",
    ),
    "avsluta": (
        _ANALYSERAD,
        lambda s: {"bekraftad": "ja"},
        lambda s, user: _ek(s).status == Egenkontrollstatus.KLAR,
    ),
}

# Who sees the egenkontroll of Ekonomiskt bistånd: its staff, its chefs, staben.
SER = arendesida(medarbetare=200, chefer=200, ser_allt=200)
# Who manages it: its chefs (its owner is one), staben. Its staff see it and review.
LEDER = arendesida(medarbetare=403, chefer=OK, ser_allt=OK)
# Checklists: staben only.
STABEN = Utfall(403, anonym=L, ser_allt=200)


def _egenstegrader():
    rader = []
    for t in steps_of(Egenkontroll):
        forbered, data, gjort = EGENSTEG[t.name]
        rader.append(
            Rad(
                f"ek-{t.slug}",
                "POST",
                lambda s, slug=t.slug: f"{EK}{s.ek.nummer}/{slug}/",
                LEDER,
                forbered=forbered,
                data=data,
                gjort=gjort,
            )
        )
    return rader


def _omrade(s, nr=2):
    return s.ek.checklista_version.omraden.get(ordning=nr)


def _granskning(s):
    omrade = _omrade(s)
    data = {
        "omrade": omrade.pk,
        "datum": IDAG().isoformat(),
        "kommentar": "Välskriven utredning.",
    }
    for p in omrade.punkter.all():
        data[f"punkt_{p.pk}"] = "ja"
    return data


def _ny_ek(s):
    return {
        "enhet": s.org["EB"].pk,
        "typ": "kollegial_granskning",
        "initiativ": "eget",
        "titel": "Kollegial granskning hösten",
        "period_fran": "2026-09-01",
        "period_till": "2026-11-30",
        "handlaggare": s.personas["enhetschef"].pk,
        "checklista_version": checklista_kg().pk,
    }


INNEHALL = "# Förhandsbedömning\n1.1 Har förhandsbedömningen gjorts inom 14 dagar?\n"

RADER_EGEN = [
    Rad("ek-lista", "GET", EK, Utfall(200, anonym=L, namnd=403), innehall="Egenkontroller"),
    Rad(
        "ek-export-csv",
        "GET",
        f"{EK}export.csv",
        Utfall(200, anonym=L, namnd=403),
        innehall="Nummer;Titel;Typ",
    ),
    Rad("ek-export-xlsx", "GET", f"{EK}export.xlsx", Utfall(200, anonym=L, namnd=403)),
    Rad(
        "ek-ny-get",
        "GET",
        f"{EK}ny/",
        Utfall(
            403, anonym=L, chefer=200, enhetschef_annan=200, avdelningschef_annan=200, ser_allt=200
        ),
    ),  # fmt: skip
    # For Ekonomiskt bistånd: its chefs and staben; another unit's chefs cannot choose it.
    Rad(
        "ek-ny-post",
        "POST",
        f"{EK}ny/",
        Utfall(
            403,
            anonym=L,
            chefer=NYEK,
            enhetschef_annan=400,
            avdelningschef_annan=400,
            ser_allt=NYEK,
        ),
        data=_ny_ek,
        gjort=lambda s, user: Egenkontroll.objects.filter(
            skapad_av=user, titel="Kollegial granskning hösten"
        ).exists(),
        innehall="Välj ett giltigt alternativ",
    ),
    Rad(
        "ek-detalj",
        "GET",
        lambda s: f"{EK}{s.ek.nummer}/",
        SER,
        innehall="Kollegial granskning av akter 2026",
    ),
    Rad(
        "ek-granska-get",
        "GET",
        lambda s: f"{EK}{s.ek.nummer}/granska/?omrade={s.omrade.pk}",
        SER,
        innehall="Inga personuppgifter",
    ),
    Rad(
        "ek-granska-post",
        "POST",
        lambda s: f"{EK}{s.ek.nummer}/granska/",
        arendesida(medarbetare=GRANSKAD, chefer=GRANSKAD, ser_allt=GRANSKAD),
        data=_granskning,
        gjort=lambda s, user: Granskning.objects.filter(
            egenkontroll=s.ek, granskare=user, nummer=2
        ).exists(),
    ),
    Rad(
        "ek-kommentar",
        "POST",
        lambda s: f"{EK}{s.ek.nummer}/kommentar/",
        LEDER,
        data=lambda s: {"text": "Analysforum den 12 oktober."},
        gjort=lambda s, user: TimelineEntry.objects.filter(
            typ="kommentar", text="Analysforum den 12 oktober.", anvandare=user
        ).exists(),
    ),
    Rad(
        "ek-bilagor",
        "POST",
        lambda s: f"{EK}{s.ek.nummer}/bilagor/",
        LEDER,
        data=lambda s: {"fil": fil("sammanstallning.pdf", pdf_bytes(), "application/pdf")},
        gjort=lambda s, user: Attachment.objects.filter(
            filnamn="sammanstallning.pdf", uppladdad_av=user, object_id=s.ek.pk
        ).exists(),
    ),
    Rad(
        "ek-atgarder",
        "POST",
        lambda s: f"{EK}{s.ek.nummer}/atgarder/",
        LEDER,
        data=lambda s: {
            "titel": "Mall för barnets uppfattning i utredningen",
            "typ": "rutin",
            "ansvarig": s.personas["enhetschef"].pk,
            "forfallodatum": (IDAG() + timedelta(days=60)).isoformat(),
        },
        gjort=lambda s, user: Atgard.objects.filter(
            titel="Mall för barnets uppfattning i utredningen", skapad_av=user, object_id=s.ek.pk
        ).exists(),
    ),
    Rad(
        "ek-lankar",
        "POST",
        lambda s: f"{EK}{s.ek.nummer}/lankar/",
        LEDER,
        data=lambda s: {"nummer": s.ek2.nummer, "kommentar": "Samma enhet."},
        gjort=lambda s, user: CaseLink.objects.filter(
            fran_id=s.ek.pk, till_id=s.ek2.pk, skapad_av=user
        ).exists(),
    ),
    # A link made by mistake, taken back by those who may link (and see the other case).
    Rad(
        "ek-lank-ta-bort",
        "POST",
        lambda s: f"{EK}{s.ek.nummer}/lankar/{s.lank}/ta-bort/",
        LEDER,
        forbered=_ek_lankad,
        gjort=lambda s, user: not CaseLink.objects.filter(pk=s.lank).exists(),
    ),
    *_egenstegrader(),
    # --- Checklists ---
    Rad("ek-checklistor", "GET", f"{EK}checklistor/", STABEN, innehall="Kollegial granskning"),
    Rad("ek-checklista-ny-get", "GET", f"{EK}checklistor/ny/", STABEN),
    Rad(
        "ek-checklista-ny-post",
        "POST",
        f"{EK}checklistor/ny/",
        Utfall(403, anonym=L, ser_allt=NYCL),
        data=lambda s: {"namn": "Journalgranskning vuxna", "innehall": INNEHALL},
        gjort=lambda s, user: Checklista.objects.filter(namn="Journalgranskning vuxna").exists(),
    ),
    Rad(
        "ek-checklista-get",
        "GET",
        lambda s: f"{EK}checklistor/{s.checklista.pk}/",
        STABEN,
        innehall="Umgängesbegränsningar",
    ),
    # Version 1 is used by a review: saving makes version 2.
    Rad(
        "ek-checklista-post",
        "POST",
        lambda s: f"{EK}checklistor/{s.checklista.pk}/",
        Utfall(403, anonym=L, ser_allt=CLSPARAD),
        data=lambda s: {"innehall": INNEHALL, "kommentar": "Bara förhandsbedömningar."},
        gjort=lambda s, user: Checklisteversion.objects.filter(
            checklista=s.checklista, version=2, skapad_av=user
        ).exists(),
    ),
]


@pytest.mark.parametrize("rad", rader_param(RADER_EGEN))
def test_egenkontroll_matris(rad, egen, klient_for):
    kor_rad(
        rad,
        egen,
        klient_for,
        arende_url=lambda s, user: s.ek.get_absolute_url(),
        koder=KODER_EGEN,
    )


def test_varje_egenkontrollsteg_och_adress_har_en_rad():
    assert set(EGENSTEG) == {t.name for t in steps_of(Egenkontroll)}
    from django.urls import resolve

    from internkontroll.egenurls import egen_urls
    from tests.test_url_tackning import konkret

    assert len({r.namn for r in RADER_EGEN}) == len(RADER_EGEN)
    tackta = {resolve(konkret(r.url)).url_name for r in RADER_EGEN}
    assert tackta == {p.name for p in egen_urls}
    assert reverse("internkontroll:egenkontroll:lista") == EK


def test_annan_enhets_chef_och_personal_far_404(egen, klient_for):
    """The egenkontroll exists, but not for another avdelning's people: 404 on its page,
    its review page and every action, never 403 (which would tell it exists)."""
    nr = egen.ek.nummer
    for persona in ("enhetschef_annan", "medarbetare_annan", "utredare"):
        klient = klient_for(persona)
        assert klient.get(f"{EK}{nr}/").status_code == 404, persona
        assert klient.get(f"{EK}{nr}/granska/").status_code == 404, persona
        for slug in ("starta", "andra", "analysera", "kommentar", "atgarder", "granska"):
            assert klient.post(f"{EK}{nr}/{slug}/", {}).status_code == 404, (persona, slug)
    assert klient_for("enhetschef_annan").get(egen.annan.get_absolute_url()).status_code == 200


def test_personal_under_enheten_granskar_men_inte_ovanfor(egen, org, klient_for):
    """Staff of a team below the unit review its files; staff of the unit review the
    files of its own egenkontroller, not those of a team below it."""
    from tests.factories import UppdragFactory, UserFactory

    kollega = UserFactory(username="kollega")
    UppdragFactory(anvandare=kollega, roll="medarbetare", enhet=org["TEAM"])
    team_ek = egenkontroll(org["TEAM"], titel="Teamets granskning")
    from django.test import Client

    klient = Client()
    klient.force_login(kollega)
    assert klient.get(f"{EK}{egen.ek.nummer}/granska/").status_code == 200
    assert klient_for("medarbetare").get(f"{EK}{team_ek.nummer}/").status_code == 404


def test_granskning_nekas_nar_egenkontrollen_inte_pagar(egen, klient_for):
    """Planned or analysed: no reviews (403 with a reason), nothing written."""
    for status in (Egenkontrollstatus.PLANERAD, Egenkontrollstatus.ANALYSERAD):
        Egenkontroll.objects.filter(pk=egen.ek.pk).update(status=status)
        for persona in ("medarbetare", "enhetschef"):
            klient = klient_for(persona)
            svar = klient.post(f"{EK}{egen.ek.nummer}/granska/", _granskning(egen))
            assert svar.status_code == 403, (status, persona)
            assert "medan en egenkontroll med checklista pågår" in svar.content.decode()
    assert egen.ek.granskningar.count() == 1


# Every matrix of the app: the plan side's and egenkontroll's.
RADER = [*RADER_PLAN, *RADER_EGEN]
