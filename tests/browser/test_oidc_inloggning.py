"""Sign-in with the municipality's account in a real browser, against a real OpenID
Connect provider: the test provider (tests/oidc_leverantor, django-oauth-toolkit) runs as
its own process, the product as pytest-django's live server.

The whole way a person goes: the login page's button, the provider's login, back to the
start page with an account made at the first sign-in and the role its group gives;
logging out, here and at the provider; a changed group at the provider changes the role
at the next sign-in (the old assignment ended, not deleted); an account closed in the
product is refused with a message; and the periodic check closes the account of a
person the provider has deleted or disabled. Screenshots: test-artifacts/browser/oidc-*.png.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kvalitet import oidc
from kvalitet.models import ExternIdentitet, Gruppmappning, Roll, Uppdrag, User
from tests.browser.sidor import huvudmeny, ingen_sidledes_rullning, kontrollera_axe, skarmbild
from tests.oidc_leverantor.fixtur import LEVERANTOR_LOSENORD, Leverantor, oidc_pa

pytestmark = pytest.mark.browser

MEDARBETARE_EB = "kvalitet-medarbetare-eb"
CHEF_EB = "kvalitet-enhetschef-eb"


@pytest.fixture(scope="session")
def leverantor(live_server):
    """The provider process for the whole session, with the live server as its client."""
    process = Leverantor()
    process.starta(f"{live_server.url}/konto/oidc/svar/", f"{live_server.url}/konto/logga-in/")
    yield process
    process.stoppa()


@pytest.fixture
def med_oidc(leverantor, settings, org):
    """OIDC on, roles from groups, and the two groups mapped to roles in Ekonomiskt bistånd."""
    oidc_pa(settings, leverantor.issuer)
    Gruppmappning.objects.create(grupp=MEDARBETARE_EB, roll=Roll.MEDARBETARE, enhet=org["EB"])
    Gruppmappning.objects.create(grupp=CHEF_EB, roll=Roll.ENHETSCHEF, enhet=org["EB"])
    yield leverantor
    oidc.glom_upptackt()


def _logga_in_hos_kommunen(sida, namn, *, fyll_i=True):
    """From the product's login page through the button; at the provider's login page,
    the person's name and password."""
    sida.goto("/konto/logga-in/")
    sida.get_by_role("button", name="Logga in med kommunens konto").click()
    if fyll_i:
        expect(sida.get_by_role("heading", name=re.compile("Kommunens inloggning"))).to_be_visible()
        sida.get_by_label("Användarnamn").fill(namn)
        sida.get_by_label("Lösenord").fill(LEVERANTOR_LOSENORD)
        sida.get_by_role("button", name="Logga in hos kommunen").click()


def _giltiga(user):
    return set(Uppdrag.objects.giltiga().filter(anvandare=user).values_list("roll", "enhet__kod"))


