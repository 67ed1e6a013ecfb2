"""The kvalitetsberättelse (docs/siffror.md) and the imported history it compares with."""

import hashlib
import uuid
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history

from kvalitet.lib.beslut import (  # noqa: F401 (the report forms import them from here)
    DIARIENUMMER_MAX,
    PARAGRAF_MAX,
    rensa_diarienummer,
    rensa_paragraf,
)
from kvalitet.lib.datum import TIDIGAST, for_tidigt_text
from kvalitet.models import ProtectedHistoricalRecords, TimelineEntry, TimelineMixin
from kvalitet.models.arende import private_storage
from kvalitet.workflow import transition

from . import behorighet
from .choices import (
    BESLUTADE,
    PDF_ARBETAR,
    Beslutsfattare,
    Dimension,
    Kapitelstatus,
    PdfStatus,
    Serie,
    Status,
)

FORSTA_AR = 2000


class Historik(models.Model):
    """An aggregate count for a year before the product was used (`historik` in
    docs/import-format.md).

    Reports use it for the years before the series' `Driftstart`; without one, only
    where no records of that year and series exist. Either way it is never added to
    records, so importing history never double counts."""

    ar = models.PositiveSmallIntegerField(
        _("år"), validators=[MinValueValidator(FORSTA_AR), MaxValueValidator(2100)]
    )
    serie = models.CharField(_("serie"), max_length=16, choices=Serie.choices)
    dimension = models.CharField(_("dimension"), max_length=16, choices=Dimension.choices)
    # Empty for the total; a code (typ, kanal, klassning), a category name or a unit code.
    varde = models.CharField(_("värde"), max_length=200, blank=True)
    antal = models.PositiveIntegerField(_("antal"))
    importerad = models.DateTimeField(_("importerad"), default=timezone.now)

    class Meta:
        verbose_name = _("historisk uppgift")
        verbose_name_plural = _("historiska uppgifter")
        ordering = ["serie", "ar", "dimension", "varde"]
        constraints = [
            models.UniqueConstraint(
                fields=["ar", "serie", "dimension", "varde"], name="historik_unik"
            )
        ]

    def __str__(self):
        return f"{self.ar} {self.serie} {self.dimension} {self.varde}: {self.antal}"


class Driftstart(models.Model):
    """The day from which a series' records in the product are complete (`driftstart` in
    docs/import-format.md; docs/siffror.md "Historik från tidigare system").

    Years before it are compared from the imported history (a few stray imported
    records never hide it), its own year is counted from the records and marked as
    partial, later years from the records. Tillbud are avvikelse records: they follow
    the `avvikelser` series' date. Set by the import or in the administration."""

    serie = models.CharField(_("serie"), max_length=16, choices=Serie.choices, unique=True)
    fran = models.DateField(
        _("komplett från"),
        help_text=_("Dagen från vilken seriens ärenden finns kompletta i ledningssystemet."),
    )
    andrad = models.DateTimeField(_("ändrad"), default=timezone.now)
    history = ProtectedHistoricalRecords()

    class Meta:
        verbose_name = _("driftstart")
        verbose_name_plural = _("driftstarter")
        ordering = ["serie"]

    def __str__(self):
        return f"{self.get_serie_display()}: {self.fran.isoformat()}"

    def save(self, *args, **kwargs):
        self.andrad = timezone.now()
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.fran is None:
            return
        if self.fran < TIDIGAST:
            raise ValidationError({"fran": for_tidigt_text()})
        if self.fran > timezone.localdate():
            raise ValidationError({"fran": _("Datumet kan inte ligga i framtiden.")})


def _pdf_path(instance, filename):
    namn = f"kvalitetsberattelse-{instance.ar}-v{instance.version}-{uuid.uuid4().hex[:8]}.pdf"
    return f"rapporter/{instance.ar}/{namn}"


def _kan_skriva(user, berattelse):
    return behorighet.kan_skriva_rapport(user)


def _kan_faststalla(user, berattelse):
    return behorighet.kan_faststalla_rapport(user)


# --- Deciding: what must be written, and the decision's references ---------------------


