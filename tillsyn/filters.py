"""List filters for IVO's tillsyn."""

import django_filters
from django.utils.translation import gettext_lazy as _

from kvalitet.filters import ArendeFilterSet, FilterForm

from .choices import Status, Utfall
from .models import Tillsyn


class TillsynFilter(ArendeFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Status.choices, empty_label=_("Alla")
    )
    utfall = django_filters.ChoiceFilter(
        label=_("Utfall"), choices=Utfall.choices, empty_label=_("Alla")
    )

    class Meta:
        model = Tillsyn
        fields = ["q", "status", "utfall", "enhet", "fran", "till"]
        form = FilterForm
