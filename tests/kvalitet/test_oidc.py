"""Sign-in with the municipality's account (kvalitet.oidc) through Django's test client.

Only the HTTP to the identity provider is replaced (`Idp`: discovery, JWKS, token and
userinfo endpoints, with a real RS256 key); everything in the product runs as it does
in production. The real provider, in a real browser, is tests/browser/test_oidc_inloggning.py.
"""

import secrets
import time
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import BACKEND_SESSION_KEY
from django.test import Client
from django.utils import timezone

from kvalitet import oidc
from kvalitet.models import ExternIdentitet, Gruppmappning, Roll, Uppdrag, User
from tests.factories import UppdragFactory, UserFactory
from tests.stod import meddelanden
from tests.tjanster import kor_manage

pytestmark = pytest.mark.django_db

ISSUER = "https://idp.exempelkommun.se/realms/kommun"
KLIENT = "kvalitet"
HEMLIGHET = "klientens-hemlighet"
NYCKEL = rsa.generate_private_key(public_exponent=65537, key_size=2048)
FEL_NYCKEL = rsa.generate_private_key(public_exponent=65537, key_size=2048)


class Svar:
    """A `requests` response, as much of one as the code reads."""

    def __init__(self, status, data, url=""):
        self.status_code = status
        self._data = data
        self.url = url
        self.headers = {"content-type": "application/json"}
        self.text = str(data)

    def json(self):
        return self._data

    def raise_for_status(self):
        if self.status_code >= 400:
            raise requests.HTTPError(f"{self.status_code}", response=self)


class Idp:
    """The identity provider's HTTP endpoints. `claims` are the person's (in the ID
    token and from userinfo); `id_token_andring` changes the ID token's claims (another
    issuer, audience, nonce); `refresh` is the answer to a refresh: "ok",
    "invalid_grant", "natverk" or an HTTP status."""

    def __init__(self):
        self.claims = {}
        self.id_token_andring = {}
        self.nyckel = NYCKEL
        self.refresh = "ok"
        self.nere = False
        self.nonce = None
        self.refresh_givna = []
        self.refresh_anvanda = []

    def discovery(self):
        return {
            "issuer": ISSUER,
            "authorization_endpoint": f"{ISSUER}/auth",
            "token_endpoint": f"{ISSUER}/token",
            "userinfo_endpoint": f"{ISSUER}/userinfo",
            "jwks_uri": f"{ISSUER}/certs",
            "end_session_endpoint": f"{ISSUER}/logout",
        }

    def get(self, url, **kwargs):
        if self.nere:
            raise requests.ConnectionError("nere")
        if url == f"{ISSUER}/.well-known/openid-configuration":
            return Svar(200, self.discovery(), url)
        if url == f"{ISSUER}/certs":
            jwk = jwt.algorithms.RSAAlgorithm.to_jwk(NYCKEL.public_key(), as_dict=True)
            return Svar(200, {"keys": [{**jwk, "kid": "k1", "alg": "RS256", "use": "sig"}]}, url)
        if url == f"{ISSUER}/userinfo":
            return Svar(200, dict(self.claims), url)
        raise AssertionError(f"oväntad GET {url}")

    def post(self, url, data=None, **kwargs):
        assert url == f"{ISSUER}/token", url
        if data["grant_type"] == "authorization_code":
            assert data["code_verifier"]  # PKCE
            return Svar(200, self.tokens(), url)
        assert data["grant_type"] == "refresh_token"
        self.refresh_anvanda.append(data["refresh_token"])
        if self.refresh == "natverk":
            raise requests.ConnectTimeout("ingen förbindelse")
        if self.refresh == "invalid_grant":
            return Svar(400, {"error": "invalid_grant"}, url)
        if self.refresh == "ok":
            return Svar(200, self.tokens(), url)
        return Svar(self.refresh, {"error": "server_error"}, url)

    def tokens(self):
        nu = int(time.time())
        id_token = jwt.encode(
            {
                "iss": ISSUER,
                "aud": KLIENT,
                "iat": nu,
                "exp": nu + 300,
                "nonce": self.nonce,
                **{k: v for k, v in self.claims.items() if k == "sub"},
                **self.id_token_andring,
            },
            self.nyckel,
            algorithm="RS256",
            headers={"kid": "k1"},
        )
        refresh = secrets.token_urlsafe(16)
        self.refresh_givna.append(refresh)
        return {"access_token": "at", "id_token": id_token, "refresh_token": refresh}


