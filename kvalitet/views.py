"""Shared pages (start, search, attachment download) and the generic case views every
case type builds on: detail page, transitions, comments, attachments, actions, links."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from kvalitet import arendetyper, behorighet
from kvalitet.export import csv_response, xlsx_response
from kvalitet.forms import (
    AtgardForm,
    BilagaForm,
    KommentarForm,
    LankForm,
    hitta_arende,
)
from kvalitet.lib.sidor import BegransadPaginator
from kvalitet.models import ATGARD_OPPNA, Atgard, Attachment, CaseLink, TimelineEntry
from kvalitet.workflow import TransitionNotAllowed, available_transitions, transitions_of

# --- Shared pages -------------------------------------------------------------------


class ArendeAtkomstMixin(LoginRequiredMixin):
    """Pages of case records. The nämnd sees reports only, never case records
    (DOMAIN.md §3): a nämnd-only account is refused here whatever the case."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and behorighet.ser_bara_rapporter(request.user):
            return self.bara_rapporter()
        return super().dispatch(request, *args, **kwargs)

    def bara_rapporter(self):
        raise PermissionDenied(_("Nämnden ser rapporterna, inte enskilda ärenden."))


class StartView(ArendeAtkomstMixin, TemplateView):
    """ "Mina ärenden": what waits for me (overdue first), my actions, my own reports."""

    template_name = "kvalitet/start.html"
    MAX_RADER = 50

    def bara_rapporter(self):
        return redirect("rapporter:lista")

    def get_context_data(self, **kwargs):
        user = self.request.user
        sektioner = []
        for typ in arendetyper.alla():
            synliga = typ.modell.objects.for_user(user).select_related("enhet")
            vantar = list(
                typ.vantar_pa(user, synliga).order_by(
                    models.F("tidsfrist").asc(nulls_last=True), "pk"
                )[: self.MAX_RADER]
            )
            egna = list(typ.egna(user, synliga).order_by(f"-{typ.datumfalt}", "-pk")[:10])
            if vantar or egna:
                sektioner.append({"typ": typ, "vantar": vantar, "egna": egna})
        atgarder = list(
            Atgard.objects.filter(ansvarig=user, status__in=ATGARD_OPPNA)
            .select_related("enhet")
            .prefetch_related("arende")
            .order_by("forfallodatum", "pk")[: self.MAX_RADER]
        )
        return super().get_context_data(
            sektioner=sektioner,
            atgarder=atgarder,
            kan_rapportera=behorighet.kan_rapportera(user),
            **kwargs,
        )


class SokView(ArendeAtkomstMixin, View):
    """Find a case by its number; only cases the user may see are found."""

    def get(self, request):
        nummer = request.GET.get("nummer", "").strip().upper()[:30]
        arende = hitta_arende(request.user, nummer) if nummer else None
        if arende is not None:
            return redirect(arende.get_absolute_url())
        if nummer:
            messages.warning(
                request,
                _("Hittade inget ärende med numret %(nr)s som du har tillgång till.")
                % {"nr": nummer},
            )
        else:
            messages.warning(request, _("Skriv ett ärendenummer, till exempel AVV-2026-0042."))
        return redirect("start")


class BilagaView(LoginRequiredMixin, View):
    """Stream an attachment after checking the user may see its case."""

    def get(self, request, pk):
        bilaga = get_object_or_404(Attachment.objects.select_related("content_type"), pk=pk)
        modell = bilaga.content_type.model_class()
        if (
            modell is None
            or not modell.objects.for_user(request.user).filter(pk=bilaga.object_id).exists()
        ):
            raise Http404
        response = FileResponse(
            bilaga.fil.open("rb"),
            as_attachment=True,
            filename=bilaga.filnamn,
            content_type=bilaga.innehallstyp,
        )
        response["Cache-Control"] = "private, no-store"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response


# --- Generic case views ----------------------------------------------------------------


class ArendeListaMixin(ArendeAtkomstMixin):
    """The filtered list of visible cases, shared by a case type's list page and exports."""

    model = None
    filterset_class = None
    ordning = ("-skapad", "-pk")
    relaterade = ("enhet",)

    def get_queryset(self):
        return (
            self.model.objects.for_user(self.request.user)
            .select_related(*self.relaterade)
            .order_by(*self.ordning)
        )

    def filterset(self):
        return self.filterset_class(
            self.request.GET or None, queryset=self.get_queryset(), user=self.request.user
        )


