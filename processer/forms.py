"""Forms of the processes: a new process, and the steps on it (docs/arbetsfloden.md)."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kvalitet import behorighet as karnan
from kvalitet.forms import ModelForm, OvergangForm, ej_framtid

from . import behorighet
from .choices import Handelsetyp, Riktning
from .models import Nyckeltal, Nyckeltalsvarde, Process, Processhandelse

TEXTRUTA = forms.Textarea(attrs={"rows": 3})


def _personer():
    """Who may be named processägare or processledare: the active staff (a valid
    assignment of a staff role, as `behorighet.PERSONAL` counts them) – not the nämnd's
    members or an administrator alone. The processägare is narrowed further to those who
    may handle a record of the process's unit."""
    from kvalitet.models import Uppdrag

    personal = (
        Uppdrag.objects.giltiga()
        .filter(roll__in=karnan.PERSONAL, enhet__aktiv=True)
        .values("anvandare")
    )
    return (
        get_user_model()
        .objects.filter(is_active=True, pk__in=personal)
        .order_by("first_name", "last_name", "username")
    )


class NyProcessForm(ModelForm):
    """A process added to the process map. Its processägare is chosen among those who may
    handle a record of its unit, as a case's handler is."""

    class Meta:
        model = Process
        fields = [
            "enhet",
            "namn",
            "typ",
            "syfte",
            "mal",
            "handlaggare",
            "processledare",
            "inrattad",
        ]
        widgets = {"syfte": TEXTRUTA, "mal": TEXTRUTA}
        help_texts = {
            "enhet": _(
                "Där processen leds från: förvaltningen för en process som går över avdelningarna."
            ),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enhet"].queryset = behorighet.processenheter(user)
        self.fields["enhet"].label_from_instance = lambda e: e.indenterat_namn
        self.fields["handlaggare"].required = True
        self.fields["handlaggare"].queryset = _personer()
        self.fields["processledare"].queryset = _personer()
        self.fields["inrattad"].validators.append(ej_framtid)

    def clean(self):
        data = super().clean()
        enhet, agare = data.get("enhet"), data.get("handlaggare")
        if enhet and agare and not karnan.mojliga_handlaggare(enhet).filter(pk=agare.pk).exists():
            self.add_error(
                "handlaggare",
                _(
                    "%(namn)s arbetar inte i %(enhet)s eller någon enhet i dess linje och kan "
                    "inte vara processägare där."
                )
                % {"namn": agare.get_full_name() or agare, "enhet": enhet.namn},
            )
        return data


class ProcessForm(OvergangForm):
    """What the process is, and who owns and leads it."""

    FALT = ("namn", "typ", "syfte", "mal", "handlaggare", "processledare", "inrattad")

    def __init__(self, *args, arende, user, **kwargs):
        super().__init__(*args, arende=arende, user=user, **kwargs)
        falt = forms.fields_for_model(
            Process, fields=self.FALT, widgets={"syfte": TEXTRUTA, "mal": TEXTRUTA}
        )
        falt["handlaggare"].required = True
        falt["handlaggare"].queryset = karnan.mojliga_handlaggare(arende.enhet)
        falt["processledare"].queryset = _personer()
        falt["inrattad"].validators.append(ej_framtid)
        self.lagg_till_falt(falt)

    def initial_fran(self, arende):
        return {
            f: getattr(arende, f"{f}_id" if f in ("handlaggare", "processledare") else f)
            for f in self.FALT
        }


class NyckeltalForm(OvergangForm):
    """A new key figure of the process."""

    FALT = ("namn", "definition", "matt", "riktning")

    def __init__(self, *args, arende, user, **kwargs):
        super().__init__(*args, arende=arende, user=user, **kwargs)
        falt = forms.fields_for_model(
            Nyckeltal,
            fields=self.FALT,
            widgets={"definition": TEXTRUTA, "riktning": forms.RadioSelect},
        )
        falt["riktning"].choices = Riktning.choices  # radio buttons, no blank "---"
        self.lagg_till_falt(falt)

    def clean_namn(self):
        namn = self.cleaned_data.get("namn")
        if namn and self.arende.nyckeltal.filter(namn__iexact=namn).exists():
            raise forms.ValidationError(_("Processen har redan ett nyckeltal med det namnet."))
        return namn


class _ValjNyckeltal(OvergangForm):
    """A form on one of the process's key figures."""

    def __init__(self, *args, arende, user, **kwargs):
        super().__init__(*args, arende=arende, user=user, **kwargs)
        self.fields["nyckeltal"] = forms.ModelChoiceField(
            label=_("Vilket nyckeltal?"),
            queryset=arende.nyckeltal.all(),
            error_messages={
                "required": _("Välj nyckeltal."),
                "invalid_choice": _("Välj ett av processens nyckeltal."),
            },
        )
        self.order_fields(["nyckeltal"])


class AndraNyckeltalForm(_ValjNyckeltal):
    """Change what is given and keep the rest: the current values are on the page above
    the form, and a choice between key figures cannot fill a form without a script."""

    FALT = ("namn", "definition", "matt")
    OFORANDRAD = ""

    def __init__(self, *args, arende, user, **kwargs):
        super().__init__(*args, arende=arende, user=user, **kwargs)
        falt = forms.fields_for_model(Nyckeltal, fields=self.FALT, widgets={"definition": TEXTRUTA})
        for f in falt.values():
            f.required = False
        falt["namn"].label = _("Nytt namn")
        falt["definition"].label = _("Ny definition")
        falt["matt"].label = _("Ny måttenhet")
        falt["riktning"] = forms.TypedChoiceField(
            label=_("Målet är"),
            choices=[(self.OFORANDRAD, _("Som förut")), *Riktning.choices],
            required=False,
            empty_value=None,
            widget=forms.RadioSelect,
        )
        falt["aktivt"] = forms.TypedChoiceField(
            label=_("Mäts nyckeltalet?"),
            choices=[
                (self.OFORANDRAD, _("Som förut")),
                ("ja", _("Ja")),
                ("nej", _("Nej, inte längre")),
            ],
            coerce=lambda v: v == "ja",
            required=False,
            empty_value=None,
            widget=forms.RadioSelect,
        )
        self.lagg_till_falt(falt)
        self.fields["nyckeltal"].help_text = _(
            "Fyll bara i det som ska ändras; det du lämnar tomt behålls."
        )
        self.order_fields(["nyckeltal", *self.FALT, "riktning", "aktivt"])

    def initial_fran(self, arende):
        return {"riktning": self.OFORANDRAD, "aktivt": self.OFORANDRAD}

    def clean(self):
        data = super().clean()
        nyckeltal, namn = data.get("nyckeltal"), data.get("namn")
        if (
            nyckeltal
            and namn
            and (self.arende.nyckeltal.filter(namn__iexact=namn).exclude(pk=nyckeltal.pk).exists())
        ):
            self.add_error("namn", _("Processen har redan ett nyckeltal med det namnet."))
        return data


def _talfalt(label, **kwargs):
    """A value as typed in Swedish ("9,5") or with a point ("9.5"): a text field with the
    decimal keyboard on a phone – a number field drops or misreads a comma in some
    browsers ("9,5" became 95)."""
    return forms.DecimalField(
        label=label,
        max_digits=12,
        decimal_places=2,
        localize=True,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        **kwargs,
    )


class VardeForm(_ValjNyckeltal):
    """A key figure's target and result for one year."""

    FALT = ("ar", "malvarde", "utfall", "kommentar")

    def __init__(self, *args, arende, user, **kwargs):
        super().__init__(*args, arende=arende, user=user, **kwargs)
        self.fields["nyckeltal"].queryset = arende.nyckeltal.filter(aktivt=True)
        falt = forms.fields_for_model(Nyckeltalsvarde, fields=("ar", "kommentar"))
        falt["malvarde"] = _talfalt(
            _("Målvärde"),
            help_text=_("Lämna tomt för att behålla årets målvärde när du registrerar utfallet."),
        )
        falt["utfall"] = _talfalt(_("Utfall"), help_text=_("Lämna tomt tills året är mätt."))
        self.lagg_till_falt(falt)
        self.order_fields(["nyckeltal", *self.FALT])

    def initial_fran(self, arende):
        """This year, or last year while one of its targets still waits for a result
        (January's follow-up, as "Mina ärenden" asks for it)."""
        ar = timezone.localdate().year
        vantar = Nyckeltalsvarde.objects.filter(
            nyckeltal__process=arende, nyckeltal__aktivt=True, ar=ar - 1, utfall__isnull=True
        ).exists()
        return {"ar": ar - 1 if vantar else ar}


class HandelseForm(OvergangForm):
    """The process or one of its styrdokument was mapped, revised or published."""

    FALT = ("datum", "typ", "dokument", "beskrivning")

    def __init__(self, *args, arende, user, **kwargs):
        super().__init__(*args, arende=arende, user=user, **kwargs)
        falt = forms.fields_for_model(
            Processhandelse, fields=self.FALT, widgets={"typ": forms.RadioSelect}
        )
        falt["typ"].choices = Handelsetyp.choices  # radio buttons, no blank "---"
        falt["datum"].validators.append(ej_framtid)
        self.lagg_till_falt(falt)

    def initial_fran(self, arende):
        return {"datum": timezone.localdate()}


class AvvecklaForm(OvergangForm):
    datum = forms.DateField(label=_("Avvecklad från"), validators=[ej_framtid])
    # `kommentar`: the workflow engine writes a transition's comment on the timeline.
    kommentar = forms.CharField(
        label=_("Varför avvecklas processen?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Ange varför processen avvecklas.")},
    )

    def initial_fran(self, arende):
        return {"datum": timezone.localdate()}
