"""Pages of internkontroll: the control occasions (the list the menu opens, an occasion
with its result and what follows from it), the plans and redovisningar for the nämnd
(drafts, rows, decisions, PDFs)."""

import logging

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from kvalitet.export import Kolumn
from kvalitet.forms import fel_till_form
from kvalitet.models import TimelineEntry
from kvalitet.views import (
    ArendeDetailView,
    ArendeListaView,
    ArendeMixin,
    StepPageMixin,
    StepView,
    datum,
    nummerlank,
    show_again,
    statusmarke,
)
from riskregister import behorighet as riskbehorighet

from . import behorighet
from .choices import FARG, Tillfallestatus
from .dokument import plan_innehall, redovisning_innehall
from .filters import TillfalleFilter
from .forms import (
    KontrollForm,
    NyPlanForm,
    NyRedovisningForm,
    NyVersionForm,
    RiskbedomningForm,
)
from .models import Internkontrollplan, Internkontrollredovisning, Kontroll, Kontrolltillfalle

logger = logging.getLogger(__name__)


def bedomningscell(t):
    """The assessment in colour and in words."""
    if not t.bedomning:
        return "–"
    return format_html(
        '<span class="bedomning farg-{}">{}</span>', FARG[t.bedomning], t.get_bedomning_display()
    )


# --- Control occasions ------------------------------------------------------------------


class ListaView(ArendeListaView):
    """The control occasions the user may see: what the performers are to do and have
    done, by due date."""

    model = Kontrolltillfalle
    filterset_class = TillfalleFilter
    relaterade = ("enhet", "kontroll", "kontroll__plan")
    template_name = "internkontroll/lista.html"
    listkolumner = [
        (gettext_lazy("Nummer"), nummerlank),
        (gettext_lazy("Kontroll"), lambda t: f"{t.kontroll.kod} {t.kontroll.process}"),
        (gettext_lazy("Enhet"), lambda t: t.enhet.namn),
        (gettext_lazy("Ska vara klar"), datum("forfaller")),
        (gettext_lazy("Bedömning"), bedomningscell),
        (gettext_lazy("Status"), statusmarke),
    ]

    def rubrik(self):
        return _("Internkontroll – kontrolltillfällen")

    def rad_markerad(self, t):
        return t.ar_forsenat

    def exportkolumner(self):
        return [
            Kolumn(_("Nummer"), "nummer"),
            Kolumn(_("År"), "kontroll__plan__ar"),
            Kolumn(_("Kontroll"), "kontroll__kod"),
            Kolumn(_("Process"), "kontroll__process"),
            Kolumn(_("Kontrollmoment"), "kontroll__kontrollmoment"),
            Kolumn(_("Enhet"), "enhet__namn"),
            Kolumn(_("Tillfälle"), "ordningsnummer"),
            Kolumn(_("Ska vara klar"), "forfaller"),
            Kolumn(_("Status"), "status"),
            Kolumn(_("Kontrollerad"), "kontrollerad"),
            Kolumn(_("Vad som kontrollerades"), "vad"),
            Kolumn(_("Antal kontrollerade"), "antal"),
            Kolumn(_("Antal avvikelser"), "avvikelser"),
            Kolumn(_("Bedömning"), "bedomning"),
            Kolumn(_("Iakttagelser"), "kommentar"),
        ]

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(ser_handlingar=behorighet.ser_handlingar(user), **kwargs)


class DetaljView(ArendeDetailView):
    model = Kontrolltillfalle
    template_name = "internkontroll/detalj.html"

    def get_queryset(self):
        return super().get_queryset().select_related("kontroll", "kontroll__plan", "kontroll__risk")

    def registret(self):
        return {
            "arende_ns": "internkontroll:",
            "listnamn": _("Kontrolltillfällen"),
            "lista_url": "internkontroll:lista",
        }

    def extra_context_for(self, t):
        user = self.request.user
        risk = t.kontroll.risk
        kan = behorighet.kan_registrera(user, t)
        kan_risk = risk is not None and kan and riskbehorighet.kan_arbeta(user, risk)
        return {
            "kontroll": t.kontroll,
            "risk": risk,
            "riskbedomning_form": RiskbedomningForm(risk=risk, auto_id="bedom-%s")
            if kan_risk
            else None,
            "foljder": kan and t.status == Tillfallestatus.KLAR,
            "lanktext": _("Länka en händelse eller risk"),
        }


