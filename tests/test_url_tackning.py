"""Every URL the project serves is in a permission matrix.

The guard walks the URL patterns the project really serves (Django's resolver, not a
list kept here) and resolves the URL of every row of every permission matrix
(`RADER` in each `tests/<app>/test_behorighet.py`). A route no row reaches fails the
guard: a new page or action cannot be added without deciding, persona by persona, who
may use it.

The administration is the one exception to hand-written rows: its URLs come from the
registered models, so its matrix is generated below from the admin site itself – every
admin route, every persona – and refuses everyone but the administrator.
"""

import importlib
import pkgutil
import re
from datetime import date

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve

import tests
from tests.stod import PERSONER, A, L, kontrollera_svar

pytestmark = pytest.mark.django_db


def serverade_vagar():
    """{route: view name} of every URL pattern the project serves."""

    def gå(monster, prefix, namnrymd):
        for m in monster:
            if isinstance(m, URLResolver):
                ns = ":".join(filter(None, [namnrymd, m.namespace]))
                yield from gå(m.url_patterns, prefix + str(m.pattern), ns)
            elif isinstance(m, URLPattern):
                namn = ":".join(filter(None, [namnrymd, m.name])) if m.name else None
                yield prefix + str(m.pattern), namn

    return dict(gå(get_resolver().url_patterns, "", ""))


class Platshallare:
    """Stands in for a matrix scenario: any attribute is itself and formats as "1", so a
    row's URL function yields a URL of the right shape without a database."""

    def __getattr__(self, namn):
        return self

    def __format__(self, spec):
        return "1"

    __str__ = __repr__ = lambda self: "1"


def konkret(url) -> str:
    """A matrix row's URL (a template string or a function of the scenario) as a path."""
    url = url(Platshallare()) if callable(url) else re.sub(r"\{\w+\}", "1", url)
    return url.split("?")[0]


def matriser():
    """{module name: RADER} of every permission matrix under tests/."""
    hittade = {}
    for info in pkgutil.walk_packages(tests.__path__, "tests."):
        if info.name.rsplit(".", 1)[-1] == "test_behorighet":
            modul = importlib.import_module(info.name)
            hittade[info.name] = modul.RADER
    return hittade


def admin_vagar():
    return {v: n for v, n in serverade_vagar().items() if v.startswith("admin/")}


def test_varje_vag_har_en_rad_i_en_behorighetsmatris():
    tackta = {resolve(konkret(r.url)).route for rader in matriser().values() for r in rader}
    saknas = sorted(set(serverade_vagar()) - set(admin_vagar()) - tackta)
    assert not saknas, "adresser utan rad i någon behörighetsmatris: " + ", ".join(saknas)


def test_vakten_ser_vagarna_och_matriserna():
    """The guard above cannot pass by finding nothing: it sees the matrices, the
    shared case routes of every case type and the routes of the steps."""
    assert set(matriser()) == {
        "tests.api.test_behorighet",
        "tests.avvikelser.test_behorighet",
        "tests.kvalitet.test_behorighet",
        "tests.lexsarah.test_behorighet",
        "tests.rapporter.test_behorighet",
        "tests.riskregister.test_behorighet",
        "tests.synpunkter.test_behorighet",
        "tests.tillsyn.test_behorighet",
        "tests.internkontroll.test_behorighet",
        "tests.processer.test_behorighet",
    }
    vagar = serverade_vagar()
    assert vagar["avvikelser/<str:nummer>/avsluta/"] == "avvikelser:avsluta"
    assert vagar["synpunkter/lamna/"] == "synpunkter:lamna"
    assert vagar["atgarder/<int:pk>/utvardera/"] == "atgard_utvardera"
    assert resolve(konkret("/avvikelser/{nr}/avsluta/")).route == "avvikelser/<str:nummer>/avsluta/"


# --- The administration: generated from the admin site ------------------------------------


# An object's version in its change history (simple-history's route, a regular expression).
HISTORIK = "^([^/]+)/history/([^/]+)/$"


def admin_url(route, objekt_id, historik_id=None):
    """A concrete URL for an admin route: an existing object's id where one is asked for,
    and one of its versions where the route shows one."""
    url = "/" + route
    url = re.sub(r"\^\(\?P<app_label>[a-z|]+\)/\$", "kvalitet/", url)
    url = url.replace("(?P<url>.*)$", "finns-inte/")
    url = url.replace(HISTORIK, f"{objekt_id}/history/{historik_id}/")
    url = re.sub(r"<(?:path:)?(?:object_id|id)>", str(objekt_id), url)
    return re.sub(r"<path:content_type_id>", "1", url)


