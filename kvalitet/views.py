"""Shared pages (start, search, attachment download), the generic case views every case
type builds on (list, export, detail page, comments, attachments, actions, links), and
the one runner of every guarded step (`StepView`)."""

import re

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import path, resolve, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from kvalitet import arendetyper, behorighet, delar, exporter
from kvalitet.export import csv_response, ogiltigt_filter, xlsx_response
from kvalitet.forms import AtgardForm, AttachmentForm, KommentarForm, LinkForm, fel_till_form
from kvalitet.lib.sidor import BegransadPaginator
from kvalitet.middleware import sidan_anvandaren_var_pa, svarar_pa_get
from kvalitet.models import (
    ATGARD_OPPNA,
    Atgard,
    Atkomstlogg,
    Attachment,
    CaseLink,
    TimelineEntry,
)
from kvalitet.workflow import TransitionNotAllowed, available_steps, next_steps, steps_of

# --- Shared pages -------------------------------------------------------------------


class ArendeAtkomstMixin(LoginRequiredMixin):
    """Pages of case records. The nämnd sees reports only, never case records
    (docs/behorighet.md): a nämnd-only account is refused here whatever the case."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and behorighet.ser_inga_arenden(request.user):
            return self.utan_arenden()
        return super().dispatch(request, *args, **kwargs)

    def utan_arenden(self):
        raise PermissionDenied(_("Nämnden ser rapporterna, inte enskilda ärenden."))


class StartView(ArendeAtkomstMixin, TemplateView):
    """ "Mina ärenden": what waits for me (overdue first), my actions, my own reports."""

    template_name = "kvalitet/start.html"
    MAX_RADER = 50
    # The most urgent cases waiting, per type; the rest are in the list ("Bara de som
    # väntar på mig").
    MAX_VANTAR = 25

    def utan_arenden(self):
        """Someone who sees no case records starts on the first page the parts of the
        product offer them (the nämnd: the reports)."""
        poster = delar.menyposter(self.request.user)
        if not poster:
            return super().utan_arenden()
        return redirect(poster[0].url)

    def get_context_data(self, **kwargs):
        user = self.request.user
        sektioner = []
        for typ in arendetyper.alla():
            synliga = typ.modell.objects.for_user(user).select_related("enhet")
            vantar = list(
                synliga.vantar_pa(user).order_by(models.F("tidsfrist").asc(nulls_last=True), "pk")[
                    : self.MAX_VANTAR + 1
                ]
            )
            fler = len(vantar) > self.MAX_VANTAR
            vantar = vantar[: self.MAX_VANTAR]
            for arende in vantar:
                # Why it waits for them: what they are expected to do next.
                arende.att_gora = [s.label for s in next_steps(user, arende)]
            egna = list(synliga.egna(user).order_by(f"-{typ.datumfalt}", "-pk")[:10])
            if vantar or egna:
                sektioner.append({"typ": typ, "vantar": vantar, "fler": fler, "egna": egna})
        atgarder = list(
            behorighet.egna_atgarder(user, Atgard.objects.filter(status__in=ATGARD_OPPNA))
            .select_related("enhet")
            .prefetch_related("arende")
            .order_by("forfallodatum", "pk")[: self.MAX_RADER]
        )
        return super().get_context_data(
            sektioner=sektioner,
            atgarder=atgarder,
            startknappar=delar.startknappar(user),
            startfigurer=delar.startfigurer(user),
            vantande=delar.vantande(user),
            kan_rapportera=behorighet.kan_rapportera(user),
            **kwargs,
        )


class SokView(ArendeAtkomstMixin, View):
    """Find a case by its number or another identifier of its type (a synpunkt's
    reference number); only cases the user may see are found."""

    def get(self, request):
        nummer = request.GET.get("nummer", "").strip().upper()[:30]
        arende = arendetyper.hitta_post(request.user, nummer) if nummer else None
        if arende is not None:
            return redirect(arende.get_absolute_url())
        if nummer:
            messages.warning(
                request,
                _(
                    "Hittade inget ärende med numret eller referensnumret %(nr)s som du har "
                    "tillgång till."
                )
                % {"nr": nummer},
            )
        else:
            messages.warning(request, _("Skriv ett ärendenummer, till exempel AVV-2026-0042."))
        return redirect("start")


class IvoView(ArendeAtkomstMixin, TemplateView):
    """The förvaltning's dealings with IVO in one place (DOMAIN.md §4.7): each part adds
    its own (lex Sarah anmälningar, klagomål IVO forwarded, IVO's tillsyn), over what
    the user may see."""

    template_name = "kvalitet/ivo.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not behorighet.ser_ivo(request.user):
            raise PermissionDenied(_("Sidan om IVO är för chefer och staben."))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(sektioner=delar.ivosektioner(self.request.user), **kwargs)


class AttachmentView(LoginRequiredMixin, View):
    """Stream an attachment after checking the user may see its case."""

    def get(self, request, pk):
        bilaga = get_object_or_404(Attachment.objects.select_related("content_type"), pk=pk)
        modell = bilaga.content_type.model_class()
        if (
            modell is None
            or not modell.objects.for_user(request.user).filter(pk=bilaga.object_id).exists()
        ):
            raise Http404
        if getattr(modell, "LOGGA_LASNING", False):
            arende = modell.objects.select_related("enhet").get(pk=bilaga.object_id)
            # Only its own file for someone who sees a case's status, not all of it.
            if not arende.ser_hela(request.user) and bilaga.uppladdad_av_id != request.user.pk:
                raise Http404
            Atkomstlogg.logga(
                request.user, [arende], Atkomstlogg.Handelse.NEDLADDNING, bilaga.filnamn
            )
        response = FileResponse(
            bilaga.fil.open("rb"),
            as_attachment=True,
            filename=bilaga.filnamn,
            content_type=bilaga.innehallstyp,
        )
        response["Cache-Control"] = "private, no-store"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response


class NyttArendeView(ArendeAtkomstMixin, FormView):
    """The form for a new case of a type: only for staff who report (`kan_rapportera`);
    an invalid form is shown again with its errors (400)."""

    nekad = ""  # why someone without a reporting role is refused

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not behorighet.kan_rapportera(request.user):
            raise PermissionDenied(self.nekad)
        return super().dispatch(request, *args, **kwargs)

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


# --- Pages shown again after a refused request ---------------------------------------------


def show_again(request, url, **overrides):
    """Render the page at `url` again, for a request that was refused (400), with the
    bound forms and their errors in `overrides`, so the user never loses what they typed.
    Every page a form posts from is reached this one way."""
    match = resolve(url.split("#")[0])
    vy = match.func.view_class(**match.func.view_initkwargs)
    vy.setup(request, *match.args, **match.kwargs)
    return vy.render_to_response(vy.get_context_data(**overrides), status=400)


def step_key(obj, spec):
    """The key of a step's form on a page (several records' steps may be shown)."""
    return (obj._meta.label, obj.pk, spec.name)


class StepPageMixin:
    """A page that offers steps' forms: blank ones, or after a refused step the bound
    form with its errors (`bound`, set by `StepView` through `show_again`)."""

    def steps_on(self, obj, bound, *, auto_id="id_%s"):
        """[{"t": step, "form": form}] of the steps this user may take on `obj` now."""
        user = self.request.user
        steps = []
        for spec in available_steps(user, obj):
            form = bound.get(step_key(obj, spec))
            if form is None:
                form = spec.make_form(obj=obj, user=user)
            if form is not None:
                # Ids unique on the page, bound or blank: per record (`auto_id`) and per
                # step, as several steps ask for a field of the same name (svar, datum).
                form.auto_id = auto_id.replace("%s", f"{spec.name}-%s")
            steps.append(
                {"t": spec, "form": form, "krav": spec.unmet(obj), "vantar": spec.vantar_pa(obj)}
            )
        return steps


class StepView(View):
    """POST to a guarded step's own URL: the one runner of transitions, of steps that
    keep the status, of improvement actions' steps and of deciding a report.

    Permission first (403), then the input (400, the page again with the form's errors),
    then, for an irreversible step, a page that asks for confirmation (only once the input
    is valid and the step possible; its form posts the same input again with
    `bekraftad`), then the step itself under its row lock: refused by the status, it goes
    back with the message; done, it goes back with the step's own message."""

    http_method_names = ["post"]
    step = None  # the Step declaration

    def get_record(self):
        """The record, through the access module (404 if the user may not see it)."""
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        obj = self.get_record()
        spec = self.step
        if not spec.permitted(request.user, obj):
            if spec.condition_message and spec.permission(request.user, obj):
                # Allowed to the user, but not for this record (a tillbud, not via IVO).
                raise PermissionDenied(spec.condition_message)
            raise PermissionDenied(
                spec.permission_message or _("Du har inte behörighet att göra detta.")
            )
        form = spec.make_form(request.POST, obj=obj, user=request.user)
        if form is not None and not form.is_valid():
            return self.show_with_errors(obj, spec, form)
        if not request.POST.get("bekraftad"):
            fraga = spec.confirm_text(obj, form.cleaned_data if form else {})
            if fraga:
                return self.bekrafta(obj, spec, form, fraga)
        try:
            resultat = getattr(obj, spec.name)(
                av=request.user, **(form.cleaned_data if form else {})
            )
        except TransitionNotAllowed as exc:
            messages.error(request, str(exc))
            return redirect(obj.get_absolute_url())
        except ValidationError as exc:
            if form is None:
                for fel in exc.messages:
                    messages.error(request, fel)
                return redirect(obj.get_absolute_url())
            fel_till_form(form, exc)
            return self.show_with_errors(obj, spec, form)
        if resultat is None and not spec.changes_status:
            # A step that keeps the status returns None when the input changed nothing.
            messages.info(request, _("Inget ändrades: uppgifterna var desamma som förut."))
        else:
            messages.success(request, spec.success_message(obj))
        return redirect(obj.get_absolute_url())

    def bekrafta(self, obj, spec, form, fraga):
        """The confirmation page, if the step could be taken now; otherwise the same
        refusal the step itself would give."""
        if not spec.allowed_from(obj.status):
            messages.error(self.request, spec.refused_message(obj, obj.status))
            return redirect(obj.get_absolute_url())
        if brister := spec.unmet(obj):
            if form is None:
                for fel in brister:
                    messages.error(self.request, fel)
                return redirect(obj.get_absolute_url())
            fel_till_form(form, ValidationError(brister))
            return self.show_with_errors(obj, spec, form)
        falt = [
            (namn, varde)
            for namn, varden in self.request.POST.lists()
            if namn not in ("csrfmiddlewaretoken", "bekraftad")
            for varde in varden
        ]
        return render(
            self.request,
            "kvalitet/bekrafta.html",
            {"obj": obj, "steg": spec, "fraga": fraga, "form": form, "falt": falt},
        )

    def show_with_errors(self, obj, spec, form):
        return show_again(self.request, obj.get_absolute_url(), bound={step_key(obj, spec): form})


# --- Generic case views ----------------------------------------------------------------


def nummerlank(arende):
    url = arende.get_absolute_url()
    return format_html('<a href="{}" class="nummer">{}</a>', url, arende.nummer)


def sammanfattning(arende):
    """A list column with the beginning of the case's text, to recognise it by."""
    return format_html('<span class="sammanfattning">{}</span>', arende.sammanfattning)


def statusmarke(arende):
    return render_to_string("includes/status.html", {"arende": arende})


def datum(falt):
    """A list column with the local date of a date or time field."""

    def varde(arende):
        tid = getattr(arende, falt)
        if tid is None:
            return ""
        dag = f"{timezone.localtime(tid) if hasattr(tid, 'hour') else tid:%Y-%m-%d}"
        return format_html('<span class="datum">{}</span>', dag)

    return varde


class ArendeListaMixin(ArendeAtkomstMixin):
    """The filtered list of visible cases, shared by a case type's list page and exports.
    The list is ordered as the model is (newest first by its date field)."""

    model = None
    filterset_class = None
    relaterade = ("enhet",)

    def get_queryset(self):
        return (
            self.model.objects.for_user(self.request.user)
            .select_related(*self.relaterade)
            .order_by(*self.model._meta.ordering)
        )

    def filterset(self):
        return self.filterset_class(
            self.request.GET or None, queryset=self.get_queryset(), user=self.request.user
        )


class ArendeListaView(ArendeListaMixin, TemplateView):
    """List page with filters (htmx swaps only the results), capped pagination.

    A case type gives its model, filter set and the columns of the list
    (`listkolumner`: heading and a function of the case giving text or safe HTML) and
    of its exports (`exportkolumner()`, optionally `forbered_export(chunk)` to load
    related data per chunk of rows)."""

    template_name = "kvalitet/lista.html"
    resultat_mall = "kvalitet/_resultat.html"
    listkolumner = ()
    PER_SIDA = 25
    # The URL namespace of the list's pages (exports, a row's page); default the app's.
    namnrymd = None

    def rubrik(self):
        return apps.get_app_config(self.model._meta.app_label).verbose_name

    def exportkolumner(self):
        raise NotImplementedError

    forbered_export = None

    def rad_markerad(self, arende) -> bool:
        """Whether the row is marked as overdue."""
        return False

    def get_template_names(self):
        if self.request.htmx and self.request.htmx.target == "resultat":
            return [self.resultat_mall]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        filtret = self.filterset()
        # With a search text, the best matches first (the exports keep the list's order).
        sida = BegransadPaginator(filtret.lista, self.PER_SIDA).get_page(
            self.request.GET.get("sida")
        )
        params = self.request.GET.copy()
        params.pop("sida", None)
        rader = [
            {
                "markerad": self.rad_markerad(arende),
                "celler": [(rubrik, varde(arende)) for rubrik, varde in self.listkolumner],
            }
            for arende in sida.object_list
        ]
        meta = self.model._meta
        return super().get_context_data(
            filter=filtret,
            sida=sida,
            rader=rader,
            kolumner=[rubrik for rubrik, _ in self.listkolumner],
            params=params.urlencode(),
            rubrik=self.rubrik(),
            resultat_mall=self.resultat_mall,
            arende_ns=self.namnrymd or f"{meta.app_label}:",
            singular=meta.verbose_name,
            plural=meta.verbose_name_plural,
            kan_rapportera=behorighet.kan_rapportera(self.request.user),
            stor_export=self.stor_export(filtret, sida),
            **kwargs,
        )

    def stor_export(self, filtret, sida) -> bool | None:
        """Whether the list's export is a background job (kvalitet.exporter), from the
        page's capped count; None when that count reached its cap: the export's links
        then lead to its own page, which counts further when asked (a file, or the
        offer to make it in the background), and the list counts no further on every
        view (on ten million cases that count was the list's largest query)."""
        if sida.paginator.fler:
            return None
        return sida.paginator.count > settings.EXPORT_DIREKT_MAX


class ArendeExportView(ArendeAtkomstMixin, View):
    """The list's filtered cases as CSV or XLSX, with the list view's access, filters and
    export columns. A small selection is answered at once (GET); a larger one
    (EXPORT_DIREKT_MAX) is a background job, started by POST (kvalitet.exporter)."""

    lista = None  # the case type's ArendeListaView
    format = "csv"

    def urval(self, request, *args, **kwargs):
        vy = self.lista()
        vy.setup(request, *args, **kwargs)
        return vy, vy.filterset()

    def get(self, request, *args, **kwargs):
        vy, filtret = self.urval(request, *args, **kwargs)
        if fel := filtret.fel():
            return ogiltigt_filter(fel)  # 400 with the errors, not a file of headings
        if exporter.for_stor(filtret.qs):
            return render(
                request,
                "kvalitet/export/starta.html",
                {
                    "rubrik": capfirst(vy.model._meta.verbose_name_plural),
                    "format": self.format.upper(),
                    "grans": settings.EXPORT_DIREKT_MAX,
                    "tillbaka": f"{request.path.rsplit('/', 1)[0]}/",
                },
            )
        filnamn = f"{vy.model._meta.app_label}-{timezone.localdate():%Y-%m-%d}"
        svar = xlsx_response if self.format == "xlsx" else csv_response
        forbered = vy.forbered_export
        if vy.model.LOGGA_LASNING:
            forbered = self.loggande(forbered)
        return svar(filtret.qs, vy.exportkolumner(), filnamn, forbered=forbered)

    def post(self, request, *args, **kwargs):
        """Start the export as a background job and show its page."""
        vy, filtret = self.urval(request, *args, **kwargs)
        if fel := filtret.fel():
            return ogiltigt_filter(fel)
        if not behorighet.personaluppdrag(request.user):
            raise PermissionDenied(_("Exporter i bakgrunden görs för den som har en roll."))
        jobb = exporter.starta(request.user, self.lista, request.GET.urlencode(), self.format)
        response = redirect("export", pk=jobb.pk)
        response.status_code = 303  # See Other: the job's page, fetched with GET
        return response

    def loggande(self, forbered):
        """Log every exported case of a type that logs reads, chunk by chunk as the rows
        are written."""

        def logga_och_forbered(chunk):
            Atkomstlogg.logga(
                self.request.user,
                chunk,
                Atkomstlogg.Handelse.EXPORT,
                f"{self.format.upper()} {self.request.GET.urlencode()}",
            )
            if forbered:
                forbered(chunk)

        return logga_och_forbered


class ExportSidaView(ArendeAtkomstMixin, exporter.ExportView):
    """An export job's page (its owner only; anyone else gets 404)."""


class ExportFilSidaView(ArendeAtkomstMixin, exporter.ExportFilView):
    """An export job's file (its owner only, until it expires)."""


class ArendeMixin(ArendeAtkomstMixin):
    """Fetch the case from the URL's number through the access module (else 404)."""

    model = None

    def get_queryset(self):
        return self.model.objects.for_user(self.request.user).select_related("enhet", "handlaggare")

    def get_object(self):
        if not hasattr(self, "_arende"):
            self._arende = get_object_or_404(self.get_queryset(), nummer=self.kwargs["nummer"])
        return self._arende


class ArendeDetailView(StepPageMixin, ArendeMixin, TemplateView):
    """A case with its steps, timeline, attachments, actions, links and history.

    Status-changing steps are offered in `overgangar`; steps that keep the status in
    `steps` by name, for the page's template to place; each improvement action's steps in
    its `mojliga`. After a refused request the page is shown again (`show_again`) with the
    bound forms in place of blank ones."""

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data())

    def extra_context_for(self, arende):
        """Case-type specific context for the page (override)."""
        return {}

    def registret(self):
        """Where the record belongs: its URL namespace, and its list's name and address
        (a case type's from `arendetyper`; a record that is not a case overrides)."""
        typ = arendetyper.for_modell(self.model)
        return {"arende_ns": f"{typ.namespace}:", "listnamn": typ.namn, "lista_url": typ.lista_url}

    def lankar(self, arende):
        """The case's links, each with its other end's number and address if the user may
        see that case; else neither (nor the link's comment) is shown. The other ends'
        visibility is decided in one query for all the links (`synliga_poster`)."""
        lankar = list(CaseLink.for_arende(arende).prefetch_related(None))
        andar = [lank.andra_anden(arende) for lank in lankar]
        synliga = behorighet.synliga_poster(self.request.user, andar)
        self.dolda_nummer = _nummer([ande for ande in andar if ande not in synliga])
        rader = []
        for lank, ande in zip(lankar, andar, strict=True):
            nummer = synliga.get(ande)
            url = None
            if nummer is not None:
                # The address is built from the number alone, as every case's is.
                modell = ContentType.objects.get_for_id(ande[0]).model_class()
                url = modell(pk=ande[1], nummer=nummer).get_absolute_url()
            rader.append(
                {
                    "lank": lank,
                    "etikett": lank.etikett(lank.ar_fran(arende)),
                    "nummer": nummer,
                    "url": url,
                }
            )
        return rader

    def get_context_data(self, **overrides):
        arende = self.get_object()
        user = self.request.user
        bound = overrides.pop("bound", {})
        ct = ContentType.objects.get_for_model(self.model)
        kan_hantera = behorighet.kan_hantera(user, arende)
        kan_kommentera = behorighet.kan_kommentera(user, arende)
        atgarder = list(
            Atgard.objects.filter(content_type=ct, object_id=arende.pk).select_related(
                "ansvarig", "enhet"
            )
        )
        for atgard in atgarder:
            atgard.arende = arende
            atgard.mojliga = self.steps_on(atgard, bound, auto_id=f"atgard-{atgard.pk}-%s")
        steps = self.steps_on(arende, bound)
        historik = list(
            arende.history.select_related("history_user").order_by("history_date", "history_id")
        )
        andringar = []
        for forra, denna in zip([None, *historik[:-1]], historik, strict=True):
            falt = []
            if forra is not None:
                falt = [
                    self.model._meta.get_field(c.field).verbose_name
                    for c in denna.diff_against(forra).changes
                    if c.field not in ("uppdaterad", "uppdaterad_av")
                ]
            andringar.append({"rad": denna, "falt": falt})
        statusnamn = dict(self.model._meta.get_field("status").flatchoices)
        timeline = list(
            TimelineEntry.objects.filter(content_type=ct, object_id=arende.pk).select_related(
                "anvandare"
            )
        )
        links = self.lankar(arende)
        # The timeline names a linked case the user may not see as the links card does.
        dolt = (
            re.compile(r"\b(?:" + "|".join(map(re.escape, self.dolda_nummer)) + r")\b")
            if self.dolda_nummer
            else None
        )
        for h in timeline:
            h.fran_namn = statusnamn.get(h.fran_status, h.fran_status)
            h.till_namn = statusnamn.get(h.till_status, h.till_status)
            if dolt is not None:
                h.text = dolt.sub(str(_("ett ärende du inte har tillgång till")), h.text)
        context = {
            "arende": arende,
            **self.registret(),
            "typnamn": capfirst(self.model._meta.verbose_name),
            "timeline": timeline,
            "attachments": Attachment.objects.filter(content_type=ct, object_id=arende.pk),
            "atgarder": atgarder,
            "links": links,
            "historik": list(reversed(andringar)),
            "overgangar": [s for s in steps if s["t"].changes_status],
            "steps": {s["t"].name: s for s in steps if not s["t"].changes_status},
            "kan_hantera": kan_hantera,
            "kan_kommentera": kan_kommentera,
            # Ids unique on the page: several forms have a field of the same name.
            "kommentar_form": KommentarForm(auto_id="kommentar-%s"),
            "attachment_form": AttachmentForm(),
            "atgard_form": AtgardForm(arende=arende, auto_id="ny-atgard-%s")
            if kan_hantera and arende.ar_oppet
            else None,
            "link_form": LinkForm(user=user, arende=arende, auto_id="lank-%s")
            if kan_hantera
            else None,
            # Ways into the parts start from a case (an event), not from a risk.
            "delarnas_handlingar": delar.handlingar_pa(user, arende)
            if arendetyper.for_modell(self.model)
            else [],
            **self.extra_context_for(arende),
        }
        context.update(overrides)
        # Every showing of the page – also again after a refused step – is a reading.
        Atkomstlogg.logga(user, [arende], Atkomstlogg.Handelse.VISNING)
        return super().get_context_data(**context)


