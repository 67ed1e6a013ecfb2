"""Forms of the internkontrollplan, its controls, occasions' results and the
redovisning."""

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
from kvalitet.models import Enhet, User
from riskregister.choices import OPPNA as RISKER_OPPNA
from riskregister.forms import skalfalt
from riskregister.models import Risk

from .choices import Bedomning
from .models import Internkontrollplan, Internkontrollredovisning, Kontroll

FORSTA_AR = 2000


class ArFalt(forms.IntegerField):
    def __init__(self, **kwargs):
        super().__init__(
            label=_("År"),
            min_value=FORSTA_AR,
            error_messages={
                "invalid": _("Ange året med fyra siffror, t.ex. 2027."),
                "min_value": _("Året kan inte vara tidigare än %(limit_value)s."),
                "required": _("Ange vilket år det gäller."),
            },
            **kwargs,
        )


class NyPlanForm(Form):
    """Start a year's plan: empty, from the decided risk register's high risks, or from
    the latest decided plan of an earlier year."""

    ar = ArFalt()
    fran = forms.ChoiceField(
        label=_("Utgå från"),
        choices=[
            ("register", _("Riskregistrets höga risker (en kontroll per risk)")),
            ("forra", _("Förra årets fastställda plan (kontrollerna kopieras)")),
            ("tom", _("En tom plan")),
        ],
        widget=forms.RadioSelect,
        initial="register",
        error_messages={"required": _("Välj vad planen ska utgå från.")},
    )

    def clean_ar(self):
        ar = self.cleaned_data["ar"]
        if ar > timezone.localdate().year + 1:
            raise ValidationError(
                _("En plan görs för i år (%(i_ar)s) eller nästa år (%(nasta)s).")
                % {"i_ar": timezone.localdate().year, "nasta": timezone.localdate().year + 1}
            )
        return ar


class KontrollForm(ModelForm):
    """A row of the plan (only while the plan is a draft)."""

    class Meta:
        model = Kontroll
        fields = [
            "kod",
            "central",
            "process",
            "risk",
            "kontrollmoment",
            "metod",
            "omfattning",
            "periodicitet",
            "utforare_enhet",
            "utforare",
            "uppfoljare",
            "rapporteras_till",
            "rapporteras_nar",
            "ordning",
        ]
        widgets = {"kontrollmoment": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "kontrollmoment": _(
                "Vad som kontrolleras, t.ex. ”att rätt lön betalas ut”. Krävs för att planen "
                "ska kunna fastställas."
            ),
            "metod": _("Krävs för att planen ska kunna fastställas."),
            "periodicitet": _("Krävs för att planen ska kunna fastställas."),
            "utforare_enhet": _("Krävs för att planen ska kunna fastställas."),
            "risk": _("Risken i riskregistret som kontrollen svarar mot."),
        }

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["risk"].queryset = (
            Risk.objects.filter(status__in=RISKER_OPPNA).select_related("enhet").order_by("nummer")
        )
        self.fields["risk"].label_from_instance = lambda r: (
            f"{r.nummer} {r.titel} (riskvärde {r.riskvarde})"
        )
        self.fields["risk"].empty_label = _("Ingen")
        self.fields["utforare_enhet"].queryset = Enhet.objects.aktiva()
        self.fields["utforare_enhet"].label_from_instance = lambda e: e.indenterat_namn
        self.fields["utforare"].queryset = User.objects.filter(
            is_active=True, pk__in=karnan.med_roll(*karnan.PERSONAL).values("pk")
        ).order_by("first_name", "last_name")
        self.fields["utforare"].empty_label = _("Enhetens chefer")

    def clean_kod(self):
        kod = " ".join(self.cleaned_data["kod"].split()).upper()
        andra = Kontroll.objects.filter(plan=self.plan, kod=kod)
        if self.instance.pk:
            andra = andra.exclude(pk=self.instance.pk)
        if andra.exists():
            raise ValidationError(_("Planen har redan en kontroll med id %(kod)s.") % {"kod": kod})
        return kod

    def clean(self):
        data = super().clean()
        enhet, person = data.get("utforare_enhet"), data.get("utforare")
        if enhet and person and not karnan.mojliga_handlaggare(enhet).filter(pk=person.pk).exists():
            self.add_error(
                "utforare",
                _("%(namn)s arbetar inte på %(enhet)s eller en enhet ovanför eller under den.")
                % {"namn": person, "enhet": enhet},
            )
        return data


