"""Forms of the reports app."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kvalitet.forms import Form, NamndbeslutForm, ej_framtid, inget_personnummer
from kvalitet.lib.datum import inom_granserna

from .choices import Beslutsfattare, Status
from .models import (
    FORSTA_AR,
    Kvalitetsberattelse,
    kontrollera_sammantradesdatum,
    standard_brytdatum,
)
from .text import MAX_TECKEN, saknade_tecken


class NyBerattelseForm(Form):
    ar = forms.IntegerField(
        label=_("År"),
        min_value=FORSTA_AR,
        error_messages={
            "invalid": _("Ange året med fyra siffror, t.ex. 2026."),
            "min_value": _("Året kan inte vara tidigare än %(limit_value)s."),
            "required": _("Ange vilket år berättelsen gäller."),
        },
    )

    @staticmethod
    def foreslaget_ar():
        """The year a new draft most likely covers: last year (the kvalitetsberättelse
        is written in the new year), else this year, whichever has none yet; None when
        both have one."""
        i_ar = timezone.localdate().year
        upptagna = set(
            Kvalitetsberattelse.objects.filter(ar__in=(i_ar - 1, i_ar)).values_list("ar", flat=True)
        )
        return next((ar for ar in (i_ar - 1, i_ar) if ar not in upptagna), None)

    def clean_ar(self):
        ar = self.cleaned_data["ar"]
        if ar > timezone.localdate().year:
            raise forms.ValidationError(_("Året har inte börjat ännu."))
        befintliga = Kvalitetsberattelse.objects.filter(ar=ar)
        if befintliga.filter(status=Status.UTKAST).exists():
            raise forms.ValidationError(_("Det finns redan ett utkast för %(ar)s.") % {"ar": ar})
        if befintliga.exists():
            raise forms.ValidationError(
                _(
                    "Kvalitetsberättelsen för %(ar)s är redan fastställd. Öppna den igen "
                    "för att göra en ny version."
                )
                % {"ar": ar}
            )
        return ar

    def spara(self, *, av):
        ar = self.cleaned_data["ar"]
        return Kvalitetsberattelse.skapa(ar=ar, brytdatum=standard_brytdatum(ar), av=av)


class KapitelForm(Form):
    text = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=MAX_TECKEN,
        strip=True,
        # The report goes to the nämnd and is published: no personal data (DOMAIN.md §5).
        validators=[inget_personnummer],
        widget=forms.Textarea(attrs={"rows": 18, "class": "kapiteltext"}),
        help_text=_(
            "Skriv stycken åtskilda av en tom rad. **Fet**, *kursiv*, rubrik med ### "
            "och punktlistor med - i början av raden. Bilder och HTML-kod tas inte med. "
            "Text inom [[ och ]] är skrivinstruktioner: ersätt dem med egen text, annars "
            "kan kvalitetsberättelsen inte fastställas."
        ),
    )

    def clean_text(self):
        text = self.cleaned_data["text"]
        if saknas := saknade_tecken(text):
            raise forms.ValidationError(
                _(
                    "Rapportens typsnitt kan inte visa %(tecken)s. Ta bort tecknet eller "
                    "skriv det med ord."
                )
                % {"tecken": " ".join(saknas[:10])},
                code="tecken",
            )
        return text


class BrytdatumForm(Form):
    brytdatum = forms.DateField(
        label=_("Brytdatum"),
        validators=[ej_framtid],
        help_text=_("Siffrorna bygger på registreringar till och med detta datum."),
        error_messages={
            "invalid": _("Ange ett datum, t.ex. 2027-01-31."),
            "required": _("Ange ett brytdatum."),
        },
    )


class FaststallForm(NamndbeslutForm):
    """The decision's references: when the nämnd decides (setting
    KVALITETSBERATTELSE_BESLUTAS_AV), the förvaltningschef records its meeting date and §;
    a diarienummer either way. They are printed on the cover; the note is not."""

    VAD = _("kvalitetsberättelsen")

    kommentar = forms.CharField(
        label=_("Beslutsanteckning (valfri)"),
        required=False,
        max_length=500,
        widget=forms.TextInput(),
        help_text=_("Intern anteckning i händelserna. Visas inte i rapporten."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["diarienummer"].help_text = _(
            "Ärendets diarienummer, t.ex. SN 2026/12. Visas på rapportens titelsida."
        )
        if settings.KVALITETSBERATTELSE_BESLUTAS_AV != Beslutsfattare.NAMND:
            del self.fields["sammantradesdatum"]
            del self.fields["paragraf"]

    def clean_sammantradesdatum(self):
        datum = self.cleaned_data["sammantradesdatum"]
        # A date outside the product's bounds gets the bounds' message (the form base).
        if datum is not None and inom_granserna(datum):
            try:
                kontrollera_sammantradesdatum(datum, self.arende.ar, self.arende.brytdatum)
            except ValidationError as exc:
                raise forms.ValidationError(exc.messages) from None
        return datum


class NyVersionForm(Form):
    kommentar = forms.CharField(
        label=_("Varför behövs en ny version?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Ange varför kvalitetsberättelsen öppnas igen.")},
    )
