from django.urls import path

from kvalitet.views import arende_urls

from . import views
from .models import Avvikelse

app_name = "avvikelser"

urlpatterns = [
    path("", views.ListaView.as_view(), name="lista"),
    path("ny/", views.RapporteraView.as_view(), name="ny"),
    path("export.csv", views.ExportView.as_view(format="csv"), name="export_csv"),
    path("export.xlsx", views.ExportView.as_view(format="xlsx"), name="export_xlsx"),
    path("<str:nummer>/utredning/", views.UtredningView.as_view(), name="utredning"),
    path(
        "<str:nummer>/stallningstagande/",
        views.StallningstagandeView.as_view(),
        name="stallningstagande",
    ),
    *arende_urls(Avvikelse, views.DetaljView),
]
