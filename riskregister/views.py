"""Pages of the risk register: the register with its matrix (on any date), a risk, a
proposal, the riskanalyser, and the register's versions for the nämnd."""

import logging

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from kvalitet import arendetyper
from kvalitet.export import Kolumn
from kvalitet.forms import fel_till_form
from kvalitet.views import (
    ArendeDetailView,
    ArendeListaView,
    ArendeMixin,
    NyttArendeView,
    StepPageMixin,
    StepView,
    datum,
    nummerlank,
    show_again,
    statusmarke,
)

from . import behorighet, register
from .choices import Kalla
from .filters import AnalysFilter, RiskFilter
from .forms import AnalysBedomForm, ForberedForm, NyAnalysForm, RiskForm
from .models import Registerversion, Risk, Riskanalys
from .skala import skala

logger = logging.getLogger(__name__)

# --- The register --------------------------------------------------------------------


def _varden(risk):
    """The values shown for a risk: on the list's date in the register view, else now."""
    s = getattr(risk, "s_dag", None) or risk.sannolikhet
    k = getattr(risk, "k_dag", None) or risk.konsekvens
    return s, k


def vardecell(risk):
    """ "3 × 4 = 12" with its level in colour and in words (readable in black and white)."""
    s, k = _varden(risk)
    niva = skala().niva(s * k)
    return format_html(
        '<span class="riskvarde niva-{}">{} × {} = <strong>{}</strong> {}</span>',
        niva.farg,
        s,
        k,
        s * k,
        niva.namn,
    )


