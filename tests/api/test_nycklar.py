"""Personal API keys: stored as a hash only, shown once, revoked, expired, an inactive
owner, read and write scope, the rate limit per key, the `skapa_token` command, and
the error shape of every refusal."""

import hashlib
import io
import re
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from api.models import ApiNyckel, Omfang
from avvikelser.models import Avvikelse
from kvalitet.models import Forfragan, Uppdrag
from tests.api.conftest import ApiKlient, fel
from tests.stod import ogonblick

pytestmark = pytest.mark.django_db

NYCKEL = re.compile(r'id="ny-nyckel" type="text" value="(kv_[A-Za-z0-9_-]{43})"')


def skapa_pa_sidan(klient, **data):
    data = {"namn": "Kontaktcentret", "omfang": "las", "dagar": "30", **data}
    return klient.post("/konto/api-nycklar/", data)


def test_nyckeln_visas_en_gang_och_lagras_bara_som_hash(klient_for, personas):
    klient = klient_for("enhetschef")
    svar = skapa_pa_sidan(klient)
    assert svar.status_code == 200
    assert svar["Cache-Control"] == "no-store"
    text = NYCKEL.search(svar.content.decode())[1]
    rad = ApiNyckel.objects.get(anvandare=personas["enhetschef"])
    assert rad.hash == hashlib.sha256(text.encode()).hexdigest()
    assert rad.prefix == text[:11] and len(text) == 46
    # Nowhere in the database: no column of the key's row, nor anything else.
    for varde in ApiNyckel.objects.values_list().get(pk=rad.pk):
        assert text not in str(varde)
    if connection.vendor == "sqlite":
        dump = "\n".join(connection.connection.iterdump())
        assert rad.hash in dump  # the dump is real: it holds the hash
        assert text not in dump
    # The page afterwards shows its beginning, never the key again.
    sidan = klient.get("/konto/api-nycklar/").content.decode()
    assert rad.prefix in sidan and text not in sidan
    # And the key works.
    assert ApiKlient(text).get("/api/v1/avvikelser/").status_code == 200


FORMULARNYCKEL = re.compile(r'name="engangsnyckel" value="([A-Za-z0-9_-]{32})"')


def test_samma_formular_igen_skapar_ingen_ny_nyckel(klient_for, personas):
    """A reload of the page that showed the key sends the form again: the page says
    the key is already made and cannot be shown again; no second key, nothing shown."""
    klient = klient_for("enhetschef")
    formular = FORMULARNYCKEL.search(klient.get("/konto/api-nycklar/").content.decode())[1]
    forsta = skapa_pa_sidan(klient, engangsnyckel=formular)
    text = NYCKEL.search(forsta.content.decode())[1]
    igen = skapa_pa_sidan(klient, engangsnyckel=formular, namn="Något annat")
    assert igen.status_code == 200
    sidan = igen.content.decode()
    assert NYCKEL.search(sidan) is None and text not in sidan
    assert "Nyckeln Kontaktcentret är redan skapad" in sidan
    assert "ingen ny nyckel skapades" in sidan
    rad = ApiNyckel.objects.get()
    assert (rad.namn, rad.formularnyckel) == ("Kontaktcentret", formular)
    # The page the answer shows has a new form key: the next key is a new one.
    ny = FORMULARNYCKEL.search(sidan)[1]
    assert ny != formular
    skapa_pa_sidan(klient, engangsnyckel=ny, namn="Andra")
    assert ApiNyckel.objects.count() == 2


def test_annans_formularnyckel_ger_inget_om_dennes_nyckel(klient_for, personas):
    klient_for("enhetschef").post(
        "/konto/api-nycklar/",
        {"namn": "Hemlig", "omfang": "las", "dagar": "30", "engangsnyckel": "a" * 32},
    )
    svar = klient_for("medarbetare").post(
        "/konto/api-nycklar/",
        {"namn": "Min", "omfang": "las", "dagar": "30", "engangsnyckel": "a" * 32},
        follow=True,
    )
    sidan = svar.content.decode()
    assert "Formuläret kunde inte användas. Fyll i det igen." in sidan
    assert "Hemlig" not in sidan and NYCKEL.search(sidan) is None
    assert not ApiNyckel.objects.filter(anvandare=personas["medarbetare"]).exists()


@pytest.mark.parametrize("formular", ["", "kort", "<script>alert(1)</script>", "å" * 32, "b" * 65])
def test_felaktig_formularnyckel_byts_ut(formular, klient_for):
    """A missing or malformed form key is no error the person could correct: the key is
    made under a new one."""
    svar = skapa_pa_sidan(klient_for("enhetschef"), engangsnyckel=formular)
    assert svar.status_code == 200 and NYCKEL.search(svar.content.decode())
    sparad = ApiNyckel.objects.get().formularnyckel
    assert sparad != formular and re.fullmatch(r"[A-Za-z0-9_-]{32}", sparad)


