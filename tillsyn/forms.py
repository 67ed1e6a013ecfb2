"""Forms of IVO's tillsyn."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kvalitet import behorighet
from kvalitet.forms import ModelForm, OvergangForm, ej_framtid

from .choices import KRAVER_REDOVISNING, Typ, Utfall
from .models import Tillsyn

TEXT = {"rows": 4}


class RegistreraForm(ModelForm):
    class Meta:
        model = Tillsyn
        fields = [
            "enhet",
            "typ",
            "ivo_diarienummer",
            "inleddes",
            "inspektion",
            "omfattning",
            "krav",
            "svar_senast",
        ]
        labels = {
            "enhet": _("Enhet som granskas"),
            "omfattning": _("Vad gäller tillsynen?"),
            "krav": _("IVO:s frågor och krav (om de redan kommit)"),
        }
        widgets = {
            "typ": forms.RadioSelect,
            "omfattning": forms.Textarea(attrs=TEXT),
            "krav": forms.Textarea(attrs=TEXT),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enhet"].queryset = behorighet.rapporteringsenheter(user)
        self.fields["enhet"].label_from_instance = lambda e: e.indenterat_namn
        self.fields["enhet"].empty_label = _("Välj enhet")
        # Radio buttons: the types only, not Django's blank "---------" chosen beforehand.
        self.fields["typ"].choices = Typ.choices
        self.fields["inleddes"].validators.append(ej_framtid)
        self.fields["inspektion"].validators.append(ej_framtid)


class KravForm(OvergangForm):
    krav = forms.CharField(
        label=_("IVO:s frågor och krav"), max_length=20_000, widget=forms.Textarea(attrs=TEXT)
    )
    svar_senast = forms.DateField(label=_("IVO vill ha svar senast"), required=False)

    def initial_fran(self, arende):
        return {"krav": arende.krav, "svar_senast": arende.svar_senast}


class SvarForm(OvergangForm):
    datum = forms.DateField(label=_("Skickat till IVO"), validators=[ej_framtid])
    text = forms.CharField(
        label=_("Svaret i korthet"), max_length=10_000, widget=forms.Textarea(attrs=TEXT)
    )


class BeslutForm(OvergangForm):
    beslut = forms.DateField(label=_("IVO:s beslutsdatum"), validators=[ej_framtid])
    utfall = forms.ChoiceField(label=_("Utfall"), choices=Utfall.choices, widget=forms.RadioSelect)
    beslut_text = forms.CharField(
        label=_("IVO:s beslut i korthet"), max_length=10_000, widget=forms.Textarea(attrs=TEXT)
    )
    aterrapport_senast = forms.DateField(
        label=_("Förvaltningen redovisar senast (vid krav eller föreläggande)"), required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("utfall") in KRAVER_REDOVISNING and not data.get("aterrapport_senast"):
            self.add_error("aterrapport_senast", _("Ange när förvaltningen ska redovisa till IVO."))
        return data