def _nummer(poster) -> set[str]:
    """The numbers of records given as (content type id, pk), of any types: one query
    (a union), as `behorighet.synliga_poster` decides their visibility."""
    per_typ = {}
    for ct_id, pk in poster:
        per_typ.setdefault(ct_id, set()).add(pk)
    fragor = [
        modell._default_manager.filter(pk__in=pks).order_by().values_list("nummer", flat=True)
        for ct_id, pks in sorted(per_typ.items())
        if (modell := ContentType.objects.get_for_id(ct_id).model_class()) is not None
    ]
    if not fragor:
        return set()
    return set(fragor[0].union(*fragor[1:], all=True) if len(fragor) > 1 else fragor[0])


class ArendeStepView(ArendeMixin, StepView):
    """A step of a case, at `<nummer>/<slug>/`."""

    def get_record(self):
        return self.get_object()


class ArendeActionView(ArendeMixin, View):
    """Base of the POST-only views adding to a case (comment, file, action, link): on
    invalid input the case page is shown again with the form and its errors."""

    http_method_names = ["post"]

    def check(self, allowed):
        if not allowed:
            raise PermissionDenied(_("Du har inte behörighet att göra detta."))

    def invalid(self, **forms):
        return show_again(self.request, self.get_object().get_absolute_url(), **forms)

    def tillbaka(self, meddelande):
        messages.success(self.request, meddelande)
        return redirect(self.get_object().get_absolute_url())


