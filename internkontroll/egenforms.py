"""Forms of egenkontroll: a new egenkontroll, its steps, one file review, and the
checklists. Every free-text field refuses what looks like a Swedish personnummer: a
review and its results never hold anything that identifies a client."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kvalitet import behorighet as karnan
from kvalitet.forms import Form, ModelForm, OvergangForm, UtanPersonnummer, ej_framtid

from . import behorighet
from .checklistor import tolka
from .choices import Svarsvarde
from .models import Checklista, Checklisteversion, Egenkontroll, Kontrollomrade


def _versionsval(falt):
    falt.queryset = Checklisteversion.objects.select_related("checklista").order_by(
        "checklista__namn", "-version"
    )
    falt.label_from_instance = lambda v: str(v)
    falt.empty_label = _("Ingen checklista")
    falt.help_text = _(
        "För kollegial granskning och journalgranskning: frågorna granskarna svarar på."
    )


def _ansvariga(falt, enheter):
    """Owner: staff who could handle records of `enheter` (checked against the chosen
    unit in `clean`)."""
    falt.queryset = karnan.aktiva_anvandare(karnan.PERSONAL, enheter).order_by(
        "first_name", "last_name", "username"
    )
    falt.label = _("Ansvarig")
    falt.empty_label = _("Välj ansvarig")


TEXTRUTOR = {
    "syfte": forms.Textarea(attrs={"rows": 3}),
    "metod": forms.Textarea(attrs={"rows": 3}),
    "urval": forms.Textarea(attrs={"rows": 2}),
}


class NyEgenkontrollForm(UtanPersonnummer, ModelForm):
    """A new egenkontroll: of a unit the user is chef for (or any, for staben)."""

    class Meta:
        model = Egenkontroll
        fields = [
            "enhet",
            "typ",
            "initiativ",
            "titel",
            "syfte",
            "metod",
            "urval",
            "period_fran",
            "period_till",
            "handlaggare",
            "checklista_version",
        ]
        widgets = TEXTRUTOR
        error_messages = {
            "titel": {"required": _("Ge egenkontrollen en titel.")},
            "typ": {"required": _("Välj typ av egenkontroll.")},
            "initiativ": {"required": _("Välj vems initiativ egenkontrollen är.")},
            "period_fran": {"required": _("Ange när perioden börjar.")},
            "period_till": {"required": _("Ange när perioden slutar.")},
            "enhet": {"required": _("Välj enhet.")},
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        enheter = behorighet.egenkontrollenheter(user)
        self.fields["enhet"].queryset = enheter
        self.fields["enhet"].label_from_instance = lambda e: e.indenterat_namn
        self.fields["enhet"].empty_label = _("Välj enhet")
        self.fields["typ"].choices = [("", _("Välj typ")), *self.fields["typ"].choices[1:]]
        self.fields["initiativ"].choices = [
            ("", _("Välj initiativ")),
            *self.fields["initiativ"].choices[1:],
        ]
        _ansvariga(self.fields["handlaggare"], enheter.values("pk"))
        self.fields["handlaggare"].required = True
        self.fields["handlaggare"].error_messages["required"] = _("Välj vem som är ansvarig.")
        _versionsval(self.fields["checklista_version"])

    def clean(self):
        data = super().clean()
        enhet, ansvarig = data.get("enhet"), data.get("handlaggare")
        if (
            enhet
            and ansvarig
            and not karnan.mojliga_handlaggare(enhet).filter(pk=ansvarig.pk).exists()
        ):
            self.add_error(
                "handlaggare",
                _("%(namn)s arbetar inte på %(enhet)s eller en enhet ovanför eller under den.")
                % {"namn": ansvarig, "enhet": enhet},
            )
        return data


class AndraEgenkontrollForm(UtanPersonnummer, OvergangForm):
    """What the egenkontroll says and who owns it; the checklist until the first review."""

    FALT = (
        "titel", "initiativ", "syfte", "metod", "urval", "period_fran", "period_till",
        "handlaggare", "checklista_version",
    )  # fmt: skip

    def __init__(self, *args, arende, user, **kwargs):
        super().__init__(*args, arende=arende, user=user, **kwargs)
        falt = forms.fields_for_model(Egenkontroll, fields=self.FALT, widgets=TEXTRUTOR)
        falt["handlaggare"].queryset = karnan.mojliga_handlaggare(arende.enhet)
        falt["handlaggare"].label = _("Ansvarig")
        falt["handlaggare"].required = True
        falt["handlaggare"].error_messages["required"] = _("Välj vem som är ansvarig.")
        _versionsval(falt["checklista_version"])
        if arende.pk and arende.granskningar.exists():
            del falt["checklista_version"]  # fixed once a file is reviewed
        self.lagg_till_falt(falt)

    def initial_fran(self, arende):
        return {
            f: getattr(arende, f"{f}_id" if f in ("handlaggare", "checklista_version") else f)
            for f in self.FALT
        }

    def clean(self):
        data = super().clean()
        fran, till = data.get("period_fran"), data.get("period_till")
        if fran and till and till < fran:
            self.add_error("period_till", _("Perioden kan inte sluta innan den börjar."))
        return data


class AnalysforumForm(UtanPersonnummer, OvergangForm):
    """The analysis forum: when it was held and what it concluded."""

    analysforum_datum = forms.DateField(
        label=_("Analysforum"),
        validators=[ej_framtid],
        help_text=_("Dagen då resultaten diskuterades."),
        error_messages={"required": _("Ange när analysforumet hölls.")},
    )
    slutsatser = forms.CharField(
        label=_("Slutsatser"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Vad resultaten visar, jämfört med förra omgången, och vad som ska förbättras. "
            "Åtgärderna läggs till under Förbättrande åtgärder."
        ),
        error_messages={"required": _("Skriv analysforumets slutsatser.")},
    )

    def initial_fran(self, arende):
        return {
            "analysforum_datum": arende.analysforum_datum or timezone.localdate(),
            "slutsatser": arende.slutsatser,
        }

    def clean_analysforum_datum(self):
        dag = self.cleaned_data["analysforum_datum"]
        if dag and dag < self.arende.period_fran:
            raise ValidationError(
                _("Analysforumet kan inte ha hållits före perioden (från %(dag)s).")
                % {"dag": self.arende.period_fran.isoformat()}
            )
        return dag


# --- One file review -----------------------------------------------------------------------


SVAR = [(v.value, v.label) for v in Svarsvarde]


class GranskningForm(UtanPersonnummer, Form):
    """One reviewed file in one control area: one required answer per checkpoint
    (`punkt_<pk>`), the day and an optional comment. The area's checkpoints are known
    once the area is: from `omrade`, or from the posted area (invalid → the error)."""

    omrade = forms.ModelChoiceField(
        label=_("Kontrollområde"),
        queryset=Kontrollomrade.objects.none(),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Välj kontrollområde."),
            "invalid_choice": _("Välj ett kontrollområde i egenkontrollens checklista."),
        },
    )
    datum = forms.DateField(
        label=_("Granskad"),
        validators=[ej_framtid],
        error_messages={"required": _("Ange när akten granskades.")},
    )
    kommentar = forms.CharField(
        label=_("Kommentar (frivillig)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Iakttagelser om akten i allmänhet – aldrig namn eller personnummer."),
    )

    def __init__(self, *args, egenkontroll, omrade=None, **kwargs):
        kwargs.setdefault("initial", {"datum": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.egenkontroll = egenkontroll
        omraden = Kontrollomrade.objects.filter(version_id=egenkontroll.checklista_version_id)
        self.fields["omrade"].queryset = omraden
        if omrade is None and self.is_bound:
            varde = self.data.get("omrade", "")
            omrade = omraden.filter(pk=varde).first() if str(varde).isdigit() else None
        self.valt_omrade = omrade
        if omrade is not None:
            self.initial["omrade"] = omrade.pk
            self.punkter = list(omrade.punkter.order_by("ordning"))
            falt = {}
            for p in self.punkter:
                falt[f"punkt_{p.pk}"] = forms.ChoiceField(
                    label=f"{p.kod} {p.text}",
                    choices=SVAR,
                    widget=forms.RadioSelect(attrs={"class": "svarsalternativ"}),
                    error_messages={
                        "required": _("Svara på frågan."),
                        "invalid_choice": _("Välj ja, nej, delvis eller ej aktuellt."),
                    },
                )
            self.lagg_till_falt(falt)
            self.order_fields(["omrade", *falt, "datum", "kommentar"])
        else:
            self.punkter = []

    def clean_datum(self):
        dag = self.cleaned_data["datum"]
        # A date far back is a typing error (a review belongs to this round).
        if dag and dag < date(self.egenkontroll.period_fran.year - 1, 1, 1):
            raise ValidationError(
                _("Granskningen kan inte vara gjord före %(ar)s.")
                % {"ar": self.egenkontroll.period_fran.year - 1}
            )
        return dag

    def svar(self):
        """{Kontrollpunkt: value} of the cleaned form."""
        return {p: self.cleaned_data[f"punkt_{p.pk}"] for p in self.punkter}


# --- Checklists ----------------------------------------------------------------------------


INNEHALL_HJALP = _(
    "Ett kontrollområde per rad som börjar med #, och under det en fråga per rad som börjar "
    "med sin kod: ”# Utredning” följt av ”2.1 Finns beslut om att inleda utredning "
    "dokumenterat?”. Behåll koden för en fråga som bara formuleras om, så jämförs "
    "omgångarna; en ny fråga får en ny kod."
)


class InnehallMixin:
    def clean_innehall(self):
        text = self.cleaned_data["innehall"]
        try:
            self.cleaned_data["omraden"] = tolka(text)
        except ValidationError as fel:
            raise ValidationError(fel.messages) from None
        return text


def _innehallsfalt():
    return forms.CharField(
        label=_("Kontrollområden och frågor"),
        max_length=30_000,
        widget=forms.Textarea(attrs={"rows": 20, "spellcheck": "true"}),
        help_text=INNEHALL_HJALP,
        error_messages={"required": _("Skriv checklistans kontrollområden och frågor.")},
    )


class ChecklistaForm(InnehallMixin, UtanPersonnummer, Form):
    """A new checklist and its first version."""

    namn = forms.CharField(
        label=_("Namn"),
        max_length=200,
        error_messages={"required": _("Ge checklistan ett namn.")},
    )
    beskrivning = forms.CharField(
        label=_("Beskrivning"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    innehall = _innehallsfalt()

    def clean_namn(self):
        namn = self.cleaned_data["namn"]
        if Checklista.objects.filter(namn__iexact=namn).exists():
            raise ValidationError(_("Det finns redan en checklista med det namnet."))
        return namn


class VersionForm(InnehallMixin, UtanPersonnummer, Form):
    """The checklist's questions changed: the latest version in place while no review has
    used it, else a new version."""

    innehall = _innehallsfalt()
    kommentar = forms.CharField(
        label=_("Vad har ändrats?"),
        max_length=500,
        required=False,
        help_text=_("T.ex. ”Fråga 2.6 omformulerad efter IVO:s nya checklista”."),
    )
