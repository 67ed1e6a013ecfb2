"""The reference for the list search's benchmark (bench/mat.py): Django's admin
changelist of avvikelser with `search_fields` over the same fields (`nummer` and
`FRITEXT`), i.e. the admin's `icontains` search and its two counts.

Case records are deliberately not in the product's admin (kvalitet/admin.py: it would
bypass the access rules), so this admin site exists only here, mounted under
`/sokreferens/` beside the project's URLs when mat.py sets `ROOT_URLCONF` to this
module. It is open to active superusers only."""

from django.contrib import admin
from django.urls import path

from avvikelser.models import Avvikelse
from kvalitet.urls import urlpatterns as projektets

URL = "/sokreferens/avvikelser/avvikelse/"


class ReferensSite(admin.AdminSite):
    site_header = "Sökreferens (bench)"

    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser


site = ReferensSite(name="sokreferens")


@admin.register(Avvikelse, site=site)
class AvvikelseAdmin(admin.ModelAdmin):
    """The avvikelser as the admin lists and searches them by default."""

    search_fields = ("nummer", *Avvikelse.FRITEXT)
    list_display = ("nummer", "rapporterad", "enhet", "status")
    list_select_related = ("enhet",)
    # The filters the list rows' reference uses (status, a date range).
    list_filter = ("status", "rapporterad")
    list_per_page = 25


urlpatterns = [path("sokreferens/", site.urls), *projektets]