class KommentarView(ArendeActionView):
    def post(self, request, *args, **kwargs):
        arende = self.get_object()
        self.check(behorighet.kan_kommentera(request.user, arende))
        form = KommentarForm(request.POST, auto_id="kommentar-%s")
        if not form.is_valid():
            return self.invalid(kommentar_form=form)
        arende.log(TimelineEntry.Typ.KOMMENTAR, av=request.user, text=form.cleaned_data["text"])
        return self.tillbaka(_("Kommentaren är sparad."))


class AttachmentUploadView(ArendeActionView):
    def post(self, request, *args, **kwargs):
        arende = self.get_object()
        self.check(behorighet.kan_kommentera(request.user, arende))
        form = AttachmentForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.invalid(attachment_form=form)
        fil = form.cleaned_data["fil"]
        try:
            with transaction.atomic():
                Attachment.store(arende, fil, fil.innehallstyp, request.user)
        except ValidationError as exc:  # the file could not be stored (a full disk)
            fel_till_form(form, exc, alias={"bilaga": "fil"})
            return self.invalid(attachment_form=form)
        return self.tillbaka(_("Filen är bifogad."))


class AtgardCreateView(ArendeActionView):
    def post(self, request, *args, **kwargs):
        from kvalitet.notifieringar import notifiera

        arende = self.get_object()
        self.check(behorighet.kan_hantera(request.user, arende) and arende.ar_oppet)
        form = AtgardForm(request.POST, arende=arende, auto_id="ny-atgard-%s")
        if not form.is_valid():
            return self.invalid(atgard_form=form)
        with transaction.atomic():
            atgard = form.save(commit=False)
            atgard.content_type = ContentType.objects.get_for_model(type(arende))
            atgard.object_id = arende.pk
            atgard.enhet = arende.enhet
            atgard.skapad_av = request.user
            atgard._change_reason = "Skapad"
            atgard.save()
            arende.log(
                TimelineEntry.Typ.ATGARD,
                av=request.user,
                text=_("Ny åtgärd: %(titel)s (ansvarig %(vem)s, klar senast %(datum)s)")
                % {"titel": atgard.titel, "vem": atgard.ansvarig, "datum": atgard.forfallodatum},
            )
            notifiera(
                [atgard.ansvarig],
                "kvalitet/mejl/atgard_tilldelad.txt",
                {"atgard": atgard, "arende": arende},
                utom=request.user,
            )
        return self.tillbaka(_("Åtgärden är tillagd."))