class RiskbedomningView(ArendeMixin, View):
    """Re-assess the control's risk from the result (POST)."""

    model = Kontrolltillfalle
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        t = self.get_object()
        risk = t.kontroll.risk
        if not (
            risk is not None
            and behorighet.kan_registrera(request.user, t)
            and riskbehorighet.kan_arbeta(request.user, risk)
        ):
            raise PermissionDenied(_("Du har inte behörighet att bedöma risken."))
        if t.status != Tillfallestatus.KLAR:
            raise PermissionDenied(_("Registrera kontrollens resultat först."))
        form = RiskbedomningForm(request.POST, risk=risk, auto_id="bedom-%s")
        if form.is_valid():
            try:
                t.bedom_risken(av=request.user, **form.cleaned_data)
            except ValidationError as exc:
                fel_till_form(form, exc)
            else:
                messages.success(
                    request, _("%(risk)s är bedömd på nytt och länkad hit.") % {"risk": risk}
                )
                return redirect(t.get_absolute_url())
        return show_again(request, t.get_absolute_url(), riskbedomning_form=form)


# --- Plans and redovisningar --------------------------------------------------------------


class HandlingAtkomstMixin(LoginRequiredMixin):
    modell = None

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not behorighet.ser_handlingar(request.user):
            raise PermissionDenied(
                _("Internkontrollens planer och redovisningar är för staben, cheferna och nämnden.")
            )
        return super().dispatch(request, *args, **kwargs)

    def get_object(self):
        if not hasattr(self, "_handling"):
            self._handling = get_object_or_404(
                self.modell.objects.for_user(self.request.user), pk=self.kwargs["pk"]
            )
        return self._handling


class PlanerView(HandlingAtkomstMixin, TemplateView):
    """The plans and redovisningar per year; staben starts a plan or a redovisning."""

    template_name = "internkontroll/planer.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        kan = behorighet.kan_forbereda(user)
        idag = timezone.localdate()
        return super().get_context_data(
            planer=list(Internkontrollplan.objects.for_user(user).order_by("-ar", "-version")),
            redovisningar=list(
                Internkontrollredovisning.objects.for_user(user).order_by("-ar", "-version")
            ),
            kan_forbereda=kan,
            plan_form=kwargs.pop("plan_form", None)
            or (NyPlanForm(initial={"ar": idag.year + 1}, auto_id="plan-%s") if kan else None),
            redovisning_form=kwargs.pop("redovisning_form", None)
            or (
                NyRedovisningForm(
                    initial={"ar": NyRedovisningForm.foreslaget_ar()}, auto_id="redovisning-%s"
                )
                if kan
                else None
            ),
            **kwargs,
        )


