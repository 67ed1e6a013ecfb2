"""Forms of the synpunkt case type: the public e-service and the staff side."""

import re
from datetime import datetime, time

from django import forms
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kvalitet.forms import (
    AttachmentField,
    EngangsnyckelFalt,
    Form,
    KodlistaFalt,
    OvergangForm,
    ej_framtid,
    ja_nej,
    ja_nej_falt,
)
from kvalitet.models import Enhet

from .choices import Avsandare, Delegationsstatus, Kanal, Svarssatt, Typ
from .models import (
    Kategori,
    Synpunkt,
    forvaltningen,
    normalisera_referens,
    publika_enheter,
)

TELEFON = re.compile(r"^\+?[0-9 ()\-]{6,20}$")
VET_EJ = "vet_ej"


class KontaktMixin:
    """Contact details: a name and at least one way to reach the person."""

    # Said to the one who writes: the submitter in the e-service, staff registering
    # what someone else said (PersonalForm).
    NAMN_SAKNAS = _("Skriv ditt namn, eller välj att vara anonym.")

    def clean_telefon(self):
        telefon = self.cleaned_data.get("telefon", "").strip()
        if telefon and not TELEFON.match(telefon):
            raise ValidationError(_("Skriv telefonnumret med siffror, till exempel 070-123 45 67."))
        return telefon

    def kontakt(self):
        """The contact fields as a dict, or None when the submitter is anonymous."""
        data = self.cleaned_data
        if data.get("anonym"):
            return None
        return {
            "namn": data.get("namn", ""),
            "epost": data.get("epost", ""),
            "telefon": data.get("telefon", ""),
            "vill_ha_svar": bool(data.get("vill_ha_svar")),
        }

    def kontrollera_kontakt(self, cleaned):
        if cleaned.get("anonym") is False:
            # A field that is already wrong (too long, not an address) keeps its own
            # message only; "write your name" would be untrue there.
            if not cleaned.get("namn", "").strip() and not self.has_error("namn"):
                self.add_error("namn", self.NAMN_SAKNAS)
            ogiltig = self.has_error("epost") or self.has_error("telefon")
            if not cleaned.get("epost") and not cleaned.get("telefon") and not ogiltig:
                self.add_error(
                    "epost", _("Skriv en e-postadress eller ett telefonnummer så att vi kan svara.")
                )


# The units the e-service offers, kept a minute per process (and forgotten at once in
# the process that changes a unit, synpunkter.apps): a submission reads no unit. A
# unit closed meanwhile is still accepted for that minute; the worker then routes the
# submission to the förvaltning instead (`Inlamning._enhet`).
ENHETER_NYCKEL = "synpunkter.publika_enheter"
ENHETER_SEKUNDER = 60


def erbjudna_enheter():
    """The units a citizen can choose, as (pk, name) in the organisation's order."""
    enheter = cache.get(ENHETER_NYCKEL)
    if enheter is None:
        enheter = list(publika_enheter().order_by("sokvag", "pk").values_list("pk", "namn"))
        cache.set(ENHETER_NYCKEL, enheter, ENHETER_SEKUNDER)
    return enheter


def glom_erbjudna_enheter(**kwargs):
    cache.delete(ENHETER_NYCKEL)


