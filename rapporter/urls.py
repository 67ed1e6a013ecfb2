from django.urls import path

from kvalitet.views import step_urls

from . import views
from .models import Kvalitetsberattelse

app_name = "rapporter"

urlpatterns = [
    path("", views.ListaView.as_view(), name="lista"),
    path("<int:pk>/", views.DetaljView.as_view(), name="detalj"),
    path("<int:pk>/kapitel/<slug:slug>/", views.KapitelView.as_view(), name="kapitel"),
    path("<int:pk>/brytdatum/", views.BrytdatumView.as_view(), name="brytdatum"),
    path("<int:pk>/forhandsvisning/", views.ForhandsvisningView.as_view(), name="forhandsvisning"),
    path("<int:pk>/pdf/", views.PdfView.as_view(), name="pdf"),
    path("<int:pk>/pdf/hamta/", views.PdfHamtaView.as_view(), name="pdf_hamta"),
    *step_urls(Kvalitetsberattelse, views.BerattelseStepView, "<int:pk>/"),
    path("<int:pk>/ny-version/", views.NyVersionView.as_view(), name="ny_version"),
]
