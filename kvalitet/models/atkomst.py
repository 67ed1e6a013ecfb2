"""The access log of the most sensitive records (docs/behorighet.md)."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Atkomstlogg(models.Model):
    """One reading of a record of a type that logs reads (`Arende.LOGGA_LASNING`): who,
    when, what (its page, a file, an export, a document). Written in the request that
    read it; never changed, never deleted by the product."""

    class Handelse(models.TextChoices):
        VISNING = "visning", _("Visade ärendet")
        NEDLADDNING = "nedladdning", _("Hämtade en bilaga")
        EXPORT = "export", _("Exporterade")
        DOKUMENT = "dokument", _("Hämtade ett dokument")

    anvandare = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("användare"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    nummer = models.CharField(_("ärendenummer"), max_length=20, db_index=True)
    handelse = models.CharField(_("händelse"), max_length=16, choices=Handelse.choices)
    detalj = models.CharField(_("vad"), max_length=300, blank=True)
    tid = models.DateTimeField(_("tid"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("åtkomst")
        verbose_name_plural = _("åtkomstlogg")
        ordering = ["-tid", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "-tid"])]

    def __str__(self):
        return f"{self.nummer} {self.get_handelse_display()} {self.tid:%Y-%m-%d %H:%M}"

    @classmethod
    def logga(cls, user, arenden, handelse, detalj=""):
        """Log a reading of each of `arenden` (records of one type) by `user`, if their
        type logs reads; one insert for all of them."""
        arenden = list(arenden)
        if not arenden or not getattr(type(arenden[0]), "LOGGA_LASNING", False):
            return
        ct = ContentType.objects.get_for_model(type(arenden[0]))
        tid = timezone.now()
        cls.objects.bulk_create(
            cls(
                anvandare=user,
                content_type=ct,
                object_id=a.pk,
                nummer=a.nummer,
                handelse=handelse,
                detalj=detalj[:300],
                tid=tid,
            )
            for a in arenden
        )