class ResultatForm(OvergangForm):
    """An occasion's result."""

    kontrollerad = forms.DateField(
        label=_("Kontrollerad"),
        validators=[ej_framtid],
        error_messages={"required": _("Ange när kontrollen gjordes.")},
    )
    vad = forms.CharField(
        label=_("Vad kontrollerades?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("T.ex. ”20 slumpvis valda utbetalningar i mars”."),
        error_messages={"required": _("Beskriv vad som kontrollerades.")},
    )
    antal = forms.IntegerField(
        label=_("Antal kontrollerade"),
        min_value=0,
        max_value=1_000_000,
        required=False,
        error_messages={"invalid": _("Ange antalet som en siffra.")},
    )
    avvikelser = forms.IntegerField(
        label=_("Antal avvikelser"),
        min_value=0,
        max_value=1_000_000,
        required=False,
        error_messages={"invalid": _("Ange antalet som en siffra.")},
    )
    bedomning = forms.ChoiceField(
        label=_("Bedömning"),
        choices=Bedomning.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj en bedömning.")},
    )
    kommentar = forms.CharField(
        label=_("Iakttagelser"),
        max_length=10_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Krävs vid brister: vad som inte var som det skulle. Inga personuppgifter."),
    )

    def initial_fran(self, tillfalle):
        if tillfalle.kontrollerad:
            return {
                f: getattr(tillfalle, f)
                for f in ("kontrollerad", "vad", "antal", "avvikelser", "bedomning", "kommentar")
            }
        return {"kontrollerad": timezone.localdate()}


class RiskbedomningForm(Form):
    """A new assessment of the control's risk from the result."""

    kommentar = forms.CharField(
        label=_("Varför denna bedömning?"),
        max_length=800,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Skriv varför risken bedöms på nytt.")},
    )

    def __init__(self, *args, risk, **kwargs):
        kwargs.setdefault(
            "initial", {"sannolikhet": risk.sannolikhet, "konsekvens": risk.konsekvens}
        )
        super().__init__(*args, **kwargs)
        self.fields["sannolikhet"], self.fields["konsekvens"] = skalfalt()
        self.order_fields(["sannolikhet", "konsekvens", "kommentar"])


class SammanfattningForm(OvergangForm):
    sammanfattning = forms.CharField(
        label=_("Förvaltningens sammanfattning till nämnden"),
        max_length=20_000,
        required=False,
        validators=[inget_personnummer],  # the nämnd's document
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def initial_fran(self, handling):
        return {"sammanfattning": handling.sammanfattning}


class NyVersionForm(Form):
    kommentar = forms.CharField(
        label=_("Varför behövs en ny version?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Ange varför planen öppnas igen.")},
    )


class NyRedovisningForm(Form):
    ar = ArFalt()
    kommentar = forms.CharField(
        label=_("Varför behövs en ny version?"),
        help_text=_("Bara om redovisningen för året redan är fastställd."),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    @staticmethod
    def foreslaget_ar():
        """The year a new redovisning most likely covers: last year (it is written in
        the new year), else this year – one with a decided plan and no redovisning yet;
        None when neither is such a year (a new version is then a deliberate choice)."""
        i_ar = timezone.localdate().year
        upptagna = set(
            Internkontrollredovisning.objects.filter(ar__in=(i_ar - 1, i_ar)).values_list(
                "ar", flat=True
            )
        )
        return next(
            (
                ar
                for ar in (i_ar - 1, i_ar)
                if ar not in upptagna and Internkontrollplan.objects.i_kraft(ar) is not None
            ),
            None,
        )

    def clean_ar(self):
        ar = self.cleaned_data["ar"]
        if ar > timezone.localdate().year:
            raise ValidationError(_("Året har inte börjat ännu."))
        if Internkontrollplan.objects.i_kraft(ar) is None:
            raise ValidationError(
                _("Det finns ingen fastställd internkontrollplan för %(ar)s att redovisa.")
                % {"ar": ar}
            )
        return ar


class FaststallForm(NamndbeslutForm):
    """The nämnd's decision of a plan or a redovisning: not before the year before the
    one it concerns, not before the version it replaces."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.VAD = self.arende._meta.verbose_name
        self.fields["sammantradesdatum"].help_text = _("Dagen då nämnden fastställde %(vad)s.") % {
            "vad": self.arende._meta.verbose_name
        }

    def clean_sammantradesdatum(self):
        dag = self.cleaned_data["sammantradesdatum"]
        if dag is None:
            return dag
        if dag.year < self.arende.ar - 1:
            raise ValidationError(
                _("Sammanträdet kan inte ligga före %(ar)s.") % {"ar": self.arende.ar - 1}
            )
        forra = (
            self.arende.serie()
            .beslutade()
            .exclude(pk=self.arende.pk)
            .order_by("-sammantradesdatum")
            .first()
        )
        if forra and dag < forra.sammantradesdatum:
            raise ValidationError(
                _("Version %(v)s fastställdes %(dag)s; ett senare beslut kan inte ligga före.")
                % {"v": forra.version, "dag": forra.sammantradesdatum.isoformat()}
            )
        return dag
