"""Pages of IVO's tillsyn: registering one, and the shared case pages."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kvalitet.export import Kolumn
from kvalitet.forms import fel_till_form
from kvalitet.views import (
    ArendeDetailView,
    ArendeListaView,
    NyttArendeView,
    datum,
    nummerlank,
    sammanfattning,
    statusmarke,
)

from .behorighet import kan_registrera
from .filters import TillsynFilter
from .forms import RegistreraForm
from .models import Tillsyn


class RegistreraView(NyttArendeView):
    """Register a tillsyn IVO announced (`/tillsyn/ny/`)."""

    template_name = "tillsyn/ny.html"
    form_class = RegistreraForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not kan_registrera(request.user):
            raise PermissionDenied(_("IVO:s tillsyn registreras av chefer och staben."))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        try:
            tillsyn = Tillsyn.registrera(av=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            fel_till_form(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Tillsynen är registrerad som %(nr)s.") % {"nr": tillsyn})
        return redirect(tillsyn.get_absolute_url())


class ListaView(ArendeListaView):
    model = Tillsyn
    filterset_class = TillsynFilter
    relaterade = ("enhet",)
    template_name = "tillsyn/lista.html"
    listkolumner = [
        (gettext_lazy("Nummer"), nummerlank),
        (gettext_lazy("Gäller"), sammanfattning),
        (gettext_lazy("IVO:s dnr"), lambda t: t.ivo_diarienummer),
        (gettext_lazy("Inleddes"), datum("inleddes")),
        (gettext_lazy("Enhet"), lambda t: t.enhet.namn),
        (gettext_lazy("Status"), statusmarke),
    ]

    def exportkolumner(self):
        """The answers to IVO (a JSON list) are joined in Python, so tillsyn exports have
        no COPY path."""
        return [
            Kolumn(_("Ärendenummer"), "nummer"),
            Kolumn(_("Status"), "status"),
            Kolumn(_("Typ"), "typ"),
            Kolumn(_("Enhet"), "enhet__namn"),
            Kolumn(_("IVO:s diarienummer"), "ivo_diarienummer"),
            Kolumn(_("Inleddes"), "inleddes"),
            Kolumn(_("Inspektion"), "inspektion"),
            Kolumn(_("Vad tillsynen gäller"), "omfattning"),
            Kolumn(_("IVO:s frågor och krav"), "krav"),
            Kolumn(
                _("Svar till IVO"),
                berakna=lambda t: "\n".join(f"{s['datum']} {s['text']}" for s in t.svar),
            ),
            Kolumn(_("IVO:s beslut"), "beslut"),
            Kolumn(_("Utfall"), "utfall"),
            Kolumn(_("Avslutad"), "avslutad"),
        ]


class DetaljView(ArendeDetailView):
    model = Tillsyn
    template_name = "tillsyn/detalj.html"
