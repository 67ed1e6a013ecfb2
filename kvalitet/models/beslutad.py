"""A document the nämnd decides in versions: the risk register, the internkontrollplan,
the internkontrollredovisning (docs/nytt-arendetyp.md, "Poster som inte är ärenden").

The pattern of the kvalitetsberättelse: staben prepares a draft (its content live from
the records), the decision is recorded in the product with the meeting's date, § and
diarienummer, and the version is frozen – its content stored as JSON (`innehall`), its
PDF archived with a SHA-256 checksum – and never changes again; the decided version it
replaces becomes "ersatt"; a new version starts as a draft.
"""

import hashlib
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kvalitet.lib.beslut import DIARIENUMMER_MAX, PARAGRAF_MAX

from .arende import TimelineEntry, TimelineMixin, private_storage


class Beslutsstatus(models.TextChoices):
    UTKAST = "utkast", _("Utkast")
    FASTSTALLD = "faststalld", _("Fastställd")
    ERSATT = "ersatt", _("Ersatt av senare version")


BESLUTADE = (Beslutsstatus.FASTSTALLD, Beslutsstatus.ERSATT)


def _pdf_sokvag(instance, filename):
    return f"{instance._meta.app_label}/{instance.pdf_namn()}-{uuid.uuid4().hex[:8]}.pdf"


class BeslutadQuerySet(models.QuerySet):
    def beslutade(self):
        return self.filter(status__in=BESLUTADE)

    def utkast(self):
        return self.filter(status=Beslutsstatus.UTKAST)