class PublikForm(KontaktMixin, Form):
    """The public e-service (/synpunkter/lamna/). Plain Swedish, every field limited."""

    typ = forms.ChoiceField(
        label=_("Vad vill du lämna?"),
        choices=Typ.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj vad du vill lämna.")},
    )
    beskrivning = forms.CharField(
        label=_("Vad gäller det?"),
        max_length=5000,
        error_messages={"required": _("Skriv vad det gäller.")},
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Beskriv vad som hände och när. Skriv inte personnummer. Högst 5 000 tecken."),
    )
    enhet = forms.ChoiceField(
        label=_("Vilken verksamhet gäller det?"),
        help_text=_("Välj ”Vet inte” om du är osäker. Vi skickar det rätt."),
    )
    anonym = forms.TypedChoiceField(
        label=_("Vill du vara anonym?"),
        choices=[
            (True, _("Ja, jag vill vara anonym")),
            (False, _("Nej, jag lämnar kontaktuppgifter")),
        ],
        coerce=ja_nej,
        widget=forms.RadioSelect,
        help_text=_("Om du är anonym kan vi inte svara dig."),
        error_messages={"required": _("Välj om du vill vara anonym eller inte.")},
    )
    namn = forms.CharField(label=_("Ditt namn"), max_length=200, required=False)
    epost = forms.EmailField(label=_("E-post"), max_length=254, required=False)
    telefon = forms.CharField(label=_("Telefon"), max_length=20, required=False)
    vill_ha_svar = forms.BooleanField(label=_("Jag vill ha svar"), required=False, initial=True)
    bilaga = AttachmentField(required=False, label=_("Bifoga en fil (valfritt)"))
    # Honeypot: hidden from people (and from assistive technology); bots fill it in.
    hemsida = forms.CharField(
        label=_("Lämna detta fält tomt"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    # The form's one-time key (`Inlamning.nyckel`): sending the same form twice gives
    # the first submission's receipt, not a second submission.
    nyckel = EngangsnyckelFalt()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.enheter = dict(erbjudna_enheter())
        self.fields["enhet"].choices = [(VET_EJ, _("Vet inte"))] + [
            (str(pk), namn) for pk, namn in self.enheter.items()
        ]
        self.fields["enhet"].initial = VET_EJ

    def clean(self):
        cleaned = super().clean()
        self.kontrollera_kontakt(cleaned)
        return cleaned

    def ar_bot(self):
        return bool(self.data.get("hemsida"))

    def inlamning(self):
        """The accepted submission as `Inlamning.ta_emot` takes it."""
        data = self.cleaned_data
        kontakt = self.kontakt()
        return {
            "nyckel": data["nyckel"],
            "typ": data["typ"],
            "beskrivning": data["beskrivning"],
            # Validation accepted only the units offered (or "Vet inte").
            "enhet_id": None if data["enhet"] == VET_EJ else int(data["enhet"]),
            "anonym": kontakt is None,
            "kontakt": kontakt,
            "bekraftelse": bool(kontakt and kontakt["epost"]),
            "bilaga": data.get("bilaga"),
        }


class StatusForm(Form):
    """Look up a submission by its reference number and the date it was sent."""

    referens = forms.CharField(
        label=_("Referensnummer"),
        max_length=20,  # read out or typed with spaces; normalised below
        help_text=_("Står på kvittot och i bekräftelsen, till exempel K7M4-Q2XP."),
    )
    datum = forms.DateField(label=_("Datum då du skickade den"), validators=[ej_framtid])

    def clean_referens(self):
        return normalisera_referens(self.cleaned_data["referens"])


class PersonalForm(KontaktMixin, Form):
    """Staff register a synpunkt received by e-mail, letter, phone, visit or from IVO."""

    NAMN_SAKNAS = _("Skriv avsändarens namn, eller svara att kontaktuppgifter saknas.")

    kanal = forms.ChoiceField(
        label=_("Hur kom den in?"),
        choices=[c for c in Kanal.choices if c[0] != Kanal.E_TJANST],
    )
    ivo_diarienummer = forms.CharField(
        label=_("IVO:s diarienummer"),
        max_length=40,
        required=False,
        help_text=_("Bara när den kom via IVO. Står på IVO:s överlämnande."),
    )
    ivo_skickad = forms.DateField(
        label=_("Datum då IVO skickade den"), required=False, validators=[ej_framtid]
    )
    ivo_svar_senast = forms.DateField(label=_("IVO vill ha svar senast"), required=False)
    avsandare = forms.ChoiceField(label=_("Vem lämnade den?"), choices=Avsandare.choices)
    typ = forms.ChoiceField(label=_("Typ"), choices=Typ.choices, widget=forms.RadioSelect)
    inkom = forms.DateField(label=_("Datum då den kom in"), validators=[ej_framtid])
    beskrivning = forms.CharField(
        label=_("Vad gäller det?"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 6})
    )
    enhet = forms.ModelChoiceField(
        label=_("Verksamhet (om känd)"),
        queryset=Enhet.objects.none(),
        required=False,
        empty_label=_("Vet inte – registratorn fördelar"),
    )
    anonym = forms.TypedChoiceField(
        label=_("Finns kontaktuppgifter?"),
        choices=[(False, _("Ja")), (True, _("Nej, anonym eller okänd"))],
        coerce=ja_nej,
        widget=forms.RadioSelect,
        error_messages={"required": _("Svara ja eller nej.")},
    )
    namn = forms.CharField(label=_("Namn"), max_length=200, required=False)
    epost = forms.EmailField(label=_("E-post"), max_length=254, required=False)
    telefon = forms.CharField(label=_("Telefon"), max_length=20, required=False)
    vill_ha_svar = forms.BooleanField(label=_("Vill ha svar"), required=False, initial=True)
    bilaga = AttachmentField(required=False, label=_("Bifoga fil (valfritt)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enhet"].queryset = Enhet.objects.aktiva()
        self.fields["enhet"].label_from_instance = lambda e: e.indenterat_namn
        self.fields["inkom"].initial = timezone.localdate

    IVO_FALT = ("ivo_diarienummer", "ivo_skickad", "ivo_svar_senast")

    def clean(self):
        cleaned = super().clean()
        self.kontrollera_kontakt(cleaned)
        self.kontrollera_ivo(cleaned)
        return cleaned

    def kontrollera_ivo(self, cleaned):
        """IVO's case number and sending date when it came via IVO; none otherwise."""
        if cleaned.get("kanal") != Kanal.VIA_IVO:
            for falt in self.IVO_FALT:
                if cleaned.get(falt):
                    self.add_error(falt, _("Fylls bara i när den kom via IVO."))
            return
        for falt in ("ivo_diarienummer", "ivo_skickad"):
            if falt in cleaned and not cleaned[falt]:
                self.add_error(falt, _("Fyll i uppgiften från IVO:s överlämnande."))
        skickad, senast, inkom = (
            cleaned.get("ivo_skickad"),
            cleaned.get("ivo_svar_senast"),
            cleaned.get("inkom"),
        )
        if skickad and inkom and skickad > inkom:
            self.add_error("ivo_skickad", _("IVO kan inte ha skickat den efter att den kom in."))
        if skickad and senast and senast < skickad:
            self.add_error(
                "ivo_svar_senast", _("IVO:s svarsdatum kan inte ligga före dagen IVO skickade.")
            )

    def ivo(self):
        """The IVO fields for `Synpunkt.ta_emot` (empty unless it came via IVO)."""
        return {
            falt: self.cleaned_data.get(falt) or ("" if falt == "ivo_diarienummer" else None)
            for falt in self.IVO_FALT
        }

    def ta_emot(self, *, av):
        """Receive the valid form's synpunkt (`Synpunkt.ta_emot`): the one way staff
        register one, from the page (synpunkter.views.NyView) or through the API. Received
        today it gets the time now, an earlier day noon; without a unit it goes to the
        förvaltning, for the registrator to route."""
        data = self.cleaned_data
        dag = data["inkom"]
        inkom = (
            timezone.now()
            if dag == timezone.localdate()
            else timezone.make_aware(datetime.combine(dag, time(12)))
        )
        enhet = data["enhet"]
        return Synpunkt.ta_emot(
            av=av,
            typ=data["typ"],
            kanal=data["kanal"],
            avsandare=data["avsandare"],
            beskrivning=data["beskrivning"],
            inkom=inkom,
            enhet=enhet or forvaltningen(),
            enhet_okand=enhet is None,
            kontakt=self.kontakt(),
            bilaga=data.get("bilaga"),
            **self.ivo(),
        )


class IvoSvarForm(OvergangForm):
    """The answer sent to IVO, separate from the answer to the complainant."""

    svar = forms.CharField(
        label=_("Svar till IVO"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Det förvaltningen svarade IVO. Svaret till den som klagade ges för sig."),
    )
    datum = forms.DateField(label=_("Datum då svaret skickades"), validators=[ej_framtid])

    def initial_fran(self, arende):
        return {"svar": arende.ivo_svar, "datum": arende.ivo_besvarad or timezone.localdate()}


class RegistreraForm(OvergangForm):
    """The registrator registers and routes the synpunkt."""

    typ = forms.ChoiceField(label=_("Typ"), choices=Typ.choices)
    enhet = forms.ModelChoiceField(
        label=_("Fördela till enhet"), queryset=Enhet.objects.none(), empty_label=_("Välj enhet")
    )
    kategori = KodlistaFalt(
        label=_("Kategori"), queryset=Kategori.objects.none(), empty_label=_("Välj kategori")
    )
    avsandare = forms.ChoiceField(label=_("Avsändare"), choices=Avsandare.choices)
    diarienummer = forms.CharField(
        label=_("Diarienummer (valfritt)"),
        max_length=40,
        required=False,
        help_text=_("Från diariet, till exempel SOCN/2026:25."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enhet"].queryset = Enhet.objects.aktiva()
        self.fields["enhet"].label_from_instance = lambda e: e.indenterat_namn
        self.fields["kategori"].queryset = Kategori.objects.filter(aktiv=True)
        s = self.arende
        if not self.is_bound:
            self.initial.update(
                typ=s.typ,
                avsandare=s.avsandare,
                diarienummer=s.diarienummer,
                enhet=None if s.enhet_okand else s.enhet_id,
                kategori=s.kategori_id,
            )
        if s.anonym:
            self.fields["avsandare"].choices = [(Avsandare.ANONYM, Avsandare.ANONYM.label)]


class BesvaraForm(OvergangForm):
    svar = forms.CharField(
        label=_("Svar"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Gäller klagomålet ett beslut i ett enskilt ärende? Skriv att beslutet kan "
            "överklagas och hur."
        ),
    )
    svarssatt = forms.ChoiceField(label=_("Hur lämnas svaret?"), widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        s = self.arende
        val = [c for c in Svarssatt.choices if c[0] not in (Svarssatt.EPOST, Svarssatt.INGET)]
        if s.kan_fa_svar_med_epost:
            val.insert(0, (Svarssatt.EPOST, Svarssatt.EPOST.label))
        if s.kontakt is None:
            val.append((Svarssatt.INGET, Svarssatt.INGET.label))
        self.fields["svarssatt"].choices = val
        self.fields["svarssatt"].initial = val[0][0]


class AvslutaForm(OvergangForm):
    brustit = ja_nej_falt(_("Har verksamheten brustit?"))
    ledde_till_forbattring = ja_nej_falt(_("Har det lett till en förbättring?"))
    forbattring = forms.CharField(
        label=_("Vilken förbättring?"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DelegationForm(OvergangForm):
    status = forms.ChoiceField(
        label=_("Klagomålsdelegationen"),
        choices=Delegationsstatus.choices,
        widget=forms.RadioSelect,
    )
    datum = forms.DateField(label=_("Datum"), validators=[ej_framtid])
    anteckning = forms.CharField(
        label=_("Anteckning"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def initial_fran(self, arende):
        begard = bool(arende.delegation_begard)
        return {
            "status": Delegationsstatus.BEHANDLAD if begard else Delegationsstatus.BEGARD,
            "datum": timezone.localdate(),
        }
