"""Pages of egenkontroll: the list, a new egenkontroll, its page with the aggregated
results of its file reviews, entering one file review (made for a phone), and the
checklists kept by staben."""

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from kvalitet.export import Kolumn
from kvalitet.filters import ArendeFilterSet
from kvalitet.forms import fel_till_form
from kvalitet.models import TimelineEntry
from kvalitet.views import (
    ArendeAtkomstMixin,
    ArendeDetailView,
    ArendeListaView,
    ArendeMixin,
    NyttArendeView,
    datum,
    nummerlank,
    statusmarke,
)

from . import behorighet, granskning
from .choices import Egenkontrollstatus, Egenkontrolltyp, Initiativ
from .egenforms import ChecklistaForm, GranskningForm, NyEgenkontrollForm, VersionForm
from .models import Checklista, Checklisteversion, Egenkontroll, Kontrollomrade

NS = "internkontroll:egenkontroll:"


class EgenkontrollFilter(ArendeFilterSet):
    """By kind, initiative, status, unit (with the units below) and period (its start)."""

    typ = django_filters.ChoiceFilter(
        label=gettext_lazy("Typ"), choices=Egenkontrolltyp.choices, empty_label=gettext_lazy("Alla")
    )
    initiativ = django_filters.ChoiceFilter(
        label=gettext_lazy("Initiativ"), choices=Initiativ.choices, empty_label=gettext_lazy("Alla")
    )
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        choices=Egenkontrollstatus.choices,
        empty_label=gettext_lazy("Alla"),
    )

    class Meta(ArendeFilterSet.Meta):
        model = Egenkontroll
        fields = ["q", "typ", "initiativ", "status", "enhet", "fran", "till"]


def _period(ek):
    return f"{ek.period_fran:%Y-%m-%d} – {ek.period_till:%Y-%m-%d}"


class ListaView(ArendeListaView):
    model = Egenkontroll
    filterset_class = EgenkontrollFilter
    namnrymd = NS
    relaterade = ("enhet", "handlaggare")
    template_name = "internkontroll/egenkontroll/lista.html"
    listkolumner = [
        (gettext_lazy("Nummer"), nummerlank),
        (gettext_lazy("Egenkontroll"), lambda e: e.titel),
        (gettext_lazy("Typ"), lambda e: e.get_typ_display()),
        (gettext_lazy("Enhet"), lambda e: e.enhet.namn),
        (gettext_lazy("Period"), _period),
        (gettext_lazy("Ansvarig"), lambda e: e.handlaggare or "–"),
        (gettext_lazy("Analysforum"), datum("analysforum_datum")),
        (gettext_lazy("Status"), statusmarke),
    ]

    def rubrik(self):
        return _("Egenkontroller")

    def exportkolumner(self):
        return [
            Kolumn(_("Nummer"), "nummer"),
            Kolumn(_("Titel"), "titel"),
            Kolumn(_("Typ"), "typ"),
            Kolumn(_("Initiativ"), "initiativ"),
            Kolumn(_("Enhet"), "enhet__namn"),
            Kolumn(_("Syfte"), "syfte"),
            Kolumn(_("Metod"), "metod"),
            Kolumn(_("Urval"), "urval"),
            Kolumn(_("Perioden från"), "period_fran"),
            Kolumn(_("Perioden till"), "period_till"),
            Kolumn(_("Ansvarig"), "handlaggare"),
            Kolumn(_("Analysforum"), "analysforum_datum"),
            Kolumn(_("Slutsatser"), "slutsatser"),
            Kolumn(_("Status"), "status"),
        ]

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            kan_starta=behorighet.kan_starta_egenkontroll(user),
            kan_halla_checklistor=behorighet.kan_halla_checklistor(user),
            **kwargs,
        )


