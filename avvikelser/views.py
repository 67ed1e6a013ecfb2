"""Pages of the avvikelse case type: the report form and what differs from the shared
case pages (the list's columns, the exports, the detail page's template)."""

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kvalitet import arendetyper
from kvalitet.export import etikett
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

from .choices import Stallningstagande, Status, Typ
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


def ladda_orsaker(chunk):
    """The cause areas of a chunk of cases in one query (instead of one per case)."""
    per_arende = defaultdict(list)
    rader = (
        Avvikelse.orsaksomraden.through.objects.filter(avvikelse_id__in=[a.pk for a in chunk])
        .order_by("orsaksomrade__ordning", "orsaksomrade__namn")
        .values_list("avvikelse_id", "orsaksomrade__namn")
    )
    for avvikelse_id, namn in rader:
        per_arende[avvikelse_id].append(namn)
    for a in chunk:
        a.orsaker_text = ", ".join(per_arende[a.pk])


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
        """Export columns; labels are resolved once per export."""
        return [
            (_("Ärendenummer"), lambda a: a.nummer),
            (_("Typ"), etikett("typ", Typ.choices)),
            (_("Status"), etikett("status", Status.choices)),
            (_("Enhet"), lambda a: a.enhet.namn),
            (_("Kategori"), lambda a: a.kategori.namn if a.kategori else ""),
            (_("Rapporterad"), lambda a: a.rapporterad),
            (_("Händelsedatum"), lambda a: a.handelsedatum),
            (_("Gäller enskild"), lambda a: a.beror_enskild),
            (_("Vad hände"), lambda a: a.beskrivning),
            (_("Konsekvenser"), lambda a: a.konsekvenser),
            (_("Åtgärder direkt"), lambda a: a.omedelbara_atgarder),
            (_("Orsaksanalys"), lambda a: a.analys),
            (_("Orsaksområden"), lambda a: a.orsaker_text),
            (_("Vidtagna åtgärder"), lambda a: a.vidtagna_atgarder),
            (
                _("Förvaltningschefens ställningstagande"),
                etikett("fc_stallningstagande", Stallningstagande.choices),
            ),
            (_("Tidsfrist"), lambda a: a.tidsfrist),
            (_("Avslutad"), lambda a: a.avslutad),
        ]

    def forbered_export(self, chunk):
        ladda_orsaker(chunk)


class DetaljView(ArendeDetailView):
    model = Avvikelse
    template_name = "avvikelser/detalj.html"

    def get_queryset(self):
        return super().get_queryset().select_related("kategori", "rapporterad_av", "fc_av")