@pytest.fixture
def idp(settings, monkeypatch):
    settings.OIDC_ISSUER = ISSUER
    settings.OIDC_RP_CLIENT_ID = KLIENT
    settings.OIDC_RP_CLIENT_SECRET = HEMLIGHET
    settings.OIDC_ROLLER_FRAN_GRUPPER = True
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, oidc.BACKEND]
    oidc.glom_upptackt()
    leverantor = Idp()
    monkeypatch.setattr(requests, "get", leverantor.get)
    monkeypatch.setattr(requests, "post", leverantor.post)
    yield leverantor
    oidc.glom_upptackt()


def person(sub="a1b2-c3", **claims):
    return {
        "sub": sub,
        "preferred_username": "anna.andersson",
        "given_name": "Anna",
        "family_name": "Andersson",
        "email": "anna.andersson@exempelkommun.se",
        "groups": [],
        **claims,
    }


def logga_in(idp, klient=None, *, next_=None, **svar):
    """The whole code flow through the product's views: the button, the provider's
    answer (a code, or `svar` such as error=access_denied) to the callback. Returns the
    client and the callback's response."""
    klient = klient or Client()
    adress = "/konto/oidc/logga-in/" + (f"?next={next_}" if next_ else "")
    till_idp = klient.get(adress)
    assert till_idp.status_code == 302, till_idp
    fraga = parse_qs(urlsplit(till_idp["Location"]).query)
    assert till_idp["Location"].startswith(f"{ISSUER}/auth?")
    assert fraga["code_challenge_method"] == ["S256"]
    idp.nonce = fraga["nonce"][0]
    parametrar = svar or {"code": "kod", "state": fraga["state"][0]}
    if "state" not in parametrar:
        parametrar["state"] = fraga["state"][0]
    return klient, klient.get("/konto/oidc/svar/", parametrar)


def inloggad(klient):
    return klient.session.get(BACKEND_SESSION_KEY) == oidc.BACKEND and "_auth_user_id" in (
        klient.session
    )


# --- First sign-in, matching, updates ------------------------------------------------------


def test_forsta_inloggningen_skapar_personen(idp):
    idp.claims = person()
    klient, svar = logga_in(idp, next_="/sok/")
    assert svar.status_code == 302 and svar["Location"] == "/sok/"
    assert inloggad(klient)
    identitet = ExternIdentitet.objects.select_related("user").get()
    user = identitet.user
    assert (identitet.issuer, identitet.subjekt) == (ISSUER, "a1b2-c3")
    assert (user.username, user.first_name, user.last_name, user.email) == (
        "anna.andersson",
        "Anna",
        "Andersson",
        "anna.andersson@exempelkommun.se",
    )
    assert not user.has_usable_password()
    assert user.history.first().history_change_reason == oidc.ORSAK_SKAPAD
    # The refresh token is kept encrypted, never as given.
    assert idp.refresh_givna[-1] not in identitet.refresh_token
    assert oidc.dekrypterad(identitet.refresh_token) == idp.refresh_givna[-1]
    assert klient.get("/").status_code == 200


def test_personen_matchas_pa_sub_aldrig_pa_epost_eller_anvandarnamn(idp):
    lokal = UserFactory(username="anna.andersson", email="anna.andersson@exempelkommun.se")
    idp.claims = person()
    logga_in(idp)
    ny = ExternIdentitet.objects.get().user
    assert ny != lokal
    assert ny.username == "anna.andersson-2"
    # Another person at the provider with Anna's e-mail address is not Anna.
    idp.claims = person(sub="annan-person", given_name="Agnes")
    logga_in(idp)
    assert ExternIdentitet.objects.count() == 2
    assert User.objects.filter(email="anna.andersson@exempelkommun.se").count() == 3
    lokal.refresh_from_db()
    assert lokal.first_name != "Agnes" and lokal.has_usable_password()