@pytest.mark.parametrize(
    ("data", "falt", "meddelande"),
    [
        ({"namn": ""}, "namn", "Detta fält måste fyllas i."),
        ({"dagar": "366"}, "dagar", "Kontrollera att detta värde är mindre än eller lika med 365."),
        ({"dagar": "0"}, "dagar", "Kontrollera att detta värde är större än eller lika med 1."),
        ({"dagar": "tio"}, "dagar", "Fyll i ett heltal."),
        ({"omfang": "admin"}, "omfang", "Välj ett giltigt alternativ."),
        ({"namn": "<script>alert(1)</script>"}, "namn", ""),
    ],
)
def test_felaktigt_formular_skapar_ingen_nyckel(data, falt, meddelande, klient_for):
    svar = skapa_pa_sidan(klient_for("enhetschef"), **data)
    assert svar.status_code == 400
    assert svar.context["form"].errors[falt]
    assert meddelande in svar.content.decode()
    assert not ApiNyckel.objects.exists()


def test_aterkallad_nyckel_ger_401(personas, klient_for, nyckel_for):
    text = nyckel_for("enhetschef")
    rad = ApiNyckel.objects.get()
    svar = klient_for("enhetschef").post(f"/konto/api-nycklar/{rad.pk}/aterkalla/")
    assert svar.status_code == 302
    rad.refresh_from_db()
    assert rad.aterkallad is not None
    svar = ApiKlient(text).get("/api/v1/avvikelser/")
    assert svar.status_code == 401
    assert fel(svar) == {"code": "authentication_failed", "message": "API-nyckeln är återkallad."}
    assert svar["WWW-Authenticate"] == 'Bearer realm="api"'


def test_administratoren_ser_allas_nycklar_och_aterkallar(personas, klient_for, nyckel_for):
    """The administrator sees every person's keys (never a key itself) and revokes one at
    once; nothing is made, changed or deleted there."""
    text = nyckel_for("enhetschef")
    annan = nyckel_for("medarbetare")
    rad = ApiNyckel.objects.get(anvandare=personas["enhetschef"])
    admin = klient_for("admin")
    lista = admin.get("/admin/api/apinyckel/")
    sidan = lista.content.decode()
    assert "Test enhetschef" in sidan and "Test medarbetare" in sidan
    assert rad.prefix in sidan and text not in sidan and rad.hash not in sidan
    atgarder = dict(lista.context["action_form"].fields["action"].choices)
    assert "delete_selected" not in atgarder and "aterkalla" in atgarder
    assert admin.get("/admin/api/apinyckel/add/").status_code == 403
    sida = admin.get(f"/admin/api/apinyckel/{rad.pk}/change/").content.decode()
    assert rad.prefix in sida and text not in sida and rad.hash not in sida
    assert admin.post(f"/admin/api/apinyckel/{rad.pk}/change/", {"namn": "Ny"}).status_code == 403

    svar = admin.post(
        "/admin/api/apinyckel/", {"action": "aterkalla", "_selected_action": [rad.pk]}, follow=True
    )
    assert "1 nyckel återkallad." in svar.content.decode()
    rad.refresh_from_db()
    assert rad.aterkallad is not None and rad.namn == "Test enhetschef"
    assert ApiKlient(text).get("/api/v1/avvikelser/").status_code == 401
    assert ApiKlient(annan).get("/api/v1/avvikelser/").status_code == 200
    # Again: nothing more to revoke, the time kept.
    forst = rad.aterkallad
    svar = admin.post(
        "/admin/api/apinyckel/", {"action": "aterkalla", "_selected_action": [rad.pk]}, follow=True
    )
    assert "0 nycklar återkallade." in svar.content.decode()
    rad.refresh_from_db()
    assert rad.aterkallad == forst
    assert "Återkallad" in admin.get("/admin/api/apinyckel/?status=aterkallad").content.decode()
    giltiga = admin.get("/admin/api/apinyckel/?status=giltig").content.decode()
    assert "Test medarbetare" in giltiga and "Test enhetschef" not in giltiga


def test_bara_administratoren_ser_allas_nycklar(personas, klient_for, nyckel_for):
    nyckel_for("enhetschef")
    rad = ApiNyckel.objects.get()
    for persona in ("enhetschef", "kvalitetssamordnare", "forvaltningschef"):
        klient = klient_for(persona)
        assert klient.get("/admin/api/apinyckel/").status_code in (302, 403)
        klient.post("/admin/api/apinyckel/", {"action": "aterkalla", "_selected_action": [rad.pk]})
    rad.refresh_from_db()
    assert rad.aterkallad is None


