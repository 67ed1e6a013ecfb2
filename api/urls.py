"""`/api/` (mounted in kvalitet/urls.py): version 1 under `v1/`."""

from django.urls import path, re_path

from . import dokumentation, views
from .fel import ingen_sadan_adress

app_name = "api"


def arendetyp(prefix, viewset, *, lista, en, skriva=False):
    atgarder = {"get": "list", "post": "create"} if skriva else {"get": "list"}
    return [
        path(f"v1/{prefix}/", viewset.as_view(atgarder), name=lista),
        path(f"v1/{prefix}/<str:nyckel>/", viewset.as_view({"get": "retrieve"}), name=en),
    ]


urlpatterns = [
    *arendetyp(
        "avvikelser", views.AvvikelseViewSet, lista="avvikelser", en="avvikelse", skriva=True
    ),
    *arendetyp("synpunkter", views.SynpunktViewSet, lista="synpunkter", en="synpunkt", skriva=True),
    *arendetyp("lexsarah", views.LexSarahViewSet, lista="lexsarah_lista", en="lexsarah"),
    *arendetyp("tillsyn", views.TillsynViewSet, lista="tillsyn_lista", en="tillsyn"),
    *arendetyp("risker", views.RiskViewSet, lista="risker", en="risk"),
    *arendetyp("kontroller", views.KontrolltillfalleViewSet, lista="kontroller", en="kontroll"),
    *arendetyp("processer", views.ProcessViewSet, lista="processer", en="process"),
    path("v1/siffror/<int:ar>/", views.SiffrorView.as_view(), name="siffror"),
    path("v1/rapporter/", views.RapportViewSet.as_view({"get": "list"}), name="rapporter"),
    path(
        "v1/rapporter/<int:pk>/", views.RapportViewSet.as_view({"get": "retrieve"}), name="rapport"
    ),
    path("v1/schema/", dokumentation.SchemaView.as_view(), name="schema"),
    path("v1/dokumentation/", dokumentation.DokumentationView.as_view(), name="dokumentation"),
    # Last: any other address under /api/ answers 404 in the API's shape, not HTML.
    re_path(r".*$", ingen_sadan_adress, name="okand"),
]
