"""Permission matrix over the shared URLs (start page, search, improvement actions,
attachment download, administration) × every persona, and the access rules'
building blocks in kvalitet/behorighet.py."""

import re
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from kvalitet import behorighet
from kvalitet.models import Atgard, Enhet, Gruppmappning, Roll, Uppdrag, User, Utskick
from tests.conftest import GRUPPER, PERSONAS, Persona, logga_in_helt
from tests.factories import AtgardFactory, AvvikelseFactory, UppdragFactory, UserFactory
from tests.stod import (
    OK,
    PERSONER,
    UT,
    A,
    D,
    Kod,
    L,
    R,
    Rad,
    S,
    Utfall,
    borjar_med,
    forebild,
    hamta_html,
    kor_rad,
    meddelanden,
    rader_param,
    till,
)

pytestmark = pytest.mark.django_db


NY_FRIST = date.today() + timedelta(days=90)


def _atgard_status(s):
    s.atgard.refresh_from_db()
    return s.atgard.status


def _genomford(s):
    Atgard.objects.filter(pk=s.atgard.pk).update(status="genomford", genomford=timezone.localdate())


def _kollegans_uppdrag(s):
    return Uppdrag.objects.filter(anvandare=s.kollega).order_by("pk").first() or Uppdrag(pk=0)


def _export(s):
    """The kvalitetssamordnare's finished export (kvalitet.exporter): its page and its
    file are theirs alone; anyone else gets 404, the nämnd 403 (no case records)."""
    from pathlib import Path

    from django.conf import settings

    from kvalitet.models import Export

    jobb, skapad = Export.objects.get_or_create(
        anvandare=s.personas["kvalitetssamordnare"],
        defaults={
            "lista": "avvikelser.views.ListaView",
            "rubrik": "Avvikelser",
            "format": "csv",
            "status": "klar",
            "filnamn": "avvikelser.csv",
            "fil": "exporter/matris.csv",
            "klar": timezone.now(),
        },
    )
    if skapad:
        fil = Path(settings.MEDIA_ROOT) / jobb.fil
        fil.parent.mkdir(parents=True, exist_ok=True)
        fil.write_bytes("\ufeffÄrendenummer\r\n".encode())
    return jobb


def _misslyckat_utskick(s=None):
    """An e-mail the outbox gave up on (the mail server refused the address)."""
    rad, _ = Utskick.objects.get_or_create(
        mottagare="slutat@exempelkommun.se",
        defaults={
            "amne": "Ny avvikelse AVV-2026-0001",
            "text": "x",
            "forsok": 1,
            "senaste_fel": "550 5.1.1 User unknown",
            "nasta_forsok": None,
        },
    )
    return rad


def _kollegan(s):
    s.kollega.refresh_from_db()
    return s.kollega


def _gruppmappning(s):
    """A mapping of the identity provider's group to a role (kvalitet.gruppmappningar)."""
    return Gruppmappning.objects.get_or_create(
        grupp="sn-medarbetare-eb", roll=Roll.MEDARBETARE, enhet=s.org["EB"]
    )[0]


# The people administration answers a change with the person's page.
P = "P"
# A change of the group mappings answers with their page.
G = "G"
# "Försök igen" on an e-mail given up answers with the list of such e-mail.
U = "U"
# A second-factor action by someone who has not turned it on: back to its page, nothing done.
H = "H"
PERSONKODER = {
    P: Kod(borjar_med("/administration/personer/"), utford=True),
    U: Kod(borjar_med("/utskick/"), utford=True),
    G: Kod(till("/administration/gruppmappningar/"), utford=True),
    H: Kod(till("/konto/tvastegs/hantera/")),
}
ADMINISTRATOR = Utfall(403, anonym=L, admin=200)
ADMINISTRATOR_ANDRAR = Utfall(403, anonym=L, admin=P)

