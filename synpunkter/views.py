"""Pages of the synpunkt case type: the public e-service and the staff side."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView

from kvalitet import begransning, behorighet
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

from .behorighet import ar_registrator, kan_se_kontaktuppgifter, ser_vantande_inlamningar
from .choices import Status
from .filters import SynpunktFilter
from .forms import PersonalForm, PublikForm, StatusForm
from .models import Inlamning, Synpunkt
from .tasks import vacka

# The public pages are branded for citizens; their logo leads back to the form.
PUBLIK = {"publik": True, "publik_url": reverse_lazy("synpunkter:lamna")}

# --- The public e-service ---------------------------------------------------------------


class LamnaView(FormView):
    """`/synpunkter/lamna/`: no login. Honeypot, rate limit, size limits; a rejected
    submission gets a clear message and saves nothing. An accepted one is saved as one
    row (`Inlamning`) and answered with the receipt in the same response – one request
    per submission, no session; the worker builds the synpunkt (bench/README.md, the
    load test)."""

    extra_context = PUBLIK
    template_name = "synpunkter/lamna.html"
    form_class = PublikForm

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if form.ar_bot():
            return self.avvisa(form, _("Ditt meddelande kunde inte skickas. Försök igen."))
        giltig = form.is_valid()  # no queries: the units offered are kept (forms.py)
        inlamning = None
        # The rate limit's row and the submission in one transaction: one commit (one
        # WAL flush) per submission. A refused or invalid submission still commits its
        # row; only an unexpected error (a 500) rolls it back too.
        try:
            with transaction.atomic():
                tillaten = begransning.tillat(
                    request, "synpunkt", settings.SYNPUNKT_GRANS_PER_TIMME, timedelta(hours=1)
                )
                if tillaten and giltig:
                    try:
                        inlamning = Inlamning.ta_emot(**form.inlamning())
                    except ValidationError as exc:  # the attachment could not be stored
                        fel_till_form(form, exc)
        except IntegrityError:
            # The same form sent again (a reload of the receipt, a double click): the
            # receipt of its first submission, which is all that was saved.
            inlamning = Inlamning.objects.filter(nyckel=form.cleaned_data["nyckel"]).first()
            if inlamning is None:
                raise
            return self.kvitto(inlamning, igen=True)
        if not tillaten:
            # A reload of a receipt is not a new submission, whatever the limit says.
            if giltig:
                skickad = Inlamning.objects.filter(nyckel=form.cleaned_data["nyckel"]).first()
                if skickad is not None:
                    return self.kvitto(skickad, igen=True)
            return self.avvisa(
                form,
                _(
                    "Du har skickat många meddelanden på kort tid. Vänta en stund och försök "
                    "igen, eller ring kommunens kontaktcenter."
                ),
                status=429,
            )
        if inlamning is None:
            return self.avvisa(form)
        vacka(inlamning)
        return self.kvitto(inlamning)

    def kvitto(self, inlamning, igen=False):
        """The receipt, as the answer to the POST. Never cached: it shows the
        citizen's reference."""
        svar = TemplateResponse(
            self.request,
            "synpunkter/kvitto.html",
            {**PUBLIK, "kvitto": inlamning.kvitto, "igen": igen},
        )
        add_never_cache_headers(svar)
        return svar

    def avvisa(self, form, meddelande=None, status=400):
        form.is_valid()  # validate so the page shows every field's problems too
        if meddelande:
            form.add_error(None, meddelande)
        return self.render_to_response(self.get_context_data(form=form), status=status)