def admin_routes_med_objekt(personas, org):
    """(route, URL, object id) of every admin route; object URLs point at a real object of their
    model (and a real version of it), so the administrator's answer is the page itself."""
    from kvalitet.admin import admin_site

    objekt = {}
    for modell in admin_site._registry:
        forsta = modell._default_manager.order_by("pk").first()
        objekt[f"admin/{modell._meta.app_label}/{modell._meta.model_name}/"] = (modell, forsta.pk)
    rader = []
    for route in sorted(admin_vagar()):
        prefix = next((p for p in objekt if route.startswith(p)), None)
        modell, objekt_id = objekt[prefix] if prefix else (None, 1)
        historik_id = None
        if route.endswith(HISTORIK):
            versioner = modell.history.filter(**{modell._meta.pk.attname: objekt_id})
            historik_id = versioner.values_list("history_id", flat=True)[0]
        rader.append((route, admin_url(route, objekt_id, historik_id), objekt_id))
    return rader


@pytest.fixture
def admindata(org, personas):
    """Every admin-registered model has a row (users, units and category lists do already;
    the category lists come from the data migrations)."""
    from kvalitet.admin import admin_site
    from kvalitet.models import Gruppmappning
    from rapporter.models import Driftstart

    # A series' go-live date comes from an import or the admin: one to open.
    Driftstart.objects.create(serie="avvikelser", fran=date(2025, 3, 1))
    # A person's API key (api.admin: to see and revoke).
    from api.models import ApiNyckel, Omfang

    ApiNyckel.skapa(anvandare=personas["enhetschef"], namn="Nyckel", omfang=Omfang.LAS, dagar=30)
    # A group of the identity provider that gives a role (kvalitet.oidc).
    Gruppmappning.objects.create(grupp="sn-medarbetare-eb", roll="medarbetare", enhet=org["EB"])
    for modell in admin_site._registry:
        assert modell._default_manager.exists(), modell
    return admin_routes_med_objekt(personas, org)


# What the administrator gets where it is not the page itself (200).
ADMIN_SVAR = {
    "admin/(?P<url>.*)$": 404,  # an unknown admin address
    "admin/autocomplete/": 403,  # no admin uses autocomplete fields: nothing to complete
    "admin/api/apinyckel/add/": 403,  # a key is made by its owner, shown to them once
    "admin/api/apinyckel/<path:object_id>/delete/": 403,  # keys are revoked, not deleted
    "admin/kvalitet/enhet/<path:object_id>/delete/": 403,  # units are deactivated, not deleted
    "admin/kvalitet/regel/<path:object_id>/delete/": 403,  # a rule version is ended, not deleted
    "admin/kvalitet/user/<path:object_id>/delete/": 403,  # people are deactivated, not deleted
    "admin/login/": ("/admin/",),  # already logged in
    "admin/logout/": 405,  # logging out is a POST
    "admin/r/<path:content_type_id>/<path:object_id>/": 404,  # "view on site": no such object
}


def vantat(route, persona):
    """The expected answer: a status, a matrix code, or (Location,) of a 302."""
    if persona == "admin":
        if route in ADMIN_SVAR:
            return ADMIN_SVAR[route]
        if route.endswith("/<path:object_id>/"):  # the old address of an object's page
            return (admin_url(route, "{id}") + "change/",)
        return 200
    if route == "admin/login/":
        return L if persona == "anonym" else 403
    if route == "admin/logout/":
        return ("/admin/",)  # nothing to log out of here: to the index, which refuses
    return A


def test_adminsidorna_ar_bara_for_administratoren(admindata, klient_for):
    """Every admin route × every persona: anonymous visitors and logged-in users without
    the admin role never reach an admin page; the administrator does."""
    klienter = {p: klient_for(None if p == "anonym" else p) for p in PERSONER}
    fel = []
    for route, url, objekt_id in admindata:
        for persona, klient in klienter.items():
            svar = vantat(route, persona)
            response = klient.get(url)
            try:
                if isinstance(svar, tuple):
                    assert response.status_code == 302, response.status_code
                    plats = svar[0].replace("{id}", str(objekt_id))
                    assert response.headers["Location"] == plats, response.headers["Location"]
                else:
                    kontrollera_svar(response, svar)
            except AssertionError as exc:
                fel.append(f"{url} som {persona} (väntat {svar}): {exc}")
    assert not fel, "\n".join(fel)
    # Every admin route was requested (the loop cannot pass by skipping them).
    assert {r for r, _u, _o in admindata} == set(admin_vagar())