def test_senare_inloggningar_uppdaterar_namn_och_epost_i_historiken(idp):
    idp.claims = person()
    logga_in(idp)
    anna = ExternIdentitet.objects.get().user
    versioner = anna.history.count()
    # Married, new address; the user name at the provider changed too (not used).
    idp.claims = person(
        family_name="Berg", email="anna.berg@exempelkommun.se", preferred_username="anna.berg"
    )
    klient, svar = logga_in(idp)
    assert svar["Location"] == "/" and inloggad(klient)
    anna.refresh_from_db()
    assert (anna.username, anna.last_name, anna.email) == (
        "anna.andersson",
        "Berg",
        "anna.berg@exempelkommun.se",
    )
    assert anna.history.count() == versioner + 1
    assert anna.history.first().history_change_reason == oidc.ORSAK_UPPGIFTER
    # The same claims again: nothing to record.
    logga_in(idp)
    assert anna.history.count() == versioner + 1
    assert ExternIdentitet.objects.count() == 1


def test_ett_inaktiverat_konto_nekas_med_ett_meddelande_och_andras_inte(idp):
    idp.claims = person()
    logga_in(idp)
    anna = ExternIdentitet.objects.get().user
    anna.inaktivera()
    versioner = anna.history.count()
    idp.claims = person(family_name="Berg")
    klient, svar = logga_in(idp)
    assert svar.status_code == 302 and svar["Location"] == "/konto/logga-in/"
    assert meddelanden(svar) == [str(oidc.INAKTIVT)]
    assert not inloggad(klient)
    sida = klient.get("/konto/logga-in/")
    assert "Ditt konto i Kvalitet är inaktiverat" in sida.content.decode()
    anna.refresh_from_db()
    assert anna.last_name == "Andersson" and anna.history.count() == versioner
    # A session of a person deactivated meanwhile ends too.
    anna.is_active = True
    anna.save()
    klient, _ = logga_in(idp)
    assert klient.get("/").status_code == 200
    anna.inaktivera()
    assert klient.get("/")["Location"].startswith("/konto/logga-in/")


@pytest.mark.parametrize(
    ("fel", "meddelande"),
    [
        ("access_denied", "Kommunens inloggningstjänst nekade inloggningen i Kvalitet."),
        ("temporarily_unavailable", str(oidc.LEVERANTOREN_SVARAR_INTE)),
        ("<script>alert(1)</script>", str(oidc.MISSLYCKADES)),
    ],
)
def test_leverantorens_fel_visas_pa_inloggningssidan(idp, fel, meddelande):
    idp.claims = person()
    klient, svar = logga_in(idp, error=fel)
    assert svar.status_code == 302 and svar["Location"] == "/konto/logga-in/"
    assert meddelanden(svar) == [meddelande]
    assert not inloggad(klient)
    assert not User.objects.exists()
    assert "<script>alert(1)" not in klient.get("/konto/logga-in/").content.decode()


@pytest.mark.parametrize(
    "andring",
    [
        {"iss": "https://annan-leverantor.example"},
        {"aud": "en-annan-klient"},
        {"nonce": "fel-nonce"},
        {"exp": int(time.time()) - 3600},
        "fel-nyckel",
    ],
    ids=["issuer", "audience", "nonce", "utgangen", "signatur"],
)
def test_ett_underkant_id_token_ger_ingen_inloggning(idp, andring):
    idp.claims = person()
    if andring == "fel-nyckel":
        idp.nyckel = FEL_NYCKEL
    else:
        idp.id_token_andring = andring
    klient, svar = logga_in(idp)
    assert svar["Location"] == "/konto/logga-in/"
    assert meddelanden(svar) == [str(oidc.MISSLYCKADES)]
    assert not inloggad(klient) and not User.objects.exists()


def test_ett_okant_state_eller_ett_saknat_claim_ger_ett_meddelande(idp):
    idp.claims = person()
    klient, svar = logga_in(idp, code="kod", state="inte-detta")
    assert svar.status_code == 302 and svar["Location"] == "/konto/logga-in/"
    assert "Försök igen" in meddelanden(svar)[0]
    idp.claims = person(sub="")
    klient, svar = logga_in(idp)
    assert meddelanden(svar) == [str(oidc.MISSLYCKADES)]
    assert not User.objects.exists()


def test_en_leverantor_som_inte_svarar_ger_ett_meddelande(idp):
    idp.nere = True
    svar = Client().get("/konto/oidc/logga-in/")
    assert svar.status_code == 302 and svar["Location"] == "/konto/logga-in/"
    assert meddelanden(svar) == [str(oidc.LEVERANTOREN_SVARAR_INTE)]


