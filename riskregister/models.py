"""The risk register (DOMAIN.md §4.4): risks with every assessment kept, the riskanalyser
they come from, and the register's versions as the nämnd decided them.

A risk is not a case: it has no deadline and no closing, so it is composed of the
feature mixins (docs/nytt-arendetyp.md, "Poster som inte är ärenden"), not `Arende`.
Its steps (re-assess, change, remove) run on the shared workflow engine; its actions,
links, files and timeline are the shared ones.
"""

from datetime import timedelta

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
    ArendeQuerySet,
    AttachmentsMixin,
    BeslutadHandling,
    BeslutadQuerySet,
    HistoryMixin,
    LinksMixin,
    NumberedMixin,
    ProtectedHistoricalRecords,
    TimelineEntry,
    TimelineMixin,
    TrackedMixin,
    UnitMixin,
)
from kvalitet.models.beslutad import _pdf_sokvag
from kvalitet.workflow import andra_falt, step, transition

from . import behorighet
from .choices import (
    OPPNA,
    Analysstatus,
    Kalla,
    Kategori,
    Status,
    Strategi,
    Versionsstatus,
)
from .skala import skala


def _kan_arbeta(user, post):
    return behorighet.kan_arbeta(user, post)


def _kan_forbereda(user, version):
    return behorighet.kan_forbereda(user)


def vardetext(sannolikhet, konsekvens) -> str:
    """ "3 × 4 = 12 (Mycket hög)"."""
    varde = sannolikhet * konsekvens
    niva = skala().niva(varde)
    return f"{sannolikhet} × {konsekvens} = {varde} ({niva.namn})"