PERSONRADER = [
    Rad(
        "personer", "GET", "/administration/personer/", ADMINISTRATOR, innehall="<h1>Personer</h1>"
    ),
    Rad(
        "personer-sok",
        "GET",
        "/administration/personer/?q=kollega&roll=medarbetare",
        ADMINISTRATOR,
        innehall="Mottagning",
    ),
    Rad(
        "ny-person",
        "GET",
        "/administration/personer/ny/",
        ADMINISTRATOR,
        innehall="<h1>Lägg till person</h1>",
    ),
    Rad(
        "ny-person-spara",
        "POST",
        "/administration/personer/ny/",
        ADMINISTRATOR_ANDRAR,
        data=lambda s: {
            "first_name": "Nora",
            "last_name": "Ny",
            "username": "nora.ny",
            "email": "nora.ny@exempelkommun.se",
            "roll": Roll.MEDARBETARE,
            "enhet": s.org["EB"].pk,
        },
        gjort=lambda s, user: User.objects.filter(username="nora.ny").exists(),
    ),
    Rad("person", "GET", "/administration/personer/{person}/", ADMINISTRATOR, innehall="Kollega"),
    Rad(
        "person-nytt-uppdrag",
        "POST",
        "/administration/personer/{person}/uppdrag/",
        ADMINISTRATOR_ANDRAR,
        data=lambda s: {"roll": Roll.UTREDARE, "enhet": s.org["STAB"].pk},
        gjort=lambda s, user: s.kollega.uppdrag.filter(roll=Roll.UTREDARE).exists(),
    ),
    Rad(
        "person-avsluta-uppdrag",
        "POST",
        "/administration/personer/{person}/uppdrag/{uppdrag}/avsluta/",
        ADMINISTRATOR_ANDRAR,
        gjort=lambda s, user: Roll.MEDARBETARE not in behorighet.roller(_kollegan(s)),
    ),
    Rad(
        "person-inaktivera",
        "POST",
        "/administration/personer/{person}/inaktivera/",
        ADMINISTRATOR_ANDRAR,
        gjort=lambda s, user: not _kollegan(s).is_active,
    ),
    Rad(
        "person-aktivera",
        "POST",
        "/administration/personer/{person}/aktivera/",
        ADMINISTRATOR_ANDRAR,
        forbered=lambda s: s.kollega.inaktivera(),
        gjort=lambda s, user: _kollegan(s).is_active,
    ),
    Rad(
        "person-losenordslank",
        "POST",
        "/administration/personer/{person}/losenordslank/",
        ADMINISTRATOR_ANDRAR,
        gjort=lambda s, user: Utskick.objects.filter(mottagare=s.kollega.email).exists(),
    ),
    # The second factor of `kollega`, who lost the phone (kvalitet.tvastegs).
    Rad(
        "person-aterstall-tvastegs",
        "POST",
        "/administration/personer/{person}/tvastegs/aterstall/",
        ADMINISTRATOR_ANDRAR,
        forbered=lambda s: TOTPDevice.objects.get_or_create(
            user=s.kollega, name="Telefon", confirmed=True
        ),
        gjort=lambda s, user: not TOTPDevice.objects.filter(user=s.kollega).exists(),
    ),
]

