"""Egenkontroll (DOMAIN.md §4.5): self-monitoring close to the work – comparisons with
national registers, Öppna jämförelser and earlier results, surveys, file reviews,
auditors' views, staff attitudes, follow-up of external providers.

An egenkontroll is not a case: it is a record composed of the feature mixins
(docs/nytt-arendetyp.md, "Poster som inte är ärenden") with a small flow (planerad →
pågår → analyserad → klar, docs/arbetsfloden.md). One that reviews case files uses a
checklist (`Checklista`): a reusable template of checkpoints in control areas, in
versions (`Checklisteversion`) so that old results keep their questions – a version is
frozen once a review has used it; changing it then makes a new version. Each reviewed
file is a `Granskning` with an anonymous review number and one `Svar` per checkpoint;
no client identity is stored. The results are counted in `internkontroll.granskning`.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kvalitet.models import (
    SER_ALLT,
    AccessMixin,
    ActionsMixin,
    AttachmentsMixin,
    HistoryMixin,
    LinksMixin,
    NumberedMixin,
    ProtectedHistoricalRecords,
    TimelineMixin,
    TrackedMixin,
    UnitMixin,
)
from kvalitet.workflow import step, transition

from .. import behorighet
from ..choices import (
    EGENKONTROLL_OPPNA,
    MED_CHECKLISTA,
    Egenkontrollstatus,
    Egenkontrolltyp,
    Initiativ,
    Svarsvarde,
)

__all__ = [
    "Checklista",
    "Checklisteversion",
    "Egenkontroll",
    "Granskning",
    "Kontrollomrade",
    "Kontrollpunkt",
    "Svar",
]


def _kan_leda(user, egenkontroll):
    return behorighet.kan_leda_egenkontroll(user, egenkontroll)


# --- Checklists ----------------------------------------------------------------------------


class Checklista(models.Model):
    """A reusable checklist for reviewing case files (IVO's checklist for child-welfare
    files plus own checks): its questions live in its versions."""

    namn = models.CharField(_("namn"), max_length=200, unique=True)
    beskrivning = models.TextField(_("beskrivning"), max_length=2000, blank=True)
    skapad = models.DateTimeField(default=timezone.now, editable=False)
    history = ProtectedHistoricalRecords()

    class Meta:
        verbose_name = _("checklista")
        verbose_name_plural = _("checklistor")
        ordering = ["namn"]

    def __str__(self):
        return self.namn

    def get_absolute_url(self):
        return reverse("internkontroll:egenkontroll:checklista", args=[self.pk])

    def senaste(self):
        """The latest version (the one new egenkontroller start from)."""
        return self.versioner.order_by("-version").first()


class Checklisteversion(models.Model):
    """One version of a checklist: its control areas and their checkpoints. Frozen once a
    file review has used it (`anvand`); a change then makes the next version, so the
    results of earlier rounds keep the questions they answered."""

    checklista = models.ForeignKey(
        Checklista, verbose_name=_("checklista"), on_delete=models.PROTECT, related_name="versioner"
    )
    version = models.PositiveSmallIntegerField(_("version"))
    kommentar = models.CharField(_("vad som ändrats"), max_length=500, blank=True)
    skapad = models.DateTimeField(default=timezone.now, editable=False)
    skapad_av = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("skapad av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = ProtectedHistoricalRecords()

    class Meta:
        verbose_name = _("version av checklista")
        verbose_name_plural = _("versioner av checklistor")
        ordering = ["checklista", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["checklista", "version"], name="checklisteversion_unik")
        ]

    def __str__(self):
        return gettext("%(namn)s, version %(v)s") % {
            "namn": self.checklista.namn,
            "v": self.version,
        }

    @property
    def anvand(self) -> bool:
        """Has a file review answered this version's questions? Then it is frozen."""
        return Granskning.objects.filter(omrade__version=self).exists()

    def struktur(self):
        """[(area, [checkpoints])] in order, in two queries."""
        omraden = list(self.omraden.order_by("ordning"))
        punkter = {}
        for p in Kontrollpunkt.objects.filter(omrade__version=self).order_by("ordning"):
            punkter.setdefault(p.omrade_id, []).append(p)
        return [(o, punkter.get(o.pk, [])) for o in omraden]

    def som_text(self) -> str:
        """The version in the editor's text form (`internkontroll.checklistor.tolka`)."""
        rader = []
        for omrade, punkter in self.struktur():
            rader.append(f"# {omrade.namn}")
            rader += [f"{p.kod} {p.text}" for p in punkter]
            rader.append("")
        return "\n".join(rader).strip()

    def ersatt_innehall(self, omraden):
        """Replace the areas and checkpoints of an unused version with `omraden`
        ([(name, [(kod, text)])], as `tolka` gives them)."""
        if self.pk and self.anvand:
            raise ValidationError(
                _("Versionen har använts i en granskning och kan inte ändras; spara en ny version.")
            )
        Kontrollpunkt.objects.filter(omrade__version=self).delete()
        self.omraden.all().delete()
        for i, (namn, punkter) in enumerate(omraden, start=1):
            omrade = Kontrollomrade.objects.create(version=self, ordning=i, namn=namn)
            Kontrollpunkt.objects.bulk_create(
                Kontrollpunkt(omrade=omrade, ordning=j, kod=kod, text=text)
                for j, (kod, text) in enumerate(punkter, start=1)
            )


