"""The filter base every case type's list filters extend."""

from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kvalitet import behorighet, sok
from kvalitet.forms import KvalitetFormMixin
from kvalitet.models import Enhet


class FilterForm(KvalitetFormMixin, forms.Form):
    def clean(self):
        data = super().clean()
        fran, till = data.get("fran"), data.get("till")
        if fran and till and till < fran:
            # Said, rather than an empty list that looks like no cases.
            self.add_error("till", _("Slutdatumet ligger före startdatumet."))
        return data


def dagens_start(dag):
    """Midnight starting `dag` in Swedish local time (a case counts in local dates)."""
    return timezone.make_aware(datetime.combine(dag, time.min))


class ArendeFilterSet(django_filters.FilterSet):
    """Free text (the case's identifiers, `SOKNYCKLAR`, and the model's `FRITEXT`
    fields, ranked: `kvalitet.sok`), unit with its subtree (units offered through the
    access module) and a date range in local time on the model's `DATUMFALT`. An
    invalid filter shows nothing rather than everything."""

    q = django_filters.CharFilter(label=_("Sök i text"), method="fritext", max_length=200)
    enhet = django_filters.ModelChoiceFilter(
        label=_("Enhet (med underenheter)"),
        queryset=Enhet.objects.none(),
        method="med_underenheter",
        empty_label=_("Alla"),
    )
    fran = django_filters.DateFilter(method="fran_datum")
    till = django_filters.DateFilter(method="till_datum")
    vantar = django_filters.BooleanFilter(
        label=_("Bara de som väntar på mig"), method="vantar_pa_mig", widget=forms.CheckboxInput
    )

    class Meta:
        form = FilterForm

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not hasattr(self.queryset, "vantar_pa"):
            # Only case types say what waits for someone (the start page's sections).
            del self.filters["vantar"]
        etikett = self._meta.model.datumetikett()
        self.filters["fran"].label = _("%(datum)s från") % {"datum": etikett}
        self.filters["till"].label = _("%(datum)s till och med") % {"datum": etikett}
        enheter = behorighet.filterenheter(user, self._meta.model)
        self.filters["enhet"].queryset = enheter
        self.form.fields["enhet"].queryset = enheter
        self.form.fields["enhet"].label_from_instance = lambda e: e.indenterat_namn

    def fritext(self, queryset, name, value):
        """Cases whose identifier is the text, and among the cases the user sees whole,
        those whose `FRITEXT` holds its words (`kvalitet.sok`); ranked by `lista`."""
        value = value.strip()
        if not value:
            return queryset
        modell = self._meta.model
        villkor = sok.nyckelvillkor(modell, value, user=self.user)
        if (text := sok.textvillkor(modell, value)) is not None:
            if (hela := modell.objects.hela_villkor(self.user)) is not None:
                text &= hela
            villkor |= text
        return queryset.filter(villkor)

    def bland_hela(self, queryset, villkor):
        """Filter on what the case's whole page shows (a classification), among the
        cases the user sees whole (`hela_villkor`)."""
        hela = self._meta.model.objects.hela_villkor(self.user)
        return queryset.filter(villkor if hela is None else villkor & hela)

    def vantar_pa_mig(self, queryset, name, value):
        """What waits for the user's action, as on the start page (`vantar_pa`)."""
        return queryset.vantar_pa(self.user) if value else queryset

    def med_underenheter(self, queryset, name, value):
        return queryset.filter(enhet__sokvag__startswith=value.sokvag)

    def fran_datum(self, queryset, name, value):
        return queryset.filter(**{f"{self._meta.model.DATUMFALT}__gte": dagens_start(value)})

    def till_datum(self, queryset, name, value):
        slut = dagens_start(value + timedelta(days=1))
        return queryset.filter(**{f"{self._meta.model.DATUMFALT}__lt": slut})

    def fel(self) -> list[str]:
        """The filter's errors as "label: message" lines (none when it is valid or not
        given): an export refuses an invalid filter with them rather than sending a
        file of headings only."""
        if not self.is_bound or self.form.is_valid():
            return []
        return [
            f"{etikett}{fel}" if etikett else str(fel)
            for _id, etikett, fel in self.form.felsammanfattning()
        ]

    @property
    def qs(self):
        if self.is_bound and not self.form.is_valid():
            return self.queryset.none()
        return super().qs

    @property
    def lista(self):
        """The list page's cases: `qs`, or with a search text its best matches among
        the newest (`sok.rangordna`, `sok.MAX_TRAFFAR`). Exports take `qs`: every
        match, in the list's order."""
        qs = self.qs
        text = self.form.cleaned_data.get("q") if self.is_bound and self.form.is_valid() else ""
        return sok.rangordna(qs, self._meta.model, text.strip()) if text else qs
