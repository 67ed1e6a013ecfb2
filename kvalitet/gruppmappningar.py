"""The administrator's page of group mappings (`/administration/gruppmappningar/`): which
of the identity provider's groups give which role for which unit, when roles follow the
groups at sign-in (kvalitet.oidc, OIDC_ROLLER_FRAN_GRUPPER; docs/inloggning.md).

One page: the mappings and a form to add one; each mapping has a button that removes
it (what it gave ends at each person's next sign-in). Administrators only, like the
people pages (`AdministratorKrav`); every change in the history with the acting
administrator and a reason. The same mappings are in the Django admin.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView

from kvalitet.administration import AdministratorKrav, EnhetFalt, rollfalt
from kvalitet.forms import Form
from kvalitet.models import Gruppmappning

ORSAK_TILLAGD = "Gruppmappning tillagd"
ORSAK_BORTTAGEN = "Gruppmappning borttagen"


class GruppmappningForm(Form):
    """A group (exactly as the provider sends it), a role and an active unit; a mapping
    that already exists is refused."""

    grupp = forms.CharField(
        label=gettext_lazy("Grupp hos identitetsleverantören"),
        max_length=255,
        help_text=gettext_lazy(
            "Gruppens värde i gruppclaimet, exakt som identitetsleverantören skickar det "
            "(t.ex. ett gruppnamn eller ett objekt-id i Entra ID)."
        ),
        error_messages={
            "required": gettext_lazy("Skriv gruppens namn."),
            "max_length": gettext_lazy("Gruppens namn får vara högst 255 tecken."),
        },
    )
    roll = rollfalt()
    enhet = EnhetFalt()

    def clean(self):
        data = super().clean()
        if all(data.get(f) for f in ("grupp", "roll", "enhet")) and (
            Gruppmappning.objects.filter(
                grupp=data["grupp"], roll=data["roll"], enhet=data["enhet"]
            ).exists()
        ):
            raise forms.ValidationError(
                _("Gruppen %(grupp)s ger redan den rollen för den enheten.")
                % {"grupp": data["grupp"]},
                code="dubblett",
            )
        return data


class GruppmappningarView(AdministratorKrav, FormView):
    """The mappings, and adding one."""

    template_name = "kvalitet/administration/gruppmappningar.html"
    form_class = GruppmappningForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            mappningar=Gruppmappning.objects.select_related("enhet").order_by(
                "grupp", "roll", "enhet__sokvag"
            ),
            roller_fran_grupper=settings.OIDC_ROLLER_FRAN_GRUPPER,
            oidc_pa=bool(settings.OIDC_ISSUER),
            **kwargs,
        )

    def form_valid(self, form):
        mappning = Gruppmappning(**form.cleaned_data)
        mappning._history_user = self.request.user
        mappning._change_reason = ORSAK_TILLAGD
        mappning.save()
        messages.success(self.request, _("Gruppmappningen %(m)s är tillagd.") % {"m": mappning})
        return redirect("gruppmappningar:lista")

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class TaBortView(AdministratorKrav, View):
    """Remove a mapping (kept in the history); the roles it gave end at each person's
    next sign-in."""

    http_method_names = ["post"]

    def post(self, request, pk):
        mappning = get_object_or_404(Gruppmappning, pk=pk)
        text = str(mappning)
        mappning._history_user = request.user
        mappning._change_reason = ORSAK_BORTTAGEN
        mappning.delete()
        messages.success(
            request,
            _(
                "Gruppmappningen %(m)s är borttagen. Uppdrag som den gav avslutas när "
                "personerna loggar in nästa gång."
            )
            % {"m": text},
        )
        return redirect("gruppmappningar:lista")


urls = [
    path("", GruppmappningarView.as_view(), name="lista"),
    path("<int:pk>/ta-bort/", TaBortView.as_view(), name="ta_bort"),
]
