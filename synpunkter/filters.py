"""List filters for synpunkter."""

from datetime import datetime, time, timedelta

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from avvikelser.filters import FilterForm
from kvalitet import behorighet
from kvalitet.models import Enhet

from .choices import OPPNA, Avsandare, Delegationsstatus, Kanal, Status, Typ
from .models import Kategori, Synpunkt


def _dagens_start(dag):
    return timezone.make_aware(datetime.combine(dag, time.min))


class SynpunktFilter(django_filters.FilterSet):
    """Filters of the list and its exports; the unit filter includes the subtree."""

    q = django_filters.CharFilter(label=_("Sök i text"), method="fritext", max_length=200)
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Status.choices, empty_label=_("Alla")
    )
    typ = django_filters.ChoiceFilter(label=_("Typ"), choices=Typ.choices, empty_label=_("Alla"))
    kanal = django_filters.ChoiceFilter(
        label=_("Kanal"), choices=Kanal.choices, empty_label=_("Alla")
    )
    avsandare = django_filters.ChoiceFilter(
        label=_("Avsändare"), choices=Avsandare.choices, empty_label=_("Alla")
    )
    enhet = django_filters.ModelChoiceFilter(
        label=_("Enhet (med underenheter)"),
        queryset=Enhet.objects.none(),
        method="med_underenheter",
        empty_label=_("Alla"),
    )
    kategori = django_filters.ModelChoiceFilter(
        label=_("Kategori"), queryset=Kategori.objects.all(), empty_label=_("Alla")
    )
    delegation = django_filters.ChoiceFilter(
        label=_("Klagomålsdelegationen"),
        field_name="delegation_status",
        choices=Delegationsstatus.choices,
        empty_label=_("Alla"),
    )
    forsenade = django_filters.BooleanFilter(
        label=_("Bara obesvarade efter tidsfristen"),
        method="bara_forsenade",
        widget=django_filters.widgets.forms.CheckboxInput,
    )
    fran = django_filters.DateFilter(label=_("Inkom från"), method="fran_datum")
    till = django_filters.DateFilter(label=_("Inkom till och med"), method="till_datum")

    class Meta:
        model = Synpunkt
        fields = [
            "q",
            "status",
            "typ",
            "kanal",
            "avsandare",
            "enhet",
            "kategori",
            "delegation",
            "forsenade",
            "fran",
            "till",
        ]
        form = FilterForm

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        enheter = behorighet.filterenheter(user, Synpunkt)
        self.filters["enhet"].queryset = enheter
        self.form.fields["enhet"].queryset = enheter
        self.form.fields["enhet"].label_from_instance = lambda e: e.indenterat_namn

    def fritext(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(nummer__iexact=value)
            | Q(diarienummer__iexact=value)
            | Q(beskrivning__icontains=value)
            | Q(svar__icontains=value)
        )

    def med_underenheter(self, queryset, name, value):
        return queryset.filter(enhet__sokvag__startswith=value.sokvag)

    def bara_forsenade(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            status__in=[s for s in OPPNA if s != Status.BESVARAD],
            tidsfrist__lt=timezone.localdate(),
        )

    def fran_datum(self, queryset, name, value):
        return queryset.filter(inkom__gte=_dagens_start(value))

    def till_datum(self, queryset, name, value):
        return queryset.filter(inkom__lt=_dagens_start(value + timedelta(days=1)))

    @property
    def qs(self):
        if self.is_bound and not self.form.is_valid():
            return self.queryset.none()
        return super().qs