def test_lokala_konton_loggar_fortfarande_in(idp, personas):
    klient = Client()
    svar = klient.post("/konto/logga-in/", {"username": "medarbetare", "password": "demo"})
    assert svar.status_code == 302 and svar["Location"] == "/"
    assert klient.session[BACKEND_SESSION_KEY] != oidc.BACKEND
    # A local login with a code and state in the address starts no token exchange.
    svar = Client().post(
        "/konto/logga-in/?code=x&state=y", {"username": "medarbetare", "password": "fel"}
    )
    assert svar.status_code == 200 and not ExternIdentitet.objects.exists()


# --- Roles from groups ---------------------------------------------------------------------


def test_grupperna_ger_och_avslutar_uppdrag_med_historik(idp, org):
    Gruppmappning.objects.create(grupp="sn-medarbetare-eb", roll=Roll.MEDARBETARE, enhet=org["EB"])
    Gruppmappning.objects.create(grupp="sn-chefer-eb", roll=Roll.ENHETSCHEF, enhet=org["EB"])
    Gruppmappning.objects.create(grupp="sn-utredare", roll=Roll.UTREDARE, enhet=org["STAB"])
    idp.claims = person(groups=["sn-medarbetare-eb", "okand-grupp"])
    logga_in(idp)
    anna = ExternIdentitet.objects.get().user
    # Given by hand in the product: never touched by a sign-in.
    for_hand = UppdragFactory(anvandare=anna, roll=Roll.REGISTRATOR, enhet=org["STAB"])
    utredare_for_hand = UppdragFactory(anvandare=anna, roll=Roll.UTREDARE, enhet=org["STAB"])
    (medarbetare,) = Uppdrag.objects.filter(anvandare=anna, fran_grupp="sn-medarbetare-eb")
    assert medarbetare.roll == Roll.MEDARBETARE and medarbetare.giltig_till is None
    assert medarbetare.history.first().history_change_reason == (
        "Från gruppen sn-medarbetare-eb i identitetsleverantören"
    )

    idp.claims = person(groups=["sn-chefer-eb", "sn-utredare"])
    logga_in(idp)
    idag = timezone.localdate()
    medarbetare.refresh_from_db()
    assert medarbetare.giltig_till == idag - timedelta(days=1)  # ended, not deleted
    assert medarbetare.history.first().history_change_reason == (
        "Inte längre i gruppen sn-medarbetare-eb i identitetsleverantören"
    )
    giltiga = set(
        Uppdrag.objects.giltiga().filter(anvandare=anna).values_list("roll", "fran_grupp")
    )
    assert giltiga == {
        (Roll.ENHETSCHEF, "sn-chefer-eb"),
        (Roll.REGISTRATOR, ""),
        (Roll.UTREDARE, ""),  # the hand-given one stays as it was
    }
    for uppdrag in (for_hand, utredare_for_hand):
        versioner = uppdrag.history.count()
        uppdrag.refresh_from_db()
        assert uppdrag.giltig_till is None and uppdrag.history.count() == versioner

    # Back in the first group: the ended assignment is taken up again.
    idp.claims = person(groups=["sn-medarbetare-eb"])
    logga_in(idp)
    medarbetare.refresh_from_db()
    assert medarbetare.giltig_till is None
    assert Uppdrag.objects.filter(anvandare=anna, roll=Roll.MEDARBETARE).count() == 1
    chef = Uppdrag.objects.get(anvandare=anna, roll=Roll.ENHETSCHEF)
    assert chef.giltig_till == idag - timedelta(days=1)


def test_utan_roller_fran_grupper_ror_inloggningen_inga_uppdrag(idp, org, settings):
    settings.OIDC_ROLLER_FRAN_GRUPPER = False
    Gruppmappning.objects.create(grupp="sn-medarbetare-eb", roll=Roll.MEDARBETARE, enhet=org["EB"])
    idp.claims = person(groups=["sn-medarbetare-eb"])
    logga_in(idp)
    assert not Uppdrag.objects.exists()


@pytest.mark.parametrize("grupper", ["sn-medarbetare-eb", 17, {"a": 1}, [None, 3]])
def test_gruppclaimet_i_annan_form(idp, org, grupper):
    """One group as a string counts; anything else is no groups (nothing breaks)."""
    Gruppmappning.objects.create(grupp="sn-medarbetare-eb", roll=Roll.MEDARBETARE, enhet=org["EB"])
    idp.claims = person(groups=grupper)
    klient, svar = logga_in(idp)
    assert inloggad(klient)
    assert Uppdrag.objects.exists() is (grupper == "sn-medarbetare-eb")