# Outcomes per persona: tests.stod.Utfall (a default, then the exceptions; `chefer` and
# `ser_allt` are groups of tests/conftest.py).
#
# The case is in Ekonomiskt bistånd, reported by `medarbetare`, who is also responsible
# for its improvement action; the attachment belongs to the case. The nämnd sees reports
# only: its start page is the reports and the case search is refused.
RADER = [
    Rad("start", "GET", "/", Utfall(200, anonym=L, namnd=R), innehall="<h1>Mina ärenden</h1>"),
    # The förvaltning's dealings with IVO: for the managers and those who see everything.
    Rad(
        "ivo",
        "GET",
        "/ivo/",
        Utfall(
            403,
            anonym=L,
            chefer=200,
            enhetschef_annan=200,
            avdelningschef_annan=200,
            ser_allt=200,
        ),
        innehall="<h1>IVO</h1>",
    ),
    Rad(
        "sok",
        "GET",
        "/sok/?nummer={nr}",
        Utfall(S, anonym=L, medarbetare=D, chefer=D, ser_allt=D, namnd=403),
    ),
    Rad(
        "atgard-paborja",
        "POST",
        "/atgarder/{atgard}/paborja/",
        Utfall(404, anonym=L, medarbetare=OK, chefer=OK, ser_allt=403),
        gjort=lambda s, user: _atgard_status(s) == "pagar",
    ),
    Rad(
        "atgard-genomfor",
        "POST",
        "/atgarder/{atgard}/genomfor/",
        Utfall(404, anonym=L, medarbetare=OK, chefer=OK, ser_allt=403),
        data=lambda s: {"bekraftad": "ja"},
        gjort=lambda s, user: _atgard_status(s) == "genomford",
    ),
    Rad(
        "atgard-utvardera",
        "POST",
        "/atgarder/{atgard}/utvardera/",
        Utfall(404, anonym=L, medarbetare=OK, chefer=OK, ser_allt=403),
        forbered=_genomford,
        data=lambda s: {"effekt_kort_sikt": "Inga fler felskickade beslut."},
        gjort=lambda s, user: _atgard_status(s) == "utvarderad",
    ),
    # Changing an action (its owner, its date) is for the case's handlers, not its owner.
    Rad(
        "atgard-andra",
        "POST",
        "/atgarder/{atgard}/andra/",
        Utfall(404, anonym=L, medarbetare=403, chefer=OK, ser_allt=403),
        data=lambda s: {
            "titel": s.atgard.titel,
            "beskrivning": s.atgard.beskrivning,
            "ansvarig": s.atgard.ansvarig_id,
            "forfallodatum": NY_FRIST.isoformat(),
            "forvantad_effekt": s.atgard.forvantad_effekt,
        },
        gjort=lambda s, user: Atgard.objects.get(pk=s.atgard.pk).forfallodatum == NY_FRIST,
    ),
    Rad(
        "bilaga",
        "GET",
        "/bilagor/{bilaga}/",
        Utfall(404, anonym=L, medarbetare=200, chefer=200, ser_allt=200),
        innehall="%PDF-1.4",
    ),
    # A background export (kvalitet.exporter): the one who asked sees it; anyone else,
    # staff included, gets 404.
    Rad(
        "export",
        "GET",
        "/exporter/{export}/",
        Utfall(404, anonym=L, namnd=403, kvalitetssamordnare=200),
        forbered=_export,
        innehall="Export av avvikelser",
    ),
    Rad(
        "export-fil",
        "GET",
        "/exporter/{export}/fil/",
        Utfall(404, anonym=L, namnd=403, kvalitetssamordnare=200),
        forbered=_export,
        innehall="Ärendenummer",
    ),
    Rad("admin", "GET", "/admin/", Utfall(A, admin=200), innehall="Kvalitet – administration"),
    Rad(
        "admin-enheter",
        "GET",
        "/admin/kvalitet/enhet/",
        Utfall(A, admin=200),
        innehall="Kollektivet HVB",
    ),
    # The people administration (kvalitet/administration.py): the administrator only;
    # its changes concern `kollega` (Medarbetare, Mottagning) and lead back to a person.
    *PERSONRADER,
    # E-mail the outbox gave up on (kvalitet/utskickvyer.py): the kvalitetssamordnare
    # and the administrator.
    Rad(
        "utskick",
        "GET",
        "/utskick/",
        Utfall(403, anonym=L, kvalitetssamordnare=200, admin=200),
        forbered=_misslyckat_utskick,
        innehall="slutat@exempelkommun.se",
    ),
    Rad(
        "utskick-forsok-igen",
        "POST",
        "/utskick/{utskick}/forsok-igen/",
        Utfall(403, anonym=L, kvalitetssamordnare=U, admin=U),
        forbered=_misslyckat_utskick,
        gjort=lambda s, user: not Utskick.objects.misslyckade().exists(),
    ),
    # The account pages: open to anyone (logging in, a forgotten password) or to anyone
    # logged in, whatever the role; a logged-in user is sent on from the login page.
    Rad("logga-in", "GET", "/konto/logga-in/", Utfall(S, anonym=200), innehall="Logga in"),
    Rad("logga-ut", "POST", "/konto/logga-ut/", Utfall(UT)),
    # Sign-in with the municipality's account (kvalitet.oidc): the addresses answer only
    # while OIDC_ISSUER is set, which it is not here; tests/kvalitet/test_oidc.py has
    # them for every persona with it set.
    Rad("oidc-logga-in", "GET", "/konto/oidc/logga-in/", Utfall(404)),
    Rad("oidc-svar", "GET", "/konto/oidc/svar/?code=x&state=y", Utfall(404)),
    # The identity provider's groups that give roles (kvalitet.gruppmappningar).
    Rad(
        "gruppmappningar",
        "GET",
        "/administration/gruppmappningar/",
        ADMINISTRATOR,
        forbered=_gruppmappning,
        innehall="sn-medarbetare-eb",
    ),
    Rad(
        "gruppmappning-ny",
        "POST",
        "/administration/gruppmappningar/",
        Utfall(403, anonym=L, admin=G),
        data=lambda s: {"grupp": "sn-chefer-eb", "roll": "enhetschef", "enhet": s.org["EB"].pk},
        gjort=lambda s, user: Gruppmappning.objects.filter(grupp="sn-chefer-eb").exists(),
    ),
    Rad(
        "gruppmappning-ta-bort",
        "POST",
        "/administration/gruppmappningar/{gruppmappning}/ta-bort/",
        Utfall(403, anonym=L, admin=G),
        forbered=_gruppmappning,
        gjort=lambda s, user: not Gruppmappning.objects.exists(),
    ),
    Rad(
        "losenord",
        "GET",
        "/konto/losenord/",
        Utfall(200, anonym=L),
        innehall="<h1>Byt lösenord</h1>",
    ),
    Rad("losenord-klart", "GET", "/konto/losenord/klart/", Utfall(200, anonym=L)),
    Rad("aterstall", "GET", "/konto/aterstall/", Utfall(200), innehall="E-post"),
    Rad("aterstall-skickat", "GET", "/konto/aterstall/skickat/", Utfall(200)),
    Rad(
        "aterstall-lank",
        "GET",
        "/konto/aterstall/MQ/fel-token/",
        Utfall(200),
        innehall="Länken är ogiltig eller har redan använts.",
    ),
    Rad("aterstall-klart", "GET", "/konto/aterstall/klart/", Utfall(200)),
    # The second factor (kvalitet.tvastegs): every logged-in person's own. The matrix's
    # sessions owe no second step (the administrator's is verified by an app, the others
    # have none), so the step page sends them on; only the administrator has an app to
    # make recovery codes for (the code given is wrong: 400) and may not turn it off.
    Rad("tvastegs", "GET", "/konto/tvastegs/", Utfall(S, anonym=L)),
    Rad(
        "tvastegs-aktivera",
        "GET",
        "/konto/tvastegs/aktivera/",
        Utfall(200, anonym=L, admin=H),
        innehall="<h1>Slå på tvåstegsverifiering</h1>",
    ),
    Rad(
        "tvastegs-hantera",
        "GET",
        "/konto/tvastegs/hantera/",
        Utfall(200, anonym=L),
        innehall="<h1>Tvåstegsverifiering</h1>",
    ),
    Rad(
        "tvastegs-reservkoder",
        "POST",
        "/konto/tvastegs/reservkoder/",
        Utfall(H, anonym=L, admin=400),
        data=lambda s: {"kod": "123456"},
    ),
    Rad(
        "tvastegs-stang-av",
        "POST",
        "/konto/tvastegs/stang-av/",
        Utfall(H, anonym=L),
        data=lambda s: {"kod": "123456"},
    ),
]


