"""Administration of users, organisation, roles, category lists and the reference table
of legal references and local rules (docs/regler.md).

Access is decided by the access module (the `admin` role or a superuser), not by
Django's per-model permissions. Case records are deliberately not in the admin.

Users, units and role assignments keep a change history, shown here (who changed what,
when); people are deactivated, never deleted; an administrator who grants themselves a
role is marked in the assignment list and reported to the other administrators and the
förvaltningschef (docs/behorighet.md).
"""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from kvalitet import behorighet
from kvalitet.models import (
    Enhet,
    Gruppmappning,
    Orsaksomrade,
    Regel,
    Roll,
    Uppdrag,
    User,
    Verksamhetsomrade,
)
from kvalitet.notifieringar import notifiera


class KvalitetAdminSite(admin.AdminSite):
    site_header = _("Kvalitet – administration")
    site_title = _("Kvalitet")
    index_title = _("Användare, organisation och kodlistor")

    def has_permission(self, request):
        return behorighet.ar_administrator(request.user)

    def each_context(self, request):
        # "Visa sida" (View site) leads to the start page, under the path the application is
        # served at (Django's default reads SCRIPT_NAME, empty when a proxy strips it).
        return {**super().each_context(request), "site_url": reverse("start")}

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


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    """A record's change history in the admin ("Historik": who changed what, when), to
    read: an earlier version is never restored from here."""

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied(_("Ändringshistoriken går bara att läsa."))
        return super().history_form_view(request, object_id, version_id, extra_context)


def anmal_egna_uppdrag(request, uppdrag):
    """An administrator added or changed role assignments of their own: the other
    administrators and the förvaltningschef are told (the outbox). The history records
    who did it; the assignment list marks it ("Tilldelat sig själv")."""
    egna = [u for u in uppdrag if u.anvandare_id == request.user.pk]
    if not egna:
        return
    mottagare = [*behorighet.administratorer(), *behorighet.med_roll(Roll.FORVALTNINGSCHEF)]
    lista = reverse("admin:kvalitet_uppdrag_changelist", current_app=admin_site.name)
    notifiera(
        mottagare,
        "kvalitet/mejl/eget_uppdrag.txt",
        {
            "av": request.user,
            "uppdrag": egna,
            "tid": timezone.now(),
            "lista_url": f"{lista}?{SjalvtilldelatFilter.parameter_name}=ja",
        },
        utom=request.user,
    )


class UppdragInline(AdministratorMixin, admin.TabularInline):
    model = Uppdrag
    extra = 1
    autocomplete_fields = ["enhet"]


@admin.register(User, site=admin_site)
class UserAdmin(AdministratorMixin, ReadOnlyHistoryAdmin, BaseUserAdmin):
    inlines = [UppdragInline]
    list_display = ["username", "first_name", "last_name", "email", "titel", "is_active"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("first_name", "last_name", "email", "titel")}),
        (_("Status"), {"fields": ("is_active", "is_superuser", "last_login", "date_joined")}),
    )
    readonly_fields = ["last_login", "date_joined"]
    actions = ["inaktivera"]

    def has_delete_permission(self, request, obj=None):
        # People are deactivated ("Inaktivera"), never deleted: the records they touched,
        # and their history, keep them (docs/behorighet.md).
        return False

    @admin.action(description=_("Inaktivera"), permissions=["change"])
    def inaktivera(self, request, queryset):
        if queryset.filter(pk=request.user.pk).exists():
            self.message_user(request, _("Du kan inte inaktivera dig själv."), messages.ERROR)
            queryset = queryset.exclude(pk=request.user.pk)
        antal = 0
        for user in queryset.filter(is_active=True):
            user.inaktivera(av=request.user)
            antal += 1
        if antal:
            self.message_user(
                request,
                ngettext(
                    "%(antal)d användare inaktiverad. Pågående uppdrag avslutades i dag och "
                    "kommande togs bort.",
                    "%(antal)d användare inaktiverade. Pågående uppdrag avslutades i dag och "
                    "kommande togs bort.",
                    antal,
                )
                % {"antal": antal},
                messages.SUCCESS,
            )

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Uppdrag:
            andrade = [*formset.new_objects, *(u for u, _falt in formset.changed_objects)]
            anmal_egna_uppdrag(request, andrade)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change and "is_active" in form.changed_data and not form.instance.is_active:
            # Unticked "aktiv": the same as the action, the assignments end too.
            form.instance.avsluta_uppdrag(av=request.user)