def test_annans_nyckel_kan_inte_aterkallas(klient_for, nyckel_for):
    nyckel_for("enhetschef")
    rad = ApiNyckel.objects.get()
    svar = klient_for("medarbetare").post(f"/konto/api-nycklar/{rad.pk}/aterkalla/")
    assert svar.status_code == 404
    rad.refresh_from_db()
    assert rad.aterkallad is None


def test_utgangen_nyckel_ger_401(nyckel_for):
    text = nyckel_for("enhetschef")
    ApiNyckel.objects.update(giltig_till=timezone.now() - timedelta(seconds=1))
    svar = ApiKlient(text).get("/api/v1/avvikelser/")
    assert svar.status_code == 401
    assert fel(svar)["message"].startswith("API-nyckeln gick ut ")


def test_inaktiverat_konto_ger_401(nyckel_for, personas):
    text = nyckel_for("enhetschef")
    personas["enhetschef"].is_active = False
    personas["enhetschef"].save()
    svar = ApiKlient(text).get("/api/v1/avvikelser/")
    assert svar.status_code == 401
    assert fel(svar)["message"] == "Kontot som äger API-nyckeln är inaktiverat."


def test_avslutad_roll_ger_403(nyckel_for, personas):
    text = nyckel_for("enhetschef")
    Uppdrag.objects.filter(anvandare=personas["enhetschef"]).update(
        giltig_till=timezone.localdate() - timedelta(days=1)
    )
    svar = ApiKlient(text).get("/api/v1/avvikelser/")
    assert svar.status_code == 403
    assert fel(svar)["code"] == "permission_denied"


@pytest.mark.parametrize(
    "header",
    ["Bearer kv_finnsinte", "Bearer", "Bearer a b", "Token kv_finnsinte", "Bearer åäö"],
)
def test_okand_eller_felskriven_nyckel_ger_401(header):
    from django.test import Client

    svar = Client().get("/api/v1/avvikelser/", headers={"Authorization": header})
    assert svar.status_code == 401
    assert fel(svar)["code"] == "authentication_failed"


def test_token_som_schema_accepteras(nyckel_for):
    text = nyckel_for("enhetschef")
    assert ApiKlient(text, schema="Token").get("/api/v1/avvikelser/").status_code == 200


def test_inloggad_webbsession_ger_ingen_atkomst(klient_for):
    """No session authentication: a browser signed in to the pages reaches no data and
    cannot write through the API (no cookie-driven writes, no CSRF question)."""
    klient = klient_for("enhetschef")
    assert klient.get("/api/v1/avvikelser/").status_code == 401
    svar = klient.post("/api/v1/avvikelser/", {}, content_type="application/json")
    assert svar.status_code == 401


def test_lasnyckel_far_inte_skriva(api_for, org):
    klient = api_for("enhetschef")
    fore = ogonblick()
    svar = klient.post(
        "/api/v1/avvikelser/",
        {
            "extern_id": "x",
            "typ": "avvikelse",
            "enhet": org["EB"].pk,
            "handelsedatum": timezone.localdate().isoformat(),
            "beror_enskild": False,
            "beskrivning": "Läsnyckel",
        },
    )
    assert svar.status_code == 403
    assert fel(svar) == {
        "code": "permission_denied",
        "message": "API-nyckeln får bara läsa. Skapa en nyckel som får läsa och skriva.",
    }
    assert not Avvikelse.objects.exists()
    assert ogonblick() == fore


def test_senast_anvand_skrivs_hogst_en_gang_per_minut(nyckel_for, django_assert_num_queries):
    text = nyckel_for("enhetschef")
    klient = ApiKlient(text)
    klient.get("/api/v1/avvikelser/")
    forsta = ApiNyckel.objects.get().senast_anvand
    assert forsta is not None
    klient.get("/api/v1/avvikelser/")
    assert ApiNyckel.objects.get().senast_anvand == forsta
    ApiNyckel.objects.update(senast_anvand=forsta - timedelta(minutes=2))
    klient.get("/api/v1/avvikelser/")
    assert ApiNyckel.objects.get().senast_anvand > forsta


# --- The rate limit ---------------------------------------------------------------------


