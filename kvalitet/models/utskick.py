"""The e-mail outbox: a notification is a row written in the same transaction as the
change that caused it, so nothing is lost while the broker is down."""

from django.db import models
from django.utils import timezone


class Utskick(models.Model):
    """One e-mail to one recipient, pending until a worker has delivered it."""

    mottagare = models.EmailField(max_length=254)
    amne = models.CharField(max_length=200)
    text = models.TextField()
    skapad = models.DateTimeField(default=timezone.now)
    skickad = models.DateTimeField(null=True, blank=True)
    forsok = models.PositiveSmallIntegerField(default=0)
    senaste_fel = models.TextField(blank=True)

    class Meta:
        verbose_name = "utskick"
        verbose_name_plural = "utskick"
        indexes = [
            models.Index(
                fields=["skapad"],
                name="utskick_vantande_idx",
                condition=models.Q(skickad__isnull=True),
            )
        ]

    def __str__(self):
        return f"{self.amne} → {self.mottagare}"
