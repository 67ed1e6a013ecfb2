"""The form for a new personal API key (/konto/api-nycklar/)."""

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from kvalitet.forms import EngangsnyckelFalt, Form

from .models import Omfang


class NyckelForm(Form):
    namn = forms.CharField(
        label=_("Namn på nyckeln"),
        max_length=100,
        help_text=_("Vad nyckeln används till, till exempel ”Kontaktcentrets system”."),
    )
    omfang = forms.ChoiceField(
        label=_("Behörighet"),
        choices=Omfang.choices,
        initial=Omfang.LAS,
        widget=forms.RadioSelect,
        help_text=_(
            "Läsa räcker för att hämta ärenden och siffror. Skriva behövs bara för att "
            "lämna nya ärenden från ett annat system."
        ),
    )
    dagar = forms.IntegerField(
        label=_("Giltig i antal dagar"),
        min_value=1,
        help_text=_("Nyckeln slutar gälla efter så här många dagar."),
    )
    # The same form sent again (a reload of the page showing the new key) makes no
    # second key (`ApiNyckel.formularnyckel`).
    engangsnyckel = EngangsnyckelFalt()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        falt = self.fields["dagar"]
        falt.max_value = settings.API_NYCKEL_MAX_DAGAR
        falt.initial = settings.API_NYCKEL_STANDARD_DAGAR
        falt.validators.append(MaxValueValidator(settings.API_NYCKEL_MAX_DAGAR))
        falt.widget.attrs.update(min=1, max=settings.API_NYCKEL_MAX_DAGAR)
        falt.help_text = _("Högst %(max)d dagar; nyckeln slutar gälla efter så många dagar.") % {
            "max": settings.API_NYCKEL_MAX_DAGAR
        }
