"""Permission matrix over the shared URLs (start page, search, improvement actions,
attachment download, administration) × every persona, and the access rules'
building blocks in kvalitet/behorighet.py."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from kvalitet import behorighet
from kvalitet.models import Atgard, Enhet, Roll
from tests.conftest import PERSONAS
from tests.factories import AtgardFactory, AvvikelseFactory, UppdragFactory, UserFactory
from tests.stod import (
    OK,
    UT,
    A,
    D,
    L,
    R,
    Rad,
    S,
    hamta_html,
    kor_rad,
    meddelanden,
    rader_param,
)

pytestmark = pytest.mark.django_db


def _atgard_status(s):
    s.atgard.refresh_from_db()
    return s.atgard.status


def _genomford(s):
    Atgard.objects.filter(pk=s.atgard.pk).update(status="genomford", genomford=timezone.localdate())


# Columns (PERSONER): anonym, medarbetare, medarbetare_annan, enhetschef, enhetschef_annan,
# avdelningschef, avdelningschef_annan, utredare, registrator, kvalitetssamordnare,
# forvaltningschef, namnd, admin, utan_roll.
#
# The case is in Ekonomiskt bistånd, reported by `medarbetare`, who is also responsible
# for its improvement action; the attachment belongs to the case. The nämnd sees reports
# only: its start page is the reports and the case search is refused.
RADER = [
    Rad(
        "start",
        "GET",
        "/",
        (L, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, R, 200, 200),
        innehall="<h1>Mina ärenden</h1>",
    ),
    Rad(
        "sok",
        "GET",
        "/sok/?nummer={nr}",
        (L, D, S, D, S, D, S, S, S, D, D, 403, S, S),
    ),
    Rad(
        "atgard-paborja",
        "POST",
        "/atgarder/{atgard}/paborja/",
        (L, OK, 404, OK, 404, OK, 404, 404, 404, 403, 403, 404, 404, 404),
        gjort=lambda s, user: _atgard_status(s) == "pagar",
    ),
    Rad(
        "atgard-genomfor",
        "POST",
        "/atgarder/{atgard}/genomfor/",
        (L, OK, 404, OK, 404, OK, 404, 404, 404, 403, 403, 404, 404, 404),
        gjort=lambda s, user: _atgard_status(s) == "genomford",
    ),
    Rad(
        "atgard-utvardera",
        "POST",
        "/atgarder/{atgard}/utvardera/",
        (L, OK, 404, OK, 404, OK, 404, 404, 404, 403, 403, 404, 404, 404),
        forbered=_genomford,
        data=lambda s: {"effekt_kort_sikt": "Inga fler felskickade beslut."},
        gjort=lambda s, user: _atgard_status(s) == "utvarderad",
    ),
    Rad(
        "bilaga",
        "GET",
        "/bilagor/{bilaga}/",
        (L, 200, 404, 200, 404, 200, 404, 404, 404, 200, 200, 404, 404, 404),
        innehall="%PDF-1.4",
    ),
    Rad(
        "admin",
        "GET",
        "/admin/",
        (A, A, A, A, A, A, A, A, A, A, A, A, 200, A),
        innehall="Kvalitet – administration",
    ),
    Rad(
        "admin-enheter",
        "GET",
        "/admin/kvalitet/enhet/",
        (A, A, A, A, A, A, A, A, A, A, A, A, 200, A),
        innehall="Kollektivet HVB",
    ),
    # The account pages: open to anyone (logging in, a forgotten password) or to anyone
    # logged in, whatever the role; a logged-in user is sent on from the login page.
    Rad("logga-in", "GET", "/konto/logga-in/", (200, *(S,) * 13), innehall="Logga in"),
    Rad("logga-ut", "POST", "/konto/logga-ut/", (UT,) * 14),
    Rad("losenord", "GET", "/konto/losenord/", (L, *(200,) * 13), innehall="<h1>Byt lösenord</h1>"),
    Rad("losenord-klart", "GET", "/konto/losenord/klart/", (L, *(200,) * 13)),
    Rad("aterstall", "GET", "/konto/aterstall/", (200,) * 14, innehall="E-post"),
    Rad("aterstall-skickat", "GET", "/konto/aterstall/skickat/", (200,) * 14),
    Rad(
        "aterstall-lank",
        "GET",
        "/konto/aterstall/MQ/fel-token/",
        (200,) * 14,
        innehall="Länken är ogiltig eller har redan använts.",
    ),
    Rad("aterstall-klart", "GET", "/konto/aterstall/klart/", (200,) * 14),
]


def test_personerna_ar_vad_matriskolumnerna_sager(org, personas):
    """Each persona holds exactly its role for its unit (so a column tests what its name
    says), and every role of the product has a persona: a new role needs a column."""
    from kvalitet.models import Uppdrag

    for nyckel, (roll, enhet) in PERSONAS.items():
        uppdrag = set(
            Uppdrag.objects.filter(anvandare=personas[nyckel]).values_list("roll", "enhet__kod")
        )
        assert uppdrag == ({(roll, org[enhet].kod)} if roll else set()), nyckel
    assert {roll for roll, _enhet in PERSONAS.values() if roll} == set(Roll.values)


@pytest.mark.parametrize("rad", rader_param(RADER))
def test_matris(rad, scen, klient_for):
    kor_rad(
        rad,
        scen,
        klient_for,
        url=lambda s: rad.url.format(nr=s.avv.nummer, atgard=s.atgard.pk, bilaga=s.bilaga.pk),
        arende_url=lambda s, user: s.avv.get_absolute_url(),
    )


@pytest.mark.parametrize("slug", ["paborja", "genomfor", "utvardera"])
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
            "Hittade inget ärende med numret {nr} som du har tillgång till.",
        ),
        (
            "enhetschef",
            "AVV-2026-9999",
            "Hittade inget ärende med numret AVV-2026-9999 som du har tillgång till.",
        ),
        ("enhetschef", "<script>", "Hittade inget ärende med numret <SCRIPT> som du"),
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
    arrives at /admin/ logged out is sent to the one login page and back."""
    admin = scen.personas["admin"]
    assert not admin.is_staff
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/konto/logga-in/?next=")
    response = client.post(
        response.redirect_chain[-1][0],
        {"username": "admin", "password": "demo"},
        follow=True,
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