@method_decorator(never_cache, name="dispatch")
class StatusView(FormView):
    """Ask about a submission with its reference number and date; shows the status only.
    Never cached: the answer shows the reference and what became of it."""

    extra_context = PUBLIK
    template_name = "synpunkter/status.html"
    form_class = StatusForm

    def form_valid(self, form):
        if not begransning.tillat(self.request, "synpunkt-status", 30, timedelta(hours=1)):
            form.add_error(None, _("För många försök. Vänta en stund och försök igen."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        dag, referens = form.cleaned_data["datum"], form.cleaned_data["referens"]
        # The Swedish calendar day (23 or 25 hours when the clocks change).
        start, slut = (
            timezone.make_aware(datetime.combine(d, time.min)) for d in (dag, dag + timedelta(1))
        )
        synpunkt = (
            Synpunkt.objects.filter(referens=referens, inkom__gte=start, inkom__lt=slut)
            .only("status", "inkom", "besvarad", "svarssatt", "tidsfrist")
            .first()
        )
        if synpunkt is None:
            # Received, and not yet built into a synpunkt by the worker.
            inlamning = (
                Inlamning.objects.vantande()
                .filter(referens=referens, mottagen__gte=start, mottagen__lt=slut)
                .only("mottagen")
                .first()
            )
            synpunkt = inlamning.som_synpunkt() if inlamning else None
        if synpunkt is None:
            form.add_error(
                None,
                _("Vi hittar inget med det referensnumret och datumet. Kontrollera uppgifterna."),
            )
            return self.render_to_response(self.get_context_data(form=form), status=404)
        return self.render_to_response(self.get_context_data(form=form, synpunkt=synpunkt))

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


# --- Staff ------------------------------------------------------------------------------


class InlamningKrav(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not ser_vantande_inlamningar(request.user):
            raise PermissionDenied(_("Sidan är för registratorer och administratörer."))
        return super().dispatch(request, *args, **kwargs)


class InlamningarView(InlamningKrav, TemplateView):
    """E-service submissions not built into synpunkter after a failure or for longer
    than expected (`Inlamning.objects.fastnade`), oldest first, with "Försök igen"."""

    template_name = "synpunkter/inlamningar.html"

    def get_context_data(self, **kwargs):
        fastnade = Inlamning.objects.fastnade().order_by("mottagen", "pk")
        return super().get_context_data(
            inlamningar=list(fastnade.only("referens", "mottagen", "forsok", "senaste_fel")),
            **kwargs,
        )


class ForsokBygganView(InlamningKrav, View):
    """POST: build one waiting submission now, in the request."""

    http_method_names = ["post"]

    def post(self, request, pk):
        inlamning = get_object_or_404(Inlamning, pk=pk)
        if inlamning.byggd is None and Inlamning.forsok_bygga(pk):
            inlamning.refresh_from_db()
            messages.success(
                request,
                _("%(referens)s är nu %(nr)s och väntar i inkorgen.")
                % {"referens": inlamning.referens, "nr": inlamning.synpunkt.nummer},
            )
        elif inlamning.byggd is not None:
            messages.info(
                request, _("%(referens)s är redan registrerad.") % {"referens": inlamning.referens}
            )
        else:
            messages.error(
                request,
                _("%(referens)s kunde inte heller nu tas emot. Felet står i listan.")
                % {"referens": inlamning.referens},
            )
        return redirect("synpunkter:inlamningar")


class NyView(NyttArendeView):
    """Staff register a synpunkt received another way than the e-service."""

    template_name = "synpunkter/ny.html"
    form_class = PersonalForm
    nekad = gettext_lazy("Du har ingen roll som registrerar synpunkter.")

    def form_valid(self, form):
        try:
            synpunkt = form.ta_emot(av=self.request.user)
        except ValidationError as exc:
            fel_till_form(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(nr)s är registrerad och väntar på registratorn.") % {"nr": synpunkt.nummer},
        )
        return redirect(synpunkt.get_absolute_url())


def enhetsnamn(synpunkt):
    """The unit, or that it is not yet routed (the submitter did not know it)."""
    if synpunkt.enhet_okand and synpunkt.status == Status.INKOMMEN:
        return _("Ej fördelad")
    return synpunkt.enhet.namn


class ListaView(ArendeListaView):
    model = Synpunkt
    filterset_class = SynpunktFilter
    relaterade = ("enhet", "kategori")
    template_name = "synpunkter/lista.html"
    listkolumner = [
        (gettext_lazy("Nummer"), nummerlank),
        (gettext_lazy("Sammanfattning"), sammanfattning),
        (gettext_lazy("Inkom"), datum("inkom")),
        (gettext_lazy("Typ"), lambda s: s.get_typ_display()),
        (gettext_lazy("Kanal"), lambda s: s.get_kanal_display()),
        (gettext_lazy("Enhet"), enhetsnamn),
        (gettext_lazy("Svara senast"), datum("tidsfrist")),
        (gettext_lazy("Status"), statusmarke),
    ]

    def rad_markerad(self, synpunkt):
        return bool(synpunkt.ar_forsenat and not synpunkt.besvarad)

    def get_context_data(self, **kwargs):
        return super().get_context_data(ar_registrator=ar_registrator(self.request.user), **kwargs)

    def exportkolumner(self):
        """Export columns (no contact details: exports leave the system). Of the texts,
        only what the synpunkt is about: not those written in handling it – the answer to
        the complainant, the improvement, the delegation's note, the answer to IVO.
        IVO's fields come where the case page has them: after the answer, before the
        klagomålsdelegation."""
        return [
            Kolumn(_("Ärendenummer"), "nummer"),
            Kolumn(_("Diarienummer"), "diarienummer"),
            Kolumn(_("Typ"), "typ"),
            Kolumn(_("Kanal"), "kanal"),
            Kolumn(_("Avsändare"), "avsandare"),
            Kolumn(_("Status"), "status"),
            Kolumn(_("Enhet"), "enhet__namn"),
            Kolumn(_("Kategori"), "kategori__namn"),
            Kolumn(_("Inkom"), "inkom"),
            Kolumn(_("Tidsfrist"), "tidsfrist"),
            Kolumn(_("Besvarad"), "besvarad"),
            Kolumn(_("Svaret lämnades"), "svarssatt"),
            Kolumn(_("Vad gäller det"), "beskrivning"),
            Kolumn(_("Brustit"), "brustit"),
            Kolumn(_("Ledde till förbättring"), "ledde_till_forbattring"),
            Kolumn(_("IVO:s diarienummer"), "ivo_diarienummer"),
            Kolumn(_("IVO skickade"), "ivo_skickad"),
            Kolumn(_("IVO vill ha svar senast"), "ivo_svar_senast"),
            Kolumn(_("IVO besvarad"), "ivo_besvarad"),
            Kolumn(_("Klagomålsdelegationen"), "delegation_status"),
            Kolumn(_("Avslutad"), "avslutad"),
        ]


class InkorgView(ListaView):
    """The registrator's inbox: new submissions waiting to be registered and routed."""

    template_name = "kvalitet/lista.html"

    def rubrik(self):
        return _("Inkorg – att registrera")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not ar_registrator(request.user):
            raise PermissionDenied(_("Inkorgen är registratorns."))
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return super().get_queryset().filter(status=Status.INKOMMEN)

    def filterset(self):
        filtret = super().filterset()
        filtret.form.fields.pop("status")  # the inbox holds only new submissions
        return filtret


class DetaljView(ArendeDetailView):
    model = Synpunkt
    template_name = "synpunkter/detalj.html"

    def get_queryset(self):
        return super().get_queryset().select_related("kategori", "skapad_av")

    def extra_context_for(self, arende):
        user = self.request.user
        return {
            "visa_kontakt": kan_se_kontaktuppgifter(user, arende),
            "kan_skapa_avvikelse": (
                arende.status == Status.AVSLUTAD
                and arende.brustit
                and behorighet.kan_rapportera(user)
                and not CaseLink.objects.filter(
                    typ=CaseLink.Typ.SKAPAD_FRAN, till_typ=arende.content_type, till_id=arende.pk
                ).exists()
            ),
        }
