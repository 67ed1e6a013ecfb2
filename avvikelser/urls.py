from django.urls import path

from kvalitet.views import arende_urls

from . import views
from .models import Avvikelse

app_name = "avvikelser"

urlpatterns = [
    path("ny/", views.RapporteraView.as_view(), name="ny"),
    *arende_urls(Avvikelse, detalj=views.DetaljView, lista=views.ListaView),
]
