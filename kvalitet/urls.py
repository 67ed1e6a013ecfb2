from django.contrib.auth import views as auth_views
from django.urls import include, path

from kvalitet import (
    administration,
    gruppmappningar,
    konto,
    oidc,
    tvastegsvyer,
    utskickvyer,
    views,
)
from kvalitet.admin import admin_site
from kvalitet.models import Atgard
from kvalitet.views import step_urls

# The steps of an improvement action, shared by every case type: `atgard_<step>`.
atgard_urls = step_urls(Atgard, views.AtgardStepView, "atgarder/<int:pk>/", namn="atgard_")

konto_urls = [
    path("logga-in/", konto.LoginView.as_view(), name="login"),
    # Logging out also ends a session begun at the municipality's identity provider.
    path("logga-ut/", oidc.LoggaUtView.as_view(), name="logout"),
    # Sign-in with the municipality's account (kvalitet.oidc; 404 while OIDC is off).
    path("oidc/logga-in/", oidc.LoggaInView.as_view(), name="oidc_logga_in"),
    path("oidc/svar/", oidc.SvarView.as_view(), name="oidc_svar"),
    # The second factor of local accounts (kvalitet.tvastegs).
    *tvastegsvyer.urls,
    path("losenord/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "losenord/klart/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"
    ),
    path("aterstall/", konto.PasswordResetView.as_view(), name="password_reset"),
    path(
        "aterstall/skickat/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"
    ),
    path(
        "aterstall/<uidb64>/<token>/",
        konto.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "aterstall/klart/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("", views.StartView.as_view(), name="start"),
    path("sok/", views.SokView.as_view(), name="sok"),
    path("ivo/", views.IvoView.as_view(), name="ivo"),
    path("bilagor/<int:pk>/", views.AttachmentView.as_view(), name="attachment"),
    path("exporter/<int:pk>/", views.ExportSidaView.as_view(), name="export"),
    path("exporter/<int:pk>/fil/", views.ExportFilSidaView.as_view(), name="export_fil"),
    path("konto/", include(konto_urls)),
    path("avvikelser/", include("avvikelser.urls")),
    path("synpunkter/", include("synpunkter.urls")),
    path("lexsarah/", include("lexsarah.urls")),
    path("tillsyn/", include("tillsyn.urls")),
    path("risker/", include("riskregister.urls")),
    path("processer/", include("processer.urls")),
    path("internkontroll/", include("internkontroll.urls")),
    path("rapporter/", include("rapporter.urls")),
    path("api/", include("api.urls")),
    path("konto/api-nycklar/", include("api.konto")),
    path("administration/", include((administration.urls, "administration"))),
    # The identity provider's groups that give roles (kvalitet.oidc): administrators only.
    path(
        "administration/gruppmappningar/",
        include((gruppmappningar.urls, "gruppmappningar")),
    ),
    path("utskick/", include((utskickvyer.urls, "utskick"))),
    path("admin/", admin_site.urls),
    *atgard_urls,
]

# Errors no view answered: the product's pages, and the API's JSON shape under /api/.
handler400 = "kvalitet.felsvar.fel400"
handler403 = "kvalitet.felsvar.fel403"
handler404 = "kvalitet.felsvar.fel404"
handler500 = "kvalitet.felsvar.fel500"