def test_forsta_inloggningen_utloggningen_och_en_andrad_grupp(ny_sida, med_oidc, org):
    leverantor = med_oidc
    leverantor.person("anna.a", [MEDARBETARE_EB], "Anna", "Andersson", "anna@exempelkommun.se")
    # A local account with the same user name and e-mail address is someone else.
    User.objects.create_user("anna.a", email="anna@exempelkommun.se", first_name="Annan")

    sida = ny_sida("dator")
    sida.goto("/konto/logga-in/")
    knapp = sida.get_by_role("button", name="Logga in med kommunens konto")
    expect(knapp).to_be_visible()
    expect(sida.get_by_label("Användarnamn")).to_be_visible()  # local accounts still work
    kontrollera_axe(sida, "oidc-inloggningssidan")
    skarmbild(sida, "oidc-01-inloggningssidan")

    _logga_in_hos_kommunen(sida, "anna.a")
    expect(sida.get_by_role("heading", level=1, name="Mina ärenden")).to_be_visible()
    expect(sida.locator("footer")).to_contain_text("Inloggad som Anna Andersson")
    skarmbild(sida, "oidc-02-startsidan")

    identitet = ExternIdentitet.objects.select_related("user").get(issuer=leverantor.issuer)
    anna = identitet.user
    assert anna.username == "anna.a-2"  # the local anna.a is not her
    assert (anna.first_name, anna.last_name, anna.email) == (
        "Anna",
        "Andersson",
        "anna@exempelkommun.se",
    )
    assert not anna.has_usable_password()
    assert _giltiga(anna) == {(Roll.MEDARBETARE, "MYN-EB")}
    assert oidc.dekrypterad(identitet.refresh_token)  # kept, encrypted

    # Logging out ends the session at the provider too: the button then asks for the
    # password again instead of signing straight in.
    sida.get_by_role("button", name=re.compile(r"^Logga ut")).click()
    expect(sida.get_by_role("heading", level=1, name="Logga in")).to_be_visible()
    assert sida.url.endswith("/konto/logga-in/")
    skarmbild(sida, "oidc-03-utloggad")
    sida.get_by_role("button", name="Logga in med kommunens konto").click()
    expect(sida.get_by_role("heading", name=re.compile("Kommunens inloggning"))).to_be_visible()

    # At the provider, Anna moves from staff to manager of the unit.
    leverantor.grupper("anna.a", [CHEF_EB])
    sida.get_by_label("Användarnamn").fill("anna.a")
    sida.get_by_label("Lösenord").fill(LEVERANTOR_LOSENORD)
    sida.get_by_role("button", name="Logga in hos kommunen").click()
    expect(sida.get_by_role("heading", level=1, name="Mina ärenden")).to_be_visible()
    assert _giltiga(anna) == {(Roll.ENHETSCHEF, "MYN-EB")}
    gammalt = Uppdrag.objects.get(anvandare=anna, roll=Roll.MEDARBETARE)
    assert gammalt.giltig_till == timezone.localdate() - timedelta(days=1)  # ended, kept
    assert gammalt.history.first().history_change_reason == (
        f"Inte längre i gruppen {MEDARBETARE_EB} i identitetsleverantören"
    )
    nytt = Uppdrag.objects.get(anvandare=anna, roll=Roll.ENHETSCHEF)
    assert nytt.history.first().history_change_reason == (
        f"Från gruppen {CHEF_EB} i identitetsleverantören"
    )


def test_ett_inaktiverat_konto_nekas_med_ett_meddelande(ny_sida, med_oidc):
    leverantor = med_oidc
    leverantor.person("bo.b", [MEDARBETARE_EB], "Bo", "Berg", "bo@exempelkommun.se")
    sida = ny_sida("mobil")
    _logga_in_hos_kommunen(sida, "bo.b")
    expect(sida.get_by_role("heading", level=1, name="Mina ärenden")).to_be_visible()
    sida.get_by_role("button", name=re.compile(r"^Logga ut")).click()
    expect(sida.get_by_role("heading", level=1, name="Logga in")).to_be_visible()

    bo = ExternIdentitet.objects.get(issuer=leverantor.issuer).user
    bo.inaktivera()
    _logga_in_hos_kommunen(sida, "bo.b")
    expect(sida.get_by_role("heading", level=1, name="Logga in")).to_be_visible()
    expect(sida.locator(".meddelanden")).to_contain_text("Ditt konto i Kvalitet är inaktiverat")
    skarmbild(sida, "oidc-04-inaktiverat-konto")
    kontrollera_axe(sida, "oidc-inaktiverat")
    # No loop back to the provider, no session here, and nothing about Bo changed.
    assert sida.url.endswith("/konto/logga-in/")
    sida.goto("/")
    expect(sida.get_by_role("heading", level=1, name="Logga in")).to_be_visible()
    bo.refresh_from_db()
    assert not bo.is_active


def test_kontrollen_inaktiverar_den_som_leverantoren_tagit_bort(med_oidc, live_server):
    """kontrollera_oidc against the real provider: people it still has stay, a deleted
    and a disabled person are deactivated (not deleted), with the reason in the history.
    The sign-ins that gave the refresh tokens are made with the test client."""
    leverantor = med_oidc
    for namn in ("kvar", "borttagen", "sparrad"):
        leverantor.person(namn, [MEDARBETARE_EB], namn.title(), "Test", f"{namn}@exempelkommun.se")
        _logga_in_med_klienten(leverantor, namn, live_server.url.split("//", 1)[1])
    assert ExternIdentitet.objects.count() == 3

    leverantor.ta_bort("borttagen")
    leverantor.sparra("sparrad")
    assert oidc.kontrollera_alla() == {"finns": 1, "borta": 2, "okant": 0}
    aktiva = dict(
        User.objects.filter(extern_identitet__isnull=False).values_list("first_name", "is_active")
    )
    assert aktiva == {"Kvar": True, "Borttagen": False, "Sparrad": False}
    borta = User.objects.get(first_name="Borttagen")
    assert borta.history.first().history_change_reason == oidc.ORSAK_BORTA
    # Its assignments end today (User.inaktivera), kept in the history.
    assert set(Uppdrag.objects.filter(anvandare=borta).values_list("giltig_till", flat=True)) == {
        timezone.localdate()
    }
    # The one still there was checked with a rotated token, which works next time too.
    assert oidc.kontrollera_alla() == {"finns": 1, "borta": 0, "okant": 0}


