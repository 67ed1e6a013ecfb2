"""An export of a case list run as a background job (`kvalitet.exporter`)."""

from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Exportstatus(models.TextChoices):
    KOAD = "koad", _("Köad")
    PAGAR = "pagar", _("Pågår")
    KLAR = "klar", _("Klar")
    MISSLYCKAD = "misslyckad", _("Misslyckad")
    UTGANGEN = "utgangen", _("Utgången")


EXPORT_ARBETAR = (Exportstatus.KOAD, Exportstatus.PAGAR)


def _utgar():
    return timezone.now() + timedelta(hours=settings.EXPORT_GALLRAS_TIMMAR)


class ExportQuerySet(models.QuerySet):
    def utgangna(self, nu=None):
        """Jobs past their expiry that still hold (or may hold) a file."""
        return self.filter(utgar__lte=nu or timezone.now()).exclude(status=Exportstatus.UTGANGEN)


class Export(models.Model):
    """One requested export: who asked, which list with which filter, in which format,
    and how far the job has come. The file lives under MEDIA_ROOT (never served by URL)
    and is offered only to the one who asked, until it expires."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel (XLSX)"

    anvandare = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beställd av"),
        on_delete=models.PROTECT,  # like every reference to a person: accounts are deactivated
        related_name="exporter",
    )
    # The case type's list view (dotted path of an ArendeListaView), set by the server.
    lista = models.CharField(_("lista"), max_length=200)
    rubrik = models.CharField(_("rubrik"), max_length=200)
    filter = models.TextField(_("filter"), blank=True)
    format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Exportstatus.choices, default=Exportstatus.KOAD
    )
    rader_klara = models.PositiveIntegerField(_("rader klara"), default=0)
    rader_totalt = models.PositiveIntegerField(_("rader totalt"), null=True, blank=True)
    fil = models.CharField(_("fil"), max_length=300, blank=True)  # relative to MEDIA_ROOT
    filnamn = models.CharField(_("filnamn"), max_length=200, blank=True)
    fel = models.CharField(_("fel"), max_length=1000, blank=True)
    skapad = models.DateTimeField(_("skapad"), default=timezone.now)
    klar = models.DateTimeField(_("klar"), null=True, blank=True)
    utgar = models.DateTimeField(_("utgår"), default=_utgar, db_index=True)

    objects = ExportQuerySet.as_manager()

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exporter")
        ordering = ["-skapad", "-pk"]
        indexes = [models.Index(fields=["anvandare", "-skapad"])]

    def __str__(self):
        return f"{self.rubrik} {self.get_format_display()} {self.skapad:%Y-%m-%d %H:%M}"

    @property
    def arbetar(self):
        return self.status in EXPORT_ARBETAR

    @property
    def utgangen(self):
        return self.status == Exportstatus.UTGANGEN or self.utgar <= timezone.now()

    @property
    def procent(self):
        if not self.rader_totalt:
            return 100 if self.status == Exportstatus.KLAR else 0
        return min(100, round(100 * self.rader_klara / self.rader_totalt))

    @property
    def sokvag(self) -> Path | None:
        return Path(settings.MEDIA_ROOT) / self.fil if self.fil else None

    def ta_bort_fil(self):
        if self.sokvag is not None:
            self.sokvag.unlink(missing_ok=True)
