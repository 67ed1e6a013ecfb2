"""The API's endpoints (docs/api.md).

Every case is reached as on the pages: through the model manager's access door
(`for_user`, i.e. `kvalitet.behorighet.synliga`), filtered by the list page's own
FilterSet, paged by a cursor. Not visible → 404; visible but not allowed → 403. Reads of
a type that logs reads (lex Sarah) are logged as a page view is. New avvikelser and
synpunkter are made by the page's own form and creation path, once per caller's
`extern_id`."""

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.filters import BaseFilterBackend
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.viewsets import GenericViewSet

from avvikelser.choices import Typ as AvvikelseTyp
from avvikelser.filters import AvvikelseFilter
from avvikelser.forms import RapportForm
from avvikelser.models import Avvikelse
from internkontroll.filters import TillfalleFilter
from internkontroll.models import Kontrolltillfalle
from kvalitet import behorighet
from kvalitet.forms import fel_till_form, ja_nej
from kvalitet.models import Atkomstlogg
from lexsarah.filters import LexSarahFilter
from lexsarah.models import LexSarah
from processer.filters import ProcessFilter
from processer.models import Nyckeltal, Nyckeltalsvarde, Process, Processhandelse
from rapporter import behorighet as rapportbehorighet
from rapporter import siffror
from rapporter.models import FORSTA_AR, Kvalitetsberattelse, standard_brytdatum
from riskregister.filters import RiskFilter
from riskregister.models import Risk
from synpunkter.filters import SynpunktFilter
from synpunkter.forms import PersonalForm
from synpunkter.models import Synpunkt
from tillsyn.filters import TillsynFilter
from tillsyn.models import Tillsyn

from . import serializers as s
from .auth import SerArenden, Skrivbehorighet
from .fel import ForStorBegaran
from .models import Intag
from .schema import FELSVAR

EXTERN_ID_MAX = 100
# The largest body the intake takes: the form's texts at their longest are far less.
INTAG_MAX_BYTES = 1_000_000


# --- Filters ------------------------------------------------------------------------------


def _fel_per_falt(errors) -> dict[str, list[str]]:
    return {falt: [str(m) for m in meddelanden] for falt, meddelanden in errors.items()}


class ListfilterBackend(BaseFilterBackend):
    """The list page's FilterSet (`<app>/filters.py`) with the caller as its user: the
    same filters, the same units offered. An invalid filter is refused (400, per field)
    rather than answered with an empty list."""

    def filter_queryset(self, request, queryset, view):
        filtret = view.filterset_class(
            request.query_params or None, queryset=queryset, user=request.user
        )
        if filtret.is_bound and not filtret.form.is_valid():
            raise exceptions.ValidationError(_fel_per_falt(filtret.form.errors))
        return filtret.qs

    def get_schema_operation_parameters(self, view):
        """The FilterSet's filters as query parameters of the schema."""
        import django_filters

        parametrar = []
        for namn, filter_ in view.filterset_class.base_filters.items():
            schema = {"type": "string"}
            if isinstance(filter_, django_filters.ModelChoiceFilter):
                schema = {"type": "integer"}
            elif isinstance(filter_, django_filters.DateFilter):
                schema = {"type": "string", "format": "date"}
            elif isinstance(filter_, django_filters.BooleanFilter):
                schema = {"type": "boolean"}
            elif isinstance(filter_, django_filters.ChoiceFilter):
                val = filter_.extra["choices"]
                val = val() if callable(val) else val  # read when asked (the risk scale)
                schema = {"type": "string", "enum": [str(k) for k, _v in val]}
            etikett = str(filter_.label or namn)
            if namn in ("fran", "till"):
                etikett = _("Datum från") if namn == "fran" else _("Datum till och med")
            parametrar.append(
                {
                    "name": namn,
                    "required": False,
                    "in": "query",
                    "description": etikett,
                    "schema": schema,
                }
            )
        return parametrar


# --- Cases ------------------------------------------------------------------------------


NYCKEL = OpenApiParameter(
    "nyckel",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="Ärendenumret (AVV-2026-0042) eller ärendets id.",
)


