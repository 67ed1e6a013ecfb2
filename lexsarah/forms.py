"""Forms of the lex Sarah case type: the rapport and the steps' input."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kvalitet import behorighet
from kvalitet.forms import (
    AttachmentField,
    KodlistorFalt,
    ModelForm,
    OvergangForm,
    UtanPersonnummer,
    ej_framtid,
    ja_nej_falt,
)
from kvalitet.models import Orsaksomrade

from .choices import Beslutsfattare, Informerad, IvoUtfall, Kalla, Klassning, Risk
from .models import LexSarah, forlopp_som_text, tolka_forlopp

TEXT = {"rows": 4}
KORT = {"rows": 2}


class RapportForm(ModelForm):
    """The lex Sarah rapport: any staff member, on a phone, in a few minutes."""

    bilaga = AttachmentField(required=False, label=_("Bifoga fil (valfritt)"))

    class Meta:
        model = LexSarah
        fields = [
            "enhet",
            "handelsedatum",
            "handelsedatum_ungefarligt",
            "beskrivning",
            "kalla",
            "kalla_beskrivning",
            "vidtaget_direkt",
        ]
        labels = {
            "enhet": _("Enhet där det hände"),
            "handelsedatum": _("När hände det? (lämna tomt om du inte vet)"),
            "handelsedatum_ungefarligt": _("Datumet är ungefärligt"),
            "beskrivning": _("Vad har hänt, eller vad kan hända?"),
            "kalla": _("Var kommer uppgifterna från?"),
            "kalla_beskrivning": _(
                "Vem lämnade uppgifterna, om det var någon annan? (organisation eller roll)"
            ),
            "vidtaget_direkt": _("Vad har gjorts redan?"),
        }
        help_texts = {
            "beskrivning": _(
                "Beskriv missförhållandet eller risken och hur den enskilde påverkas. Skriv "
                "inte personnummer eller namn: skriv till exempel ”ungdomen” eller "
                "”familjehemmet”."
            ),
            "kalla_beskrivning": _("Till exempel ”utföraren Solgläntan HVB” eller ”IVO”."),
        }
        widgets = {
            "kalla": forms.RadioSelect,
            "beskrivning": forms.Textarea(attrs={"rows": 6}),
            "vidtaget_direkt": forms.Textarea(attrs=KORT),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enhet"].queryset = behorighet.rapporteringsenheter(user)
        self.fields["enhet"].label_from_instance = lambda e: e.indenterat_namn
        self.fields["enhet"].empty_label = _("Välj enhet")
        egna = [u.enhet for u in behorighet.uppdrag(user) if u.roll in behorighet.PERSONAL]
        if egna and not self.is_bound:
            self.fields["enhet"].initial = egna[0].pk
        self.fields["handelsedatum"].validators.append(ej_framtid)
        self.fields["kalla"].choices = Kalla.choices  # a radio list without a blank choice


class KommentarForm(OvergangForm):
    kommentar = forms.CharField(
        label=_("Kommentar (valfri)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs=KORT),
    )


class OmedelbaraForm(OvergangForm):
    omedelbara_atgarder = forms.CharField(
        label=_("Vad har gjorts för den enskilde?"),
        max_length=10_000,
        widget=forms.Textarea(attrs=TEXT),
    )
    stod_personal = forms.CharField(
        label=_("Vilket stöd har personalen fått?"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs=KORT),
    )
    informerad = forms.ChoiceField(
        label=_("Har den enskilde eller företrädaren informerats?"),
        choices=Informerad.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Svara ja eller nej.")},
    )
    informerad_datum = forms.DateField(
        label=_("När informerades hen?"), required=False, validators=[ej_framtid]
    )
    informerad_hur = forms.CharField(
        label=_("Hur? (samtal, möte, brev …)"), max_length=300, required=False
    )
    ej_informerad_skal = forms.CharField(
        label=_("Om inte: varför?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs=KORT),
    )

    def initial_fran(self, arende):
        return {f: getattr(arende, f) for f in self.base_fields if getattr(arende, f)}

    def clean(self):
        data = super().clean()
        if data.get("informerad") == Informerad.JA:
            datum = data.get("informerad_datum")
            # A date already refused (in the future, not a date) keeps its own message.
            if not datum and not self.has_error("informerad_datum"):
                self.add_error("informerad_datum", _("Ange när den enskilde informerades."))
            # Not before the event, when its date is known (an approximate one is no bound).
            handelse = None if self.arende.handelsedatum_ungefarligt else self.arende.handelsedatum
            if datum and handelse and datum < handelse:
                self.add_error(
                    "informerad_datum",
                    _("Den enskilde kan inte ha informerats före händelsen (%(dag)s).")
                    % {"dag": handelse.isoformat()},
                )
            if not (data.get("informerad_hur") or "").strip():
                self.add_error("informerad_hur", _("Ange hur den enskilde informerades."))
        elif data.get("informerad") == Informerad.NEJ:
            if not (data.get("ej_informerad_skal") or "").strip():
                self.add_error(
                    "ej_informerad_skal", _("Skriv varför den enskilde inte har informerats.")
                )
            data["informerad_datum"] = None
            data["informerad_hur"] = ""
        return data


class UtredningForm(OvergangForm):
    """The investigation under the real document's headings."""

    bakgrund = forms.CharField(
        label=_("Bakgrund"), max_length=20_000, required=False, widget=forms.Textarea(attrs=TEXT)
    )
    metod = forms.CharField(
        label=_("Metod"),
        max_length=10_000,
        required=False,
        help_text=_("Vilka källor: journalen, samtal med (roller) … Skriv roller, inte namn."),
        widget=forms.Textarea(attrs=KORT),
    )
    klient_hord = ja_nej_falt(_("Har den enskilde fått komma till tals?"))
    klient_ej_hord_skal = forms.CharField(
        label=_("Om inte: varför?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs=KORT),
    )
    handelseforlopp = forms.CharField(
        label=_("Händelseförlopp"),
        max_length=20_000,
        required=False,
        help_text=_(
            "En händelse per rad: datum först, sedan vad som hände. "
            "Till exempel: 2026-03-02 Beslutet skickades till en gammal adress."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    orsaker = forms.CharField(
        label=_("Bakomliggande orsaker"),
        max_length=20_000,
        required=False,
        widget=forms.Textarea(attrs=TEXT),
    )
    orsaksomraden = KodlistorFalt(
        label=_("Orsaksområden"),
        queryset=Orsaksomrade.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    tidigare = forms.CharField(
        label=_("Tidigare utredningar och liknande händelser"),
        max_length=10_000,
        required=False,
        help_text=_("De liknande händelser du länkar visas här i utredningen också."),
        widget=forms.Textarea(attrs=KORT),
    )
    vidtagna_atgarder = forms.CharField(
        label=_("Vidtagna åtgärder (med datum)"),
        max_length=20_000,
        required=False,
        widget=forms.Textarea(attrs=KORT),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["orsaksomraden"].queryset = Orsaksomrade.objects.filter(aktiv=True)

    def initial_fran(self, arende):
        initial = {
            f: getattr(arende, f)
            for f in (
                "bakgrund",
                "metod",
                "klient_hord",
                "klient_ej_hord_skal",
                "orsaker",
                "tidigare",
                "vidtagna_atgarder",
            )
        }
        initial["handelseforlopp"] = forlopp_som_text(arende.handelseforlopp)
        if arende.pk:
            initial["orsaksomraden"] = list(arende.orsaksomraden.values_list("pk", flat=True))
        return initial

    def clean_handelseforlopp(self):
        try:
            return tolka_forlopp(self.cleaned_data["handelseforlopp"])
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None

    def clean(self):
        data = super().clean()
        if data.get("klient_hord") is False and not (data.get("klient_ej_hord_skal") or "").strip():
            self.add_error("klient_ej_hord_skal", _("Skriv varför den enskilde inte har hörts."))
        return data


class BedomningForm(OvergangForm):
    klassning = forms.ChoiceField(
        label=_("Klassning"),
        choices=Klassning.choices,
        widget=forms.RadioSelect,
        help_text=_("De två allvarligaste nivåerna ska anmälas till IVO snarast."),
        error_messages={"required": _("Välj en klassning.")},
    )
    risk_for_upprepning = forms.ChoiceField(
        label=_("Risk för upprepning"),
        choices=Risk.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Bedöm risken för upprepning.")},
    )
    atgardsplan_kravs = ja_nej_falt(_("Krävs en åtgärdsplan?"))
    bedomning = forms.CharField(
        label=_("Bedömning"), max_length=10_000, widget=forms.Textarea(attrs=TEXT)
    )

    def initial_fran(self, arende):
        return {
            f: getattr(arende, f)
            for f in ("klassning", "risk_for_upprepning", "atgardsplan_kravs", "bedomning")
        }


class TjansteskrivelseForm(UtanPersonnummer, OvergangForm):
    """Text written for the nämnd: no names, no identities (DOMAIN.md §4.3 step 6)."""

    sammanfattning_namnd = forms.CharField(
        label=_("Sammanfattning av ärendet"),
        max_length=10_000,
        help_text=_(
            "Skrivs för nämnden: inga namn eller personuppgifter. Skriv ”den enskilde”, "
            "”ungdomen”, ”familjehemmet”; personal med sin roll."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    forslag_till_beslut = forms.CharField(
        label=_("Förslag till beslut"), max_length=5000, widget=forms.Textarea(attrs=KORT)
    )
    handlingar = forms.CharField(
        label=_("Ärendets handlingar"),
        max_length=2000,
        required=False,
        help_text=_("En handling per rad."),
        widget=forms.Textarea(attrs=KORT),
    )
    skickas_till = forms.CharField(
        label=_("Beslutet skickas till"),
        max_length=2000,
        required=False,
        help_text=_("En mottagare per rad, till exempel IVO."),
        widget=forms.Textarea(attrs=KORT),
    )

    def initial_fran(self, arende):
        return {
            f: getattr(arende, f)
            for f in ("sammanfattning_namnd", "forslag_till_beslut", "handlingar", "skickas_till")
        }


class BeslutForm(OvergangForm):
    beslutsfattare = forms.ChoiceField(
        label=_("Vem beslutade?"), choices=Beslutsfattare.choices, widget=forms.RadioSelect
    )
    beslutad = forms.DateField(label=_("Beslutsdatum"), validators=[ej_framtid])
    beslut_text = forms.CharField(
        label=_("Beslut"), max_length=5000, widget=forms.Textarea(attrs=KORT)
    )
    diarienummer = forms.CharField(
        label=_("Diarienummer"),
        max_length=40,
        help_text=_("Från diariet, till exempel SOCN/2026:25."),
    )
    sammantradesdatum = forms.DateField(
        label=_("Nämndens sammanträde"), required=False, validators=[ej_framtid]
    )
    paragraf = forms.CharField(label=_("Paragraf (§)"), max_length=20, required=False)
    kommentar = forms.CharField(
        label=_("Anteckning (intern, valfri)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs=KORT),
    )

    def initial_fran(self, arende):
        return {
            "beslutsfattare": arende.beslutsfattare or settings.LEXSARAH_BESLUTAS_AV,
            "beslutad": timezone.localdate(),
            "beslut_text": arende.forslag_till_beslut,
        }

    def clean_diarienummer(self):
        return self.cleaned_data["diarienummer"].strip()

    def clean_paragraf(self):
        """The number only: the label says "Paragraf (§)", so "§ 47" is typed as often
        as "47"; the pages and documents write the sign themselves."""
        return self.cleaned_data["paragraf"].strip().lstrip("§").strip()

    def clean(self):
        data = super().clean()
        if data.get("beslutsfattare") == Beslutsfattare.NAMND:
            if not data.get("sammantradesdatum"):
                self.add_error("sammantradesdatum", _("Ange nämndens sammanträdesdatum."))
            if not (data.get("paragraf") or "").strip():
                self.add_error("paragraf", _("Ange paragrafen i nämndens protokoll."))
        else:
            data["sammantradesdatum"] = None
            data["paragraf"] = ""
        beslutad = data.get("beslutad")
        if beslutad and beslutad < self.arende.rapportdag:
            self.add_error("beslutad", _("Beslutet kan inte ha fattats innan rapporten kom in."))
        return data


class AnmalanForm(OvergangForm):
    ivo_anmald = forms.DateField(label=_("Anmäld till IVO"), validators=[ej_framtid])
    ivo_diarienummer = forms.CharField(
        label=_("IVO:s diarienummer (när det kommit)"), max_length=40, required=False
    )
    ivo_anmalan = forms.CharField(
        label=_("Anmälan som den skickades"),
        max_length=20_000,
        required=False,
        help_text=_("Klistra in texten, eller bifoga anmälan som fil på ärendet."),
        widget=forms.Textarea(attrs=TEXT),
    )

    def initial_fran(self, arende):
        return {
            "ivo_anmald": arende.ivo_anmald or timezone.localdate(),
            "ivo_diarienummer": arende.ivo_diarienummer,
            "ivo_anmalan": arende.ivo_anmalan,
        }


class IvoFragaForm(OvergangForm):
    fraga_datum = forms.DateField(label=_("IVO:s fråga kom"), validators=[ej_framtid])
    fraga = forms.CharField(
        label=_("Vad IVO frågar eller begär"), max_length=5000, widget=forms.Textarea(attrs=KORT)
    )
    svar_datum = forms.DateField(
        label=_("Förvaltningen svarade (om den har svarat)"),
        required=False,
        validators=[ej_framtid],
    )
    svar = forms.CharField(
        label=_("Svaret"), max_length=10_000, required=False, widget=forms.Textarea(attrs=KORT)
    )

    def clean(self):
        data = super().clean()
        fraga, svar = data.get("fraga_datum"), data.get("svar_datum")
        if svar and fraga and svar < fraga:
            self.add_error("svar_datum", _("Svaret kan inte ha skickats före frågan."))
        if svar and not (data.get("svar") or "").strip():
            self.add_error("svar", _("Skriv svaret, eller lämna svarsdatumet tomt."))
        return data


class IvoBeslutForm(OvergangForm):
    ivo_beslut = forms.DateField(label=_("IVO:s beslut"), validators=[ej_framtid])
    ivo_utfall = forms.ChoiceField(
        label=_("Utfall"), choices=IvoUtfall.choices, widget=forms.RadioSelect
    )
    ivo_kommentar = forms.CharField(
        label=_("IVO:s beslut i korthet"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs=KORT),
    )

    def initial_fran(self, arende):
        return {
            "ivo_beslut": arende.ivo_beslut,
            "ivo_utfall": arende.ivo_utfall,
            "ivo_kommentar": arende.ivo_kommentar,
        }


class UppfoljningForm(OvergangForm):
    uppfoljd = forms.DateField(label=_("Uppföljd"), validators=[ej_framtid])
    uppfoljning = forms.CharField(
        label=_("Vad visade uppföljningen?"),
        max_length=10_000,
        widget=forms.Textarea(attrs=TEXT),
    )

    def initial_fran(self, arende):
        return {
            "uppfoljd": arende.uppfoljd or timezone.localdate(),
            "uppfoljning": arende.uppfoljning,
        }


class AvslutaForm(OvergangForm):
    aterkoppling = forms.CharField(
        label=_("Återkoppling till den som rapporterade"),
        max_length=5000,
        help_text=_("Den som rapporterade ser bara status och den här texten."),
        widget=forms.Textarea(attrs=KORT),
    )


class SammanfattningForm(UtanPersonnummer, OvergangForm):
    """The anonymised summary the kvalitetsberättelse prints: nothing that identifies."""

    anonym_sammanfattning = forms.CharField(
        label=_("Anonymiserad sammanfattning för kvalitetsberättelsen"),
        max_length=3000,
        help_text=_("Inga namn, åldrar, adresser eller annat som pekar ut en person."),
        widget=forms.Textarea(attrs=TEXT),
    )

    def initial_fran(self, arende):
        return {"anonym_sammanfattning": arende.anonym_sammanfattning}
