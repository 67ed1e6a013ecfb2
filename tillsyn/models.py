"""IVO's own tillsyn of the förvaltning's services (DOMAIN.md §4.7): an inspection with
its scope, IVO's requirements, the förvaltning's answers and their dates, IVO's decision
and the closing (docs/arbetsfloden.md)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kvalitet import behorighet
from kvalitet.models import Arende, arendeindex, tilldelning
from kvalitet.workflow import ateroppning, step, transition

from .choices import KRAVER_REDOVISNING, OPPNA, Status, Typ, Utfall


def _kan_hantera(user, tillsyn):
    return behorighet.kan_hantera(user, tillsyn)


def _avslutskrav(tillsyn):
    """A decision with requirements is closed once the förvaltning has answered it."""
    if tillsyn.utfall in KRAVER_REDOVISNING and not any(
        s["datum"] >= tillsyn.beslut.isoformat() for s in tillsyn.svar
    ):
        return [_("Registrera förvaltningens redovisning till IVO efter beslutet först.")]
    return []


class Tillsyn(Arende):
    """One tillsyn by IVO of a unit: registered when IVO announces it, answered, decided
    by IVO, closed. Its deadline is the date IVO wants the next answer."""

    NUMMER_PREFIX = "TIS"
    DATUMFALT = "registrerad"
    STATUS_OPPNA = OPPNA
    ANMALARE_FALT = "registrerad_av"
    EGNA_RUBRIK = _("Tillsyner jag har registrerat")
    FRITEXT = ("omfattning", "krav")
    # IVO's letters quote its case number.
    SOKS_MED_IVO_DIARIENUMMER = True
    # A supervision, not an event: linked to a case or a risk as belonging together, never
    # a similar event nor one that realised the risk (nor counted as one).
    AR_HANDELSE = False
    SAMMANFATTNING = "omfattning"
    # Reached from the IVO page, beside the lex Sarah anmälningar and IVO's klagomål.
    ROLLER_I_MENYN = ()

    status = models.CharField(
        _("status"), max_length=32, choices=Status.choices, default=Status.PAGAR
    )
    registrerad = models.DateTimeField(_("registrerad"), default=timezone.now, db_index=True)
    registrerad_av = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrerad av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    typ = models.CharField(_("typ av tillsyn"), max_length=16, choices=Typ.choices)
    ivo_diarienummer = models.CharField(_("IVO:s diarienummer"), max_length=40)
    inleddes = models.DateField(_("IVO inledde tillsynen"))
    inspektion = models.DateField(_("inspektion på plats"), null=True, blank=True)
    omfattning = models.TextField(_("vad tillsynen gäller"), max_length=10_000)
    krav = models.TextField(_("IVO:s frågor och krav"), max_length=20_000, blank=True)
    svar_senast = models.DateField(_("IVO vill ha svar senast"), null=True, blank=True)
    svar = models.JSONField(_("förvaltningens svar till IVO"), default=list, blank=True)
    beslut = models.DateField(_("IVO:s beslut"), null=True, blank=True)
    utfall = models.CharField(_("utfall"), max_length=24, choices=Utfall.choices, blank=True)
    beslut_text = models.TextField(_("IVO:s beslut i korthet"), max_length=10_000, blank=True)
    aterrapport_senast = models.DateField(
        _("förvaltningen redovisar senast"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("tillsyn av IVO")
        verbose_name_plural = _("tillsyn av IVO")
        ordering = ["-registrerad", "-pk"]
        indexes = arendeindex(
            "registrerad", anmalare="registrerad_av", oppna=OPPNA, namn="tillsyn", ivo=True
        )

    def get_absolute_url(self):
        return reverse("tillsyn:detalj", args=[self.nummer])

    def save(self, *args, **kwargs):
        # The deadline is IVO's: the next answer it waits for.
        if self.status == Status.PAGAR:
            self.tidsfrist = self.svar_senast
        elif self.status == Status.BESLUTAD:
            self.tidsfrist = self.aterrapport_senast
        else:
            self.tidsfrist = None
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        idag = timezone.localdate()
        if self.inleddes and self.inleddes > idag:
            errors["inleddes"] = _("Datumet kan inte ligga i framtiden.")
        if self.inspektion and self.inleddes and self.inspektion < self.inleddes:
            errors["inspektion"] = _("Inspektionen kan inte ha skett innan tillsynen inleddes.")
        if self.svar_senast and self.inleddes and self.svar_senast < self.inleddes:
            errors["svar_senast"] = _("Svarsdatumet kan inte ligga före tillsynens start.")
        if errors:
            raise ValidationError(errors)

    @classmethod
    def registrera(cls, *, av, **falt):
        """Register a tillsyn IVO announced."""
        tillsyn = cls(registrerad_av=av, skapad_av=av, uppdaterad_av=av, **falt)
        tillsyn.spara_ny(av=av, orsak="Registrerad")
        return tillsyn

    @step(
        source=OPPNA,
        label=_("Registrera IVO:s frågor och krav"),
        permission=_kan_hantera,
        slug="krav",
        form="tillsyn.forms.KravForm",
        message=_("IVO:s frågor och krav är registrerade."),
    )
    def registrera_krav(self, *, av, krav, svar_senast=None):
        """What IVO asks or requires, and when it wants the answer."""
        if (self.krav, self.svar_senast) == (krav, svar_senast):
            return None
        self.krav = krav
        self.svar_senast = svar_senast
        return gettext("IVO:s frågor och krav uppdaterade; svar senast %(datum)s.") % {
            "datum": svar_senast or "–"
        }

    @step(
        source=OPPNA,
        label=_("Registrera svar till IVO"),
        permission=_kan_hantera,
        slug="svar",
        form="tillsyn.forms.SvarForm",
        message=_("Svaret till IVO är registrerat."),
    )
    def svara(self, *, av, datum, text):
        """An answer the förvaltning sent to IVO, with its date."""
        if datum < self.inleddes:
            raise ValidationError({"datum": _("Svaret kan inte ha skickats före tillsynen.")})
        self.svar = sorted(
            [*self.svar, {"datum": datum.isoformat(), "text": text}], key=lambda s: s["datum"]
        )
        if self.status == Status.PAGAR and self.svar_senast and datum >= self.svar_senast:
            self.svar_senast = None  # answered: IVO sets a new date if it asks again
        return gettext("Svar till IVO %(datum)s.") % {"datum": datum}

    @transition(
        source=[Status.PAGAR],
        target=Status.BESLUTAD,
        label=_("Registrera IVO:s beslut"),
        permission=_kan_hantera,
        slug="beslut",
        form="tillsyn.forms.BeslutForm",
        message=_("IVO:s beslut i %(arende)s är registrerat."),
    )
    def registrera_beslut(self, *, av, beslut, utfall, beslut_text, aterrapport_senast=None):
        """IVO's decision; with requirements, the date the förvaltning reports back."""
        if beslut < self.inleddes:
            raise ValidationError({"beslut": _("IVO kan inte ha beslutat före tillsynens start.")})
        if utfall in KRAVER_REDOVISNING and not aterrapport_senast:
            raise ValidationError(
                {"aterrapport_senast": _("Ange när förvaltningen ska redovisa till IVO.")}
            )
        self.beslut = beslut
        self.utfall = utfall
        self.beslut_text = beslut_text
        self.aterrapport_senast = aterrapport_senast

    @transition(
        source=[Status.BESLUTAD],
        target=Status.AVSLUTAD,
        label=_("Avsluta"),
        permission=_kan_hantera,
        requires=_avslutskrav,
        confirm=_("Avsluta tillsynen?"),
        message=_("%(arende)s är avslutad."),
    )
    def avsluta(self, *, av):
        self.avslutad = timezone.now()

    ateroppna = ateroppning(
        source=[Status.AVSLUTAD],
        target=Status.BESLUTAD,
        permission=_kan_hantera,
        amne=_("tillsynen"),
    )

    tilldela = tilldelning(source=OPPNA)

    @property
    def utfall_text(self):
        return Utfall(self.utfall).label if self.utfall else ""
