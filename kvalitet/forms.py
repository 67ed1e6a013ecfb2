"""Shared forms: the base every form uses, and the forms of the cross-cutting records
(comments, attachments, improvement actions, links)."""

import re
import secrets
from datetime import date, datetime, timedelta

import filetype
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from kvalitet import arendetyper, behorighet, liknande
from kvalitet.lib import beslut
from kvalitet.lib.datum import inom_granserna, utanfor_granserna_text
from kvalitet.models import Atgard, Atgardstyp, User

HTML_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")


class Renderer(TemplatesSetting):
    """Form rendering with our accessible field template (labels, errors tied to fields)."""

    field_template_name = "forms/field.html"


def ingen_html(value):
    """Free text is plain text: markup is refused rather than stored."""
    if isinstance(value, str) and HTML_TAG.search(value):
        raise ValidationError(
            _("Texten får inte innehålla HTML-kod som <script> eller andra taggar."),
            code="html",
        )


# YYMMDD-NNNN or YYYYMMDD-NNNN (also with "+" or a space, or none, between), a
# samordningsnummer's day + 60 included; the date part must be a possible date, so
# that other long numbers (a diarienummer, a phone number) pass.
PERSONNUMMER = re.compile(r"(?<!\d)(\d{2})?(\d{2})(\d{2})(\d{2})[-+ ]?(\d{4})(?!\d)")


def ser_ut_som_personnummer(text: str) -> bool:
    """Does `text` contain something that looks like a personnummer?"""
    for traff in PERSONNUMMER.finditer(text or ""):
        manad, dag = int(traff[3]), int(traff[4])
        if dag > 60:
            dag -= 60  # samordningsnummer
        if 1 <= manad <= 12 and 1 <= dag <= 31:
            return True
    return False


def inget_personnummer(value):
    if isinstance(value, str) and ser_ut_som_personnummer(value):
        raise ValidationError(
            _(
                "Texten ser ut att innehålla ett personnummer. Skriv aldrig personnummer, "
                "namn eller annat som identifierar en person."
            ),
            code="personnummer",
        )


class UtanPersonnummer:
    """Every text field of the form refuses a personnummer (also fields added later)."""

    def clean(self):
        data = super().clean()
        for namn, varde in list(self.cleaned_data.items()):
            if isinstance(varde, str) and namn in self.fields:
                try:
                    inget_personnummer(varde)
                except ValidationError as fel:
                    self.add_error(namn, fel)
        return data


class EngangsnyckelFalt(forms.CharField):
    """A form's one-time key: hidden, random, new with every form page. The same form
    sent twice – a reload of its answer page, a double click – carries the same key, so
    the second sending is recognised (a unique column where the first one was saved)
    and answered without doing it again. Whatever is not a key (missing, malformed, a
    stale page, a script) is replaced by a new one: an error on a hidden field could not
    be corrected by the person who sees the form."""

    widget = forms.HiddenInput
    MONSTER = re.compile(r"[A-Za-z0-9_-]{16,64}")

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(initial=self.ny, **kwargs)

    @staticmethod
    def ny() -> str:
        return secrets.token_urlsafe(24)

    def clean(self, value):
        value = self.to_python(value)
        return value if self.MONSTER.fullmatch(value) else self.ny()


