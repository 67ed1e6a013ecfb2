"""Filters of the process map."""

import django_filters
from django.utils.translation import gettext_lazy as _

from kvalitet.filters import ArendeFilterSet

from .choices import Processtyp, Status
from .models import Process


class ProcessFilter(ArendeFilterSet):
    typ = django_filters.ChoiceFilter(
        label=_("Typ av process"), choices=Processtyp.choices, empty_label=_("Alla")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Status.choices, empty_label=_("Alla")
    )

    class Meta(ArendeFilterSet.Meta):
        model = Process
        fields = ["q", "enhet", "typ", "status"]
