from django.urls import path

from kvalitet.views import arende_urls

from . import views
from .models import Synpunkt

app_name = "synpunkter"

urlpatterns = [
    path("lamna/", views.LamnaView.as_view(), name="lamna"),
    path("lamna/status/", views.StatusView.as_view(), name="status"),
    path("ny/", views.NyView.as_view(), name="ny"),
    path("inkorg/", views.InkorgView.as_view(), name="inkorg"),
    path("inlamningar/", views.InlamningarView.as_view(), name="inlamningar"),
    path(
        "inlamningar/<int:pk>/forsok-igen/",
        views.ForsokBygganView.as_view(),
        name="inlamning_forsok_igen",
    ),
    *arende_urls(Synpunkt, detalj=views.DetaljView, lista=views.ListaView),
]