def test_personerna_ar_vad_matriskolumnerna_sager(org, personas):
    """Each persona holds exactly its role for its unit (so a column tests what its name
    says), and every role of the product has a persona: a new role needs a column."""
    from kvalitet.models import Uppdrag

    for nyckel, persona in PERSONAS.items():
        uppdrag = set(
            Uppdrag.objects.filter(anvandare=personas[nyckel]).values_list("roll", "enhet__kod")
        )
        vantat = {(persona.roll, org[persona.enhet].kod)} if persona.roll else set()
        assert uppdrag == vantat, nyckel
    assert {p.roll for p in PERSONAS.values() if p.roll} == set(Roll.values)


def test_forebilder_och_grupper_ar_personas():
    """A persona is declared like an existing persona (without a cycle); a group of the
    matrices holds personas and is not itself named like one."""
    for nyckel, persona in PERSONAS.items():
        sedda = {nyckel}
        while persona.som is not None:
            assert persona.som in PERSONAS, f"{nyckel}: {persona.som} finns inte"
            assert persona.som not in sedda, f"{nyckel}: cirkel genom {persona.som}"
            sedda.add(persona.som)
            persona = PERSONAS[persona.som]
    for grupp, medlemmar in GRUPPER.items():
        assert set(medlemmar) <= set(PERSONAS), grupp
        assert grupp not in PERSONER, grupp


def test_utfall_med_standard_grupper_och_forebilder(monkeypatch):
    """How a matrix row reads: a persona's own keyword, then its group's, then the row's
    outcome for the persona it is declared like, then the default."""
    from tests import stod

    personas = {
        "medarbetare": Persona(Roll.MEDARBETARE, "EB"),
        "enhetschef": Persona(Roll.ENHETSCHEF, "EB"),
        "avdelningschef": Persona(Roll.AVDELNINGSCHEF, "MYN"),
        "registrator": Persona(Roll.REGISTRATOR, "STAB"),
        "namnd": Persona(Roll.NAMND, "SOC"),
        "enhetschef_vikarie": Persona(Roll.ENHETSCHEF, "EB", som="enhetschef"),
    }
    monkeypatch.setattr(stod, "PERSONAS", personas)
    monkeypatch.setattr(stod, "PERSONER", ("anonym", *personas))
    monkeypatch.setattr(stod, "GRUPPER", {"chefer": ("enhetschef", "avdelningschef")})
    rad = Utfall(404, anonym=L, chefer=OK, avdelningschef=403, registrator=200)
    assert dict(rad) == {
        "anonym": L,
        "medarbetare": 404,  # the default
        "enhetschef": OK,  # its group
        "avdelningschef": 403,  # named: before its group
        "registrator": 200,
        "namnd": 404,
        "enhetschef_vikarie": OK,  # as the enhetschef in this row
    }
    assert Utfall(404, enhetschef_vikarie=403)["enhetschef_vikarie"] == 403
    assert Utfall(404, enhetschef=200)["enhetschef_vikarie"] == 200
    assert forebild("enhetschef_vikarie") == "enhetschef"
    assert forebild("anonym") == "anonym"
    # Without a default, only what is named (or declared like something named) is covered.
    utan_standard = Utfall(enhetschef=1)
    assert list(utan_standard) == ["enhetschef", "enhetschef_vikarie"]
    with pytest.raises(KeyError):
        utan_standard["medarbetare"]
    with pytest.raises(TypeError, match="okända personas eller grupper: enhetchef"):
        Utfall(404, enhetchef=OK)
    monkeypatch.setattr(
        stod,
        "GRUPPER",
        {"chefer": ("enhetschef", "avdelningschef"), "ledning": ("avdelningschef",)},
    )
    with pytest.raises(TypeError, match="avdelningschef står i flera grupper"):
        Utfall(404, chefer=OK, ledning=403)