class ListaView(ArendeListaView):
    """The register: its matrix and its risks, on today's date or any earlier one
    (`?datum=`), filtered; the proposals and the removed risks are views of their own."""

    model = Risk
    filterset_class = RiskFilter
    relaterade = ("enhet", "handlaggare")
    template_name = "riskregister/lista.html"
    resultat_mall = "riskregister/_resultat.html"
    listkolumner = [
        (gettext_lazy("Nummer"), nummerlank),
        (gettext_lazy("Risk"), lambda r: r.titel),
        (gettext_lazy("Enhet"), lambda r: r.enhet.namn),
        (gettext_lazy("Kategori"), lambda r: r.get_kategori_display()),
        (gettext_lazy("Sannolikhet × konsekvens"), vardecell),
        (gettext_lazy("Strategi"), lambda r: r.get_strategi_display() or "–"),
        (gettext_lazy("Riskägare"), lambda r: r.handlaggare or "–"),
        (gettext_lazy("Nästa översyn"), datum("nasta_oversyn")),
        (gettext_lazy("Status"), statusmarke),
    ]

    def rubrik(self):
        return _("Riskregistret")

    def rad_markerad(self, risk):
        return risk.oversyn_forsenad

    def exportkolumner(self):
        """The values on the list's date and their level are computed in Python
        (`_varden`, the scale in the settings), so risk exports have no COPY path."""

        def varde(i):
            return lambda r: _varden(r)[i]

        def riskvarde(r):
            s, k = _varden(r)
            return s * k

        return [
            Kolumn(_("Nummer"), "nummer"),
            Kolumn(_("Risk"), "titel"),
            Kolumn(_("Beskrivning"), "beskrivning"),
            Kolumn(_("Enhet"), "enhet__namn"),
            Kolumn(_("Process"), "process"),
            Kolumn(_("Kategori"), "kategori"),
            Kolumn(_("Upptäckt genom"), "kalla"),
            Kolumn(_("Sannolikhet"), berakna=varde(0)),
            Kolumn(_("Konsekvens"), berakna=varde(1)),
            Kolumn(_("Riskvärde"), berakna=riskvarde),
            Kolumn(_("Nivå"), berakna=lambda r: skala().niva(riskvarde(r)).namn),
            Kolumn(_("Strategi"), "strategi"),
            Kolumn(_("Riskägare"), "handlaggare"),
            Kolumn(_("Styrdokument"), "styrdokument"),
            Kolumn(_("Indikatorer"), "indikatorer"),
            Kolumn(_("Nästa översyn"), "nasta_oversyn"),
            Kolumn(_("Status"), "status"),
            Kolumn(_("I registret från"), "aktiv_fran"),
            Kolumn(_("Borttagen"), "borttagen"),
            Kolumn(_("Skäl för borttagning"), "borttagen_skal"),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filtret = context["filter"]
        data = filtret.form.cleaned_data if filtret.is_bound and filtret.form.is_valid() else {}
        dag = data.get("datum") or timezone.localdate()
        # The matrix of the same selection in the register on the day, every cell of it
        # (not narrowed to the cell clicked), each cell a link to the list of its risks.
        urval = self.request.GET.copy()
        for nyckel in ("sannolikhet", "konsekvens", "sida", "visa"):
            urval.pop(nyckel, None)
        lankparametrar = dict(urval.items())
        urval["visa"] = RiskFilter.REGISTER
        i_registret = self.filterset_class(
            urval, queryset=self.get_queryset(), user=self.request.user
        )
        matris = register.matris(
            register.antal_per_cell(i_registret.qs),
            skala(),
            lank=lambda s, k: register.listlank(
                self.request.path, **lankparametrar, sannolikhet=s, konsekvens=k
            ),
        )
        return {
            **context,
            "matris": matris,
            # The matrix' own selection invalid (a day in the future): no matrix, rather
            # than an empty one headed "i dag" that looked like a register without risks.
            "filterfel": not i_registret.form.is_valid(),
            "dag": dag,
            "idag": timezone.localdate(),
            "skala": skala(),
            "visa": data.get("visa") or RiskFilter.REGISTER,
            "kan_foresla": behorighet.kan_foresla(self.request.user),
            "kan_forbereda": behorighet.kan_forbereda(self.request.user),
            "kan_analysera": behorighet.kan_analysera(self.request.user),
        }


class DetaljView(ArendeDetailView):
    model = Risk
    template_name = "riskregister/detalj.html"

    def get_queryset(self):
        return super().get_queryset().select_related("riskanalys", "foreslagen_av")

    def registret(self):
        return {
            "arende_ns": "riskregister:",
            "listnamn": _("Riskregistret"),
            "lista_url": "riskregister:lista",
        }

    def extra_context_for(self, risk):
        bedomningar = list(
            risk.bedomningar.select_related("bedomd_av", "riskanalys").order_by("datum", "pk")
        )
        forra = None
        for b in bedomningar:
            b.forra = forra
            b.niva = skala().niva(b.riskvarde)
            forra = b
        return {
            "bedomningar": list(reversed(bedomningar)),
            "skala": skala(),
            "lankrubrik": _("Händelser och länkar"),
            "lanktext": _("Koppla en händelse som realiserade risken"),
            "lanktom": _("Ingen händelse är kopplad till risken."),
        }


class NyRiskView(NyttArendeView):
    """Propose a risk (`/risker/ny/`): any staff member for a unit where they work; from
    an event (`?fran=AVV-…`) that showed it, or in a riskanalys (`?analys=RA-…`)."""

    template_name = "riskregister/ny.html"
    form_class = RiskForm
    nekad = gettext_lazy("Risker föreslås av personalen.")

    def kalla(self):
        nummer = self.request.GET.get("fran", "").strip()
        if not nummer:
            return None
        arende = arendetyper.hitta_arende(self.request.user, nummer.upper()[:30])
        if arende is None:
            raise Http404
        return arende

    def analys(self):
        nummer = self.request.GET.get("analys", "").strip()
        if not nummer:
            return None
        analys = get_object_or_404(
            Riskanalys.objects.for_user(self.request.user), nummer=nummer.upper()[:30]
        )
        if not (analys.ar_oppet and behorighet.kan_arbeta(self.request.user, analys)):
            raise PermissionDenied(
                _("Risker läggs till i en pågående analys av dem som håller i den.")
            )
        return analys

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), "user": self.request.user}
        if self.request.method == "GET":
            initial = {}
            if (kalla := self.kalla()) is not None:
                # An event showed it, or IVO's tillsyn (the one case type that is none).
                initial.update(
                    enhet=kalla.enhet_id,
                    kalla=Kalla.HANDELSE if kalla.AR_HANDELSE else Kalla.TILLSYN,
                )
            if (analys := self.analys()) is not None:
                initial.update(enhet=analys.enhet_id, kalla=analys.utlosande)
            kwargs["initial"] = initial
        return kwargs

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if (analys := self.analys()) is not None:
            # A risk of the analysis: of its unit or a unit below.
            falt = form.fields["enhet"]
            falt.queryset = falt.queryset.filter(sokvag__startswith=analys.enhet.sokvag)
        return form

    def get_context_data(self, **kwargs):
        return super().get_context_data(kalla=self.kalla(), analys=self.analys(), **kwargs)

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        kommentar = data.pop("kommentar", "")
        try:
            risk = Risk.foresla(
                av=self.request.user,
                fran=self.kalla(),
                riskanalys=self.analys(),
                kommentar=kommentar,
                **data,
            )
        except ValidationError as exc:
            fel_till_form(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _(
                "Risken är föreslagen som %(nr)s. Den förs in i registret när nämnden fastställer "
                "nästa version."
            )
            % {"nr": risk.nummer},
        )
        return redirect(risk.get_absolute_url())