class NyPlanView(HandlingAtkomstMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        if not behorighet.kan_forbereda(request.user):
            raise PermissionDenied(_("Internkontrollplanen förbereds av staben."))
        form = NyPlanForm(request.POST, auto_id="plan-%s")
        if form.is_valid():
            try:
                plan = Internkontrollplan.skapa(av=request.user, **form.cleaned_data)
            except ValidationError as exc:
                fel_till_form(form, exc)
            else:
                messages.success(request, _("%(plan)s är påbörjad.") % {"plan": plan})
                return redirect(plan.get_absolute_url())
        return show_again(request, reverse("internkontroll:planer"), plan_form=form)


class NyRedovisningView(HandlingAtkomstMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        if not behorighet.kan_forbereda(request.user):
            raise PermissionDenied(_("Redovisningen förbereds av staben."))
        form = NyRedovisningForm(request.POST, auto_id="redovisning-%s")
        if form.is_valid():
            try:
                red = Internkontrollredovisning.skapa(av=request.user, **form.cleaned_data)
            except ValidationError as exc:
                fel_till_form(form, exc)
            else:
                messages.success(request, _("%(red)s är påbörjad.") % {"red": red})
                return redirect(red.get_absolute_url())
        return show_again(request, reverse("internkontroll:planer"), redovisning_form=form)


class HandlingView(StepPageMixin, HandlingAtkomstMixin, TemplateView):
    """A plan or a redovisning: its content (a draft's live, a decided version's frozen),
    its steps and its PDF."""

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data())

    def innehall(self, handling):
        raise NotImplementedError

    def get_context_data(self, **overrides):
        handling = self.get_object()
        bound = overrides.pop("bound", {})
        steps = self.steps_on(handling, bound)
        context = {
            "handling": handling,
            "arende": handling,
            "arende_ns": f"internkontroll:{self.stegprefix}",
            "innehall": self.innehall(handling),
            "overgangar": [s for s in steps if s["t"].changes_status],
            "steps": {s["t"].name: s for s in steps if not s["t"].changes_status},
            "kan_forbereda": behorighet.kan_forbereda(self.request.user),
            **self.tillagg(handling, overrides),
        }
        context.update(overrides)
        return super().get_context_data(**context)

    def tillagg(self, handling, overrides):
        return {}


class PlanView(HandlingView):
    modell = Internkontrollplan
    template_name = "internkontroll/plan.html"
    stegprefix = "plan_"

    def innehall(self, plan):
        return plan_innehall(plan)

    def tillagg(self, plan, overrides):
        kan = plan.ar_utkast and behorighet.kan_forbereda(self.request.user)
        kontroller = list(plan.kontroller.select_related("risk", "utforare_enhet", "utforare"))
        felaktig = overrides.pop("felaktig_kontroll", None)
        if kan:
            for k in kontroller:
                if felaktig and felaktig[0] == k.pk:
                    k.form = felaktig[1]
                else:
                    k.form = KontrollForm(
                        instance=k, plan=plan, prefix=f"k{k.pk}", auto_id=f"k{k.pk}-%s"
                    )
        tillfallen = {}
        if plan.ar_beslutad:
            for t in (
                Kontrolltillfalle.objects.for_user(self.request.user)
                .filter(kontroll__plan=plan)
                .order_by("ordningsnummer")
            ):
                tillfallen.setdefault(t.kontroll_id, []).append(t)
        for k in kontroller:
            k.mina_tillfallen = tillfallen.get(k.pk, [])
        return {
            "kontroller": kontroller,
            "kan_andra": kan,
            "ny_kontroll_form": (
                KontrollForm(plan=plan, prefix="ny", initial={"ordning": len(kontroller) + 1})
                if kan
                else None
            ),
            "ny_version_form": NyVersionForm()
            if plan.ar_beslutad
            and behorighet.kan_forbereda(self.request.user)
            and not Internkontrollplan.objects.filter(ar=plan.ar, status="utkast").exists()
            else None,
        }


class RedovisningView(HandlingView):
    modell = Internkontrollredovisning
    template_name = "internkontroll/redovisning.html"
    stegprefix = "redovisning_"

    def innehall(self, red):
        return redovisning_innehall(red)


class HandlingStepView(StepView):
    modell = None

    def get_record(self):
        if not self.request.user.is_authenticated or not behorighet.ser_handlingar(
            self.request.user
        ):
            raise PermissionDenied(_("Du har inte behörighet att göra detta."))
        return get_object_or_404(
            self.modell.objects.for_user(self.request.user), pk=self.kwargs["nummer"]
        )


class PlanStepView(LoginRequiredMixin, HandlingStepView):
    modell = Internkontrollplan


class RedovisningStepView(LoginRequiredMixin, HandlingStepView):
    modell = Internkontrollredovisning


class KontrollView(HandlingAtkomstMixin, View):
    """Add, change or remove a row of a draft plan (POST)."""

    modell = Internkontrollplan
    http_method_names = ["post"]

    def post(self, request, pk, kid=None, ta_bort=False):
        plan = self.get_object()
        if not behorighet.kan_forbereda(request.user):
            raise PermissionDenied(_("Internkontrollplanen förbereds av staben."))
        if not plan.ar_utkast:
            messages.error(request, _("En fastställd plan kan inte ändras; öppna en ny version."))
            return redirect(plan.get_absolute_url())
        kontroll = get_object_or_404(Kontroll, plan=plan, pk=kid) if kid else None
        if ta_bort:
            with transaction.atomic():
                kontroll.delete()
                plan.log(
                    TimelineEntry.Typ.ANDRING,
                    av=request.user,
                    text=_("Kontroll borttagen: %s") % kontroll,
                )
            messages.success(request, _("Kontrollen %(kod)s är borttagen.") % {"kod": kontroll.kod})
            return redirect(plan.get_absolute_url())
        prefix = f"k{kontroll.pk}" if kontroll else "ny"
        form = KontrollForm(request.POST, instance=kontroll, plan=plan, prefix=prefix)
        if not form.is_valid():
            if kontroll:
                form.auto_id = f"k{kontroll.pk}-%s"
                return show_again(
                    request, plan.get_absolute_url(), felaktig_kontroll=(kontroll.pk, form)
                )
            return show_again(request, plan.get_absolute_url(), ny_kontroll_form=form)
        with transaction.atomic():
            ny = form.save(commit=False)
            ny.plan = plan
            ny._change_reason = "Ändrad" if kontroll else "Tillagd"
            ny.save()
            plan.log(
                TimelineEntry.Typ.ANDRING,
                av=request.user,
                text=(_("Kontroll ändrad: %s") if kontroll else _("Kontroll tillagd: %s")) % ny,
            )
        messages.success(request, _("Kontrollen %(kod)s är sparad.") % {"kod": ny.kod})
        return redirect(f"{plan.get_absolute_url()}#kontroll-{ny.pk}")


class NyVersionView(HandlingAtkomstMixin, View):
    modell = Internkontrollplan
    http_method_names = ["post"]

    def post(self, request, pk):
        plan = self.get_object()
        if not plan.ar_beslutad:
            messages.error(request, _("Bara en fastställd plan kan öppnas igen."))
            return redirect(plan.get_absolute_url())
        form = NyVersionForm(request.POST)
        if form.is_valid():
            try:
                ny = plan.ny_version(av=request.user, kommentar=form.cleaned_data["kommentar"])
            except ValidationError as exc:
                fel_till_form(form, exc)
            else:
                messages.success(request, _("%(plan)s är påbörjad.") % {"plan": ny})
                return redirect(ny.get_absolute_url())
        return show_again(request, plan.get_absolute_url(), ny_version_form=form)


class PdfView(HandlingAtkomstMixin, View):
    """A plan's or a redovisning's PDF: a decided version's archived one (its checksum
    verified), a draft's rendered now for staben."""

    def get(self, request, pk):
        handling = self.get_object()
        try:
            innehall = handling.pdf_for()
        except ValidationError as fel:
            logger.error("%s: %s", handling, fel.messages)
            for meddelande in fel.messages:
                messages.error(request, meddelande)
            return redirect(handling.get_absolute_url())
        svar = HttpResponse(innehall, content_type="application/pdf")
        namn = handling.filnamn() if handling.ar_beslutad else f"utkast-{handling.filnamn()}"
        svar["Content-Disposition"] = f'attachment; filename="{namn}"'
        svar["Cache-Control"] = "private, no-store"
        return svar
