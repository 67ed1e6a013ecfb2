"""Forms of the avvikelse case type."""

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from kvalitet import behorighet
from kvalitet.forms import (
    JA_NEJ,
    AttachmentField,
    KodlistaFalt,
    KodlistorFalt,
    ModelForm,
    OvergangForm,
    ej_framtid,
    ja_nej_falt,
)

from .choices import Stallningstagande, Typ, Upptackt
from .models import Avvikelse, Kategori, Orsaksomrade


class RapportForm(ModelForm):
    """The report form: short enough to fill in on a phone in a minute."""

    bilaga = AttachmentField(required=False, label=_("Bifoga fil (valfritt)"))

    class Meta:
        model = Avvikelse
        fields = [
            "typ",
            "enhet",
            "handelsedatum",
            "handelsetid",
            "upptackt_datum",
            "upptackt_hur",
            "beror_enskild",
            "beskrivning",
            "konsekvenser",
            "omedelbara_atgarder",
            "arbetsskadeanmalan",
            "kategori",
        ]
        labels = {
            "typ": _("Vad vill du rapportera?"),
            "enhet": _("Enhet där det hände"),
            "handelsedatum": _("När hände det?"),
            "handelsetid": _("Klockslag (om du vet)"),
            "upptackt_datum": _("När upptäcktes det?"),
            "upptackt_hur": _("Hur upptäcktes det?"),
            "beror_enskild": _("Gäller det en enskild klient?"),
            "beskrivning": _("Vad hände?"),
            "konsekvenser": _("Vilka konsekvenser fick det, eller kunde det ha fått?"),
            "omedelbara_atgarder": _("Vad gjordes direkt?"),
            "arbetsskadeanmalan": _("Har en arbetsskadeanmälan gjorts? (tillbud)"),
            "kategori": _("Kategori (om du vet)"),
        }
        help_texts = {
            "typ": _(
                "Avvikelse: verksamheten uppfyller inte krav eller rutiner. "
                "Tillbud: något som nästan skadade dig eller en kollega."
            ),
            "beskrivning": _("Beskriv händelsen. Skriv inte personnummer eller namn på klienter."),
        }
        widgets = {
            "typ": forms.RadioSelect,
            "beskrivning": forms.Textarea(attrs={"rows": 5}),
            "konsekvenser": forms.Textarea(attrs={"rows": 3}),
            "omedelbara_atgarder": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        enheter = behorighet.rapporteringsenheter(user)
        self.fields["enhet"].queryset = enheter
        self.fields["enhet"].label_from_instance = lambda e: e.indenterat_namn
        egna = [u.enhet for u in behorighet.uppdrag(user) if u.roll in behorighet.PERSONAL]
        if egna and not self.is_bound:
            self.fields["enhet"].initial = egna[0].pk
        self.fields["enhet"].empty_label = _("Välj enhet")
        self.fields["kategori"].queryset = Kategori.objects.filter(aktiv=True)
        self.fields["kategori"].empty_label = _("Vet inte")
        self.fields["upptackt_hur"].choices = [("", _("Välj (valfritt)")), *Upptackt.choices]
        self.fields["typ"].choices = Typ.choices
        self.fields["typ"].initial = Typ.AVVIKELSE
        self.fields["beror_enskild"] = ja_nej_falt(self.fields["beror_enskild"].label)
        self.fields["arbetsskadeanmalan"] = ja_nej_falt(
            self.fields["arbetsskadeanmalan"].label,
            choices=[("", _("Ej aktuellt")), *JA_NEJ],
            empty_value=None,
            required=False,
        )
        self.fields["handelsedatum"].initial = timezone.localdate
        self.fields["handelsedatum"].validators.append(ej_framtid)
        self.fields["upptackt_datum"].validators.append(ej_framtid)


class UtredningForm(OvergangForm):
    """The enhetschef's investigation: category, cause areas, analysis, actions taken."""

    kategori = KodlistaFalt(
        label=capfirst(Avvikelse._meta.get_field("kategori").verbose_name),
        queryset=Kategori.objects.none(),
        required=False,
        empty_label=_("Välj kategori"),
    )
    orsaksomraden = KodlistorFalt(
        label=capfirst(Avvikelse._meta.get_field("orsaksomraden").verbose_name),
        queryset=Orsaksomrade.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    analys = forms.CharField(
        label=capfirst(Avvikelse._meta.get_field("analys").verbose_name),
        max_length=Avvikelse._meta.get_field("analys").max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Varför hände det? Vilka bakomliggande orsaker finns?"),
    )
    vidtagna_atgarder = forms.CharField(
        label=capfirst(Avvikelse._meta.get_field("vidtagna_atgarder").verbose_name),
        max_length=Avvikelse._meta.get_field("vidtagna_atgarder").max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, arende, **kwargs):
        super().__init__(*args, arende=arende, **kwargs)
        # An inactive category stays selectable on a case that already has it.
        self.fields["kategori"].queryset = Kategori.objects.filter(aktiv=True) | (
            Kategori.objects.filter(pk=arende.kategori_id)
        )
        self.fields["orsaksomraden"].queryset = Orsaksomrade.objects.filter(aktiv=True)

    def initial_fran(self, arende):
        return {
            "kategori": arende.kategori_id,
            "orsaksomraden": list(arende.orsaksomraden.values_list("pk", flat=True)),
            "analys": arende.analys,
            "vidtagna_atgarder": arende.vidtagna_atgarder,
        }


class AvslutaForm(OvergangForm):
    aterkoppling = forms.CharField(
        label=_("Återkoppling till den som rapporterade"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Visas för den som rapporterade. Skriv inga klientuppgifter."),
    )


class StallningstagandeForm(OvergangForm):
    """The förvaltningschef's section of the paper form."""

    FALTALIAS = {"fc_mottagen": "mottagen", "fc_stallningstagande": "stallningstagande"}

    stallningstagande = forms.ChoiceField(
        label=_("Ställningstagande"), choices=Stallningstagande.choices, widget=forms.RadioSelect
    )
    mottagen = forms.DateField(label=_("Mottagen datum"), validators=[ej_framtid])
    kommentar = forms.CharField(
        label=_("Kommentar"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def initial_fran(self, arende):
        return {
            "stallningstagande": arende.fc_stallningstagande or None,
            "kommentar": arende.fc_kommentar,
            "mottagen": arende.fc_mottagen or timezone.localdate(),
        }