def test_for_manga_grupper_ger_inga_roller_fran_grupper_och_sager_varfor(idp, org, caplog):
    """Entra ID's groups overage: no group claim, but `_claim_names` naming a source for
    it. The groups are unknown, so what groups gave ends (as with no groups) – and the
    person and the log say why instead of the roles vanishing silently. Roles given in
    the product stay."""
    Gruppmappning.objects.create(grupp="sn-medarbetare-eb", roll=Roll.MEDARBETARE, enhet=org["EB"])
    idp.claims = person(groups=["sn-medarbetare-eb"])
    logga_in(idp)
    anna = ExternIdentitet.objects.get().user
    for_hand = UppdragFactory(anvandare=anna, roll=Roll.REGISTRATOR, enhet=org["STAB"])
    assert Uppdrag.objects.giltiga().filter(anvandare=anna).count() == 2

    overskott = person(
        _claim_names={"groups": "src1"},
        _claim_sources={"src1": {"endpoint": "https://graph.microsoft.com/v1.0/users/x"}},
    )
    del overskott["groups"]
    idp.claims = overskott
    klient, svar = logga_in(idp)
    assert inloggad(klient)
    assert meddelanden(svar) == [str(oidc.GRUPPERNA_SAKNAS)]
    assert "inget gruppclaim för anna.andersson" in caplog.text
    giltiga = Uppdrag.objects.giltiga().filter(anvandare=anna)
    assert list(giltiga) == [for_hand]
    medarbetare = Uppdrag.objects.get(anvandare=anna, fran_grupp="sn-medarbetare-eb")
    assert medarbetare.giltig_till == timezone.localdate() - timedelta(days=1)

    # An empty group claim is no overage: no groups, and nothing to explain.
    idp.claims = person(groups=[], _claim_names={"groups": "src1"})
    _klient, svar = logga_in(idp)
    assert meddelanden(svar) == []


# --- Logging out ---------------------------------------------------------------------------


def test_utloggningen_loggar_ut_hos_leverantoren_ocksa(idp):
    idp.claims = person()
    klient, _ = logga_in(idp)
    svar = klient.post("/konto/logga-ut/")
    assert svar.status_code == 200
    html = svar.content.decode()
    assert f'http-equiv="refresh" content="0; url={ISSUER}/logout?id_token_hint=' in html
    assert "post_logout_redirect_uri=http%3A%2F%2Ftestserver%2Fkonto%2Flogga-in%2F" in html
    assert "_auth_user_id" not in klient.session
    # A local account's logout is Django's, straight to the login page.
    lokal = UserFactory(username="lokal")
    klient.force_login(lokal)
    svar = klient.post("/konto/logga-ut/")
    assert svar.status_code == 302 and svar["Location"] == "/konto/logga-in/"


def test_knappen_och_adresserna_finns_bara_nar_oidc_ar_pa(idp, settings):
    html = Client().get("/konto/logga-in/?next=/sok/").content.decode()
    assert 'href="/konto/oidc/logga-in/?next=%2Fsok%2F"' in html
    assert "Logga in med kommunens konto" in html
    settings.OIDC_KNAPPTEXT = "Logga in med Sollentuna-konto"
    assert "Logga in med Sollentuna-konto" in Client().get("/konto/logga-in/").content.decode()
    settings.OIDC_ISSUER = ""
    assert "oidc" not in Client().get("/konto/logga-in/").content.decode()
    assert Client().get("/konto/oidc/logga-in/").status_code == 404
    assert Client().get("/konto/oidc/svar/?code=a&state=b").status_code == 404


# --- Does the provider still know the person? ------------------------------------------


def _inloggad_person(idp, sub="a1b2-c3"):
    idp.claims = person(sub=sub, preferred_username=sub)
    logga_in(idp)
    return ExternIdentitet.objects.select_related("user").get(subjekt=sub)


