from kvalitet.views import arende_urls

from . import views
from .models import Process

app_name = "processer"

urlpatterns = [
    *views.egna_urls(),
    *arende_urls(Process, detalj=views.DetaljView, lista=views.ListaView),
]
