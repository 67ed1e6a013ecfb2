"""Pages of the reports app: the list of kvalitetsberättelser, a draft's workbench (chapter
texts, cut-off date, PDF, decision), the HTML preview and the PDF download.

Access goes through `kvalitet.behorighet`: reports not visible to the user are 404,
visible but not theirs to change 403.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from kvalitet.forms import fel_till_form
from kvalitet.views import StepPageMixin, StepView, show_again

from . import behorighet, dokument
from .choices import Kapitelstatus, Status
from .forms import BrytdatumForm, KapitelForm, NyBerattelseForm, NyVersionForm
from .kapitel import hamta
from .models import Kapiteltext, Kvalitetsberattelse, kapitelstatus_for
from .siffror import ej_registrerade_inlamningar
from .text import till_html


class RapportMixin(LoginRequiredMixin):
    """Reports only for the roles that read them; others get 403 on every page."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not behorighet.kan_se_rapporter(request.user):
            raise PermissionDenied(_("Du har inte behörighet till rapporterna."))
        return super().dispatch(request, *args, **kwargs)


class BerattelseMixin(RapportMixin):
    """One report, reached through `for_user` (not visible → 404)."""

    @cached_property
    def berattelse(self):
        return get_object_or_404(
            Kvalitetsberattelse.objects.for_user(self.request.user).prefetch_related(
                # The workbench names who last changed each chapter.
                Prefetch("texter", Kapiteltext.objects.select_related("uppdaterad_av"))
            ),
            pk=self.kwargs["pk"],
        )

    def kan_skapa_pdf(self):
        """A draft's PDF is made by its writer; a decided version's archived PDF only
        once, but again by the writer or the decider if that rendering failed."""
        b, user = self.berattelse, self.request.user
        if b.ar_utkast:
            return behorighet.kan_skriva_rapport(user)
        return not b.pdf and behorighet.kan_forvalta_beslutad_rapport(user)

    def krav_skrivbar(self):
        """Only the kvalitetssamordnare changes a report, and only a draft. A report the
        user cannot see is 404 before anything else."""
        self.berattelse  # noqa: B018  (404 if not visible)
        if not behorighet.kan_skriva_rapport(self.request.user):
            raise PermissionDenied(_("Bara kvalitetssamordnaren skriver kvalitetsberättelsen."))
        if not self.berattelse.ar_utkast:
            raise PermissionDenied(_("En fastställd kvalitetsberättelse kan inte ändras."))


class ListaView(RapportMixin, TemplateView):
    template_name = "rapporter/lista.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        berattelser = list(Kvalitetsberattelse.objects.for_user(user).order_by("-ar", "-version"))
        per_ar = {}
        for b in berattelser:
            per_ar.setdefault(b.ar, []).append(b)
        kan_skriva = behorighet.kan_skriva_rapport(user)
        form = kwargs.pop("form", None)
        if form is None and kan_skriva:
            form = NyBerattelseForm(initial={"ar": NyBerattelseForm.foreslaget_ar()})
        return super().get_context_data(
            per_ar=sorted(per_ar.items(), reverse=True), kan_skriva=kan_skriva, form=form, **kwargs
        )

    def post(self, request):
        if not behorighet.kan_skriva_rapport(request.user):
            raise PermissionDenied(_("Bara kvalitetssamordnaren skriver kvalitetsberättelsen."))
        form = NyBerattelseForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        berattelse = form.spara(av=request.user)
        messages.success(request, _("Utkastet för %(ar)s är skapat.") % {"ar": berattelse.ar})
        return redirect(berattelse)


