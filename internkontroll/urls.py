from django.urls import include, path

from kvalitet.views import arende_urls, step_urls

from . import egenurls, views
from .models import Internkontrollplan, Internkontrollredovisning, Kontrolltillfalle

app_name = "internkontroll"

urlpatterns = [
    path("planer/", views.PlanerView.as_view(), name="planer"),
    path("planer/ny/", views.NyPlanView.as_view(), name="plan_ny"),
    path("planer/<int:pk>/", views.PlanView.as_view(), name="plan"),
    path("planer/<int:pk>/pdf/", views.PdfView.as_view(modell=Internkontrollplan), name="plan_pdf"),
    path("planer/<int:pk>/ny-version/", views.NyVersionView.as_view(), name="plan_ny_version"),
    path("planer/<int:pk>/kontroller/", views.KontrollView.as_view(), name="kontroll_ny"),
    path("planer/<int:pk>/kontroller/<int:kid>/", views.KontrollView.as_view(), name="kontroll"),
    path(
        "planer/<int:pk>/kontroller/<int:kid>/ta-bort/",
        views.KontrollView.as_view(),
        {"ta_bort": True},
        name="kontroll_ta_bort",
    ),
    *step_urls(Internkontrollplan, views.PlanStepView, "planer/<int:nummer>/", namn="plan_"),
    path("redovisningar/ny/", views.NyRedovisningView.as_view(), name="redovisning_ny"),
    path("redovisningar/<int:pk>/", views.RedovisningView.as_view(), name="redovisning"),
    path(
        "redovisningar/<int:pk>/pdf/",
        views.PdfView.as_view(modell=Internkontrollredovisning),
        name="redovisning_pdf",
    ),
    *step_urls(
        Internkontrollredovisning,
        views.RedovisningStepView,
        "redovisningar/<int:nummer>/",
        namn="redovisning_",
    ),
    path("egenkontroll/", include((egenurls.egen_urls, "egenkontroll"))),
    path("<str:nummer>/bedom-risk/", views.RiskbedomningView.as_view(), name="bedom_risk"),
    *arende_urls(Kontrolltillfalle, detalj=views.DetaljView, lista=views.ListaView),
]