class BeslutadHandling(TimelineMixin):
    """Abstract base of a document decided by the nämnd in versions.

    A subclass gives `pdf_namn()` (the file's name without suffix), `serie()` (the
    versions that replace each other: all of them, or the same year's), `frys(dag)` (the
    content to store at the decision) and `rendera_pdf()` (its PDF, from `innehall` once
    decided). Its step that records the decision calls `registrera_beslut`."""

    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=16, choices=Beslutsstatus.choices, default=Beslutsstatus.UTKAST
    )
    innehall = models.JSONField(_("fastställt innehåll"), null=True, blank=True, editable=False)
    sammantradesdatum = models.DateField(_("nämndens sammanträde"), null=True, blank=True)
    paragraf = models.CharField(_("paragraf (§)"), max_length=PARAGRAF_MAX, blank=True)
    diarienummer = models.CharField(_("diarienummer"), max_length=DIARIENUMMER_MAX, blank=True)
    faststalld = models.DateTimeField(_("beslut registrerat"), null=True, blank=True)
    faststalld_av = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    pdf = models.FileField(
        storage=private_storage, upload_to=_pdf_sokvag, max_length=255, blank=True, editable=False
    )
    pdf_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    skapad = models.DateTimeField(default=timezone.now, editable=False)
    skapad_av = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uppdaterad = models.DateTimeField(auto_now=True)

    objects = BeslutadQuerySet.as_manager()

    class Meta:
        abstract = True

    # How the decision reads for the document's gender: "Fastställt" (riskregistret),
    # "Fastställd" (planen, redovisningen).
    FASTSTALLD_ORD = _("Fastställt")

    def pdf_namn(self) -> str:
        raise NotImplementedError

    def serie(self):
        """The versions this one replaces and is replaced by."""
        return type(self)._default_manager.all()

    def frys(self, dag) -> dict:
        """The content stored at the decision, as it stands on the meeting's day `dag`."""
        raise NotImplementedError

    def rendera_pdf(self) -> bytes:
        raise NotImplementedError

    @property
    def nummer(self):
        """What the shared step templates address the version by."""
        return self.version

    @property
    def ar_utkast(self):
        return self.status == Beslutsstatus.UTKAST

    @property
    def ar_beslutad(self):
        return self.status in BESLUTADE

    @property
    def beslut_text(self) -> str:
        """ "Fastställt av socialnämnden 2026-11-20, § 12, dnr SN 2026/1"; "" for a draft."""
        if not self.ar_beslutad:
            return ""
        namn = settings.NAMND_NAMN
        delar = [
            gettext("%(ord)s av %(namnd)s %(datum)s")
            % {
                "ord": self.FASTSTALLD_ORD,
                "namnd": namn[:1].lower() + namn[1:],
                "datum": self.sammantradesdatum.isoformat(),
            }
        ]
        # An imported decision may lack the § of the minutes.
        if self.paragraf:
            delar.append(f"§ {self.paragraf}")
        if self.diarienummer:
            delar.append(gettext("dnr %(dnr)s") % {"dnr": self.diarienummer})
        return ", ".join(delar)

    def filnamn(self) -> str:
        return f"{self.pdf_namn()}.pdf"

    def registrera_beslut(self, *, av, sammantradesdatum, paragraf, diarienummer):
        """Record the nämnd's decision on this draft (within the step that moves it to
        decided): the references, the frozen content, the earlier decided version of the
        series replaced, and the PDF archived in the background after the commit (and at
        the latest when first read)."""
        from kvalitet.tasks import arkivera

        self.sammantradesdatum = sammantradesdatum
        self.paragraf = paragraf
        self.diarienummer = diarienummer
        self.faststalld = timezone.now()
        self.faststalld_av = av
        self.innehall = self.frys(sammantradesdatum)
        for aldre in self.serie().filter(status=Beslutsstatus.FASTSTALLD).exclude(pk=self.pk):
            aldre.status = Beslutsstatus.ERSATT
            aldre._change_reason = f"Ersatt av version {self.version}"
            aldre.save()
        arkivera.delay_on_commit(self._meta.label, self.pk)

    def arkivera(self) -> bytes:
        """The decided version's PDF: rendered from its frozen content once and stored
        with its SHA-256 (row-locked, so two workers store one); afterwards the stored
        bytes, refused if they no longer match the checksum."""
        modell = type(self)
        with transaction.atomic():
            aktuell = modell._default_manager.select_for_update().get(pk=self.pk)
            if not aktuell.ar_beslutad:
                raise ValidationError(_("Bara en fastställd version arkiveras."))
            if aktuell.pdf:
                with aktuell.pdf.open("rb") as fil:
                    lagrad = fil.read()
                if hashlib.sha256(lagrad).hexdigest() != aktuell.pdf_sha256:
                    raise ValidationError(
                        _(
                            "Den arkiverade PDF:ens kontrollsumma stämmer inte; kontakta "
                            "systemförvaltningen."
                        )
                    )
                return lagrad
            innehall = aktuell.rendera_pdf()
            # Whole file or none (PrivateStorage); the row points to it only once stored.
            # The task is idempotent (the row lock, `pdf` set): a worker killed here
            # leaves the message to the next (acks_late) or to `arkivera_saknade`.
            try:
                aktuell.pdf.save(f"{aktuell.pdf_namn()}.pdf", ContentFile(innehall), save=False)
            except OSError as exc:
                raise ValidationError(
                    _(
                        "PDF:en kunde inte arkiveras: lagringsutrymmet är fullt eller går inte "
                        "att skriva till. Försök igen senare, och kontakta administratören om "
                        "felet kvarstår."
                    )
                ) from exc
            try:
                with transaction.atomic():
                    aktuell.pdf_sha256 = hashlib.sha256(innehall).hexdigest()
                    aktuell._change_reason = "PDF arkiverad"
                    aktuell.save()
                    aktuell.log(
                        TimelineEntry.Typ.ANDRING,
                        text=gettext("PDF arkiverad (SHA-256 %(sha)s)")
                        % {"sha": aktuell.pdf_sha256},
                    )
            except BaseException:
                aktuell.pdf.storage.delete(aktuell.pdf.name)  # no file without its row
                raise
        self.pdf, self.pdf_sha256 = aktuell.pdf, aktuell.pdf_sha256
        return innehall

    def pdf_for(self) -> bytes:
        """The PDF as the browser and the commands give it: a decided version's archived
        one, a draft's rendered now."""
        return self.arkivera() if self.ar_beslutad else self.rendera_pdf()