class DetaljView(StepPageMixin, BerattelseMixin, TemplateView):
    """The draft's workbench, or a decided version's record and download."""

    template_name = "rapporter/detalj.html"

    def get_context_data(self, **kwargs):
        b = self.berattelse
        user = self.request.user
        bound = kwargs.pop("bound", {})
        kan_skriva = behorighet.kan_skriva_rapport(user) and b.ar_utkast
        ar_namnd = not behorighet.har_roll(user, *behorighet.SER_UTKAST)
        # Whether each chapter is written is read from its text, not from its having been
        # saved: a new version's copied texts and a saved default text say the truth.
        kapitel = [
            {"kapitel": k, "text": text, "status": status} for k, status, text in b.kapitelstatus()
        ]
        andra = list(
            Kvalitetsberattelse.objects.for_user(user)
            .filter(ar=b.ar)
            .exclude(pk=b.pk)
            .order_by("-version")
        )
        return super().get_context_data(
            berattelse=b,
            kapitel=kapitel,
            kan_skriva=kan_skriva,
            kan_skapa_pdf=self.kan_skapa_pdf(),
            steps={s["t"].name: s for s in self.steps_on(b, bound)},
            kan_ny_version=(
                b.ar_beslutad
                and behorighet.kan_forvalta_beslutad_rapport(user)
                # Those who may reopen see every version, drafts included.
                and not any(v.status == Status.UTKAST for v in andra)
            ),
            ar_namnd=ar_namnd,
            # What the live figures of a draft do not count yet (a decided version's
            # figures are locked): the e-service's submissions not yet synpunkter.
            ej_registrerade=(
                ej_registrerade_inlamningar(b.ar, b.brytdatum)
                if b.ar_utkast and not ar_namnd
                else 0
            ),
            beslutas_av_namnd=settings.KVALITETSBERATTELSE_BESLUTAS_AV == "namnd",
            brytdatum_form=kwargs.pop("brytdatum_form", None)
            or (BrytdatumForm(initial={"brytdatum": b.brytdatum}) if kan_skriva else None),
            ny_version_form=kwargs.pop("ny_version_form", None) or NyVersionForm(),
            andra_versioner=andra,
            timeline=b.timeline.select_related("anvandare").order_by("-skapad", "-pk")[:30],
            **kwargs,
        )


class KapitelView(BerattelseMixin, TemplateView):
    """Edit one chapter's text; an htmx request to `?forhandsvisa` renders the text."""

    template_name = "rapporter/kapitel.html"

    @cached_property
    def kapitel(self):
        kapitel = hamta(self.kwargs["slug"])
        if kapitel is None:
            raise Http404
        return kapitel

    def get_context_data(self, **kwargs):
        b = self.berattelse
        text = b.text_for(self.kapitel.slug)
        form = kwargs.pop("form", None) or KapitelForm(
            initial={
                "text": text.text if text else self.kapitel.standardtext(b.ar, settings.KOMMUN_NAMN)
            }
        )
        # The figures the chapter's text is about, as the report shows them: computed
        # from the records now, as for a draft's preview (`dokument.kontext`).
        k = self.kapitel
        siffror = k.siffror(b.ar, b.brytdatum) if k.siffror and k.mall else None
        return super().get_context_data(
            berattelse=b, kapitel=k, text=text, form=form, siffror=siffror, **kwargs
        )

    def get(self, request, *args, **kwargs):
        self.krav_skrivbar()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.krav_skrivbar()
        form = KapitelForm(request.POST)
        if request.htmx and "forhandsvisa" in request.GET:
            # Preview only: never saved.
            return TemplateResponse(
                request,
                "rapporter/_kapitel_forhandsvisning.html",
                {
                    "form": form,
                    "html": till_html(form.cleaned_data["text"]) if form.is_valid() else None,
                },
            )
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            self.berattelse.spara_text(
                self.kapitel.slug,
                form.cleaned_data["text"],
                av=request.user,
                titel=str(self.kapitel.titel),
            )
        except ValidationError as exc:
            fel_till_form(form, exc)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        titel = {"titel": self.kapitel.titel}
        status = kapitelstatus_for(self.kapitel, form.cleaned_data["text"], self.berattelse.ar)
        if status == Kapitelstatus.EJ_SKRIVEN:
            # Saved, but not yet written in the rule's sense: said now, not first when
            # the förvaltningschef tries to decide it.
            messages.warning(
                request,
                _(
                    "Texten i ”%(titel)s” är sparad men är fortfarande standardtexten. Skriv "
                    "den med förvaltningens egna ord: en kvalitetsberättelse med standardtext "
                    "kan inte fastställas."
                )
                % titel,
            )
        elif status == Kapitelstatus.INSTRUKTION:
            messages.warning(
                request,
                _(
                    "Texten i ”%(titel)s” är sparad men har kvar skrivinstruktioner inom "
                    "[[ och ]]. Ersätt dem med egen text: annars kan kvalitetsberättelsen "
                    "inte fastställas."
                )
                % titel,
            )
        else:
            messages.success(request, _("Texten i ”%(titel)s” är sparad.") % titel)
        return redirect(self.berattelse)


