"""The internkontrollplan (DOMAIN.md §4.5): one per year, prepared by the förvaltning and
decided by the nämnd in versions (`kvalitet.models.BeslutadHandling`); its controls;
the occasions each control is performed on, with their results; and the yearly
internkontrollredovisning to the nämnd (docs/internkontroll.md)."""

from datetime import date, timedelta

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
    Beslutsstatus,
    CaseLink,
    HistoryMixin,
    LinksMixin,
    NumberedMixin,
    ProtectedHistoricalRecords,
    TimelineEntry,
    TimelineMixin,
    TrackedMixin,
    UnitMixin,
)
from kvalitet.workflow import step, transition

from .. import behorighet
from ..choices import (
    ALLVARLIGHET,
    TILLFALLE_OPPNA,
    Bedomning,
    Metod,
    Periodicitet,
    Tillfallestatus,
)
from ..perioder import perioder


def _kan_forbereda(user, handling):
    return behorighet.kan_forbereda(user)


def _kan_registrera(user, tillfalle):
    return behorighet.kan_registrera(user, tillfalle)


class HandlingQuerySet(BeslutadQuerySet):
    def for_user(self, user):
        return behorighet.synliga_handlingar(user, self)

    def i_kraft(self, ar):
        """The decided version of the year in force (the latest decided)."""
        return self.filter(ar=ar, status=Beslutsstatus.FASTSTALLD).order_by("-version").first()


def _beslutsfraga(namn):
    def fraga(handling, data):
        return gettext(
            "Registrera nämndens beslut – %(namn)s %(ar)s version %(v)s fastställd %(datum)s, "
            "§\u00a0%(p)s, dnr %(dnr)s? Innehållet låses och PDF:en arkiveras; den kan inte "
            "ändras efteråt."
        ) % {
            "namn": namn,
            "ar": handling.ar,
            "v": handling.version,
            "datum": data.get("sammantradesdatum"),
            "p": data.get("paragraf"),
            "dnr": data.get("diarienummer"),
        }

    return fraga


class Arshandling(BeslutadHandling):
    """A yearly document of internkontroll decided by the nämnd: one draft per year at a
    time; the versions of the same year replace each other."""

    FASTSTALLD_ORD = _("Fastställd")

    ar = models.PositiveSmallIntegerField(_("år"))
    sammanfattning = models.TextField(
        _("förvaltningens sammanfattning till nämnden"), max_length=20_000, blank=True
    )

    objects = HandlingQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-ar", "-version"]

    def serie(self):
        return type(self)._default_manager.filter(ar=self.ar)

    @property
    def nummer(self):
        """What the shared step templates address it by: its id (versions are per year)."""
        return self.pk

    @classmethod
    def nasta_version(cls, ar) -> int:
        return (cls.objects.filter(ar=ar).aggregate(m=models.Max("version"))["m"] or 0) + 1

    @step(
        label=_("Ändra sammanfattningen"),
        permission=_kan_forbereda,
        source=[Beslutsstatus.UTKAST],
        form="internkontroll.forms.SammanfattningForm",
        slug="sammanfattning",
        style="secondary",
        message=_("Sammanfattningen till nämnden är sparad."),
    )
    def skriv_sammanfattning(self, *, av, sammanfattning):
        if sammanfattning == self.sammanfattning:
            return None
        self.sammanfattning = sammanfattning
        return gettext("Sammanfattningen ändrad.")

    def clean(self):
        super().clean()
        if self.ar and not 2000 <= self.ar <= timezone.localdate().year + 1:
            raise ValidationError(
                {
                    "ar": _("Välj ett år från 2000 till nästa år (%(n)s).")
                    % {"n": timezone.localdate().year + 1}
                }
            )