def kapitelstatus_for(kapitel, text, ar) -> str:
    """How far one chapter is written (`choices.Kapitelstatus`): not written while it
    has no text, an empty one, or its default text (whitespace, emphasis and instruction
    brackets aside); instructions left while it contains `[[` or `]]` (rapporter/text.py);
    otherwise written."""
    from .text import har_instruktion, jamforbar

    # Rendered whatever the text, so a page costs the same queries (a default text may
    # cite rules from the table) however many chapters are written.
    standard = kapitel.standardtext(ar, settings.KOMMUN_NAMN)
    if text is None or not text.strip():
        return Kapitelstatus.EJ_SKRIVEN
    if jamforbar(text) == jamforbar(standard):
        return Kapitelstatus.EJ_SKRIVEN
    if har_instruktion(text):
        return Kapitelstatus.INSTRUKTION
    return Kapitelstatus.SKRIVEN


def _faststallkrav(berattelse):
    """What a draft needs before it is decided (DOMAIN.md §5, "No placeholders" and no
    personal data): every chapter written, no writing instruction left, nothing that
    looks like a personnummer (the form refuses one; a text saved before it did may)."""
    from kvalitet.forms import ser_ut_som_personnummer

    ej, instruktion, personnummer = [], [], []
    for kapitel, status, text in berattelse.kapitelstatus():
        if status == Kapitelstatus.EJ_SKRIVEN:
            ej.append(str(kapitel.titel))
        elif status == Kapitelstatus.INSTRUKTION:
            instruktion.append(str(kapitel.titel))
        if text is not None and ser_ut_som_personnummer(text.text):
            personnummer.append(str(kapitel.titel))
    krav = []
    if personnummer:
        krav.append(
            gettext("Ta bort det som ser ut som personnummer ur: %s.") % ", ".join(personnummer)
        )
    if ej:
        krav.append(gettext("Skriv kapitlen som fortfarande har standardtext: %s.") % ", ".join(ej))
    if instruktion:
        krav.append(gettext("Ta bort skrivinstruktionerna [[…]] ur: %s.") % ", ".join(instruktion))
    return krav


def kontrollera_sammantradesdatum(datum, ar, brytdatum=None):
    """The nämnd's meeting: a real date, not in the future, not before the report year,
    and not before the statistics' cut-off (the report holds what was registered up to
    that day: no meeting before it can have treated it)."""
    from kvalitet.lib.datum import inom_granserna, utanfor_granserna_text

    if datum is None:
        raise ValidationError(gettext("Ange datumet för nämndens sammanträde."), code="required")
    if not inom_granserna(datum):
        raise ValidationError(utanfor_granserna_text(), code="datumgrans")
    if datum > timezone.localdate():
        raise ValidationError(gettext("Datumet kan inte ligga i framtiden."), code="framtid")
    if datum.year < ar:
        raise ValidationError(
            gettext("Sammanträdet kan inte ligga före %(ar)s, året berättelsen gäller.")
            % {"ar": ar},
            code="fore_aret",
        )
    if brytdatum is not None and datum < brytdatum:
        raise ValidationError(
            gettext(
                "Sammanträdet kan inte ligga före brytdatum %(dag)s: berättelsen har "
                "registreringar till och med den dagen."
            )
            % {"dag": brytdatum.isoformat()},
            code="fore_brytdatum",
        )


def beslutstext(beslutsfattare, datum, paragraf, diarienummer) -> str:
    """The decision as the cover and the report page give it: "Fastställd av
    socialnämnden 2026-02-19, § 14, dnr SN 2026/12" or "Fastställd av förvaltningschefen
    2026-02-20, dnr SN 2026/12"."""
    if beslutsfattare == Beslutsfattare.NAMND:
        namn = settings.NAMND_NAMN
        vem = namn[:1].lower() + namn[1:]
    else:
        vem = gettext("förvaltningschefen")
    text = gettext("Fastställd av %(vem)s") % {"vem": vem}
    if datum:
        text += f" {datum.isoformat()}"
    delar = [text]
    if paragraf:
        delar.append(f"§ {paragraf}")
    if diarienummer:
        delar.append(gettext("dnr %(dnr)s") % {"dnr": diarienummer})
    return ", ".join(delar)


