"""The förvaltning's processes (DOMAIN.md §2): each with a processägare and a processledare,
its goals and its key figures (nyckeltal) with a target and a result per year, and what
was mapped, revised and published during the year. They feed chapters 3 ("Processer och
styrdokument") and 10 ("Mål och resultat") of the kvalitetsberättelse.

A process is not a case: it has no deadline and no closing, so it is composed of the
feature mixins (docs/nytt-arendetyp.md, "Poster som inte är ärenden"). Its steps (change
it, add or change a key figure, record a year's target and result, record a revision,
discontinue it) run on the shared workflow engine; its actions, links, files and
timeline are the shared ones.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kvalitet import behorighet
from kvalitet.models import (
    SER_ALLT,
    AccessMixin,
    ActionsMixin,
    ArendeQuerySet,
    AttachmentsMixin,
    HistoryMixin,
    LinksMixin,
    NumberedMixin,
    ProtectedHistoricalRecords,
    TimelineMixin,
    TrackedMixin,
    UnitMixin,
)
from kvalitet.workflow import andra_falt, step, transition

from .choices import OPPNA, Handelsetyp, Processtyp, Riktning, Status

# Years a key figure's values may be recorded for: imported history back to 1900, targets
# set for next year at most.
FORSTA_AR = 1900


def _kan_arbeta(user, process):
    """Its processägare, the chefs of its unit and the kvalitetssamordnare (the model's
    roles, through the one access door)."""
    return behorighet.kan_hantera(user, process)


# The units staff write in the plural whose one is another word ("1 dag", not "1 dagar");
# a unit not here is written as given. Matched in lower case, the unit's own case kept
# for the rest ("Dagar" gives "Dag").
ENTAL = {
    "dagar": "dag",
    "kalenderdagar": "kalenderdag",
    "arbetsdagar": "arbetsdag",
    "veckor": "vecka",
    "månader": "månad",
    "timmar": "timme",
    "minuter": "minut",
    "gånger": "gång",
    "personer": "person",
    "ärenden": "ärende",
    "avvikelser": "avvikelse",
}


def siffra(varde: Decimal | None, matt: str = "") -> str:
    """A key figure's value as Swedish text, without trailing zeros: "92,5 %", "14 dagar",
    "1 dag"."""
    if varde is None:
        return "–"
    tal = int(varde) if varde == varde.to_integral_value() else varde.normalize()
    matt = matt.strip()
    if tal == 1 and (ett := ENTAL.get(matt.lower())):
        matt = matt[0] + ett[1:]
    return f"{number_format(tal, use_l10n=True)} {matt}".strip()


class ProcessQuerySet(ArendeQuerySet):
    def i_bruk(self, dag):
        """The processes in use on `dag`: established by then and not discontinued."""
        return self.filter(inrattad__lte=dag).exclude(avvecklad__lte=dag)

    def saknar_utfall(self, ar):
        """The processes with a key figure still measured that has a target for `ar` but
        no result, annotated with how many (`saknas`): the kvalitetsberättelse's
        "inte mätt"."""
        saknas = (
            Nyckeltalsvarde.objects.filter(
                nyckeltal__process=models.OuterRef("pk"),
                nyckeltal__aktivt=True,
                ar=ar,
                utfall__isnull=True,
            )
            .order_by()
            .values("nyckeltal__process")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        return self.annotate(saknas=models.Subquery(saknas)).filter(saknas__gt=0)

    def vantar_pa(self, user):
        """What waits for the user (the start page, "Bara de som väntar på mig"): the
        active processes they own or whose units they lead whose key figures lack last
        year's result."""
        return super().vantar_pa(user).saknar_utfall(timezone.localdate().year - 1)