class ArendeViewSet(GenericViewSet):
    """A case type's list and single case (and, where a form is given, the intake)."""

    model = None
    filterset_class = None
    serializer_class = None
    detalj_serializer = None
    relaterade = ("enhet",)
    # What the list's and a single record's serializers read besides the records
    # (prefetch_related): a constant number of queries however many there are.
    lista_prefetch = ()
    detalj_prefetch = ()
    filter_backends = [ListfilterBackend]
    lookup_url_kwarg = "nyckel"

    def get_permissions(self):
        return [*super().get_permissions(), SerArenden(), Skrivbehorighet()]

    def get_queryset(self):
        qs = self.model.objects.for_user(self.request.user).select_related(*self.relaterade)
        if self.action == "retrieve":
            qs = qs.prefetch_related(*self.detalj_prefetch)
        elif self.action == "list":
            qs = qs.prefetch_related(*self.lista_prefetch)
        return qs

    def get_serializer_class(self):
        if self.action in ("retrieve", "create"):
            return self.detalj_serializer
        return self.serializer_class

    def get_object(self):
        nyckel = self.kwargs["nyckel"].strip()[:30]
        qs = self.get_queryset()
        # An id is all digits; a number never is (it has its type's prefix).
        qs = qs.filter(pk=int(nyckel)) if nyckel.isdigit() else qs.filter(nummer=nyckel.upper())
        arende = qs.first()
        if arende is None:
            raise exceptions.NotFound(
                _("Ärendet finns inte, eller så har du inte tillgång till det.")
            )
        return arende

    def list(self, request, *args, **kwargs):
        sida = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        # A page of a type that logs reads is a reading of each case on it, as an export's
        # rows are (docs/behorighet.md).
        Atkomstlogg.logga(
            request.user,
            sida,
            Atkomstlogg.Handelse.VISNING,
            detalj=f"API-lista {request.GET.urlencode()}"[:300],
        )
        return self.get_paginated_response(self.get_serializer(sida, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        arende = self.get_object()
        Atkomstlogg.logga(request.user, [arende], Atkomstlogg.Handelse.VISNING, detalj="API")
        return Response(self.get_serializer(arende).data)


def _schema(namn, en, lista, detalj, *, intag=None):
    """The schema of a case type's endpoints: its serializers and the error shape."""
    lista_doc = extend_schema(
        summary=_("Lista %(namn)s") % {"namn": namn},
        description=_(
            "De %(namn)s du ser på sidorna, med listans filter, nyast först, sida för sida "
            "med en markör (cursor)."
        )
        % {"namn": namn},
        responses={200: lista, **FELSVAR},
    )
    detalj_doc = extend_schema(
        summary=en,
        parameters=[NYCKEL],
        responses={200: detalj, **FELSVAR},
    )
    dekor = {"list": lista_doc, "retrieve": detalj_doc}
    if intag is not None:
        dekor["create"] = extend_schema(
            summary=_("Lämna ett ärende från ett annat system"),
            description=_(
                "Samma fält och kontroller som formuläret på sidan, och extern_id: "
                "anroparens eget id. Samma extern_id igen ger samma ärende (200), "
                "inte ett nytt."
            ),
            request=intag,
            responses={201: detalj, 200: detalj, **FELSVAR},
        )

    def dekorera(cls):
        from drf_spectacular.utils import extend_schema_view

        return extend_schema_view(**dekor)(cls)

    return dekorera


# --- Intake -----------------------------------------------------------------------------


class IntagMixin:
    """`POST`: a new case made by the page's form and creation path, idempotent by the
    caller's `extern_id`.

    The body is the form's fields as JSON (no attachment), plus `extern_id`. Every field
    is checked for its JSON type before the form sees it (a number where text is asked
    for, a list, true for a unit's id), unknown fields are refused, then the form gives
    its own Swedish messages. The same `extern_id` from the same person and case type
    again returns the case made the first time (200), also when two such requests race:
    the unique constraint lets one commit, the other's case is rolled back with its
    number, timeline entry and notifications, and it answers with the winner's case."""

    formular = None  # the page's form class
    url_namn = ""  # the API's URL name of one case of the type
    typ = ""  # the case type's name in `Intag`
    nekad = ""  # why someone who does not report is refused

    def formularet(self, data):
        return self.formular(data=data, user=self.request.user)

    def skapa(self, form):
        raise NotImplementedError

    def create(self, request, *args, **kwargs):
        if not behorighet.kan_rapportera(request.user):
            raise exceptions.PermissionDenied(self.nekad)
        if request.content_type.split(";")[0].strip().lower() != "application/json":
            # A form post's body may already be read by a middleware, and would then
            # arrive here empty instead of refused.
            raise exceptions.UnsupportedMediaType(request.content_type)
        try:
            langd = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            langd = 0
        if langd > INTAG_MAX_BYTES:
            raise ForStorBegaran(
                _("Begäran är för stor: högst %(kb)d kB.") % {"kb": INTAG_MAX_BYTES // 1000}
            )
        data = request.data
        if not isinstance(data, dict):
            raise exceptions.ValidationError(
                {"non_field_errors": [_("Skicka ett JSON-objekt med ärendets fält.")]}
            )
        extern_id = self._extern_id(data)
        befintlig = self._befintlig(extern_id)
        if befintlig is not None:
            return befintlig
        falt = {k: v for k, v in data.items() if k != "extern_id"}
        form = self.formularet(falt)
        self._kontrollera_typer(form, falt)
        if not form.is_valid():
            raise exceptions.ValidationError(_fel_per_falt(form.errors))
        try:
            with transaction.atomic():
                arende = self.skapa(form)
                Intag.objects.create(
                    anvandare=request.user,
                    typ=self.typ,
                    extern_id=extern_id,
                    content_type=ContentType.objects.get_for_model(self.model),
                    object_id=arende.pk,
                )
        except DjangoValidationError as exc:
            fel_till_form(form, exc)
            raise exceptions.ValidationError(_fel_per_falt(form.errors)) from None
        except IntegrityError:
            # The same extern_id committed first by a concurrent request: its case stands.
            befintlig = self._befintlig(extern_id)
            if befintlig is None:
                raise
            return befintlig
        return self._svar(arende, status.HTTP_201_CREATED)

    def _extern_id(self, data):
        varde = data.get("extern_id")
        if varde is None or (isinstance(varde, str) and not varde.strip()):
            fel = _("Ange extern_id: ert eget id för ärendet, så att ett nytt försök inte "
                    "skapar det två gånger.")  # fmt: skip
        elif not isinstance(varde, str):
            fel = _("extern_id ska vara text (en JSON-sträng).")
        elif len(varde.strip()) > EXTERN_ID_MAX:
            fel = _("extern_id får vara högst %(max)d tecken.") % {"max": EXTERN_ID_MAX}
        else:
            return varde.strip()
        raise exceptions.ValidationError({"extern_id": [fel]})

    def _befintlig(self, extern_id):
        intag = Intag.objects.filter(
            anvandare=self.request.user, typ=self.typ, extern_id=extern_id
        ).first()
        if intag is None:
            return None
        arende = self.get_queryset().filter(pk=intag.object_id).first()
        if arende is None:
            raise exceptions.NotFound(
                _("Ärendet som skapades med detta extern_id finns inte längre för dig.")
            )
        return self._svar(arende, status.HTTP_200_OK)

    def _svar(self, arende, kod):
        arende = self.get_queryset().get(pk=arende.pk)
        kontext = self.get_serializer_context()
        svar = Response(self.detalj_serializer(arende, context=kontext).data, status=kod)
        svar["Location"] = self.request.build_absolute_uri(
            reverse(f"api:{self.url_namn}", args=[arende.nummer])
        )
        return svar

    @staticmethod
    def _ja_nej(falt) -> bool:
        """A yes/no field: a checkbox, or radio buttons coerced to a boolean."""
        if isinstance(falt, forms.BooleanField):
            return True
        return isinstance(falt, forms.TypedChoiceField) and falt.coerce is ja_nej

    def _kontrollera_typer(self, form, data):
        """Refuse what JSON can say but a form field cannot mean, before the form
        turns it into something else (123 into "123", true into the unit with id 1)."""
        fel = {}
        for namn, varde in data.items():
            falt = form.fields.get(namn)
            if falt is None or isinstance(falt, forms.FileField):
                fel[namn] = [_("Okänt fält.")]
            elif varde is None or varde == "":
                continue  # the form says whether the field is required
            elif isinstance(varde, dict | list):
                fel[namn] = [_("Ange ett enda värde, inte en lista eller ett objekt.")]
            elif isinstance(falt, forms.ModelChoiceField):
                if isinstance(varde, bool) or not isinstance(varde, int | str):
                    fel[namn] = [_("Ange id:t som ett heltal.")]
            elif self._ja_nej(falt):
                if not isinstance(varde, bool):
                    fel[namn] = [_("Svara true eller false.")]
            elif not isinstance(varde, str):
                fel[namn] = [_("Ange värdet som text (en JSON-sträng).")]
        if fel:
            raise exceptions.ValidationError(fel)


# --- The case types -------------------------------------------------------------------


AVVIKELSE_IN = inline_serializer(
    "AvvikelseIn",
    {
        "extern_id": serializers.CharField(max_length=EXTERN_ID_MAX),
        "typ": serializers.ChoiceField(choices=AvvikelseTyp.choices),
        "enhet": serializers.IntegerField(help_text="En enhet du får rapportera för."),
        "handelsedatum": serializers.DateField(),
        "handelsetid": serializers.TimeField(required=False),
        "upptackt_datum": serializers.DateField(required=False),
        "upptackt_hur": serializers.CharField(required=False),
        "beror_enskild": serializers.BooleanField(),
        "beskrivning": serializers.CharField(max_length=10_000),
        "konsekvenser": serializers.CharField(required=False, max_length=10_000),
        "omedelbara_atgarder": serializers.CharField(required=False, max_length=10_000),
        "arbetsskadeanmalan": serializers.BooleanField(required=False, allow_null=True),
        "kategori": serializers.IntegerField(required=False),
    },
)


@_schema(
    "avvikelser",
    "En avvikelse",
    s.AvvikelseSerializer,
    s.AvvikelseDetaljSerializer,
    intag=AVVIKELSE_IN,
)
class AvvikelseViewSet(IntagMixin, ArendeViewSet):
    model = Avvikelse
    filterset_class = AvvikelseFilter
    serializer_class = s.AvvikelseSerializer
    detalj_serializer = s.AvvikelseDetaljSerializer
    relaterade = ("enhet", "kategori")
    formular = RapportForm
    typ = "avvikelse"
    url_namn = "avvikelse"
    nekad = gettext_lazy("Du har ingen roll som rapporterar avvikelser.")
    detalj_prefetch = ("orsaksomraden",)

    def skapa(self, form):
        # As avvikelser.views.RapporteraView: the model's own filing (number, timeline,
        # the enhetschef's notification through the outbox).
        data = {k: v for k, v in form.cleaned_data.items() if k != "bilaga"}
        return Avvikelse.rapportera(av=self.request.user, bilaga=None, **data)


SYNPUNKT_IN = inline_serializer(
    "SynpunktIn",
    {
        "extern_id": serializers.CharField(max_length=EXTERN_ID_MAX),
        "kanal": serializers.CharField(
            help_text="Hur den kom in: epost, brev, telefon, besok, via_ivo eller annat."
        ),
        "avsandare": serializers.CharField(),
        "typ": serializers.CharField(),
        "inkom": serializers.DateField(),
        "beskrivning": serializers.CharField(max_length=10_000),
        "enhet": serializers.IntegerField(required=False, allow_null=True),
        "anonym": serializers.BooleanField(),
        "namn": serializers.CharField(required=False, max_length=200),
        "epost": serializers.EmailField(required=False),
        "telefon": serializers.CharField(required=False, max_length=20),
        "vill_ha_svar": serializers.BooleanField(required=False),
        "ivo_diarienummer": serializers.CharField(required=False, max_length=40),
        "ivo_skickad": serializers.DateField(required=False),
        "ivo_svar_senast": serializers.DateField(required=False),
    },
)


@_schema(
    "synpunkter", "En synpunkt", s.SynpunktSerializer, s.SynpunktDetaljSerializer, intag=SYNPUNKT_IN
)
class SynpunktViewSet(IntagMixin, ArendeViewSet):
    model = Synpunkt
    filterset_class = SynpunktFilter
    serializer_class = s.SynpunktSerializer
    detalj_serializer = s.SynpunktDetaljSerializer
    relaterade = ("enhet", "kategori")
    formular = PersonalForm
    typ = "synpunkt"
    url_namn = "synpunkt"
    nekad = gettext_lazy("Du har ingen roll som registrerar synpunkter.")

    def formularet(self, data):
        return self.formular(data=data)

    def skapa(self, form):
        # As synpunkter.views.NyView: the staff form's own receiving.
        return form.ta_emot(av=self.request.user)


@_schema(
    "lex Sarah-ärenden", "Ett lex Sarah-ärende", s.LexSarahSerializer, s.LexSarahDetaljSerializer
)
class LexSarahViewSet(ArendeViewSet):
    model = LexSarah
    filterset_class = LexSarahFilter
    serializer_class = s.LexSarahSerializer
    detalj_serializer = s.LexSarahDetaljSerializer


@_schema("tillsyner", "En tillsyn", s.TillsynSerializer, s.TillsynDetaljSerializer)
class TillsynViewSet(ArendeViewSet):
    model = Tillsyn
    filterset_class = TillsynFilter
    serializer_class = s.TillsynSerializer
    detalj_serializer = s.TillsynDetaljSerializer


@_schema("risker", "En risk", s.RiskSerializer, s.RiskDetaljSerializer)
class RiskViewSet(ArendeViewSet):
    """The risk register as its list page gives it: by default the register today, each
    risk with its values on that day; `datum` the register as it stood then, `visa` the
    proposals or the removed risks instead."""

    model = Risk
    filterset_class = RiskFilter
    serializer_class = s.RiskSerializer
    detalj_serializer = s.RiskDetaljSerializer
    detalj_prefetch = ("bedomningar",)


@_schema(
    "kontrolltillfällen",
    "Ett kontrolltillfälle",
    s.KontrolltillfalleSerializer,
    s.KontrolltillfalleDetaljSerializer,
)
class KontrolltillfalleViewSet(ArendeViewSet):
    """The internkontroll's occasions and their results, each with its row of the plan."""

    model = Kontrolltillfalle
    filterset_class = TillfalleFilter
    serializer_class = s.KontrolltillfalleSerializer
    detalj_serializer = s.KontrolltillfalleDetaljSerializer
    relaterade = ("enhet", "kontroll__plan", "kontroll__risk", "kontroll__utforare_enhet")


@_schema("processer", "En process", s.ProcessSerializer, s.ProcessDetaljSerializer)
class ProcessViewSet(ArendeViewSet):
    """The process map as its list gives it (the units' processes and those of the units
    above a chef's, staben all), each with its key figures' targets and results year by
    year (a dashboard reads them in one call); one process also with its goals and what
    was mapped, revised and published."""

    model = Process
    filterset_class = ProcessFilter
    serializer_class = s.ProcessSerializer
    detalj_serializer = s.ProcessDetaljSerializer
    # The years and the events oldest first.
    lista_prefetch = (
        Prefetch(
            "nyckeltal",
            Nyckeltal.objects.prefetch_related(
                Prefetch("varden", Nyckeltalsvarde.objects.order_by("ar"))
            ),
        ),
    )
    detalj_prefetch = (
        *lista_prefetch,
        Prefetch("handelser", Processhandelse.objects.order_by("datum", "pk")),
    )


# --- Figures and reports -----------------------------------------------------------------


class RapportBehorighet(BasePermission):
    """The report figures and decided reports: the roles that read the reports
    (kvalitetssamordnare, förvaltningschef, nämnd; rapporter.behorighet)."""

    def has_permission(self, request, view):
        if not rapportbehorighet.kan_se_rapporter(request.user):
            raise exceptions.PermissionDenied(
                _(
                    "Rapporternas siffror och kvalitetsberättelserna läses av "
                    "kvalitetssamordnaren, förvaltningschefen och nämnden."
                )
            )
        return True


# What of each chapter the API gives: counts and code-list names only. Left out: the
# approved anonymised lex Sarah summaries (text, not figures), and the chapters that list
# records one by one (the processes and their goals and key figures, IVO's tillsyn, the
# risk register, internkontroll, actions; all but the actions are read as records:
# /api/v1/processer/, /api/v1/tillsyn/, /api/v1/risker/, /api/v1/kontroller/).
SIFFERKAPITEL = {
    "avvikelser": siffror.avvikelser_siffror,
    "synpunkter": siffror.synpunkter_siffror,
    "lexsarah": siffror.lexsarah_siffror,
}
UTELAMNAS = {"lexsarah": ("sammanfattningar",)}


SIFFROR_UT = inline_serializer(
    "Siffror",
    {
        "ar": serializers.IntegerField(),
        "brytdatum": serializers.DateField(),
        "avvikelser": serializers.DictField(),
        "synpunkter": serializers.DictField(),
        "lexsarah": serializers.DictField(),
    },
)


class SiffrorView(APIView):
    """A year's figures as the kvalitetsberättelse counts them (docs/siffror.md): the
    same functions (rapporter.siffror), the same cut-off (31 January after the year, or
    today), the same small-number rule for lex Sarah (`visa_fordelningar`). Aggregates
    only: no case, no person, no free text."""

    def get_permissions(self):
        return [*super().get_permissions(), RapportBehorighet()]

    @extend_schema(
        summary=_("Årets siffror"),
        parameters=[OpenApiParameter("ar", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses={200: SIFFROR_UT, **FELSVAR},
    )
    def get(self, request, ar):
        idag = timezone.localdate()
        if not FORSTA_AR <= ar <= idag.year:
            raise exceptions.NotFound(
                _("Det finns inga siffror för %(ar)s: ange ett år från %(forsta)s till %(nu)s.")
                % {"ar": ar, "forsta": FORSTA_AR, "nu": idag.year}
            )
        brytdatum = standard_brytdatum(ar)
        svar = {"ar": ar, "brytdatum": brytdatum.isoformat()}
        for namn, funktion in SIFFERKAPITEL.items():
            kapitel = funktion(ar, brytdatum)
            for falt in UTELAMNAS.get(namn, ()):
                kapitel.pop(falt, None)
            svar[namn] = kapitel
        return Response(svar)


class RapportViewSet(GenericViewSet):
    """The decided kvalitetsberättelser (decided = `beslutade()`: in force, or replaced
    by a later version): their decision and a link to the PDF's download page, whoever
    may read reports. Drafts are not in the API."""

    serializer_class = s.RapportSerializer
    lookup_url_kwarg = "pk"

    def get_permissions(self):
        return [*super().get_permissions(), RapportBehorighet()]

    def get_queryset(self):
        return Kvalitetsberattelse.objects.for_user(self.request.user).beslutade()

    @extend_schema(
        summary=_("Beslutade kvalitetsberättelser"),
        responses={200: s.RapportSerializer(many=True), **FELSVAR},
    )
    def list(self, request):
        sida = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(sida, many=True).data)

    @extend_schema(
        summary=_("En beslutad kvalitetsberättelse"),
        responses={200: s.RapportSerializer, **FELSVAR},
    )
    def retrieve(self, request, pk):
        rapport = self.get_queryset().filter(pk=pk).first()
        if rapport is None:
            raise exceptions.NotFound(
                _("Det finns ingen beslutad kvalitetsberättelse med det id:t för dig.")
            )
        return Response(self.get_serializer(rapport).data)
