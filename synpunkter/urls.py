from django.urls import path

from kvalitet.views import arende_urls

from . import views
from .models import Synpunkt

app_name = "synpunkter"

urlpatterns = [
    path("", views.ListaView.as_view(), name="lista"),
    path("lamna/", views.LamnaView.as_view(), name="lamna"),
    path("lamna/kvitto/", views.KvittoView.as_view(), name="kvitto"),
    path("lamna/status/", views.StatusView.as_view(), name="status"),
    path("ny/", views.NyView.as_view(), name="ny"),
    path("inkorg/", views.InkorgView.as_view(), name="inkorg"),
    path("export.csv", views.ExportView.as_view(format="csv"), name="export_csv"),
    path("export.xlsx", views.ExportView.as_view(format="xlsx"), name="export_xlsx"),
    path(
        "<str:nummer>/klagomalsdelegation/",
        views.DelegationView.as_view(),
        name="delegation",
    ),
    *arende_urls(Synpunkt, views.DetaljView),
]