def test_kontrollen_inaktiverar_vid_invalid_grant(idp, org):
    Gruppmappning.objects.create(grupp="g", roll=Roll.MEDARBETARE, enhet=org["EB"])
    idp.claims = person(groups=["g"])
    logga_in(idp)
    anna = ExternIdentitet.objects.get().user
    idp.refresh = "invalid_grant"
    assert oidc.kontrollera_alla() == {"finns": 0, "borta": 1, "okant": 0}
    anna.refresh_from_db()
    assert not anna.is_active and User.objects.filter(pk=anna.pk).exists()
    assert anna.history.first().history_change_reason == oidc.ORSAK_BORTA
    assert Uppdrag.objects.get(anvandare=anna).giltig_till == timezone.localdate()
    assert ExternIdentitet.objects.get().refresh_token == ""
    # Deactivated people are not asked about again.
    assert oidc.kontrollera_alla() == {"finns": 0, "borta": 0, "okant": 0}


@pytest.mark.parametrize("svar", ["natverk", 500, 401])
def test_kontrollen_andrar_inget_vid_natverksfel_eller_annat_svar(idp, svar, caplog):
    identitet = _inloggad_person(idp)
    fore = (identitet.refresh_token, identitet.user.history.count())
    idp.refresh = svar
    assert oidc.kontrollera_alla() == {"finns": 0, "borta": 0, "okant": 1}
    identitet.refresh_from_db()
    identitet.user.refresh_from_db()
    assert identitet.user.is_active
    assert (identitet.refresh_token, identitet.user.history.count()) == fore
    # Tokens never reach the log.
    assert all(t not in caplog.text for t in idp.refresh_givna)


def test_kontrollen_sparar_den_nya_tokenen(idp):
    identitet = _inloggad_person(idp)
    forsta = idp.refresh_givna[-1]
    assert oidc.kontrollera_alla() == {"finns": 1, "borta": 0, "okant": 0}
    assert idp.refresh_anvanda == [forsta]
    identitet.refresh_from_db()
    assert oidc.dekrypterad(identitet.refresh_token) == idp.refresh_givna[-1] != forsta
    assert identitet.senast_kontrollerad is not None


def test_kommandot_och_uppgiften(idp, capsys):
    from django.core.management import call_command

    from kvalitet.tasks import kontrollera_oidc

    _inloggad_person(idp)
    call_command("kontrollera_oidc")
    assert "Finns kvar: 1. Inaktiverade: 0. Kunde inte kontrolleras: 0." in capsys.readouterr().out
    idp.refresh = "invalid_grant"
    assert kontrollera_oidc.delay().get() == {"finns": 0, "borta": 1, "okant": 0}


def test_kommandot_utan_oidc(settings):
    from django.core.management import CommandError, call_command

    settings.OIDC_ISSUER = ""
    with pytest.raises(CommandError, match="OIDC_ISSUER saknas"):
        call_command("kontrollera_oidc")


def test_en_token_som_inte_gar_att_dekryptera_raknas_som_okand(idp, settings):
    identitet = _inloggad_person(idp)
    settings.SECRET_KEY = "en-helt-annan-nyckel-" + "y" * 40
    assert oidc.dekrypterad(identitet.refresh_token) is None
    assert oidc.kontrollera_alla() == {"finns": 0, "borta": 0, "okant": 1}
    settings.SECRET_KEY_FALLBACKS = ["tests-only-not-secret"]
    assert oidc.kontrollera_alla() == {"finns": 1, "borta": 0, "okant": 0}


# --- Settings ------------------------------------------------------------------------------

PRODUKTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "kvalitet.example.se",
}


@pytest.mark.parametrize(
    ("miljo", "fel"),
    [
        ({"OIDC_ISSUER": ISSUER}, "OIDC_CLIENT_ID och OIDC_CLIENT_SECRET"),
        (
            {
                "OIDC_ISSUER": "http://idp.example.se",
                "OIDC_CLIENT_ID": "k",
                "OIDC_CLIENT_SECRET": "h",
            },
            "OIDC_ISSUER måste vara en https-adress",
        ),
        (
            {
                "OIDC_ISSUER": ISSUER,
                "OIDC_CLIENT_ID": "k",
                "OIDC_CLIENT_SECRET": "h",
                "OIDC_SCOPES": "profile email",
            },
            "OIDC_SCOPES måste innehålla openid",
        ),
        ({"OIDC_ROLLER_FRAN_GRUPPER": "kanske"}, "OIDC_ROLLER_FRAN_GRUPPER måste vara true"),
    ],
    ids=["utan-klient", "http", "utan-openid", "felaktig-bool"],
)
def test_felaktiga_installningar_stoppar_starten(miljo, fel):
    resultat = kor_manage("check", **PRODUKTION, **miljo)
    assert resultat.returncode != 0
    assert fel in resultat.stderr


