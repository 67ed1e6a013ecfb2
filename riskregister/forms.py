"""Forms of the risk register: proposing a risk, its steps, a riskanalys, a version."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kvalitet import behorighet as karnan
from kvalitet.forms import (
    Form,
    ModelForm,
    NamndbeslutForm,
    OvergangForm,
    ej_framtid,
    inget_personnummer,
)
from kvalitet.lib.datum import inom_granserna

from . import behorighet
from .choices import OPPNA, Analysstatus
from .models import Registerversion, Risk, Riskanalys
from .skala import Skala, skala


class Skalfalt(forms.TypedChoiceField):
    """A step of the scale as radio buttons: "3 Möjlig"."""

    def __init__(self, *, label, etiketter, **kwargs):
        super().__init__(
            label=label,
            coerce=int,
            choices=Skala.steg(etiketter),
            widget=forms.RadioSelect,
            error_messages={
                "required": _("Välj %(vad)s.") % {"vad": str(label).lower()},
                "invalid_choice": _("Välj ett steg på skalan."),
            },
            **kwargs,
        )


def skalfalt():
    s = skala()
    return (
        Skalfalt(
            label=_("Sannolikhet"),
            etiketter=s.sannolikhet,
            help_text=_("Hur troligt är det att det händer?"),
        ),
        Skalfalt(
            label=_("Konsekvens"),
            etiketter=s.konsekvens,
            help_text=_("Hur allvarligt blir det för den enskilde om det händer?"),
        ),
    )


class RiskForm(ModelForm):
    """A new risk (a proposal until the nämnd decides the register): what can happen,
    for whom, how likely and how serious – and what to do about it, if known."""

    kommentar = forms.CharField(
        label=_("Varför denna bedömning?"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = Risk
        fields = [
            "enhet",
            "titel",
            "beskrivning",
            "kategori",
            "kalla",
            "process",
            "sannolikhet",
            "konsekvens",
            "strategi",
            "styrdokument",
            "indikatorer",
            "nasta_oversyn",
        ]
        widgets = {
            "beskrivning": forms.Textarea(attrs={"rows": 4}),
            "styrdokument": forms.Textarea(attrs={"rows": 2}),
            "indikatorer": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "titel": _("Kort: vad kan gå fel? T.ex. ”Orosanmälan bedöms inte inom 14 dagar”."),
            "beskrivning": _(
                "Vad kan hända, och vilka negativa konsekvenser får det för barn, brukare "
                "eller klienter?"
            ),
            "enhet": _("Förvaltningen, en avdelning eller en enhet: var risken finns."),
            "strategi": _("Lämna tomt om det bestäms senare."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enhet"].queryset = behorighet.foreslagsenheter(user)
        self.fields["enhet"].label_from_instance = lambda e: e.indenterat_namn
        self.fields["sannolikhet"], self.fields["konsekvens"] = skalfalt()
        self.fields["strategi"].required = False
        self.order_fields(
            [
                "enhet", "titel", "beskrivning", "kategori", "kalla", "process",
                "sannolikhet", "konsekvens", "kommentar",
            ]
        )  # fmt: skip

    def clean_nasta_oversyn(self):
        return _ej_passerad(self.cleaned_data.get("nasta_oversyn"))


def _ej_passerad(dag):
    if dag and inom_granserna(dag) and dag < timezone.localdate():
        raise ValidationError(_("Nästa översyn kan inte ligga före i dag."))
    return dag


class BedomForm(OvergangForm):
    """A new assessment of the risk."""

    datum = forms.DateField(
        label=_("Bedömd"),
        validators=[ej_framtid],
        error_messages={"required": _("Ange när bedömningen gjordes.")},
    )
    kommentar = forms.CharField(
        label=_("Varför denna bedömning?"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("T.ex. ”Efter lex Sarah-utredningen” eller ”Rutinen är införd”."),
    )
    riskanalys = forms.ModelChoiceField(
        label=_("I riskanalys"),
        queryset=Riskanalys.objects.none(),
        required=False,
        empty_label=_("Ingen"),
    )

    def __init__(self, *args, arende, user, **kwargs):
        super().__init__(*args, arende=arende, user=user, **kwargs)
        self.fields["sannolikhet"], self.fields["konsekvens"] = skalfalt()
        self.order_fields(["datum", "sannolikhet", "konsekvens", "kommentar", "riskanalys"])
        # An ongoing analysis of the risk's unit or a unit above it (the analyses whose
        # risks it could be: as AnalysBedomForm offers the analysis' unit and below).
        self.fields["riskanalys"].queryset = Riskanalys.objects.for_user(user).filter(
            status=Analysstatus.PAGAR, enhet_id__in=arende.enhet.forfader_ids()
        )

    def initial_fran(self, arende):
        return {
            "datum": timezone.localdate(),
            "sannolikhet": arende.sannolikhet,
            "konsekvens": arende.konsekvens,
        }

    def clean_datum(self):
        dag = self.cleaned_data["datum"]
        if dag and dag < self.arende.identifierad:
            raise ValidationError(
                _("Risken identifierades %(dag)s; bedömningen kan inte vara tidigare.")
                % {"dag": self.arende.identifierad.isoformat()}
            )
        return dag


class AndraRiskForm(OvergangForm):
    """What the risk says, and who owns it."""

    FALT = (
        "titel", "beskrivning", "kategori", "kalla", "process", "strategi", "handlaggare",
        "styrdokument", "indikatorer", "nasta_oversyn",
    )  # fmt: skip

    def __init__(self, *args, arende, user, **kwargs):
        super().__init__(*args, arende=arende, user=user, **kwargs)
        falt = forms.fields_for_model(
            Risk,
            fields=self.FALT,
            widgets={
                "beskrivning": forms.Textarea(attrs={"rows": 4}),
                "styrdokument": forms.Textarea(attrs={"rows": 2}),
                "indikatorer": forms.Textarea(attrs={"rows": 2}),
            },
        )
        falt["handlaggare"].queryset = karnan.mojliga_handlaggare(arende.enhet)
        falt["handlaggare"].help_text = _("Den som ansvarar för att risken följs och hanteras.")
        self.lagg_till_falt(falt)

    def initial_fran(self, arende):
        return {
            f: getattr(arende, "handlaggare_id" if f == "handlaggare" else f) for f in self.FALT
        }

    def clean_nasta_oversyn(self):
        dag = self.cleaned_data.get("nasta_oversyn")
        if dag != self.arende.nasta_oversyn:
            return _ej_passerad(dag)
        return dag


class TaBortForm(OvergangForm):
    kommentar = forms.CharField(
        label=_("Varför tas risken bort?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Står i registrets ändringar till nämnden."),
        error_messages={"required": _("Ange varför risken tas bort.")},
    )


class NyAnalysForm(ModelForm):
    """Start a riskanalys."""

    class Meta:
        model = Riskanalys
        fields = ["enhet", "datum", "utlosande", "deltagare", "anteckningar"]
        widgets = {
            "deltagare": forms.Textarea(attrs={"rows": 4}),
            "anteckningar": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enhet"].queryset = behorighet.analysenheter(user)
        self.fields["enhet"].label_from_instance = lambda e: e.indenterat_namn
        self.fields["datum"].validators.append(ej_framtid)


class AnalysForm(OvergangForm):
    FALT = ("deltagare", "anteckningar", "konsekvensbeskrivning")

    def __init__(self, *args, arende, user, **kwargs):
        super().__init__(*args, arende=arende, user=user, **kwargs)
        self.lagg_till_falt(
            forms.fields_for_model(
                Riskanalys,
                fields=self.FALT,
                widgets={n: forms.Textarea(attrs={"rows": 4}) for n in self.FALT},
            )
        )

    def initial_fran(self, arende):
        return {f: getattr(arende, f) for f in self.FALT}


class SkickadForm(OvergangForm):
    datum = forms.DateField(
        label=_("Skickad till nämnden"),
        validators=[ej_framtid],
        error_messages={"required": _("Ange när analysen skickades till nämnden.")},
    )

    def initial_fran(self, arende):
        return {"datum": arende.skickad_till_namnd or timezone.localdate()}

    def clean_datum(self):
        dag = self.cleaned_data["datum"]
        if dag and dag < self.arende.datum:
            raise ValidationError(_("Analysen kan inte ha skickats före analysdagen."))
        return dag


class AnalysBedomForm(Form):
    """Re-assess one of the unit's risks in the analysis."""

    risk = forms.ModelChoiceField(
        label=_("Risk"),
        queryset=Risk.objects.none(),
        empty_label=_("Välj risk"),
        error_messages={"required": _("Välj vilken risk som bedöms.")},
    )
    kommentar = forms.CharField(
        label=_("Varför denna bedömning?"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, analys, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.analys = analys
        self.fields["sannolikhet"], self.fields["konsekvens"] = skalfalt()
        self.order_fields(["risk", "sannolikhet", "konsekvens", "kommentar"])
        # The open risks of the analysis' unit and below that the user works on.
        risker = (
            Risk.objects.for_user(user)
            .filter(status__in=OPPNA, enhet__sokvag__startswith=analys.enhet.sokvag)
            .select_related("enhet")
            .order_by("nummer")
        )
        self.fields["risk"].queryset = risker
        self.fields["risk"].label_from_instance = lambda r: (
            f"{r.nummer} {r.titel} ({r.sannolikhet} × {r.konsekvens} = {r.riskvarde})"
        )

    def clean_risk(self):
        risk = self.cleaned_data["risk"]
        # The assessment is dated the analysis' day: not before the risk was identified
        # (as BedomForm refuses).
        if risk and min(self.analys.datum, timezone.localdate()) < risk.identifierad:
            raise ValidationError(
                _(
                    "Risken identifierades %(dag)s; den kan inte bedömas i en analys som "
                    "hölls före det."
                )
                % {"dag": risk.identifierad.isoformat()}
            )
        return risk


class ForberedForm(Form):
    sammanfattning = forms.CharField(
        label=_("Förvaltningens sammanfattning till nämnden"),
        max_length=10_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Kan skrivas nu eller senare. Står först i registrets PDF."),
        validators=[inget_personnummer],  # the nämnd's document
    )


class SammanfattningForm(OvergangForm):
    sammanfattning = ForberedForm.base_fields["sammanfattning"]

    def initial_fran(self, arende):
        return {"sammanfattning": arende.sammanfattning}


class FaststallForm(NamndbeslutForm):
    """The nämnd's decision of the version: the meeting's date (not before the last
    decided version's), the § of the minutes, the diarienummer."""

    VAD = _("riskregistret")

    def clean_sammantradesdatum(self):
        dag = self.cleaned_data["sammantradesdatum"]
        forra = (
            Registerversion.objects.beslutade()
            .exclude(pk=self.arende.pk)
            .order_by("-sammantradesdatum")
            .first()
        )
        if dag and forra and dag < forra.sammantradesdatum:
            raise ValidationError(
                _("Version %(v)s fastställdes %(dag)s; ett senare beslut kan inte ligga före.")
                % {"v": forra.version, "dag": forra.sammantradesdatum.isoformat()}
            )
        return dag