class Kontrollomrade(models.Model):
    """A control area of a checklist version (förhandsbedömning, utredning ...): each
    reviewed file is reviewed in one area."""

    version = models.ForeignKey(Checklisteversion, on_delete=models.PROTECT, related_name="omraden")
    ordning = models.PositiveSmallIntegerField(_("ordning"))
    namn = models.CharField(_("kontrollområde"), max_length=200)

    class Meta:
        verbose_name = _("kontrollområde")
        verbose_name_plural = _("kontrollområden")
        ordering = ["version", "ordning"]
        constraints = [
            models.UniqueConstraint(fields=["version", "ordning"], name="kontrollomrade_unikt")
        ]

    def __str__(self):
        return self.namn


class Kontrollpunkt(models.Model):
    """A checkpoint (a question) in an area. Its `kod` ("2.3") is kept across versions
    for the same question, so that rounds using different versions compare."""

    omrade = models.ForeignKey(Kontrollomrade, on_delete=models.CASCADE, related_name="punkter")
    ordning = models.PositiveSmallIntegerField(_("ordning"))
    kod = models.CharField(_("kod"), max_length=10)
    text = models.CharField(_("fråga"), max_length=500)

    class Meta:
        verbose_name = _("kontrollpunkt")
        verbose_name_plural = _("kontrollpunkter")
        ordering = ["omrade", "ordning"]
        constraints = [
            models.UniqueConstraint(fields=["omrade", "ordning"], name="kontrollpunkt_unik")
        ]

    def __str__(self):
        return f"{self.kod} {self.text}"


# --- The egenkontroll ----------------------------------------------------------------------


class EgenkontrollQuerySet(models.QuerySet):
    def for_user(self, user):
        return behorighet.synliga_egenkontroller(user, self)

    def hela_villkor(self, user):
        return None


