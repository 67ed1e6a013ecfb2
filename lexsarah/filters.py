"""List filters for lex Sarah cases."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kvalitet.filters import ArendeFilterSet, FilterForm

from .choices import Klassning, Status
from .models import LexSarah


class LexSarahFilter(ArendeFilterSet):
    """Filters of the list and its exports."""

    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Status.choices, empty_label=_("Alla")
    )
    klassning = django_filters.ChoiceFilter(
        label=_("Klassning"), choices=Klassning.choices, empty_label=_("Alla"), method="klass"
    )
    anmald = django_filters.BooleanFilter(label=_("Anmäld till IVO"), method="anmalan")

    def klass(self, queryset, name, value):
        return self.bland_hela(queryset, Q(klassning=value))

    def anmalan(self, queryset, name, value):
        return self.bland_hela(queryset, Q(ivo_anmald__isnull=not value))

    class Meta:
        model = LexSarah
        fields = ["q", "status", "klassning", "anmald", "enhet", "fran", "till"]
        form = FilterForm
