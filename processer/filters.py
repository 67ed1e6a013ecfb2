"""Filters of the process map."""

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext
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
    # Who has not yet recorded last year's results, across the map: what the
    # kvalitetssamordnare chases in January, before the kvalitetsberättelse.
    saknar_utfall = django_filters.BooleanFilter(method="utan_utfall", widget=forms.CheckboxInput)

    class Meta(ArendeFilterSet.Meta):
        model = Process
        fields = ["q", "enhet", "typ", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.ar = timezone.localdate().year - 1
        etikett = gettext("Saknar utfall för %(ar)s") % {"ar": self.ar}
        self.filters["saknar_utfall"].label = etikett
        self.form.fields["saknar_utfall"].label = etikett

    def utan_utfall(self, queryset, name, value):
        return queryset.saknar_utfall(self.ar) if value else queryset