def test_begransningen_galler_per_nyckel(settings, nyckel_for):
    settings.API_ANROP_PER_MINUT = 3
    forsta = ApiKlient(nyckel_for("enhetschef"))
    andra = ApiKlient(nyckel_for("enhetschef"))  # the same person's other key
    for _ in range(3):
        assert forsta.get("/api/v1/avvikelser/").status_code == 200
    svar = forsta.get("/api/v1/avvikelser/")
    assert svar.status_code == 429
    assert fel(svar)["code"] == "throttled"
    assert "Försök igen om" in fel(svar)["message"]
    assert 1 <= int(svar["Retry-After"]) <= 60
    assert andra.get("/api/v1/avvikelser/").status_code == 200
    # The window passes: the key may call again.
    Forfragan.objects.update(tid=timezone.now() - timedelta(minutes=2))
    assert forsta.get("/api/v1/avvikelser/").status_code == 200


def test_begransningen_kan_stangas_av(settings, nyckel_for):
    settings.API_ANROP_PER_MINUT = 0
    klient = ApiKlient(nyckel_for("enhetschef"))
    for _ in range(5):
        assert klient.get("/api/v1/avvikelser/").status_code == 200
    assert not Forfragan.objects.exists()


# --- The error shape --------------------------------------------------------------------


def test_fel_metod_ger_405_json(api_for):
    svar = api_for("enhetschef", skriv=True).request("PUT", "/api/v1/avvikelser/")
    assert svar.status_code == 405
    assert fel(svar) == {"code": "method_not_allowed", "message": "Metoden PUT används inte här."}


def test_annat_an_json_ger_415(api_for):
    klient = api_for("enhetschef", skriv=True)
    svar = klient.klient.post(
        "/api/v1/avvikelser/", {"extern_id": "x"}, headers=klient.headers
    )  # multipart, as a browser form sends
    assert svar.status_code == 415
    assert fel(svar)["code"] == "unsupported_media_type"


def test_oväntat_fel_ger_500_json_utan_detaljer(api_for, monkeypatch):
    from api import views

    def krasch(*args, **kwargs):
        raise RuntimeError("hemlig intern detalj")

    monkeypatch.setattr(views.AvvikelseViewSet, "list", krasch)
    svar = api_for("enhetschef").get("/api/v1/avvikelser/")
    assert svar.status_code == 500
    assert fel(svar) == {
        "code": "server_error",
        "message": "Ett oväntat fel inträffade. Försök igen senare.",
    }
    assert "hemlig" not in svar.content.decode()


def test_okand_adress_under_api_ger_404_json(api_for):
    for adress in ("/api/v1/finns-inte/", "/api/", "/api/v1/avvikelser/AVV-1/extra/"):
        svar = api_for("enhetschef").get(adress)
        assert svar.status_code == 404, adress
        assert fel(svar)["code"] == "not_found"


# --- skapa_token ----------------------------------------------------------------------------


def kor(*args):
    ut, fel_ = io.StringIO(), io.StringIO()
    call_command("skapa_token", *args, stdout=ut, stderr=fel_)
    return ut.getvalue(), fel_.getvalue()


def test_skapa_token_skriver_bara_nyckeln(personas):
    ut, info = kor("enhetschef", "--namn", "Kontaktcentret", "--dagar", "10")
    text = ut.strip()
    assert re.fullmatch(r"kv_[A-Za-z0-9_-]{43}", text), ut
    assert ut == text + "\n"
    rad = ApiNyckel.objects.get()
    assert rad.namn == "Kontaktcentret" and rad.omfang == Omfang.LAS
    assert rad.prefix in info and text not in info
    assert timedelta(days=9) < rad.giltig_till - timezone.now() <= timedelta(days=10)
    assert ApiKlient(text).get("/api/v1/avvikelser/").status_code == 200


def test_skapa_token_med_skriv(personas):
    kor("enhetschef", "--skriv")
    assert ApiNyckel.objects.get().omfang == Omfang.SKRIV


@pytest.mark.parametrize(
    ("args", "meddelande"),
    [
        (["finns_inte"], "Det finns ingen användare 'finns_inte'."),
        (["inaktiv"], "Användaren 'inaktiv' är inaktiverad och får ingen nyckel."),
        (["utan_roll"], "Användaren 'utan_roll' har ingen giltig roll"),
        (["enhetschef", "--dagar", "0"], "--dagar måste vara 1–365, inte 0."),
        (["enhetschef", "--dagar", "366"], "--dagar måste vara 1–365, inte 366."),
        (["enhetschef", "--namn", "  "], "--namn får inte vara tomt."),
    ],
)
def test_skapa_token_vagrar(args, meddelande, personas):
    from tests.factories import UserFactory

    UserFactory(username="inaktiv", is_active=False)
    with pytest.raises(CommandError, match=re.escape(meddelande)):
        kor(*args)
    assert not ApiNyckel.objects.exists()
