from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The REST API (`/api/v1/`): personal keys, reading cases and figures, intake from
    other systems. It sits on top of the parts, as the pages do; no part imports it."""

    name = "api"
    verbose_name = _("API")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import schema  # noqa: F401  (registers the key with drf-spectacular)
