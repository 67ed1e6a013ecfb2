"""List filters for synpunkter."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kvalitet.filters import ArendeFilterSet, FilterForm

from .choices import OBESVARADE, Avsandare, Delegationsstatus, Kanal, Status, Typ
from .models import Kategori, Synpunkt


class SynpunktFilter(ArendeFilterSet):
    """Filters of the list and its exports."""

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

    def bara_forsenade(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(status__in=OBESVARADE, tidsfrist__lt=timezone.localdate())
