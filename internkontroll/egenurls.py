"""URL patterns of egenkontroll, included by internkontroll.urls at `egenkontroll/` as the
namespace "egenkontroll" (`internkontroll:egenkontroll:lista`, `...:detalj` ...). Its own
pages come before the shared ones (`arende_urls`), whose `<nummer>/` would match them."""

from django.urls import path

from kvalitet.views import arende_urls

from . import egenvyer
from .models import Egenkontroll

egen_urls = [
    path("ny/", egenvyer.NyView.as_view(), name="ny"),
    path("checklistor/", egenvyer.ChecklistorView.as_view(), name="checklistor"),
    path("checklistor/ny/", egenvyer.NyChecklistaView.as_view(), name="checklista_ny"),
    path("checklistor/<int:pk>/", egenvyer.ChecklistaView.as_view(), name="checklista"),
    path("<str:nummer>/granska/", egenvyer.GranskaView.as_view(), name="granska"),
    *arende_urls(Egenkontroll, detalj=egenvyer.DetaljView, lista=egenvyer.ListaView),
]