class KvalitetFormMixin:
    """Base of every form: trims text, refuses markup, keeps dates within the product's
    bounds, marks invalid fields for assistive technology, and lists the errors in a
    summary."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._med_regler(self.fields.values())

    @staticmethod
    def _med_regler(falt):
        for field in falt:
            if isinstance(field, forms.CharField) and not isinstance(field, forms.EmailField):
                field.validators.append(ingen_html)
            if isinstance(field, forms.DateField):
                field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            if isinstance(field, forms.TimeField):
                field.widget = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")

    def lagg_till_falt(self, falt: dict):
        """Add fields once the form exists (a step's fields taken from its model, which
        depend on the record), under the same rules as the declared ones."""
        self._med_regler(falt.values())
        self.fields.update(falt)

    def _clean_fields(self):
        super()._clean_fields()
        # Django's step between the fields' own cleaning and the form's clean(): after
        # each field's validators and clean_<field>, so that a narrower rule ("not in the
        # future", "within five years") gives the one message, and before clean() and the
        # model's validation, so a date outside the bounds (kvalitet.lib.datum) never
        # reaches date arithmetic, a time-zone conversion or the database.
        for name, field in self.fields.items():
            if not isinstance(field, forms.DateField | forms.DateTimeField):
                continue
            value = self.cleaned_data.get(name)
            if isinstance(value, datetime):
                value = value.date()  # as given: converting it is what may overflow
            if isinstance(value, date) and not inom_granserna(value):
                self.add_error(name, ValidationError(utanfor_granserna_text(), code="datumgrans"))

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                if self[name].use_fieldset:
                    # Django ties errors to single inputs itself, not to radio groups.
                    attrs["aria-describedby"] = f"{self[name].auto_id}_error"

    def felsammanfattning(self):
        """(field id, label, message) for the error summary at the top of the form; the
        label with its colon ("Titel: "), or a space after a question ("Vad hände? ")."""
        rows = []
        for name, errors in self.errors.items():
            if name in self.fields:
                bound = self[name]
                etikett = str(bound.label).rstrip()
                etikett += " " if etikett.endswith(("?", "!", ".", ":")) else ": "
                rows += [(bound.auto_id, etikett, e) for e in errors]
            else:
                rows += [("", "", e) for e in errors]
        return rows


class Form(KvalitetFormMixin, forms.Form):
    pass


class ModelForm(KvalitetFormMixin, forms.ModelForm):
    pass


class MedDefinitioner:
    """A choice over an administrator-kept list (`Kodlista`) whose entries' definitions
    are shown under the field (templates/forms/field.html), where the choice is made."""

    @property
    def definitioner(self):
        return [(k.namn, k.beskrivning) for k in self.queryset if k.beskrivning]


class KodlistaFalt(MedDefinitioner, forms.ModelChoiceField):
    pass


class KodlistorFalt(MedDefinitioner, forms.ModelMultipleChoiceField):
    pass


class OvergangForm(Form):
    """Input of a guarded step (kvalitet.workflow); knows the record and the acting user.
    A blank form starts from `initial_fran(arende)`."""

    def __init__(self, *args, arende, user, **kwargs):
        kwargs.setdefault("initial", self.initial_fran(arende))
        super().__init__(*args, **kwargs)
        self.arende = arende
        self.user = user

    def initial_fran(self, arende) -> dict:
        """Initial values from the record (override)."""
        return {}


def fel_till_form(form, exc, alias=None):
    """Put a model ValidationError's messages on the form's fields (or the form). A
    model field named differently in the form is mapped by `alias` or by the form's
    `FALTALIAS` (model field → form field)."""
    alias = {**getattr(form, "FALTALIAS", {}), **(alias or {})}
    fel = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
    for falt, meddelanden in fel.items():
        falt = alias.get(falt, falt)
        for m in meddelanden:
            form.add_error(falt if falt in form.fields else None, m)


class AteroppnaForm(OvergangForm):
    kommentar = forms.CharField(
        label=_("Varför öppnas ärendet igen?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


JA_NEJ = [(True, _("Ja")), (False, _("Nej"))]


def ja_nej(value):
    """Coerce a posted yes/no radio value to a boolean (None when unanswered)."""
    return {"True": True, "False": False, True: True, False: False}.get(value)


def ja_nej_falt(label, *, choices=JA_NEJ, **kwargs):
    """A required yes/no question as radio buttons, with a clear message when unanswered."""
    kwargs.setdefault("error_messages", {"required": _("Svara ja eller nej.")})
    return forms.TypedChoiceField(
        label=label, choices=choices, coerce=ja_nej, widget=forms.RadioSelect, **kwargs
    )


def ej_framtid(value):
    if value and value > timezone.localdate():
        raise ValidationError(_("Datumet kan inte ligga i framtiden."), code="framtid")


class NamndbeslutForm(OvergangForm):
    """The references of a decision the nämnd took, as the product records it: the
    meeting's date, the § of the minutes and the diarienummer (kvalitet.lib.beslut). A
    form of a decided document (the kvalitetsberättelse, the risk register) extends it;
    `VAD` names the document in the meeting date's help text."""

    VAD = ""

    sammantradesdatum = forms.DateField(
        label=_("Nämndens sammanträde"),
        validators=[ej_framtid],
        error_messages={
            "invalid": _("Ange ett datum, t.ex. 2026-02-19."),
            "required": _("Ange datumet för nämndens sammanträde."),
        },
    )
    paragraf = forms.CharField(
        label=_("Paragraf (§) i protokollet"),
        max_length=beslut.PARAGRAF_MAX,
        help_text=_("T.ex. § 14."),
        error_messages={"required": _("Ange paragrafen (§) i nämndens protokoll.")},
    )
    diarienummer = forms.CharField(
        label=_("Diarienummer"),
        max_length=beslut.DIARIENUMMER_MAX,
        help_text=_("Ärendets diarienummer, t.ex. SN 2026/12."),
        error_messages={"required": _("Ange diarienumret.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sammantradesdatum"].help_text = _("Dagen då nämnden fastställde %(vad)s.") % {
            "vad": self.VAD
        }

    def clean_paragraf(self):
        try:
            return beslut.rensa_paragraf(self.cleaned_data["paragraf"])
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from None

    def clean_diarienummer(self):
        try:
            return beslut.rensa_diarienummer(self.cleaned_data["diarienummer"])
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from None


# --- Attachments ------------------------------------------------------------

# Extension → the content type its bytes must really have.
TILLATNA_FILTYPER = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "heic": "image/heic",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "txt": "text/plain",
}


def identifiera_fil(uppladdad):
    """Return the real content type of an upload, or raise ValidationError.

    The extension must be on the list and the bytes must match it: a renamed
    executable or HTML file is refused whatever it is called.
    """
    namn = uppladdad.name or ""
    ext = namn.rsplit(".", 1)[-1].lower() if "." in namn else ""
    if ext not in TILLATNA_FILTYPER:
        raise ValidationError(
            _("Filtypen är inte tillåten. Tillåtna är: %(typer)s.")
            % {"typer": ", ".join(sorted({e for e in TILLATNA_FILTYPER if e != "jpeg"}))},
            code="filtyp",
        )
    max_bytes = settings.BILAGA_MAX_MB * 1024 * 1024
    if uppladdad.size > max_bytes:
        raise ValidationError(
            _("Filen är för stor. Den får vara högst %(mb)s MB.") % {"mb": settings.BILAGA_MAX_MB},
            code="storlek",
        )
    if uppladdad.size == 0:
        raise ValidationError(_("Filen är tom."), code="tom")
    huvud = uppladdad.read(8192)
    uppladdad.seek(0)
    forvantad = TILLATNA_FILTYPER[ext]
    if ext == "txt":
        if b"\x00" in huvud or filetype.guess(huvud) is not None:
            raise ValidationError(_("Filen är inte en textfil."), code="innehall")
        try:
            huvud.decode("utf-8")
        except UnicodeDecodeError as exc:
            # A multi-byte character may be cut at the 8 KiB boundary.
            if exc.start < len(huvud) - 4:
                raise ValidationError(
                    _("Textfilen måste vara sparad som UTF-8."), code="innehall"
                ) from exc
        return forvantad
    gissad = filetype.guess(uppladdad.read(262_144) if ext in ("docx", "xlsx", "odt") else huvud)
    uppladdad.seek(0)
    if gissad is None or gissad.mime != forvantad:
        raise ValidationError(
            _("Filens innehåll stämmer inte med filändelsen .%(ext)s.") % {"ext": ext},
            code="innehall",
        )
    return forvantad


class AttachmentField(forms.FileField):
    """A file field that validates type, size and real content."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Bilaga"))
        kwargs.setdefault(
            "help_text",
            _("PDF, bild (JPG, PNG, HEIC), Word, Excel, ODT eller text. Högst %(mb)s MB.")
            % {"mb": settings.BILAGA_MAX_MB},
        )
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": _accept()}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        fil = super().clean(data, initial)
        if fil:
            fil.innehallstyp = identifiera_fil(fil)
        return fil


def _accept():
    return ",".join(f".{e}" for e in TILLATNA_FILTYPER)


class AttachmentForm(Form):
    fil = AttachmentField(label=_("Fil"))


class KommentarForm(Form):
    text = forms.CharField(
        label=_("Kommentar"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


# --- Improvement actions ------------------------------------------------------


class AtgardForm(ModelForm):
    """A new improvement action on a case; the owner is chosen among staff near the unit."""

    class Meta:
        model = Atgard
        fields = ["titel", "typ", "beskrivning", "ansvarig", "forfallodatum", "forvantad_effekt"]
        widgets = {
            "beskrivning": forms.Textarea(attrs={"rows": 3}),
            "forvantad_effekt": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, arende, **kwargs):
        super().__init__(*args, **kwargs)
        self.arende = arende
        self.fields["ansvarig"].queryset = behorighet.mojliga_ansvariga(arende.enhet)
        self.fields["ansvarig"].empty_label = _("Välj ansvarig")
        if (val := getattr(arende, "_ansvariga_val", None)) is not None:
            # Read already for the page's action cards (AndraAtgardForm): the same people.
            self.fields["ansvarig"].choices = val
        self.fields["typ"].choices = [("", _("Välj typ av åtgärd")), *Atgardstyp.choices]
        self.fields["forfallodatum"].initial = timezone.localdate() + timedelta(days=30)

    def clean_forfallodatum(self):
        return kontrollera_forfallodatum(self.cleaned_data["forfallodatum"])


def kontrollera_forfallodatum(value, *, nuvarande=None):
    """An action's due date: not past (unless it is the date it already has), within
    five years."""
    if value < timezone.localdate() and value != nuvarande:
        raise ValidationError(_("Datumet kan inte ligga i det förflutna."))
    if value > timezone.localdate() + timedelta(days=5 * 366):
        raise ValidationError(_("Datumet ligger för långt fram. Välj ett datum inom fem år."))
    return value


class AndraAtgardForm(OvergangForm):
    """Change an open action (`Atgard.andra`): the creation form's fields but its type,
    starting from what the action has. The owner is chosen as when it was given; the
    present one stays choosable even if they have since moved (then it is changed
    deliberately, not by a refused form)."""

    FALT = ("titel", "beskrivning", "ansvarig", "forfallodatum", "forvantad_effekt")

    def __init__(self, *args, arende, user, **kwargs):
        super().__init__(*args, arende=arende, user=user, **kwargs)
        fall = arende.arende
        mall = AtgardForm(arende=fall)
        for namn in self.FALT:
            self.fields[namn] = mall.fields[namn]
        ansvarig = self.fields["ansvarig"]
        # The people to choose among, read once for the case's page however many actions
        # it shows (each action card has this form); validated against the queryset.
        val = getattr(fall, "_ansvariga_val", None)
        if val is None:
            # Iterated, not list(): that would ask the database for a count first.
            val = fall._ansvariga_val = [c for c in ansvarig.choices]  # noqa: C416
        if all(str(v) != str(arende.ansvarig_id) for v, _namn in val):
            val = [*val, (arende.ansvarig_id, str(arende.ansvarig))]
        ansvarig.queryset = (
            ansvarig.queryset | User.objects.filter(pk=arende.ansvarig_id)
        ).distinct()
        ansvarig.choices = val
        self.fields["forfallodatum"].help_text = _(
            "Ett nytt datum för en åtgärd som inte hinns med i tid."
        )

    def initial_fran(self, atgard):
        return {
            namn: getattr(atgard, f"{namn}_id" if namn == "ansvarig" else namn)
            for namn in self.FALT
        }

    def clean_forfallodatum(self):
        return kontrollera_forfallodatum(
            self.cleaned_data["forfallodatum"], nuvarande=self.arende.forfallodatum
        )


class UtvarderaAtgardForm(OvergangForm):
    effekt_kort_sikt = forms.CharField(
        label=_("Uppnådd effekt på kort sikt"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    effekt_lang_sikt = forms.CharField(
        label=_("Uppnådd effekt på lång sikt"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# --- Links ----------------------------------------------------------------------


class LinkForm(Form):
    """Link a case to another by its number – or an event to the risk it realised –;
    only records the user can see are found."""

    nummer = forms.CharField(
        label=_("Ärendenummer"),
        max_length=20,
        help_text=_("Till exempel AVV-2025-0012, eller en risk: RISK-2026-0003."),
    )
    kommentar = forms.CharField(label=_("Kommentar"), max_length=500, required=False)

    def __init__(self, *args, user, arende, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.arende = arende

    def clean_nummer(self):
        nummer = self.cleaned_data["nummer"].strip().upper()
        annat = arendetyper.hitta_post(self.user, nummer)
        if annat is None:
            raise ValidationError(
                _("Hittade inget ärende eller ingen risk med numret %(nr)s.") % {"nr": nummer}
            )
        if annat == self.arende:
            raise ValidationError(_("Ett ärende kan inte länkas till sig självt."))
        if self.arende.ar_lankad_till(annat):
            # Linked already: a new comment would have been dropped without a word.
            raise ValidationError(_("%(nr)s är redan länkat hit.") % {"nr": annat.nummer})
        self.cleaned_data["annat"] = annat
        return nummer


def _dag(arende) -> date:
    """A case's date (`DATUMFALT`) as a Swedish calendar day."""
    varde = getattr(arende, arende.DATUMFALT)
    return timezone.localdate(varde) if isinstance(varde, datetime) else varde


class LiknandeForm(OvergangForm):
    """Choose among the suggested earlier events (`kvalitet.liknande`) the ones to link.
    The suggestions are sought when the form is shown or checked, not when it is made
    (a case page builds its steps' forms whether or not it shows this one)."""

    arenden = forms.MultipleChoiceField(
        label=_("Liknande händelser att länka"),
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Välj minst en händelse."),
            "invalid_choice": _("%(value)s finns inte bland förslagen."),
        },
    )

    def __init__(self, *args, arende, **kwargs):
        super().__init__(*args, arende=arende, **kwargs)
        self.fields["arenden"].choices = self._val

    @cached_property
    def forslag(self):
        hela = type(self.arende).LIKNANDE_HELA_AVDELNINGEN
        return liknande.forslag(self.arende, user=None if hela else self.user)

    def _val(self):
        return [
            (
                f.nyckel,
                f"{f.nyckel} · {_dag(f.arende):%Y-%m-%d} · {f.arende.enhet.namn} · "
                f"{f.arende.sammanfattning} ({', '.join(str(s) for s in f.skal)})",
            )
            for f in self.forslag
        ]

    def clean_arenden(self):
        valda = set(self.cleaned_data["arenden"])
        return [f.arende for f in self.forslag if f.nyckel in valda]


class TilldelaForm(OvergangForm):
    """Whom the case is given to: those who would see it as its handler."""

    handlaggare = forms.ModelChoiceField(
        label=_("Handläggare"),
        queryset=User.objects.none(),
        empty_label=_("Välj handläggare"),
        help_text=_("Den du väljer får ett e-postmeddelande och kan sedan handlägga ärendet."),
    )

    def __init__(self, *args, arende, **kwargs):
        super().__init__(*args, arende=arende, **kwargs)
        self.fields["handlaggare"].queryset = behorighet.mojliga_handlaggare(arende.enhet)
        # What the type calls its handler (a lex Sarah case's is its utredare).
        namn = type(arende).HANDLAGGARE_NAMN
        self.fields["handlaggare"].label = capfirst(namn)
        self.fields["handlaggare"].empty_label = _("Välj %(roll)s") % {"roll": namn}
        if str(namn) != str(_("handläggare")):
            self.fields["handlaggare"].help_text = _(
                "Den du väljer får ett e-postmeddelande och blir ärendets %(roll)s."
            ) % {"roll": namn}

    def initial_fran(self, arende):
        return {"handlaggare": arende.handlaggare_id}