class LinkView(ArendeActionView):
    def post(self, request, *args, **kwargs):
        arende = self.get_object()
        self.check(behorighet.kan_hantera(request.user, arende))
        form = LinkForm(request.POST, user=request.user, arende=arende, auto_id="lank-%s")
        if not form.is_valid():
            return self.invalid(link_form=form)
        with transaction.atomic():
            arende.lanka(
                form.cleaned_data["annat"],
                av=request.user,
                kommentar=form.cleaned_data["kommentar"],
            )
        return self.tillbaka(_("Länken är sparad."))


class LinkTaBortView(ArendeActionView):
    """Take back a link made by mistake: whoever may link the case, if they may also
    see the other case (a link to a case one cannot judge stays for those who can)."""

    def post(self, request, *args, **kwargs):
        arende = self.get_object()
        self.check(behorighet.kan_hantera(request.user, arende))
        lank = get_object_or_404(
            CaseLink.for_arende(arende).prefetch_related(None), pk=self.kwargs["lank"]
        )
        self.check(bool(behorighet.synliga_poster(request.user, [lank.andra_anden(arende)])))
        try:
            annat = arende.ta_bort_lank(lank, av=request.user)
        except ValidationError as exc:
            raise PermissionDenied(exc.messages[0]) from None
        return self.tillbaka(_("Länken till %(nummer)s är borttagen.") % {"nummer": annat.nummer})


