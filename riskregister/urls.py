from django.urls import include, path

from kvalitet.views import arende_urls, step_urls

from . import views
from .models import Registerversion, Risk, Riskanalys

app_name = "riskregister"

analys_urls = [
    path("ny/", views.NyAnalysView.as_view(), name="ny"),
    path("<str:nummer>/bedom/", views.AnalysBedomView.as_view(), name="bedom"),
    *arende_urls(Riskanalys, detalj=views.AnalysView, lista=views.AnalysListaView),
]

urlpatterns = [
    path("ny/", views.NyRiskView.as_view(), name="ny"),
    path("analyser/", include((analys_urls, "riskanalys"))),
    path("register/", views.VersionerView.as_view(), name="versioner"),
    path("register/<int:version>/", views.VersionView.as_view(), name="version"),
    path("register/<int:version>/pdf/", views.VersionPdfView.as_view(), name="version_pdf"),
    *step_urls(Registerversion, views.VersionStepView, "register/<int:nummer>/", namn="version_"),
    *arende_urls(Risk, detalj=views.DetaljView, lista=views.ListaView),
]