@pytest.mark.parametrize("rad", rader_param(RADER))
def test_matris(rad, scen, klient_for):
    kor_rad(
        rad,
        scen,
        klient_for,
        url=lambda s: rad.url.format(
            nr=s.avv.nummer,
            atgard=s.atgard.pk,
            bilaga=s.bilaga.pk,
            person=s.kollega.pk,
            uppdrag=_kollegans_uppdrag(s).pk,
            # Created by the rows' `forbered`, before the snapshot; looked up here.
            utskick=_misslyckat_utskick().pk if "{utskick}" in rad.url else 0,
            export=_export(s).pk if "{export}" in rad.url else 0,
            gruppmappning=_gruppmappning(s).pk if "{gruppmappning}" in rad.url else 0,
        ),
        arende_url=lambda s, user: s.avv.get_absolute_url(),
        koder=PERSONKODER,
    )


@pytest.mark.parametrize("slug", ["paborja", "genomfor", "utvardera", "andra"])
def test_atgardsovergangar_tar_bara_emot_post(slug, scen, klient_for):
    response = klient_for("medarbetare").get(f"/atgarder/{scen.atgard.pk}/{slug}/")
    assert response.status_code == 405
    assert _atgard_status(scen) == "planerad"


@pytest.mark.parametrize(
    "url", ["/atgarder/999999/paborja/", "/bilagor/999999/", "/avvikelser/AVV-2026-9999/"]
)
def test_okanda_objekt_ger_404(url, scen, klient_for):
    klient = klient_for("kvalitetssamordnare")
    response = klient.post(url) if "atgarder" in url else klient.get(url)
    assert response.status_code == 404
    assert "Sidan finns inte" in response.content.decode()


# --- Search by number ---------------------------------------------------------------------


def test_sok_hittar_synligt_arende_oavsett_skiftlage(scen, klient_for):
    response = klient_for("enhetschef").get("/sok/", {"nummer": f"  {scen.avv.nummer.lower()} "})
    assert response.headers["Location"] == scen.avv.get_absolute_url()


@pytest.mark.parametrize(
    ("persona", "nummer", "meddelande"),
    [
        (
            "medarbetare_annan",
            None,
            "Hittade inget ärende med numret eller referensnumret {nr} som du har tillgång till.",
        ),
        (
            "enhetschef",
            "AVV-2026-9999",
            "Hittade inget ärende med numret eller referensnumret AVV-2026-9999 som du har "
            "tillgång till.",
        ),
        (
            "enhetschef",
            "<script>",
            "Hittade inget ärende med numret eller referensnumret <SCRIPT> som du",
        ),
        ("enhetschef", "", "Skriv ett ärendenummer, till exempel AVV-2026-0042."),
    ],
)
def test_sok_utan_traff_sager_det_pa_svenska(persona, nummer, meddelande, scen, klient_for):
    nummer = scen.avv.nummer if nummer is None else nummer
    response = klient_for(persona).get("/sok/", {"nummer": nummer})
    assert response.headers["Location"] == "/"
    text = meddelande.format(nr=nummer)
    assert any(m.startswith(text) for m in meddelanden(response)), meddelanden(response)


# --- The start page ---------------------------------------------------------------------


NUMMER = re.compile(r'href="/avvikelser/(AVV-\d{4}-\d{4})/"')


def test_startsidan_visar_det_som_vantar_pa_enhetschefen(scen, klient_for):
    buv = AvvikelseFactory(enhet=scen.org["BUV"])
    html = hamta_html(klient_for("enhetschef"), "/")
    assert "Avvikelser som väntar på dig" in html
    assert set(NUMMER.findall(html)) == {scen.avv.nummer, scen.team_fall.nummer}
    assert buv.nummer not in html


def test_startsidan_visar_de_mest_bradskande_och_lankar_till_resten(scen, klient_for, monkeypatch):
    """Beyond `MAX_VANTAR` waiting cases of a type the start page shows the most urgent
    (earliest deadline first) and links to the list filtered to what waits for the user,
    which lists every one of them and nothing else."""
    from kvalitet.views import StartView

    monkeypatch.setattr(StartView, "MAX_VANTAR", 3)
    idag = timezone.localdate()
    for i, fall in enumerate([scen.team_fall, scen.avv]):
        fall.tidsfrist = idag + timedelta(days=10 + i)
        fall.save()
    brad = [
        AvvikelseFactory(enhet=scen.org["EB"], tidsfrist=idag + timedelta(days=i)) for i in (1, 2)
    ]
    senare = AvvikelseFactory(enhet=scen.org["EB"], tidsfrist=idag + timedelta(days=30))
    avslutat = AvvikelseFactory(enhet=scen.org["EB"], status="avslutad")
    annan_enhet = AvvikelseFactory(enhet=scen.org["BUV"])
    klient = klient_for("enhetschef")

    html = hamta_html(klient, "/")
    assert NUMMER.findall(html) == [brad[0].nummer, brad[1].nummer, scen.team_fall.nummer]
    assert "Här visas de 3 mest brådskande." in html
    assert 'href="/avvikelser/?vantar=on">Alla avvikelser som väntar på dig</a>' in html

    vantar = {brad[0].nummer, brad[1].nummer, scen.team_fall.nummer, scen.avv.nummer}
    lista = hamta_html(klient, "/avvikelser/?vantar=on")
    assert set(NUMMER.findall(lista)) == vantar | {senare.nummer}
    alla = hamta_html(klient, "/avvikelser/")
    assert {avslutat.nummer} <= set(NUMMER.findall(alla)) - set(NUMMER.findall(lista))
    assert annan_enhet.nummer not in alla + lista

    # Someone who sees cases but handles none: the filter finds nothing.
    egna = hamta_html(klient_for("medarbetare"), "/avvikelser/")
    assert scen.avv.nummer in egna
    assert NUMMER.findall(hamta_html(klient_for("medarbetare"), "/avvikelser/?vantar=on")) == []

    monkeypatch.setattr(StartView, "MAX_VANTAR", 5)
    html = hamta_html(klient, "/")
    assert len(NUMMER.findall(html)) == 5
    assert "?vantar=on" not in html