class AtgardStepView(LoginRequiredMixin, StepView):
    """A step of an improvement action (shared by every case type), reached through the
    case it belongs to: not visible → 404."""

    def get_record(self):
        atgard = get_object_or_404(
            Atgard.objects.select_related("content_type"), pk=self.kwargs["pk"]
        )
        modell = atgard.content_type.model_class()
        arende = modell.objects.for_user(self.request.user).filter(pk=atgard.object_id).first()
        if arende is None:
            raise Http404
        atgard.arende = arende
        return atgard


def step_urls(modell, view, prefix, *, namn="", **initkwargs):
    """One URL per declared step of `modell`: `<prefix><slug>/`, named by the method
    (after `namn`)."""
    return [
        path(f"{prefix}{s.slug}/", view.as_view(step=s, **initkwargs), name=f"{namn}{s.name}")
        for s in steps_of(modell)
    ]


def arende_urls(model, *, detalj, lista):
    """The URL patterns every case type shares: the list and its exports, the detail
    page, comments, attachments, actions, links and every declared step, under
    `<nummer>/`. A case type puts its own pages (a report form ...) before these."""
    return [
        path("", lista.as_view(), name="lista"),
        path("export.csv", ArendeExportView.as_view(lista=lista, format="csv"), name="export_csv"),
        path(
            "export.xlsx", ArendeExportView.as_view(lista=lista, format="xlsx"), name="export_xlsx"
        ),
        path("<str:nummer>/", detalj.as_view(), name="detalj"),
        path("<str:nummer>/kommentar/", KommentarView.as_view(model=model), name="kommentar"),
        path(
            "<str:nummer>/bilagor/",
            AttachmentUploadView.as_view(model=model),
            name="attachment",
        ),
        path("<str:nummer>/atgarder/", AtgardCreateView.as_view(model=model), name="atgard"),
        path("<str:nummer>/lankar/", LinkView.as_view(model=model), name="link"),
        path(
            "<str:nummer>/lankar/<int:lank>/ta-bort/",
            LinkTaBortView.as_view(model=model),
            name="link_ta_bort",
        ),
        *step_urls(model, ArendeStepView, "<str:nummer>/", model=model),
    ]


def csrf_fel(request, reason=""):
    """A form refused for its CSRF token (CSRF_FAILURE_VIEW), on a page in the product's
    look that leads back to the page the form was on: the Referer if it is a page of
    this site, else the address posted to if it answers GET (not a comment's or a step's
    POST-only address), else the start page."""
    tillbaka = sidan_anvandaren_var_pa(request, request.headers.get("Referer"))
    if tillbaka is None:
        tillbaka = request.path if svarar_pa_get(request.path_info) else reverse("start")
    return render(request, "403_csrf.html", {"tillbaka": tillbaka}, status=403)
