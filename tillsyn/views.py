"""Pages of IVO's tillsyn: registering one, and the shared case pages."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kvalitet.export import etikett
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
from .choices import Status, Typ, Utfall
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
        return [
            (_("Ärendenummer"), lambda t: t.nummer),
            (_("Status"), etikett("status", Status.choices)),
            (_("Typ"), etikett("typ", Typ.choices)),
            (_("Enhet"), lambda t: t.enhet.namn),
            (_("IVO:s diarienummer"), lambda t: t.ivo_diarienummer),
            (_("Inleddes"), lambda t: t.inleddes),
            (_("Inspektion"), lambda t: t.inspektion),
            (_("Vad tillsynen gäller"), lambda t: t.omfattning),
            (_("IVO:s frågor och krav"), lambda t: t.krav),
            (_("Svar till IVO"), lambda t: "\n".join(f"{s['datum']} {s['text']}" for s in t.svar)),
            (_("IVO:s beslut"), lambda t: t.beslut),
            (_("Utfall"), etikett("utfall", Utfall.choices)),
            (_("Avslutad"), lambda t: t.avslutad),
        ]


class DetaljView(ArendeDetailView):
    model = Tillsyn
    template_name = "tillsyn/detalj.html"