def test_startsidan_kallar_det_registrerade_for_registrerat(scen, klient_for):
    """A synpunkt is registered, not reported: the start page's heading of one's own
    says so (it said "Mina rapporter" over synpunkter and IVO's tillsyner)."""
    from tests.factories import SynpunktFactory

    syn = SynpunktFactory(enhet=scen.org["EB"], skapad_av=scen.personas["registrator"])
    html = hamta_html(klient_for("registrator"), "/")
    rubrik = html.index(">Synpunkter jag har registrerat</h3>")
    assert html.index(syn.nummer, rubrik) > rubrik
    assert "Mina rapporter" not in html


def test_startsidans_egna_arenden_ar_en_tabell_med_typens_datum(scen, klient_for):
    """One's own cases are a table like the start page's others: number, summary, unit,
    status and the type's own date under its own name (reported, received), in Swedish
    local time."""
    from tests.factories import SynpunktFactory

    syn = SynpunktFactory(
        enhet=scen.org["EB"],
        skapad_av=scen.personas["registrator"],
        inkom=timezone.make_aware(datetime(2026, 1, 1, 0, 30)),
    )
    html = hamta_html(klient_for("registrator"), "/")
    tabell = re.search(
        r"<h3 id=\"(rubrik-egna-\d+)\">Synpunkter jag har registrerat</h3>\s*"
        r'<div class="tabell kompakt"><table aria-labelledby="\1">(.*?)</table>',
        html,
        re.S,
    ).group(2)
    rubriker = re.findall(r'<th scope="col">(.*?)</th>', tabell)
    assert rubriker == ["Nummer", "Sammanfattning", "Enhet", "Status", "Inkom"]
    rad = re.search(rf"<tr>\s*<td[^>]*><a href=\"{syn.get_absolute_url()}\".*?</tr>", tabell, re.S)
    assert rad is not None, tabell
    celler = re.findall(r'<td data-label="([^"]+)"', rad.group(0))
    assert celler == rubriker
    assert '<span class="datum">2026-01-01</span>' in rad.group(0)  # 23:30 UTC on 31 Dec
    assert scen.org["EB"].namn in rad.group(0)


def test_startsidan_visar_medarbetarens_rapporter_och_atgarder(scen, klient_for):
    html = hamta_html(klient_for("medarbetare"), "/")
    assert "Mina rapporter" in html
    assert "Mina åtgärder" in html
    assert "Ny rutin" in html
    assert f'href="/avvikelser/{scen.avv.nummer}/#atgard-{scen.atgard.pk}"' in html
    assert scen.team_fall.nummer not in html


def test_startsidan_visar_forvaltningschefen_utredda_utan_stallningstagande(scen, klient_for):
    scen.avv.status = "under_utredning"
    scen.avv.save()
    html = hamta_html(klient_for("forvaltningschef"), "/")
    assert set(NUMMER.findall(html)) == {scen.avv.nummer}

    scen.avv.fc_stallningstagande = "inte_allvarlig"
    scen.avv.save()
    html = hamta_html(klient_for("forvaltningschef"), "/")
    assert NUMMER.findall(html) == []


def _rad(html, nummer):
    """The start page's row of a case: {column label: cell text}."""
    rad = re.search(rf"<tr[^>]*>(?:(?!</tr>).)*>{nummer}</a>.*?</tr>", html, re.S).group(0)
    return {
        etikett: re.sub(r"<[^>]+>|\s+", " ", cell).strip()
        for etikett, cell in re.findall(r'<td data-label="([^"]+)">(.*?)</td>', rad, re.S)
    }


def test_startsidan_sager_varfor_ett_arende_vantar(scen, klient_for):
    """Every waiting case says what is expected of this user (issue 10): a closed
    avvikelse waits for the förvaltningschef's position, a reported one for the unit's
    chef to start the investigation; and says what it is about."""
    scen.avv.status = "avslutad"
    scen.avv.beskrivning = "Fel dos <script>x</script> given på kvällen.\nMer text."
    scen.avv.save()
    fc = _rad(hamta_html(klient_for("forvaltningschef"), "/"), scen.avv.nummer)
    assert fc["Status"] == "Avslutad"
    assert fc["Att göra"] == "Ta ställning"
    assert fc["Sammanfattning"] == "Fel dos &lt;script&gt;x&lt;/script&gt; given på kvällen. …"

    chef = _rad(hamta_html(klient_for("enhetschef"), "/"), scen.team_fall.nummer)
    assert (chef["Status"], chef["Att göra"]) == ("Rapporterad", "Starta utredning")
    assert chef["Sammanfattning"] == scen.team_fall.sammanfattning != ""