# --- Riskanalyser ----------------------------------------------------------------------


class AnalysListaView(ArendeListaView):
    model = Riskanalys
    filterset_class = AnalysFilter
    relaterade = ("enhet",)
    template_name = "riskregister/analyser.html"
    listkolumner = [
        (gettext_lazy("Nummer"), nummerlank),
        (gettext_lazy("Datum"), datum("datum")),
        (gettext_lazy("Enhet"), lambda a: a.enhet.namn),
        (gettext_lazy("Anledning"), lambda a: a.get_utlosande_display()),
        (gettext_lazy("Skickad till nämnden"), datum("skickad_till_namnd")),
        (gettext_lazy("Status"), statusmarke),
    ]

    def rubrik(self):
        return _("Riskanalyser")

    def exportkolumner(self):
        return [
            Kolumn(_("Nummer"), "nummer"),
            Kolumn(_("Datum"), "datum"),
            Kolumn(_("Enhet"), "enhet__namn"),
            Kolumn(_("Anledning"), "utlosande"),
            Kolumn(_("Deltagare"), "deltagare"),
            Kolumn(_("Konsekvensbeskrivning"), "konsekvensbeskrivning"),
            Kolumn(_("Skickad till nämnden"), "skickad_till_namnd"),
            Kolumn(_("Status"), "status"),
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            kan_analysera=behorighet.kan_analysera(self.request.user), **kwargs
        )


class NyAnalysView(NyttArendeView):
    template_name = "riskregister/analys_ny.html"
    form_class = NyAnalysForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not behorighet.kan_analysera(request.user):
            raise PermissionDenied(_("Riskanalyser hålls av cheferna och staben."))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), "user": self.request.user}
        kwargs.setdefault("initial", {})["datum"] = timezone.localdate()
        return kwargs

    def form_valid(self, form):
        from kvalitet.models import TimelineEntry

        analys = form.save(commit=False)
        analys.skapad_av = analys.handlaggare = self.request.user
        with transaction.atomic():
            analys._change_reason = "Påbörjad"
            analys.save()
            analys.log(TimelineEntry.Typ.SKAPAT, av=self.request.user, till_status=analys.status)
        messages.success(self.request, _("Riskanalysen %(nr)s är påbörjad.") % {"nr": analys})
        return redirect(analys.get_absolute_url())


class AnalysView(ArendeDetailView):
    model = Riskanalys
    template_name = "riskregister/analys.html"

    def registret(self):
        return {
            "arende_ns": "riskregister:riskanalys:",
            "listnamn": _("Riskanalyser"),
            "lista_url": "riskregister:riskanalys:lista",
        }

    def extra_context_for(self, analys):
        user = self.request.user
        kan = analys.ar_oppet and behorighet.kan_arbeta(user, analys)
        return {
            "risker": analys.risker_i_analysen(),
            "bedom_form": AnalysBedomForm(analys=analys, user=user) if kan else None,
            "kan_lagga_till": kan,
            "skala": skala(),
            # An analysis is no event: what it is linked to belongs with it.
            "lankrubrik": _("Länkar"),
            "lanktom": _("Inga länkar."),
            "lanktext": _("Länka en händelse, en risk eller en process som analysen rör"),
        }


class AnalysBedomView(ArendeMixin, View):
    """Re-assess one of the unit's risks in the analysis (POST)."""

    model = Riskanalys
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        analys = self.get_object()
        if not (analys.ar_oppet and behorighet.kan_arbeta(request.user, analys)):
            raise PermissionDenied(_("Du har inte behörighet att göra detta."))
        form = AnalysBedomForm(request.POST, analys=analys, user=request.user)
        if form.is_valid():
            risk = form.cleaned_data["risk"]
            if not behorighet.kan_arbeta(request.user, risk):
                form.add_error("risk", _("Du kan inte bedöma den risken."))
            else:
                try:
                    risk.bedom(
                        av=request.user,
                        datum=min(analys.datum, timezone.localdate()),
                        sannolikhet=form.cleaned_data["sannolikhet"],
                        konsekvens=form.cleaned_data["konsekvens"],
                        kommentar=form.cleaned_data["kommentar"],
                        riskanalys=analys,
                    )
                except ValidationError as exc:
                    fel_till_form(form, exc)
                else:
                    messages.success(request, _("%(nr)s är bedömd i analysen.") % {"nr": risk})
                    return redirect(analys.get_absolute_url())
        return show_again(request, analys.get_absolute_url(), bedom_form=form)


