"""Filters of the register's list and of the riskanalyser."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kvalitet.filters import ArendeFilterSet
from kvalitet.forms import ej_framtid

from . import register
from .choices import Analysstatus, Kalla, Kategori, Status, Strategi
from .models import Risk, Riskanalys
from .skala import Skala, skala


class RiskFilter(ArendeFilterSet):
    """The register on a day (default today) with each risk's values on that day, or the
    proposals waiting for the nämnd, or the removed risks; by unit, category, strategy,
    free text and – from the matrix – a cell of sannolikhet and konsekvens."""

    REGISTER, FORSLAG, BORTTAGNA = "register", "forslag", "borttagna"

    visa = django_filters.ChoiceFilter(
        label=_("Visa"),
        choices=[
            (REGISTER, _("Risker i registret")),
            (FORSLAG, _("Förslag som väntar på nämndens beslut")),
            (BORTTAGNA, _("Borttagna risker")),
        ],
        empty_label=None,
        method="ingen",
    )
    datum = django_filters.DateFilter(
        label=_("Registret som det såg ut den"),
        method="ingen",
        validators=[ej_framtid],
        help_text=_("Tomt: i dag."),
    )
    kategori = django_filters.ChoiceFilter(
        label=_("Kategori"), choices=Kategori.choices, empty_label=_("Alla")
    )
    strategi = django_filters.ChoiceFilter(
        label=_("Strategi"), choices=Strategi.choices, empty_label=_("Alla")
    )
    # A step of the scale in force (read when the choices are, so a changed scale
    # counts), chosen here or by a cell of the matrix.
    sannolikhet = django_filters.ChoiceFilter(
        label=_("Sannolikhet"),
        choices=lambda: Skala.steg(skala().sannolikhet),
        empty_label=_("Alla"),
        method="ingen",
    )
    konsekvens = django_filters.ChoiceFilter(
        label=_("Konsekvens"),
        choices=lambda: Skala.steg(skala().konsekvens),
        empty_label=_("Alla"),
        method="ingen",
    )

    class Meta(ArendeFilterSet.Meta):
        model = Risk
        fields = ["q", "visa", "datum", "enhet", "kategori", "strategi"]

    def __init__(self, data=None, *args, **kwargs):
        # Unbound (no query string), django-filter applies no filter at all: the list
        # would show every proposal and removed risk. The default view (the register
        # today) is itself a filter, so the set is always bound.
        super().__init__({} if data is None else data, *args, **kwargs)

    @property
    def qs(self):
        qs = super().qs
        if self.is_bound and not self.form.is_valid():
            # Nothing (an invalid filter shows nothing), but with the register's values,
            # so the matrix of the same selection counts it rather than failing.
            return register.per(qs, timezone.localdate())
        return qs

    def ingen(self, queryset, name, value):
        return queryset  # applied together in filter_queryset

    def filter_queryset(self, queryset):
        qs = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        visa = data.get("visa") or self.REGISTER
        if visa == self.REGISTER:
            qs = register.per(qs, data.get("datum") or timezone.localdate())
            falt, ordning = ("s_dag", "k_dag"), ("-varde_dag", "nummer")
        else:
            status = Status.FORESLAGEN if visa == self.FORSLAG else Status.BORTTAGEN
            qs = qs.filter(status=status)
            falt, ordning = ("sannolikhet", "konsekvens"), ("-riskvarde", "nummer")
        for namn, modellfalt in zip(("sannolikhet", "konsekvens"), falt, strict=True):
            if data.get(namn):
                qs = qs.filter(**{modellfalt: int(data[namn])})
        return qs.order_by(*ordning)


class AnalysFilter(ArendeFilterSet):
    utlosande = django_filters.ChoiceFilter(
        label=_("Anledning"), choices=Kalla.choices, empty_label=_("Alla")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Analysstatus.choices, empty_label=_("Alla")
    )

    class Meta(ArendeFilterSet.Meta):
        model = Riskanalys
        fields = ["q", "enhet", "utlosande", "status"]
