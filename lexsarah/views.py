"""Pages of the lex Sarah case type: the rapport form, the case page (whole for the
people in the flow, status and feedback for the reporter), the list and its export,
the registrator's diarium, the access log, and opening a case from a marked record."""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from kvalitet import arendetyper, behorighet, liknande
from kvalitet.export import Kolumn, etikett
from kvalitet.forms import fel_till_form
from kvalitet.lib.sidor import BegransadPaginator
from kvalitet.models import Atkomstlogg, CaseLink
from kvalitet.views import (
    ArendeAtkomstMixin,
    ArendeDetailView,
    ArendeListaView,
    NyttArendeView,
    datum,
    nummerlank,
    sammanfattning,
    statusmarke,
)

from . import behorighet as regler
from .choices import IvoUtfall, Kalla, Klassning, Vag
from .filters import LexSarahFilter
from .forms import RapportForm
from .models import LexSarah

# The way in a rapport started from another case took, by that case's part.
VAG_FRAN = {
    "avvikelser": Vag.AVVIKELSE,
    "synpunkter": Vag.SYNPUNKT,
    "internkontroll": Vag.KONTROLL,
}


class RapporteraView(NyttArendeView):
    """The lex Sarah rapport (`/lexsarah/ny/`), for any staff member; `?fran=NUMMER`
    starts it from a case the user may see (a synpunkt where the service failed), which
    it is linked to."""

    template_name = "lexsarah/rapportera.html"
    form_class = RapportForm
    nekad = gettext_lazy("Du har ingen roll i personalen och kan inte rapportera.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def kalla(self):
        if not hasattr(self, "_kalla"):
            nummer = (self.request.POST.get("fran") or self.request.GET.get("fran") or "").strip()
            hittad = (
                arendetyper.hitta_post(self.request.user, nummer.upper()[:30]) if nummer else None
            )
            # A case of another type, or a record that says what kind of source it is (a
            # control's result); not a risk, not another lex Sarah case.
            kan_vara_kalla = arendetyper.for_modell(type(hittad)) or hasattr(
                hittad, "LEX_SARAH_KALLA"
            )
            self._kalla = None if isinstance(hittad, LexSarah) or not kan_vara_kalla else hittad
        return self._kalla

    def get_initial(self):
        kalla = self.kalla()
        if kalla is None:
            return super().get_initial()
        # A record may say what kind of source it is (a control's result: "kontroll").
        return {"enhet": kalla.enhet_id, "kalla": getattr(kalla, "LEX_SARAH_KALLA", Kalla.KOLLEGA)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(kalla=self.kalla(), **kwargs)

    def form_valid(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "bilaga"}
        kalla = self.kalla()
        vag = Vag.RAPPORT
        if kalla is not None:
            vag = VAG_FRAN.get(kalla._meta.app_label, Vag.RAPPORT)
        elif data.get("kalla") == Kalla.UTFORARE:
            vag = Vag.UTFORARE
        elif data.get("kalla") == Kalla.KONTROLL:
            vag = Vag.KONTROLL
        try:
            ls = LexSarah.rapportera(
                av=self.request.user,
                bilaga=form.cleaned_data.get("bilaga"),
                kalla_arende=kalla,
                vag=vag,
                **data,
            )
        except ValidationError as exc:
            fel_till_form(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _(
                "Tack! Din rapport är registrerad som %(nr)s. Enhetschefen och "
                "förvaltningschefen har fått ett meddelande."
            )
            % {"nr": ls.nummer},
        )
        return redirect(ls.get_absolute_url())


def _far_fritext(user):
    """Free text in an export only for the rows the user handles (docs/behorighet.md)."""

    def varde(falt):
        def hamta(ls):
            return getattr(ls, falt) if behorighet.kan_hantera(user, ls) else ""

        return hamta

    return varde


def _ser_hela(user):
    """A column's value only on the rows the user sees whole: the reporter and an
    action's owner see a case's status, not its classification, decision or IVO."""

    def kolumn(funktion):
        def varde(ls):
            return funktion(ls) if ls.ser_hela(user) else ""

        return varde

    return kolumn


class ListaView(ArendeListaView):
    model = LexSarah
    filterset_class = LexSarahFilter
    relaterade = ("enhet",)
    template_name = "lexsarah/lista.html"

    @property
    def listkolumner(self):
        """The list's columns: the classification only where the user sees the case
        whole; the summary where they see it whole or reported it."""
        user = self.request.user
        hela = _ser_hela(user)

        def egen_eller_hela(ls):
            return (
                sammanfattning(ls) if ls.rapporterad_av_id == user.pk else hela(sammanfattning)(ls)
            )

        return [
            (gettext_lazy("Nummer"), nummerlank),
            (gettext_lazy("Sammanfattning"), egen_eller_hela),
            (gettext_lazy("Rapporterad"), datum("rapporterad")),
            (gettext_lazy("Enhet"), lambda a: a.enhet.namn),
            (gettext_lazy("Klassning"), hela(lambda a: a.get_klassning_display() or "–")),
            (gettext_lazy("Status"), statusmarke),
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            kan_lasa_atkomstloggen=regler.kan_lasa_atkomstloggen(self.request.user), **kwargs
        )

    def exportkolumner(self):
        """What the user sees of a case varies by row (`_ser_hela`, `_far_fritext`): those
        columns are computed in Python, so lex Sarah exports have no COPY path."""
        fritext = _far_fritext(self.request.user)
        hela = _ser_hela(self.request.user)

        def dold(rubrik, funktion):
            return Kolumn(rubrik, berakna=hela(funktion))

        return [
            Kolumn(_("Ärendenummer"), "nummer"),
            Kolumn(_("Status"), "status"),
            Kolumn(_("Enhet"), "enhet__namn"),
            Kolumn(_("Rapporterad"), "rapporterad"),
            dold(_("Händelsedatum"), lambda a: a.handelsedatum),
            dold(_("Inleddes genom"), etikett("vag", Vag.choices)),
            Kolumn(_("Beslut om utredning"), "utredning_inledd"),
            dold(_("Klassning"), etikett("klassning", Klassning.choices)),
            dold(_("Beslutad"), lambda a: a.beslutad),
            dold(_("Diarienummer"), lambda a: a.diarienummer),
            dold(_("Anmäld till IVO"), lambda a: a.ivo_anmald),
            dold(_("IVO:s diarienummer"), lambda a: a.ivo_diarienummer),
            dold(_("IVO:s beslut"), lambda a: a.ivo_beslut),
            dold(_("IVO:s utfall"), etikett("ivo_utfall", IvoUtfall.choices)),
            dold(_("Uppföljd"), lambda a: a.uppfoljd),
            Kolumn(_("Avslutad"), "avslutad"),
            Kolumn(_("Vad har hänt (handläggare)"), berakna=fritext("beskrivning")),
            Kolumn(_("Bakomliggande orsaker (handläggare)"), berakna=fritext("orsaker")),
            Kolumn(_("Bedömning (handläggare)"), berakna=fritext("bedomning")),
        ]


class DetaljView(ArendeDetailView):
    model = LexSarah
    template_name = "lexsarah/detalj.html"

    def get_queryset(self):
        return super().get_queryset().select_related("rapporterad_av", "anonym_godkand_av")

    def get_template_names(self):
        if not self.object.ser_hela(self.request.user):
            return ["lexsarah/rapportor.html"]
        return super().get_template_names()

    def extra_context_for(self, arende):
        self.object = arende
        user = self.request.user
        lankade = liknande.lankade(arende, CaseLink.Typ.LIKNANDE)
        return {
            "frister": arende.frister(),
            "liknande_lankade": liknande_rader(user, lankade),
            "dokument": list(arende.dokument.all()),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The reporter's page shows an action owner their own actions only, and no card
        # when they own none (it showed an empty "Dina åtgärder").
        context["egna_atgarder"] = [
            a for a in context.get("atgarder", ()) if a.ansvarig_id == self.request.user.pk
        ]
        return context


def liknande_rader(user, poster):
    """The linked similar events as the investigation shows them: number, and a link
    where the user may open the case."""
    synliga = behorighet.synliga_poster(user, poster)
    # One query per case type, not per linked case.
    per_typ = {}
    for ct_id, pk in poster:
        per_typ.setdefault(ct_id, set()).add(pk)
    hamtade = {}
    for ct_id, pks in per_typ.items():
        modell = ContentType.objects.get_for_id(ct_id).model_class()
        if modell is None:
            continue
        for annat in modell._default_manager.select_related("enhet").filter(pk__in=pks):
            hamtade[(ct_id, annat.pk)] = annat
    rader = []
    for ct_id, pk in poster:
        arende = hamtade.get((ct_id, pk))
        if arende is None:
            continue
        rader.append(
            {
                "arende": arende,
                "datum": getattr(arende, arende.DATUMFALT),
                "url": arende.get_absolute_url() if (ct_id, pk) in synliga else "",
            }
        )
    return rader


class FranArendeView(ArendeAtkomstMixin, View):
    """Open the lex Sarah case of a record the förvaltningschef judged a lex Sarah
    matter, by hand: the fallback should the signal's receiver ever have failed. Opening
    it twice opens one case."""

    http_method_names = ["post"]

    def post(self, request, nummer):
        kalla = arendetyper.hitta_arende(request.user, nummer.upper()[:30])
        if kalla is None or isinstance(kalla, LexSarah):
            raise Http404
        if not regler.kan_besluta(request.user, kalla):
            raise PermissionDenied(_("Förvaltningschefen öppnar lex Sarah-ärendet."))
        if not getattr(kalla, "lex_sarah_aktuell", False):
            messages.error(
                request, _("%(nr)s är inte bedömt som ett lex Sarah-ärende.") % {"nr": kalla}
            )
            return redirect(kalla.get_absolute_url())
        with transaction.atomic():
            ls = LexSarah.fran_arende(kalla, av=request.user, vag=Vag.AVVIKELSE)
        messages.success(request, _("Lex Sarah-ärendet är %(nr)s.") % {"nr": ls.nummer})
        return redirect(ls.get_absolute_url())


class DiariumView(ArendeAtkomstMixin, TemplateView):
    """The metadata of every lex Sarah case – number, unit, dates, status, diarienummer –
    for the registrator's diarium; no text of the case."""

    template_name = "lexsarah/diarium.html"
    per_sida = 50

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not regler.kan_se_diarium(request.user):
            raise PermissionDenied(_("Diariet över lex Sarah-ärenden är för registrator."))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        qs = (
            LexSarah.objects.select_related("enhet")
            .only(
                "nummer",
                "enhet__namn",
                "rapporterad",
                "status",
                "diarienummer",
                "beslutad",
                "ivo_anmald",
                "ivo_diarienummer",
                "avslutad",
            )
            .order_by("-rapporterad", "-pk")
        )
        sida = BegransadPaginator(qs, self.per_sida).get_page(self.request.GET.get("sida"))
        return super().get_context_data(sida=sida, **kwargs)


class AtkomstloggView(ArendeAtkomstMixin, TemplateView):
    """Who read which lex Sarah case, when and how (the kvalitetssamordnare)."""

    template_name = "lexsarah/atkomstlogg.html"
    per_sida = 100

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not regler.kan_lasa_atkomstloggen(request.user):
            raise PermissionDenied(_("Åtkomstloggen läses av kvalitetssamordnaren."))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        qs = Atkomstlogg.objects.filter(
            content_type=ContentType.objects.get_for_model(LexSarah)
        ).select_related("anvandare")
        nummer = self.request.GET.get("nummer", "").strip().upper()[:20]
        if nummer:
            qs = qs.filter(nummer=nummer)
        sida = BegransadPaginator(qs, self.per_sida).get_page(self.request.GET.get("sida"))
        params = f"nummer={nummer}" if nummer else ""
        return super().get_context_data(sida=sida, nummer=nummer, params=params, **kwargs)