class BrytdatumView(BerattelseMixin, View):
    def post(self, request, pk):
        self.krav_skrivbar()
        form = BrytdatumForm(request.POST)
        if form.is_valid():
            try:
                self.berattelse.satt_brytdatum(form.cleaned_data["brytdatum"], av=request.user)
            except ValidationError as exc:
                fel_till_form(form, exc)
        if not form.is_valid():
            return show_again(request, self.berattelse.get_absolute_url(), brytdatum_form=form)
        messages.success(request, _("Brytdatumet är ändrat."))
        return redirect(self.berattelse)


class ForhandsvisningView(BerattelseMixin, TemplateView):
    """The report in the browser, from the same template and context as the PDF."""

    template_name = "rapporter/forhandsvisning.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**dokument.kontext(self.berattelse), **kwargs)


class PdfView(BerattelseMixin, TemplateView):
    """GET: the PDF's status (an htmx fragment that polls while it is being made).
    POST: request a new PDF of a draft, or the archived PDF of a decided version if its
    rendering failed."""

    template_name = "rapporter/_pdf_status.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            berattelse=self.berattelse, kan_skapa_pdf=self.kan_skapa_pdf(), **kwargs
        )

    def post(self, request, pk):
        if not self.kan_skapa_pdf():
            raise PermissionDenied(_("Du har inte behörighet att skapa PDF:en."))
        b = self.berattelse
        if not b.pdf_arbetar:
            b.begar_pdf(av=request.user)
            b.refresh_from_db()
        if request.htmx:
            return self.render_to_response(self.get_context_data())
        messages.info(request, _("PDF:en skapas."))
        return redirect(b)


class PdfHamtaView(BerattelseMixin, View):
    """Download the PDF; for a decided version, the archived file with its checksum."""

    def get(self, request, pk):
        b = self.berattelse
        if not b.pdf:
            raise Http404
        response = FileResponse(
            b.pdf.open("rb"),
            as_attachment="visa" not in request.GET,
            filename=b.filnamn(),
            content_type="application/pdf",
        )
        response["X-Content-SHA256"] = b.pdf_sha256
        response["Cache-Control"] = "private, no-store"
        return response


class BerattelseStepView(BerattelseMixin, StepView):
    """A step of a report (deciding it), by the shared runner."""

    def get_record(self):
        return self.berattelse


class NyVersionView(BerattelseMixin, View):
    def post(self, request, pk):
        b = self.berattelse
        if not behorighet.kan_forvalta_beslutad_rapport(request.user):
            raise PermissionDenied(_("Du har inte behörighet att göra detta."))
        form = NyVersionForm(request.POST)
        if form.is_valid():
            try:
                ny = b.ny_version(av=request.user, kommentar=form.cleaned_data["kommentar"])
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    fel_till_form(form, exc)
                else:
                    # Refused by the report's state (a draft, or the year already has one):
                    # the form is not on the page then, so the message goes at the top.
                    for fel in exc.messages:
                        messages.error(request, fel)
            else:
                messages.success(
                    request, _("Version %(v)s är skapad som utkast.") % {"v": ny.version}
                )
                return redirect(ny)
        return show_again(request, b.get_absolute_url(), ny_version_form=form)
