"""The administrator's people pages in the product (issue 10, usability finding 10):
the list of people with their valid roles and units, adding a person with a first role
(no password: the reset mail through the outbox), adding and ending assignments,
deactivating and reactivating – each change in the history with the administrator, every
refused input with a Swedish message and nothing changed. Who may use the pages at all
is in the permission matrix (tests/kvalitet/test_behorighet.py, PERSONRADER)."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from kvalitet import behorighet
from kvalitet.models import Roll, Uppdrag, User, Utskick
from tests.conftest import logga_in_helt
from tests.factories import EnhetFactory, UppdragFactory, UserFactory
from tests.stod import hamta_html, meddelanden, ogonblick

pytestmark = pytest.mark.django_db

LISTA = "/administration/personer/"
NY = "/administration/personer/ny/"
IDAG = timezone.localdate()
LANK = re.compile(r"https?://[^/\s]+(/konto/aterstall/[^/\s]+/[^/\s]+/)")


def person_url(user):
    return f"/administration/personer/{user.pk}/"


@pytest.fixture
def admin(personas):
    return personas["admin"]


@pytest.fixture
def klient(klient_for):
    return klient_for("admin")


@pytest.fixture
def admin2(org):
    user = UserFactory(username="admin2", email="admin2@exempelkommun.se")
    UppdragFactory(anvandare=user, roll=Roll.ADMIN, enhet=org["SOC"])
    return user


def ny_person_data(org, **andrat):
    data = {
        "first_name": "Nora",
        "last_name": "Nyström",
        "username": "nora.nystrom",
        "email": "nora.nystrom@exempelkommun.se",
        "titel": "Socialsekreterare",
        "roll": Roll.MEDARBETARE,
        "enhet": org["EB"].pk,
    }
    data.update(andrat)
    return data


def refuserad(response, text):
    """A refused form: 400, the Swedish message shown (escaped as on the page)."""
    assert response.status_code == 400, response.status_code
    body = response.content.decode()
    assert escape(text) in body, f"{text!r} saknas"
    assert "Det finns fel i formuläret" in body


# --- The list ----------------------------------------------------------------------------


def test_listan_visar_personer_med_roller_och_enheter(org, personas, klient):
    eva = UserFactory(username="eva", first_name="Eva", last_name="Ek", email="eva@kommun.se")
    UppdragFactory(anvandare=eva, roll=Roll.ENHETSCHEF, enhet=org["KOLL"])
    UppdragFactory(
        anvandare=eva,
        roll=Roll.UTREDARE,
        enhet=org["STAB"],
        giltig_fran=IDAG - timedelta(days=10),
        giltig_till=IDAG + timedelta(days=20),
    )
    UppdragFactory(  # ended: not in the list
        anvandare=eva, roll=Roll.MEDARBETARE, enhet=org["EB"], giltig_till=IDAG - timedelta(1)
    )
    UserFactory(username="slutat", first_name="Sture", last_name="Slutat", is_active=False)
    html = hamta_html(klient, LISTA)
    rad = re.search(r"<tr>\s*<td data-label=\"Namn\"><a[^>]*>Eva Ek</a>.*?</tr>", html, re.S)
    rad = rad.group(0)
    assert "eva@kommun.se" in rad and ">eva<" in rad and "Aktivt" in rad
    assert "Enhetschef, Kollektivet HVB" in rad
    period = f"{IDAG - timedelta(days=10):%Y-%m-%d} – {IDAG + timedelta(days=20):%Y-%m-%d}"
    assert "Utredare, Staben" in rad and period in rad
    assert "Medarbetare, Ekonomiskt bistånd" not in rad
    sture = re.search(r"Sture Slutat</a>.*?</tr>", html, re.S).group(0)
    assert "Inaktiverat" in sture and "Inga" in sture
    # Everyone is listed, with a link to their page.
    for user in personas.values():
        assert f'href="{person_url(user)}"' in html


@pytest.mark.parametrize(
    ("parametrar", "vantat"),
    [
        ({"q": "xqz"}, {"xqz"}),  # user name (no Faker name of a persona holds it)
        ({"q": "WYXBLADH"}, {"xqz"}),  # last name, any case
        ({"q": "Xqzia Wyxbl"}, {"xqz"}),  # every word
        ({"q": "@ovrig.se"}, {"xqz"}),  # e-mail
        ({"q": "ingen-sadan"}, set()),
        ({"roll": Roll.ENHETSCHEF, "q": "e"}, {"xqz", "enhetschef", "enhetschef_annan"}),
        # Unit with its subtree: Myndighetsavdelningen holds Ekonomiskt bistånd.
        ({"enhet": "MYN"}, {"medarbetare", "enhetschef", "avdelningschef", "xqz"}),
        # Role and unit of the same assignment.
        ({"enhet": "MYN", "roll": Roll.ENHETSCHEF}, {"enhetschef"}),
        ({"enhet": "KOLL", "roll": Roll.ENHETSCHEF}, {"enhetschef_annan"}),
        ({"status": "inaktiva"}, {"slutat"}),
    ],
)
def test_sok_och_filter(parametrar, vantat, org, personas, klient):
    # Names no random (Faker) persona name contains, so a search finds only this one.
    eva = UserFactory(username="xqz", first_name="Xqzia", last_name="Wyxbladh", email="x@ovrig.se")
    UppdragFactory(anvandare=eva, roll=Roll.UTREDARE, enhet=org["EB"])
    UppdragFactory(  # ended: does not count
        anvandare=eva, roll=Roll.ENHETSCHEF, enhet=org["EB"], giltig_till=IDAG - timedelta(1)
    )
    UppdragFactory(anvandare=eva, roll=Roll.ENHETSCHEF, enhet=org["STAB"])
    UserFactory(username="slutat", is_active=False)
    if "enhet" in parametrar:
        parametrar = {**parametrar, "enhet": org[parametrar["enhet"]].pk}
    response = klient.get(LISTA, parametrar)
    assert response.status_code == 200
    assert {u.username for u in response.context["sida"].object_list} == vantat


@pytest.mark.parametrize(
    ("parametrar", "fel"),
    [
        ({"q": "x" * 201}, "som mest 200 tecken (den har 201)"),
        ({"roll": "kung"}, "Välj ett giltigt alternativ"),
        ({"enhet": "999999"}, "Välj ett giltigt alternativ"),
        ({"q": "<script>alert(1)</script>"}, "får inte innehålla HTML-kod"),
    ],
)
def test_felaktig_sokning_visar_ingen_och_sager_varfor(parametrar, fel, personas, klient):
    response = klient.get(LISTA, parametrar)
    assert response.status_code == 200
    assert list(response.context["sida"].object_list) == []
    body = response.content.decode()
    assert "Sökningen innehåller fel" in body and fel in body
    assert "<script>alert" not in body


def test_htmx_byter_bara_resultatet(personas, klient):
    response = klient.get(LISTA, {"q": "admin"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="resultat")
    body = response.content.decode()
    assert "<h1>" not in body and "<table" in body and 'href="/administration/personer/' in body


def test_listan_delas_i_sidor(org, personas, klient):
    for i in range(30):
        UserFactory(username=f"p{i:02d}", first_name="Person", last_name=f"{i:02d}")
    forsta = klient.get(LISTA)
    assert len(forsta.context["sida"].object_list) == 25
    assert "Sida 1 av 2" in forsta.content.decode()
    andra = klient.get(LISTA, {"sida": 2})
    assert len(andra.context["sida"].object_list) == len(personas) + 30 - 25


def fyll_pa(org, antal):
    """`antal` people, each with two valid assignments and an ended one."""
    while User.objects.filter(username__startswith="fler").count() < antal:
        n = User.objects.filter(username__startswith="fler").count()
        user = UserFactory(username=f"fler{n:03d}")
        UppdragFactory(anvandare=user, roll=Roll.MEDARBETARE, enhet=org["EB"])
        UppdragFactory(anvandare=user, roll=Roll.UTREDARE, enhet=org["STAB"])
        UppdragFactory(
            anvandare=user, roll=Roll.ENHETSCHEF, enhet=org["KOLL"], giltig_till=IDAG - timedelta(1)
        )


@pytest.mark.parametrize("url", [LISTA, f"{LISTA}?q=fler&roll=medarbetare"])
def test_listan_kostar_lika_manga_fragor_med_3_och_30_personer(
    url, org, personas, klient, django_assert_num_queries
):
    fyll_pa(org, 3)
    klient.get(url)  # warm caches outside the measurement
    with CaptureQueriesContext(connection) as med_3:
        assert klient.get(url).status_code == 200
    fyll_pa(org, 30)
    with django_assert_num_queries(len(med_3)):
        response = klient.get(url)
    html = response.content.decode()
    assert html.count('<td data-label="Namn">') == 25
    if "?" in url:  # the 30 added, each with their two valid assignments
        assert html.count("Medarbetare, Ekonomiskt bistånd") == 25
        assert html.count("Utredare, Staben") == 25


def test_menyn_har_personer_for_administratoren(personas, klient_for):
    meny = re.compile(r'<ul class="meny" id="huvudmeny">(.*?)</ul>', re.S)
    html = hamta_html(klient_for("admin"), "/")
    assert f'<a href="{LISTA}">Personer</a>' in meny.search(html).group(1)
    html = hamta_html(klient_for("admin"), LISTA)
    assert f'<a href="{LISTA}" aria-current="page">Personer</a>' in html
    for persona in ("medarbetare", "forvaltningschef", "kvalitetssamordnare"):
        assert LISTA not in hamta_html(klient_for(persona), "/"), persona


def test_namn_med_skript_visas_som_text(org, personas, klient):
    user = UserFactory(username="x", first_name="<script>alert(1)</script>", last_name="B")
    UppdragFactory(anvandare=user, roll=Roll.MEDARBETARE, enhet=org["EB"])
    for url in (LISTA, person_url(user)):
        html = hamta_html(klient, url)
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- Adding a person ---------------------------------------------------------------------


def test_ny_person_far_uppdrag_och_lankmejl_men_inget_losenord(
    org, personas, admin, klient, django_capture_on_commit_callbacks
):
    html = hamta_html(klient, NY)
    for falt in ("password", "is_superuser", "is_staff", "Superanvändare"):
        assert falt not in html
    with django_capture_on_commit_callbacks(execute=True):
        response = klient.post(NY, ny_person_data(org))
    nora = User.objects.get(username="nora.nystrom")
    assert response.headers["Location"] == person_url(nora)
    assert meddelanden(response) == [
        "Nora Nyström är upplagd med uppdraget Medarbetare, Ekonomiskt bistånd. En länk för "
        "att välja lösenord skickas till nora.nystrom@exempelkommun.se."
    ]
    assert (nora.first_name, nora.last_name, nora.email, nora.titel) == (
        "Nora",
        "Nyström",
        "nora.nystrom@exempelkommun.se",
        "Socialsekreterare",
    )
    assert nora.is_active and not nora.is_staff and not nora.is_superuser
    assert not nora.has_usable_password()
    uppdrag = nora.uppdrag.get()
    assert (uppdrag.roll, uppdrag.enhet, uppdrag.giltig_fran, uppdrag.giltig_till) == (
        Roll.MEDARBETARE,
        org["EB"],
        None,
        None,
    )
    assert behorighet.roller(nora) == {Roll.MEDARBETARE}
    # In the history, with the administrator and a reason.
    skapad = nora.history.get()
    assert (skapad.history_user, skapad.history_change_reason) == (admin, "Person upplagd")
    rad = uppdrag.history.get()
    assert (rad.history_user, rad.history_change_reason) == (admin, "Uppdrag tilldelat")
    # The mail went through the outbox, and its link lets her choose a password.
    utskick = Utskick.objects.get(mottagare="nora.nystrom@exempelkommun.se")
    assert utskick.amne == "Välkommen – välj ditt lösenord"
    assert "Ditt användarnamn: nora.nystrom" in utskick.text
    (mejl,) = [m for m in mail.outbox if m.to == ["nora.nystrom@exempelkommun.se"]]
    lank = LANK.search(mejl.body).group(1)
    ny_klient = Client()
    svar = ny_klient.get(lank)
    assert svar.status_code == 302
    svar = ny_klient.post(
        svar.headers["Location"],
        {"new_password1": "Ett-eget-l0senord", "new_password2": "Ett-eget-l0senord"},
    )
    assert svar.headers["Location"] == "/konto/aterstall/klart/"
    nora.refresh_from_db()
    assert nora.check_password("Ett-eget-l0senord")
    # The person page shows what was done.
    html = hamta_html(klient, person_url(nora))
    assert "Medarbetare</strong>, Ekonomiskt bistånd" in html
    assert "Person upplagd" in html and "Uppdrag tilldelat" in html
    assert escape(admin.get_full_name()) in html


LANGT = "x" * 151


@pytest.mark.parametrize(
    ("andrat", "meddelande"),
    [
        ({"first_name": ""}, "Skriv förnamnet."),
        ({"last_name": "   "}, "Skriv efternamnet."),
        ({"username": ""}, "Skriv ett användarnamn."),
        ({"email": ""}, "Skriv en e-postadress."),
        ({"roll": ""}, "Välj en roll."),
        ({"enhet": ""}, "Välj en enhet."),
        (
            {"first_name": LANGT},
            "Säkerställ att detta värde har som mest 150 tecken (den har 151).",
        ),
        ({"last_name": "y" * 10000}, "som mest 150 tecken (den har 10000)"),
        ({"titel": "t" * 101}, "som mest 100 tecken"),
        ({"email": "a" * 250 + "@x.se"}, "som mest 254 tecken"),
        ({"username": "u" * 151}, "som mest 150 tecken"),
        ({"username": "medarbetare"}, "Användarnamnet medarbetare används redan. Välj ett annat."),
        ({"username": "MedArbetare"}, "Användarnamnet MedArbetare används redan."),
        ({"username": "nora nystrom"}, "Användarnamnet får bara innehålla bokstäver, siffror"),
        ({"email": "inte-en-adress"}, "Skriv en giltig e-postadress, t.ex. namn@kommun.se."),
        ({"email": "ENHETSCHEF@exempelkommun.se"}, "E-postadressen används redan av Enhetschef"),
        ({"first_name": "<script>alert(1)</script>"}, "får inte innehålla HTML-kod"),
        ({"titel": "<b>chef</b>"}, "får inte innehålla HTML-kod"),
        ({"roll": "superuser"}, "Välj en av rollerna i listan."),
        ({"enhet": "999999"}, "den valda enheten finns inte eller är inaktiverad"),
        ({"enhet": "abc"}, "den valda enheten finns inte eller är inaktiverad"),
        ({"enhet": "INAKTIV"}, "den valda enheten finns inte eller är inaktiverad"),
    ],
)
def test_ny_person_med_fel_sparar_inget(andrat, meddelande, org, personas, klient):
    inaktiv = EnhetFactory(kod="NEDLAGD", namn="Nedlagd", aktiv=False, overordnad=org["SOC"])
    if andrat.get("enhet") == "INAKTIV":
        andrat = {**andrat, "enhet": inaktiv.pk}
    fore = ogonblick()
    response = klient.post(NY, ny_person_data(org, **andrat))
    refuserad(response, meddelande)
    assert ogonblick() == fore
    # What was typed is kept (but never a script as markup).
    assert "<script>alert" not in response.content.decode()


def test_ny_person_erbjuder_bara_aktiva_enheter_och_rollerna(org, klient):
    EnhetFactory(kod="NEDLAGD", namn="Nedlagd enhet", aktiv=False, overordnad=org["SOC"])
    html = hamta_html(klient, NY)
    assert "Nedlagd enhet" not in html and "Kollektivet HVB" in html
    for roll in Roll:
        assert f'value="{roll.value}"' in html


# --- Assignments ---------------------------------------------------------------------------


def nytt_uppdrag(klient, user, **data):
    return klient.post(f"{person_url(user)}uppdrag/", data)


def avsluta(klient, user, uppdrag, **data):
    return klient.post(f"{person_url(user)}uppdrag/{uppdrag.pk}/avsluta/", data)


def test_nytt_uppdrag_med_datum(org, personas, admin, klient, admin2):
    medarbetare = personas["medarbetare"]
    fran, till = IDAG + timedelta(days=7), IDAG + timedelta(days=100)
    response = nytt_uppdrag(
        klient,
        medarbetare,
        roll=Roll.REGISTRATOR,
        enhet=org["STAB"].pk,
        giltig_fran=fran.isoformat(),
        giltig_till=till.isoformat(),
    )
    assert response.headers["Location"] == person_url(medarbetare)
    assert meddelanden(response) == [
        f"{medarbetare.get_full_name()} har fått uppdraget Registrator, Staben."
    ]
    uppdrag = medarbetare.uppdrag.get(roll=Roll.REGISTRATOR)
    assert (uppdrag.enhet, uppdrag.giltig_fran, uppdrag.giltig_till) == (org["STAB"], fran, till)
    assert uppdrag.history.get().history_user == admin
    # Not begun yet: no access before its first day.
    assert Roll.REGISTRATOR not in behorighet.roller(User.objects.get(pk=medarbetare.pk))
    html = hamta_html(klient, person_url(medarbetare))
    assert f"Börjar {fran:%Y-%m-%d}" in html
    # Someone else's assignment is reported to no one.
    assert not Utskick.objects.exists()


def test_eget_uppdrag_anmals_och_markeras_som_i_administrationen(
    org, personas, admin, admin2, klient
):
    response = nytt_uppdrag(klient, admin, roll=Roll.KVALITETSSAMORDNARE, enhet=org["STAB"].pk)
    assert response.status_code == 302
    eget = admin.uppdrag.get(roll=Roll.KVALITETSSAMORDNARE)
    assert eget.history.get().history_user == admin
    # The other administrators and the förvaltningschef are told, with the admin's mail.
    assert sorted(Utskick.objects.values_list("mottagare", flat=True)) == sorted(
        ["admin2@exempelkommun.se", personas["forvaltningschef"].email]
    )
    utskick = Utskick.objects.first()
    assert utskick.amne == "En administratör har gett sig själv uppdrag i Kvalitet"
    assert "Kvalitetssamordnare, Staben" in utskick.text
    assert "/admin/kvalitet/uppdrag/?sjalvtilldelat=ja" in utskick.text
    # Marked on the person page and in the admin's assignment list.
    assert "Tilldelat sig själv" in hamta_html(klient, person_url(admin))
    filtrerad = klient.get("/admin/kvalitet/uppdrag/", {"sjalvtilldelat": "ja"})
    assert list(filtrerad.context["cl"].result_list) == [eget]


def test_avslutat_uppdrag_tas_upp_igen(org, personas, admin, klient):
    medarbetare = personas["medarbetare"]
    gammalt = UppdragFactory(
        anvandare=medarbetare,
        roll=Roll.UTREDARE,
        enhet=org["STAB"],
        giltig_fran=IDAG - timedelta(days=300),
        giltig_till=IDAG - timedelta(days=30),
    )
    response = nytt_uppdrag(klient, medarbetare, roll=Roll.UTREDARE, enhet=org["STAB"].pk)
    assert meddelanden(response) == [
        f"{medarbetare.get_full_name()} har uppdraget Utredare, Staben igen. Den tidigare "
        "perioden finns i historiken."
    ]
    gammalt.refresh_from_db()
    assert (gammalt.giltig_fran, gammalt.giltig_till) == (None, None)
    senaste = gammalt.history.latest("history_id")
    assert (senaste.history_user, senaste.history_change_reason) == (admin, "Uppdrag återupptaget")
    assert Roll.UTREDARE in behorighet.roller(User.objects.get(pk=medarbetare.pk))


@pytest.mark.parametrize(
    ("data", "meddelande"),
    [
        ({"roll": "", "enhet": ""}, "Välj en roll."),
        ({"enhet": ""}, "Välj en enhet."),
        ({"roll": Roll.MEDARBETARE, "enhet": "EB"}, "har redan uppdraget Medarbetare, Ekonomiskt"),
        ({"roll": Roll.UTREDARE, "enhet": "KOMMANDE"}, "har redan uppdraget Utredare, Staben."),
        (
            {"giltig_fran": "+10", "giltig_till": "+5"},
            "Slutdatum kan inte ligga före startdatum.",
        ),
        ({"giltig_till": "-1"}, "Slutdatumet har redan passerat"),
        ({"giltig_fran": "1999-12-31"}, "Välj ett datum mellan 2000-01-01 och"),
        ({"giltig_till": "+3700"}, "Välj ett datum mellan 2000-01-01 och"),
        ({"giltig_fran": "20260-01-01"}, "Skriv datumet som ÅÅÅÅ-MM-DD."),
        ({"giltig_fran": "igår"}, "Skriv datumet som ÅÅÅÅ-MM-DD."),
        ({"roll": "gud"}, "Välj en av rollerna i listan."),
        ({"enhet": "999999"}, "den valda enheten finns inte eller är inaktiverad"),
        ({"enhet": "INAKTIV"}, "den valda enheten finns inte eller är inaktiverad"),
    ],
)
def test_nytt_uppdrag_med_fel_sparar_inget(data, meddelande, org, personas, klient):
    medarbetare = personas["medarbetare"]
    UppdragFactory(
        anvandare=medarbetare,
        roll=Roll.UTREDARE,
        enhet=org["STAB"],
        giltig_fran=IDAG + timedelta(days=3),
    )
    inaktiv = EnhetFactory(kod="NEDLAGD", namn="Nedlagd", aktiv=False, overordnad=org["SOC"])
    enheter = {"EB": org["EB"].pk, "KOMMANDE": org["STAB"].pk, "INAKTIV": inaktiv.pk}
    post = {"roll": Roll.REGISTRATOR, "enhet": org["KOLL"].pk}
    for falt, varde in data.items():
        if falt == "enhet":
            varde = enheter.get(varde, varde)
        elif varde.startswith(("+", "-")):
            varde = (IDAG + timedelta(days=int(varde))).isoformat()
        post[falt] = varde
    fore = ogonblick()
    response = nytt_uppdrag(klient, medarbetare, **post)
    refuserad(response, meddelande)
    assert ogonblick() == fore
    # The person page again, with the form open and its errors.
    assert '<details id="nytt-uppdrag" open>' in response.content.decode()


def test_inaktiverad_person_far_inga_nya_uppdrag(org, personas, klient):
    medarbetare = personas["medarbetare"]
    medarbetare.inaktivera()
    fore = ogonblick()
    response = nytt_uppdrag(klient, medarbetare, roll=Roll.UTREDARE, enhet=org["STAB"].pk)
    assert response.headers["Location"] == person_url(medarbetare)
    assert meddelanden(response) == [
        f"{medarbetare.get_full_name()} är inaktiverad. Aktivera kontot igen innan du lägger "
        "till uppdrag."
    ]
    assert ogonblick() == fore


def test_ett_avslutat_uppdrag_avslutas_inte_igen(org, personas, klient):
    medarbetare = personas["medarbetare"]
    avslutat = UppdragFactory(
        anvandare=medarbetare,
        roll=Roll.UTREDARE,
        enhet=org["STAB"],
        giltig_till=IDAG - timedelta(days=3),
    )
    fore = ogonblick()
    response = avsluta(klient, medarbetare, avslutat)
    assert response.headers["Location"] == person_url(medarbetare)
    assert meddelanden(response) == [
        f"Uppdraget är redan avslutat (sista dag {IDAG - timedelta(days=3):%Y-%m-%d})."
    ]
    assert ogonblick() == fore


def test_avsluta_nu_tar_bort_behorigheten_direkt(org, personas, admin, klient):
    chef = personas["enhetschef"]
    uppdrag = chef.uppdrag.get()
    assert behorighet.roller(chef) == {Roll.ENHETSCHEF}
    response = avsluta(klient, chef, uppdrag)
    assert response.headers["Location"] == person_url(chef)
    assert meddelanden(response) == [
        "Uppdraget Enhetschef, Ekonomiskt bistånd är avslutat; behörigheten har upphört."
    ]
    uppdrag.refresh_from_db()
    assert uppdrag.giltig_till == IDAG - timedelta(days=1)  # it held through yesterday
    assert behorighet.roller(User.objects.get(pk=chef.pk)) == set()
    rad = uppdrag.history.latest("history_id")
    assert (rad.history_user, rad.history_change_reason, rad.giltig_till) == (
        admin,
        "Uppdrag avslutat",
        IDAG - timedelta(days=1),
    )
    # Still listed, as ended; the history says who ended it.
    html = hamta_html(klient, person_url(chef))
    avslutade = html.split('id="rubrik-avslutade"')[1].split("</section>")[0]
    assert "Enhetschef" in avslutade and f"{IDAG - timedelta(days=1):%Y-%m-%d}" in avslutade
    historiken = html.split('id="rubrik-historik"')[1]
    assert "Uppdrag avslutat" in historiken
    assert f"Giltig till: – → {IDAG - timedelta(days=1):%Y-%m-%d}" in historiken
    # And the page no longer offers to end it.
    assert f"/uppdrag/{uppdrag.pk}/avsluta/" not in html


def test_avsluta_med_datum_galler_till_och_med_dagen(org, personas, klient):
    chef = personas["enhetschef"]
    uppdrag = chef.uppdrag.get()
    dag = IDAG + timedelta(days=14)
    response = avsluta(klient, chef, uppdrag, sista_dag=dag.isoformat())
    assert meddelanden(response) == [
        f"Uppdraget Enhetschef, Ekonomiskt bistånd gäller till och med {dag:%Y-%m-%d}."
    ]
    uppdrag.refresh_from_db()
    assert uppdrag.giltig_till == dag
    assert behorighet.roller(User.objects.get(pk=chef.pk)) == {Roll.ENHETSCHEF}


def test_avsluta_ett_kommande_uppdrag_tar_bort_det_men_inte_historiken(
    org, personas, admin, klient
):
    medarbetare = personas["medarbetare"]
    kommande = UppdragFactory(
        anvandare=medarbetare,
        roll=Roll.UTREDARE,
        enhet=org["STAB"],
        giltig_fran=IDAG + timedelta(days=5),
    )
    response = avsluta(klient, medarbetare, kommande)
    assert meddelanden(response) == [
        "Uppdraget Utredare, Staben hade inte börjat gälla och är borttaget. Det finns kvar "
        "i historiken."
    ]
    assert not Uppdrag.objects.filter(pk=kommande.pk).exists()
    rad = Uppdrag.history.get(id=kommande.pk, history_type="-")
    assert (rad.history_user, rad.history_change_reason) == (
        admin,
        "Uppdrag avslutat innan det började gälla",
    )
    assert "Uppdrag avslutat innan det började gälla" in hamta_html(klient, person_url(medarbetare))


@pytest.mark.parametrize(
    ("uppdrag", "sista_dag", "meddelande"),
    [
        ("borjat", "-20", "Slutdatum kan inte ligga före startdatum ("),
        ("slutar", "+40", "Uppdraget slutar redan"),
        ("borjat", "1999-01-01", "Välj ett datum mellan 2000-01-01 och"),
        ("borjat", "+4000", "Välj ett datum mellan 2000-01-01 och"),
        ("borjat", "31/12", "Skriv datumet som ÅÅÅÅ-MM-DD."),
    ],
)
def test_avsluta_med_fel_sparar_inget(uppdrag, sista_dag, meddelande, org, personas, klient):
    medarbetare = personas["medarbetare"]
    uppdragen = {
        "borjat": UppdragFactory(
            anvandare=medarbetare,
            roll=Roll.UTREDARE,
            enhet=org["STAB"],
            giltig_fran=IDAG - timedelta(days=10),
        ),
        "slutar": UppdragFactory(
            anvandare=medarbetare,
            roll=Roll.REGISTRATOR,
            enhet=org["STAB"],
            giltig_till=IDAG + timedelta(days=30),
        ),
        "avslutat": UppdragFactory(
            anvandare=medarbetare,
            roll=Roll.MEDARBETARE,
            enhet=org["KOLL"],
            giltig_till=IDAG - timedelta(days=3),
        ),
    }
    if sista_dag.startswith(("+", "-")):
        sista_dag = (IDAG + timedelta(days=int(sista_dag))).isoformat()
    fore = ogonblick()
    response = avsluta(klient, medarbetare, uppdragen[uppdrag], sista_dag=sista_dag)
    refuserad(response, meddelande)
    assert ogonblick() == fore


def test_avsluta_en_annans_uppdrag_ger_404(personas, klient):
    annans = personas["enhetschef"].uppdrag.get()
    fore = ogonblick()
    assert avsluta(klient, personas["medarbetare"], annans).status_code == 404
    assert klient.post(f"{LISTA}999999/inaktivera/").status_code == 404
    assert klient.get(f"{LISTA}999999/").status_code == 404
    assert ogonblick() == fore


# --- Deactivating, reactivating, the password link -------------------------------------------


def test_inaktivera_och_aktivera_igen(org, personas, admin, klient):
    chef = personas["enhetschef"]
    uppdrag = chef.uppdrag.get()
    response = klient.post(f"{person_url(chef)}inaktivera/")
    assert meddelanden(response) == [
        f"{chef.get_full_name()} är inaktiverad. Pågående uppdrag avslutades i dag och "
        "kommande togs bort."
    ]
    chef.refresh_from_db()
    uppdrag.refresh_from_db()
    assert not chef.is_active and uppdrag.giltig_till == IDAG
    rad = chef.history.latest("history_id")
    assert (rad.history_user, rad.history_change_reason, rad.is_active) == (
        admin,
        "Inaktiverad",
        False,
    )
    html = hamta_html(klient, person_url(chef))
    assert "Inaktiverat konto" in html and "Aktivera kontot igen" in html
    historiken = html.split('id="rubrik-historik"')[1]
    assert "Inaktiverad" in historiken and "Aktiv: ja → nej" in historiken
    assert "Användaren inaktiverad" in historiken
    assert f"Giltig till: – → {IDAG:%Y-%m-%d}" in historiken
    assert "Lägg till uppdrag" not in html

    response = klient.post(f"{person_url(chef)}aktivera/")
    assert meddelanden(response)[0].startswith(f"{chef.get_full_name()} är aktiv igen.")
    chef.refresh_from_db()
    assert chef.is_active
    rad = chef.history.latest("history_id")
    assert (rad.history_user, rad.history_change_reason) == (admin, "Aktiverad igen")
    # The assignment ended with the deactivation stays ended.
    uppdrag.refresh_from_db()
    assert uppdrag.giltig_till == IDAG


@pytest.mark.parametrize(
    ("vem", "atgard", "meddelande"),
    [
        ("admin", "inaktivera", "Du kan inte inaktivera dig själv."),
        ("admin", "uppdrag/{eget}/avsluta", "Du kan inte avsluta ditt eget administratörsuppdrag"),
        ("inaktiv", "inaktivera", "är redan inaktiverad."),
        ("medarbetare", "aktivera", "är redan aktiv."),
        ("inaktiv", "losenordslank", "Kontot är inaktiverat."),
        ("utan_epost", "losenordslank", "har ingen e-postadress att skicka länken till."),
    ],
)
def test_kontoatgarder_som_inte_gar(vem, atgard, meddelande, personas, klient):
    personas["inaktiv"] = UserFactory(username="inaktiv", is_active=False)
    personas["utan_epost"] = UserFactory(username="utan_epost", email="")
    user = personas[vem]
    fore = ogonblick()
    atgard = atgard.format(eget=user.uppdrag.first().pk if user.uppdrag.exists() else 0)
    response = klient.post(f"{person_url(user)}{atgard}/")
    assert response.headers["Location"] == person_url(user)
    assert any(meddelande in m for m in meddelanden(response)), meddelanden(response)
    assert ogonblick() == fore


def test_administratoren_inaktiverar_inte_sig_sjalv_och_knappen_saknas(admin, klient):
    html = hamta_html(klient, person_url(admin))
    assert "/inaktivera/" not in html and "Du kan inte inaktivera dig själv." in html
    assert "/avsluta/" not in html
    assert "Du kan inte avsluta ditt eget administratörsuppdrag" in html


def test_administratoren_avslutar_sina_andra_uppdrag_och_andras_adminuppdrag(
    org, personas, admin, admin2, klient
):
    eget = UppdragFactory(anvandare=admin, roll=Roll.REGISTRATOR, enhet=org["STAB"])
    assert avsluta(klient, admin, eget).status_code == 302
    eget.refresh_from_db()
    assert eget.giltig_till == IDAG - timedelta(days=1)
    annans = admin2.uppdrag.get()
    assert avsluta(klient, admin2, annans).status_code == 302
    assert not behorighet.ar_administrator(User.objects.get(pk=admin2.pk))


def test_ny_lank_for_losenord(personas, klient, django_capture_on_commit_callbacks):
    medarbetare = personas["medarbetare"]
    with django_capture_on_commit_callbacks(execute=True):
        response = klient.post(f"{person_url(medarbetare)}losenordslank/")
    assert meddelanden(response) == [
        f"En länk för att välja lösenord skickas till {medarbetare.email}."
    ]
    utskick = Utskick.objects.get(mottagare=medarbetare.email)
    assert utskick.amne == "Ny länk för att välja lösenord"
    (mejl,) = [m for m in mail.outbox if m.to == [medarbetare.email]]
    assert LANK.search(mejl.body)
    medarbetare.refresh_from_db()
    assert medarbetare.check_password("demo")  # the password stays until they choose one


# --- Forms and requests -----------------------------------------------------------------------


def test_post_utan_csrf_nekas(org, personas):
    klient = Client(enforce_csrf_checks=True)
    logga_in_helt(klient, personas["admin"])
    fore = ogonblick()
    for url, data in [
        (NY, ny_person_data(org)),
        (f"{person_url(personas['medarbetare'])}inaktivera/", {}),
        (f"{person_url(personas['medarbetare'])}uppdrag/", {"roll": "utredare", "enhet": 1}),
    ]:
        assert klient.post(url, data).status_code == 403, url
    assert ogonblick() == fore


def test_formularen_har_csrf_och_etiketter(personas, klient):
    html = hamta_html(klient, person_url(personas["enhetschef"]))
    formular = re.findall(r"<form method=\"post\".*?</form>", html, re.S)
    assert len(formular) == 5  # end, add, password link, deactivate, log out
    assert all("csrfmiddlewaretoken" in f for f in formular)
    for falt in ("nytt-roll", "nytt-enhet", "nytt-giltig_fran", "nytt-giltig_till"):
        assert f'<label for="{falt}">' in html
    uppdrag = personas["enhetschef"].uppdrag.get()
    assert f'<label for="avsluta-{uppdrag.pk}-sista_dag">' in html


def test_sidorna_kraver_inloggning(client, personas):
    for url in (LISTA, NY, person_url(personas["medarbetare"])):
        response = client.get(url)
        assert response.headers["Location"].startswith("/konto/logga-in/?next="), url


def test_personsidan_visar_kommunens_konto(personas, klient):
    """The municipality's account a person signs in with (OIDC), as text; never the
    refresh token. Without one, no such section."""
    from kvalitet.models import ExternIdentitet

    person = personas["medarbetare"]
    sidan = hamta_html(klient, person_url(person))
    assert "Kommunens konto" not in sidan
    identitet = ExternIdentitet.objects.create(
        user=person,
        issuer="https://idp.exempel.se/realms/kommun",
        subjekt="<script>alert(1)</script>",
        refresh_token="krypterad-hemlighet",
        senast_inloggad=timezone.now(),
    )
    sidan = hamta_html(klient, person_url(person))
    assert "Kommunens konto" in sidan
    assert "https://idp.exempel.se/realms/kommun" in sidan
    assert escape("<script>alert(1)</script>") in sidan and "<script>alert(1)" not in sidan
    assert "krypterad-hemlighet" not in sidan
    assert "Inte ännu" in sidan
    ExternIdentitet.objects.filter(pk=identitet.pk).update(refresh_token="")
    assert "Kontrolleras inte: ingen förnyelsetoken" in hamta_html(klient, person_url(person))
    kontroll = timezone.localtime().replace(second=0, microsecond=0)
    ExternIdentitet.objects.filter(pk=identitet.pk).update(senast_kontrollerad=kontroll)
    assert kontroll.strftime("%Y-%m-%d %H:%M") in hamta_html(klient, person_url(person))