class Process(
    UnitMixin,
    TrackedMixin,
    NumberedMixin,
    TimelineMixin,
    AttachmentsMixin,
    ActionsMixin,
    LinksMixin,
    AccessMixin,
    HistoryMixin,
):
    """A process of the ledningssystem: kärn-, lednings- or stödprocess, owned by a
    processägare (its `handlaggare`) with a processledare supporting them, with goals and
    key figures. Its unit is where it is run from (the förvaltning for one that spans
    avdelningar)."""

    NUMMER_PREFIX = "PROC"
    DATUMFALT = "inrattad"
    STATUS_OPPNA = OPPNA
    # Its processägare and the chefs of its unit work on it; the kvalitetssamordnare
    # keeps the process map (and the förvaltningschef, who sees all, with them).
    ROLLER_HANTERAR_ALLT = SER_ALLT
    # A chef also reads the processes run from the units above theirs: the förvaltning's
    # and the avdelning's processes are the ones their unit works by.
    SER_OVERORDNADE = True
    FRITEXT = ("namn", "syfte", "mal")
    HANDLAGGARE_NAMN = _("processägare")
    SAMMANFATTNING = "namn"

    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.AKTIV
    )
    handlaggare = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("processägare"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    processledare = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("processledare"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Stöder processägaren, ofta en verksamhetsutvecklare i staben."),
    )
    namn = models.CharField(_("process"), max_length=200)
    typ = models.CharField(_("typ av process"), max_length=16, choices=Processtyp.choices)
    syfte = models.TextField(
        _("syfte och omfattning"),
        max_length=5000,
        help_text=_("Vad processen ska åstadkomma för den enskilde, var den börjar och slutar."),
    )
    mal = models.TextField(
        _("mål"),
        max_length=5000,
        blank=True,
        help_text=_("Processens mål, ett per rad. Nyckeltalen mäter dem."),
    )
    inrattad = models.DateField(
        _("inrättad"), default=timezone.localdate, help_text=_("Dagen processen började gälla.")
    )
    avvecklad = models.DateField(_("avvecklad"), null=True, blank=True, editable=False)
    avvecklad_skal = models.CharField(_("skäl för avveckling"), max_length=500, blank=True)
    skapad_av = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("skapad av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ProcessQuerySet.as_manager()

    class Meta:
        verbose_name = _("process")
        verbose_name_plural = _("processer")
        ordering = ["typ", "namn", "pk"]
        indexes = [
            models.Index(fields=["enhet", "status"]),
            models.Index(fields=["inrattad", "avvecklad"]),
        ]

    def __str__(self):
        return f"{self.nummer} {self.namn}"

    def get_absolute_url(self):
        return reverse("processer:detalj", args=[self.nummer])

    @property
    def sammanfattning(self):
        return self.namn

    @property
    def mallista(self) -> list[str]:
        return [r.strip() for r in self.mal.splitlines() if r.strip()]

    def clean(self):
        super().clean()
        if self.inrattad and self.inrattad > timezone.localdate():
            raise ValidationError({"inrattad": _("Datumet kan inte ligga i framtiden.")})

    @step(
        label=_("Ändra processen"),
        permission=_kan_arbeta,
        source=OPPNA,
        form="processer.forms.ProcessForm",
        slug="andra",
        style="secondary",
        message=_("%(arende)s är sparad."),
    )
    def andra(self, *, av, **falt):
        """Change the process's name, group, purpose, goals, owner and leader, and the
        day it was established (entered wrongly, or an older process added today)."""
        inrattad = falt.get("inrattad")
        if inrattad and self.avvecklad and inrattad > self.avvecklad:
            raise ValidationError(
                {"inrattad": _("Processen kan inte ha inrättats efter att den avvecklades.")}
            )
        return andra_falt(self, falt)

    @step(
        label=_("Lägg till nyckeltal"),
        permission=_kan_arbeta,
        source=OPPNA,
        form="processer.forms.NyckeltalForm",
        slug="nyckeltal",
        message=_("%(arende)s: nyckeltalet är tillagt."),
    )
    def nytt_nyckeltal(self, *, av, namn, definition, matt, riktning):
        """A new key figure: what is measured, how it is counted, in what and which way
        is better. Its target and result are recorded per year."""
        nyckeltal = Nyckeltal(
            process=self, namn=namn, definition=definition, matt=matt, riktning=riktning
        )
        nyckeltal.full_clean()
        nyckeltal._change_reason = "Tillagt"
        nyckeltal.save()
        return gettext("Nytt nyckeltal: %s") % namn

    @step(
        label=_("Ändra nyckeltal"),
        permission=_kan_arbeta,
        source=OPPNA,
        form="processer.forms.AndraNyckeltalForm",
        slug="andra-nyckeltal",
        style="secondary",
        message=_("%(arende)s: nyckeltalet är sparat."),
    )
    def andra_nyckeltal(self, *, av, nyckeltal, **falt):
        """Change a key figure's name, definition, unit, direction, or whether it is
        still measured; a field left empty (None) keeps its value. Its recorded values
        stay as they were."""
        if nyckeltal.process_id != self.pk:
            raise ValidationError({"nyckeltal": _("Nyckeltalet hör inte till processen.")})
        text = andra_falt(nyckeltal, {n: v for n, v in falt.items() if v not in (None, "")})
        if text is None:
            return None
        nyckeltal._change_reason = text
        nyckeltal.save()
        return gettext("%(nyckeltal)s: %(text)s") % {"nyckeltal": nyckeltal.namn, "text": text}

    @step(
        label=_("Registrera mål och utfall"),
        permission=_kan_arbeta,
        form="processer.forms.VardeForm",
        slug="varde",
        # Also for a discontinued process: the results of the year it was discontinued
        # are measured after the year, and the report counts them.
        source=list(Status),
        requires=lambda p: p._utan_nyckeltal(),
        message=lambda p: gettext("%(arende)s: %(text)s.") % {"arende": p, "text": p._sparat},
    )
    def registrera_varde(self, *, av, nyckeltal, ar, malvarde=None, utfall=None, kommentar=""):
        """A key figure's target and result for a year: a new year's row, or the year's
        row changed. The result may wait until the year has been measured; a year that
        has a target keeps it when none is given (recording only the result)."""
        if nyckeltal.process_id != self.pk:
            raise ValidationError({"nyckeltal": _("Nyckeltalet hör inte till processen.")})
        if self.avvecklad and ar > self.avvecklad.year:
            raise ValidationError(
                {
                    "ar": _("Processen avvecklades %(dag)s: den har inga mål för senare år.")
                    % {"dag": self.avvecklad.isoformat()}
                }
            )
        varde = Nyckeltalsvarde.objects.filter(nyckeltal=nyckeltal, ar=ar).first()
        ny = varde is None
        if ny:
            if malvarde is None:
                raise ValidationError(
                    {"malvarde": _("Ange målvärdet: %(ar)s har inget målvärde ännu.") % {"ar": ar}}
                )
            varde = Nyckeltalsvarde(nyckeltal=nyckeltal, ar=ar)
        forra_mal = None if ny else varde.maltext
        falt = {
            "malvarde": varde.malvarde if malvarde is None else malvarde,
            "utfall": utfall,
            "kommentar": kommentar,
        }
        if not ny and all(getattr(varde, n) == v for n, v in falt.items()):
            return None
        for namn, v in falt.items():
            setattr(varde, namn, v)
        varde.registrerad_av = av
        varde.full_clean()
        varde.save()
        mal = varde.maltext
        if forra_mal and forra_mal != mal:
            mal = gettext("%(mal)s (förut %(forra)s)") % {"mal": mal, "forra": forra_mal}
        self._sparat = gettext("%(nyckeltal)s %(ar)s: mål %(mal)s, utfall %(utfall)s") % {
            "nyckeltal": nyckeltal.namn,
            "ar": ar,
            "mal": mal,
            "utfall": siffra(utfall, nyckeltal.matt) if utfall is not None else gettext("ej mätt"),
        }
        return self._sparat

    def _utan_nyckeltal(self) -> list[str]:
        if self.nyckeltal.exists():
            return []
        return [gettext("Lägg till ett nyckeltal först.")]

    @step(
        label=_("Registrera kartläggning, revidering eller publicering"),
        permission=_kan_arbeta,
        source=OPPNA,
        form="processer.forms.HandelseForm",
        slug="handelse",
        message=_("%(arende)s: händelsen är registrerad."),
    )
    def registrera_handelse(self, *, av, datum, typ, dokument="", beskrivning=""):
        """The process, or one of its styrdokument (a rutin, a riktlinje), was mapped,
        revised or published: what chapter 3 of the kvalitetsberättelse tells."""
        if datum < self.inrattad:
            raise ValidationError(
                {
                    "datum": _("Processen inrättades %(dag)s; händelsen kan inte ligga före.")
                    % {"dag": self.inrattad.isoformat()}
                }
            )
        handelse = Processhandelse(
            process=self,
            datum=datum,
            typ=typ,
            dokument=dokument,
            beskrivning=beskrivning,
            registrerad_av=av,
        )
        handelse.full_clean()
        handelse.save()
        return gettext("%(typ)s %(datum)s: %(vad)s") % {
            "typ": handelse.get_typ_display(),
            "datum": datum.isoformat(),
            "vad": dokument or gettext("processen"),
        }

    @transition(
        source=OPPNA,
        target=Status.AVVECKLAD,
        label=_("Avveckla processen"),
        verb=_("avveckla processen"),
        permission=_kan_arbeta,
        form="processer.forms.AvvecklaForm",
        slug="avveckla",
        style="secondary",
        message=_("%(arende)s är avvecklad."),
    )
    def avveckla(self, *, av, datum, kommentar):
        """The process is no longer in use from `datum` (merged, reorganised away), for
        the reason `kommentar` (kept on the process and, as a transition's comment, on
        its timeline). Its key figures' values stay for the years it was in use."""
        if datum > timezone.localdate():
            raise ValidationError({"datum": _("Datumet kan inte ligga i framtiden.")})
        if datum < self.inrattad:
            raise ValidationError(
                {"datum": _("Processen kan inte avvecklas innan den började gälla.")}
            )
        self.avvecklad = datum
        self.avvecklad_skal = kommentar

    @transition(
        source=[Status.AVVECKLAD],
        target=Status.AKTIV,
        label=_("Ta processen i bruk igen"),
        verb=_("ta processen i bruk igen"),
        permission=_kan_arbeta,
        slug="ateruppta",
        style="secondary",
        message=_("%(arende)s är i bruk igen."),
    )
    def ateruppta(self, *, av):
        """Undo a discontinuation (made by mistake, or the process is back)."""
        self.avvecklad = None
        self.avvecklad_skal = ""


class Nyckeltal(models.Model):
    """A key figure (nyckeltal, kvalitetsmått) of a process: what is measured and how it
    is counted – the written definition the report's reader can check the figure
    against – in what unit, and whether a higher or a lower value is better."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="nyckeltal")
    namn = models.CharField(_("nyckeltal"), max_length=200)
    definition = models.TextField(
        _("definition"),
        max_length=2000,
        help_text=_("Hur värdet räknas: vad som räknas, ur vilken källa, för vilken period."),
    )
    matt = models.CharField(
        _("måttenhet"), max_length=20, help_text=_("Till exempel %, dagar eller antal.")
    )
    riktning = models.CharField(_("målet är"), max_length=8, choices=Riktning.choices)
    aktivt = models.BooleanField(
        _("mäts"),
        default=True,
        help_text=_("Ett nyckeltal som inte längre mäts ligger kvar med sina värden."),
    )
    skapad = models.DateTimeField(default=timezone.now, editable=False)

    history = ProtectedHistoricalRecords()

    class Meta:
        verbose_name = _("nyckeltal")
        verbose_name_plural = _("nyckeltal")
        ordering = ["process", "namn", "pk"]
        constraints = [
            # Case ignored: "Dagar till beslut" and "dagar till beslut" are one figure.
            models.UniqueConstraint(Lower("namn"), "process", name="nyckeltal_unikt_namn")
        ]

    def __str__(self):
        return self.namn

    def validate_constraints(self, exclude=None):
        try:
            super().validate_constraints(exclude)
        except ValidationError:
            raise ValidationError(
                {"namn": _("Processen har redan ett nyckeltal med det namnet.")}
            ) from None


class Nyckeltalsvarde(models.Model):
    """A key figure's target and result for one year. The result is empty until the year
    has been measured; a result counts as reached by the key figure's direction."""

    nyckeltal = models.ForeignKey(Nyckeltal, on_delete=models.CASCADE, related_name="varden")
    ar = models.PositiveSmallIntegerField(
        _("år"), validators=[MinValueValidator(FORSTA_AR), MaxValueValidator(2100)]
    )
    malvarde = models.DecimalField(_("målvärde"), max_digits=12, decimal_places=2)
    utfall = models.DecimalField(
        _("utfall"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    kommentar = models.CharField(_("kommentar"), max_length=1000, blank=True)
    registrerad_av = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrerad av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uppdaterad = models.DateTimeField(_("senast ändrad"), auto_now=True)

    history = ProtectedHistoricalRecords()

    class Meta:
        verbose_name = _("mål och utfall")
        verbose_name_plural = _("mål och utfall")
        ordering = ["nyckeltal", "-ar"]
        constraints = [
            models.UniqueConstraint(fields=["nyckeltal", "ar"], name="nyckeltalsvarde_unikt_ar")
        ]

    def __str__(self):
        return f"{self.nyckeltal} {self.ar}"

    def clean(self):
        super().clean()
        iar = timezone.localdate().year
        fel = {}
        if self.ar and self.ar > iar + 1:
            fel["ar"] = _("Målvärden kan sättas högst ett år framåt.")
        elif self.ar and self.ar > iar and self.utfall is not None:
            fel["utfall"] = _("Ett år som inte har börjat har inget utfall.")
        try:
            matt = self.nyckeltal.matt.strip()
        except Nyckeltal.DoesNotExist:  # no key figure yet: the field's own error says so
            matt = ""
        if matt == "%":
            for namn in ("malvarde", "utfall"):
                v = getattr(self, namn)
                if v is not None and not 0 <= v <= 100:
                    fel[namn] = _("En andel i procent ligger mellan 0 och 100.")
        if fel:
            raise ValidationError(fel)

    @property
    def maltext(self) -> str:
        """ "≥ 90 %", "≤ 5 dagar"."""
        tecken = "≥" if self.nyckeltal.riktning == Riktning.HOGRE else "≤"
        return f"{tecken} {siffra(self.malvarde, self.nyckeltal.matt)}"

    @property
    def utfalltext(self) -> str:
        """ "87,5 %", or "Inte mätt"."""
        if self.utfall is None:
            return gettext("Inte mätt")
        return siffra(self.utfall, self.nyckeltal.matt)

    @property
    def uppnatt(self) -> bool | None:
        """Was the target reached? None while the result is not measured."""
        return uppnatt(self.nyckeltal.riktning, self.malvarde, self.utfall)


def uppnatt(riktning, malvarde, utfall) -> bool | None:
    """A result reaches its target when it is at least it (higher is better) or at most
    it (lower is better); None without a result (docs/siffror.md, "Mål och resultat")."""
    if utfall is None:
        return None
    return utfall >= malvarde if riktning == Riktning.HOGRE else utfall <= malvarde


class Processhandelse(models.Model):
    """The process or one of its styrdokument was mapped, revised or published on a day.
    Never changed; a mistake is corrected by the history of the record."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="handelser")
    datum = models.DateField(_("datum"))
    typ = models.CharField(_("vad som gjordes"), max_length=16, choices=Handelsetyp.choices)
    dokument = models.CharField(
        _("styrdokument"),
        max_length=200,
        blank=True,
        help_text=_("Rutinen eller riktlinjen; tomt när det gäller processen själv."),
    )
    beskrivning = models.CharField(_("vad som ändrades"), max_length=1000, blank=True)
    registrerad_av = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrerad av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    skapad = models.DateTimeField(default=timezone.now, editable=False)

    history = ProtectedHistoricalRecords()

    class Meta:
        verbose_name = _("händelse i processen")
        verbose_name_plural = _("händelser i processen")
        ordering = ["-datum", "-pk"]
        indexes = [models.Index(fields=["datum"])]

    def __str__(self):
        return f"{self.process_id} {self.datum} {self.typ}"

    def clean(self):
        super().clean()
        if self.datum and self.datum > timezone.localdate():
            raise ValidationError({"datum": _("Datumet kan inte ligga i framtiden.")})
