"""List filters for avvikelser."""

import django_filters
from django.utils.translation import gettext_lazy as _

from kvalitet.filters import ArendeFilterSet, FilterForm

from .choices import Status, Typ
from .models import Avvikelse, Kategori


class AvvikelseFilter(ArendeFilterSet):
    """Filters of the list and its exports."""

    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Status.choices, empty_label=_("Alla")
    )
    typ = django_filters.ChoiceFilter(label=_("Typ"), choices=Typ.choices, empty_label=_("Alla"))
    kategori = django_filters.ModelChoiceFilter(
        label=_("Kategori"), queryset=Kategori.objects.all(), empty_label=_("Alla")
    )

    class Meta:
        model = Avvikelse
        fields = ["q", "status", "typ", "enhet", "kategori", "fran", "till"]
        form = FilterForm
