"""Filters of the control occasions' list."""

import django_filters
from django.utils.translation import gettext_lazy as _

from kvalitet.filters import ArendeFilterSet

from .choices import Bedomning, Tillfallestatus
from .models import Kontrolltillfalle


class TillfalleFilter(ArendeFilterSet):
    ar = django_filters.NumberFilter(
        label=_("År"), field_name="kontroll__plan__ar", min_value=2000, max_value=2100
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Tillfallestatus.choices, empty_label=_("Alla")
    )
    bedomning = django_filters.ChoiceFilter(
        label=_("Bedömning"), choices=Bedomning.choices, empty_label=_("Alla")
    )

    class Meta(ArendeFilterSet.Meta):
        model = Kontrolltillfalle
        fields = ["q", "ar", "enhet", "status", "bedomning"]
