"""Pages of the avvikelse case type: the report form and what differs from the shared
case pages (the list's columns, the exports, the detail page's template)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kvalitet import arendetyper
from kvalitet.export import Kolumn
from kvalitet.forms import fel_till_form
from kvalitet.models import CaseLink
from kvalitet.views import (
    ArendeDetailView,
    ArendeListaView,
    NyttArendeView,
    datum,
    nummerlank,
    sammanfattning,
    statusmarke,
)

from .filters import AvvikelseFilter
from .forms import RapportForm
from .models import Avvikelse


class RapporteraView(NyttArendeView):
    """The report form (`/avvikelser/ny/`)."""

    template_name = "avvikelser/rapportera.html"
    form_class = RapportForm
    nekad = gettext_lazy("Du har ingen roll som rapporterar avvikelser.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def kalla(self):
        """The case this report is created from (`?fran=SYN-2026-0007`, or a control's result
        IK-2026-0004), if visible."""
        if not hasattr(self, "_kalla"):
            nummer = (self.request.POST.get("fran") or self.request.GET.get("fran") or "").strip()
            hittad = (
                arendetyper.hitta_post(self.request.user, nummer.upper()[:30]) if nummer else None
            )
            # A case, or a record that offers a start for an avvikelse (a control's result).
            if arendetyper.for_modell(type(hittad)) or hasattr(hittad, "forslag_till_avvikelse"):
                self._kalla = hittad
            else:
                self._kalla = None
        return self._kalla

    def get_initial(self):
        kalla = self.kalla()
        if kalla is not None and hasattr(kalla, "forslag_till_avvikelse"):
            return kalla.forslag_till_avvikelse()
        return super().get_initial()

    def get_context_data(self, **kwargs):
        return super().get_context_data(kalla=self.kalla(), **kwargs)

    def form_valid(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "bilaga"}
        bilaga = form.cleaned_data.get("bilaga")
        try:
            with transaction.atomic():
                avvikelse = Avvikelse.rapportera(av=self.request.user, bilaga=bilaga, **data)
                if self.kalla() is not None:
                    avvikelse.link(self.kalla(), CaseLink.Typ.SKAPAD_FRAN, av=self.request.user)
        except ValidationError as exc:
            fel_till_form(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Tack! Din rapport är registrerad som %(nr)s. Enhetschefen har fått ett meddelande.")
            % {"nr": avvikelse.nummer},
        )
        return redirect(avvikelse.get_absolute_url())


class ListaView(ArendeListaView):
    model = Avvikelse
    filterset_class = AvvikelseFilter
    relaterade = ("enhet", "kategori")
    template_name = "avvikelser/lista.html"
    listkolumner = [
        (gettext_lazy("Nummer"), nummerlank),
        (gettext_lazy("Sammanfattning"), sammanfattning),
        (gettext_lazy("Rapporterad"), datum("rapporterad")),
        (gettext_lazy("Typ"), lambda a: a.get_typ_display()),
        (gettext_lazy("Enhet"), lambda a: a.enhet.namn),
        (gettext_lazy("Kategori"), lambda a: a.kategori.namn if a.kategori else "–"),
        (gettext_lazy("Status"), statusmarke),
    ]

    def exportkolumner(self):
        """Export columns (kvalitet.export.Kolumn: the kind comes from the field)."""
        return [
            Kolumn(_("Ärendenummer"), "nummer"),
            Kolumn(_("Typ"), "typ"),
            Kolumn(_("Status"), "status"),
            Kolumn(_("Enhet"), "enhet__namn"),
            Kolumn(_("Kategori"), "kategori__namn"),
            Kolumn(_("Rapporterad"), "rapporterad"),
            Kolumn(_("Händelsedatum"), "handelsedatum"),
            Kolumn(_("Gäller enskild"), "beror_enskild"),
            Kolumn(_("Vad hände"), "beskrivning"),
            Kolumn(_("Konsekvenser"), "konsekvenser"),
            Kolumn(_("Åtgärder direkt"), "omedelbara_atgarder"),
            Kolumn(_("Orsaksanalys"), "analys"),
            Kolumn(_("Orsaksområden"), "orsaksomraden__namn"),
            Kolumn(_("Vidtagna åtgärder"), "vidtagna_atgarder"),
            Kolumn(_("Förvaltningschefens ställningstagande"), "fc_stallningstagande"),
            Kolumn(_("Tidsfrist"), "tidsfrist"),
            Kolumn(_("Avslutad"), "avslutad"),
        ]


class DetaljView(ArendeDetailView):
    model = Avvikelse
    template_name = "avvikelser/detalj.html"

    def get_queryset(self):
        return super().get_queryset().select_related("kategori", "rapporterad_av", "fc_av")
