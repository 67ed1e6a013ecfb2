from django.urls import path

from kvalitet.views import arende_urls

from . import views
from .models import Tillsyn

app_name = "tillsyn"

urlpatterns = [
    path("ny/", views.RegistreraView.as_view(), name="ny"),
    *arende_urls(Tillsyn, detalj=views.DetaljView, lista=views.ListaView),
]