class Internkontrollplan(Arshandling):
    """The year's internkontrollplan: its controls (`Kontroll`), decided by the nämnd;
    the decision generates each control's occasions (`Kontrolltillfalle`)."""

    history = ProtectedHistoricalRecords()

    class Meta(Arshandling.Meta):
        verbose_name = _("internkontrollplan")
        verbose_name_plural = _("internkontrollplaner")
        constraints = [
            models.UniqueConstraint(fields=["ar", "version"], name="ikplan_version_unik"),
            models.UniqueConstraint(
                fields=["ar"],
                condition=models.Q(status=Beslutsstatus.UTKAST),
                name="ikplan_ett_utkast_per_ar",
            ),
        ]

    def __str__(self):
        return gettext("Internkontrollplan %(ar)s, version %(v)s") % {
            "ar": self.ar,
            "v": self.version,
        }

    def get_absolute_url(self):
        return reverse("internkontroll:plan", args=[self.pk])

    def pdf_namn(self):
        return f"internkontrollplan-{self.ar}-version-{self.version}"

    def frys(self, dag):
        from ..dokument import planens_innehall

        return planens_innehall(self)

    def rendera_pdf(self):
        from ..dokument import rendera_plan

        return rendera_plan(self)

    # --- Starting and changing a draft ----------------------------------------------

    @classmethod
    def skapa(cls, *, ar, av, fran=None):
        """Start the year's plan (a new version while none is a draft): empty, from the
        high risks of the decided risk register (`fran="register"`: one control per
        risk from `RISK_NAMND_FRAN` up, its process the risk's), or from the latest
        decided plan of an earlier year (`fran="forra"`), its controls copied."""
        if not behorighet.kan_forbereda(av):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied(_("Internkontrollplanen förbereds av staben."))
        with transaction.atomic():
            if cls.objects.filter(ar=ar, status=Beslutsstatus.UTKAST).exists():
                raise ValidationError(_("Det finns redan ett utkast för %(ar)s.") % {"ar": ar})
            plan = cls(ar=ar, version=cls.nasta_version(ar), skapad_av=av)
            plan.full_clean(exclude=["innehall"])
            plan._change_reason = "Utkast skapat"
            plan.save()
            text = ""
            if fran == "register":
                antal = plan._fran_registret()
                text = gettext("Utgår från det fastställda riskregistret: %(n)s risker.") % {
                    "n": antal
                }
            elif fran == "forra":
                forra = (
                    cls.objects.filter(ar__lt=ar, status=Beslutsstatus.FASTSTALLD)
                    .order_by("-ar", "-version")
                    .first()
                )
                if forra is None:
                    raise ValidationError(
                        _("Det finns ingen fastställd plan från ett tidigare år.")
                    )
                plan._kopiera(forra)
                text = gettext("Utgår från %(plan)s.") % {"plan": forra}
            plan.log(TimelineEntry.Typ.SKAPAT, av=av, till_status=plan.status, text=text)
        return plan

    def _fran_registret(self) -> int:
        """One control per risk of the decided risk register in force today whose value
        in that version reaches `RISK_NAMND_FRAN` (the risks the nämnd saw above its
        threshold), highest first."""
        from riskregister.models import Registerversion, Risk
        from riskregister.skala import Skala

        version = Registerversion.objects.i_kraft(timezone.localdate())
        if version is None:
            raise ValidationError(
                _(
                    "Det finns inget fastställt riskregister att utgå från. Välj förra årets "
                    "plan eller en tom plan."
                )
            )
        troskel = Skala.fran_data(version.innehall["skala"]).namnd_fran
        nummer = [r["nummer"] for r in version.innehall["risker"] if r["varde"] >= troskel]
        risker = {
            r.nummer: r for r in Risk.objects.filter(nummer__in=nummer).select_related("enhet")
        }
        hoga = [risker[n] for n in nummer if n in risker]
        Kontroll.objects.bulk_create(
            Kontroll(
                plan=self,
                kod=f"{settings.INTERNKONTROLL_ID_PREFIX} {i}",
                ordning=i,
                process=r.titel[:200],
                risk=r,
                utforare_enhet=r.enhet,
            )
            for i, r in enumerate(hoga, start=1)
        )
        return len(hoga)

    def _kopiera(self, fran):
        Kontroll.objects.bulk_create(
            Kontroll(
                plan=self,
                **{f: getattr(k, f) for f in Kontroll.KOPIERAS},
            )
            for k in fran.kontroller.all()
        )

    def ny_version(self, *, av, kommentar):
        """Reopen a decided plan: a new draft with the same controls; the old is kept,
        its occasions and results move to the new version when it is decided."""
        if not behorighet.kan_forbereda(av):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied(_("Internkontrollplanen förbereds av staben."))
        if not self.ar_beslutad:
            raise ValidationError(_("Bara en fastställd plan kan öppnas igen."))
        if not (kommentar or "").strip():
            raise ValidationError({"kommentar": _("Ange varför planen öppnas igen.")})
        with transaction.atomic():
            if Internkontrollplan.objects.filter(ar=self.ar, status=Beslutsstatus.UTKAST).exists():
                raise ValidationError(_("Det finns redan ett utkast för %(ar)s.") % {"ar": self.ar})
            ny = Internkontrollplan(ar=self.ar, version=self.nasta_version(self.ar), skapad_av=av)
            ny._change_reason = f"Ny version av version {self.version}"
            ny.save()
            ny._kopiera(self)
            ny.log(
                TimelineEntry.Typ.SKAPAT,
                av=av,
                till_status=ny.status,
                text=gettext("Ny version av version %(v)s: %(k)s")
                % {"v": self.version, "k": kommentar},
            )
        return ny

    # --- Deciding ---------------------------------------------------------------------

    def _faststallkrav(self):
        krav = []
        kontroller = list(self.kontroller.all())
        if not kontroller:
            krav.append(gettext("Lägg till minst en kontroll."))
        ofullstandiga = [k.kod for k in kontroller if k.saknas()]
        if ofullstandiga:
            krav.append(
                gettext("Fyll i kontrollmoment, metod, periodicitet och utförare för: %s.")
                % ", ".join(ofullstandiga)
            )
        return krav

    @transition(
        source=[Beslutsstatus.UTKAST],
        target=Beslutsstatus.FASTSTALLD,
        label=_("Registrera nämndens beslut"),
        verb=_("registrera nämndens beslut"),
        permission=_kan_forbereda,
        form="internkontroll.forms.FaststallForm",
        confirm=_beslutsfraga(_("internkontrollplanen")),
        requires=lambda p: p._faststallkrav(),
        permission_message=_("Staben registrerar nämndens beslut."),
        message=lambda p: gettext("Internkontrollplanen %(ar)s är fastställd.") % {"ar": p.ar},
    )
    def faststall(self, *, av, sammantradesdatum, paragraf, diarienummer):
        """Record the nämnd's decision: the plan is frozen, each control gets its
        occasions of the year; a replaced version's occasions (with their results,
        actions and links) move to the control with the same id in this one."""
        self.registrera_beslut(
            av=av, sammantradesdatum=sammantradesdatum, paragraf=paragraf, diarienummer=diarienummer
        )
        # The year's earlier occasions by control id and period (the latest version's
        # last, so it wins): one with the same id and period moves to this version;
        # one with a recorded result whose period is gone (the periodicitet changed)
        # moves too, as it was; the rest stay with the version they belonged to.
        tidigare = {}
        for t in (
            Kontrolltillfalle.objects.filter(kontroll__plan__ar=self.ar)
            .exclude(kontroll__plan=self)
            .select_related("kontroll")
            .order_by("kontroll__plan__version", "pk")
        ):
            tidigare[(t.kontroll.kod, t.period_fran, t.period_till)] = t
        for kontroll in self.kontroller.all():
            for period in perioder(self.ar, kontroll.periodicitet):
                gammalt = tidigare.pop((kontroll.kod, period.fran, period.till), None)
                if gammalt is not None:
                    gammalt.ordningsnummer = period.nummer
                    self._flytta(gammalt, kontroll)
                    continue
                tillfalle = Kontrolltillfalle(
                    kontroll=kontroll,
                    enhet=kontroll.utforare_enhet,
                    handlaggare=kontroll.utforare,
                    ordningsnummer=period.nummer,
                    period_fran=period.fran,
                    period_till=period.till,
                    forfaller=period.forfaller,
                )
                tillfalle._change_reason = f"Plan {self.ar} version {self.version}"
                tillfalle.save()
                tillfalle.log(TimelineEntry.Typ.SKAPAT, av=av, till_status=tillfalle.status)
        per_kod = {k.kod: k for k in self.kontroller.all()}
        for (kod, _fran, _till), gammalt in tidigare.items():
            if gammalt.status == Tillfallestatus.KLAR and kod in per_kod:
                self._flytta(gammalt, per_kod[kod])

    def _flytta(self, tillfalle, kontroll):
        """Move an earlier version's occasion (with its result, actions and links) to
        the control with the same id in this version."""
        tillfalle.kontroll = kontroll
        tillfalle.enhet = kontroll.utforare_enhet
        tillfalle.handlaggare = kontroll.utforare
        tillfalle._change_reason = f"Till plan version {self.version}"
        tillfalle.save()


