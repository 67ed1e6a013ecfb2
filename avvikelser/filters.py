"""List filters for avvikelser."""

from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kvalitet import behorighet
from kvalitet.forms import KvalitetFormMixin
from kvalitet.models import Enhet

from .choices import Status, Typ
from .models import Avvikelse, Kategori


class FilterForm(KvalitetFormMixin, forms.Form):
    pass


def _dagens_start(dag):
    return timezone.make_aware(datetime.combine(dag, time.min))


class AvvikelseFilter(django_filters.FilterSet):
    """Filters of the list and its exports; the unit filter includes the subtree."""

    q = django_filters.CharFilter(label=_("Sök i text"), method="fritext", max_length=200)
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Status.choices, empty_label=_("Alla")
    )
    typ = django_filters.ChoiceFilter(label=_("Typ"), choices=Typ.choices, empty_label=_("Alla"))
    enhet = django_filters.ModelChoiceFilter(
        label=_("Enhet (med underenheter)"),
        queryset=Enhet.objects.none(),
        method="med_underenheter",
        empty_label=_("Alla"),
    )
    kategori = django_filters.ModelChoiceFilter(
        label=_("Kategori"), queryset=Kategori.objects.all(), empty_label=_("Alla")
    )
    fran = django_filters.DateFilter(label=_("Rapporterad från"), method="fran_datum")
    till = django_filters.DateFilter(label=_("Rapporterad till och med"), method="till_datum")

    class Meta:
        model = Avvikelse
        fields = ["q", "status", "typ", "enhet", "kategori", "fran", "till"]
        form = FilterForm

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        enheter = self.filters["enhet"]
        enheter.queryset = behorighet.filterenheter(user, Avvikelse)
        self.form.fields["enhet"].queryset = enheter.queryset
        self.form.fields["enhet"].label_from_instance = lambda e: e.indenterat_namn

    def fritext(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(nummer__iexact=value)
            | Q(beskrivning__icontains=value)
            | Q(konsekvenser__icontains=value)
            | Q(analys__icontains=value)
        )

    def med_underenheter(self, queryset, name, value):
        return queryset.filter(enhet__sokvag__startswith=value.sokvag)

    def fran_datum(self, queryset, name, value):
        return queryset.filter(rapporterad__gte=_dagens_start(value))

    def till_datum(self, queryset, name, value):
        return queryset.filter(rapporterad__lt=_dagens_start(value + timedelta(days=1)))

    @property
    def qs(self):
        # An invalid filter (e.g. another user's unit id) shows nothing rather than everything.
        if self.is_bound and not self.form.is_valid():
            return self.queryset.none()
        return super().qs