def _faststall_fraga(berattelse, data) -> str:
    beslutsfattare = settings.KVALITETSBERATTELSE_BESLUTAS_AV
    datum = (
        data.get("sammantradesdatum")
        if beslutsfattare == Beslutsfattare.NAMND
        else timezone.localdate()
    )
    return gettext(
        "Fastställa kvalitetsberättelsen – ”%(beslut)s”? Siffrorna låses och PDF:en "
        "arkiveras; den kan inte ändras efteråt."
    ) % {
        "beslut": beslutstext(beslutsfattare, datum, data.get("paragraf"), data.get("diarienummer"))
    }


def standard_brytdatum(ar: int) -> date:
    """Figures for a past year are read at the end of January after it, when late
    answers and closings are in; for the current year, today."""
    return min(date(ar + 1, 1, 31), timezone.localdate())


class BerattelseQuerySet(models.QuerySet):
    def for_user(self, user):
        return behorighet.synliga_rapporter(user, self)

    def beslutade(self):
        return self.filter(status__in=BESLUTADE)


class Kvalitetsberattelse(TimelineMixin):
    """One version of a year's kvalitetsberättelse.

    Drafted by the kvalitetssamordnare (chapter texts in `Kapiteltext`, figures computed
    live from the records up to `brytdatum`), decided by the förvaltningschef. Deciding
    freezes it: the figures are stored in `siffror` and the PDF archived with its
    SHA-256; nothing of a decided version changes again. Reopening makes a new version.
    """

    ar = models.PositiveSmallIntegerField(
        _("år"), validators=[MinValueValidator(FORSTA_AR), MaxValueValidator(2100)]
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.UTKAST
    )
    brytdatum = models.DateField(
        _("brytdatum"),
        help_text=_("Siffrorna bygger på registrerade uppgifter till och med detta datum."),
    )
    siffror = models.JSONField(_("fastställda siffror"), null=True, blank=True, editable=False)

    faststalld = models.DateTimeField(_("fastställd"), null=True, blank=True)
    faststalld_av = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # An internal note to the decision (the timeline shows it); not in the report.
    beslutsanteckning = models.CharField(_("beslutsanteckning"), max_length=500, blank=True)
    # The decision's references, on the cover (`beslut_text`). Who decided is the setting
    # KVALITETSBERATTELSE_BESLUTAS_AV on the day; `faststalld_av` is who recorded it.
    # Versions decided before these fields existed have them empty (the förvaltningschef).
    beslutsfattare = models.CharField(
        _("beslutas av"), max_length=16, choices=Beslutsfattare.choices, blank=True
    )
    diarienummer = models.CharField(_("diarienummer"), max_length=DIARIENUMMER_MAX, blank=True)
    sammantradesdatum = models.DateField(_("nämndens sammanträde"), null=True, blank=True)
    paragraf = models.CharField(_("paragraf (§)"), max_length=PARAGRAF_MAX, blank=True)

    pdf = models.FileField(
        storage=private_storage, upload_to=_pdf_path, max_length=255, blank=True, editable=False
    )
    pdf_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    pdf_skapad = models.DateTimeField(null=True, blank=True, editable=False)
    pdf_status = models.CharField(
        max_length=8, choices=PdfStatus.choices, default=PdfStatus.INGEN, blank=True
    )
    pdf_fel = models.CharField(max_length=500, blank=True)
    # Each request gets a token; a worker finishing a superseded request drops its result.
    pdf_jobb = models.UUIDField(null=True, blank=True, editable=False)

    skapad = models.DateTimeField(default=timezone.now, editable=False)
    skapad_av = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uppdaterad = models.DateTimeField(auto_now=True)
    # When the content (a text or the cut-off) last changed; a PDF older than this is stale.
    andrad = models.DateTimeField(default=timezone.now, editable=False)

    history = ProtectedHistoricalRecords(excluded_fields=["pdf_status", "pdf_fel", "pdf_jobb"])
    objects = BerattelseQuerySet.as_manager()

    class Meta:
        verbose_name = _("kvalitetsberättelse")
        verbose_name_plural = _("kvalitetsberättelser")
        ordering = ["-ar", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["ar", "version"], name="berattelse_version_unik"),
            # One draft per year: a second draft could be decided against the first.
            models.UniqueConstraint(
                fields=["ar"], condition=models.Q(status=Status.UTKAST), name="ett_utkast_per_ar"
            ),
        ]

    def __str__(self):
        return _("Kvalitetsberättelse %(ar)s, version %(v)s") % {"ar": self.ar, "v": self.version}

    def get_absolute_url(self):
        return reverse("rapporter:detalj", args=[self.pk])

    @property
    def ar_utkast(self):
        return self.status == Status.UTKAST

    @property
    def ar_beslutad(self):
        return self.status in BESLUTADE

    @property
    def pdf_arbetar(self):
        return self.pdf_status in PDF_ARBETAR

    @property
    def pdf_inaktuell(self):
        """A draft's PDF made before its latest text or cut-off change."""
        return bool(
            self.pdf and self.ar_utkast and self.pdf_skapad and self.andrad > self.pdf_skapad
        )

    @property
    def beslut_text(self):
        """Who decided, when, and the references; "" for a draft."""
        if not self.ar_beslutad:
            return ""
        if self.beslutsfattare == Beslutsfattare.NAMND:
            datum = self.sammantradesdatum
        else:
            datum = timezone.localdate(self.faststalld) if self.faststalld else None
        return beslutstext(
            self.beslutsfattare or Beslutsfattare.FORVALTNINGSCHEF,
            datum,
            self.paragraf,
            self.diarienummer,
        )

    def kapitel(self, texter):
        """The chapters of this version, in report order: a draft has every chapter of
        the product; a decided version the ones it was decided with – each had its text
        written – never a chapter added to the product since, with its default text and
        instructions (`texter`: the version's texts by chapter)."""
        from .kapitel import KAPITEL

        if not self.ar_beslutad:
            return KAPITEL
        return [k for k in KAPITEL if k.slug in texter]

    def kapitelstatus(self):
        """[(Kapitel, Kapitelstatus, Kapiteltext or None)] in report order."""
        texter = {t.kapitel: t for t in self.texter.all()}
        ut = []
        for k in self.kapitel(texter):
            text = texter.get(k.slug)
            ut.append((k, kapitelstatus_for(k, text.text if text else None, self.ar), text))
        return ut

    def clean(self):
        idag = timezone.localdate()
        fel = {}
        if self.ar and self.ar > idag.year:
            fel["ar"] = _("Året har inte börjat ännu.")
        if self.brytdatum and self.ar:
            if self.brytdatum.year < self.ar:
                fel["brytdatum"] = _("Brytdatumet kan inte ligga före årets början.")
            elif self.brytdatum > idag:
                fel["brytdatum"] = _("Brytdatumet kan inte ligga i framtiden.")
        if fel:
            raise ValidationError(fel)

    @classmethod
    def skapa(cls, *, ar, brytdatum, av):
        """Start a year's first draft."""
        berattelse = cls(ar=ar, brytdatum=brytdatum, skapad_av=av)
        berattelse.full_clean(exclude=["siffror"])
        with transaction.atomic():
            berattelse._change_reason = "Utkast skapat"
            berattelse.save()
            berattelse.log(TimelineEntry.Typ.SKAPAT, av=av, till_status=Status.UTKAST)
        return berattelse

    # --- Texts -------------------------------------------------------------------

    def text_for(self, slug):
        """The chapter's text, or None if not yet written."""
        for text in self.texter.all():
            if text.kapitel == slug:
                return text
        return None

    def spara_text(self, slug, text, *, av, titel=""):
        """Save one chapter's text on a draft."""
        if not self.ar_utkast:
            raise ValidationError(_("En fastställd kvalitetsberättelse kan inte ändras."))
        with transaction.atomic():
            obj, skapad = Kapiteltext.objects.get_or_create(
                berattelse=self, kapitel=slug, defaults={"text": text, "uppdaterad_av": av}
            )
            if not skapad and obj.text != text:
                obj.text = text
                obj.uppdaterad_av = av
                obj.save()
            elif not skapad:
                return obj
            self.andrad = timezone.now()
            self.save(update_fields=["andrad", "uppdaterad"])
            self.log(TimelineEntry.Typ.ANDRING, av=av, text=_("Text ändrad: %s") % titel)
        return obj

    def satt_brytdatum(self, brytdatum, *, av):
        """Change the draft's cut-off date for the figures."""
        if not self.ar_utkast:
            raise ValidationError(_("En fastställd kvalitetsberättelse kan inte ändras."))
        if brytdatum == self.brytdatum:
            return
        self.brytdatum = brytdatum
        self.full_clean(exclude=["siffror"])
        self.andrad = timezone.now()
        self._change_reason = "Brytdatum ändrat"
        self.save()
        self.log(TimelineEntry.Typ.ANDRING, av=av, text=_("Brytdatum: %s") % brytdatum.isoformat())

    # --- PDF ---------------------------------------------------------------------

    def begar_pdf(self, *, av):
        """Queue a PDF rendering; returns the job token. A decided version's archived PDF
        is never replaced."""
        if self.ar_beslutad and self.pdf:
            raise ValidationError(
                _("Den fastställda versionens PDF är arkiverad och skapas inte om.")
            )
        from .tasks import skapa_pdf

        with transaction.atomic():
            jobb = uuid.uuid4()
            Kvalitetsberattelse.objects.filter(pk=self.pk).update(
                pdf_status=PdfStatus.KOAD, pdf_fel="", pdf_jobb=jobb
            )
            self.pdf_status, self.pdf_fel, self.pdf_jobb = PdfStatus.KOAD, "", jobb
            skapa_pdf.delay_on_commit(self.pk, str(jobb))
        return jobb

    def spara_pdf(self, innehall: bytes, jobb):
        """Store rendered bytes if `jobb` is still the current request (row-locked)."""
        with transaction.atomic():
            aktuell = Kvalitetsberattelse.objects.select_for_update().get(pk=self.pk)
            if str(aktuell.pdf_jobb) != str(jobb) or (aktuell.ar_beslutad and aktuell.pdf):
                return False
            gammal = aktuell.pdf.name if aktuell.pdf else None
            # The storage writes the whole file or none (kvalitet.models.PrivateStorage);
            # an OSError (a full disk) leaves the row as it was, for the task to record.
            aktuell.pdf.save("kvalitetsberattelse.pdf", ContentFile(innehall), save=False)
            ny = aktuell.pdf.name
            try:
                with transaction.atomic():
                    aktuell.pdf_sha256 = hashlib.sha256(innehall).hexdigest()
                    aktuell.pdf_skapad = timezone.now()
                    aktuell.pdf_status = PdfStatus.KLAR
                    aktuell.pdf_fel = ""
                    aktuell._change_reason = "PDF skapad"
                    aktuell.save()
                    aktuell.log(
                        TimelineEntry.Typ.ANDRING,
                        text=_("PDF skapad (SHA-256 %(sha)s)") % {"sha": aktuell.pdf_sha256},
                    )
            except BaseException:
                private_storage.delete(ny)  # no file without the row that points to it
                raise
            if gammal and aktuell.ar_utkast:
                # A draft keeps only its latest PDF; decided versions never reach here.
                transaction.on_commit(lambda: private_storage.delete(gammal))
        return True

    def pdf_misslyckades(self, jobb, meddelande):
        Kvalitetsberattelse.objects.filter(pk=self.pk, pdf_jobb=jobb).update(
            pdf_status=PdfStatus.FEL, pdf_fel=str(meddelande)[:500]
        )

    def filnamn(self):
        return f"kvalitetsberattelse-{self.ar}-version-{self.version}.pdf"

    # --- Workflow ----------------------------------------------------------------

    @transition(
        source=[Status.UTKAST],
        target=Status.FASTSTALLD,
        label=_("Fastställ"),
        verb=_("fastställa"),
        permission=_kan_faststalla,
        form="rapporter.forms.FaststallForm",
        confirm=_faststall_fraga,
        requires=_faststallkrav,
        permission_message=_("Bara förvaltningschefen fastställer kvalitetsberättelsen."),
        message=lambda b: (
            _("Kvalitetsberättelsen för %(ar)s är fastställd. PDF:en arkiveras.") % {"ar": b.ar}
        ),
    )
    def faststall(self, *, av, diarienummer="", sammantradesdatum=None, paragraf="", kommentar=""):
        """The förvaltningschef decides, or records the nämnd's decision (setting
        KVALITETSBERATTELSE_BESLUTAS_AV): freeze the figures, archive a PDF from them.
        Every chapter is written by now (`_faststallkrav`), so the texts stored are the
        texts decided and a later change of the default texts changes nothing."""
        from .siffror import berakna

        beslutsfattare = settings.KVALITETSBERATTELSE_BESLUTAS_AV
        fel = {}
        try:
            diarienummer = rensa_diarienummer(diarienummer)
        except ValidationError as exc:
            fel["diarienummer"] = exc.messages
        if beslutsfattare == Beslutsfattare.NAMND:
            try:
                kontrollera_sammantradesdatum(sammantradesdatum, self.ar, self.brytdatum)
            except ValidationError as exc:
                fel["sammantradesdatum"] = exc.messages
            try:
                paragraf = rensa_paragraf(paragraf)
            except ValidationError as exc:
                fel["paragraf"] = exc.messages
        else:
            sammantradesdatum, paragraf = None, ""
        if len(kommentar or "") > 500:
            fel["kommentar"] = [gettext("Anteckningen får vara högst 500 tecken.")]
        if fel:
            raise ValidationError(fel)
        self.beslutsfattare = beslutsfattare
        self.diarienummer = diarienummer
        self.sammantradesdatum = sammantradesdatum
        self.paragraf = paragraf
        self.siffror = berakna(self.ar, self.brytdatum)
        self.faststalld = timezone.now()
        self.faststalld_av = av
        self.beslutsanteckning = kommentar
        # The draft's PDF showed live figures; the archived one is made from the frozen.
        if self.pdf:
            gammal = self.pdf.name
            transaction.on_commit(lambda: private_storage.delete(gammal))
        self.pdf = ""
        self.pdf_sha256 = ""
        self.pdf_skapad = None
        for aldre in Kvalitetsberattelse.objects.filter(
            ar=self.ar, status=Status.FASTSTALLD
        ).exclude(pk=self.pk):
            aldre.status = Status.ERSATT
            aldre._change_reason = f"Ersatt av version {self.version}"
            aldre.save()
        transaction.on_commit(lambda: self.begar_pdf(av=av))

    def ny_version(self, *, av, kommentar):
        """Reopen a decided report: a new draft with the same texts; the old is kept."""
        if not behorighet.kan_forvalta_beslutad_rapport(av):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied(_("Du har inte behörighet att göra detta."))
        if not self.ar_beslutad:
            raise ValidationError(_("Bara en fastställd kvalitetsberättelse kan öppnas igen."))
        if not kommentar.strip():
            raise ValidationError({"kommentar": _("Ange varför kvalitetsberättelsen öppnas igen.")})
        with transaction.atomic():
            if Kvalitetsberattelse.objects.filter(ar=self.ar, status=Status.UTKAST).exists():
                raise ValidationError(_("Det finns redan ett utkast för %(ar)s.") % {"ar": self.ar})
            senaste = Kvalitetsberattelse.objects.filter(ar=self.ar).aggregate(
                m=models.Max("version")
            )["m"]
            ny = Kvalitetsberattelse(
                ar=self.ar, version=senaste + 1, brytdatum=self.brytdatum, skapad_av=av
            )
            ny._change_reason = f"Ny version av version {self.version}"
            ny.save()
            bulk_create_with_history(
                [
                    Kapiteltext(berattelse=ny, kapitel=t.kapitel, text=t.text, uppdaterad_av=av)
                    for t in self.texter.all()
                ],
                Kapiteltext,
                default_user=av,
                default_change_reason=f"Kopierad från version {self.version}",
            )
            ny.log(
                TimelineEntry.Typ.SKAPAT,
                av=av,
                text=f"Ny version av version {self.version}: {kommentar}",
                till_status=Status.UTKAST,
            )
            self.log(
                TimelineEntry.Typ.STATUS,
                av=av,
                text=f"Öppnad igen som version {ny.version}: {kommentar}",
            )
        return ny


class Kapiteltext(models.Model):
    """The text the kvalitetssamordnare wrote for one chapter (limited Markdown)."""

    berattelse = models.ForeignKey(
        Kvalitetsberattelse, on_delete=models.CASCADE, related_name="texter"
    )
    kapitel = models.SlugField(_("kapitel"), max_length=40)
    text = models.TextField(_("text"), max_length=50_000, blank=True)
    uppdaterad = models.DateTimeField(auto_now=True)
    uppdaterad_av = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = ProtectedHistoricalRecords()

    class Meta:
        verbose_name = _("kapiteltext")
        verbose_name_plural = _("kapiteltexter")
        constraints = [
            models.UniqueConstraint(fields=["berattelse", "kapitel"], name="kapiteltext_unik")
        ]

    def __str__(self):
        return f"{self.berattelse}: {self.kapitel}"