class DetaljView(ArendeDetailView):
    model = Egenkontroll
    template_name = "internkontroll/egenkontroll/detalj.html"

    def get_queryset(self):
        return super().get_queryset().select_related("checklista_version__checklista", "skapad_av")

    def registret(self):
        return {
            "arende_ns": NS,
            "listnamn": _("Egenkontroller"),
            "lista_url": f"{NS}lista",
        }

    def extra_context_for(self, ek):
        user = self.request.user
        granskningar = list(
            ek.granskningar.select_related("omrade", "granskare").order_by("-nummer")
        )
        return {
            "resultat": granskning.resultat(ek),
            "granskningar": granskningar,
            "kan_granska": behorighet.kan_granska(user, ek),
            "lankrubrik": _("Länkar"),
            "lanktom": _("Inga länkar."),
            "lanktext": _("Länka ett ärende, en risk eller en annan egenkontroll"),
        }


class NyView(NyttArendeView):
    """A new egenkontroll, planned: by a unit's chef for their units, or by staben."""

    template_name = "internkontroll/egenkontroll/ny.html"
    form_class = NyEgenkontrollForm
    nekad = gettext_lazy("Egenkontroller startas av enheternas chefer och staben.")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not behorighet.kan_starta_egenkontroll(request.user):
            raise PermissionDenied(self.nekad)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), "user": self.request.user}
        if self.request.method == "GET":
            kwargs["initial"] = {"handlaggare": self.request.user.pk}
        return kwargs

    def form_valid(self, form):
        ek = form.save(commit=False)
        ek.skapad_av = ek.uppdaterad_av = self.request.user
        ek.status = Egenkontrollstatus.PLANERAD
        try:
            with transaction.atomic():
                ek.full_clean()
                ek._change_reason = "Planerad"
                ek.save()
                ek.log(TimelineEntry.Typ.SKAPAT, av=self.request.user, till_status=ek.status)
        except ValidationError as exc:
            fel_till_form(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Egenkontrollen %(nr)s är planerad.") % {"nr": ek})
        return redirect(ek.get_absolute_url())


class GranskaView(ArendeMixin, TemplateView):
    """Enter one reviewed file: first the control area (one large button each), then one
    question per row with its answers as large radio buttons – made for a phone."""

    model = Egenkontroll
    template_name = "internkontroll/egenkontroll/granska.html"

    def get_queryset(self):
        return super().get_queryset().select_related("checklista_version__checklista")

    def kontrollera(self):
        ek = self.get_object()
        if not behorighet.kan_granska(self.request.user, ek):
            if ek.status != Egenkontrollstatus.PAGAR or not ek.med_checklista:
                raise PermissionDenied(
                    _("Granskningar registreras medan en egenkontroll med checklista pågår.")
                )
            raise PermissionDenied(
                _("Granskningar registreras av personalen på enheten och dess chefer.")
            )
        return ek

    def omrade(self, ek):
        varde = self.request.GET.get("omrade", "")
        if not varde:
            return None
        if not varde.isdigit():
            return False
        return (
            Kontrollomrade.objects.filter(version_id=ek.checklista_version_id, pk=varde).first()
            or False
        )

    def get(self, request, *args, **kwargs):
        ek = self.kontrollera()
        omrade = self.omrade(ek)
        if omrade is False:
            messages.error(request, _("Välj ett kontrollområde i egenkontrollens checklista."))
            return self.render_to_response(self.get_context_data(ek=ek), status=400)
        form = GranskningForm(egenkontroll=ek, omrade=omrade) if omrade else None
        return self.render_to_response(self.get_context_data(ek=ek, form=form))

    def post(self, request, *args, **kwargs):
        ek = self.kontrollera()
        form = GranskningForm(request.POST, egenkontroll=ek)
        if form.is_valid():
            try:
                g = ek.registrera_granskning(
                    av=request.user,
                    omrade=form.cleaned_data["omrade"],
                    datum=form.cleaned_data["datum"],
                    svar=form.svar(),
                    kommentar=form.cleaned_data["kommentar"],
                )
            except ValidationError as exc:
                fel_till_form(form, exc)
            else:
                messages.success(
                    request,
                    _("Granskning %(n)s är sparad. Tack! Du kan registrera nästa akt nedan.")
                    % {"n": g.nummer},
                )
                return redirect(f"{request.path}?omrade={g.omrade_id}")
        return self.render_to_response(self.get_context_data(ek=ek, form=form), status=400)

    def get_context_data(self, *, ek, form=None, **kwargs):
        return super().get_context_data(
            arende=ek,
            form=form,
            omraden=ek.checklista_version.struktur(),
            antal=ek.granskningar.count(),
            **kwargs,
        )


# --- Checklists (staben) ---------------------------------------------------------------------


class ChecklistMixin(ArendeAtkomstMixin):
    """Staben keeps the checklists; everyone else is refused (403)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not behorighet.kan_halla_checklistor(request.user):
            raise PermissionDenied(_("Checklistorna sköts av staben."))
        return super().dispatch(request, *args, **kwargs)


class ChecklistorView(ChecklistMixin, TemplateView):
    template_name = "internkontroll/egenkontroll/checklistor.html"

    def get_context_data(self, **kwargs):
        listor = list(Checklista.objects.prefetch_related("versioner").order_by("namn"))
        return super().get_context_data(checklistor=listor, **kwargs)


class NyChecklistaView(ChecklistMixin, FormView):
    template_name = "internkontroll/egenkontroll/checklista_ny.html"
    form_class = ChecklistaForm

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response

    def form_valid(self, form):
        data = form.cleaned_data
        with transaction.atomic():
            lista = Checklista(namn=data["namn"], beskrivning=data["beskrivning"])
            lista._change_reason = "Skapad"
            lista.save()
            version = Checklisteversion(
                checklista=lista, version=1, skapad_av=self.request.user, kommentar=_("Ny")
            )
            version._change_reason = "Skapad"
            version.save()
            version.ersatt_innehall(data["omraden"])
        messages.success(self.request, _("Checklistan %(namn)s är skapad.") % {"namn": lista})
        return redirect(lista.get_absolute_url())


class ChecklistaView(ChecklistMixin, FormView):
    """A checklist: its latest version's questions, its earlier versions, and the editor
    (the latest version in place while no review has used it, else a new version)."""

    template_name = "internkontroll/egenkontroll/checklista.html"
    form_class = VersionForm

    def lista(self):
        if not hasattr(self, "_lista"):
            self._lista = get_object_or_404(Checklista, pk=self.kwargs["pk"])
        return self._lista

    def get_initial(self):
        senaste = self.lista().senaste()
        return {"innehall": senaste.som_text() if senaste else ""}

    def get_context_data(self, **kwargs):
        lista = self.lista()
        versioner = list(lista.versioner.select_related("skapad_av").order_by("-version"))
        for v in versioner:
            v.delar = v.struktur()
        senaste = versioner[0] if versioner else None
        return super().get_context_data(
            checklista=lista,
            versioner=versioner,
            senaste=senaste,
            senaste_anvand=senaste.anvand if senaste else False,
            **kwargs,
        )

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response

    def form_valid(self, form):
        lista = self.lista()
        omraden = form.cleaned_data["omraden"]
        kommentar = form.cleaned_data["kommentar"]
        with transaction.atomic():
            Checklista.objects.select_for_update().filter(pk=lista.pk).first()
            senaste = lista.senaste()
            if senaste is not None and not senaste.anvand:
                senaste.kommentar = kommentar or senaste.kommentar
                senaste._change_reason = "Ändrad"
                senaste.save()
                senaste.ersatt_innehall(omraden)
                text = _("Version %(v)s är ändrad.") % {"v": senaste.version}
            else:
                ny = Checklisteversion(
                    checklista=lista,
                    version=(senaste.version if senaste else 0) + 1,
                    kommentar=kommentar,
                    skapad_av=self.request.user,
                )
                ny._change_reason = "Ny version"
                ny.save()
                ny.ersatt_innehall(omraden)
                text = _(
                    "Version %(v)s är sparad. Egenkontroller som redan använder en äldre "
                    "version behåller dess frågor."
                ) % {"v": ny.version}
        messages.success(self.request, text)
        return redirect(lista.get_absolute_url())