class ArendeListaView(ArendeListaMixin, TemplateView):
    """List page with filters (htmx swaps only the results), capped pagination."""

    template_name = "kvalitet/lista.html"
    resultat_mall = None
    rubrik = ""
    PER_SIDA = 25

    def get_template_names(self):
        if self.request.htmx and self.request.htmx.target == "resultat":
            return [self.resultat_mall]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        filtret = self.filterset()
        sida = BegransadPaginator(filtret.qs, self.PER_SIDA).get_page(self.request.GET.get("sida"))
        params = self.request.GET.copy()
        params.pop("sida", None)
        return super().get_context_data(
            filter=filtret,
            sida=sida,
            params=params.urlencode(),
            rubrik=self.rubrik,
            resultat_mall=self.resultat_mall,
            kan_rapportera=behorighet.kan_rapportera(self.request.user),
            **kwargs,
        )


class ArendeExportView(ArendeListaMixin, View):
    """The filtered list as CSV or XLSX; subclasses give `kolumner()` and may give
    `forbered(chunk)` to load related data per chunk."""

    format = "csv"
    filnamn = "arenden"

    def kolumner(self):
        raise NotImplementedError

    forbered = None

    def get(self, request, *args, **kwargs):
        filnamn = f"{self.filnamn}-{timezone.localdate():%Y-%m-%d}"
        svar = xlsx_response if self.format == "xlsx" else csv_response
        return svar(self.filterset().qs, self.kolumner(), filnamn, forbered=self.forbered)


class ArendeMixin(ArendeAtkomstMixin):
    """Fetch the case from the URL's number through the access module (else 404)."""

    model = None
    template_name = None

    def get_queryset(self):
        return self.model.objects.for_user(self.request.user).select_related("enhet", "handlaggare")

    def get_object(self):
        if not hasattr(self, "_arende"):
            self._arende = get_object_or_404(self.get_queryset(), nummer=self.kwargs["nummer"])
        return self._arende


class ArendeDetailView(ArendeMixin, TemplateView):
    """A case with its timeline, attachments, actions, links and history.

    Action views subclass it: on invalid input they render this page again with the
    bound form and its errors, so the user never loses what they typed.
    """

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data())

    def extra_forms(self, arende):
        """Case-type specific forms for the page (override)."""
        return {}

    def get_context_data(self, **overrides):
        arende = self.get_object()
        user = self.request.user
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
            atgard.mojliga = available_transitions(user, atgard)
        overgangar = []
        for t in available_transitions(user, arende):
            form = overrides.pop(f"overgang_{t.name}", None)
            overgangar.append({"t": t, "form": form or t.make_form(obj=arende, user=user)})
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
        tidslinje = list(
            TimelineEntry.objects.filter(content_type=ct, object_id=arende.pk).select_related(
                "anvandare"
            )
        )
        for h in tidslinje:
            h.fran_namn = statusnamn.get(h.fran_status, h.fran_status)
            h.till_namn = statusnamn.get(h.till_status, h.till_status)
        context = {
            "arende": arende,
            "arende_ns": f"{self.request.resolver_match.namespace}:",
            "tidslinje": tidslinje,
            "bilagor": Attachment.objects.filter(content_type=ct, object_id=arende.pk),
            "atgarder": atgarder,
            "lankar": [
                {"lank": lank, "annat": lank.till if lank.fran == arende else lank.fran}
                for lank in CaseLink.for_arende(arende)
            ],
            "historik": list(reversed(andringar)),
            "overgangar": overgangar,
            "kan_hantera": kan_hantera,
            "kan_kommentera": kan_kommentera,
            "kommentar_form": KommentarForm(),
            "bilaga_form": BilagaForm(),
            "atgard_form": AtgardForm(arende=arende) if kan_hantera and arende.ar_oppet else None,
            "lank_form": LankForm(user=user, arende=arende) if kan_hantera else None,
            **self.extra_forms(arende),
        }
        context.update(overrides)
        return super().get_context_data(**context)

    def invalid(self, **forms):
        """Render the page again with the bound, invalid form(s)."""
        return self.render_to_response(self.get_context_data(**forms), status=400)

    def tillbaka(self, meddelande=None):
        if meddelande:
            messages.success(self.request, meddelande)
        return HttpResponseRedirect(self.get_object().get_absolute_url())


class ArendeActionView(ArendeDetailView):
    """Base of the POST-only views acting on a case."""

    http_method_names = ["post"]

    def check(self, allowed):
        if not allowed:
            raise PermissionDenied(_("Du har inte behörighet att göra detta."))


class TransitionView(ArendeActionView):
    """POST to a transition's own URL; runs the guarded model method."""

    transition = None  # the Transition spec

    def post(self, request, *args, **kwargs):
        arende = self.get_object()
        t = self.transition
        form = t.make_form(request.POST, obj=arende, user=request.user)
        if form is not None and not form.is_valid():
            return self.invalid(**{f"overgang_{t.name}": form})
        try:
            getattr(arende, t.name)(av=request.user, **(form.cleaned_data if form else {}))
        except TransitionNotAllowed as exc:
            messages.error(request, str(exc))
            return self.tillbaka()
        except ValidationError as exc:
            if form is None:
                for fel in exc.messages:
                    messages.error(request, fel)
            else:
                fel_till_form(form, exc)
                return self.invalid(**{f"overgang_{t.name}": form})
            return self.invalid()
        return self.tillbaka(
            _("%(arende)s: %(atgard)s klart.") % {"arende": arende.nummer, "atgard": t.label}
        )


