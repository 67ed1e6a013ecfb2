"""The go-live date of each series (`Driftstart`), for the administrator: set by the
import (`driftstart` in docs/import-format.md) or here, with its change history.

The imported history itself (`Historik`) is not administered here: it comes from the
import, where a corrected count is imported again."""

from django.contrib import admin

from kvalitet.admin import AdministratorMixin, ReadOnlyHistoryAdmin, admin_site

from .models import Driftstart


@admin.register(Driftstart, site=admin_site)
class DriftstartAdmin(AdministratorMixin, ReadOnlyHistoryAdmin):
    list_display = ["serie", "fran", "andrad"]
    fields = ["serie", "fran"]