class Egenkontroll(
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
    """One egenkontroll (EK-2026-0003) of a unit: its kind, why it is made (initiativ),
    its purpose, method, sample and period, its owner; for a file review its checklist
    version and the reviews (`granskningar`); the analysis forum's date and conclusions,
    and the improvement actions they led to."""

    NUMMER_PREFIX = "EK"
    DATUMFALT = "period_fran"
    STATUS_OPPNA = EGENKONTROLL_OPPNA
    ANMALARE_FALT = "skapad_av"
    EGNA_RUBRIK = _("Egenkontroller jag har lagt upp")
    # The units' chefs manage their units' egenkontroller; staben manages all.
    ROLLER_HANTERAR_ALLT = SER_ALLT
    FRITEXT = ("titel", "syfte", "metod", "slutsatser")
    SAMMANFATTNING = "titel"
    HANDLAGGARE_NAMN = _("ansvarig")

    status = models.CharField(
        _("status"),
        max_length=16,
        choices=Egenkontrollstatus.choices,
        default=Egenkontrollstatus.PLANERAD,
    )
    handlaggare = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ansvarig"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    typ = models.CharField(_("typ av egenkontroll"), max_length=32, choices=Egenkontrolltyp.choices)
    initiativ = models.CharField(_("initiativ"), max_length=32, choices=Initiativ.choices)
    titel = models.CharField(_("titel"), max_length=200)
    syfte = models.TextField(_("syfte"), max_length=5000, blank=True)
    metod = models.TextField(_("metod"), max_length=5000, blank=True)
    urval = models.TextField(
        _("urval"),
        max_length=2000,
        blank=True,
        help_text=_("T.ex. ”10 slumpvis valda akter per kontrollområde, avslutade 2026”."),
    )
    period_fran = models.DateField(_("perioden från"))
    period_till = models.DateField(_("perioden till"))
    checklista_version = models.ForeignKey(
        Checklisteversion,
        verbose_name=_("checklista"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="egenkontroller",
    )
    analysforum_datum = models.DateField(_("analysforum"), null=True, blank=True)
    slutsatser = models.TextField(_("slutsatser"), max_length=20_000, blank=True)
    skapad_av = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("skapad av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = EgenkontrollQuerySet.as_manager()

    class Meta:
        verbose_name = _("egenkontroll")
        verbose_name_plural = _("egenkontroller")
        ordering = ["-period_fran", "-pk"]
        indexes = [
            models.Index(fields=["enhet", "-period_fran"]),
            models.Index(fields=["status", "-period_fran"]),
        ]

    def get_absolute_url(self):
        return reverse("internkontroll:egenkontroll:detalj", args=[self.nummer])

    @property
    def sammanfattning(self):
        return self.titel

    @property
    def med_checklista(self) -> bool:
        return self.checklista_version_id is not None

    def clean(self):
        super().clean()
        fel = {}
        if self.period_fran and self.period_till and self.period_till < self.period_fran:
            fel["period_till"] = _("Perioden kan inte sluta innan den börjar.")
        if self.typ == Egenkontrolltyp.KOLLEGIAL_GRANSKNING and not self.checklista_version_id:
            fel["checklista_version"] = _("En kollegial granskning görs med en checklista.")
        if self.checklista_version_id and self.typ not in MED_CHECKLISTA:
            fel["checklista_version"] = _(
                "Checklistor används vid kollegial granskning och journalgranskning."
            )
        if (
            self.analysforum_datum
            and self.period_fran
            and self.analysforum_datum < self.period_fran
        ):
            fel["analysforum_datum"] = _("Analysforumet kan inte ha hållits före perioden.")
        if fel:
            raise ValidationError(fel)

    # --- Steps ---------------------------------------------------------------------------

    @transition(
        source=[Egenkontrollstatus.PLANERAD],
        target=Egenkontrollstatus.PAGAR,
        label=_("Starta egenkontrollen"),
        verb=_("starta egenkontrollen"),
        permission=_kan_leda,
        slug="starta",
        message=_("%(arende)s pågår. Granskningar kan nu registreras."),
    )
    def starta(self, *, av):
        """The egenkontroll is under way: reviews may be entered."""

    @step(
        label=_("Ändra uppgifter"),
        permission=_kan_leda,
        source=[Egenkontrollstatus.PLANERAD, Egenkontrollstatus.PAGAR],
        form="internkontroll.egenforms.AndraEgenkontrollForm",
        slug="andra",
        style="secondary",
        message=_("%(arende)s är ändrad."),
    )
    def andra(self, *, av, **falt):
        """Change what the egenkontroll says: title, purpose, method, sample, period,
        owner, and – before the first review – its checklist version."""
        if (
            "checklista_version" in falt
            and falt["checklista_version"] != self.checklista_version
            and self.granskningar.exists()
        ):
            raise ValidationError(
                {"checklista_version": _("Checklistan kan inte bytas efter första granskningen.")}
            )
        andrade = [n for n, v in falt.items() if getattr(self, n) != v]
        if not andrade:
            return None
        for namn in andrade:
            setattr(self, namn, falt[namn])
        self.full_clean()
        return gettext("Ändrat: %s") % ", ".join(
            str(self._meta.get_field(n).verbose_name) for n in andrade
        )

    def _analyskrav(self):
        if self.med_checklista and not self.granskningar.exists():
            return [gettext("Registrera minst en granskning.")]
        return []

    @transition(
        source=[Egenkontrollstatus.PAGAR],
        target=Egenkontrollstatus.ANALYSERAD,
        label=_("Registrera analysforum"),
        verb=_("registrera analysforum"),
        permission=_kan_leda,
        form="internkontroll.egenforms.AnalysforumForm",
        requires=lambda ek: ek._analyskrav(),
        slug="analysera",
        message=_("%(arende)s: analysforumets datum och slutsatser är sparade."),
    )
    def analysera(self, *, av, analysforum_datum, slutsatser):
        """The results were discussed in the analysis forum: its date and conclusions.
        No reviews are entered after this."""
        self.analysforum_datum = analysforum_datum
        self.slutsatser = slutsatser
        self.full_clean()

    @step(
        label=_("Ändra analysen"),
        permission=_kan_leda,
        source=[Egenkontrollstatus.ANALYSERAD],
        form="internkontroll.egenforms.AnalysforumForm",
        slug="analys",
        style="secondary",
        message=_("%(arende)s: analysen är ändrad."),
    )
    def skriv_analys(self, *, av, analysforum_datum, slutsatser):
        """Correct the analysis forum's date or conclusions."""
        if (analysforum_datum, slutsatser) == (self.analysforum_datum, self.slutsatser):
            return None
        self.analysforum_datum = analysforum_datum
        self.slutsatser = slutsatser
        self.full_clean()
        return gettext("Analysforum %s; slutsatserna ändrade.") % analysforum_datum.isoformat()

    @transition(
        source=[Egenkontrollstatus.ANALYSERAD],
        target=Egenkontrollstatus.KLAR,
        label=_("Avsluta egenkontrollen"),
        verb=_("avsluta egenkontrollen"),
        permission=_kan_leda,
        slug="avsluta",
        confirm=_(
            "Avsluta egenkontrollen? Därefter kan inga åtgärder läggas till och analysen "
            "inte ändras."
        ),
        message=_("%(arende)s är klar."),
    )
    def avsluta(self, *, av):
        """Done: the results, conclusions and actions stand (the actions are followed up
        on their own)."""

    # --- Reviews ---------------------------------------------------------------------------

    def registrera_granskning(self, *, av, omrade, datum, svar, kommentar=""):
        """Enter one reviewed file: the next anonymous review number, the reviewer, the
        area and one answer per checkpoint of the area ({Kontrollpunkt: value}). Refused
        unless the egenkontroll is under way and `omrade` is of its checklist version."""
        from kvalitet.models import TimelineEntry

        with transaction.atomic():
            status = (
                type(self)
                .objects.select_for_update()
                .values_list("status", flat=True)
                .get(pk=self.pk)
            )
            if status != Egenkontrollstatus.PAGAR:
                raise ValidationError(_("Granskningar registreras medan egenkontrollen pågår."))
            if omrade.version_id != self.checklista_version_id:
                raise ValidationError(
                    _("Kontrollområdet hör inte till egenkontrollens checklista.")
                )
            punkter = {p.pk for p in omrade.punkter.all()}
            if {p.pk for p in svar} != punkter:
                raise ValidationError(_("Svara på varje fråga i kontrollområdet."))
            nummer = (self.granskningar.aggregate(m=models.Max("nummer"))["m"] or 0) + 1
            granskning = Granskning(
                egenkontroll=self,
                nummer=nummer,
                granskare=av,
                omrade=omrade,
                datum=datum,
                kommentar=kommentar,
            )
            granskning.full_clean()
            granskning._change_reason = "Registrerad"
            granskning.save()
            Svar.objects.bulk_create(
                Svar(granskning=granskning, punkt=p, varde=v) for p, v in svar.items()
            )
            self.log(
                TimelineEntry.Typ.ANDRING,
                av=av,
                text=gettext("Granskning %(n)s registrerad (%(omrade)s).")
                % {"n": nummer, "omrade": omrade.namn},
            )
        return granskning


class Granskning(models.Model):
    """One reviewed case file: an anonymous review number (1, 2, 3 … within the
    egenkontroll – never a personnummer or a name), who reviewed it, in which control
    area, when. No client identity is stored."""

    egenkontroll = models.ForeignKey(
        Egenkontroll, on_delete=models.PROTECT, related_name="granskningar"
    )
    nummer = models.PositiveSmallIntegerField(_("granskningsnummer"))
    granskare = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granskare"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    omrade = models.ForeignKey(
        Kontrollomrade,
        verbose_name=_("kontrollområde"),
        on_delete=models.PROTECT,
        related_name="granskningar",
    )
    datum = models.DateField(_("granskad"))
    kommentar = models.TextField(_("kommentar"), max_length=1000, blank=True)
    skapad = models.DateTimeField(default=timezone.now, editable=False)
    history = ProtectedHistoricalRecords()

    class Meta:
        verbose_name = _("granskning")
        verbose_name_plural = _("granskningar")
        ordering = ["egenkontroll", "nummer"]
        constraints = [
            models.UniqueConstraint(
                fields=["egenkontroll", "nummer"], name="granskning_nummer_unikt"
            )
        ]

    def __str__(self):
        return gettext("Granskning %(n)s") % {"n": self.nummer}


class Svar(models.Model):
    """The answer to one checkpoint in one reviewed file."""

    granskning = models.ForeignKey(Granskning, on_delete=models.CASCADE, related_name="svar")
    punkt = models.ForeignKey(Kontrollpunkt, on_delete=models.PROTECT, related_name="svar")
    varde = models.CharField(_("svar"), max_length=16, choices=Svarsvarde.choices)

    class Meta:
        verbose_name = _("svar")
        verbose_name_plural = _("svar")
        constraints = [models.UniqueConstraint(fields=["granskning", "punkt"], name="svar_unikt")]
        indexes = [models.Index(fields=["punkt", "varde"])]

    def __str__(self):
        return f"{self.punkt.kod}: {self.get_varde_display()}"