@pytest.mark.parametrize("persona", ["admin", "utan_roll"])
def test_startsidan_for_roller_utan_arenden(persona, scen, klient_for):
    html = hamta_html(klient_for(persona), "/")
    assert "Din roll ger inte tillgång till enskilda ärenden." in html
    assert "Rapportera avvikelse" not in html
    assert NUMMER.findall(html) == []


@pytest.mark.parametrize(
    ("persona", "avvikelser", "rapporter", "administration"),
    [
        ("medarbetare", True, False, False),
        ("kvalitetssamordnare", True, True, False),
        ("forvaltningschef", True, True, False),
        ("namnd", False, True, False),
        ("admin", False, False, True),
    ],
)
def test_menyn_visar_det_rollen_far_anvanda(
    persona, avvikelser, rapporter, administration, scen, klient_for
):
    # The nämnd's start page is the reports; the menu is read where the start leads.
    response = klient_for(persona).get("/", follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert ('href="/avvikelser/"' in html) is avvikelser
    assert ('href="/rapporter/"' in html) is rapporter
    assert ('href="/admin/"' in html) is administration


# --- Administration -----------------------------------------------------------------------


def test_administrator_utan_personalflagga_kan_logga_in_via_adminsidan(scen, client):
    """The admin role, not Django's is_staff flag, opens the admin: an administrator who
    arrives at /admin/ logged out is sent to the one login page, through the second step
    (an administrator always has one, kvalitet.tvastegs), and back."""
    admin = scen.personas["admin"]
    assert not admin.is_staff
    app = TOTPDevice.objects.create(user=admin, name="Telefon", confirmed=True)
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/konto/logga-in/?next=")
    response = client.post(
        response.redirect_chain[-1][0],
        {"username": "admin", "password": "demo"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/konto/tvastegs/?next=%2Fadmin%2F"
    response = client.post(
        response.redirect_chain[-1][0], {"kod": f"{totp(app.bin_key):06d}"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/admin/"
    assert "Kvalitet – administration" in response.content.decode()


def test_inloggad_utan_adminroll_nekas_adminsidan(scen, klient_for):
    response = klient_for("kvalitetssamordnare").get("/admin/", follow=True)
    assert response.status_code == 403
    assert "Administrationen är bara öppen för administratörer." in response.content.decode()


def test_superanvandare_utan_roll_far_administrera(scen, klient_for):
    chef = scen.personas["utan_roll"]
    chef.is_superuser = True
    chef.save()
    assert klient_for("utan_roll").get("/admin/kvalitet/enhet/").status_code == 200


def test_arenden_finns_inte_i_administrationen(scen, klient_for):
    response = klient_for("admin").get("/admin/avvikelser/avvikelse/")
    assert response.status_code == 404


# --- The access module's building blocks ----------------------------------------------------


def _koder(qs):
    return set(qs.values_list("kod", flat=True))


def test_rapporteringsenheter_ar_egna_enheter_och_underenheter(org, personas):
    assert _koder(behorighet.rapporteringsenheter(personas["medarbetare"])) == {
        "MYN-EB",
        "MYN-EB-MOT",
    }
    assert _koder(behorighet.rapporteringsenheter(personas["avdelningschef"])) == {
        "MYN",
        "MYN-EB",
        "MYN-EB-MOT",
        "MYN-BUV",
    }
    assert _koder(behorighet.rapporteringsenheter(personas["kvalitetssamordnare"])) == set(
        Enhet.objects.values_list("kod", flat=True)
    )
    assert _koder(behorighet.rapporteringsenheter(personas["namnd"])) == set()
    org["TEAM"].aktiv = False
    org["TEAM"].save()
    assert _koder(behorighet.rapporteringsenheter(personas["medarbetare"])) == {"MYN-EB"}


def test_ansvariga_chefer_ar_narmaste_enhet_uppat_med_chef(org, personas):
    enhetschef = personas["enhetschef"]
    assert behorighet.ansvariga_chefer(org["TEAM"]) == [enhetschef]
    assert behorighet.ansvariga_chefer(org["EB"]) == [enhetschef]
    teamchef = UserFactory(username="teamchef")
    UppdragFactory(anvandare=teamchef, roll=Roll.ENHETSCHEF, enhet=org["TEAM"])
    assert behorighet.ansvariga_chefer(org["TEAM"]) == [teamchef]
    # An ended assignment or an inactive account does not count.
    teamchef.is_active = False
    teamchef.save()
    assert behorighet.ansvariga_chefer(org["TEAM"]) == [enhetschef]


def test_mojliga_ansvariga_ar_personal_ovanfor_och_under_enheten(org, personas):
    namn = {u.username for u in behorighet.mojliga_ansvariga(org["EB"])}
    assert namn == {"medarbetare", "enhetschef", "avdelningschef", "forvaltningschef"}


def test_synliga_respekterar_inaktivt_konto(org, personas, avvikelse):
    from avvikelser.models import Avvikelse

    chef = personas["kvalitetssamordnare"]
    assert Avvikelse.objects.for_user(chef).count() == 1
    chef.is_active = False
    assert Avvikelse.objects.for_user(chef).count() == 0


def test_atgardsansvarig_utanfor_enheten_ser_bara_sitt_arende(org, personas, avvikelse):
    """Holding an action opens that case only, not the unit."""
    from avvikelser.models import Avvikelse

    annan = AvvikelseFactory(enhet=org["EB"])
    ansvarig = personas["utredare"]
    AtgardFactory(
        arende=avvikelse,
        ansvarig=ansvarig,
        forfallodatum=timezone.localdate() + timedelta(days=3),
    )
    assert set(Avvikelse.objects.for_user(ansvarig)) == {avvikelse}
    assert annan not in Avvikelse.objects.for_user(ansvarig)


@pytest.mark.parametrize(
    ("persona", "adress", "data", "tillbaka"),
    [
        (None, "/synpunkter/lamna/", {"typ": "synpunkt", "beskrivning": "Hej."}, None),
        ("enhetschef", "/avvikelser/ny/", {"beskrivning": "Hej."}, None),
        # A comment posts to an address that takes POST only: back to the case's page
        # (the Referer), or without one to the start page – never to a 405.
        ("enhetschef", "/avvikelser/{nr}/kommentar/", {"text": "Hej."}, "/avvikelser/{nr}/"),
        ("enhetschef", "/avvikelser/{nr}/kommentar/", {"text": "Hej."}, "/"),
    ],
)
def test_csrf_fel_far_produktens_sida_med_vag_tillbaka(persona, adress, data, tillbaka, scen):
    """A form posted without a valid CSRF token (an old page, an ended session) is
    refused on a page in the product's look that explains it and leads back."""
    from django.test import Client

    from avvikelser.models import Avvikelse
    from synpunkter.models import Synpunkt

    klient = Client(enforce_csrf_checks=True)
    if persona:
        logga_in_helt(klient, scen.personas[persona])
    fore = (Avvikelse.objects.count(), Synpunkt.objects.count())
    adress = adress.format(nr=scen.avv.nummer)
    tillbaka = (tillbaka or adress).format(nr=scen.avv.nummer)
    referer = {"HTTP_REFERER": f"http://testserver{tillbaka}"} if tillbaka != "/" else {}
    response = klient.post(adress, data, **referer)
    assert response.status_code == 403
    sida = response.content.decode()
    assert "<h1>Formuläret kunde inte skickas</h1>" in sida
    assert "Ingenting har sparats." in sida
    assert f'<a href="{tillbaka}" role="button">Tillbaka till sidan</a>' in sida
    assert "/static/css/kvalitet" in sida  # the product's own look
    assert ('href="/" role="button"' in sida) is bool(persona)
    assert (Avvikelse.objects.count(), Synpunkt.objects.count()) == fore


@pytest.mark.parametrize(
    ("persona", "far"),
    [
        ("medarbetare", True),  # reported it
        ("enhetschef", True),  # the unit's managers
        ("avdelningschef", True),
        ("utredare", True),  # handles it (below)
        ("registrator", True),  # owns an action on it (below)
        ("kvalitetssamordnare", False),  # sees every case, reads and exports only
        ("forvaltningschef", False),
        ("medarbetare_annan", False),
        ("enhetschef_annan", False),
    ],
)
def test_bara_de_inblandade_kommenterar_och_bifogar(persona, far, org, personas, avvikelse):
    """Adding to a case's timeline and attaching files is for those involved with it: the
    reporter, the handler, the unit's managers and the owners of its actions; and only
    while it is open (docs/behorighet.md)."""
    from avvikelser.models import Avvikelse

    Avvikelse.objects.filter(pk=avvikelse.pk).update(handlaggare=personas["utredare"])
    AtgardFactory(arende=avvikelse, ansvarig=personas["registrator"])
    avvikelse.refresh_from_db()
    assert behorighet.kan_kommentera(personas[persona], avvikelse) is far
    avvikelse.status = "avslutad"
    assert behorighet.kan_kommentera(personas[persona], avvikelse) is False


def test_kommentarsformularet_visas_bara_for_de_inblandade(scen, klient_for):
    url = scen.avv.get_absolute_url()
    assert 'name="text"' in hamta_html(klient_for("medarbetare"), url)
    for persona in ("kvalitetssamordnare", "forvaltningschef"):
        html = hamta_html(klient_for(persona), url)
        assert 'name="text"' not in html, persona
        assert "Ladda upp" not in html, persona