class SjalvtilldelatFilter(admin.SimpleListFilter):
    """Assignments an administrator saved for themselves (in any of their versions)."""

    title = _("tilldelat sig själv")
    parameter_name = "sjalvtilldelat"

    def lookups(self, request, model_admin):
        return [("ja", _("Ja")), ("nej", _("Nej"))]

    def queryset(self, request, queryset):
        if self.value() in ("ja", "nej"):
            return queryset.filter(sjalvtilldelat=self.value() == "ja")
        return queryset


class GiltigtFilter(admin.SimpleListFilter):
    title = _("giltigt i dag")
    parameter_name = "giltigt"

    def lookups(self, request, model_admin):
        return [("ja", _("Ja")), ("nej", _("Nej"))]

    def queryset(self, request, queryset):
        giltiga = Uppdrag.objects.giltiga().values("pk")
        if self.value() == "ja":
            return queryset.filter(pk__in=giltiga)
        if self.value() == "nej":
            return queryset.exclude(pk__in=giltiga)
        return queryset


@admin.register(Uppdrag, site=admin_site)
class UppdragAdmin(AdministratorMixin, ReadOnlyHistoryAdmin):
    """Every role assignment, with its history, and a marker where an administrator
    saved one for themselves."""

    list_display = [
        "anvandare",
        "roll",
        "enhet",
        "giltig_fran",
        "giltig_till",
        "tilldelat_sig_sjalv",
    ]
    list_filter = [SjalvtilldelatFilter, GiltigtFilter, "roll"]
    list_select_related = ["anvandare", "enhet"]
    search_fields = ["anvandare__username", "anvandare__first_name", "anvandare__last_name"]
    autocomplete_fields = ["anvandare", "enhet"]

    def get_queryset(self, request):
        return super().get_queryset(request).med_sjalvtilldelat()

    @admin.display(description=_("Tilldelat sig själv"), boolean=True, ordering="sjalvtilldelat")
    def tilldelat_sig_sjalv(self, obj):
        return obj.sjalvtilldelat

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        anmal_egna_uppdrag(request, [obj])


@admin.register(Enhet, site=admin_site)
class EnhetAdmin(AdministratorMixin, ReadOnlyHistoryAdmin):
    list_display = ["indenterat", "kod", "typ", "verksamhetsomrade", "aktiv"]
    list_filter = ["typ", "verksamhetsomrade", "aktiv"]
    list_select_related = ["verksamhetsomrade"]
    search_fields = ["namn", "kod"]
    fields = ["namn", "kod", "typ", "overordnad", "verksamhetsomrade", "aktiv"]
    autocomplete_fields = ["overordnad"]

    def has_delete_permission(self, request, obj=None):
        # Records belong to units; a unit is deactivated, never deleted.
        return False

    @admin.display(description=_("namn"), ordering="sokvag")
    def indenterat(self, obj):
        return obj.indenterat_namn


class KodlistaAdmin(AdministratorMixin, admin.ModelAdmin):
    """Category lists: entries in use are deactivated rather than deleted; each has a
    definition, shown where it is chosen."""

    list_display = ["namn", "beskrivning", "aktiv", "ordning"]
    list_editable = ["aktiv", "ordning"]
    search_fields = ["namn", "beskrivning"]


# A unit without its own område has the nearest unit above's (docs/siffror.md).
admin_site.register(Verksamhetsomrade, KodlistaAdmin)
admin_site.register(Orsaksomrade, KodlistaAdmin)


@admin.register(Regel, site=admin_site)
class RegelAdmin(AdministratorMixin, ReadOnlyHistoryAdmin):
    """The reference table of legal references and local rules (docs/regler.md): a
    renumbered or replaced provision gets a new version of the same key, and the old
    version an end date."""

    list_display = ["nyckel", "kortnamn", "typ", "giltig_fran", "giltig_till"]
    list_filter = ["typ"]
    search_fields = ["nyckel", "kortnamn", "citat"]
    fields = ["nyckel", "typ", "kortnamn", "citat", "url", "giltig_fran", "giltig_till"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_delete_permission(self, request, obj=None):
        # A version that no longer applies gets an end date; its history shows what
        # texts cited while it was valid.
        return False


@admin.register(Gruppmappning, site=admin_site)
class GruppmappningAdmin(AdministratorMixin, ReadOnlyHistoryAdmin):
    """Which of the identity provider's groups give which role for which unit, when roles
    follow the groups (kvalitet.oidc, OIDC_ROLLER_FRAN_GRUPPER). Removing a mapping ends
    what it gave at each person's next sign-in."""

    list_display = ["grupp", "roll", "enhet"]
    list_filter = ["roll"]
    list_select_related = ["enhet"]
    search_fields = ["grupp", "enhet__namn"]
    autocomplete_fields = ["enhet"]