def _logga_in_med_klienten(leverantor, namn, vard):
    """The code flow with two HTTP clients: the product's test client (as the live
    server's host, the redirect address the provider knows) and a session at the
    provider (its login form, then the authorization with PKCE)."""
    from urllib.parse import urlsplit

    import requests
    from django.test import Client

    produkt = Client(HTTP_HOST=vard)
    svar = produkt.get("/konto/oidc/logga-in/")
    assert svar.status_code == 302
    hos_leverantoren = requests.Session()
    inloggning = hos_leverantoren.get(svar["Location"], timeout=10)
    nasta = re.search(r'name="next" value="([^"]*)"', inloggning.text).group(1)
    efter = hos_leverantoren.post(
        inloggning.url,
        data={
            "csrfmiddlewaretoken": hos_leverantoren.cookies["leverantor_csrf"],
            "username": namn,
            "password": LEVERANTOR_LOSENORD,
            "next": nasta.replace("&amp;", "&"),
        },
        headers={"Referer": inloggning.url},
        allow_redirects=False,
        timeout=10,
    )
    bas = leverantor.issuer.rsplit("/o", 1)[0]
    authorize = hos_leverantoren.get(
        bas + efter.headers["Location"], allow_redirects=False, timeout=10
    )
    tillbaka = urlsplit(authorize.headers["Location"])
    assert tillbaka.path == "/konto/oidc/svar/", tillbaka
    klar = produkt.get(f"{tillbaka.path}?{tillbaka.query}")
    assert klar.status_code == 302 and klar["Location"] == "/", (klar, klar.get("Location"))


def test_administratoren_mappar_en_grupp(ny_sida, med_oidc, org):
    """An administrator who signs in with the municipality's account (a group gives the
    role) is not asked for the product's second factor, and maps another group."""
    leverantor = med_oidc
    Gruppmappning.objects.create(grupp="kvalitet-admin", roll=Roll.ADMIN, enhet=org["SOC"])
    leverantor.person("admin.a", ["kvalitet-admin"], "Ada", "Admin", "ada@exempelkommun.se")
    sida = ny_sida("mobil")
    _logga_in_hos_kommunen(sida, "admin.a")
    expect(sida.get_by_role("heading", level=1)).to_have_text("Mina ärenden")
    huvudmeny(sida).get_by_role("link", name="Personer").click()
    sida.get_by_role("link", name="gruppmappningar").click()
    expect(sida.get_by_role("heading", level=1)).to_have_text("Gruppmappningar")
    sida.get_by_role("button", name="Lägg till").click()  # empty: refused
    expect(sida.locator(".felsammanfattning")).to_contain_text("Skriv gruppens namn.")
    sida.get_by_label("Grupp hos identitetsleverantören").fill("sn-registratorer")
    sida.get_by_label("Roll").select_option(Roll.REGISTRATOR.value)
    sida.get_by_label("Enhet").select_option(str(org["STAB"].pk))
    sida.get_by_role("button", name="Lägg till").click()
    expect(sida.locator(".meddelanden")).to_contain_text("sn-registratorer")
    expect(sida.get_by_role("row", name=re.compile("sn-registratorer"))).to_contain_text("Staben")
    kontrollera_axe(sida, "oidc-gruppmappningar")
    ingen_sidledes_rullning(sida, tabeller_far_rulla=True)
    skarmbild(sida, "oidc-05-gruppmappningar")
    assert Gruppmappning.objects.filter(grupp="sn-registratorer", enhet=org["STAB"]).exists()
