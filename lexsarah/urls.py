from django.urls import path

from kvalitet.views import arende_urls

from . import dokumentvyer, views
from .models import LexSarah

app_name = "lexsarah"

urlpatterns = [
    path("ny/", views.RapporteraView.as_view(), name="ny"),
    path("diarium/", views.DiariumView.as_view(), name="diarium"),
    path("atkomstlogg/", views.AtkomstloggView.as_view(), name="atkomstlogg"),
    path("fran/<str:nummer>/", views.FranArendeView.as_view(), name="fran"),
    path("namnden/", dokumentvyer.NamndListaView.as_view(), name="namnd"),
    path(
        "namnden/<str:nummer>/<str:typ>.pdf",
        dokumentvyer.NamndDokumentView.as_view(),
        name="namnd_dokument",
    ),
    path(
        "<str:nummer>/dokument/<str:typ>.pdf",
        dokumentvyer.DokumentView.as_view(),
        name="dokument",
    ),
    *arende_urls(LexSarah, detalj=views.DetaljView, lista=views.ListaView),
]
