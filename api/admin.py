"""Every person's API keys, for the administrator: to see whose keys exist, what they
may do and when they were last used, and to revoke one at once (a key that leaked, a
system retired, a person who left). Never made or shown here: a key is made by its
owner on their account page and exists only as a hash. Revoked, not deleted: the row
says whose key it was and when it stopped."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kvalitet.admin import AdministratorMixin, admin_site

from .models import ApiNyckel


class GiltigFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            ("giltig", _("Giltig")),
            ("aterkallad", _("Återkallad")),
            ("utgangen", _("Utgången")),
        ]

    def queryset(self, request, queryset):
        nu = timezone.now()
        if self.value() == "giltig":
            return queryset.giltiga(nu)
        if self.value() == "aterkallad":
            return queryset.filter(aterkallad__isnull=False)
        if self.value() == "utgangen":
            return queryset.filter(aterkallad__isnull=True, giltig_till__lte=nu)
        return queryset


@admin.register(ApiNyckel, site=admin_site)
class ApiNyckelAdmin(AdministratorMixin, admin.ModelAdmin):
    list_display = [
        "namn",
        "anvandare",
        "prefix",
        "omfang",
        "skapad",
        "giltig_till",
        "senast_anvand",
        "status",
    ]
    list_filter = [GiltigFilter, "omfang"]
    list_select_related = ["anvandare"]
    search_fields = ["namn", "prefix", "anvandare__username", "anvandare__last_name"]
    fields = list_display
    readonly_fields = list_display
    actions = ["aterkalla"]

    def has_add_permission(self, request, *args):
        return False  # made by the person whose key it is, shown to them once

    def has_change_permission(self, request, obj=None):
        return False  # revoked with the action, nothing else changes

    def has_delete_permission(self, request, obj=None):
        return False  # revoked, not deleted

    @admin.display(description=_("status"))
    def status(self, obj):
        if obj.aterkallad:
            return _("Återkallad %(datum)s") % {
                "datum": timezone.localtime(obj.aterkallad).strftime("%Y-%m-%d %H:%M")
            }
        return _("Utgången") if obj.ar_utgangen else _("Giltig")

    @admin.action(description=_("Återkalla valda nycklar"))
    def aterkalla(self, request, queryset):
        antal = 0
        for nyckel in queryset.filter(aterkallad__isnull=True):
            nyckel.aterkalla()
            self.log_change(request, nyckel, _("Återkallad"))
            antal += 1
        messages.success(
            request,
            ngettext("%(antal)d nyckel återkallad.", "%(antal)d nycklar återkallade.", antal)
            % {"antal": antal},
        )