def fel_till_form(form, exc, alias=None):
    """Put a model ValidationError's messages on the form's fields (or the form)."""
    alias = alias or {}
    fel = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
    for falt, meddelanden in fel.items():
        falt = alias.get(falt, falt)
        for m in meddelanden:
            form.add_error(falt if falt in form.fields else None, m)


class KommentarView(ArendeActionView):
    def post(self, request, *args, **kwargs):
        arende = self.get_object()
        self.check(behorighet.kan_kommentera(request.user, arende))
        form = KommentarForm(request.POST)
        if not form.is_valid():
            return self.invalid(kommentar_form=form)
        arende.logga(TimelineEntry.Typ.KOMMENTAR, av=request.user, text=form.cleaned_data["text"])
        return self.tillbaka(_("Kommentaren är sparad."))


class BilagaUploadView(ArendeActionView):
    def post(self, request, *args, **kwargs):
        arende = self.get_object()
        self.check(behorighet.kan_kommentera(request.user, arende))
        form = BilagaForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.invalid(bilaga_form=form)
        fil = form.cleaned_data["fil"]
        with transaction.atomic():
            Attachment.spara(arende, fil, fil.innehallstyp, request.user)
        return self.tillbaka(_("Filen är bifogad."))


class AtgardCreateView(ArendeActionView):
    def post(self, request, *args, **kwargs):
        from kvalitet.notifieringar import notifiera

        arende = self.get_object()
        self.check(behorighet.kan_hantera(request.user, arende) and arende.ar_oppet)
        form = AtgardForm(request.POST, arende=arende)
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
            arende.logga(
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


class LankView(ArendeActionView):
    def post(self, request, *args, **kwargs):
        arende = self.get_object()
        self.check(behorighet.kan_hantera(request.user, arende))
        form = LankForm(request.POST, user=request.user, arende=arende)
        if not form.is_valid():
            return self.invalid(lank_form=form)
        with transaction.atomic():
            arende.lanka(
                form.cleaned_data["annat"],
                CaseLink.Typ.LIKNANDE,
                av=request.user,
                kommentar=form.cleaned_data["kommentar"],
            )
        return self.tillbaka(_("Ärendena är länkade."))


class AtgardTransitionView(LoginRequiredMixin, View):
    """POST to an improvement action's transition URL (shared by every case type)."""

    transition = None

    def post(self, request, pk):
        atgard = get_object_or_404(Atgard.objects.select_related("content_type"), pk=pk)
        modell = atgard.content_type.model_class()
        arende = modell.objects.for_user(request.user).filter(pk=atgard.object_id).first()
        if arende is None:
            raise Http404
        atgard.arende = arende
        t = self.transition
        form = t.make_form(request.POST, obj=atgard, user=request.user)
        if form is not None and not form.is_valid():
            for fel in form.errors.values():
                messages.error(request, " ".join(fel))
            return redirect(arende.get_absolute_url() + f"#atgard-{atgard.pk}")
        try:
            getattr(atgard, t.name)(av=request.user, **(form.cleaned_data if form else {}))
        except (TransitionNotAllowed, ValidationError) as exc:
            for fel in getattr(exc, "messages", [str(exc)]):
                messages.error(request, fel)
        else:
            messages.success(request, _("Åtgärden är uppdaterad."))
        return redirect(arende.get_absolute_url() + f"#atgard-{atgard.pk}")


def _med(action, detail_view, **initkwargs):
    """The action view combined with a case type's detail view (for re-rendering)."""
    return type(f"{detail_view.__name__}{action.__name__}", (action, detail_view), {}).as_view(
        **initkwargs
    )


def arende_urls(model, detail_view):
    """URL patterns shared by every case type: detail page, transitions, comments,
    attachments, actions and links, all under `<nummer>/`."""
    patterns = [
        path("<str:nummer>/", detail_view.as_view(), name="detalj"),
        path("<str:nummer>/kommentar/", _med(KommentarView, detail_view), name="kommentar"),
        path("<str:nummer>/bilagor/", _med(BilagaUploadView, detail_view), name="bilaga"),
        path("<str:nummer>/atgarder/", _med(AtgardCreateView, detail_view), name="atgard"),
        path("<str:nummer>/lankar/", _med(LankView, detail_view), name="lank"),
    ]
    for t in transitions_of(model):
        patterns.append(
            path(
                f"<str:nummer>/{t.slug}/",
                _med(TransitionView, detail_view, transition=t),
                name=t.name,
            )
        )
    return patterns