class Kontroll(models.Model):
    """One row of a plan: what is checked, how, how often, by whom, reported to whom."""

    KOPIERAS = (
        "kod", "central", "process", "risk", "kontrollmoment", "metod", "omfattning",
        "periodicitet", "utforare_enhet", "utforare", "uppfoljare", "rapporteras_till",
        "rapporteras_nar", "ordning",
    )  # fmt: skip

    plan = models.ForeignKey(
        Internkontrollplan, on_delete=models.CASCADE, related_name="kontroller"
    )
    kod = models.CharField(
        _("id"), max_length=20, help_text=_("T.ex. CENT 1 för en central kontroll, SN 3.")
    )
    central = models.BooleanField(
        _("central kontroll"),
        default=False,
        help_text=_("Bestämd centralt för alla nämnder (CENT), inte nämndens egen."),
    )
    process = models.CharField(_("process eller område"), max_length=200)
    risk = models.ForeignKey(
        "riskregister.Risk",
        verbose_name=_("risk i riskregistret"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="kontroller",
    )
    kontrollmoment = models.TextField(_("kontrollmoment"), max_length=2000, blank=True)
    metod = models.CharField(_("metod"), max_length=20, choices=Metod.choices, blank=True)
    omfattning = models.CharField(_("omfattning eller stickprov"), max_length=500, blank=True)
    periodicitet = models.CharField(
        _("periodicitet"), max_length=16, choices=Periodicitet.choices, blank=True
    )
    utforare_enhet = models.ForeignKey(
        "kvalitet.Enhet",
        verbose_name=_("utförs av (enhet)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    utforare = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utförs av (person)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Lämnas tomt om enhetens chefer utför kontrollen."),
    )
    uppfoljare = models.CharField(_("följs upp av"), max_length=200, blank=True)
    rapporteras_till = models.CharField(_("rapporteras till"), max_length=200, blank=True)
    rapporteras_nar = models.CharField(_("rapporteras när"), max_length=200, blank=True)
    ordning = models.PositiveSmallIntegerField(_("ordning"), default=100)
    history = ProtectedHistoricalRecords()

    class Meta:
        verbose_name = _("kontroll")
        verbose_name_plural = _("kontroller")
        ordering = ["-central", "ordning", "kod"]
        constraints = [models.UniqueConstraint(fields=["plan", "kod"], name="ikkontroll_kod_unik")]

    def __str__(self):
        return f"{self.kod} {self.process}"

    def saknas(self) -> bool:
        """Is something missing that the plan cannot be decided without?"""
        return not (
            self.kontrollmoment.strip()
            and self.metod
            and self.periodicitet
            and self.utforare_enhet_id
        )


class TillfalleQuerySet(ArendeQuerySet):
    def vantar_pa(self, user):
        """What waits for the user (the start page, "Bara de som väntar på mig"): the
        occasions of a decided plan of the units they lead, or named to them, without a
        result and due within INTERNKONTROLL_PAMINNELSE_DAGAR_FORE days or overdue."""
        grans = timezone.localdate() + timedelta(days=settings.INTERNKONTROLL_PAMINNELSE_DAGAR_FORE)
        return (
            super()
            .vantar_pa(user)
            .filter(
                status=Tillfallestatus.VANTAR,
                forfaller__lte=grans,
                kontroll__plan__status=Beslutsstatus.FASTSTALLD,
            )
        )


class Kontrolltillfalle(
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
    """One occasion a control is performed (IK-2026-0004), due on its period's last day,
    with its result: what was checked, how many, deviations found, the assessment, and
    what follows (actions, an avvikelse, a lex Sarah rapport, a new assessment of the
    risk – created from it and linked to it). Its unit is the performing unit: its chefs
    and the named performer record it; staben sees all."""

    NUMMER_PREFIX = "IK"
    DATUMFALT = "forfaller"
    STATUS_OPPNA = TILLFALLE_OPPNA
    HANDLAGGARE_NAMN = _("utförare")
    ROLLER_HANTERAR_ALLT = SER_ALLT
    SAMMANFATTNING = "vad"

    status = models.CharField(
        _("status"),
        max_length=16,
        choices=Tillfallestatus.choices,
        default=Tillfallestatus.VANTAR,
    )
    handlaggare = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utförare"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kontroll = models.ForeignKey(Kontroll, on_delete=models.PROTECT, related_name="tillfallen")
    ordningsnummer = models.PositiveSmallIntegerField(_("tillfälle"))
    period_fran = models.DateField(_("perioden från"))
    period_till = models.DateField(_("perioden till"))
    forfaller = models.DateField(_("ska vara klar"))
    kontrollerad = models.DateField(_("kontrollerad"), null=True, blank=True)
    vad = models.TextField(_("vad som kontrollerades"), max_length=5000, blank=True)
    antal = models.PositiveIntegerField(_("antal kontrollerade"), null=True, blank=True)
    avvikelser = models.PositiveIntegerField(_("antal avvikelser"), null=True, blank=True)
    bedomning = models.CharField(
        _("bedömning"), max_length=20, choices=Bedomning.choices, blank=True
    )
    kommentar = models.TextField(_("kommentar och iakttagelser"), max_length=10_000, blank=True)
    registrerad_av = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resultat registrerat av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = TillfalleQuerySet.as_manager()

    class Meta:
        verbose_name = _("kontrolltillfälle")
        verbose_name_plural = _("kontrolltillfällen")
        ordering = ["forfaller", "nummer"]
        indexes = [
            models.Index(fields=["enhet", "forfaller"]),
            models.Index(fields=["status", "forfaller"]),
        ]

    def __str__(self):
        return self.nummer

    def get_absolute_url(self):
        return reverse("internkontroll:detalj", args=[self.nummer])

    @property
    def sammanfattning(self):
        return f"{self.kontroll.kod} {self.kontroll.process}"

    @property
    def ar_forsenat(self):
        return bool(self.status == Tillfallestatus.VANTAR and self.forfaller < timezone.localdate())

    @property
    def allvarlighet(self) -> int:
        return ALLVARLIGHET.get(self.bedomning, 0)

    def forslag_till_avvikelse(self) -> dict:
        """What an avvikelse created from this result starts from (avvikelser's form)."""
        return {
            "enhet": self.enhet_id,
            "beskrivning": gettext("Brist vid internkontroll %(nr)s (%(kod)s): %(text)s")
            % {"nr": self.nummer, "kod": self.kontroll.kod, "text": self.kommentar},
        }

    # The source of a lex Sarah rapport started from a result (lexsarah.choices.Kalla).
    LEX_SARAH_KALLA = "kontroll"

    def _resultat(self, *, av, kontrollerad, vad, antal, avvikelser, bedomning, kommentar):
        if kontrollerad < self.period_fran:
            raise ValidationError(
                {
                    "kontrollerad": _("Perioden börjar %(dag)s; kontrollen kan inte vara tidigare.")
                    % {"dag": self.period_fran.isoformat()}
                }
            )
        if antal is not None and avvikelser is not None and avvikelser > antal:
            raise ValidationError(
                {
                    "avvikelser": _("Fler avvikelser än kontrollerade: ange högst %(n)s.")
                    % {"n": antal}
                }
            )
        if bedomning != Bedomning.UTAN_ANMARKNING and not kommentar.strip():
            raise ValidationError(
                {"kommentar": _("Beskriv bristerna: vad som inte var som det skulle.")}
            )
        fore = self.get_bedomning_display() if self.bedomning else ""
        self.kontrollerad, self.vad, self.antal = kontrollerad, vad, antal
        self.avvikelser, self.bedomning, self.kommentar = avvikelser, bedomning, kommentar
        self.registrerad_av = av
        text = gettext("Resultat %(dag)s: %(bed)s") % {
            "dag": kontrollerad.isoformat(),
            "bed": self.get_bedomning_display(),
        }
        if fore and fore != self.get_bedomning_display():
            text += " " + gettext("(före: %s)") % fore
        if antal is not None:
            text += ", " + gettext("%(a)s kontrollerade, %(b)s avvikelser") % {
                "a": antal,
                "b": avvikelser if avvikelser is not None else "–",
            }
        return text

    @transition(
        source=[Tillfallestatus.VANTAR],
        target=Tillfallestatus.KLAR,
        label=_("Registrera resultat"),
        verb=_("registrera resultatet"),
        permission=_kan_registrera,
        form="internkontroll.forms.ResultatForm",
        permission_message=_("Resultatet registreras av utföraren och enhetens chefer."),
        message=_("%(arende)s: resultatet är registrerat."),
    )
    def registrera(self, *, av, **resultat):
        """Record the occasion's result."""
        self._resultat(av=av, **resultat)

    @step(
        label=_("Ändra resultatet"),
        permission=_kan_registrera,
        source=[Tillfallestatus.KLAR],
        form="internkontroll.forms.ResultatForm",
        slug="andra",
        style="secondary",
        message=_("%(arende)s: resultatet är ändrat."),
    )
    def andra(self, *, av, **resultat):
        """Correct a recorded result; the earlier values stay in the history."""
        falt = ("kontrollerad", "vad", "antal", "avvikelser", "bedomning", "kommentar")
        if all(getattr(self, f) == resultat[f] for f in falt):
            return None
        return self._resultat(av=av, **resultat)

    def bedom_risken(self, *, av, sannolikhet, konsekvens, kommentar, datum=None):
        """Re-assess the control's risk from this result (riskregister's own step, so
        its permission and rules hold), and link the result to the risk."""
        risk = self.kontroll.risk
        if risk is None:
            raise ValidationError(_("Kontrollen är inte kopplad till någon risk."))
        text = gettext("Efter internkontroll %(nr)s: %(k)s") % {"nr": self.nummer, "k": kommentar}
        with transaction.atomic():
            risk.bedom(
                av=av,
                datum=datum or timezone.localdate(),
                sannolikhet=sannolikhet,
                konsekvens=konsekvens,
                kommentar=text.strip()[:1000],
            )
            self.link(risk, CaseLink.Typ.NY_BEDOMNING, av=av)
        return risk


def redovisas_senast(ar) -> date:
    """When the year's internkontrollredovisning is due to the nämnd: the setting
    INTERNKONTROLL_REDOVISNING_SENAST (month-day) of the following year."""
    manad, dag = settings.INTERNKONTROLL_REDOVISNING_SENAST
    return date(ar + 1, manad, dag)


class Internkontrollredovisning(Arshandling):
    """The year's report to the nämnd on its internkontroll: one row per control of the
    decided plan with the occasions' results, findings and actions, the assessment in
    colour and words; prepared by staben, decided by the nämnd, frozen."""

    history = ProtectedHistoricalRecords()

    class Meta(Arshandling.Meta):
        verbose_name = _("internkontrollredovisning")
        verbose_name_plural = _("internkontrollredovisningar")
        constraints = [
            models.UniqueConstraint(fields=["ar", "version"], name="ikred_version_unik"),
            models.UniqueConstraint(
                fields=["ar"],
                condition=models.Q(status=Beslutsstatus.UTKAST),
                name="ikred_ett_utkast_per_ar",
            ),
        ]

    def __str__(self):
        return gettext("Internkontrollredovisning %(ar)s, version %(v)s") % {
            "ar": self.ar,
            "v": self.version,
        }

    def get_absolute_url(self):
        return reverse("internkontroll:redovisning", args=[self.pk])

    def pdf_namn(self):
        return f"internkontrollredovisning-{self.ar}-version-{self.version}"

    @property
    def senast(self) -> date:
        return redovisas_senast(self.ar)

    def frys(self, dag):
        from ..redovisning import innehall

        return innehall(self.ar, dag)

    def rendera_pdf(self):
        from ..dokument import rendera_redovisning

        return rendera_redovisning(self)

    @classmethod
    def skapa(cls, *, ar, av, kommentar=""):
        """Start the year's redovisning; a new version of one already decided only with
        the reason (`kommentar`), which the timeline keeps – as a decided plan is
        reopened (`Internkontrollplan.ny_version`)."""
        if not behorighet.kan_forbereda(av):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied(_("Redovisningen förbereds av staben."))
        kommentar = (kommentar or "").strip()
        with transaction.atomic():
            if cls.objects.filter(ar=ar, status=Beslutsstatus.UTKAST).exists():
                raise ValidationError(_("Det finns redan ett utkast för %(ar)s.") % {"ar": ar})
            beslutad = cls.objects.filter(ar=ar).order_by("-version").first()
            if beslutad is not None and not kommentar:
                raise ValidationError(
                    {
                        "kommentar": _(
                            "Redovisningen för %(ar)s är redan fastställd (version %(v)s). "
                            "Ange varför en ny version behövs."
                        )
                        % {"ar": ar, "v": beslutad.version}
                    }
                )
            if Internkontrollplan.objects.i_kraft(ar) is None:
                raise ValidationError(
                    _("Det finns ingen fastställd internkontrollplan för %(ar)s att redovisa.")
                    % {"ar": ar}
                )
            red = cls(ar=ar, version=cls.nasta_version(ar), skapad_av=av)
            red.full_clean(exclude=["innehall"])
            red._change_reason = "Utkast skapat"
            red.save()
            text = ""
            if beslutad is not None:
                text = gettext("Ny version av version %(v)s: %(k)s") % {
                    "v": beslutad.version,
                    "k": kommentar,
                }
            red.log(TimelineEntry.Typ.SKAPAT, av=av, till_status=red.status, text=text)
        return red

    @transition(
        source=[Beslutsstatus.UTKAST],
        target=Beslutsstatus.FASTSTALLD,
        label=_("Registrera nämndens beslut"),
        verb=_("registrera nämndens beslut"),
        permission=_kan_forbereda,
        form="internkontroll.forms.FaststallForm",
        confirm=_beslutsfraga(_("internkontrollredovisningen")),
        permission_message=_("Staben registrerar nämndens beslut."),
        message=lambda r: (
            gettext("Internkontrollredovisningen %(ar)s är fastställd.") % {"ar": r.ar}
        ),
    )
    def faststall(self, *, av, sammantradesdatum, paragraf, diarienummer):
        """Record the nämnd's decision: the results as they stand are frozen."""
        self.registrera_beslut(
            av=av, sammantradesdatum=sammantradesdatum, paragraf=paragraf, diarienummer=diarienummer
        )