def test_deploy_kontrollen_ar_ren_med_oidc_och_hemligheten_i_en_fil(tmp_path):
    fil = tmp_path / "hemlighet"
    fil.write_text("klientens-hemlighet\n")
    resultat = kor_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **PRODUKTION,
        OIDC_ISSUER=ISSUER + "/",
        OIDC_CLIENT_ID="kvalitet",
        OIDC_CLIENT_SECRET_FILE=str(fil),
        OIDC_ROLLER_FRAN_GRUPPER="true",
    )
    assert resultat.returncode == 0, resultat.stdout + resultat.stderr
    assert "System check identified no issues" in resultat.stdout


# --- Who reaches the addresses, with OIDC on -----------------------------------------------


def test_adresserna_for_varje_persona_med_oidc_pa(idp, klient_for):
    """The permission matrix has the OIDC addresses with OIDC off (404); on, anyone may
    start a sign-in and an answer without a started sign-in goes back to the login page
    – whether anonymous or signed in, whatever the role, and nothing changes."""
    from tests.stod import PERSONER, ogonblick

    for persona in PERSONER:
        klient = klient_for(None if persona == "anonym" else persona)
        fore = ogonblick()
        svar = klient.get("/konto/oidc/logga-in/")
        assert svar.status_code == 302 and svar["Location"].startswith(f"{ISSUER}/auth?"), persona
        svar = klient.get("/konto/oidc/svar/", {"code": "x", "state": "y"})
        assert svar.status_code == 302 and svar["Location"] == "/konto/logga-in/", persona
        assert klient.post("/konto/oidc/svar/").status_code == 405
        assert ogonblick() == fore, persona


# --- The administrator's group mappings ----------------------------------------------------


@pytest.mark.parametrize(
    ("data", "fel"),
    [
        ({"grupp": "", "roll": "medarbetare"}, "Skriv gruppens namn."),
        ({"grupp": "g" * 256, "roll": "medarbetare"}, "högst 255 tecken"),
        ({"grupp": "g", "roll": "kung"}, "Välj en av rollerna i listan."),
        ({"grupp": "g", "roll": "medarbetare", "enhet": "abc"}, "Välj en av de aktiva enheterna"),
        ({"grupp": "g", "roll": "medarbetare", "enhet": 999999}, "Välj en av de aktiva enheterna"),
        ({"grupp": "<script>x</script>", "roll": "medarbetare", "enhet": "INAKTIV"}, "aktiva"),
        ({"grupp": "sn-medarbetare-eb", "roll": "medarbetare"}, "ger redan den rollen"),
    ],
    ids=["tom", "for-lang", "okand-roll", "fel-typ", "okand-enhet", "inaktiv-enhet", "dubblett"],
)
def test_gruppmappningens_formular_nekar_felaktiga_varden(klient_for, org, data, fel):
    from kvalitet.models import Enhet

    inaktiv = Enhet.objects.create(kod="GAMMAL", namn="Nedlagd", typ="enhet", aktiv=False)
    Gruppmappning.objects.create(grupp="sn-medarbetare-eb", roll=Roll.MEDARBETARE, enhet=org["EB"])
    data = {"enhet": org["EB"].pk, **data}
    if data["enhet"] == "INAKTIV":
        data["enhet"] = inaktiv.pk
    svar = klient_for("admin").post("/administration/gruppmappningar/", data)
    assert svar.status_code == 400
    assert fel in svar.content.decode()
    assert "<script>x" not in svar.content.decode()
    assert Gruppmappning.objects.count() == 1 and Gruppmappning.history.count() == 1