# --- The register's versions -----------------------------------------------------------


class VersionAtkomstMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not behorighet.ser_versioner(request.user):
            raise PermissionDenied(
                _("Riskregistrets versioner är för staben, förvaltningschefen och nämnden.")
            )
        return super().dispatch(request, *args, **kwargs)

    def get_object(self):
        return get_object_or_404(
            Registerversion.objects.for_user(self.request.user), version=self.kwargs["version"]
        )


class VersionerView(VersionAtkomstMixin, TemplateView):
    """The versions of the register: the decided ones with their PDFs; for those who
    prepare it, the draft and the button to start the next version."""

    template_name = "riskregister/versioner.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        kan = behorighet.kan_forbereda(user)
        versioner = list(Registerversion.objects.for_user(user).order_by("-version"))
        utkast = next((v for v in versioner if v.ar_utkast), None)
        return super().get_context_data(
            versioner=versioner,
            kan_forbereda=kan,
            forbered_form=kwargs.pop("forbered_form", None)
            or (ForberedForm() if kan and utkast is None else None),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if not behorighet.kan_forbereda(request.user):
            raise PermissionDenied(
                _("Kvalitetssamordnaren och förvaltningschefen förbereder riskregistret.")
            )
        form = ForberedForm(request.POST)
        if form.is_valid():
            try:
                version = Registerversion.forbered(
                    av=request.user, sammanfattning=form.cleaned_data["sammanfattning"]
                )
            except ValidationError as exc:
                fel_till_form(form, exc)
            else:
                messages.success(
                    request, _("Utkastet till version %(v)s är skapat.") % {"v": version.version}
                )
                return redirect(version.get_absolute_url())
        return self.render_to_response(self.get_context_data(forbered_form=form), status=400)


class VersionView(StepPageMixin, VersionAtkomstMixin, TemplateView):
    """One version: a draft shows the register as it stands (with the proposals and the
    changes since the last decided version) and the steps; a decided one its frozen
    content and the decision."""

    template_name = "riskregister/version.html"

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data())

    def get_context_data(self, **overrides):
        version = self.get_object()
        bound = overrides.pop("bound", {})
        innehall = register.version_innehall(version)
        steps = self.steps_on(version, bound)
        context = {
            "version": version,
            "arende": version,
            "arende_ns": "riskregister:version_",
            "innehall": innehall,
            "matris": register.version_matris(innehall),
            "skala": skala() if version.ar_utkast else None,
            "overgangar": [s for s in steps if s["t"].changes_status],
            "steps": {s["t"].name: s for s in steps if not s["t"].changes_status},
            "kan_forbereda": behorighet.kan_forbereda(self.request.user),
        }
        context.update(overrides)
        return super().get_context_data(**context)


class VersionStepView(LoginRequiredMixin, StepView):
    def get_record(self):
        if not behorighet.ser_versioner(self.request.user):
            raise PermissionDenied(_("Du har inte behörighet att göra detta."))
        return get_object_or_404(
            Registerversion.objects.for_user(self.request.user), version=self.kwargs["nummer"]
        )


class VersionPdfView(VersionAtkomstMixin, View):
    """The register's PDF: a decided version's archived one (stored on first reading if
    the background job has not yet), or a draft's as it stands, for those who prepare it."""

    def get(self, request, *args, **kwargs):
        version = self.get_object()
        try:
            innehall = version.pdf_for()
        except ValidationError as fel:
            # The archived file does not match its checksum: never served, said plainly.
            logger.error("Riskregistret version %s: %s", version.version, fel.messages)
            for meddelande in fel.messages:
                messages.error(request, meddelande)
            return redirect(version.get_absolute_url())
        svar = HttpResponse(innehall, content_type="application/pdf")
        namn = version.filnamn() if version.ar_beslutad else f"utkast-{version.filnamn()}"
        svar["Content-Disposition"] = f'attachment; filename="{namn}"'
        svar["Cache-Control"] = "private, no-store"
        return svar
