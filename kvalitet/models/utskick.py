"""The e-mail outbox: a notification is a row written in the same transaction as the
change that caused it, so nothing is lost while the broker is down."""

from django.db import models
from django.utils import timezone


class UtskickQuerySet(models.QuerySet):
    def vantande(self):
        """Not delivered and still to be attempted."""
        return self.filter(skickad__isnull=True, nasta_forsok__isnull=False)

    def att_forsoka(self, nu=None):
        """Pending rows whose next attempt is due (`leverera_vantande`)."""
        return self.vantande().filter(nasta_forsok__lte=nu or timezone.now())

    def misslyckade(self):
        """Given up: not delivered and no further attempt planned (a permanent refusal,
        or every attempt used). Shown to the kvalitetssamordnare, who may try again."""
        return self.filter(skickad__isnull=True, nasta_forsok__isnull=True)


class Utskick(models.Model):
    """One e-mail to one recipient, pending until a worker has delivered it.

    States: delivered (`skickad` set); pending (`nasta_forsok` set: the earliest time of
    the next attempt, later after every failure); given up (neither)."""

    mottagare = models.EmailField(max_length=254)
    amne = models.CharField(max_length=200)
    text = models.TextField()
    skapad = models.DateTimeField(default=timezone.now)
    skickad = models.DateTimeField(null=True, blank=True)
    forsok = models.PositiveSmallIntegerField(default=0)
    senaste_fel = models.TextField(blank=True)
    nasta_forsok = models.DateTimeField(null=True, blank=True, default=timezone.now)

    objects = UtskickQuerySet.as_manager()

    class Meta:
        verbose_name = "utskick"
        verbose_name_plural = "utskick"
        indexes = [
            models.Index(
                fields=["nasta_forsok"],
                name="utskick_nasta_forsok_idx",
                condition=models.Q(skickad__isnull=True),
            ),
            models.Index(
                fields=["skapad"],
                name="utskick_misslyckade_idx",
                condition=models.Q(skickad__isnull=True, nasta_forsok__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.amne} → {self.mottagare}"


class Paminnelse(models.Model):
    """A reminder sent for one deadline of one case. The unique key makes reminders
    idempotent: a periodic task may run any number of times, and nobody is reminded
    twice of the same deadline (a new deadline is a new key)."""

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    typ = models.CharField(max_length=32)
    tidsfrist = models.DateField()
    skapad = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "påminnelse"
        verbose_name_plural = "påminnelser"
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "typ", "tidsfrist"], name="paminnelse_unik"
            )
        ]

    def __str__(self):
        return f"{self.typ} {self.tidsfrist}"


class Forfragan(models.Model):
    """One rate-limited request: a keyed hash of area and client address, and a time."""

    nyckel = models.CharField(max_length=64)
    tid = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["nyckel", "tid"])]

    def __str__(self):
        return f"{self.nyckel[:8]} {self.tid:%Y-%m-%d %H:%M}"