def test_gruppmappning_laggs_till_och_tas_bort_med_historik(klient_for, personas, org):
    klient = klient_for("admin")
    svar = klient.post(
        "/administration/gruppmappningar/",
        {"grupp": "  sn-chefer-eb ", "roll": "enhetschef", "enhet": org["EB"].pk},
    )
    assert svar.status_code == 302
    mappning = Gruppmappning.objects.get()
    assert (mappning.grupp, mappning.roll, mappning.enhet) == (
        "sn-chefer-eb",
        "enhetschef",
        org["EB"],
    )
    sida = klient.get("/administration/gruppmappningar/").content.decode()
    assert "sn-chefer-eb" in sida and "roller från grupper är avstängt" not in sida
    assert "inloggning med kommunens konto är inte påslagen" in sida
    assert klient.post("/administration/gruppmappningar/999999/ta-bort/").status_code == 404
    assert klient.get(f"/administration/gruppmappningar/{mappning.pk}/ta-bort/").status_code == 405
    svar = klient.post(f"/administration/gruppmappningar/{mappning.pk}/ta-bort/")
    assert svar.status_code == 302 and not Gruppmappning.objects.exists()
    orsaker = list(Gruppmappning.history.values_list("history_change_reason", "history_user"))
    assert orsaker == [
        ("Gruppmappning borttagen", personas["admin"].pk),
        ("Gruppmappning tillagd", personas["admin"].pk),
    ]


def test_nekade_inloggningar_sparrar_inte_andras_inloggning_fran_adressen(idp, settings):
    """django-axes would count a refused sign-in against "no user name" from the address
    and, after AXES_FAILURE_LIMIT of them, lock every OIDC sign-in from it (an office
    behind one NAT address); it leaves them alone and stores no authorization code."""
    from axes.models import AccessAttempt, AccessFailureLog

    idp.claims = person()
    logga_in(idp)
    ExternIdentitet.objects.get().user.inaktivera()
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        _, svar = logga_in(idp)
        assert svar["Location"] == "/konto/logga-in/"
    assert not AccessAttempt.objects.exists() and not AccessFailureLog.objects.exists()
    idp.claims = person(sub="kollegan", preferred_username="kollegan")
    klient, svar = logga_in(idp)
    assert svar.status_code == 302 and svar["Location"] == "/" and inloggad(klient)
    # The local login's lockout still works: five wrong passwords lock the user name.
    for _ in range(settings.AXES_FAILURE_LIMIT):
        Client().post("/konto/logga-in/", {"username": "kollegan", "password": "fel"})
    assert AccessAttempt.objects.filter(username="kollegan").exists()


def test_ett_stangt_konto_kontrolleras_forst_efter_nasta_inloggning(idp, klient_for, personas):
    """Closed by an administrator, the account forgets its refresh token; opened again,
    the check leaves it alone until the person signs in again (an old token would
    answer invalid_grant and close the account at once)."""
    identitet = _inloggad_person(idp)
    svar = klient_for("admin").post(f"/administration/personer/{identitet.user.pk}/inaktivera/")
    assert svar.status_code == 302
    identitet.refresh_from_db()
    assert identitet.refresh_token == ""
    klient_for("admin").post(f"/administration/personer/{identitet.user.pk}/aktivera/")
    identitet.user.refresh_from_db()
    assert identitet.user.is_active
    idp.refresh = "invalid_grant"
    assert oidc.kontrollera_alla() == {"finns": 0, "borta": 0, "okant": 0}
    idp.refresh = "ok"
    _inloggad_person(idp)
    assert oidc.kontrollera_alla() == {"finns": 1, "borta": 0, "okant": 0}


def test_samtidig_forsta_inloggning_ger_ett_meddelande_inte_ett_serverfel(idp, monkeypatch):
    """The same person's first sign-in in two browsers at once: the second to save meets
    the unique identity; it is undone and told to try again, and the retry signs in."""
    skapa = oidc._skapa_person

    def den_andra_hann_forst(claims, subjekt):
        annan = UserFactory(username="den-andra-webblasaren")
        ExternIdentitet.objects.create(user=annan, issuer=ISSUER, subjekt=subjekt)
        return skapa(claims, subjekt)

    monkeypatch.setattr(oidc, "_skapa_person", den_andra_hann_forst)
    idp.claims = person()
    klient, svar = logga_in(idp)
    assert svar["Location"] == "/konto/logga-in/"
    assert meddelanden(svar) == [str(oidc.MISSLYCKADES)]
    assert not inloggad(klient)
    assert not User.objects.filter(username="anna.andersson").exists()
    monkeypatch.setattr(oidc, "_skapa_person", skapa)
    klient, svar = logga_in(idp)
    assert svar["Location"] == "/" and inloggad(klient)