class Riskanalys(
    UnitMixin,
    NumberedMixin,
    TimelineMixin,
    AttachmentsMixin,
    ActionsMixin,
    LinksMixin,
    AccessMixin,
    HistoryMixin,
):
    """A riskanalys of an avdelning (or a unit): held at least once a year from the
    client's perspective, as input to the budget, and when something triggers one. The
    risks it added and re-assessed point at it."""

    NUMMER_PREFIX = "RA"
    DATUMFALT = "datum"
    STATUS_OPPNA = (Analysstatus.PAGAR,)
    ANMALARE_FALT = "skapad_av"
    # The units' chefs work on their units' risks and analyses; those who see all, on all.
    ROLLER_HANTERAR_ALLT = SER_ALLT
    FRITEXT = ("deltagare", "anteckningar", "konsekvensbeskrivning")
    SAMMANFATTNING = "deltagare"
    HANDLAGGARE_NAMN = _("ansvarig")

    status = models.CharField(
        _("status"), max_length=16, choices=Analysstatus.choices, default=Analysstatus.PAGAR
    )
    handlaggare = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ansvarig"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    datum = models.DateField(_("datum"))
    utlosande = models.CharField(_("anledning"), max_length=20, choices=Kalla.choices)
    deltagare = models.TextField(
        _("deltagare"),
        max_length=2000,
        help_text=_("En per rad, med roll: ”Enhetschef – Anna Berg”."),
    )
    anteckningar = models.TextField(_("anteckningar från analysen"), max_length=20_000, blank=True)
    konsekvensbeskrivning = models.TextField(
        _("konsekvensbeskrivning inför budget"),
        max_length=10_000,
        blank=True,
        help_text=_("Vad riskerna betyder för verksamheten och budgeten nästa år."),
    )
    skickad_till_namnd = models.DateField(_("skickad till nämnden"), null=True, blank=True)
    extern_id = models.CharField(max_length=100, null=True, blank=True, unique=True, editable=False)
    skapad = models.DateTimeField(default=timezone.now, editable=False)
    skapad_av = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("skapad av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uppdaterad = models.DateTimeField(_("senast ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("riskanalys")
        verbose_name_plural = _("riskanalyser")
        ordering = ["-datum", "-pk"]
        indexes = [models.Index(fields=["enhet", "-datum"])]

    def get_absolute_url(self):
        return reverse("riskregister:riskanalys:detalj", args=[self.nummer])

    @property
    def deltagarlista(self) -> list[str]:
        return [r.strip() for r in self.deltagare.splitlines() if r.strip()]

    def clean(self):
        super().clean()
        if self.datum and self.datum > timezone.localdate():
            raise ValidationError({"datum": _("Datumet kan inte ligga i framtiden.")})

    @step(
        label=_("Ändra analysen"),
        permission=_kan_arbeta,
        source=[Analysstatus.PAGAR],
        form="riskregister.forms.AnalysForm",
        slug="andra",
        style="secondary",
        message=_("Riskanalysen %(arende)s är sparad."),
    )
    def andra(self, *, av, **falt):
        """Change the analysis' participants, notes and consequence statement."""
        return andra_falt(self, falt)

    def _slutkrav(self):
        krav = []
        if not self.konsekvensbeskrivning.strip():
            krav.append(gettext("Skriv konsekvensbeskrivningen inför budget."))
        if not self.risker_i_analysen():
            krav.append(gettext("Lägg till eller bedöm minst en risk i analysen."))
        return krav

    @transition(
        source=[Analysstatus.PAGAR],
        target=Analysstatus.KLAR,
        label=_("Markera analysen som klar"),
        verb=_("markera analysen som klar"),
        permission=_kan_arbeta,
        requires=lambda a: a._slutkrav(),
        slug="klar",
        message=_(
            "Riskanalysen %(arende)s är klar. Dess risker tas med i registrets nästa version."
        ),
    )
    def slutfor(self, *, av):
        """The analysis is done: its risks are in the register's next version."""

    @step(
        label=_("Registrera att analysen skickats till nämnden"),
        permission=_kan_arbeta,
        source=[Analysstatus.KLAR],
        form="riskregister.forms.SkickadForm",
        slug="skickad",
        message=_("%(arende)s: dagen då analysen skickades till nämnden är sparad."),
    )
    def skickad(self, *, av, datum):
        if datum == self.skickad_till_namnd:
            return None
        self.skickad_till_namnd = datum
        return gettext("Skickad till nämnden %s") % datum.isoformat()

    def risker_i_analysen(self) -> list[dict]:
        """The risks it added and the ones it re-assessed, each once, in number order:
        {"risk", "ny": added in it, "bedomning": the latest assessment made in it (for an
        added risk at least the one it was proposed with)}."""
        rader = {}
        for risk in self.nya_risker.all():
            rader[risk.pk] = {"risk": risk, "ny": True, "bedomning": None}
        for b in self.bedomningar.select_related("risk"):
            rad = rader.setdefault(b.risk_id, {"risk": b.risk, "ny": False, "bedomning": None})
            rad["bedomning"] = b
        return sorted(rader.values(), key=lambda r: r["risk"].nummer)


class RiskQuerySet(ArendeQuerySet):
    def i_registret(self, dag):
        """The risks in the register on `dag` (a local date): in force from the nämnd's
        decision (or the import's first assessment) and not removed by then."""
        return self.filter(aktiv_fran__lte=dag).exclude(borttagen__lte=dag)

    def vantar_pa(self, user):
        """What waits for the user (the start page, "Bara de som väntar på mig"): the
        open risks they own or whose units they lead, due for review within
        RISK_PAMINNELSE_DAGAR_FORE days or overdue."""
        grans = timezone.localdate() + timedelta(days=settings.RISK_PAMINNELSE_DAGAR_FORE)
        return super().vantar_pa(user).filter(nasta_oversyn__lte=grans)


class Risk(
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
    """A risk in the register: what can happen and its consequences for clients, its
    sannolikhet × konsekvens on the configured scale (`skala`), its strategy, actions
    and owner. Every assessment is kept (`Bedomning`), so the register can be shown as
    it stood on any date. The current values are the latest assessment's."""

    NUMMER_PREFIX = "RISK"
    DATUMFALT = "identifierad"
    STATUS_OPPNA = OPPNA
    ANMALARE_FALT = "foreslagen_av"
    EGNA_RUBRIK = _("Risker jag har föreslagit")
    # The units' chefs work on their units' risks and analyses; those who see all, on all.
    ROLLER_HANTERAR_ALLT = SER_ALLT
    FRITEXT = ("titel", "beskrivning")
    HANDLAGGARE_NAMN = _("riskägare")
    REALISERAS_AV_HANDELSER = True
    SAMMANFATTNING = "titel"

    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.FORESLAGEN
    )
    handlaggare = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("riskägare"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    titel = models.CharField(_("risk"), max_length=200)
    beskrivning = models.TextField(
        _("vad kan hända och vad det betyder för den enskilde"), max_length=5000
    )
    kalla = models.CharField(_("upptäckt genom"), max_length=20, choices=Kalla.choices)
    process = models.CharField(_("process eller verksamhet"), max_length=200, blank=True)
    kategori = models.CharField(_("kategori"), max_length=24, choices=Kategori.choices)
    sannolikhet = models.PositiveSmallIntegerField(_("sannolikhet"))
    konsekvens = models.PositiveSmallIntegerField(_("konsekvens"))
    riskvarde = models.PositiveSmallIntegerField(_("riskvärde"), editable=False)
    strategi = models.CharField(_("strategi"), max_length=16, choices=Strategi.choices, blank=True)
    styrdokument = models.TextField(
        _("styrdokument och planer"),
        max_length=5000,
        blank=True,
        help_text=_("Rutiner, riktlinjer och uppgifter i verksamhetsplanen, med länk."),
    )
    indikatorer = models.TextField(_("indikatorer att följa"), max_length=5000, blank=True)
    nasta_oversyn = models.DateField(_("nästa översyn"), null=True, blank=True)
    identifierad = models.DateField(_("identifierad"), default=timezone.localdate)
    aktiv_fran = models.DateField(_("i registret från"), null=True, blank=True, editable=False)
    borttagen = models.DateField(_("borttagen"), null=True, blank=True, editable=False)
    borttagen_skal = models.CharField(_("skäl för borttagning"), max_length=500, blank=True)
    riskanalys = models.ForeignKey(
        Riskanalys,
        verbose_name=_("identifierad i riskanalys"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nya_risker",
    )
    foreslagen_av = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("föreslagen av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = RiskQuerySet.as_manager()

    class Meta:
        verbose_name = _("risk")
        verbose_name_plural = _("risker")
        ordering = ["-riskvarde", "nummer"]
        indexes = [
            models.Index(fields=["enhet", "status"]),
            models.Index(fields=["status", "-riskvarde"]),
            models.Index(fields=["aktiv_fran", "borttagen"]),
        ]

    def get_absolute_url(self):
        return reverse("riskregister:detalj", args=[self.nummer])

    def save(self, *args, **kwargs):
        self.riskvarde = (self.sannolikhet or 0) * (self.konsekvens or 0)
        super().save(*args, **kwargs)

    @property
    def niva(self):
        return skala().niva(self.riskvarde)

    @property
    def sammanfattning(self):
        return self.titel

    @property
    def sannolikhet_text(self) -> str:
        return skala().sannolikhet_text(self.sannolikhet)

    @property
    def konsekvens_text(self) -> str:
        return skala().konsekvens_text(self.konsekvens)

    @property
    def i_registret(self) -> bool:
        return self.status == Status.AKTIV

    @property
    def oversyn_forsenad(self) -> bool:
        return bool(
            self.ar_oppet and self.nasta_oversyn and self.nasta_oversyn < timezone.localdate()
        )

    def clean(self):
        super().clean()
        fel = {}
        s = skala()
        if self.sannolikhet is not None and not 1 <= self.sannolikhet <= len(s.sannolikhet):
            fel["sannolikhet"] = _("Välj sannolikhet på skalan 1–%(n)s.") % {
                "n": len(s.sannolikhet)
            }
        if self.konsekvens is not None and not 1 <= self.konsekvens <= len(s.konsekvens):
            fel["konsekvens"] = _("Välj konsekvens på skalan 1–%(n)s.") % {"n": len(s.konsekvens)}
        if self.identifierad and self.identifierad > timezone.localdate():
            fel["identifierad"] = _("Datumet kan inte ligga i framtiden.")
        if fel:
            raise ValidationError(fel)

    @classmethod
    def foresla(cls, *, av, fran=None, kommentar="", **falt):
        """Propose a risk: saved as proposed with its first assessment, on the timeline;
        `fran` is the record that showed it: an event (avvikelse, lex Sarah case,
        synpunkt), linked as realising it, or a tillsyn, linked as belonging with it
        (`lanka`). The nämnd's decision of the register's next version takes it in."""
        risk = cls(foreslagen_av=av, uppdaterad_av=av, status=Status.FORESLAGEN, **falt)
        if not risk.identifierad:
            risk.identifierad = timezone.localdate()
        with transaction.atomic():
            risk.full_clean(exclude=["riskvarde"])
            risk._change_reason = "Föreslagen"
            risk.save()
            Bedomning.objects.create(
                risk=risk,
                datum=risk.identifierad,
                sannolikhet=risk.sannolikhet,
                konsekvens=risk.konsekvens,
                kommentar=kommentar,
                bedomd_av=av,
                riskanalys=risk.riskanalys,
            )
            risk.log(
                TimelineEntry.Typ.SKAPAT,
                av=av,
                till_status=risk.status,
                text=gettext("Föreslagen: %s") % vardetext(risk.sannolikhet, risk.konsekvens),
            )
            if fran is not None:
                # As the record's link form would: an event realised it, a tillsyn or
                # another record belongs with it.
                fran.lanka(risk, av=av)
            if risk.riskanalys is not None:
                risk.riskanalys.log(
                    TimelineEntry.Typ.ANDRING,
                    av=av,
                    text=gettext("Ny risk %(risk)s: %(varde)s")
                    % {"risk": risk.nummer, "varde": vardetext(risk.sannolikhet, risk.konsekvens)},
                )
        return risk

    @step(
        label=_("Bedöm på nytt"),
        permission=_kan_arbeta,
        source=OPPNA,
        form="riskregister.forms.BedomForm",
        slug="bedom",
        message=_("%(arende)s är bedömd på nytt."),
    )
    def bedom(self, *, av, datum, sannolikhet, konsekvens, kommentar="", riskanalys=None):
        """A new assessment: kept beside every earlier one; the risk's values become the
        latest assessment's (by date)."""
        s = skala()
        if not (1 <= sannolikhet <= len(s.sannolikhet) and 1 <= konsekvens <= len(s.konsekvens)):
            raise ValidationError(_("Värdena ligger utanför skalan."))
        fore = vardetext(self.sannolikhet, self.konsekvens)
        Bedomning.objects.create(
            risk=self,
            datum=datum,
            sannolikhet=sannolikhet,
            konsekvens=konsekvens,
            kommentar=kommentar,
            bedomd_av=av,
            riskanalys=riskanalys,
        )
        senaste = self.bedomningar.order_by("-datum", "-pk").first()
        self.sannolikhet, self.konsekvens = senaste.sannolikhet, senaste.konsekvens
        text = gettext("Bedömning %(datum)s: %(fore)s → %(efter)s") % {
            "datum": datum.isoformat(),
            "fore": fore,
            "efter": vardetext(sannolikhet, konsekvens),
        }
        if riskanalys is not None:
            text += " " + gettext("(riskanalys %s)") % riskanalys.nummer
            riskanalys.log(
                TimelineEntry.Typ.ANDRING,
                av=av,
                text=gettext("%(risk)s bedömd: %(fore)s → %(efter)s")
                % {"risk": self.nummer, "fore": fore, "efter": vardetext(sannolikhet, konsekvens)},
            )
        return f"{text}. {kommentar}".strip() if kommentar else text

    @step(
        label=_("Ändra uppgifter"),
        permission=_kan_arbeta,
        source=OPPNA,
        form="riskregister.forms.AndraRiskForm",
        slug="andra",
        style="secondary",
        message=_("%(arende)s är ändrad."),
    )
    def andra(self, *, av, **falt):
        """Change what the risk says: text, category, strategy, owner, documents,
        indicators, next review."""
        return andra_falt(self, falt, exclude=["riskvarde"])

    @transition(
        source=OPPNA,
        target=Status.BORTTAGEN,
        label=_("Ta bort ur registret"),
        verb=_("ta bort risken"),
        permission=_kan_arbeta,
        form="riskregister.forms.TaBortForm",
        style="secondary",
        confirm=_(
            "Ta bort risken ur registret? Den finns kvar i registret som det såg ut före "
            "i dag och i fastställda versioner, men kan inte tas tillbaka."
        ),
        message=_("%(arende)s är borttagen ur registret."),
    )
    def ta_bort(self, *, av, kommentar):
        """Remove the risk (or turn down a proposal), with the reason."""
        if not kommentar.strip():
            raise ValidationError({"kommentar": _("Ange varför risken tas bort.")})
        self.borttagen = timezone.localdate()
        self.borttagen_skal = kommentar.strip()


class Bedomning(models.Model):
    """One assessment of a risk: when, by whom, the values, why. Never changed; the first
    is when the risk was found, the latest by date gives its current values."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="bedomningar")
    datum = models.DateField(_("datum"))
    sannolikhet = models.PositiveSmallIntegerField(_("sannolikhet"))
    konsekvens = models.PositiveSmallIntegerField(_("konsekvens"))
    riskvarde = models.PositiveSmallIntegerField(_("riskvärde"), editable=False)
    kommentar = models.CharField(_("kommentar"), max_length=1000, blank=True)
    bedomd_av = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bedömd av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    riskanalys = models.ForeignKey(
        Riskanalys,
        verbose_name=_("riskanalys"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bedomningar",
    )
    skapad = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("bedömning")
        verbose_name_plural = _("bedömningar")
        ordering = ["datum", "pk"]
        indexes = [models.Index(fields=["risk", "datum"])]

    def __str__(self):
        return f"{self.risk_id} {self.datum}: {self.sannolikhet}×{self.konsekvens}"

    def save(self, *args, **kwargs):
        self.riskvarde = self.sannolikhet * self.konsekvens
        super().save(*args, **kwargs)


def _pdf_path(instance, filename):
    """The archived PDF's path as migration 0001 named it; now the shared one."""
    return _pdf_sokvag(instance, filename)


class VersionQuerySet(BeslutadQuerySet):
    def for_user(self, user):
        return behorighet.synliga_versioner(user, self)

    def i_kraft(self, dag):
        """The decided version in force on `dag`: the latest decided by then."""
        return (
            self.beslutade()
            .filter(sammantradesdatum__lte=dag)
            .order_by("-sammantradesdatum", "-version")
            .first()
        )


def _beslutsfraga(version, data):
    return gettext(
        "Registrera nämndens beslut – riskregistret version %(v)s fastställt %(datum)s, "
        "§\u00a0%(p)s, dnr %(dnr)s? Föreslagna risker förs in i registret, innehållet låses och "
        "PDF:en arkiveras; den kan inte ändras efteråt."
    ) % {
        "v": version.version,
        "datum": data.get("sammantradesdatum"),
        "p": data.get("paragraf"),
        "dnr": data.get("diarienummer"),
    }


class Registerversion(BeslutadHandling):
    """A version of the register for the nämnd (`kvalitet.models.BeslutadHandling`): the
    förvaltning prepares a draft (the proposed risks, the re-assessments, the removals
    since the last decided version), the nämnd decides it – recorded with the meeting's
    date, § and diarienummer – and it is frozen: its content (`innehall`) and its PDF
    never change again. A new version starts from the last decided one."""

    version = models.PositiveSmallIntegerField(_("version"), unique=True)
    sammanfattning = models.TextField(
        _("förvaltningens sammanfattning till nämnden"),
        max_length=10_000,
        blank=True,
        help_text=_("Står först i registrets PDF: vad som ändrats och varför."),
    )
    history = ProtectedHistoricalRecords()

    objects = VersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("version av riskregistret")
        verbose_name_plural = _("versioner av riskregistret")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["status"],
                condition=models.Q(status=Versionsstatus.UTKAST),
                name="riskregister_ett_utkast",
            )
        ]

    def __str__(self):
        return gettext("Riskregistret, version %(v)s") % {"v": self.version}

    def get_absolute_url(self):
        return reverse("riskregister:version", args=[self.version])

    def pdf_namn(self):
        return f"riskregister-version-{self.version}"

    def frys(self, dag):
        from .register import innehall

        return innehall(dag, version=self, med_forslag=False)

    def rendera_pdf(self):
        from .dokument import rendera_version

        return rendera_version(self)

    @classmethod
    def forbered(cls, *, av, sammanfattning=""):
        """Start the next version's draft (one at a time), from the register as it is
        now; its changes are counted against the last decided version."""
        if not behorighet.kan_forbereda(av):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied(
                _("Kvalitetssamordnaren och förvaltningschefen förbereder riskregistret.")
            )
        with transaction.atomic():
            cls.objects.select_for_update().filter(status=Versionsstatus.UTKAST).first()
            if cls.objects.filter(status=Versionsstatus.UTKAST).exists():
                raise ValidationError(_("Det finns redan ett utkast till nästa version."))
            senaste = cls.objects.aggregate(m=models.Max("version"))["m"] or 0
            version = cls(version=senaste + 1, skapad_av=av, sammanfattning=sammanfattning)
            version.full_clean(exclude=["innehall"])
            version._change_reason = "Utkast skapat"
            version.save()
            version.log(TimelineEntry.Typ.SKAPAT, av=av, till_status=version.status)
        return version

    @step(
        label=_("Ändra sammanfattningen"),
        style="secondary",
        permission=_kan_forbereda,
        source=[Versionsstatus.UTKAST],
        form="riskregister.forms.SammanfattningForm",
        slug="sammanfattning",
        message=_("Sammanfattningen till nämnden är sparad."),
    )
    def skriv_sammanfattning(self, *, av, sammanfattning):
        if sammanfattning == self.sammanfattning:
            return None
        self.sammanfattning = sammanfattning
        return gettext("Sammanfattningen ändrad.")

    @transition(
        source=[Versionsstatus.UTKAST],
        target=Versionsstatus.FASTSTALLD,
        label=_("Registrera nämndens beslut"),
        verb=_("registrera nämndens beslut"),
        permission=_kan_forbereda,
        form="riskregister.forms.FaststallForm",
        confirm=_beslutsfraga,
        permission_message=_(
            "Kvalitetssamordnaren och förvaltningschefen registrerar nämndens beslut."
        ),
        message=lambda v: gettext("Riskregistret version %(v)s är fastställt.") % {"v": v.version},
    )
    def faststall(self, *, av, sammantradesdatum, paragraf, diarienummer):
        """Record the nämnd's decision: the proposed risks enter the register from the
        meeting's date, the content is frozen (the register on that date with the
        changes since the last decided version), earlier versions are replaced, and the
        PDF is archived (in the background, and at the latest when first read)."""
        # The proposals the nämnd had before it: one found after the meeting waits for
        # the next version.
        foreslagna = Risk.objects.select_for_update().filter(
            status=Status.FORESLAGEN, identifierad__lte=sammantradesdatum
        )
        for risk in foreslagna:
            risk.status = Status.AKTIV
            risk.aktiv_fran = sammantradesdatum
            risk._change_reason = f"I registret genom version {self.version}"
            risk.save()
            risk.log(
                TimelineEntry.Typ.STATUS,
                av=av,
                fran_status=Status.FORESLAGEN,
                till_status=Status.AKTIV,
                text=gettext("Fastställd i riskregistret version %(v)s") % {"v": self.version},
            )
        self.registrera_beslut(
            av=av, sammantradesdatum=sammantradesdatum, paragraf=paragraf, diarienummer=diarienummer
        )
