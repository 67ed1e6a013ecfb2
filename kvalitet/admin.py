"""Administration of users, organisation, roles and category lists.

Access is decided by the access module (the `admin` role or a superuser), not by
Django's per-model permissions. Case records are deliberately not in the admin.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kvalitet import behorighet
from kvalitet.models import Enhet, Uppdrag, User


class KvalitetAdminSite(admin.AdminSite):
    site_header = _("Kvalitet – administration")
    site_title = _("Kvalitet")
    index_title = _("Användare, organisation och kodlistor")

    def has_permission(self, request):
        return behorighet.ar_administrator(request.user)

    def login(self, request, extra_context=None):
        """Use the app's login page: the admin's own login form demands `is_staff`,
        which administrators here do not have (access follows the admin role)."""
        if request.user.is_authenticated:
            if self.has_permission(request):
                return redirect("admin:index")
            raise PermissionDenied(_("Administrationen är bara öppen för administratörer."))
        nasta = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return redirect_to_login(nasta)


admin_site = KvalitetAdminSite(name="admin")


class AdministratorMixin:
    """Every admin page is open to administrators, and only to them."""

    def has_module_permission(self, request):
        return behorighet.ar_administrator(request.user)

    def has_view_permission(self, request, obj=None):
        return behorighet.ar_administrator(request.user)

    def has_add_permission(self, request, *args):
        return behorighet.ar_administrator(request.user)

    def has_change_permission(self, request, obj=None):
        return behorighet.ar_administrator(request.user)

    def has_delete_permission(self, request, obj=None):
        return behorighet.ar_administrator(request.user)


class UppdragInline(AdministratorMixin, admin.TabularInline):
    model = Uppdrag
    extra = 1
    autocomplete_fields = ["enhet"]


@admin.register(User, site=admin_site)
class UserAdmin(AdministratorMixin, BaseUserAdmin):
    inlines = [UppdragInline]
    list_display = ["username", "first_name", "last_name", "email", "titel", "is_active"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("first_name", "last_name", "email", "titel")}),
        (_("Status"), {"fields": ("is_active", "is_superuser", "last_login", "date_joined")}),
    )
    readonly_fields = ["last_login", "date_joined"]


@admin.register(Enhet, site=admin_site)
class EnhetAdmin(AdministratorMixin, admin.ModelAdmin):
    list_display = ["indenterat", "kod", "typ", "aktiv"]
    list_filter = ["typ", "aktiv"]
    search_fields = ["namn", "kod"]
    fields = ["namn", "kod", "typ", "overordnad", "aktiv"]
    autocomplete_fields = ["overordnad"]

    def has_delete_permission(self, request, obj=None):
        # Records belong to units; a unit is deactivated, never deleted.
        return False

    @admin.display(description=_("namn"), ordering="sokvag")
    def indenterat(self, obj):
        return obj.indenterat_namn


class KodlistaAdmin(AdministratorMixin, admin.ModelAdmin):
    """Category lists: entries in use are deactivated rather than deleted."""

    list_display = ["namn", "aktiv", "ordning"]
    list_editable = ["aktiv", "ordning"]
    search_fields = ["namn"]
