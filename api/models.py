"""Personal API keys and the record of intake from other systems (docs/api.md)."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# What every key starts with: a scanner (a secret-scanning tool, a log filter) can
# recognise a leaked key by it.
NYCKEL_BORJAN = "kv_"
# The characters after `NYCKEL_BORJAN` kept in clear: enough to tell a person's keys
# apart on their page and in the admin, far too few to guess the rest from.
SYNLIGA_TECKEN = 8
# How often the last use is written at most: a write per request would make every read
# of the API a write to this table.
SENAST_ANVAND_INTERVALL = timedelta(minutes=1)


def hasha(nyckel: str) -> str:
    """The stored form of a key: its SHA-256. A key is 256 random bits
    (`secrets.token_urlsafe(32)`), so a slow password hash would add nothing against
    guessing, and a plain digest lets a request find its key with one indexed lookup."""
    return hashlib.sha256(nyckel.encode("utf-8", "surrogatepass")).hexdigest()


class Omfang(models.TextChoices):
    """What a key may do: read, or read and write (the intake)."""

    LAS = "las", _("Läsa")
    SKRIV = "skriv", _("Läsa och skriva")


class ApiNyckelQuerySet(models.QuerySet):
    def giltiga(self, nu=None):
        """Keys that are neither revoked nor expired (their owner may still be inactive:
        the authentication checks that apart, to say why)."""
        nu = nu or timezone.now()
        return self.filter(aterkallad__isnull=True, giltig_till__gt=nu)


class ApiNyckel(models.Model):
    """A person's key to the API. Only its SHA-256 and a short visible beginning are
    stored: the key itself is shown once, when it is made, and never again."""

    anvandare = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("användare"),
        on_delete=models.PROTECT,
        related_name="api_nycklar",
    )
    namn = models.CharField(_("namn"), max_length=100)
    prefix = models.CharField(_("början av nyckeln"), max_length=20, editable=False)
    hash = models.CharField(max_length=64, unique=True, editable=False)
    omfang = models.CharField(_("behörighet"), max_length=8, choices=Omfang.choices)
    skapad = models.DateTimeField(_("skapad"), default=timezone.now, editable=False)
    giltig_till = models.DateTimeField(_("giltig till"))
    aterkallad = models.DateTimeField(_("återkallad"), null=True, blank=True)
    senast_anvand = models.DateTimeField(_("senast använd"), null=True, blank=True)
    # The one-time key of the form that made it (`kvalitet.forms.EngangsnyckelFalt`): the
    # same form sent again – a reload of the page that showed the key – makes no second
    # key. Empty for keys made otherwise (`manage.py skapa_token`).
    formularnyckel = models.CharField(max_length=64, unique=True, null=True, editable=False)

    objects = ApiNyckelQuerySet.as_manager()

    class Meta:
        verbose_name = _("API-nyckel")
        verbose_name_plural = _("API-nycklar")
        ordering = ["-skapad", "-pk"]

    def __str__(self):
        return f"{self.namn} ({self.prefix}…)"

    @classmethod
    def skapa(cls, *, anvandare, namn, omfang, dagar, formularnyckel=None):
        """Make a key for `anvandare`, valid `dagar` days; returns (the stored key, the
        key itself). The key itself exists only in the return value. The same
        `formularnyckel` twice is an IntegrityError."""
        slump = secrets.token_urlsafe(32)
        nyckel = f"{NYCKEL_BORJAN}{slump}"
        rad = cls.objects.create(
            anvandare=anvandare,
            namn=namn,
            omfang=omfang,
            prefix=nyckel[: len(NYCKEL_BORJAN) + SYNLIGA_TECKEN],
            hash=hasha(nyckel),
            giltig_till=timezone.now() + timedelta(days=dagar),
            formularnyckel=formularnyckel,
        )
        return rad, nyckel

    @property
    def far_skriva(self) -> bool:
        return self.omfang == Omfang.SKRIV

    @property
    def ar_utgangen(self) -> bool:
        return self.giltig_till <= timezone.now()

    @property
    def ar_giltig(self) -> bool:
        return self.aterkallad is None and not self.ar_utgangen

    def aterkalla(self):
        """Revoke the key at once; revoking it again changes nothing."""
        if self.aterkallad is None:
            self.aterkallad = timezone.now()
            ApiNyckel.objects.filter(pk=self.pk, aterkallad__isnull=True).update(
                aterkallad=self.aterkallad
            )

    def registrera_anvandning(self):
        """Note the key's use, at most once a minute (`SENAST_ANVAND_INTERVALL`)."""
        nu = timezone.now()
        if self.senast_anvand is None or nu - self.senast_anvand >= SENAST_ANVAND_INTERVALL:
            self.senast_anvand = nu
            ApiNyckel.objects.filter(pk=self.pk).update(senast_anvand=nu)


class Intag(models.Model):
    """A case another system created through the API, under the caller's own id for it
    (`extern_id`): the same id sent again finds this row and the same case, so a caller
    that retries after a lost answer never creates the case twice. Unique per caller and
    case type: two systems' ids never collide."""

    anvandare = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("användare"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    typ = models.CharField(_("ärendetyp"), max_length=32)
    extern_id = models.CharField(_("externt id"), max_length=100)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    arende = GenericForeignKey("content_type", "object_id")
    skapad = models.DateTimeField(_("skapad"), default=timezone.now)

    class Meta:
        verbose_name = _("intag via API")
        verbose_name_plural = _("intag via API")
        constraints = [
            models.UniqueConstraint(
                fields=["anvandare", "typ", "extern_id"], name="api_intag_unikt_per_anropare"
            )
        ]

    def __str__(self):
        return f"{self.typ} {self.extern_id}"
